import Foundation

/// Compressed answers by their ETag, so that a page asked for again is not compressed again.
let gzipCache = ByteCache(capacity: 256, maxBytes: 1 << 20)

final class ByteCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [UInt8]] = [:]
    private var order: [String] = []
    let capacity: Int, maxBytes: Int
    init(capacity: Int, maxBytes: Int) {
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    func get(_ key: String) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Stores (when small enough) and returns the value.
    func put(_ key: String, _ value: [UInt8]) -> [UInt8] {
        guard value.count <= maxBytes else { return value }
        lock.lock()
        defer { lock.unlock() }
        if entries[key] == nil { order.append(key) }
        entries[key] = value
        while order.count > capacity { entries[order.removeFirst()] = nil }
        return value
    }
}
