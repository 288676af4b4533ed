import Foundation
import TestSupport

/// A PostgreSQL 15 cluster of its own in a temporary folder (initdb as the `postgres` user, a
/// Unix socket in that folder, no TCP), so a test can stop and start a server under a running
/// `serve` without touching anyone else's. Needs root, the `postgres` user and Debian's
/// `/usr/lib/postgresql/15/bin`; `available` is false otherwise.
final class ThrowawayCluster: @unchecked Sendable {
    static let bin = "/usr/lib/postgresql/15/bin"
    static let available: Bool =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: bin + "/initdb")
        && which("runuser") != nil && PostGIS.run("id", ["-u", "postgres"]).status == 0

    let folder: URL
    let port = 15_400 + Int(getpid() % 500)
    /// libpq options reaching it (socket folder, port, superuser).
    var server: String { "host=\(folder.path) port=\(port) user=postgres" }

    init() throws {
        folder = URL(fileURLWithPath: "/tmp").appendingPathComponent(
            "geomonitor-cluster-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PostGIS.check(PostGIS.run("chown", ["postgres", folder.path]))
        try PostGIS.check(
            asPostgres(
                Self.bin + "/initdb", ["-D", folder.path + "/data", "-A", "trust", "-U", "postgres", "--no-sync"]))
        try start()
    }

    func asPostgres(_ program: String, _ args: [String]) -> (status: Int32, out: String) {
        PostGIS.run("runuser", ["-u", "postgres", "--", program] + args)
    }

    /// Starts the server, trying three times (a start that fails at once has been seen on a busy CI
    /// machine); the error carries pg_ctl's words and the end of the server's log, so a failure
    /// says why.
    func start() throws {
        var failures: [String] = []
        for attempt in 1...3 {
            let r = asPostgres(
                Self.bin + "/pg_ctl",
                [
                    "-D", folder.path + "/data", "-l", folder.path + "/log", "-w", "-o",
                    "-p \(port) -k \(folder.path) -c listen_addresses=''", "start",
                ])
            if r.status == 0 { return }
            let log = (try? String(contentsOfFile: folder.path + "/log", encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(4).joined(separator: " | ")
            failures.append(
                "attempt \(attempt): \(r.out.trimmingCharacters(in: .whitespacesAndNewlines)) — log: \(tail)")
            print("ThrowawayCluster: start failed, \(failures.last ?? "")")
            Thread.sleep(forTimeInterval: Double(attempt))
        }
        throw PostGIS.Failed(
            description: "PostgreSQL in \(folder.path) did not start: " + failures.joined(separator: "; "))
    }

    func stop() throws {
        try PostGIS.check(asPostgres(Self.bin + "/pg_ctl", ["-D", folder.path + "/data", "-m", "fast", "-w", "stop"]))
    }

    /// Stops the server (if running) and removes its folder.
    func destroy() {
        _ = asPostgres(Self.bin + "/pg_ctl", ["-D", folder.path + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }
}
