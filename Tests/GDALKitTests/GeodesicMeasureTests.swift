import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// Geodesic areas and lengths on WGS 84 against Karney's own Python implementation
/// (geographiclib 2.1, `Geodesic.WGS84.Polygon()` / `.Inverse()`, run on the same coordinates),
/// within 0.01 %. Planar measures in EPSG:5899 against shapely 2.2.0.
@Suite("Geodesic and planar measures")
struct GeodesicMeasureTests {
    let geod = Geodesic.wgs84

    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
        [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
    }

    /// Sample P1: the 0.01° square at 108.43–108.44 E, 11.93–11.94 N less a 0.005° square hole.
    @Test func polygonWithHole() {
        let hole = [
            Coordinate(108.4325, 11.9325), Coordinate(108.4325, 11.9375), Coordinate(108.4375, 11.9375),
            Coordinate(108.4375, 11.9325), Coordinate(108.4325, 11.9325),
        ]
        let p1 = Polygon(exterior: Self.box(108.43, 11.93, 108.44, 11.94), holes: [hole])
        // geographiclib: exterior 1204988.3649144173 m², hole 301247.0910054445 m² → 903741.2739089727 m².
        // By hand (mid-latitude φ = 11.935°): width = N·cosφ·Δλ = 1089.287 m, height = M·Δφ = 1106.218 m,
        // product 1 204 988 m²; the hole is a quarter of it, so P1 ≈ ¾ · 1 204 988 = 903 741 m².
        #expect(nearRel(geod.area(.polygon(p1)), 903741.2739089727, 1e-4), "\(geod.area(.polygon(p1)))")
        #expect(nearRel(geod.area(Polygon(exterior: hole)), 301247.0910054445, 1e-4))
    }

    /// Sample P2: two 0.005° squares.
    @Test func multiPolygon() {
        let g = Geometry.multiPolygon([
            Polygon(exterior: Self.box(108.45, 11.93, 108.455, 11.935)),
            Polygon(exterior: Self.box(108.46, 11.93, 108.465, 11.935)),
        ])
        // geographiclib: 301249.797832489 + 301249.7978334427 = 602499.5956659317 m².
        #expect(nearRel(geod.area(g), 602499.5956659317, 1e-4), "\(geod.area(g))")
    }

    /// A ~1 km² square near Đà Lạt: 0.0092° × 0.009° from (108.44 E, 11.94 N).
    @Test func squareKilometreNearDaLat() {
        let sq = Polygon(exterior: Self.box(108.44, 11.94, 108.4492, 11.949))
        // geographiclib: 997696.2820627689 m².
        // By hand at φ = 11.9445°: sinφ = 0.206964, N = a/√(1−e²sin²φ) = 6 379 051.7 m, cosφ = 0.978349,
        // width = N·cosφ·(0.0092·π/180) = 1002.109 m; M = a(1−e²)/(1−e²sin²φ)^1.5 = 6 338 165.3 m,
        // height = M·(0.009·π/180) = 995.597 m; area = 997 696.3 m².
        #expect(nearRel(geod.area(sq), 997696.2820627689, 1e-4), "\(geod.area(sq))")
        // Orientation: counter-clockwise rings are positive, clockwise negative.
        #expect(geod.signedArea(sq.exterior) > 0)
        #expect(geod.signedArea(sq.exterior.reversed()) < 0)
        // The area of a ring does not depend on whether it is closed.
        #expect(nearRel(abs(geod.signedArea(Array(sq.exterior.dropLast()))), 997696.2820627689, 1e-4))
    }

    @Test func lineLengths() {
        // Sample R1: geographiclib Inverse summed over both segments = 2443.213845245613 m.
        let r1 = [Coordinate(108.43, 11.95), Coordinate(108.44, 11.955), Coordinate(108.45, 11.95)]
        #expect(nearRel(geod.length(r1), 2443.213845245613, 1e-4), "\(geod.length(r1))")
        // A meridian arc, 11.99° → 12.03° at 108.45 E: geographiclib 4424.8947631812825 m.
        // By hand: M(12.01°) = 6 338 194.9 m × 0.04·π/180 = 4424.895 m.
        let dg = [Coordinate(108.45, 11.99), Coordinate(108.45, 12.03)]
        #expect(nearRel(geod.length(.lineString(dg)), 4424.8947631812825, 1e-4))
        #expect(nearRel(geod.distance(dg[0], dg[1]), 4424.8947631812825, 1e-4))
        // Polygons have no length and lines no area.
        #expect(geod.length(.polygon(Polygon(exterior: Self.box(0, 0, 1, 1)))) == 0)
        #expect(geod.area(.lineString(dg)) == 0)
    }

    /// Going 2212.4395023783504 m due south from (108.55, 11.97) reaches (108.55, 11.95): geographiclib's
    /// Inverse between those two points.
    @Test func destination() {
        let p = geod.destination(from: Coordinate(108.55, 11.97), azimuth: 180, metres: 2212.4395023783504)
        #expect(near(p.x, 108.55, 1e-9) && near(p.y, 11.95, 1e-9), "\(p)")
    }

    /// Planar measures in VN-2000 / TM-3 107-45 against shapely 2.2.0 run on the same coordinates
    /// (read from sample.gpkg's geometry blobs with Python's sqlite3 and shapely.wkb, not through GDAL):
    /// P1 903684.2756402069 m², P2 602467.1432289842 m², R1 2443.139238236201 m.
    @Test func planarAreaInEPSG5899() throws {
        let layer = try VectorDataset(path: Fixture.path("sample.gpkg")).layer("sample")
        let rows = try readFeatures(layer, fields: ["ma"])
        let p1 = try #require(rows["P1"]?.geometry)
        let p2 = try #require(rows["P2"]?.geometry)
        let r1 = try #require(rows["R1"]?.geometry)
        #expect(nearRel(Planar.area(p1), 903684.2756402069, 1e-9), "\(Planar.area(p1))")
        #expect(nearRel(Planar.area(p2), 602467.1432289842, 1e-9), "\(Planar.area(p2))")
        #expect(nearRel(Planar.length(r1), 2443.139238236201, 1e-9), "\(Planar.length(r1))")
        // The grid is not the ground: planar / geodesic = k² with the TM scale factor at P1,
        // k ≈ k0·(1 + (Δλ·cosφ)²/2) = 0.9999 · (1 + (0.685°·π/180 · 0.97839)²/2) = 0.9999684, k² = 0.9999368.
        #expect(near(Planar.area(p1) / 903741.2739089727, 0.9999368, 2e-6))
    }

    /// Planar area by hand: a 1000 m square with a 250 m square hole, wound either way.
    @Test func planarAreaByHand() {
        let outer = Self.box(500_000, 1_320_000, 501_000, 1_321_000)
        let hole = Self.box(500_100, 1_320_100, 500_350, 1_320_350)
        // 1 000 000 − 62 500 = 937 500 m²
        #expect(Planar.area(Polygon(exterior: outer, holes: [hole])) == 937_500)
        #expect(Planar.area(Polygon(exterior: outer.reversed(), holes: [hole.reversed()])) == 937_500)
        #expect(Planar.signedArea(outer) == 1_000_000)
        #expect(Planar.signedArea(outer.reversed()) == -1_000_000)
    }
}
