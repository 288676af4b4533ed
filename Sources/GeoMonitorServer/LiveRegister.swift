import Foundation
import GeoMonitor

/// The store the server answers from, replaced while it runs when the register changes.
///
/// Every request takes the current ``FeatureStore`` once, when it starts, and answers wholly from
/// it: a page and its `numberMatched` come from the same snapshot even when a reload finishes
/// meanwhile. A watcher thread (``watch(every:signal:reload:log:)``) asks the sources for a
/// cheap change signal now and then (for a PostGIS register, each table's row count and newest
/// row version, see `RegisterSignal`), loads the register again when it changed, and swaps the
/// new store in. While the signal cannot be read (PostgreSQL stopped), requests are answered 503
/// with a clear message; the first signal read again clears it, so the server recovers by itself.
public final class LiveRegister: @unchecked Sendable {
    private let lock = NSLock()
    private var store: FeatureStore
    private var outage: String?
    private var reloads = 0
    private var stopped = false

    /// A register serving `store` until a watcher replaces it.
    public init(_ store: FeatureStore) { self.store = store }

    /// The store requests are answered from now.
    public var current: FeatureStore {
        lock.lock()
        defer { lock.unlock() }
        return store
    }

    /// How many times the store was replaced since start.
    public var reloadCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return reloads
    }

    /// Why the register cannot be served now (its database is unreachable), or nil.
    public var unavailable: String? {
        lock.lock()
        defer { lock.unlock() }
        return outage
    }

    /// The store for one request.
    /// - Throws: `APIError` 503 while the register's database cannot be reached.
    func snapshot() throws -> FeatureStore {
        lock.lock()
        defer { lock.unlock() }
        if let outage { throw APIError(503, "ServiceUnavailable", outage) }
        return store
    }

    /// Replaces the store (what a reload does); requests already running finish on the old one.
    public func replace(with newStore: FeatureStore) {
        lock.lock()
        store = newStore
        outage = nil
        reloads += 1
        lock.unlock()
    }

    /// Stops the watcher thread after its current round (for tests and embedding).
    public func stopWatching() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Marks the register unavailable (with the message requests get) or available again (nil).
    public func setUnavailable(_ message: String?) {
        lock.lock()
        outage = message
        lock.unlock()
    }

    /// Starts a watcher thread that, every `interval` seconds, reads `signal` and calls `reload`
    /// when it differs from the signal of the store being served.
    /// - Parameters:
    ///   - interval: seconds between two reads of the signal.
    ///   - signal: the change signal (equal strings mean nothing changed); throws when the
    ///     register cannot be reached.
    ///   - reload: loads the register again and builds its store (run on the watcher thread;
    ///     the old store is served meanwhile).
    ///   - log: hears one line per outage, recovery and reload (never a password).
    public func watch(
        every interval: Double, signal: @escaping @Sendable () throws -> String?,
        reload: @escaping @Sendable () throws -> FeatureStore, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        let seconds = max(0.05, interval)
        let shown = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        let thread = Thread { [self] in
            var served = try? signal()
            while !isStopped {
                Thread.sleep(forTimeInterval: seconds)
                if isStopped { break }
                let now: String?
                do { now = try signal() } catch {
                    if unavailable == nil { log("geomonitor: warning: the register cannot be read: \(error)") }
                    setUnavailable(
                        "the register's database cannot be reached; the server checks again every \(shown) s and serves again by itself when it is back"
                    )
                    continue
                }
                if unavailable != nil { log("geomonitor: the register's database is reachable again") }
                setUnavailable(nil)
                guard now != served else { continue }
                let started = Date()
                do {
                    let fresh = try reload()
                    // The store holds at least what `now` saw: what changed during the reload is
                    // caught by the next read.
                    replace(with: fresh)
                    served = now
                    log(
                        "geomonitor: the register changed; reloaded in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
                    )
                } catch {
                    // Data that cannot be loaded (a writer's bad row): keep serving the last good
                    // store, and try again at the next read.
                    log(
                        "geomonitor: warning: the register changed but cannot be loaded (still serving the previous state): \(error)"
                    )
                }
            }
        }
        thread.name = "geomonitor-register-watch"
        thread.start()
    }
}
