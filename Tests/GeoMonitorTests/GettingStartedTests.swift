import Foundation
import GeoMonitor
import Testing

/// The code of GeoMonitor.docc/GettingStarted.md, compiled and run so the article cannot rot.
@Suite struct GettingStartedTests {
    @Test func articleCodeRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-start-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // — Load a dataset
        let data = try Dataset.load(manifest: Dataset.defaultManifestPath())
        #expect(data.localities.all.count == 12)

        // — Query a district
        let dalat = try data.localities.find("tp da lat")
        let rows = try data.query(ProjectQuery(locality: dalat.code, kinds: [.road]))
        #expect(!rows.isEmpty && rows.allSatisfy { $0.locality?.code == "672" && $0.project.kind == .road })

        // — Compute progress by district
        let engine = try ProgressEngine(dataset: data)
        let report = try engine.run(asOf: Day(iso: "2024-12-31")!, targets: ["afforestation-2024"])
        let afforestation = report.targets[0]
        #expect(afforestation.value == 617.7)
        // Province total = sum over districts.
        #expect(abs((afforestation.achieved ?? 0) - afforestation.localities.reduce(0) { $0 + $1.achieved }) < 1e-9)

        // — Write a map and GeoJSON
        let svg = try MapRenderer(dataset: data).provinceMap(afforestation, asOf: report.asOf)
        try OutputFile.write(svg, to: dir.appendingPathComponent("afforestation.svg").path)
        let geojson = ProgressOutput.render(report, as: .geojson, localities: data.localities)
        try OutputFile.write(geojson, to: dir.appendingPathComponent("afforestation.geojson").path)
        let back = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("afforestation.geojson"))) as? [String: Any]
        #expect((back?["features"] as? [Any])?.count == 12)
    }
}
