import Foundation
import GeoKit
import GeoMonitor
import TestSupport
import Testing

@testable import GeoMonitorServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension TestServer {
    /// Another server over `store` with its own options, on an ephemeral loopback port.
    static func start(_ store: FeatureStore, _ options: ServerOptions) async throws -> Int {
        let once = Once()
        return try await withCheckedThrowingContinuation { cont in
            Task.detached {
                do {
                    try await FeatureServer.run(store: store, options: options) { p in
                        if once.first() { cont.resume(returning: p) }
                    }
                } catch {
                    if once.first() { cont.resume(throwing: error) }
                }
            }
        }
    }

    /// A server of its own for tests that open many connections or need other options.
    static let hardened: Task<Int, Error> = Task {
        let store = try await TestServer.get().store
        return try await start(
            store, ServerOptions(host: "127.0.0.1", port: 0, headerTimeout: 2, idleTimeout: 3, maxConnections: 1000))
    }
}

/// What issue #20's probe found, asked again: idle and half-sent sockets, slow senders, a hostile
/// `Host` header, paths on this machine, echoed input, parameter rules, and cheap requests next to
/// expensive ones.
@Suite("Server: facing a network", .serialized)
struct ServerHardeningTests {
    static func get(_ port: Int, _ path: String, host: String = "127.0.0.1") -> String {
        guard let c = RawConnection(port: port) else { return "" }
        return c.exchange("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
    }

    @Test func idleAndHalfSentConnectionsDoNotBlockANewRequest() async throws {
        let port = try await TestServer.hardened.value
        var held: [RawConnection] = []
        for i in 0..<1_100 {
            let c = try #require(RawConnection(port: port), "connection \(i) refused")
            // Half of them send half a request and stop; the others send nothing.
            if i % 2 == 0 { c.send("GET /collections HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: appl") }
            held.append(c)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        let t0 = Date()
        let answer = Self.get(port, "/conformance")
        let elapsed = Date().timeIntervalSince(t0)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
        // Before the cap, such a request was never answered (it timed out). The bound only rules
        // that out; on a 2-core CI machine running the suite in parallel the answer takes 2–200 ms
        // (5.9 s seen with four Swift builds sharing the two cores), and the cap itself is
        // checked just below.
        #expect(elapsed < 10, "a new request waited \(elapsed) s behind 1,100 idle or half-sent sockets")
        // The cap (1,000) made room by closing the longest-idle ones: at least 101 of the 1,100.
        let closed = held.filter { $0.isClosed(within: 0.01) }.count
        #expect(closed >= 101, "\(closed) closed")
        // And the header timeout (2 s) closes all the others.
        try await Task.sleep(nanoseconds: 2_600_000_000)
        let still = held.filter { !$0.isClosed(within: 0.01) }.count
        #expect(still == 0, "\(still) of 1,100 idle or half-sent sockets still open after the header timeout")
    }

    @Test func slowSendersAndIdleKeepAliveAreClosed() async throws {
        let port = try await TestServer.hardened.value
        // A slow sender: one byte every 0.3 s never finishes its head within 2 s.
        let slow = try #require(RawConnection(port: port))
        let request = Array(
            "GET /collections HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + String(repeating: "a", count: 100)
                + "\r\n\r\n")
        let t0 = Date()
        var closedAfter: Double? = nil
        for ch in request {
            if !slow.send(String(ch)) || slow.isClosed(within: 0.3) {
                closedAfter = Date().timeIntervalSince(t0)
                break
            }
        }
        let slowClosed = try #require(closedAfter, "a slow sender was never cut off")
        #expect(slowClosed < 3.5, "closed after \(slowClosed) s")
        // Kept alive after an answer, then idle: closed after the idle timeout (3 s), not before 2 s.
        let idle = try #require(RawConnection(port: port))
        let answer = idle.exchange("GET /conformance HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout: 5)
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(!idle.isClosed(within: 2.0))
        #expect(idle.isClosed(within: 2.5))
    }

    @Test func linksNeverComeFromTheHostHeader() async throws {
        let port = try await TestServer.hardened.value
        let hostile = "evil.example:1\"><script>alert(1)</script>"
        for path in [
            "/", "/collections", "/collections/projects", "/collections/projects/items?limit=2", "/api",
            "/collections/localities/items/\(try await TestServer.get().store.localities.features[0].id)",
        ] {
            let answer = Self.get(port, path, host: hostile)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(path): \(answer.prefix(120))")
            #expect(!answer.contains("evil.example"), "\(path) echoes the Host header")
            #expect(!answer.contains("<script"), "\(path)")
        }
        // With --public-url, links start with it.
        let store = try await TestServer.get().store
        let pub = try await TestServer.start(
            store, ServerOptions(host: "127.0.0.1", port: 0, publicURL: "https://maps.example.org/gm"))
        let landing = try await fetch("http://127.0.0.1:\(pub)/?f=json", headers: ["Host": "evil.example"])
        let hrefs = ((landing.json["links"] as? [[String: Any]]) ?? []).compactMap { $0["href"] as? String }
        #expect(!hrefs.isEmpty && hrefs.allSatisfy { $0.hasPrefix("https://maps.example.org/gm/") }, "\(hrefs)")
        let api = try await fetch("http://127.0.0.1:\(pub)/api")
        #expect(((api.json["servers"] as? [[String: Any]])?.first?["url"] as? String) == "https://maps.example.org/gm")
        let redirect = Self.get(pub, "/map/")
        #expect(redirect.hasPrefix("HTTP/1.1 301"))
        #expect(redirect.contains("Location: https://maps.example.org/gm/map\r\n"))
        #expect(ServerOptions.normalizedPublicURL("https://a.example/x/") == "https://a.example/x")
        for bad in [
            "ftp://a.example", "https://a.example/?q=1", "https://a.example/\"x", "a.example", "https://u:p@a.example",
            "http://",
        ] {
            #expect(ServerOptions.normalizedPublicURL(bad) == nil, "\(bad)")
        }
    }

    @Test func noAnswerCarriesAFilesystemPath() async throws {
        let server = try await TestServer.get()
        let manifestDir = URL(fileURLWithPath: Dataset.defaultManifestPath()).deletingLastPathComponent()
            .standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        var paths = [
            "/", "/api", "/conformance", "/collections", "/targets", "/map", "/collections/localities",
            "/collections/projects", "/collections/progress", "/collections/projects/items?limit=10000",
            "/collections/localities/items?limit=10000", "/collections/progress/items?as_of=2024-12-31",
            "/collections/projects/items/NOPE", "/nope", "/collections/projects/items?colour=red",
        ]
        paths.append(
            "/collections/projects/items/\(server.store.projects.features[0].id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        )
        for p in paths {
            let r = try await fetch(p)
            for dir in [manifestDir, cwd, "/home/", "/root/", "/tmp/", "/work/", ".build/"] {
                #expect(!r.text.contains(dir), "\(p) names \(dir)")
            }
        }
        // A project's source is its file's name.
        let page = try await fetch("/collections/projects/items?limit=10000")
        let sources = Set(
            ((page.json["features"] as? [[String: Any]]) ?? []).compactMap {
                ($0["properties"] as? [String: Any])?["source"] as? String
            })
        #expect(!sources.isEmpty)
        #expect(sources.allSatisfy { !$0.contains("/") && !$0.isEmpty }, "\(sources)")
    }

    @Test func echoedInputIsCutAndLongValuesAreCheap() async throws {
        let huge = String(repeating: "Lâm Hà ", count: 11_600)  // ≈ 81 KB
        let t0 = Date()
        let r = try await fetch(
            "/collections/projects/items?district=\(huge.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        )
        #expect(Date().timeIntervalSince(t0) < 1)
        #expect(r.status == 400 || r.status == 414)
        #expect(r.body.count < 1_000, "\(r.body.count) bytes")
        let longID = String(repeating: "x", count: 5_000)
        let missing = try await fetch("/collections/projects/items/\(longID)")
        #expect(missing.status == 404)
        #expect(missing.body.count < 1_000)
        let unknown = try await fetch("/collections/projects/items?\(longID)=1")
        #expect(unknown.status == 400)
        #expect(unknown.body.count < 1_000)
        #expect(APIError.echo("a\u{0}b") == "a\\u{0}b")
        #expect(APIError.echo(String(repeating: "é", count: 100)).hasSuffix("… (100 characters)"))
    }

    @Test func everyAnswerSaysNosniffAndErrorsAreJSON() async throws {
        for (path, status) in [
            ("/collections/projects/items?limit=5%00", 400), ("/nope", 404), ("/collections/x", 404),
            ("/collections/projects/items?f=html", 400), ("/conformance", 200), ("/map", 200),
        ] {
            let r = try await fetch(path)
            #expect(r.status == status, "\(path)")
            #expect(r.header("X-Content-Type-Options") == "nosniff", "\(path)")
            if status >= 400 { #expect(r.header("Content-Type")?.hasPrefix("application/json") == true) }
        }
    }

    @Test func mapWithTrailingSlashRedirects() async throws {
        let port = try await TestServer.hardened.value
        let raw = Self.get(port, "/map/")
        #expect(raw.hasPrefix("HTTP/1.1 301"))
        #expect(raw.contains("Location: ../map\r\n"))
        // A browser (URLSession here) lands on the page.
        let followed = try await fetch("/map/")
        #expect(followed.status == 200)
        #expect(followed.text.contains("leaflet/leaflet.js"))
    }

    @Test func datetimeFollowsRFC3339() async throws {
        let server = try await TestServer.get()
        let d = try #require(server.store.dataset.projects.compactMap(\.date).first)
        let same = server.store.dataset.projects.filter { $0.date == d }.count
        for ok in [
            "\(d)", "\(d)T00:00:00Z", "\(d)T23:59:60Z", "\(d)t10:00:00.125+07:00", "\(d)T10:00:00-05:30", "\(d)/\(d)",
            "\(d)T10:00:00Z/..",
        ] {
            let r = try await fetch(
                "/collections/projects/items?limit=1&datetime=\(ok.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            )
            #expect(r.status == 200, "\(ok): \(r.text)")
            if !ok.contains("/") { #expect(r.json["numberMatched"] as? Int == same, "\(ok)") }
        }
        for bad in [
            "2024-05-30T25:61:61Z", "2024-05-30T10:00:00", "2024-05-30T10:00", "2024-05-30T24:00:00Z",
            "2024-05-30T10:60:00Z",
            "2024-05-30T10:00:61Z", "2024-05-30T10:00:00+07", "2024-05-30T10:00:00.Z", "2024-5-30", "20240530",
            "2024-05-30Z",
        ] {
            #expect(DayInterval.day(bad) == nil, "\(bad)")
        }
    }

    /// A register with plots on both sides of the antimeridian and one far from it.
    static let antimeridian: Task<Int, Error> = Task {
        let base = try await TestServer.get().store
        func plot(_ id: String, _ lon: Double) -> Project {
            let ring = [
                Coordinate(x: lon - 0.1, y: 10), Coordinate(x: lon + 0.1, y: 10), Coordinate(x: lon + 0.1, y: 10.2),
                Coordinate(x: lon - 0.1, y: 10.2), Coordinate(x: lon - 0.1, y: 10),
            ]
            return Project(
                id: id, name: id, kind: .forestPlanting, status: .completed, date: Day(year: 2024, month: 6, day: 1),
                geometry: .polygon(Polygon(exterior: ring)), source: "/somewhere/secret/plots.gpkg")
        }
        let d = base.dataset
        let data = Dataset(
            manifest: d.manifest, localities: d.localities,
            projects: [plot("east-179", 179.5), plot("west-179", -179.5), plot("greenwich", 0.5)])
        let store = try FeatureStore(dataset: data)
        return try await TestServer.start(store, ServerOptions(host: "127.0.0.1", port: 0))
    }

    @Test func bboxAcrossTheAntimeridianAndWithHeights() async throws {
        let port = try await Self.antimeridian.value
        func ids(_ bbox: String) async throws -> Set<String> {
            let r = try await fetch("http://127.0.0.1:\(port)/collections/projects/items?bbox=\(bbox)")
            #expect(r.status == 200, "\(bbox): \(r.text)")
            let ids = Set(((r.json["features"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            #expect(r.json["numberMatched"] as? Int == ids.count)
            return ids
        }
        // West edge larger than east edge: the box spans the antimeridian (two boxes).
        #expect(try await ids("170,0,-170,20") == ["east-179", "west-179"])
        #expect(try await ids("179.55,0,-179.55,20") == ["east-179", "west-179"])  // both plots reach into it
        #expect(try await ids("179.7,0,-179.7,20") == [])  // a gap between them
        #expect(try await ids("170,0,170.5,20") == [])
        #expect(try await ids("-10,0,10,20") == ["greenwich"])
        // Six numbers: heights ignored.
        #expect(try await ids("170,0,-100,-170,20,8848") == ["east-179", "west-179"])
        #expect(try await ids("-10,0,0,10,20,0") == ["greenwich"])
        // Paths never leak, even from a manifest that names absolute ones.
        let one = try await fetch("http://127.0.0.1:\(port)/collections/projects/items/east-179")
        #expect((one.json["properties"] as? [String: Any])?["source"] as? String == "plots.gpkg")
        // On the sample data: a box across the antimeridian that covers Lâm Đồng finds every project.
        let server = try await TestServer.get()
        let all = try await fetch("/collections/projects/items?limit=1&bbox=100,-10,-170,20")
        #expect(all.json["numberMatched"] as? Int == server.store.dataset.projects.count)
        for box in ServerTests.testBoxes(server.store.dataset) {
            let four = try await fetch(
                "/collections/projects/items?limit=1&bbox=\(box.minX),\(box.minY),\(box.maxX),\(box.maxY)")
            let six = try await fetch(
                "/collections/projects/items?limit=1&bbox=\(box.minX),\(box.minY),-5,\(box.maxX),\(box.maxY),3000")
            #expect(six.json["numberMatched"] as? Int == four.json["numberMatched"] as? Int)
        }
    }

    @Test func filteredPagesMatchAScan() async throws {
        let server = try await TestServer.get()
        let d = server.store.dataset
        let shares = server.store.engine.assignment.shares
        let code = d.localities.all[1].code
        let from = try Day(iso: "2023-01-01")
        let expected = d.projects.indices.filter { i in
            let p = d.projects[i]
            return (p.kind == .forestPlanting || p.kind == .road) && p.status != .cancelled
                && shares[i].contains { $0.code == code } && (p.date.map { $0 >= from } ?? false)
        }.map { d.projects[$0].id }
        let statuses = ProjectStatus.allCases.filter { $0 != .cancelled }.map(\.rawValue).joined(separator: ",")
        var got: [String] = []
        for offset in stride(from: 0, to: expected.count + 3, by: 3) {
            let r = try await fetch(
                "/collections/projects/items?kind=forest_planting&kind=road&status=\(statuses)&district=\(code)&datetime=2023-01-01/..&limit=3&offset=\(offset)"
            )
            #expect(r.status == 200)
            #expect(r.json["numberMatched"] as? Int == expected.count)
            got += ((r.json["features"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        }
        #expect(got == expected)
        var bits = FeatureBitset(count: 200)
        for i in [0, 63, 64, 65, 127, 199] { bits.insert(i) }
        #expect(bits.population == 6)
        #expect(bits.page(offset: 2, limit: 3) == [64, 65, 127])
        #expect(bits.page(offset: 5, limit: 10) == [199])
        #expect(bits.page(offset: 6, limit: 10) == [])
    }

    @Test func cheapRequestsStayFastWhileExpensiveOnesRun() async throws {
        let server = try await TestServer.get()
        let fid =
            server.store.projects.features[0].id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        func percentile99(_ t: [Double]) -> Double {
            let s = t.sorted()
            return s[min(s.count - 1, Int(Double(s.count) * 0.99))]
        }
        let port = try await TestServer.get().port
        let paths = [
            "/conformance", "/collections/projects/items/\(fid)",
            "/collections/projects/items?limit=10&status=completed",
        ]
        // Cheap requests on a kept-alive socket from a thread of their own (URLSession would queue
        // them behind the large downloads of the expensive clients, on the client side).
        func timeCheap(for seconds: Double) async -> [Double] {
            await withCheckedContinuation { cont in
                Thread {
                    var times: [Double] = []
                    guard let c = RawConnection(port: port) else {
                        cont.resume(returning: [])
                        return
                    }
                    let end = Date().addingTimeInterval(seconds)
                    var i = 0
                    while Date() < end {
                        let t0 = Date()
                        let answer = c.exchange("GET \(paths[i % 3]) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout: 5)
                        guard answer.hasPrefix("HTTP/1.1 200") else { break }
                        times.append(Date().timeIntervalSince(t0) * 1000)
                        i += 1
                    }
                    cont.resume(returning: times)
                }.start()
            }
        }
        // The same cheap requests alone first, on this machine as it is now.
        let alone = await timeCheap(for: 1)
        let deadline = Date().addingTimeInterval(4)
        // 8 clients sending expensive requests: a new as-of day each time (a progress run), the
        // largest pages, every filter at once.
        let expensive = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for c in 0..<8 {
                    group.addTask {
                        var n = 0
                        var day = c * 40
                        while Date() < deadline {
                            day += 1
                            let asOf = String(format: "2023-%02d-%02d", 1 + (day / 28) % 12, 1 + day % 28)
                            let path = [
                                "/collections/progress/items?as_of=\(asOf)",
                                "/collections/projects/items?limit=2000",
                                "/collections/projects/items?limit=2000&status=completed,planned&kind=forest_planting&datetime=2020-01-01/..",
                            ][n % 3]
                            let status = try await fetch(path).status
                            if status != 200 && status != 503 { throw APIError(status, "unexpected", path) }
                            n += 1
                        }
                        return n
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        var times = await timeCheap(for: deadline.timeIntervalSinceNow - 0.2)
        let done = try await expensive.value
        try #require(!times.isEmpty && !alone.isEmpty, "no cheap request answered")
        times.sort()
        let p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
        let quietP99 = percentile99(alone)
        print(
            "cheap requests alone: p99 \(quietP99) ms; while \(done) expensive ones ran: \(times.count), p50 \(times[times.count / 2]) ms, p99 \(p99) ms"
        )
        #expect(times.count >= 30)
        // 50 ms, or 5 × the p99 of the same requests alone when this shared machine is so loaded
        // that even they are slow (before the heavy lane and the indexes: p50 1.7 ms → 1.07 s).
        // The release benchmark (Tests/Benchmarks/serve_bench.sh, 200,000 plots) holds 50 ms too.
        #expect(
            p99 <= max(50, 5 * quietP99),
            "p99 of cheap requests \(p99) ms (alone \(quietP99) ms) while \(done) expensive ones ran")
    }
}
