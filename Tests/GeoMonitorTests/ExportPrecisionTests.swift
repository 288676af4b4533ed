import Foundation
import GDALKit
import GeoKit
import GeoMonitor
import TestSupport
import Testing

/// Rounding and simplifying never silently break a geometry (issue "Correct at the edges", item 4).
@Suite("Export precision")
struct ExportPrecisionTests {
    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .polygon(
            Polygon(exterior: [
                Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0),
            ]))
    }

    /// The polygons of a written FeatureCollection, by feature id.
    static func polygons(_ text: String) throws -> [String: Geometry] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var out: [String: Geometry] = [:]
        for f in (doc["features"] as? [[String: Any]]) ?? [] {
            let id = try #require(f["id"] as? String)
            let geometry = try #require(f["geometry"] as? [String: Any])
            func ring(_ r: Any) -> [Coordinate] { ((r as? [[Double]]) ?? []).map { Coordinate($0[0], $0[1]) } }
            func poly(_ p: Any) -> Polygon {
                let rs = (p as? [Any]) ?? []
                return Polygon(exterior: ring(rs[0]), holes: rs.dropFirst().map(ring))
            }
            switch geometry["type"] as? String {
            case "Polygon": out[id] = .polygon(poly(geometry["coordinates"] as Any))
            case "MultiPolygon": out[id] = .multiPolygon(((geometry["coordinates"] as? [Any]) ?? []).map(poly))
            default: break
            }
        }
        return out
    }

    /// An 8 m × 300 m plot and a 55 m square at 3 decimals (± 55 m): rounded, the first becomes a
    /// line and the second a 111 m square (4× the area). Both are written with the decimals they
    /// need, named in the warning; the 1 km plot stays at 3 decimals. Every written polygon is valid
    /// (GEOS) with its area within 1 % (planar shoelace of the written vs. the original positions).
    @Test func smallPlotsKeepTheDecimalsTheyNeed() throws {
        let features = [
            GeoJSONFeature(
                id: "thin", geometry: Self.box(108.4003, 11.9003, 108.4003 + 8 / 108_900, 11.9003 + 300 / 110_600),
                properties: []),
            GeoJSONFeature(
                id: "small", geometry: Self.box(108.4012, 11.9012, 108.4012 + 55 / 108_900, 11.9012 + 55 / 110_600),
                properties: []),
            GeoJSONFeature(id: "large", geometry: Self.box(108.41, 11.91, 108.42, 11.92), properties: []),
        ]
        let (writer, warning) = GeoJSONWriter(decimals: 3).keepingShapes(count: features.count, layer: "projects") {
            (features[$0].id, features[$0].geometry)
        }
        let w = try #require(warning)
        #expect(w.code == "export-precision")
        #expect(w.message.contains("at 3 decimals (±56 m)"))  // 111,320 m × 10⁻³ / 2
        #expect(
            w.message.contains("2 feature(s)") && w.message.contains("thin (") && w.message.contains("small (")
                && !w.message.contains("large"))
        let written = try Self.polygons(writer.collection(features))
        for f in features {
            let g = try #require(written[f.id])
            #expect(try OGRGeometry(g).isValid, "\(f.id) is invalid as written")
            let before = f.geometry!.polygons.reduce(0) { $0 + abs(shoelace($1.exterior)) }
            let after = g.polygons.reduce(0) { $0 + abs(shoelace($1.exterior)) }
            #expect(nearRel(after, before, 0.01), "\(f.id): area \(after) written, \(before) before")
        }
        // Without the plan, the thin plot is written as a ring of two distinct positions.
        let naive = try Self.polygons(GeoJSONWriter(decimals: 3).collection(features))
        #expect(Set(try #require(naive["thin"]).polygons[0].exterior.map { [$0.x, $0.y] }).count < 3)
    }

    /// A commune whose border with its neighbour bulges 490 m into the neighbour, with a lake
    /// (a hole) reaching into the bulge: simplified at 500 m, the border straightens and leaves the
    /// lake's tip outside the commune (a hole crossing its shell, invalid). The export repairs it
    /// and says so; every exported locality is valid.
    @Test func simplifyingNeverLeavesAnInvalidPolygon() throws {
        let u = 0.001
        func pts(_ xy: [(Double, Double)]) -> [Coordinate] { xy.map { Coordinate(108.0 + $0.0 * u, 11.0 + $0.1 * u) } }
        let shell = pts([(0, 0), (10, 0), (12, -4.4), (18, -4.4), (20, 0), (30, 0), (30, 20), (0, 20), (0, 0)])
        let lake = pts([(5, 1), (14, 1), (14, -4.2), (16, -4.2), (16, 1), (25, 1), (25, 3), (5, 3), (5, 1)])
        let coast = Locality(
            code: "24000", name: "Xã Hồ", geometry: .polygon(Polygon(exterior: shell, holes: [lake])), areaHa: 1)
        let south = pts([(0, -20), (30, -20), (30, 0), (20, 0), (18, -4.4), (12, -4.4), (10, 0), (0, 0), (0, -20)])
        let inland = Locality(
            code: "24001", name: "Xã Nội Địa", geometry: .polygon(Polygon(exterior: south)), areaHa: 1)
        #expect(try OGRGeometry(coast.geometry).isValid)
        #expect(try OGRGeometry(inland.geometry).isValid)
        let manifest = try Manifest.parse(
            "localities: {source: coast.geojson, fields: {code: c, name: n}}\nprojects: []\n", file: "/tmp/m.yaml")
        let d = Dataset(manifest: manifest, localities: LocalityDirectory([coast, inland]), projects: [])
        var warnings: [Warning] = []
        let features = try GeoJSONExport.localities(d, simplifyMetres: 500, warnings: &warnings)
        for f in features {
            #expect(try OGRGeometry(try #require(f.geometry)).isValid, "\(f.id) is invalid after simplifying")
        }
        #expect(warnings.map(\.code) == ["simplify-repaired"])
        #expect(warnings.first?.message.contains("24000 Xã Hồ") == true)
    }
}
