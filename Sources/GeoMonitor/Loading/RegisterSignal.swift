import Foundation
internal import GDALKit

/// A cheap signal of change in a manifest's database sources, for a server that shows a shared
/// register live: per `PG:` source, its row count and the newest row version
/// (`count(*)`, `max(xmin)` of the table; for an `sql:` source, the count and a hash of its
/// rows). An insert, an update or a delete committed by anyone changes it; reading it costs one
/// scan of each table in PostgreSQL, and nothing is sent back but two numbers.
///
/// Holds one connection per distinct connection string (dropped, and opened again at the next
/// read, after an error).
public final class RegisterSignal: @unchecked Sendable {
    private let lock = NSLock()
    private let queries: [(connection: String, sql: String, shown: String)]
    private var open: [String: VectorDataset] = [:]

    /// The signal of `manifest`'s `PG:` sources (localities and projects).
    public init(manifest: Manifest) {
        var q: [(String, String, String)] = []
        var specs: [(String, String?, String?)] = [
            (manifest.localities.source, manifest.localities.layer, manifest.localities.sql)
        ]
        specs += manifest.projects.map { ($0.source, $0.layer, $0.sql) }
        for (source, layer, sql) in specs where Manifest.isConnection(source) {
            if let sql {
                q.append(
                    (
                        source, "SELECT count(*), coalesce(sum(hashtext(q::text)::bigint), 0) FROM (\(sql)) AS q",
                        ConnectionString.redacted(source)
                    ))
            } else if let layer {
                let table = VectorLayer.sqlTableIdentifier(layer)
                q.append(
                    (
                        source, "SELECT count(*), coalesce(max(xmin::text::bigint), 0) FROM \(table)",
                        ConnectionString.redacted(source)
                    ))
            }
        }
        queries = q
    }

    /// True when the manifest has a database source to watch.
    public var isLive: Bool { !queries.isEmpty }

    /// The signal now: equal strings mean nothing changed.
    /// - Throws: ``GeoMonitorError`` of kind `.source` naming the connection (without password)
    ///   when the database cannot be reached or the query fails.
    public func read() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        var parts: [String] = []
        for q in queries {
            // A connection kept from before a server restart fails once: try a new one then.
            var attempt = 0
            while true {
                do {
                    let ds = try open[q.connection] ?? VectorDataset(path: q.connection)
                    open[q.connection] = ds
                    let rows = try ds.rows(q.sql)
                    parts.append(rows.first.map { $0.map(\.description).joined(separator: ":") } ?? "-")
                    break
                } catch let e as GDALError {
                    let wasOpen = open[q.connection] != nil
                    open[q.connection] = nil
                    attempt += 1
                    if wasOpen && attempt == 1 { continue }
                    throw GeoMonitorError(e, file: q.shown)
                }
            }
        }
        return parts.joined(separator: "|")
    }
}
