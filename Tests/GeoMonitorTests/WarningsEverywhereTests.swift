import Foundation
import GeoMonitor
import TestSupport
import Testing

/// Every warning of a run reaches every output, and a few bad features among many are left out
/// with a warning rather than stopping the run (issue "Correct at the edges", items 5–6).
@Suite("Warnings in every output")
struct WarningsEverywhereTests {
    static let catalog = """
        programme: {id: t, title: "t", period: {start: 2024-01-01, end: 2024-12-31}}
        targets:
          - id: sites
            clause: "1"
            text: "sites"
            title: Sites
            unit: count
            target: {at_least: 4}
            measure: {kind: count, select: {kind: [market]}}
          - id: plots
            clause: "2"
            text: "plots"
            title: Plots
            unit: ha
            target: {at_least: 100}
            measure: {kind: sum, of: area, select: {kind: [forest_planting]}}
        """

    /// A folder with the fixture province, a catalog and the given register files; returns the manifest path.
    static func folder(manifestProjects: String, files: [String: String]) throws -> String {
        let dir = try temporaryFolder()
        try FileManager.default.copyItem(
            atPath: Fixture.path("province.geojson"), toPath: dir.appendingPathComponent("province.geojson").path)
        try catalog.write(to: dir.appendingPathComponent("catalog.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let manifest = """
            localities: {source: province.geojson, fields: {code: ma, name: ten}}
            targets: catalog.yaml
            projects:
            \(manifestProjects)
            """
        let path = dir.appendingPathComponent("manifest.yaml").path
        try manifest.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Four market sites in a CSV register, one with blank coordinates: 3 placed, and the fourth
    /// named in the JSON, CSV, Markdown, table and GeoJSON outputs and in `check`'s findings.
    @Test func aRowWithoutCoordinatesIsInEveryOutput() throws {
        let csv =
            "ma,loai,trang_thai,kinh_do,vi_do\nS-1,market,completed,108.45,11.95\nS-2,market,completed,108.55,11.95\nS-3,market,completed,,\nS-4,market,completed,108.45,12.05\n"
        let path = try Self.folder(
            manifestProjects: """
                  - source: sites.csv
                    open_options: {X_POSSIBLE_NAMES: kinh_do, Y_POSSIBLE_NAMES: vi_do}
                    crs: EPSG:4326
                    fields: {id: ma, kind: loai, status: trang_thai}
                """, files: ["sites.csv": csv])
        let d = try Dataset.load(manifest: path)
        #expect(d.projects.count == 3)
        let report = try ProgressEngine(dataset: d).run(asOf: Day(year: 2024, month: 12, day: 31)!, targets: ["sites"])
        #expect(report.targets[0].achieved == 3)
        let warning = try #require(report.warnings.first { $0.code == "no-geometry" })
        #expect(warning.message.contains("S-3"))
        for format in ProgressOutput.Format.allCases {
            let text = ProgressOutput.render(report, as: format, localities: d.localities)
            #expect(text.contains("S-3"), "\(format) output does not name S-3")
        }
        let json =
            try JSONSerialization.jsonObject(
                with: Data(ProgressOutput.render(report, as: .json, localities: d.localities).utf8)) as? [String: Any]
        let codes = (json?["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(codes.contains("no-geometry"))
        let findings = try DataCheck.run(d, assignment: SpatialAssignment(d))
        #expect(
            findings.contains {
                $0.kind == .warning && $0.message.contains("no-geometry") && $0.message.contains("S-3")
            })
    }

    static func plotsGeoJSON(count: Int, swapped: Set<Int>) -> String {
        var features: [String] = []
        for i in 0..<count {
            // 0.001° squares inside locality 672 [108.40,108.50]×[11.90,12.00].
            let x = 108.401 + Double(i % 90) * 0.001
            let y = 11.901 + Double(i / 90) * 0.001
            var ring = [(x, y), (x + 0.0005, y), (x + 0.0005, y + 0.0005), (x, y + 0.0005), (x, y)]
            if swapped.contains(i) { ring = ring.map { ($0.1, $0.0) } }
            let coords = ring.map { "[\($0.0),\($0.1)]" }.joined(separator: ",")
            features.append(
                "{\"type\":\"Feature\",\"properties\":{\"ma\":\"P-\(i)\",\"loai\":\"forest_planting\",\"trang_thai\":\"completed\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[\(coords)]]}}"
            )
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}"
    }

    static let plotsSource = """
          - source: plots.geojson
            fields: {id: ma, kind: loai, status: trang_thai}
        """

    /// 5 plots of 1,000 with longitude and latitude swapped: the 995 others count, the 5 are
    /// named in a warning with their count and the swap hint.
    @Test func aFewSwappedPlotsAreLeftOutByName() throws {
        let bad: Set<Int> = [3, 250, 500, 751, 999]
        let path = try Self.folder(
            manifestProjects: Self.plotsSource, files: ["plots.geojson": Self.plotsGeoJSON(count: 1000, swapped: bad)])
        let d = try Dataset.load(manifest: path)
        #expect(d.projects.count == 995)
        let w = try #require(d.warnings.first { $0.code == "off-earth" })
        for i in bad.sorted() { #expect(w.message.contains("P-\(i) (feature \(i))"), "\(w.message)") }
        #expect(w.message.contains("5 feature(s) left out"))
        #expect(w.message.contains("longitude and latitude look swapped"))
        let report = try ProgressEngine(dataset: d).run(asOf: Day(year: 2024, month: 12, day: 31)!, targets: ["plots"])
        #expect(report.warnings.contains(w))
        // The sum is the 995 plots' own areas.
        #expect(nearRel(report.targets[0].achieved ?? 0, d.projects.reduce(0) { $0 + $1.areaHa }, 1e-9))
    }

    /// Every plot off the Earth is the source's CRS or axis order, not a few features: an error
    /// naming the first project.
    @Test func allPlotsOffTheEarthIsAnError() throws {
        let path = try Self.folder(
            manifestProjects: Self.plotsSource,
            files: ["plots.geojson": Self.plotsGeoJSON(count: 20, swapped: Set(0..<20))])
        #expect {
            try Dataset.load(manifest: path)
        } throws: { error in
            guard let e = error as? GeoMonitorError else { return false }
            return e.kind == .crs && e.description.contains("all 20 feature(s)")
                && e.description.contains("P-0 (feature 0)") && e.key == "projects[0].crs"
        }
    }

    /// `--strict` makes the same run an error before anything is written; without it, exit 0 and
    /// the warning in the JSON.
    @Test(.enabled(if: CLIBinary.path != nil, "needs the geomonitor binary next to the tests"))
    func strictStopsOnAWarning() throws {
        let path = try Self.folder(
            manifestProjects: Self.plotsSource, files: ["plots.geojson": Self.plotsGeoJSON(count: 100, swapped: [7])])
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        let out = dir.appendingPathComponent("p.json").path
        let lenient = try CLIBinary.run(
            ["progress", "--manifest", path, "--as-of", "2024-12-31", "--format", "json", "--out", out], cwd: dir)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("\"off-earth\""))
        try FileManager.default.removeItem(atPath: out)
        let strict = try CLIBinary.run(
            ["progress", "--manifest", path, "--as-of", "2024-12-31", "--format", "json", "--out", out, "--strict"],
            cwd: dir)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("--strict") && strict.stderr.contains("P-7 (feature 7)"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
