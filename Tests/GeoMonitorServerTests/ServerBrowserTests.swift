import Foundation
import GeoMonitor
import TestSupport
import Testing

@testable import GeoMonitorServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `/api` against a validator and against the server, and the map in a real browser.
@Suite("Server: /api contract and the web map")
struct ServerBrowserTests {
    @Test(
        .enabled(
            if: TestScripts.python(has: ["openapi_spec_validator", "openapi_schema_validator"]),
            "python3 with openapi-spec-validator and openapi-schema-validator not found (pip install openapi-spec-validator)"
        ))
    func apiIsValidOpenAPIAndTheServerKeepsIt() async throws {
        let server = try await TestServer.get()
        let ids = [
            "projects": server.store.projects.features[0].id, "localities": server.store.localities.features[0].id,
            "progress": server.store.localities.features[0].id,
        ]
        let idJSON = String(decoding: try JSONSerialization.data(withJSONObject: ids), as: UTF8.self)
        let r = try await runProcess(
            try #require(which("python3")), [TestScripts.path("openapi_contract.py"), server.base, idJSON])
        #expect(r.status == 0, "\(r.out)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], "\(r.out)")
        #expect((report["checked"] as? Int ?? 0) > 100, "\(report)")
        #expect((report["failures"] as? [String]) == [], "\(report)")
    }

    /// The Leaflet page in headless Chromium, driven over the DevTools protocol: it draws every
    /// locality and the plots of the view, logs no console error, and after a zoom (mouse wheel)
    /// fetches the plots of the new view through a bbox request inside the first view. The
    /// screenshot is written to the temporary folder (its path is printed).
    @Test(
        .enabled(
            if: TestScripts.chromium != nil && TestScripts.leaflet && which("python3") != nil,
            "chromium, libjs-leaflet or python3 not installed (apt-get install chromium libjs-leaflet)"))
    func leafletMapInHeadlessChromium() async throws {
        let server = try await TestServer.get()
        let shot = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geomonitor-map-\(UUID().uuidString).png"
        ).path
        let r = try await runProcess(
            try #require(which("python3")),
            [TestScripts.path("map_check.py"), try #require(TestScripts.chromium), server.base + "/map", shot])
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], "\(r.out)")
        print("ServerBrowserTests: screenshot \(shot); \(report.filter { $0.key != "before" && $0.key != "after" })")
        #expect(report["failure"] == nil, "\(report)")
        #expect(report["loaded"] as? Bool == true)
        #expect((report["errors"] as? [String]) == [], "console errors: \(report["errors"] ?? "")")
        #expect(report["localities"] as? Int == server.store.dataset.localities.all.count)
        #expect(report["scaleControl"] as? Bool == true)
        #expect(report["statusIsError"] as? Bool == false)
        #expect((report["popup"] as? String)?.isEmpty == false, "a click opened no popup")
        #expect((report["plotsBefore"] as? Int ?? 0) > 0)
        #expect((report["zoomAfter"] as? Double ?? 0) > (report["zoomBefore"] as? Double ?? 0))
        // After the zoom the plots come from a bbox request for the smaller view.
        func box(_ url: String) -> [Double]? {
            URLComponents(string: url)?.queryItems?.first { $0.name == "bbox" }?.value?.split(separator: ",").compactMap
            { Double($0) }
        }
        let first = try #require((report["before"] as? [String])?.first.flatMap(box), "no bbox request before the zoom")
        let after = try #require((report["after"] as? [String])?.last.flatMap(box), "no bbox request after the zoom")
        #expect(after.count == 4 && first.count == 4)
        #expect(
            after[0] >= first[0] && after[1] >= first[1] && after[2] <= first[2] && after[3] <= first[3],
            "\(first) → \(after)")
        #expect((after[2] - after[0]) < (first[2] - first[0]))
        #expect((report["plotsAfter"] as? Int ?? 0) > 0)
        #expect(FileManager.default.fileExists(atPath: shot))
    }
}
