import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

@testable import GeoMonitorServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The register in PostGIS (issue 19), against a real PostgreSQL server: reading `PG:` sources,
/// writing tables through GDAL, a live `serve`, writers at work meanwhile, and a server restarted
/// under it. Each test makes its own throwaway database (see `PostGIS`). Skipped, not passed,
/// when no server is reachable.
@Suite(.serialized) struct PostGISTests {
    static let target = "afforestation-2024"
    static let asOf = try! Day(iso: "2024-12-31")

    /// Per-locality hectares of the afforestation target.
    static func hectares(_ d: Dataset) throws -> [String: Double] {
        let r = try ProgressEngine(dataset: d).run(asOf: asOf, targets: [target])
        let t = try #require(r.targets.first)
        return Dictionary(uniqueKeysWithValues: t.localities.map { ($0.code, $0.achieved) })
    }

    @Test(
        "A PG: manifest gives the per-district hectares of the same register as files",
        .enabled(if: PostGIS.available, PostGIS.skipReason))
    func perDistrictHectaresEqualTheFiles() async throws {
        let db = try await PostGIS.offPool { try PostGIS.createDatabase() }
        defer { PostGIS.dropDatabase(db) }
        let folder = try PostGIS.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pg = try Dataset.load(manifest: PostGIS.manifest(connection: PostGIS.gdal(db), folder: folder))
        let files = try Dataset.load(manifest: PostGIS.fileManifest(folder: folder))
        #expect(pg.projects.count == files.projects.count)
        #expect(pg.localities.all.count == files.localities.all.count)
        let a = try Self.hectares(pg)
        let b = try Self.hectares(files)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (code, ha) in b {
            #expect(
                near(a[code] ?? -1, ha, 1e-9),
                "locality \(code): \(a[code] ?? -1) ha from PostGIS, \(ha) ha from the GeoPackage")
        }
        // The plots' total area as PostGIS measures it on the ellipsoid (geography).
        let sql = try PostGIS.sql(db, "SELECT sum(ST_Area(ST_Transform(geom, 4326)::geography)) / 10000 FROM lo_rung")
        let total = try #require(Double(sql))
        #expect(nearRel(pg.projects.reduce(0) { $0 + $1.areaHa }, total, 1e-6))
        // A filtered load (the target's selection pushed down as a PostgreSQL WHERE) gives the same figures.
        let m = try Manifest.load(PostGIS.manifest(connection: PostGIS.gdal(db), folder: folder))
        let catalog = try TargetCatalog.load(PostGIS.geoData + "/targets-2024.yaml")
        let filtered = try Dataset.load(m, filter: ProjectFilter.forTargets([catalog.target(Self.target)]))
        #expect(filtered.projects.count < pg.projects.count)
        let c = try Self.hectares(filtered)
        for (code, ha) in b { #expect(near(c[code] ?? -1, ha, 1e-9)) }
    }

    @Test(
        "An sql: source reads what PostgreSQL selects; the layers command opens PG: sources",
        .enabled(if: PostGIS.available, PostGIS.skipReason))
    func sqlSource() async throws {
        let db = try await PostGIS.offPool { try PostGIS.createDatabase() }
        defer { PostGIS.dropDatabase(db) }
        let folder = try PostGIS.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try PostGIS.manifest(
            connection: PostGIS.gdal(db), projectsSQL: "SELECT * FROM lo_rung WHERE trang_thai = 'hoàn thành'",
            folder: folder)
        let d = try Dataset.load(manifest: path)
        let expected = try PostGIS.sql(db, "SELECT count(*) FROM lo_rung WHERE trang_thai = 'hoàn thành'")
        #expect(String(d.projects.count) == expected)
        #expect(d.projects.allSatisfy { $0.status == .completed })
        let infos = try SourceInventory.describe(manifest: Manifest.load(path))
        #expect(infos.map(\.driver) == ["PostgreSQL", "PostgreSQL"])
        #expect(infos[0].featureCount == 12)
    }

    @Test(
        "Passwords never appear in errors; a PG: source is not a file",
        .enabled(if: PostGIS.available, PostGIS.skipReason))
    func passwordsNeverShown() async throws {
        let db = try await PostGIS.offPool { try PostGIS.createDatabase() }
        defer { PostGIS.dropDatabase(db) }
        let folder = try PostGIS.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "s3cret-Pa55"
        for connection in [
            PostGIS.gdal(db) + " password=\(secret)", PostGIS.gdal(db) + " password='\(secret) x'",
            PostGIS.gdal("no_such_db_\(getpid())") + " password=\(secret)",
        ] {
            var text = try String(
                contentsOfFile: PostGIS.manifest(connection: connection, folder: folder), encoding: .utf8)
            text = text.replacingOccurrences(of: "layer: public.lo_rung", with: "layer: public.no_such_table")
            let path = folder.appendingPathComponent("bad.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try Dataset.load(manifest: path)
                Issue.record("loading \(connection) should fail")
            } catch let e as GeoMonitorError {
                #expect(!e.description.contains(secret), "\(e.description)")
                #expect(e.description.contains("password=***"))
                #expect(!e.description.contains("no such file"))
            }
        }
        #expect(
            ConnectionString.redacted("PG:postgresql://forest:hunter2@db.example/geo")
                == "PG:postgresql://forest:***@db.example/geo")
        #expect(
            ConnectionString.redacted("PG:dbname=geo PASSWORD = 'a b\\' c' user=x")
                == "PG:dbname=geo PASSWORD=*** user=x")
    }

    @Test(
        "export gdal to PG: leaves a progress table, one row per locality, swapped in one transaction",
        .enabled(if: PostGIS.available, PostGIS.skipReason))
    func exportProgressTable() async throws {
        let db = try await PostGIS.offPool { try PostGIS.createDatabase() }
        defer { PostGIS.dropDatabase(db) }
        let folder = try PostGIS.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let d = try Dataset.load(manifest: PostGIS.manifest(connection: PostGIS.gdal(db), folder: folder))
        var warnings: [Warning] = []
        let features = try GDALExport.features(
            d, layer: .progress, targets: [Self.target], asOf: Self.asOf, warnings: &warnings)
        let summary = try GDALExport.write(
            features, name: "progress", polygons: true, to: PostGIS.gdal(db) + " password=unused")
        #expect(!summary.destination.contains("unused"))
        #expect(try PostGIS.sql(db, "SELECT count(*) FROM progress") == String(d.localities.all.count))
        let ha = try Self.hectares(d)
        let rows = try PostGIS.sql(db, "SELECT code, achieved FROM progress ORDER BY code")
        for line in rows.split(separator: "\n") {
            let parts = line.split(separator: "|").map(String.init)
            #expect(near(Double(parts[1]) ?? -1, ha[parts[0]] ?? -2, 1e-6), "\(line)")
        }
        #expect(
            try PostGIS.sql(
                db,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'progress' AND column_name = 'achieved'"
            ) == "double precision")
        #expect(
            try PostGIS.sql(
                db,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'progress' AND column_name = 'as_of'"
            ) == "date")
        #expect(
            try PostGIS.sql(db, "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'progress'")
                == "MULTIPOLYGON 4326")
        #expect(
            try PostGIS.sql(
                db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'progress' AND indexdef LIKE '%USING gist%'")
                == "1")
        #expect(
            try PostGIS.sql(
                db,
                "SELECT count(*) FROM information_schema.table_constraints WHERE table_name = 'progress' AND constraint_type = 'PRIMARY KEY'"
            ) == "1")
        // Exported again while a reader counts the rows over and over: never an error, never a half table.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: which("psql") ?? "/usr/bin/psql")
        let script = folder.appendingPathComponent("reader.sql")
        try String(repeating: "SELECT count(*) FROM progress;\n", count: 400).write(
            to: script, atomically: true, encoding: .utf8)
        reader.arguments = ["-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", PostGIS.conninfo(db), "-f", script.path]
        let out = Pipe()
        reader.standardOutput = out
        reader.standardError = out
        try reader.run()
        for _ in 0..<3 { _ = try GDALExport.write(features, name: "progress", polygons: true, to: PostGIS.gdal(db)) }
        let seen = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(reader.terminationStatus == 0, "\(seen.prefix(300))")
        #expect(Set(seen.split(separator: "\n")) == [Substring(String(d.localities.all.count))])
        #expect(try PostGIS.sql(db, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'progress%'") == "1")
    }

    // MARK: - live serving

    /// Serves `register` on a free loopback port; the task runs until cancelled.
    static func serve(_ register: LiveRegister) async throws -> (Task<Void, Never>, String) {
        let once = TestServer.Once()
        var task: Task<Void, Never>?
        let port: Int = try await withCheckedThrowingContinuation { cont in
            task = Task.detached {
                do {
                    try await FeatureServer.run(register: register, options: ServerOptions(host: "127.0.0.1", port: 0))
                    { p in
                        if once.first() { cont.resume(returning: p) }
                    }
                } catch {
                    if once.first() { cont.resume(throwing: error) }
                }
            }
        }
        return (task!, "http://127.0.0.1:\(port)")
    }

    static func get(_ url: String) async throws -> HTTPAnswer {
        let (data, response) = try await testSession.data(from: URL(string: url)!)
        let http = response as! HTTPURLResponse
        var h: [String: String] = [:]
        for (k, v) in http.allHeaderFields { h["\(k)"] = "\(v)" }
        return HTTPAnswer(status: http.statusCode, headers: h, body: data)
    }

    static func liveRegister(_ manifest: String, every seconds: Double) throws -> LiveRegister {
        let register = LiveRegister(try FeatureStore(dataset: Dataset.load(manifest: manifest)))
        let signal = RegisterSignal(manifest: try Manifest.load(manifest))
        guard signal.isLive else { throw PostGIS.Failed(description: "the manifest has no PG: source to watch") }
        register.watch(
            every: seconds, signal: { try signal.read() },
            reload: { try FeatureStore(dataset: Dataset.load(manifest: manifest)) })
        return register
    }

    @Test(
        "serve shows a plot inserted, and stays consistent while writers insert and update",
        .enabled(if: PostGIS.available, PostGIS.skipReason))
    func liveServeWithWriters() async throws {
        let db = try await PostGIS.offPool { try PostGIS.createDatabase() }
        defer { PostGIS.dropDatabase(db) }
        let folder = try PostGIS.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 21,600 plots (read in key ranges on several connections); trees = declared area on
        // every row, and the writers keep it so in each statement: a row read half-updated breaks it.
        try await PostGIS.offPool {
            try PostGIS.sql(
                db,
                """
                INSERT INTO lo_rung (ma_lo, huyen, trang_thai, ngay, so_cay, dt_khai_bao, geom)
                  SELECT ma_lo || '-' || g, huyen, trang_thai, ngay, so_cay, dt_khai_bao, geom FROM lo_rung, generate_series(1, 35) g;
                UPDATE lo_rung SET dt_khai_bao = so_cay; ANALYZE lo_rung;
                """)
        }
        let manifest = try PostGIS.manifest(connection: PostGIS.gdal(db), folder: folder)
        let register = try await PostGIS.offPool { try Self.liveRegister(manifest, every: 0.5) }
        defer { register.stopWatching() }
        let (task, base) = try await Self.serve(register)
        defer { task.cancel() }

        // A plot inserted is served within 15 s.
        try PostGIS.sql(
            db,
            "INSERT INTO lo_rung (ma_lo, huyen, trang_thai, ngay, so_cay, dt_khai_bao, geom) SELECT 'LIVE-1', huyen, 'hoàn thành', '2024-06-01', 7, 7, geom FROM lo_rung WHERE fid = 1"
        )
        let inserted = Date()
        var served = false
        while Date().timeIntervalSince(inserted) < 15 {
            if try await Self.get(base + "/collections/projects/items/LIVE-1").status == 200 {
                served = true
                break
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(served, "the inserted plot was not served within 15 s")
        let seconds = Date().timeIntervalSince(inserted)
        #expect(seconds < 15)

        // Writers insert and update (each statement its own transaction) while the server
        // answers and the register is loaded and its progress computed.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: which("psql") ?? "/usr/bin/psql")
        writer.arguments = [
            "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", PostGIS.conninfo(db), "-c",
            """
            DO $$ DECLARE i int; BEGIN FOR i IN 1..150 LOOP
              INSERT INTO lo_rung (ma_lo, huyen, trang_thai, ngay, so_cay, dt_khai_bao, geom)
                SELECT 'W-' || i, huyen, 'hoàn thành', '2024-06-01', i, i, geom FROM lo_rung WHERE fid = 1 + (i % 500);
              UPDATE lo_rung SET so_cay = so_cay + 1, dt_khai_bao = dt_khai_bao + 1 WHERE fid = 1 + ((i * 7919) % 21000);
              UPDATE lo_rung SET trang_thai = CASE WHEN trang_thai = 'hoàn thành' THEN 'đang trồng' ELSE 'hoàn thành' END,
                                 so_cay = so_cay + 2, dt_khai_bao = dt_khai_bao + 2 WHERE fid = 1 + ((i * 104729) % 21000);
              COMMIT;
              PERFORM pg_sleep(0.02);
            END LOOP; END $$;
            """,
        ]
        let writerOut = Pipe()
        writer.standardOutput = writerOut
        writer.standardError = writerOut
        try writer.run()
        let loads = Task {
            try await PostGIS.offPool { () throws -> [String] in
                let d = try Dataset.load(manifest: manifest)
                _ = try ProgressEngine(dataset: d).run(asOf: Self.asOf, targets: [Self.target])
                return d.projects.filter { $0.trees != $0.declaredAreaHa }.map {
                    "\($0.id): \($0.trees ?? -1) trees, \($0.declaredAreaHa ?? -1) ha declared"
                }
            }
        }
        var answers = 0
        while writer.isRunning {
            let r = try await Self.get(base + "/collections/projects/items?district=672&limit=10000")
            #expect(r.status == 200, "\(r.text.prefix(200))")
            let matched = r.json["numberMatched"] as? Int
            let returned = r.json["numberReturned"] as? Int
            let features = (r.json["features"] as? [Any])?.count
            #expect(
                matched == returned && returned == features,
                "count \(matched ?? -1), returned \(returned ?? -1), features \(features ?? -1)")
            answers += 1
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        writer.waitUntilExit()
        let writerText = String(decoding: writerOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(writer.terminationStatus == 0, "\(writerText.prefix(300))")
        let torn = try await loads.value
        #expect(torn.isEmpty, "torn rows: \(torn.prefix(5))")
        #expect(answers > 0)

        // No update lost: once reloaded, the server holds exactly what PostgreSQL holds.
        let count = try #require(Int(try PostGIS.sql(db, "SELECT count(*) FROM lo_rung")))
        let trees = try #require(Double(try PostGIS.sql(db, "SELECT sum(so_cay) FROM lo_rung")))
        var matched = -1
        let done = Date()
        while Date().timeIntervalSince(done) < 15 {
            matched =
                try await Self.get(base + "/collections/projects/items?limit=1").json["numberMatched"] as? Int ?? -1
            if matched == count { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(matched == count)
        let store = register.current
        #expect(store.dataset.projects.count == count)
        #expect(store.dataset.projects.reduce(0) { $0 + ($1.trees ?? 0) } == trees)
        #expect(register.reloadCount >= 1)
    }

    @Test(
        "serve answers 503 while PostgreSQL is stopped and recovers by itself",
        .enabled(
            if: PostGIS.available && ThrowawayCluster.available,
            "needs PostGIS, root and Debian's PostgreSQL 15 (a cluster of its own is started and stopped)"))
    func restartGives503ThenRecovers() async throws {
        // A cluster of this test's own: when this machine cannot start one (its log says why), the
        // test shows as cancelled, not passed; what geomonitor does is asserted only when it runs.
        let cluster: ThrowawayCluster
        do { cluster = try await PostGIS.offPool { try ThrowawayCluster() } } catch {
            try Test.cancel("no PostgreSQL cluster of its own could be started here: \(error)")
        }
        defer { cluster.destroy() }
        let db = try await PostGIS.offPool { try PostGIS.createDatabase(server: cluster.server) }
        let folder = try PostGIS.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try PostGIS.manifest(connection: "PG:" + cluster.server + " dbname=\(db)", folder: folder)
        let register = try await PostGIS.offPool { try Self.liveRegister(manifest, every: 0.5) }
        defer { register.stopWatching() }
        let (task, base) = try await Self.serve(register)
        defer { task.cancel() }
        #expect(try await Self.get(base + "/collections/projects/items?limit=1").status == 200)

        try await PostGIS.offPool { try cluster.stop() }
        var unavailable: HTTPAnswer?
        let stopped = Date()
        while Date().timeIntervalSince(stopped) < 10 {
            let r = try await Self.get(base + "/collections/projects/items?limit=1")
            if r.status == 503 {
                unavailable = r
                break
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let r = try #require(unavailable, "no 503 within 10 s of stopping PostgreSQL")
        #expect((r.json["description"] as? String)?.contains("database cannot be reached") == true)
        #expect(r.header("Retry-After") != nil)

        // A plot inserted while it was down is served once it is back.
        do { try await PostGIS.offPool { try cluster.start() } } catch {
            try Test.cancel("the test's PostgreSQL cluster could not be started again here: \(error)")
        }
        try PostGIS.sql(
            db,
            "INSERT INTO lo_rung (ma_lo, huyen, trang_thai, ngay, so_cay, dt_khai_bao, geom) SELECT 'AFTER-1', huyen, trang_thai, ngay, so_cay, dt_khai_bao, geom FROM lo_rung WHERE fid = 1",
            server: cluster.server)
        var recovered = false
        let started = Date()
        while Date().timeIntervalSince(started) < 15 {
            if try await Self.get(base + "/collections/projects/items/AFTER-1").status == 200 {
                recovered = true
                break
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(recovered, "not serving again within 15 s of PostgreSQL's return")
        #expect(register.unavailable == nil)
    }
}
