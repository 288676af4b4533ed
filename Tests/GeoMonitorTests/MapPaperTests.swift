import Foundation
import GeoMonitor
import Testing

/// Maps on paper at a true scale: the SVG sized in millimetres, the stated 1:N exact, and without
/// a scale the largest standard one that fits.
@Suite struct MapPaperTests {
    static func svg(_ paper: MapPaper) throws -> String {
        let d = MapTests.data
        let p = try ProgressEngine(dataset: d).run(asOf: MapTests.asOf, targets: ["afforestation-2024"]).targets[0]
        return try MapRenderer(dataset: d, paper: paper).provinceMap(p, asOf: MapTests.asOf)
    }

    /// Width in page pixels of the province outline's path.
    static func outlineWidth(_ scan: SVGScan) throws -> Double {
        let outline = try #require(scan.elements.first { $0.attrs["id"] == "outline" })
        let n = (outline.attrs["d"] ?? "").split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }
        let xs = stride(from: 0, to: n.count, by: 2).map { n[$0] }
        return (xs.max() ?? 0) - (xs.min() ?? 0)
    }

    @Test func statedScaleIsExactOnPaper() throws {
        let svg = try Self.svg(MapPaper(size: .a4, landscape: true, scale: 1_000_000))
        #expect(svg.contains("width=\"297mm\" height=\"210mm\" viewBox=\"0 0 1122.5 793.7\""))
        let scan = try SVGScan.parse(svg)
        let bar = try #require(scan.elements.first { $0.attrs["id"] == "scale-bar" })
        #expect(bar.attrs["data-scale"] == "1000000")
        // 1 km at 1:1,000,000 is 1 mm on paper = 96 / 25.4 CSS pixels.
        let pxPerKm = try #require(Double(bar.attrs["data-px-per-km"] ?? ""))
        #expect(abs(pxPerKm - 96 / 25.4) < 1e-3)
        // The drawn province agrees: its width on the page over its grid width (ogr2ogr) is
        // pxPerKm × the grid/ground factor (0.9999–1.0003 in VN-2000 / TM-3 over the province).
        let ratio = pxPerKm / (try Self.outlineWidth(scan) / MapTests.gridWidthKm())
        #expect(ratio > 0.999 && ratio < 1.0005, "\(ratio)")
        #expect(scan.texts.contains { $0.contains("1:1,000,000") })
    }

    /// A scale at which the province overflows the sheet would print part of it: refused with
    /// the scale that fits (the trial found 1:250,000 on A4 silently cropped to four districts).
    @Test func aScaleThatDoesNotFitIsRefused() throws {
        #expect {
            try Self.svg(MapPaper(size: .a4, landscape: true, scale: 500_000))
        } throws: { error in
            "\(error)".contains(
                "at 1:500000 the map does not fit the A4 landscape sheet; 1:1000000 is the largest standard scale that fits"
            )
        }
    }

    @Test func withoutScaleTheLargestStandardScaleThatFits() throws {
        for paper in [
            MapPaper(size: .a4, landscape: true), MapPaper(size: .a3, landscape: false),
            MapPaper(size: .a3, landscape: true),
        ] {
            let svg = try Self.svg(paper)
            let scan = try SVGScan.parse(svg)
            let n = try #require(Int(scan.elements.first { $0.attrs["id"] == "scale-bar" }?.attrs["data-scale"] ?? ""))
            let i = try #require(MapPaper.standardScales.firstIndex(of: n))
            // The map area: the page less 24 px margins, 215 px of legend, 78 px of titles and 22 px of notes.
            let areaW = paper.widthMM * 96 / 25.4 - 48 - 215
            let w = try Self.outlineWidth(scan)
            #expect(w <= areaW + 1, "\(paper): \(w) px wide in \(areaW)")
            // At the next larger standard scale the province would not fit across or down.
            if i > 0 {
                let grow = Double(n) / Double(MapPaper.standardScales[i - 1])
                let areaH = paper.heightMM * 96 / 25.4 - 48 - 78 - 22
                let extentH = try #require(Self.extentHeight(scan))
                #expect(
                    w * grow > areaW || extentH * grow > areaH,
                    "\(paper): 1:\(MapPaper.standardScales[i - 1]) would fit")
            }
        }
    }

    static func extentHeight(_ scan: SVGScan) -> Double? {
        guard let outline = scan.elements.first(where: { $0.attrs["id"] == "outline" }) else { return nil }
        let n = (outline.attrs["d"] ?? "").split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }
        let ys = stride(from: 1, to: n.count, by: 2).map { n[$0] }
        return (ys.max() ?? 0) - (ys.min() ?? 0)
    }

    @Test func scalesParse() throws {
        #expect(try MapPaper.parseScale("1:250000") == 250_000)
        #expect(try MapPaper.parseScale("1:250,000") == 250_000)
        #expect(try MapPaper.parseScale("1:250.000") == 250_000)
        #expect(throws: GeoMonitorError.self) { try MapPaper.parseScale("1:abc") }
    }
}
