import Foundation

/// A small bounded cache of rendered progress layers.
final class ProgressCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: FeatureLayer] = [:]
    private var order: [String] = []
    let capacity = 64

    func get(_ key: String) -> FeatureLayer? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func put(_ key: String, _ value: FeatureLayer) {
        lock.lock()
        defer { lock.unlock() }
        if entries[key] == nil { order.append(key) }
        entries[key] = value
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}
