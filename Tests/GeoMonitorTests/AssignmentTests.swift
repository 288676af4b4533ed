import Foundation
import GeoMonitor
import TestSupport
import Testing

/// Shares of the hand-made border crossers of Fixtures/projects.geojson in the fixture province:
///
///       C 675 [108.40,108.50]×[12.00,12.10]
///       A 672 [108.40,108.50]×[11.90,12.00]   B 677 [108.50,108.60]×[11.90,12.00]
///
/// Shares are worked out by hand (symmetry, proportions); areas and lengths of the pieces are
/// geographiclib 2.1 (Geodesic.WGS84.Polygon / Inverse) on the pieces' corners. Tolerances: shares
/// 1e-6, measures 0.01 %.
@Suite("Spatial assignment")
struct AssignmentTests {
    let data: Dataset
    let assignment: SpatialAssignment

    init() throws {
        data = try Fixture.load("province.yaml")
        assignment = try SpatialAssignment(data)
    }

    func shares(_ id: String) -> [String: LocalityShare] {
        guard let i = data.projects.firstIndex(where: { $0.id == id }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: assignment.shares[i].map { ($0.code, $0) })
    }

    func outside(_ id: String) -> Double {
        guard let i = data.projects.firstIndex(where: { $0.id == id }) else { return .nan }
        return assignment.outside[i]
    }

    @Test func localityAreas() throws {
        // geographiclib: A = B = 120492347.16531563 m² (same latitudes), C = 120448800.11926842 m² (further north, smaller).
        #expect(nearRel(try #require(data.localities[code: "672"]).areaHa, 12049.234716531563, 1e-4))
        #expect(nearRel(try #require(data.localities[code: "677"]).areaHa, 12049.234716531563, 1e-4))
        #expect(nearRel(try #require(data.localities[code: "675"]).areaHa, 12044.880011926842, 1e-4))
    }

    /// TR-01 [108.49,108.51]×[11.95,11.96] is the mirror image of itself about the A|B border at
    /// 108.50: half each. Each half 1204901.6656985283 m² (geographiclib; both halves alike).
    @Test func squareHalfInEachLocality() {
        let s = shares("TR-01")
        #expect(Set(s.keys) == ["672", "677"])
        #expect(near(s["672"]?.share ?? 0, 0.5, 1e-6))
        #expect(near(s["677"]?.share ?? 0, 0.5, 1e-6))
        #expect(nearRel(s["672"]?.areaHa ?? 0, 120.49016656985283, 1e-4))
        #expect(nearRel(s["677"]?.areaHa ?? 0, 120.49016656985283, 1e-4))
        #expect(outside("TR-01") == 0)
        // the whole plot: geographiclib 2409803.3474988937 m²
        #expect(nearRel(data.project("TR-01")?.areaHa ?? 0, 240.98033474988937, 1e-4))
    }

    /// TR-02 lies wholly inside A: one share of 1 with the whole area (1205031.6606912613 m²).
    @Test func plotInsideOneLocality() {
        let s = shares("TR-02")
        #expect(Set(s.keys) == ["672"])
        #expect(s["672"]?.share == 1)
        #expect(nearRel(s["672"]?.areaHa ?? 0, 120.50316606912613, 1e-4))
    }

    /// DG-01 runs up the meridian 108.45 from 11.99 to 12.03 and crosses A|C at 12.00:
    /// 0.01° of 0.04° in A (¼), 0.03° in C (¾). Lengths (geographiclib): 1106.2225069932215 m and
    /// 3318.6722561882084 m — by hand M·Δφ = 6 338 188 m · 0.01·π/180 = 1106.22 m for the first.
    @Test func roadCrossingAtAKnownFraction() {
        let s = shares("DG-01")
        #expect(Set(s.keys) == ["672", "675"])
        #expect(near(s["672"]?.share ?? 0, 0.25, 1e-6))
        #expect(near(s["675"]?.share ?? 0, 0.75, 1e-6))
        #expect(nearRel(s["672"]?.lengthKm ?? 0, 1.1062225069932215, 1e-4))
        #expect(nearRel(s["675"]?.lengthKm ?? 0, 3.3186722561882084, 1e-4))
        #expect(s["672"]?.areaHa == 0)
    }

    @Test func pointInOneLocality() {
        let s = shares("CH-01")
        #expect(Set(s.keys) == ["677"])
        #expect(s["677"]?.share == 1)
    }

    /// TR-03 [108.59,108.61]×[11.91,11.92]: the east half is past the province's edge at 108.60.
    @Test func plotHalfOutsideTheProvince() {
        let s = shares("TR-03")
        #expect(Set(s.keys) == ["677"])
        #expect(near(s["677"]?.share ?? 0, 0.5, 1e-6))
        #expect(nearRel(s["677"]?.areaHa ?? 0, 120.50749205749035, 1e-4))
        #expect(near(outside("TR-03"), 0.5, 1e-6))
    }

    /// TR-04: two 0.01° squares at the same longitudes, one in A (11.98–11.99) and one in C (12.01–12.02).
    /// geographiclib: 1204771.3477184772 and 1204640.7067785263 m² — the northern one is smaller since
    /// meridians converge. Areas to 0.01 %.
    @Test func multiPolygonAcrossLocalities() {
        let s = shares("TR-04")
        #expect(Set(s.keys) == ["672", "675"])
        #expect(nearRel(s["672"]?.areaHa ?? 0, 120.47713477184772, 1e-4))
        #expect(nearRel(s["675"]?.areaHa ?? 0, 120.46407067785263, 1e-4))
    }

    /// Shares are ratios of geodesic areas: 1204771.3477184772 / (1204771.3477184772 + 1204640.7067785263)
    /// = 0.50002711054336 for A and 0.49997288945664004 for C (geographiclib). A ratio of planar areas in
    /// degrees gives 0.5 for both (two 0.01° × 0.01° squares) — wrong by 2.7e-5, growing with the
    /// latitude span of a project.
    @Test
    func multiPolygonSharesAreGeodesic() {
        let s = shares("TR-04")
        #expect(near(s["672"]?.share ?? 0, 0.50002711054336, 1e-6))
        #expect(near(s["675"]?.share ?? 0, 0.49997288945664004, 1e-6))
    }

    /// Every project's shares and the part outside add up to 1.
    @Test func sharesAddUp() {
        for (i, p) in data.projects.enumerated() {
            let total = assignment.shares[i].reduce(0) { $0 + $1.share } + assignment.outside[i]
            #expect(near(total, 1, 1e-6), "\(p.id): \(total)")
        }
    }

    /// The province's forest area is the sum over its localities: by hand from the pieces above,
    /// 672: 120.4902 + 120.5032 + 120.4771 = 361.4704674108267 ha; 677: 120.4902 + 120.5075 =
    /// 240.99765862734318 ha; 675: 120.46407067785263 ha; total 722.9321967160225 ha — which is also
    /// Σ area × (1 − outside) over the forest projects.
    @Test func provinceTotalIsSumOverLocalities() {
        var perLocality: [String: Double] = [:]
        var direct = 0.0
        for (i, p) in data.projects.enumerated() where p.kind == .forestPlanting {
            for s in assignment.shares[i] { perLocality[s.code, default: 0] += s.areaHa }
            direct += p.areaHa * (1 - assignment.outside[i])
        }
        #expect(nearRel(perLocality["672"] ?? 0, 361.4704674108267, 1e-4))
        #expect(nearRel(perLocality["677"] ?? 0, 240.99765862734318, 1e-4))
        #expect(nearRel(perLocality["675"] ?? 0, 120.46407067785263, 1e-4))
        let sum = perLocality.values.reduce(0, +)
        #expect(nearRel(sum, 722.9321967160225, 1e-4))
        #expect(nearRel(sum, direct, 1e-6))
    }
}
