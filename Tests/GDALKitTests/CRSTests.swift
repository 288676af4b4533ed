import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// Transformations between the CRSs Vietnamese data arrives in, against independent PROJ runs:
/// pyproj 3.7.2 (bundling PROJ 9.5.1, `Transformer.from_crs(src, dst, always_xy=True)`) and, for each
/// case, cs2cs of the system PROJ 9.1.1 (`echo "LAT LON" | cs2cs -d 10 EPSG:4326 EPSG:…`), which agree
/// to better than 1e-6 m. PROJ's choice for VN-2000 ↔ WGS 84 is EPSG:6960 "VN-2000 to WGS 84 (2)".
/// Tolerances: 1 mm for eastings/northings, 1e-8° (≈ 1.1 mm) for degrees.
@Suite("CRS transforms")
struct CRSTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let from: String, to: String
        let input: Coordinate, expected: Coordinate
        var testDescription: String { "\(from) → \(to)" }
        var tolerance: Double { to == "EPSG:4326" || to == "EPSG:4756" ? 1e-8 : 1e-3 }
    }

    static let cases: [Case] = [
        // Đà Lạt market (108.4583 E, 11.9404 N)
        Case(
            from: "EPSG:4326", to: "EPSG:5899", input: Coordinate(108.4583, 11.9404),
            expected: Coordinate(576951.7175636574, 1320571.3253208962)),
        Case(
            from: "EPSG:5899", to: "EPSG:4326", input: Coordinate(575000, 1_320_000),
            expected: Coordinate(108.44036872200554, 11.935279750363916)),
        Case(
            from: "EPSG:4326", to: "EPSG:4756", input: Coordinate(108.4583, 11.9404),
            expected: Coordinate(108.45651215655788, 11.941428901782047)),
        Case(
            from: "EPSG:4756", to: "EPSG:4326", input: Coordinate(108.4583, 11.9404),
            expected: Coordinate(108.46008782944527, 11.939371086839554)),
        // Bảo Lộc (107.8 E, 11.55 N) in UTM 48N on VN-2000 (107.8° is 2.8° east of zone 48's meridian 105°)
        Case(
            from: "EPSG:4326", to: "EPSG:3405", input: Coordinate(107.8, 11.55),
            expected: Coordinate(805218.0308500344, 1278400.9191648902)),
        Case(
            from: "EPSG:3405", to: "EPSG:4326", input: Coordinate(700000, 1_280_000),
            expected: Coordinate(106.83590287880818, 11.572163092078016)),
        Case(
            from: "EPSG:4326", to: "EPSG:3406", input: Coordinate(108.4583, 11.9404),
            expected: Coordinate(222974.8258309191, 1321349.866125653)),
        Case(
            from: "EPSG:3406", to: "EPSG:4326", input: Coordinate(220000, 1_320_000),
            expected: Coordinate(108.43112097479352, 11.927956767591809)),
        // Same datum, projection only: 5899 → 3406 (pyproj: (221015.38992707036, 1320801.1726132259))
        Case(
            from: "EPSG:5899", to: "EPSG:3406", input: Coordinate(575000, 1_320_000),
            expected: Coordinate(221015.38992707036, 1320801.1726132259)),
    ]

    @Test(arguments: cases)
    func knownPoint(_ c: Case) throws {
        let t = try CoordinateTransform(from: SpatialReference(c.from), to: SpatialReference(c.to))
        let r = try t.transform(c.input)
        #expect(
            near(r.x, c.expected.x, c.tolerance) && near(r.y, c.expected.y, c.tolerance),
            "\(c.from)→\(c.to): got (\(r.x), \(r.y)), want (\(c.expected.x), \(c.expected.y))")
        // And back again to the input.
        let back = try CoordinateTransform(from: SpatialReference(c.to), to: SpatialReference(c.from)).transform(r)
        let tolBack = c.from == "EPSG:4326" || c.from == "EPSG:4756" ? 1e-8 : 1e-3
        #expect(near(back.x, c.input.x, tolBack) && near(back.y, c.input.y, tolBack), "round trip \(back)")
    }

    /// By hand: on a Transverse Mercator's central meridian the easting is the false easting, so
    /// (500000, N) in VN-2000 / TM-3 107-45 is at longitude 107°45' = 107.75° exactly on VN-2000,
    /// and (500000, N) in VN-2000 / UTM 49N is at longitude 111° (zone 49: 108°–114°).
    @Test func centralMeridiansByHand() throws {
        let vn2000 = try SpatialReference("EPSG:4756")
        let tm3 = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: vn2000).transform(
            Coordinate(500_000, 1_320_000))
        #expect(near(tm3.x, 107.75, 1e-9), "\(tm3)")
        let utm = try CoordinateTransform(from: SpatialReference("EPSG:3406"), to: vn2000).transform(
            Coordinate(500_000, 1_320_000))
        #expect(near(utm.x, 111.0, 1e-9), "\(utm)")
        // Northing on the meridian: N = k0 · M(φ), with M the meridian arc. pyproj gives φ = 11.937151256434001
        // for TM-3 (k0 = 0.9999) and 11.94073281132261 for UTM (k0 = 0.9996); the two differ because the
        // scale factors do: ΔN ≈ (0.9999 − 0.9996)·1 320 000 m = 396 m ≈ 396 / 110 600 m per degree ≈ 0.00358°.
        #expect(near(tm3.y, 11.937151256434001, 1e-8))
        #expect(near(utm.y, 11.94073281132261, 1e-8))
        #expect(near(utm.y - tm3.y, 396.0 / 110_600.0, 0.00002))
    }

    @Test func crsNamesAndUnits() throws {
        let s = try SpatialReference("EPSG:5899")
        #expect(s.name == "VN-2000 / TM-3 107-45")
        #expect(s.authorityCode == "EPSG:5899")
        #expect(s.isProjected && !s.isGeographic)
        #expect(s.linearUnitInMetres == 1)
        #expect(try SpatialReference("EPSG:4756").isGeographic)
    }

    @Test func unknownCRSIsAnError() {
        let e = #expect(throws: GDALError.self) { _ = try SpatialReference("EPSG:999999") }
        #expect(e?.kind == .badCRS)
        #expect(e?.description.contains("EPSG:999999") == true)
    }

    // MARK: - Sources without a CRS

    /// A shapefile without .prj: a `crs` error naming the file and the manifest key to declare it with.
    @Test func shapefileWithoutPrjNamesTheKey() throws {
        let e = #expect(throws: GeoMonitorError.self) { _ = try Fixture.load("noprj.yaml") }
        #expect(e?.kind == .crs)
        #expect(e?.key == "projects[0].crs")
        let text = e?.description ?? ""
        #expect(text.contains("projects[0].crs"), "\(text)")
        #expect(text.contains("noprj/lines.shp"), "\(text)")
    }

    @Test func localitiesWithoutCRSNameTheirKey() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: """
                    localities: {source: noprj/lines.shp, fields: {code: ma, name: ten}}
                    projects: []
                    """)
        }
        #expect(e?.kind == .crs)
        #expect(e?.key == "localities.crs")
        #expect(e?.description.contains("localities.crs") == true)
    }

    /// Declaring the CRS in the manifest is the cure: the line then measures as geographiclib says
    /// (R1: 2443.213845245613 m, Geodesic.WGS84.Inverse summed over its two segments).
    @Test func declaredCRSCures() throws {
        let data = try Fixture.load(
            yaml: """
                localities: {source: province.geojson, fields: {code: ma, name: ten}}
                projects:
                  - {source: noprj/lines.shp, crs: "EPSG:4326", kind: road, status: planned, fields: {id: ma, name: ten}}
                """)
        #expect(data.projects.map(\.id) == ["R1"])
        #expect(nearRel(data.projects[0].lengthKm, 2.443213845245613, 1e-4))
    }

    @Test func unknownDeclaredCRSNamesTheKey() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: """
                    localities: {source: province.geojson, fields: {code: ma, name: ten}}
                    projects:
                      - {source: noprj/lines.shp, crs: "EPSG:999999", kind: road, status: planned, fields: {id: ma}}
                    """)
        }
        #expect(e?.kind == .crs)
        #expect(e?.key == "projects[0].crs")
    }

    /// A wrong declared CRS is caught, not guessed at: sample.gpkg holds eastings ~574 000 and
    /// northings ~1 320 000 (EPSG:5899); declared EPSG:4326 they would be degrees far off the Earth.
    @Test func projectedDataDeclaredAsDegreesIsRejected() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: """
                    localities: {source: province.geojson, fields: {code: ma, name: ten}}
                    projects:
                      - {source: sample.gpkg, layer: sample, crs: "EPSG:4326", kind: other, status: planned, fields: {id: ma}}
                    """)
        }
        #expect(e?.kind == .crs)
        #expect(e?.description.contains("sample.gpkg") == true)
    }

    /// A 12-vertex plot ~900 m across near Đà Lạt in EPSG:5899 and its vertices in WGS 84 by
    /// pyproj 3.7.2 (`Transformer.from_crs(5899, 4326, always_xy=True)`): x, y, lon, lat.
    static let pyprojPlot: [(Double, Double, Double, Double)] = [
        (575400.0, 1320000.0, 108.44404095240262, 11.935270714229203),
        (575450.3332099679, 1320260.0, 108.4445090252696, 11.937619986683664),
        (575200.0, 1320346.4101615138, 108.44221278586164, 11.938406804767274),
        (575000.0, 1320520.0, 108.440380622459, 11.939980579879123),
        (574800.0, 1320346.4101615138, 108.43854051181835, 11.938415819370015),
        (574549.6667900321, 1320260.0, 108.4362403141672, 11.937640283192822),
        (574600.0, 1320000.0, 108.4366964886336, 11.935288738571645),
        (574549.6667900321, 1319740.0, 108.43622848746274, 11.932939448794437),
        (574800.0, 1319653.5898384862, 108.4385247017878, 11.932152680849514),
        (575000.0, 1319480.0, 108.44035682657969, 11.930578919276243),
        (575200.0, 1319653.5898384862, 108.44219689152932, 11.932143671109705),
        (575450.3332099679, 1319740.0, 108.44449705609514, 11.93291916050362),
    ]

    /// The batch transform interpolates small many-vertex geometries between PROJ-transformed box
    /// corners. Against pyproj 3.7.2 (`Transformer.from_crs(5899, 4326, always_xy=True)`) per vertex,
    /// for a 12-vertex plot ~900 m across near Đà Lạt, every vertex is within 1e-8° (≈ 1 mm); a 20 km
    /// polygon is not interpolated (matches per-vertex PROJ to 1e-12°).
    @Test func batchInterpolationStaysWithinAMillimetre() throws {
        let pyproj = Self.pyprojPlot
        let t = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: .wgs84)
        let ring = pyproj.map { Coordinate($0.0, $0.1) } + [Coordinate(pyproj[0].0, pyproj[0].1)]
        let big = ring.map { Coordinate(575000 + ($0.x - 575000) * 25, 1_320_000 + ($0.y - 1_320_000) * 25) }
        var batch: [Geometry?] = [.polygon(Polygon(exterior: ring)), .polygon(Polygon(exterior: big))]
        #expect(t.transform(batch: &batch, range: 0..<2).isEmpty)
        let got = batch[0]?.polygons.first?.exterior ?? []
        #expect(got.count == 13)
        for (k, c) in got.prefix(12).enumerated() {
            #expect(near(c.x, pyproj[k].2, 1e-8) && near(c.y, pyproj[k].3, 1e-8), "vertex \(k): (\(c.x), \(c.y))")
        }
        var exactBig = big
        #expect(t.transform(&exactBig) == 0)
        let gotBig = batch[1]?.polygons.first?.exterior ?? []
        #expect(gotBig.count == exactBig.count)
        for (a, b) in zip(gotBig, exactBig) { #expect(near(a.x, b.x, 1e-12) && near(a.y, b.y, 1e-12)) }
    }

    /// A batch of 1,000+ plots goes through quadratic patches. The pyproj plot above, first in a
    /// batch of 1,200 plots scattered over 60 km × 60 km, still matches pyproj to 1e-8° at every
    /// vertex; every vertex of every plot matches PROJ run vertex by vertex to 1e-9° (≈ 0.1 mm);
    /// patches were built and none was rejected.
    @Test func patchInterpolationMatchesPROJ() throws {
        let pyproj = Self.pyprojPlot
        let first = pyproj.map { Coordinate($0.0, $0.1) } + [Coordinate(pyproj[0].0, pyproj[0].1)]
        var batch: [Geometry?] = [.polygon(Polygon(exterior: first))]
        var rng = XorShift(seed: 7)
        for _ in 0..<1_199 {
            let cx = 545_000 + rng.unit * 60_000
            let cy = 1_290_000 + rng.unit * 60_000
            let r = 50 + rng.unit * 250
            let ring = (0...12).map { k -> Coordinate in
                let a = Double(k % 12) / 12 * 2 * .pi
                let rr = r * (0.7 + 0.3 * cos(3 * a))
                return Coordinate(cx + rr * cos(a), cy + rr * sin(a))
            }
            batch.append(.polygon(Polygon(exterior: ring)))
        }
        let original = batch
        let t = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: .wgs84)
        #expect(t.transform(batch: &batch, range: 0..<batch.count).isEmpty)
        let got = batch[0]?.polygons.first?.exterior ?? []
        for (k, c) in got.prefix(12).enumerated() {
            #expect(near(c.x, pyproj[k].2, 1e-8) && near(c.y, pyproj[k].3, 1e-8), "vertex \(k): (\(c.x), \(c.y))")
        }
        let exact = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: .wgs84)
        var worst = 0.0
        for (g, o) in zip(batch, original) {
            var ring = o?.polygons.first?.exterior ?? []
            #expect(exact.transform(&ring) == 0)
            for (a, b) in zip(g?.polygons.first?.exterior ?? [], ring) {
                worst = max(worst, abs(a.x - b.x), abs(a.y - b.y))
            }
        }
        #expect(worst <= 1e-9, "largest difference \(worst)°")
        #expect(t.patchStats.built > 100 && t.patchStats.rejected == 0)
    }

    /// A tolerance no interpolation can meet rejects every patch; the plots are then transformed
    /// exactly (to 1e-12° of PROJ vertex by vertex).
    @Test func rejectedPatchesFallBackToPROJ() throws {
        var batch: [Geometry?] = (0..<1_000).map { k in
            let cx = 550_000 + Double(k % 40) * 900
            let cy = 1_300_000 + Double(k / 40) * 900
            return .polygon(
                Polygon(exterior: [
                    Coordinate(cx, cy), Coordinate(cx + 300, cy), Coordinate(cx + 300, cy + 200),
                    Coordinate(cx + 150, cy + 260), Coordinate(cx, cy + 200), Coordinate(cx, cy),
                ]))
        }
        let original = batch
        let t = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: .wgs84)
        #expect(t.transform(batch: &batch, range: 0..<batch.count, tolerance: 1e-15).isEmpty)
        #expect(t.patchStats.built > 0 && t.patchStats.rejected == t.patchStats.built)
        var worst = 0.0
        for (g, o) in zip(batch, original) {
            var ring = o?.polygons.first?.exterior ?? []
            _ = t.transform(&ring)
            for (a, b) in zip(g?.polygons.first?.exterior ?? [], ring) {
                worst = max(worst, abs(a.x - b.x), abs(a.y - b.y))
            }
        }
        #expect(worst <= 1e-12, "largest difference \(worst)°")
    }

    /// Hostile coordinates in a batch big enough for patches: NaN, infinities, 1e300 and points
    /// PROJ cannot transform are reported (their coordinates become NaN), never interpolated from
    /// a patch, and the good plots around them are still transformed as PROJ does.
    @Test func hostileCoordinatesInAPatchBatch() throws {
        let good = (0..<1_100).map { k -> Geometry in
            let cx = 560_000 + Double(k % 30) * 700
            let cy = 1_300_000 + Double(k / 30) * 700
            return .polygon(
                Polygon(exterior: [
                    Coordinate(cx, cy), Coordinate(cx + 200, cy), Coordinate(cx + 100, cy + 150), Coordinate(cx, cy),
                ]))
        }
        let bad: [Geometry] = [
            .point(Coordinate(.nan, 1_300_000)), .point(Coordinate(.infinity, 1_300_000)),
            .point(Coordinate(1e300, -1e300)),
            .polygon(
                Polygon(exterior: [
                    Coordinate(560_000, 1_300_000), Coordinate(.nan, .nan), Coordinate(560_100, 1_300_100),
                    Coordinate(560_000, 1_300_000),
                ])),
            .lineString([Coordinate(560_000, 1_300_000), Coordinate(-.infinity, 0)]),
        ]
        var batch: [Geometry?] = good + bad + [nil]
        let t = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: .wgs84)
        let failed = Set(t.transform(batch: &batch, range: 0..<batch.count))
        #expect(failed.isSuperset(of: Set(good.count..<(good.count + bad.count))), "\(failed.sorted())")
        #expect(failed.allSatisfy { $0 >= good.count })
        #expect(batch.last! == nil)
        let exact = try CoordinateTransform(from: SpatialReference("EPSG:5899"), to: .wgs84)
        for k in stride(from: 0, to: good.count, by: 97) {
            var ring = good[k].polygons[0].exterior
            #expect(exact.transform(&ring) == 0)
            for (a, b) in zip(batch[k]?.polygons[0].exterior ?? [], ring) {
                #expect(near(a.x, b.x, 1e-9) && near(a.y, b.y, 1e-9))
            }
        }
    }
}
