import Foundation
import GeoMonitor
import Testing

/// The code of GeoMonitor.docc/GettingStarted.md, compiled and run so the article cannot rot.
///
/// Each section's snippet is copied here verbatim (only the output paths point into a temporary
/// folder), followed by checks of what it produced. Plain `import GeoMonitor`: the article must
/// work with the public API alone.
@Suite struct GettingStartedTests {
    @Test func articleCodeRuns() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-start-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // — Load a dataset
        let data = try Dataset.load(manifest: Dataset.defaultManifestPath())
        print(data.localities.all.count, "localities,", data.projects.count, "projects")
        #expect(data.localities.all.count == 12)

        // — Query a district
        let dalat = try data.localities.find("tp da lat")
        let rows = try data.query(ProjectQuery(locality: dalat.code, kinds: [.road]))
        for row in rows {
            print(row.project.id, row.project.status.rawValue, row.lengthKm, "km in", row.locality?.name ?? "-")
        }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.locality?.code == "672" && $0.project.kind == .road })

        // — Compute progress by district
        let engine = try ProgressEngine(dataset: data)
        let report = try engine.run(asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"])
        let afforestation = report.targets[0]
        print(afforestation.achieved ?? 0, "ha of", afforestation.value ?? 0, "—", afforestation.status.rawValue)
        for l in afforestation.localities {
            print(l.name, l.achieved, l.quota ?? 0, l.percent ?? 0)
        }
        #expect(afforestation.value == 617.7)
        // Province total = sum over districts.
        #expect(abs((afforestation.achieved ?? 0) - afforestation.localities.reduce(0) { $0 + $1.achieved }) < 1e-9)

        // — Write a map and GeoJSON
        let svg = try MapRenderer(dataset: data).provinceMap(afforestation, asOf: report.asOf)
        try OutputFile.write(svg, to: dir.appendingPathComponent("afforestation.svg").path)

        let geojson = ProgressOutput.render(report, as: .geojson, localities: data.localities)
        try OutputFile.write(geojson, to: dir.appendingPathComponent("afforestation.geojson").path)
        #expect(
            try String(contentsOf: dir.appendingPathComponent("afforestation.svg"), encoding: .utf8).hasPrefix("<?xml"))
        let back =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("afforestation.geojson"))) as? [String: Any]
        #expect((back?["features"] as? [Any])?.count == 12)

        // — Stream a large project source
        let manifest = try Manifest.load(Dataset.defaultManifestPath())
        var plots = 0
        var hectares = 0.0
        let stream = Dataset.streamProjects(manifest: manifest, source: "forest-plots.gpkg")
        for try await plot in stream where plot.status == .completed {
            plots += 1
            hectares += plot.areaHa
        }
        print(plots, "completed plots,", hectares, "ha")
        for warning in stream.warnings { print(warning) }
        // The same plots and hectares as the loaded dataset's completed forest plots.
        let loaded = data.projects.filter { $0.source.hasSuffix("forest-plots.gpkg") && $0.status == .completed }
        #expect(plots == loaded.count && plots > 0)
        #expect(abs(hectares - loaded.reduce(0) { $0 + $1.areaHa }) < 1e-6 * hectares)

        // — Handle errors
        var caught: GeoMonitorError?
        do {
            _ = try data.localities.find("Atlantis")
        } catch let error as GeoMonitorError where error.kind == .lookup {
            print(error.message)  // no locality matches 'Atlantis'; closest: …
            caught = error
        }
        #expect(caught?.message.contains("no locality matches 'Atlantis'") == true)
    }
}
