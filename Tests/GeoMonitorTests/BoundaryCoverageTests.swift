import Foundation
import GeoKit
import GeoMonitor
import TestSupport
import Testing

/// Overlapping and gapped boundaries are reported, and ground two localities share counts once
/// (issue "Correct at the edges", item 3). Areas: pyproj 3 `Geod(ellps="WGS84").polygon_area_perimeter`
/// of the same corners — the strip [108.09,108.10]×[11.8,11.9] is 1,205.3550868475438 ha, the gap
/// strip [108.10,108.11]×[11.8,11.9] 1,205.3550868492364 ha, a 0.00001° strip 1.2054 ha, the plot
/// [108.085,108.095]×[11.85,11.86] 120.53337261302471 ha (60.2667 ha each side of 108.09).
@Suite("Boundary coverage")
struct BoundaryCoverageTests {
    /// Writes localities (code, name, lon/lat box) as a GeoJSON file and returns a manifest
    /// (with one GeoJSON plot source when `plots` are given).
    static func manifest(_ boxes: [(String, String, [Double])], plots: [(String, [Double])] = [], sliver: Double? = nil)
        throws -> String
    {
        let dir = try temporaryFolder()
        func ring(_ b: [Double]) -> String {
            "[[[\(b[0]),\(b[2])],[\(b[1]),\(b[2])],[\(b[1]),\(b[3])],[\(b[0]),\(b[3])],[\(b[0]),\(b[2])]]]"
        }
        let locs = boxes.map {
            "{\"type\":\"Feature\",\"properties\":{\"ma\":\"\($0.0)\",\"ten\":\"\($0.1)\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(ring($0.2))}}"
        }
        try "{\"type\":\"FeatureCollection\",\"features\":[\(locs.joined(separator: ","))]}".write(
            to: dir.appendingPathComponent("loc.geojson"), atomically: true, encoding: .utf8)
        // GDAL learns a GeoJSON layer's columns from its features: always one plot.
        let plots = plots.isEmpty ? [("p", [108.01, 108.011, 11.81, 11.811])] : plots
        let ps = plots.map {
            "{\"type\":\"Feature\",\"properties\":{\"ma\":\"\($0.0)\",\"loai\":\"forest_planting\",\"trang_thai\":\"completed\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(ring($0.1))}}"
        }
        try "{\"type\":\"FeatureCollection\",\"features\":[\(ps.joined(separator: ","))]}".write(
            to: dir.appendingPathComponent("plots.geojson"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("m.yaml").path
        try """
        localities: {source: loc.geojson, fields: {code: ma, name: ten}\(sliver.map { ", sliver_ha: \($0)" } ?? "")}
        projects:
          - {source: plots.geojson, fields: {id: ma, kind: loai, status: trang_thai}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anOverlapIsReportedWithItsAreaAndTheRule() throws {
        let path = try Self.manifest(
            [("677", "Đơn Dương", [108.09, 108.2, 11.8, 11.9]), ("672", "Đà Lạt", [108.0, 108.1, 11.8, 11.9])],
            plots: [("in-strip", [108.092, 108.098, 11.85, 11.86]), ("straddling", [108.085, 108.095, 11.85, 11.86])])
        let d = try Dataset.load(manifest: path)
        let overlaps = d.warnings.filter { $0.code == "boundary-overlap" }
        #expect(overlaps.count == 1)
        let w = try #require(overlaps.first)
        #expect(
            w.message.contains("677 Đơn Dương and 672 Đà Lạt") || w.message.contains("672 Đà Lạt and 677 Đơn Dương"))
        #expect(w.message.contains("overlap by 1,205.4 ha"), "\(w.message)")
        #expect(w.message.contains("counts once, in 672 Đà Lạt"))
        #expect(d.warnings.allSatisfy { $0.code != "boundary-gap" })
        let a = try SpatialAssignment(d)
        // The plot in the strip: once, in 672. The straddling plot: 672 has all of it (its west
        // half is 672's alone, its east half lies in both).
        for (k, p) in d.projects.enumerated() {
            #expect(a.shares[k].map(\.code) == ["672"], "\(p.id): \(a.shares[k])")
            #expect(near(a.shares[k].reduce(0) { $0 + $1.share }, 1, 1e-9))
        }
        #expect(nearRel(a.shares[1][0].areaHa, 120.53337261302471, 1e-6))
        // The overlap reaches the progress report's warnings, and check's findings.
        let findings = try DataCheck.run(d, assignment: a)
        #expect(findings.contains { $0.kind == .warning && $0.message.contains("boundary-overlap") })
    }

    /// A plot across the edge of the overlap: its part outside both localities' common strip
    /// goes to its own locality, the part in the strip to the first by code.
    @Test func aPlotAcrossTheOverlapEdgeIsSplitOnce() throws {
        let path = try Self.manifest(
            [("672", "Đà Lạt", [108.0, 108.1, 11.8, 11.9]), ("677", "Đơn Dương", [108.09, 108.2, 11.8, 11.9])],
            plots: [("across", [108.095, 108.105, 11.85, 11.86])])
        let d = try Dataset.load(manifest: path)
        let a = try SpatialAssignment(d)
        let s = Dictionary(uniqueKeysWithValues: a.shares[0].map { ($0.code, $0.share) })
        // [108.095, 108.1] is in both → 672; [108.1, 108.105] only in 677: half each.
        #expect(near(s["672"] ?? 0, 0.5, 1e-6))
        #expect(near(s["677"] ?? 0, 0.5, 1e-6))
    }

    @Test func anEnclosedGapIsReported() throws {
        let path = try Self.manifest([
            ("672", "Đà Lạt", [108.0, 108.1, 11.8, 11.9]), ("677", "Đơn Dương", [108.11, 108.2, 11.8, 11.9]),
            ("679", "Di Linh", [108.0, 108.2, 11.7, 11.8]), ("675", "Lạc Dương", [108.0, 108.2, 11.9, 12.0]),
        ])
        let d = try Dataset.load(manifest: path)
        let gaps = d.warnings.filter { $0.code == "boundary-gap" }
        #expect(gaps.count == 1)
        let w = try #require(gaps.first)
        // The scan's estimate: within 1 % of 1,205.355 ha.
        let figure = w.message.components(separatedBy: "≈ ").last?.components(separatedBy: " ha").first?
            .replacingOccurrences(of: ",", with: "")
        let ha = try #require(figure.flatMap(Double.init))
        #expect(nearRel(ha, 1205.3550868492364, 0.01), "\(w.message)")
        // Named: the localities on either side of it along the scanlines.
        for name in ["672 Đà Lạt", "677 Đơn Dương"] { #expect(w.message.contains(name)) }
        #expect(d.warnings.allSatisfy { $0.code != "boundary-overlap" })
    }

    /// A notch open to the outside is no gap; slivers under the tolerance are noise.
    @Test func slivers() throws {
        let sliver = try Dataset.load(
            manifest: Self.manifest([
                ("672", "A", [108.0, 108.10001, 11.8, 11.9]), ("677", "B", [108.1, 108.2, 11.8, 11.9]),
            ]))
        #expect(sliver.warnings.isEmpty, "\(sliver.warnings)")
        let strict = try Dataset.load(
            manifest: Self.manifest(
                [("672", "A", [108.0, 108.10001, 11.8, 11.9]), ("677", "B", [108.1, 108.2, 11.8, 11.9])], sliver: 1))
        #expect(strict.warnings.map(\.code) == ["boundary-overlap"])
        #expect(strict.warnings.first?.message.contains("1.2 ha") == true)
        let notch = try Dataset.load(
            manifest: Self.manifest([
                ("672", "A", [108.0, 108.1, 11.8, 11.9]), ("677", "B", [108.11, 108.2, 11.8, 11.9]),
                ("679", "C", [108.0, 108.2, 11.7, 11.8]),
            ]))
        #expect(notch.warnings.isEmpty, "\(notch.warnings)")
    }
}
