import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

@testable import GeoMonitorServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One server for the whole suite, on an ephemeral loopback port, over the embedded dataset.
enum TestServer {
    struct Started: Sendable {
        let port: Int
        let store: FeatureStore
        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// Short timeouts and a cap of 1,000 connections, so the tests can see them at work.
    static let options = ServerOptions(
        host: "127.0.0.1", port: 0, headerTimeout: 2, idleTimeout: 3, maxConnections: 1000)

    static let started: Task<Started, Error> = Task {
        OpenFileLimit.raise()
        let store = try FeatureStore(manifest: Dataset.defaultManifestPath())
        return Started(port: try await start(store, options), store: store)
    }

    static func get() async throws -> Started { try await started.value }

    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func first() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if done { return false }
            done = true
            return true
        }
    }
}

struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    func links(_ rel: String) -> [String] {
        ((json["links"] as? [[String: Any]]) ?? []).filter { $0["rel"] as? String == rel }.compactMap {
            $0["href"] as? String
        }
    }
}

let testSession: URLSession = {
    let c = URLSessionConfiguration.ephemeral
    c.requestCachePolicy = .reloadIgnoringLocalCacheData
    c.urlCache = nil
    return URLSession(configuration: c)
}()

func fetch(_ pathOrURL: String, headers: [String: String] = [:]) async throws -> HTTPAnswer {
    let server = try await TestServer.get()
    let url = pathOrURL.hasPrefix("http") ? URL(string: pathOrURL)! : URL(string: server.base + pathOrURL)!
    var req = URLRequest(url: url)
    for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
    let (data, response) = try await testSession.data(for: req)
    let http = response as! HTTPURLResponse
    var h: [String: String] = [:]
    for (k, v) in http.allHeaderFields { h["\(k)"] = "\(v)" }
    return HTTPAnswer(status: http.statusCode, headers: h, body: data)
}

/// Runs a program without blocking a thread of the cooperative pool.
func runProcess(_ path: String, _ args: [String]) async throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    // Read to the end, then wait, on a thread of its own (never a cooperative one): no output can
    // arrive after it is taken.
    nonisolated(unsafe) let process = p
    return try await withCheckedThrowingContinuation { cont in
        Thread.detachNewThread {
            do {
                try process.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                cont.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            } catch {
                cont.resume(throwing: error)
            }
        }
    }
}

final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ d: Data) {
        lock.lock()
        data.append(d)
        lock.unlock()
    }
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("Server (OGC API – Features)")
struct ServerTests {
    @Test func landingPageJSON() async throws {
        for (path, headers) in [("/", ["Accept": "application/json"]), ("/?f=json", [:])] {
            let r = try await fetch(path, headers: headers)
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(r.header("Access-Control-Allow-Origin") == "*")
            // Links are paths from the root: never built from the request's Host header.
            #expect(r.links("self").first == "/")
            #expect(r.links("service-desc").first == "/api")
            #expect(r.links("conformance").first == "/conformance")
            #expect(r.links("data").first == "/collections")
        }
    }

    @Test func landingPageHTMLAndMap() async throws {
        let r = try await fetch("/", headers: ["Accept": "text/html,application/xhtml+xml,*/*;q=0.8"])
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("text/html") == true)
        let m = try await fetch("/map")
        #expect(m.status == 200)
        #expect(m.text == r.text)
        #expect(try await fetch("/?f=html").text == m.text)
        #expect(m.text.contains("<script src=\"leaflet/leaflet.js\"></script>"))
        #expect(m.text.contains("href=\"leaflet/leaflet.css\""))
        #expect(m.text.contains("collections/progress/items"))
        #expect(m.text.contains("collections/projects/items?limit=\" + PAGE + \"&bbox="))
        // Works offline: no script, style, image or font from elsewhere.
        for bad in ["src=\"http", "href=\"http", "@import", "url(http", "cdn", "//unpkg", "tile.openstreetmap"] {
            #expect(!m.text.lowercased().contains(bad), "map page refers to something outside: \(bad)")
        }
        // Leaflet itself, served from where Debian puts it (when libjs-leaflet is installed).
        if FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") {
            let js = try await fetch("/leaflet/leaflet.js")
            #expect(js.status == 200)
            #expect(js.text.contains("Leaflet"))
            #expect(try await fetch("/leaflet/leaflet.css").status == 200)
            #expect(try await fetch("/leaflet/../../../etc/passwd").status != 200)
            #expect(try await fetch("/leaflet/%2e%2e/%2e%2e/%2e%2e/etc/passwd").status != 200)
        }
    }

    @Test func conformance() async throws {
        let r = try await fetch("/conformance")
        #expect(r.status == 200)
        let classes = try #require(r.json["conformsTo"] as? [String])
        for c in ["core", "geojson", "oas30"] {
            #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/\(c)"))
        }
    }

    @Test func openAPIDescribesExactlyTheRoutes() async throws {
        let r = try await fetch("/api")
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("application/vnd.oai.openapi+json") == true)
        #expect(r.json["openapi"] as? String == "3.0.3")
        let paths = try #require(r.json["paths"] as? [String: Any])
        var expected: Set<String> = ["/", "/conformance", "/api", "/collections", "/targets", "/map"]
        for c in ["localities", "projects", "progress"] {
            expected.formUnion(["/collections/\(c)", "/collections/\(c)/items", "/collections/\(c)/items/{featureId}"])
        }
        #expect(Set(paths.keys) == expected)
        // …and every one of them answers.
        let server = try await TestServer.get()
        for p in paths.keys {
            let id =
                p.contains("progress")
                ? server.store.localities.features[0].id
                : p.contains("localities")
                    ? server.store.localities.features[0].id : server.store.projects.features[0].id
            let path = p.replacingOccurrences(
                of: "{featureId}", with: id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
            #expect(try await fetch(path).status == 200, "\(path)")
        }
    }

    @Test func collections() async throws {
        let r = try await fetch("/collections")
        #expect(r.status == 200)
        let cols = try #require(r.json["collections"] as? [[String: Any]])
        #expect(cols.compactMap { $0["id"] as? String } == ["localities", "projects", "progress"])
        for c in cols {
            let links = try #require(c["links"] as? [[String: Any]])
            #expect(
                links.contains { $0["rel"] as? String == "items" && $0["type"] as? String == "application/geo+json" })
        }
        let one = try await fetch("/collections/progress")
        #expect(one.status == 200)
        #expect(one.json["defaultTarget"] as? String == "afforestation-2024")
        #expect(
            ((one.json["targets"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == "afforestation-2024" })
        let missing = try await fetch("/collections/nope")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(missing.json["code"] as? String == "NotFound")
    }

    @Test func pagingWalksEveryProjectOnce() async throws {
        let server = try await TestServer.get()
        let all = server.store.dataset.projects.map(\.id)
        let first = try await fetch("/collections/projects/items")
        #expect(first.status == 200)
        #expect(first.header("Content-Type")?.hasPrefix("application/geo+json") == true)
        #expect(first.json["numberMatched"] as? Int == all.count)
        #expect(first.json["numberReturned"] as? Int == min(100, all.count))
        #expect(first.json["timeStamp"] is String)
        #expect(first.links("prev").isEmpty)
        // Walk with a small page size.
        var url: String? = server.base + "/collections/projects/items?limit=7"
        var seen: [String] = []
        var pages = 0
        while let u = url {
            let page = try await fetch(u)
            #expect(page.status == 200)
            let feats = try #require(page.json["features"] as? [[String: Any]])
            #expect(page.json["numberReturned"] as? Int == feats.count)
            #expect(page.json["numberMatched"] as? Int == all.count)
            seen += feats.compactMap { $0["id"] as? String }
            if pages > 0 { #expect(page.links("prev").count == 1) }
            url = page.links("next").first
            pages += 1
            if pages > all.count { break }
        }
        #expect(seen == all)
        #expect(pages == (all.count + 6) / 7)
        // An offset past the end: nothing, no next.
        let past = try await fetch("/collections/projects/items?offset=\(all.count + 5)")
        #expect(past.json["numberReturned"] as? Int == 0)
        #expect(past.links("next").isEmpty)
        #expect(past.links("prev").count == 1)
    }

    /// Projects meeting a box, counted by GEOS project by project (not the query engine the
    /// server and `Dataset.query` share).
    static func expectedInBox(_ d: Dataset, _ box: BoundingBox) throws -> Set<String> {
        let boxGeometry = try OGRGeometry(.polygon(Polygon(exterior: box.ring)))
        return Set(try d.projects.filter { try OGRGeometry($0.geometry).intersects(boxGeometry) }.map(\.id))
    }

    static func testBoxes(_ d: Dataset) -> [BoundingBox] {
        let b = d.localities.bounds
        let w = b.maxX - b.minX
        let h = b.maxY - b.minY
        return [
            BoundingBox(minX: b.minX, minY: b.minY, maxX: b.minX + w / 2, maxY: b.minY + h / 2),
            BoundingBox(
                minX: b.minX + w * 0.3, minY: b.minY + h * 0.4, maxX: b.minX + w * 0.55, maxY: b.minY + h * 0.7),
            BoundingBox(minX: b.minX + w * 0.6, minY: b.minY + h * 0.1, maxX: b.maxX, maxY: b.minY + h * 0.35),
        ]
    }

    static func bboxParam(_ b: BoundingBox) -> String { "\(b.minX),\(b.minY),\(b.maxX),\(b.maxY)" }

    @Test func bboxFilterMatchesAnIndependentCount() async throws {
        let server = try await TestServer.get()
        let d = server.store.dataset
        for box in Self.testBoxes(d) {
            let expected = try Self.expectedInBox(d, box)
            // Plain Swift: a project meeting the box has an envelope meeting it.
            let envelopes = d.projects.filter { p in
                guard let b = p.geometry.bounds else { return false }
                return b.minX <= box.maxX && box.minX <= b.maxX && b.minY <= box.maxY && box.minY <= b.maxY
            }.count
            let r = try await fetch("/collections/projects/items?limit=10000&bbox=\(Self.bboxParam(box))")
            #expect(r.status == 200)
            let ids = Set(((r.json["features"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            #expect(r.json["numberMatched"] as? Int == expected.count)
            #expect(ids == expected)
            #expect(expected.count <= envelopes)
            #expect(expected.count > 0)
        }
    }

    @Test(arguments: [
        "bbox=1,2,3", "bbox=a,b,c,d", "bbox=1,2,3,4,5", "bbox=200,0,210,10", "bbox=1,20,3,10", "bbox=1,2,3,4,5,6,7",
        "bbox=1,2,9,3,4,5", "bbox=0x1p3,0,10,10", "bbox=inf,0,10,10", "bbox=1,%202,3,4", "bbox=1,2,3,4%00junk",
        "bbox=,,,",
        "limit=5%00", "limit=+5", "limit=%205", "offset=1e3", "f=html", "f=xml", "bbox-crs=EPSG:4326",
        "datetime=2024-05-30T25:61:61Z", "datetime=2024-05-30T10:00:00", "datetime=2024-05-30T10:00Z",
        "datetime=2024-02-30",
        "datetime=2024-05-30T10:00:00+25:00", "datetime=2024-05-30%2010:00:00Z", "datetime=../..%00",
        "status=completed%00", "kind=road,", "district=%00", "limit=1&limit=2", "x=%ZZ",
        "limit=10001", "limit=0", "limit=-3", "limit=ten", "offset=-1",
        "datetime=2024-13-01", "datetime=2024-06-01/2024-01-01", "datetime=yesterday",
        "kind=spaceport", "status=done", "district=Atlantis", "colour=red",
    ])
    func badParametersAre400(_ query: String) async throws {
        let r = try await fetch("/collections/projects/items?\(query)")
        #expect(r.status == 400, "\(query)")
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(r.json["code"] as? String == "InvalidParameterValue")
        #expect((r.json["description"] as? String)?.isEmpty == false)
        #expect(r.header("Access-Control-Allow-Origin") == "*")
    }

    @Test func propertyFilters() async throws {
        let server = try await TestServer.get()
        let d = server.store.dataset
        let assignment = server.store.engine.assignment
        func matched(_ q: String) async throws -> Int {
            let r = try await fetch("/collections/projects/items?limit=1&\(q)")
            #expect(r.status == 200, "\(q): \(r.text)")
            return r.json["numberMatched"] as? Int ?? -1
        }
        #expect(try await matched("kind=forest_planting") == d.projects.filter { $0.kind == .forestPlanting }.count)
        #expect(
            try await matched("kind=road,market") == d.projects.filter { $0.kind == .road || $0.kind == .market }.count)
        #expect(try await matched("status=completed") == d.projects.filter { $0.status == .completed }.count)
        #expect(
            try await matched("kind=forest_planting&status=completed")
                == d.projects.filter { $0.kind == .forestPlanting && $0.status == .completed }.count)
        // A district as users type it: upper case, without diacritics.
        let loc = d.localities.all[0]
        let typed = loc.name.applyingTransform(.stripDiacritics, reverse: false)!.replacingOccurrences(
            of: "đ", with: "d"
        )
        .replacingOccurrences(of: "Đ", with: "D").uppercased()
        let expected = d.projects.indices.filter { i in assignment.shares[i].contains { $0.code == loc.code } }.count
        #expect(
            try await matched("district=\(typed.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)")
                == expected)
        #expect(try await matched("district=\(loc.code)") == expected)
        // datetime on the project's date.
        let from = try Day(iso: "2024-01-01")
        let to = try Day(iso: "2024-06-30")
        #expect(
            try await matched("datetime=2024-01-01/2024-06-30")
                == d.projects.filter { $0.date.map { $0 >= from && $0 <= to } ?? false }.count)
        #expect(
            try await matched("datetime=../2024-06-30") == d.projects.filter { $0.date.map { $0 <= to } ?? false }.count
        )
        #expect(
            try await matched("datetime=2024-07-01/..") == d.projects.filter { $0.date.map { $0 > to } ?? false }.count)
        let someDay = try #require(d.projects.compactMap(\.date).first)
        #expect(try await matched("datetime=\(someDay)") == d.projects.filter { $0.date == someDay }.count)
        #expect(try await matched("datetime=\(someDay)T10:00:00Z") == d.projects.filter { $0.date == someDay }.count)
    }

    @Test func singleFeature() async throws {
        let server = try await TestServer.get()
        let p = server.store.dataset.projects[0]
        let r = try await fetch(
            "/collections/projects/items/\(p.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)")
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("application/geo+json") == true)
        #expect(r.json["type"] as? String == "Feature")
        #expect(r.json["id"] as? String == p.id)
        #expect(r.links("collection").first == "/collections/projects")
        let missing = try await fetch("/collections/projects/items/NO-SUCH-PROJECT")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(missing.json["code"] as? String == "NotFound")
        #expect((missing.json["description"] as? String)?.contains("NO-SUCH-PROJECT") == true)
        let route = try await fetch("/no/such/route")
        #expect(route.status == 404)
        #expect(route.json["code"] as? String == "NotFound")
    }

    @Test func progressCollection() async throws {
        let server = try await TestServer.get()
        let n = server.store.dataset.localities.all.count
        let r = try await fetch("/collections/progress/items?as_of=2024-12-31")
        #expect(r.status == 200)
        #expect(r.json["numberMatched"] as? Int == n)
        let feats = try #require(r.json["features"] as? [[String: Any]])
        let props = try #require(feats.first?["properties"] as? [String: Any])
        #expect(props["target"] as? String == "afforestation-2024")
        #expect(props["as_of"] as? String == "2024-12-31")
        // The same figures as the progress engine.
        let report = try server.store.engine.run(asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"])
        let sum = feats.compactMap { ($0["properties"] as? [String: Any])?["achieved"] as? Double }.reduce(0, +)
        #expect(abs(sum - (report.targets[0].achieved ?? 0)) < 1e-3)
        let other = try await fetch("/collections/progress/items?target=nope")
        #expect(other.status == 400)
        let targets = try await fetch("/targets")
        #expect(targets.status == 200)
        #expect((targets.json["targets"] as? [[String: Any]])?.count == server.store.engine.catalog.targets.count)
    }

    @Test func etagAndNotModified() async throws {
        let r = try await fetch("/collections/projects/items?limit=5")
        let tag = try #require(r.header("ETag"))
        #expect(tag.hasPrefix("\""))
        let again = try await fetch("/collections/projects/items?limit=5")
        #expect(again.header("ETag") == tag)
        let cached = try await fetch("/collections/projects/items?limit=5", headers: ["If-None-Match": tag])
        #expect(cached.status == 304)
        #expect(cached.body.isEmpty)
        #expect(cached.header("ETag") == tag)
        let changed = try await fetch("/collections/projects/items?limit=5", headers: ["If-None-Match": "\"0000\""])
        #expect(changed.status == 200)
        let other = try await fetch("/collections/projects/items?limit=6")
        #expect(other.header("ETag") != tag)
    }

    @Test func methodsAndCORS() async throws {
        let server = try await TestServer.get()
        var head = URLRequest(url: URL(string: server.base + "/collections/projects/items?limit=3")!)
        head.httpMethod = "HEAD"
        let (hd, hr) = try await testSession.data(for: head)
        #expect((hr as! HTTPURLResponse).statusCode == 200)
        #expect(hd.isEmpty)
        #expect(
            (hr as! HTTPURLResponse).value(forHTTPHeaderField: "ETag")
                == (try await fetch("/collections/projects/items?limit=3")).header("ETag"))
        var post = URLRequest(url: URL(string: server.base + "/collections")!)
        post.httpMethod = "POST"
        post.httpBody = Data("{}".utf8)
        let (pd, pr) = try await testSession.data(for: post)
        #expect((pr as! HTTPURLResponse).statusCode == 405)
        #expect(String(decoding: pd, as: UTF8.self).contains("MethodNotAllowed"))
        var options = URLRequest(url: URL(string: server.base + "/collections")!)
        options.httpMethod = "OPTIONS"
        options.setValue("http://example.test", forHTTPHeaderField: "Origin")
        let (_, or) = try await testSession.data(for: options)
        let o = or as! HTTPURLResponse
        #expect(o.statusCode == 204)
        #expect(o.value(forHTTPHeaderField: "Access-Control-Allow-Origin") == "*")
        #expect(o.value(forHTTPHeaderField: "Access-Control-Allow-Headers")?.contains("If-None-Match") == true)
    }

    @Test func gzip() async throws {
        let text = String(repeating: "{\"type\":\"Feature\",\"id\":\"x\"}", count: 200)
        let z = try #require(Gzip.compress(Array(text.utf8)))
        #expect(z.count < text.utf8.count / 5)
        #expect(z.prefix(2) == [0x1f, 0x8b])
        // Decompressed by the system's gzip.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geomonitor-gzip-\(UUID().uuidString).gz")
        try Data(z).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // gzip is in Debian's essential set: decompress with it (a missing gzip fails here, never passes).
        do {
            let gz = try #require(which("gzip"), "gzip not found")
            let (status, out) = try await runProcess(gz, ["-dc", file.path])
            #expect(status == 0)
            #expect(out == text)
        }
        // Over HTTP: the answer says gzip (URLSession may inflate it transparently) and still parses.
        let r = try await fetch("/collections/projects/items?limit=50", headers: ["Accept-Encoding": "gzip"])
        #expect(r.status == 200)
        #expect(r.header("Content-Encoding") == "gzip")
        let body = r.body.prefix(2) == Data([0x1f, 0x8b]) ? nil : r.json
        if let body { #expect(body["numberReturned"] as? Int == 50) }
        let plain = try await fetch("/collections/projects/items?limit=50", headers: ["Accept-Encoding": "identity"])
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.header("ETag") != r.header("ETag"))
    }

    @Test(.enabled(if: which("ogrinfo") != nil, "ogrinfo not found (apt-get install gdal-bin)"))
    func ogrinfoListsCollectionsAndCountsABox() async throws {
        let ogrinfo = try #require(which("ogrinfo"))
        let server = try await TestServer.get()
        let list = try await runProcess(ogrinfo, ["-ro", "-q", "OAPIF:\(server.base)"])
        #expect(list.status == 0, "\(list.out)")
        for c in ["localities", "projects", "progress"] { #expect(list.out.contains(c), "\(list.out)") }
        let d = server.store.dataset
        for box in Self.testBoxes(d).prefix(2) {
            let expected = try Self.expectedInBox(d, box)
            let r = try await runProcess(
                ogrinfo,
                [
                    "-ro", "-so", "OAPIF:\(server.base)", "projects",
                    "-spat", "\(box.minX)", "\(box.minY)", "\(box.maxX)", "\(box.maxY)",
                ])
            #expect(r.status == 0, "\(r.out)")
            #expect(r.out.contains("Feature Count: \(expected.count)\n"), "expected \(expected.count): \(r.out)")
        }
        let all = try await runProcess(ogrinfo, ["-ro", "-so", "OAPIF:\(server.base)", "projects"])
        #expect(all.out.contains("Feature Count: \(d.projects.count)\n"), "\(all.out)")
        // Every feature, page by page through the (root-relative) next links.
        let paged = try await runProcess(
            ogrinfo, ["-ro", "-al", "-q", "OAPIF:\(server.base)", "projects", "-oo", "PAGE_SIZE=100"])
        #expect(paged.status == 0)
        #expect(paged.out.components(separatedBy: "\nOGRFeature(").count - 1 == d.projects.count)
    }
}

/// `geomonitor serve` as users run it: the process keeps serving after loading (it once exited
/// right after the load, status 0, because the command's error wrapper ended the process), and
/// answers `/collections` on the port it announces on standard error.
@Suite("Server: the serve command", .serialized)
struct ServeCommandTests {
    @Test func serveKeepsServing() async throws {
        let binary = try #require(CLIBinary.path, "geomonitor binary not found next to the test bundle")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--port", "0"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        let collected = OutputCollector()
        err.fileHandleForReading.readabilityHandler = { h in collected.append(h.availableData) }
        try p.run()
        defer {
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
            err.fileHandleForReading.readabilityHandler = nil
        }
        // Wait (≤ 60 s) for "serving … on http://127.0.0.1:PORT/".
        var base: String? = nil
        for _ in 0..<600 where base == nil && p.isRunning {
            try await Task.sleep(nanoseconds: 100_000_000)
            if let r = collected.text.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) {
                base = String(collected.text[r])
            }
        }
        #expect(
            p.isRunning,
            "serve exited with status \(p.isRunning ? 0 : p.terminationStatus): \(collected.text.prefix(500))")
        let url = try #require(
            base.flatMap { URL(string: $0 + "collections") }, "no address announced: \(collected.text.prefix(500))")
        let (data, response) = try await testSession.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let ids = (obj?["collections"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(Set(ids).isSuperset(of: ["localities", "projects"]), "\(ids)")
        // Still serving after a request.
        #expect(p.isRunning)
    }
}
