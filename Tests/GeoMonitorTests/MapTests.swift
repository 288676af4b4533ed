import Foundation
import GeoMonitor
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Collects elements and attributes of an SVG with a real XML parser.
final class SVGScan: NSObject, XMLParserDelegate {
    var elements: [(name: String, attrs: [String: String])] = []
    var texts: [String] = []
    private var inText = false
    private var current = ""
    func parser(
        _ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append((name, attributes))
        if name == "text" {
            inText = true
            current = ""
        }
    }
    func parser(_ p: XMLParser, foundCharacters s: String) { if inText { current += s } }
    func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" {
            texts.append(current)
            inText = false
        }
    }

    static func parse(_ svg: String) throws -> SVGScan {
        let scan = SVGScan()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = scan
        guard parser.parse() else {
            throw GeoMonitorError(.output, "SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return scan
    }
}

@Suite struct MapTests {
    static let data: Dataset = { try! Dataset.load(manifest: Dataset.defaultManifestPath()) }()
    static let asOf = try! Day(iso: "2024-12-31")

    static func provinceSVG(style: MapStyle = .standard) throws -> String {
        let progress = try ProgressEngine(dataset: data).run(asOf: asOf, targets: ["afforestation-2024"]).targets[0]
        return try MapRenderer(dataset: data, style: style).provinceMap(progress, asOf: asOf)
    }

    @Test func provinceMapIsValidSmallAndScriptable() throws {
        let svg = try Self.provinceSVG()
        let scan = try SVGScan.parse(svg)
        // Issue 4: a province map of the districts with GeoData's projects stays under 150 KB.
        #expect(svg.utf8.count < 150_000, "\(svg.utf8.count) bytes")
        let locs = scan.elements.filter { $0.attrs["id"]?.hasPrefix("loc-") == true }
        #expect(locs.count == Self.data.localities.all.count)
        for l in locs {
            #expect(l.attrs["class"]?.contains("locality") == true)
            #expect(l.attrs["data-code"] != nil && l.attrs["data-percent"] != nil)
        }
        // Every locality and project element has a <title> child: count titles ≥ localities + projects drawn.
        let projects = scan.elements.filter { $0.attrs["id"]?.hasPrefix("prj-") == true }
        #expect(!projects.isEmpty)
        let titles = scan.elements.filter { $0.name == "title" }.count
        #expect(titles >= locs.count + projects.count + 1)
        // Every label is a locality name with its diacritics.
        let names = Set(Self.data.localities.all.map(\.name))
        #expect(names.isSubset(of: Set(scan.texts.compactMap { t in names.first { t.hasPrefix($0) } })))
        // Legend, scale bar, north arrow, title.
        for id in ["legend", "scale-bar", "north-arrow"] {
            #expect(scan.elements.contains { $0.attrs["id"] == id }, "missing \(id)")
        }
        #expect(scan.texts.contains { $0.contains("617.7") })
    }

    /// The scale bar's pixels per km equals the page distance between two points 10 km apart
    /// (geodesic, computed with PROJ's geod_direct) after projection into the map: independent of
    /// how the bar itself was computed (which uses the CRS scale at the centre).
    @Test(.enabled(if: ExternalTool.has("ogr2ogr"), "ogr2ogr not found (apt-get install gdal-bin)"))
    func scaleBarIsTrueToTheProjection() throws {
        let svg = try Self.provinceSVG()
        let scan = try SVGScan.parse(svg)
        let bar = try #require(scan.elements.first { $0.attrs["id"] == "scale-bar" })
        let pxPerKm = try #require(Double(bar.attrs["data-px-per-km"] ?? ""))
        // Two district labels' data are not enough: measure two localities' page extents against their
        // projected extents instead — the map's page scale must equal pxPerKm × ground/grid factor (≈ 1).
        // VN-2000 / TM-3 107-45 has k0 = 0.9999 on its central meridian, so within the province
        // 1 km on the ground is 0.9999–1.0003 km in the grid: pxPerKm / (page px per grid km) ∈ [0.999, 1.0005].
        let outline = try #require(scan.elements.first { $0.attrs["id"] == "outline" })
        let xs = (outline.attrs["d"] ?? "").split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }
        let pageXs = stride(from: 0, to: xs.count, by: 2).map { xs[$0] }
        let pageWidth = (pageXs.max() ?? 0) - (pageXs.min() ?? 0)
        // Grid width of the province in km, from the localities transformed with GDAL (ogr2ogr-independent: min/max of projected coordinates).
        let gridKm = try Self.gridWidthKm()
        let pagePerGridKm = pageWidth / gridKm
        #expect(pxPerKm / pagePerGridKm > 0.999 && pxPerKm / pagePerGridKm < 1.0005, "\(pxPerKm) vs \(pagePerGridKm)")
    }

    static func gridWidthKm() throws -> Double {
        // ogrinfo-free: transform the locality extents with PROJ through a manifest-free path.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gm-extent-\(UUID().uuidString).geojson")
        p.arguments = [
            "-t_srs", "EPSG:5899", "-f", "GeoJSON", out.path,
            Dataset.defaultManifestPath().replacingOccurrences(of: "manifest.yaml", with: "localities.geojson"),
        ]
        try p.run()
        p.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out) }
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as! [String: Any]
        var minX = Double.infinity
        var maxX = -Double.infinity
        for f in obj["features"] as! [[String: Any]] {
            let g = f["geometry"] as! [String: Any]
            func walk(_ a: Any) {
                if let pair = a as? [Double], pair.count >= 2 {
                    minX = min(minX, pair[0])
                    maxX = max(maxX, pair[0])
                } else if let arr = a as? [Any] {
                    arr.forEach(walk)
                }
            }
            walk(g["coordinates"]!)
        }
        return (maxX - minX) / 1000
    }

    @Test func labelsDoNotOverlap() throws {
        let svg = try Self.provinceSVG()
        let scan = try SVGScan.parse(svg)
        let labels = scan.elements.filter { $0.name == "text" && ($0.attrs["class"] ?? "").hasPrefix("label") }
        #expect(labels.count == Self.data.localities.all.count)
        // Approximate boxes: 11 px font, 0.6 em per character, two lines.
        let boxes: [(Double, Double, Double, Double)] = zip(
            labels, scan.texts.filter { t in Self.data.localities.all.contains { t.hasPrefix($0.name) } }
        ).map { l, t in
            let x = Double(l.attrs["x"]!)!
            let y = Double(l.attrs["y"]!)!
            let w = Double(t.count) * 11 * 0.5
            return (x - w / 2, y - 11, x + w / 2, y + 11)
        }
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                let a = boxes[i]
                let b = boxes[j]
                #expect(a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1, "labels \(i) and \(j) overlap")
            }
        }
    }

    @Test func hostileNamesAreEscaped() throws {
        var locs = Self.data.localities.all
        locs[0].name = "<script>alert('x')</script> & \"Đà Lạt\""
        let d = Dataset(
            manifest: Self.data.manifest, localities: LocalityDirectory(locs, province: Self.data.localities.province),
            projects: Self.data.projects)
        let progress = try ProgressEngine(dataset: d).run(asOf: Self.asOf, targets: ["afforestation-2024"]).targets[0]
        let svg = try MapRenderer(dataset: d).provinceMap(progress, asOf: Self.asOf)
        #expect(!svg.contains("<script>"))
        let scan = try SVGScan.parse(svg)
        #expect(scan.texts.contains { $0.contains("<script>alert('x')</script> & \"Đà Lạt\"") })
    }

    @Test func localityMapFramesTheLocalityWithNeighbours() throws {
        let lamHa = try Self.data.localities.find("Lâm Hà")
        let svg = try MapRenderer(dataset: Self.data).localityMap(lamHa, progress: nil, asOf: Self.asOf)
        let scan = try SVGScan.parse(svg)
        #expect(scan.elements.contains { $0.attrs["id"] == "focus-outline" })
        let context = scan.elements.filter { ($0.attrs["class"] ?? "").contains("ctx-fill") }
        #expect(context.count >= 3)
        #expect(scan.texts.contains { $0.hasPrefix("Huyện Lâm Hà — ") })
    }

    @Test func printStyleLoadsAndBadStylesAreRejected() throws {
        let root = URL(fileURLWithPath: Dataset.defaultManifestPath()).deletingLastPathComponent()
            .deletingLastPathComponent()
        let print = try MapStyle.load(root.appendingPathComponent("Styles/print.yaml").path)
        #expect(print.ramp.count == print.breaks.count + 1)
        let svg = try Self.provinceSVG(style: print)
        _ = try SVGScan.parse(svg)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-style-\(UUID().uuidString).yaml")
        try "progress: {ramp: ['#fff', 'red;}</style>'], breaks: [50]}".write(
            to: bad, atomically: true, encoding: .utf8)
        #expect(throws: GeoMonitorError.self) { try MapStyle.load(bad.path) }
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert"),
            "rsvg-convert not found (apt-get install librsvg2-bin)"))
    func rendersWithRsvgConvert() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gm-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.provinceSVG().write(to: dir.appendingPathComponent("m.svg"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        p.arguments = [dir.appendingPathComponent("m.svg").path, "-o", dir.appendingPathComponent("m.png").path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let png = try Data(contentsOf: dir.appendingPathComponent("m.png"))
        #expect(png.count > 20_000)
    }
}
