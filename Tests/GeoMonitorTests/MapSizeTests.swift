import Foundation
import GeoMonitor
import Testing

/// Lean markup: a province map of 1,000 individually drawn plots, each with its tooltip, stays
/// under 150 KB (it was 287 KB).
@Suite struct MapSizeTests {
    /// GeoData with its forest plots copied to 1,000 plots (each copy shifted by a few hundred
    /// metres, ids made unique), all completed in 2024.
    static func thousandPlots() -> Dataset {
        let d = MapTests.data
        let plots = d.projects.filter {
            $0.kind == .forestPlanting && $0.status == .completed && ($0.date.map { $0.year == 2024 } ?? false)
        }
        var out: [Project] = d.projects.filter { $0.kind != .forestPlanting }
        var n = 0
        for copy in 0..<8 where n < 1000 {
            for p in plots where n < 1000 {
                var q = p
                let dx = Double(copy % 3 - 1) * 0.002
                let dy = Double(copy / 3 - 1) * 0.002
                q.geometry = p.geometry.mapCoordinates { Coordinate($0.x + dx, $0.y + dy) }
                q.id = "\(p.id)-\(copy)"
                q.name = q.id
                out.append(q)
                n += 1
            }
        }
        return Dataset(manifest: d.manifest, localities: d.localities, projects: out)
    }

    @Test func thousandPlotsWithTooltipsUnder150KB() throws {
        let d = Self.thousandPlots()
        let p = try ProgressEngine(dataset: d).run(asOf: MapTests.asOf, targets: ["afforestation-2024"]).targets[0]
        let vi = try Language.load("vi")
        for lang in [Language.english, vi] {
            let svg = try MapRenderer(dataset: d, language: lang).provinceMap(p, asOf: MapTests.asOf)
            let scan = try SVGScan.parse(svg)
            let drawn = scan.elements.filter { $0.attrs["id"]?.hasPrefix("prj-") == true }
            #expect(drawn.count >= 900, "\(drawn.count) plots drawn")
            #expect(svg.utf8.count <= 150_000, "\(lang.code): \(svg.utf8.count) bytes for \(drawn.count) plots")
            // Every plot keeps a tooltip with its own figures: one <title> per plot (plus groups,
            // localities and the document).
            #expect(scan.elements.filter { $0.name == "title" }.count >= drawn.count + d.localities.all.count + 1)
            let plot = try #require(d.projects.first { $0.id.hasSuffix("-3") && $0.kind == .forestPlanting })
            #expect(svg.contains(">\(plot.id); \(lang.date(plot.date!)); \(lang.number(plot.areaHa, 2)) ha"))
        }
    }
}
