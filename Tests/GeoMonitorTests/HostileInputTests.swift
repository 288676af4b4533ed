import Foundation
import GDALKit
import GeoKit
import GeoMonitor
import TestSupport
import Testing

// Issue 7, what the corpus cannot hold: inputs too big to commit (a 2 GB file, a polygon of
// 1.2 million vertices), generated into a temporary folder; the figures and bounded time of
// invalid polygons; the legacy Vietnamese encodings against reference strings.

/// A manifest over the corpus's three-square province and one project source.
func hostileManifest(_ dir: URL, source: String, extra: String = "") throws -> String {
    let common = "\(BadInputsFolder.path)/_common"
    let text =
        "localities: {source: \(common)/localities.geojson, fields: {code: ma, name: ten}}\nprojects:\n  - source: \(source)\n    fields: {id: ma, name: ten, kind: loai, status: trang_thai}\n"
        + "targets: \(common)/targets.yaml\n" + extra
    let url = dir.appendingPathComponent("manifest.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// A GeoJSON FeatureCollection of one polygon project (ring given as [x, y] pairs), written compactly.
func writePolygonProject(_ url: URL, id: String, ring: [Coordinate]) throws {
    var text =
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ma":""# + id
        + #"","ten":"x","loai":"forest_planting","trang_thai":"completed"},"geometry":{"type":"Polygon","coordinates":[["#
    text.reserveCapacity(ring.count * 26 + 300)
    for (k, c) in ring.enumerated() {
        if k > 0 { text += "," }
        text += "[\(c.x),\(c.y)]"
    }
    text += "]]}}]}"
    try text.write(to: url, atomically: false, encoding: .utf8)
}

/// A file of `bytes` zeros that uses no disk (sparse).
func sparseFile(_ url: URL, bytes: UInt64) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let h = try FileHandle(forWritingTo: url)
    try h.truncate(atOffset: bytes)
    try h.close()
}

@Suite("Hostile inputs: limits", .serialized)
struct LimitTests {
    /// A 2 GB file (sparse: no disk used) is refused before GDAL opens it, naming the file, the
    /// cap and how to raise it; raising the cap lets GDAL try (and fail on zeros) — the cap was the guard.
    @Test func twoGigabyteFileIsRefusedBeforeOpening() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try sparseFile(dir.appendingPathComponent("plots.geojson"), bytes: 2 << 30)
        let manifest = try hostileManifest(dir, source: "plots.geojson")
        var error: GeoMonitorError?
        let t = seconds { error = #expect(throws: GeoMonitorError.self) { _ = try Dataset.load(manifest: manifest) } }
        #expect(error?.kind == .limit)
        #expect(error?.key == "projects[0].source")
        let text = error?.description ?? ""
        for fragment in [
            "plots.geojson", "the file is 2,048 MB, more than the limit of 1,024 MB (max_file_size_mb)",
            "`limits: {max_file_size_mb: N}`", "`--limit max_file_size_mb=N`",
        ] {
            #expect(text.contains(fragment), "'\(fragment)' missing from: \(text)")
        }
        #expect(!text.contains("\n"))
        #expect(t < 2, "refusing took \(t) s")
        // `geomonitor layers` opens sources too: the same error.
        let e2 = #expect(throws: GeoMonitorError.self) {
            _ = try SourceInventory.describe(manifest: Manifest.load(manifest))
        }
        #expect(e2?.kind == .limit)

        // Raised in the manifest, the cap lets GDAL open the file: 2 GB of zeros is no vector format.
        let raised = try hostileManifest(dir, source: "plots.geojson", extra: "limits: {max_file_size_mb: 4096}\n")
        let e3 = #expect(throws: GeoMonitorError.self) { _ = try Dataset.load(manifest: raised) }
        #expect(e3?.kind == .source, "\(e3.map(String.init(describing:)) ?? "")")
    }

    /// A /vsizip/ source is measured by its archive; a folder is not measured at all.
    @Test func archivesAreMeasuredFoldersAreNot() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let zip = dir.appendingPathComponent("register.zip")
        try sparseFile(zip, bytes: 3 << 30)
        let manifest = try hostileManifest(dir, source: "/vsizip/\(zip.path)/plots.geojson")
        let e = #expect(throws: GeoMonitorError.self) { _ = try Dataset.load(manifest: manifest) }
        #expect(e?.kind == .limit)
        #expect(
            e?.description.contains("register.zip is 3,072 MB, more than the limit of 1,024 MB") == true,
            "\(e.map(String.init(describing:)) ?? "")")
        // A folder source (a shapefile folder) is never measured: the corpus case still fails as GDAL says.
        let e2 = #expect(throws: GeoMonitorError.self) {
            _ = try Dataset.load(manifest: BadInputsFolder.manifest("source-directory-not-file"))
        }
        #expect(e2?.kind == .source)
    }

    /// A polygon of 1,200,000 vertices (a 30 MB GeoJSON) is refused by the default cap, naming
    /// the feature, in bounded time; raised to 2,000,000 it loads and measures like the circle it is.
    @Test func millionVertexPolygon() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 1_200_000
        let r = 0.004
        var ring: [Coordinate] = []
        ring.reserveCapacity(n)
        for k in 0..<(n - 1) {
            let a = 2 * Double.pi * Double(k) / Double(n - 1)
            ring.append(Coordinate(108.45 + r * cos(a), 11.95 + r * sin(a)))
        }
        ring.append(ring[0])
        try writePolygonProject(dir.appendingPathComponent("big.geojson"), id: "M-1", ring: ring)
        let manifest = try hostileManifest(dir, source: "big.geojson")
        var error: GeoMonitorError?
        let t = seconds { error = #expect(throws: GeoMonitorError.self) { _ = try Dataset.load(manifest: manifest) } }
        #expect(error?.kind == .limit)
        #expect(error?.feature == "0")
        #expect(
            error?.description.contains(
                "big.geojson: layer 'big', feature 0: Polygon has 1,200,000 vertices, more than the limit of 1,000,000 (max_vertices_per_feature)"
            ) == true,
            "\(error.map(String.init(describing:)) ?? "")")
        #expect(t < 60, "refusing took \(t) s")

        let raised = try hostileManifest(
            dir, source: "big.geojson", extra: "limits: {max_vertices_per_feature: 2_000_000}\n")
        var d: Dataset?
        let t2 = try seconds { d = try Dataset.load(manifest: raised) }
        // The inscribed 1,199,999-gon of a circle: its area is the circle's to 1e-11; the circle
        // of radius r degrees at latitude φ is close to an ellipse of semi-axes r·(m per ° lon), r·(m per ° lat).
        let geod = Geodesic.wgs84
        let mLon = geod.distance(Coordinate(108.45 - 0.0005, 11.95), Coordinate(108.45 + 0.0005, 11.95)) / 0.001
        let mLat = geod.distance(Coordinate(108.45, 11.95 - 0.0005), Coordinate(108.45, 11.95 + 0.0005)) / 0.001
        let ellipseHa = Double.pi * r * mLon * r * mLat / 10_000
        let got = d?.projects.first?.areaHa ?? 0
        #expect(nearRel(got, ellipseHa, 1e-3), "area \(got) ha, expected ≈ \(ellipseHa) ha")
        #expect(d?.warnings.isEmpty == true, "\(d?.warnings ?? [])")
        #expect(t2 < 120, "loading took \(t2) s")
    }

    /// A GeoPackage of 20,001 features against a cap of 10,000: refused before its features are
    /// read when it is read in parts (the layer's own count), else at the 10,001st feature.
    @Test(.enabled(if: ExternalTool.has("ogr2ogr"), "ogr2ogr not found (apt-get install gdal-bin)"))
    func featureCapOnAGeoPackage() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = #"{"type":"FeatureCollection","name":"plots","features":["#
        for k in 0..<20_001 {
            if k > 0 { text += "," }
            text +=
                #"{"type":"Feature","properties":{"ma":"P-\#(k)","ten":"x","loai":"road","trang_thai":"planned"},"geometry":{"type":"Point","coordinates":[108.45,11.95]}}"#
        }
        text += "]}"
        let json = dir.appendingPathComponent("plots.geojson")
        let gpkg = dir.appendingPathComponent("plots.gpkg")
        try text.write(to: json, atomically: false, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
        p.arguments = ["-f", "GPKG", gpkg.path, json.path, "-a_srs", "EPSG:4326"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let manifest = try hostileManifest(
            dir, source: "plots.gpkg", extra: "limits: {max_features_per_source: 10_000}\n")
        let e = #expect(throws: GeoMonitorError.self) { _ = try Dataset.load(manifest: manifest) }
        #expect(e?.kind == .limit)
        let text2 = e?.description ?? ""
        #expect(text2.contains("plots.gpkg: layer 'plots'"), "\(text2)")
        #expect(
            text2.contains("the layer has 20,001 features, more than the limit of 10,000 (max_features_per_source)")
                || text2.contains("feature 10001: more than 10,000 features in this source (max_features_per_source)"),
            "\(text2)")
        // Streamed, the same source has no feature cap (a stream holds one batch at a time).
        var n = 0
        try Dataset.forEachProject(manifest: try Manifest.load(manifest)) { _ in n += 1 }
        #expect(n == 20_001)
    }

    /// `--limit` on the command line: overrides the manifest's cap, and a wrong setting is a usage error (exit 64).
    @Test func limitFlag() throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let ok = try CLIBinary.run(
            [
                "query", "--format", "csv", "--manifest", BadInputsFolder.manifest("limits-vertices"), "--limit",
                "max_vertices_per_feature=1000",
            ], cwd: work)
        #expect(ok.status == 0, "exit \(ok.status): \(ok.stderr)")
        #expect(ok.stdout.contains("C-2"), "\(ok.stdout)")
        let bad = try CLIBinary.run(
            ["query", "--manifest", BadInputsFolder.manifest("limits-vertices"), "--limit", "max_vertices=5"], cwd: work
        )
        #expect(bad.status == 64, "exit \(bad.status)")
        #expect(
            bad.stderr.hasPrefix(
                "geomonitor: error: key '--limit': 'max_vertices=5' is not NAME=VALUE with NAME one of max_file_size_mb, max_vertices_per_feature"
            ), "\(bad.stderr)")
        let zero = try CLIBinary.run(
            [
                "query", "--manifest", BadInputsFolder.manifest("limits-vertices"), "--limit",
                "max_vertices_per_feature=0",
            ], cwd: work)
        #expect(
            zero.status == 64
                && zero.stderr.contains("'0' for max_vertices_per_feature is not a positive whole number"),
            "\(zero.stderr)")
    }
}

@Suite("Hostile inputs: invalid polygons")
struct InvalidPolygonTests {
    let geod = Geodesic.wgs84

    func ha(_ ring: [Coordinate]) -> Double { geod.area(Polygon(exterior: ring)) / 10_000 }
    func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
        [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
    }
    func afforestation(_ d: Dataset) throws -> Double? {
        try ProgressEngine(dataset: d).run(asOf: Day(year: 2024, month: 12, day: 31)!, targets: ["afforestation"])
            .targets.first?.achieved
    }

    /// The bowtie B-2 measures 0 ha (its lobes cancel): progress counts B-1 only and says so,
    /// with the two triangles' area it would count once repaired; --repair counts them.
    @Test func bowtieInProgress() throws {
        let d = try Dataset.load(manifest: BadInputsFolder.manifest("geometry-bowtie-progress"))
        let b1 = ha(square(108.44, 11.92, 108.45, 11.93))
        let c = Coordinate(108.425, 11.925)
        let triangles =
            ha([Coordinate(108.42, 11.92), c, Coordinate(108.42, 11.93), Coordinate(108.42, 11.92)])
            + ha([c, Coordinate(108.43, 11.92), Coordinate(108.43, 11.93), c])
        let achieved = try #require(try afforestation(d))
        #expect(nearRel(achieved, b1, 1e-9), "achieved \(achieved), B-1 alone is \(b1)")
        let report = try ProgressEngine(dataset: d).run(asOf: Day(year: 2024, month: 12, day: 31)!)
        let w = try #require(report.warnings.first { $0.code == "invalid-geometry" })
        #expect(
            w.message.hasSuffix(
                "geometry-bowtie/plots.geojson: layer 'plots', feature 1: project 'B-2' has an invalid Polygon (Self-intersection at or near point 108.425 11.925); its area is counted as 0.00 ha, \(NumberText.fixed(triangles, 2)) ha once repaired; fix the source or run with --repair"
            ),
            "\(w.message)")
        let (fixed, changes) = try GeometryRepair.repair(d)
        #expect(changes.map(\.id) == ["B-2"])
        #expect(!fixed.warnings.contains { $0.code == "invalid-geometry" })
        let repaired = try #require(try afforestation(fixed))
        #expect(nearRel(repaired, b1 + triangles, 1e-6), "repaired \(repaired), expected \(b1 + triangles)")
    }

    /// A ring winding 1000 times round a square: its area as read is 1000 squares — flagged, with
    /// the figure it would have once repaired (one square); loading, progress and repair stay fast.
    @Test func windingRing() throws {
        var d: Dataset?
        var achieved: Double?
        let t = try seconds {
            d = try Dataset.load(manifest: BadInputsFolder.manifest("geometry-winding-ring"))
            achieved = try afforestation(try #require(d))
        }
        let dataset = try #require(d)
        let one = ha(square(108.42, 11.92, 108.43, 11.93))
        let r1 = ha(square(108.44, 11.92, 108.45, 11.93))
        #expect(nearRel(try #require(achieved), r1 + 1000 * one, 1e-6), "achieved \(achieved ?? -1)")
        let w = try #require(dataset.warnings.first { $0.code == "invalid-geometry" })
        #expect(
            w.message.contains(
                "feature 1: project 'R-2' has an invalid Polygon (Ring Self-intersection at or near point 108.42 11.92)"
            ), "\(w.message)")
        #expect(
            w.message.contains(
                "its area is counted as \(NumberText.fixed(1000 * one, 2)) ha, \(NumberText.fixed(one, 2)) ha once repaired"
            ), "\(w.message)")
        var repairedAchieved: Double?
        let t2 = try seconds {
            let (fixed, changes) = try GeometryRepair.repair(dataset)
            #expect(changes.count == 1)
            repairedAchieved = try afforestation(fixed)
        }
        #expect(nearRel(try #require(repairedAchieved), r1 + one, 1e-6), "repaired \(repairedAchieved ?? -1)")
        #expect(t < 5 && t2 < 5, "load + progress \(t) s, repair \(t2) s")
    }

    /// The same winding ring across a locality border cannot be split: a clear error naming it
    /// (instead of minutes of GEOS and shares that add up to nothing); with --repair it splits.
    @Test func windingRingAcrossABorder() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corners = Array(square(108.49, 11.92, 108.51, 11.93).prefix(4))
        try writePolygonProject(
            dir.appendingPathComponent("plots.geojson"), id: "R-3",
            ring: (0..<1000).flatMap { _ in corners } + [corners[0]])
        let d = try Dataset.load(manifest: try hostileManifest(dir, source: "plots.geojson"))
        var error: GeoMonitorError?
        let t = seconds { error = #expect(throws: GeoMonitorError.self) { _ = try SpatialAssignment(d) } }
        #expect(error?.kind == .geometry)
        #expect(
            error?.description.contains(
                "plots.geojson: layer 'plots', feature 0: project 'R-3': its geometry cannot be split at locality borders (it is invalid: Ring Self-intersection"
            ) == true,
            "\(error.map(String.init(describing:)) ?? "")")
        #expect(t < 5, "\(t) s")
        let (fixed, _) = try GeometryRepair.repair(d)
        let a = try SpatialAssignment(fixed)
        let half = ha(square(108.49, 11.92, 108.50, 11.93))
        #expect(a.shares[0].count == 2)
        #expect(a.shares[0].allSatisfy { nearRel($0.areaHa, half, 1e-3) }, "\(a.shares[0])")
    }

    /// A star polygon {401/200}: about 80,000 crossings. Flagged at load without a repaired figure
    /// (MakeValid would not be bounded), and --repair leaves it, saying why.
    @Test func tangledStarIsNotRepaired() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 401
        var ring = (0..<n).map { k -> Coordinate in
            let a = 2 * Double.pi * Double((k * 200) % n) / Double(n)
            return Coordinate(108.45 + 0.004 * cos(a), 11.95 + 0.004 * sin(a))
        }
        ring.append(ring[0])
        try writePolygonProject(dir.appendingPathComponent("star.geojson"), id: "S-1", ring: ring)
        var d: Dataset?
        let t = try seconds { d = try Dataset.load(manifest: try hostileManifest(dir, source: "star.geojson")) }
        let w = try #require(d?.warnings.first { $0.code == "invalid-geometry" })
        #expect(w.message.contains("project 'S-1' has an invalid Polygon (Self-intersection"), "\(w.message)")
        #expect(!w.message.contains("once repaired"), "\(w.message)")
        let (fixed, changes) = try GeometryRepair.repair(try #require(d))
        #expect(changes.isEmpty)
        #expect(
            fixed.warnings.contains {
                $0.message.contains("project 'S-1' not repaired: its edges cross more than 10,000 times")
            }, "\(fixed.warnings)")
        #expect(t < 5, "\(t) s")
    }
}

@Suite("Polygon screen and repair preparation")
struct PolygonScreenTests {
    func ring(_ pts: [(Double, Double)]) -> [Coordinate] { pts.map { Coordinate($0.0, $0.1) } }

    @Test func validPolygonsAreCleared() {
        let sq = ring([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
        #expect(PolygonScreen.clearlyValid(Polygon(exterior: sq)))
        #expect(
            PolygonScreen.clearlyValid(
                Polygon(exterior: sq, holes: [ring([(0.2, 0.2), (0.2, 0.4), (0.4, 0.4), (0.4, 0.2), (0.2, 0.2)])])))
        // Repeated points are not a fault.
        #expect(PolygonScreen.clearlyValid(Polygon(exterior: ring([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1), (0, 0)]))))
        // A 100,000-gon goes through the sweep, quickly.
        let big = (0..<100_000).map { k -> Coordinate in
            let a = 2 * Double.pi * Double(k) / 100_000
            return Coordinate(cos(a), sin(a))
        }
        #expect(PolygonScreen.clearlyValid(Polygon(exterior: big + [big[0]])))
        #expect(
            !PolygonScreen.needsValidation(
                .multiPolygon([
                    Polygon(exterior: sq), Polygon(exterior: ring([(2, 0), (3, 0), (3, 1), (2, 1), (2, 0)])),
                ])))
    }

    @Test func invalidPolygonsAreNot() {
        let bowtie = ring([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
        #expect(PolygonScreen.needsValidation(.polygon(Polygon(exterior: bowtie))))
        let spike = ring([(0, 0), (1, 0), (1, 1), (1, 2), (1, 1), (0, 1), (0, 0)])
        #expect(!PolygonScreen.clearlyValid(Polygon(exterior: spike)))
        let sq = Array(ring([(0, 0), (1, 0), (1, 1), (0, 1)]))
        let winding = (0..<1000).flatMap { _ in sq } + [sq[0]]
        #expect(!PolygonScreen.clearlyValid(Polygon(exterior: winding)))
        #expect(!PolygonScreen.clearlyValid(Polygon(exterior: ring([(0, 0), (1, 0), (1, 1), (0, 1)]))), "unclosed")
        #expect(!PolygonScreen.clearlyValid(Polygon(exterior: ring([(0, 0), (1, 1)]))), "two points")
        let outsideHole = ring([(2, 2), (2, 3), (3, 3), (3, 2), (2, 2)])
        #expect(
            !PolygonScreen.clearlyValid(
                Polygon(exterior: ring([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]), holes: [outsideHole])))
        let overlapping = [
            Polygon(exterior: ring([(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)])),
            Polygon(exterior: ring([(1, 1), (3, 1), (3, 3), (1, 3), (1, 1)])),
        ]
        #expect(PolygonScreen.needsValidation(.multiPolygon(overlapping)))
    }

    /// The winding ring's distinct edges are the square's four: rebuilt as one ring of 5 points.
    @Test func windingRingPreparesToItsSquare() throws {
        let sq = ring([(0, 0), (1, 0), (1, 1), (0, 1)])
        let winding = (0..<1000).flatMap { _ in sq } + [sq[0]]
        let p = try #require(RepairPreparation.prepared(Polygon(exterior: winding)))
        #expect(p.holes.isEmpty)
        #expect(p.exterior.count == 5)
        #expect(Set(p.exterior) == Set(sq))
        #expect(abs(Planar.signedArea(p.exterior)) == 1)
        #expect(RepairPreparation.isTractable(p))
        // A polygon without repeated edges comes back as it is.
        let bowtie = Polygon(exterior: ring([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]))
        #expect(RepairPreparation.prepared(bowtie) == bowtie)
    }
}

@Suite("Legacy Vietnamese encodings")
struct LegacyEncodingTests {
    func decode(_ e: LegacyEncoding, _ bytes: [UInt8]) -> String { e.decode(bytes) }

    /// TCVN3 as the ABC fonts' users know it in Latin-1 mojibake: "L©m §ång" is "Lâm Đồng".
    /// (TCVN 5712:1993 VN3 positions, as in UniKey's TCVN3 table and glibc's TCVN5712-1.)
    @Test func tcvn3() {
        #expect(
            sameScalars(
                decode(.tcvn3, Array("L©m §ång, §øc Träng, B¶o Léc".unicodeScalars.map { UInt8($0.value) })),
                "Lâm Đồng, Đức Trọng, Bảo Lộc"))
        #expect(sameScalars(decode(.tcvn3, [0x4C, 0xA9, 0x6D, 0x20, 0xA7, 0xE5, 0x6E, 0x67]), "Lâm Đồng"))
        // The capitals with a breve, circumflex or horn, and đ.
        #expect(
            sameScalars(
                decode(.tcvn3, [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE]),
                "ĂÂÊÔƠƯĐăâêôơưđ"))
        #expect(
            sameScalars(
                decode(.tcvn3, Array("B¸t X¸t, M\u{AD}êng Kh\u{AD}¬ng".unicodeScalars.map { UInt8($0.value) })),
                "Bát Xát, Mường Khương"))
    }

    /// VNI Windows, as its users know it in Latin-1 mojibake: "Laâm Ñoàng" is "Lâm Đồng".
    @Test func vni() {
        func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8($0.value) } }
        #expect(sameScalars(decode(.vni, latin1("Laâm Ñoàng, Ñöùc Troïng, Baûo Loäc")), "Lâm Đồng, Đức Trọng, Bảo Lộc"))
        #expect(sameScalars(decode(.vni, latin1("Xin chaøo caùc baïn")), "Xin chào các bạn"))
        // Capitals take the capital mark bytes: "ĐỒNG" = "ÑOÀNG"; ơ/ư and the tone letters of i are single bytes.
        #expect(sameScalars(decode(.vni, latin1("ÑOÀNG")), "ĐỒNG"))
        #expect(
            sameScalars(
                decode(
                    .vni,
                    latin1(
                        "Thôøi tieát, Phuù Yeân, Kieân Giang, chôï, Ñaék Laék, Laøo Cai, Ñieän Bieân, Myõ Tho, Taây Ninh, hieän, ñöôïc, Ñaø Laït, sæ, cuõng, Tónh"
                    )),
                "Thời tiết, Phú Yên, Kiên Giang, chợ, Đắk Lắk, Lào Cai, Điện Biên, Mỹ Tho, Tây Ninh, hiện, được, Đà Lạt, sỉ, cũng, Tĩnh"
            ))
    }

    @Test func names() {
        #expect(LegacyEncoding(name: "TCVN3") == .tcvn3)
        #expect(LegacyEncoding(name: "abc") == .tcvn3)
        #expect(LegacyEncoding(name: "VNI-WIN") == .vni)
        #expect(LegacyEncoding(name: "1258\n") == .cp1258)
        #expect(LegacyEncoding(name: "UTF-8") == nil)
    }

    /// Text that is not UTF-8: the guess names the one encoding under which it reads as Vietnamese.
    @Test func guess() {
        let text = "Trồng rừng Lâm Đồng"
        func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8($0.value) } }
        #expect(LegacyEncoding.guess(latin1("Trång rõng L©m §ång")) == .tcvn3)
        #expect(LegacyEncoding.guess(latin1("Troàng röøng Laâm Ñoàng")) == .vni)
        // Windows-1258: "ồ" is ô (0xF4) + combining grave (0xCC), "ừ" ư (0xFD) + 0xCC, "Đ" 0xD0.
        #expect(
            LegacyEncoding.guess([
                0x54, 0x72, 0xF4, 0xCC, 0x6E, 0x67, 0x20, 0x72, 0xFD, 0xCC, 0x6E, 0x67, 0x20, 0x4C, 0xE2, 0x6D, 0x20,
                0xD0, 0xF4, 0xCC, 0x6E, 0x67,
            ]) == .cp1258)
        #expect(
            LegacyEncoding.cp1258.decode([
                0x54, 0x72, 0xF4, 0xCC, 0x6E, 0x67, 0x20, 0x72, 0xFD, 0xCC, 0x6E, 0x67, 0x20, 0x4C, 0xE2, 0x6D, 0x20,
                0xD0, 0xF4, 0xCC, 0x6E, 0x67,
            ]) == text)
        // Not Vietnamese in any of them (German in Latin-1): no guess.
        #expect(LegacyEncoding.guess(latin1("Größe Straße")) == nil)
        #expect(LegacyEncoding.guess(Array("ascii only".utf8)) == nil)
    }
}

@Suite("Hostile inputs: streamed sources")
struct StreamedHostileInputTests {
    /// `Dataset.forEachProject` applies the same caps and reports the same warnings as a load.
    @Test func streamingKeepsTheCapsAndWarnings() throws {
        let limited = try Manifest.load(BadInputsFolder.manifest("limits-vertices"))
        let e = #expect(throws: GeoMonitorError.self) { try Dataset.forEachProject(manifest: limited) { _ in } }
        #expect(e?.kind == .limit)
        #expect(e?.feature == "1")
        #expect(
            e?.description.contains("Polygon has 200 vertices, more than the limit of 100 (max_vertices_per_feature)")
                == true)

        for (folder, code) in [
            ("geometry-winding-ring", "invalid-geometry"), ("encoding-cp1258-without-cpg", "text-encoding"),
            ("encoding-tcvn3-undeclared", "text-encoding"),
        ] {
            let m = try Manifest.load(BadInputsFolder.manifest(folder))
            var ids: [String] = []
            let warnings = try Dataset.forEachProject(manifest: m) { ids.append($0.id) }
            let loaded = try Dataset.load(m)
            #expect(ids == loaded.projects.map(\.id), "\(folder)")
            #expect(warnings.map(\.code) == [code], "\(folder): \(warnings)")
            #expect(warnings.map(\.message) == loaded.warnings.map(\.message), "\(folder)")
        }
    }

    /// `Dataset.streamProjects` delivers the same warnings with the stream, once the loop has ended.
    @Test func theStreamDeliversTheWarnings() async throws {
        for folder in ["geometry-winding-ring", "encoding-cp1258-without-cpg"] {
            let m = try Manifest.load(BadInputsFolder.manifest(folder))
            let expected = try Dataset.forEachProject(manifest: m) { _ in }
            #expect(!expected.isEmpty, "\(folder)")
            let stream = Dataset.streamProjects(manifest: m)
            #expect(stream.warnings.isEmpty)
            for try await _ in stream {}
            #expect(stream.warnings == expected, "\(folder)")
        }
    }
}
