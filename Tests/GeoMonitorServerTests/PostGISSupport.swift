import Foundation
import GeoMonitor
import TestSupport
import Testing

/// A PostgreSQL + PostGIS server for the tests: the one libpq reaches by default (or the
/// connection in `GEOMONITOR_TEST_PG`, libpq key=value form, e.g. `host=/var/run/postgresql`),
/// found with `psql`. Each test creates a throwaway database holding GeoData's forest plots
/// (`lo_rung`) and district boundaries (`districts`), loaded with `ogr2ogr`, and drops it.
/// Without a reachable server with PostGIS, the tests that need one show as skipped.
enum PostGIS {
    /// libpq connection options of the server (without dbname).
    static let server: String = ProcessInfo.processInfo.environment["GEOMONITOR_TEST_PG"] ?? ""

    /// True when psql and ogr2ogr run and the server answers and has the PostGIS extension.
    static let available: Bool = {
        guard which("psql") != nil, which("ogr2ogr") != nil else { return false }
        let r = run(
            "psql",
            [
                "-X", "-At", "-d", conninfo("postgres"), "-c",
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'",
            ])
        return r.status == 0 && r.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }()

    /// The reason shown when the tests are skipped.
    static let skipReason: Comment =
        "no PostgreSQL with PostGIS reachable (start one: .ci/run does; or set GEOMONITOR_TEST_PG)"

    static func conninfo(_ db: String) -> String { (server.isEmpty ? "" : server + " ") + "dbname=\(db)" }

    /// The GDAL connection string of a database.
    static func gdal(_ db: String) -> String { "PG:" + conninfo(db) }

    /// GeoData's folder (the embedded sample).
    static var geoData: String { URL(fileURLWithPath: Dataset.defaultManifestPath()).deletingLastPathComponent().path }

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    /// Creates a database with PostGIS, the forest plots and the districts; returns its name.
    static func createDatabase(server: String = PostGIS.server) throws -> String {
        lock.lock()
        counter += 1
        let n = counter
        lock.unlock()
        let db = "geomonitor_test_\(getpid())_\(n)"
        let c = { (d: String) in (server.isEmpty ? "" : server + " ") + "dbname=\(d)" }
        try check(run("psql", ["-X", "-q", "-d", c("postgres"), "-c", "CREATE DATABASE \(db)"]))
        try check(run("psql", ["-X", "-q", "-d", c(db), "-c", "CREATE EXTENSION postgis"]))
        try check(
            run(
                "ogr2ogr",
                [
                    "-f", "PostgreSQL", "PG:" + c(db), geoData + "/forest-plots.gpkg", "lo_rung", "-nln", "lo_rung",
                    "-lco", "GEOMETRY_NAME=geom",
                ]))
        try check(
            run(
                "ogr2ogr",
                [
                    "-f", "PostgreSQL", "PG:" + c(db), geoData + "/localities.geojson", "-nln", "districts", "-lco",
                    "GEOMETRY_NAME=geom", "-nlt", "PROMOTE_TO_MULTI",
                ]))
        return db
    }

    /// Drops a database made by `createDatabase` (closing its connections).
    static func dropDatabase(_ db: String, server: String = PostGIS.server) {
        _ = run(
            "psql",
            [
                "-X", "-q", "-d", (server.isEmpty ? "" : server + " ") + "dbname=postgres", "-c",
                "DROP DATABASE IF EXISTS \(db) WITH (FORCE)",
            ])
    }

    /// Runs SQL in a database with psql; the unaligned, tuples-only output.
    @discardableResult
    static func sql(_ db: String, _ text: String, server: String = PostGIS.server) throws -> String {
        let r = run(
            "psql",
            [
                "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", (server.isEmpty ? "" : server + " ") + "dbname=\(db)",
                "-c", text,
            ])
        try check(r)
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A manifest over a database: the districts and the forest plots, as GeoData's manifest maps them.
    static func manifest(connection: String, projectsSQL: String? = nil, folder: URL) throws -> String {
        let projects =
            projectsSQL.map { "sql: \"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"" } ?? "layer: public.lo_rung"
        let text = """
            name: "PostGIS test register"
            localities:
              source: "\(connection)"
              layer: districts
              fields: {code: ma_huyen, name: ten_huyen, type: loai, parent: ma_tinh}
            projects:
              - source: "\(connection)"
                \(projects)
                kind: forest_planting
                fields: {id: ma_lo, status: trang_thai, date: ngay, trees: so_cay, area_ha: dt_khai_bao, locality: huyen}
                values:
                  status: {"hoàn thành": completed, "đang trồng": under_construction, "kế hoạch": planned, "đã phê duyệt": approved}
            targets: "\(geoData)/targets-2024.yaml"
            """
        let path = folder.appendingPathComponent("pg-\(UUID().uuidString.prefix(8)).yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// The same register from GeoData's files (GeoPackage plots, GeoJSON boundaries).
    static func fileManifest(folder: URL) throws -> String {
        let text = """
            name: "File register"
            localities:
              source: "\(geoData)/localities.geojson"
              fields: {code: ma_huyen, name: ten_huyen, type: loai, parent: ma_tinh}
            projects:
              - source: "\(geoData)/forest-plots.gpkg"
                layer: lo_rung
                kind: forest_planting
                fields: {id: ma_lo, status: trang_thai, date: ngay, trees: so_cay, area_ha: dt_khai_bao, locality: huyen}
                values:
                  status: {"hoàn thành": completed, "đang trồng": under_construction, "kế hoạch": planned, "đã phê duyệt": approved}
            targets: "\(geoData)/targets-2024.yaml"
            """
        let path = folder.appendingPathComponent("files.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    struct Failed: Error, CustomStringConvertible { var description: String }

    static func check(_ r: (status: Int32, out: String)) throws {
        if r.status != 0 { throw Failed(description: r.out) }
    }

    /// Runs a program found on PATH, waiting for it; status and output (stdout + stderr).
    /// posix_spawn and waitpid rather than `Process`, whose wait can hang when the program
    /// leaves a daemon behind (pg_ctl start).
    static func run(_ name: String, _ args: [String]) -> (status: Int32, out: String) {
        guard let path = name.hasPrefix("/") ? name : which(name) else { return (127, "\(name) not found") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pgtest-\(UUID().uuidString).out").path
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { return (126, "cannot start \(name): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, text)
    }

    /// Runs blocking work (psql, ogr2ogr, initdb, a large load) on a thread of its own, so that
    /// the tests' cooperative threads — which the servers of other suites answer on — stay free.
    /// Record no test issue inside `work`: return what to check.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { cont in
            let t = Thread { cont.resume(with: Result { try work() }) }
            t.stackSize = 8 << 20
            t.start()
        }
    }

    /// A temporary folder, removed by the caller.
    static func tempFolder() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geomonitor-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
