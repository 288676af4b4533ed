import Foundation
import NIOCore

/// The open connections, for the connection cap: past ``limit`` open connections, a new one
/// makes room by closing the connections idle the longest (waiting for a request, or sending
/// one too slowly — never one whose answer is being computed or sent). So idle or half-sent
/// sockets cannot keep a new client out, and no more than ``limit`` stay open while idle.
final class ConnectionRegistry: @unchecked Sendable {
    private struct Entry {
        let channel: any Channel
        var idleSince: UInt64
        var busy: Bool
        var closing = false
    }
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// Connections kept open at most while some are idle.
    let limit: Int
    /// Connections closed to make room, since start.
    private(set) var evicted = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// How many connections are open.
    var count: Int { lock.withLock { entries.count } }

    /// Registers a new connection; closes the longest-idle others when over the limit.
    func opened(_ channel: any Channel) {
        let now = DispatchTime.now().uptimeNanoseconds
        let victims: [any Channel] = lock.withLock {
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: now, busy: false)
            let open = entries.values.filter { !$0.closing }.count
            guard open > limit else { return [] }
            let idle = entries.filter { $0.key != ObjectIdentifier(channel) && !$0.value.busy && !$0.value.closing }
                .sorted { $0.value.idleSince < $1.value.idleSince }
                .prefix(open - limit)
            for (k, _) in idle { entries[k]?.closing = true }
            evicted += idle.count
            return idle.map(\.value.channel)
        }
        for c in victims { c.close(promise: nil) }
    }

    /// A request started (`busy`) or its answer ended (idle from now).
    func setBusy(_ channel: any Channel, _ busy: Bool) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            guard entries[ObjectIdentifier(channel)] != nil else { return }
            entries[ObjectIdentifier(channel)]?.busy = busy
            if !busy { entries[ObjectIdentifier(channel)]?.idleSince = now }
        }
    }

    func closed(_ channel: any Channel) {
        _ = lock.withLock { entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
