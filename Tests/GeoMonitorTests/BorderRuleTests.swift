import Foundation
import GeoKit
import GeoMonitor
import TestSupport
import Testing

/// Ground two localities share counts once (issue: "Correct at the edges", items 1–2).
///
///     Lâm Hà 676 [108.0,108.1]×[11.8,11.9]   Đức Trọng 678 [108.1,108.2]×[11.8,11.9]
///     Di Linh 679 below both: top edge 11.8 (with a vertex at 108.1), bottom edge slanted
///                 from (108.0, 11.7) to (108.2, 11.65)
///
/// Every neighbour shares its vertices. Lengths are pyproj 3 `Geod(ellps="WGS84").line_length`
/// of the same vertices: 0.1° of latitude at 108.1 E, 11.8–11.9 N = 11.062111417723022 km;
/// (108.1, 11.8)→(108.1, 11.82) = 2.2124160526114376 km; (108.1, 11.82)→(108.15, 11.86) =
/// 7.018792035706881 km.
@Suite("Border rules")
struct BorderRuleTests {
    static func rect(_ ring: [(Double, Double)]) -> Geometry {
        .polygon(Polygon(exterior: (ring + [ring[0]]).map { Coordinate($0.0, $0.1) }))
    }

    static let localities = LocalityDirectory([
        Locality(
            code: "676", name: "Lâm Hà", geometry: rect([(108.0, 11.8), (108.1, 11.8), (108.1, 11.9), (108.0, 11.9)]),
            areaHa: 1),
        Locality(
            code: "678", name: "Đức Trọng",
            geometry: rect([(108.1, 11.8), (108.2, 11.8), (108.2, 11.9), (108.1, 11.9)]), areaHa: 1),
        Locality(
            code: "679", name: "Di Linh",
            geometry: rect([(108.0, 11.7), (108.2, 11.65), (108.2, 11.8), (108.1, 11.8), (108.0, 11.8)]), areaHa: 1),
    ])

    static func road(_ id: String, _ pts: [(Double, Double)], km: Double) -> Project {
        Project(
            id: id, name: id, kind: .road, status: .completed, date: nil,
            geometry: .lineString(pts.map { Coordinate($0.0, $0.1) }), lengthKm: km)
    }

    static func site(_ id: String, _ lon: Double, _ lat: Double) -> Project {
        Project(
            id: id, name: id, kind: .publicFacility, status: .completed, date: nil,
            geometry: .point(Coordinate(lon, lat)))
    }

    static let border = 11.062111417723022, followed = 2.2124160526114376, turned = 7.018792035706881

    @Test func aRoadOnABorderCountsOnce() throws {
        let roads = [
            Self.road("on-border", [(108.1, 11.8), (108.1, 11.9)], km: Self.border),
            Self.road(
                "follows-then-turns", [(108.1, 11.8), (108.1, 11.82), (108.15, 11.86)], km: Self.followed + Self.turned),
            Self.road("inside", [(108.05, 11.8), (108.05, 11.9)], km: Self.border),
        ]
        let a = try SpatialAssignment(projects: roads, localities: Self.localities)
        var byCode: [String: Double] = [:]
        for (k, shares) in a.shares.enumerated() {
            #expect(shares.reduce(0) { $0 + $1.share } <= 1 + 1e-9, "shares of \(roads[k].id) add up to more than 1")
            #expect(a.outside[k] < 1e-9)
            for s in shares { byCode[s.code, default: 0] += s.lengthKm }
        }
        let total = byCode.values.reduce(0, +)
        #expect(nearRel(total, 2 * Self.border + Self.followed + Self.turned, 1e-7))
        // The stretches on the Lâm Hà | Đức Trọng border go to Lâm Hà (676 sorts before 678).
        #expect(nearRel(byCode["676"] ?? 0, 2 * Self.border + Self.followed, 1e-7))
        #expect(nearRel(byCode["678"] ?? 0, Self.turned, 1e-7))
        #expect(byCode["679"] == nil)
        // The road on the border: one share, all of it on the border.
        #expect(a.shares[0].count == 1)
        #expect(nearRel(a.shares[0][0].onBorderKm, Self.border, 1e-7))
        let second = Dictionary(uniqueKeysWithValues: a.shares[1].map { ($0.code, $0) })
        #expect(nearRel(second["676"]?.onBorderKm ?? 0, Self.followed, 1e-7))
        #expect(second["678"]?.onBorderKm == 0)
        #expect(a.shares[2].map(\.onBorderKm) == [0])
    }

    @Test func queryShowsTheBorderStretch() throws {
        let roads = [
            Self.road(
                "follows-then-turns", [(108.1, 11.8), (108.1, 11.82), (108.15, 11.86)], km: Self.followed + Self.turned)
        ]
        let data = Dataset(
            manifest: try Manifest.parse(
                "localities: {source: x.geojson, fields: {code: c, name: n}}\nprojects: []\n", file: "/tmp/m.yaml"),
            localities: Self.localities, projects: roads)
        let rows = try data.query(ProjectQuery())
        let json = QueryOutput.render(rows, as: .json)
        #expect(json.contains("\"on_border_km\": 2.212416"))
        #expect(json.contains("\"on_border_km\": 0"))
    }

    /// A plot with one edge on the border lies in one locality only: no row (and no count) in the neighbour.
    @Test func aPlotEdgeOnABorderIsNoShare() throws {
        let plot = Project(
            id: "edge", name: "edge", kind: .forestPlanting, status: .completed, date: nil,
            geometry: Self.rect([(108.09, 11.85), (108.1, 11.85), (108.1, 11.86), (108.09, 11.86)]), areaHa: 120)
        let a = try SpatialAssignment(projects: [plot], localities: Self.localities)
        #expect(a.shares[0].map(\.code) == ["676"])
        #expect(a.shares[0].first?.share == 1)
    }

    /// Points on the outer edge belong to the locality whose edge it is, whichever side of the
    /// province; points on an internal border or corner to the locality whose code sorts first.
    @Test(arguments: [
        ("west side", 108.0, 11.85, "676"), ("north side", 108.15, 11.9, "678"), ("east side", 108.2, 11.75, "679"),
        ("south side (slanted edge)", 108.1, 11.675, "679"), ("north-west vertex", 108.0, 11.9, "676"),
        ("south-east vertex", 108.2, 11.65, "679"), ("north-east vertex", 108.2, 11.9, "678"),
        ("south-west vertex", 108.0, 11.7, "679"), ("three-locality corner", 108.1, 11.8, "676"),
        ("internal border 676|678", 108.1, 11.85, "676"), ("internal border 678|679", 108.15, 11.8, "678"),
        ("internal border 676|679", 108.05, 11.8, "676"), ("just outside the west side", 108.0 - 1e-6, 11.85, ""),
        ("just inside the west side", 108.0 + 1e-6, 11.85, "676"),
    ])
    func aPointOnAnEdge(_ place: String, _ lon: Double, _ lat: Double, _ expected: String) throws {
        let a = try SpatialAssignment(projects: [Self.site(place, lon, lat)], localities: Self.localities)
        #expect(a.shares[0].map(\.code) == (expected.isEmpty ? [] : [expected]), "\(place)")
        #expect(a.outside[0] == (expected.isEmpty ? 1 : 0), "\(place)")
    }

    @Test func precedenceComparesCodesAsNumbers() {
        let locs = ["677", "68", "1000", "abc", "672"].map {
            Locality(code: $0, name: $0, geometry: Self.rect([(0, 0), (1, 0), (1, 1)]), areaHa: 1)
        }
        #expect(SpatialAssignment.precedence(locs) == [2, 0, 3, 4, 1])
    }
}
