import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// RFC 7946 output, checked by parsing it back (JSONSerialization) and by reading it with GDAL.
@Suite("GeoJSON writer")
struct GeoJSONWriterTests {
    // Exterior wound clockwise (up the west side first), hole counter-clockwise: both the wrong way for RFC 7946.
    static let cwExterior = [
        Coordinate(108.0, 11.0), Coordinate(108.0, 11.1), Coordinate(108.1, 11.1), Coordinate(108.1, 11.0),
        Coordinate(108.0, 11.0),
    ]
    static let ccwHole = [
        Coordinate(108.02, 11.02), Coordinate(108.04, 11.02), Coordinate(108.04, 11.04), Coordinate(108.02, 11.04),
        Coordinate(108.02, 11.02),
    ]

    static let features: [GeoJSONFeature] = [
        GeoJSONFeature(
            id: "poly", geometry: .polygon(Polygon(exterior: cwExterior, holes: [ccwHole])),
            properties: [("name", .string("Rừng thông Đà Lạt")), ("area_ha", .number(12.5))]),
        GeoJSONFeature(
            id: "pt", geometry: .point(Coordinate(108.123456789, 11.98765432149)),
            properties: [("name", .string("Chợ"))]),
        GeoJSONFeature(
            id: "multi",
            geometry: .multiPolygon([
                Polygon(exterior: cwExterior.map { Coordinate($0.x - 1, $0.y) }),
                Polygon(exterior: Array(cwExterior.reversed()).map { Coordinate($0.x, $0.y - 1) }),
            ]),
            properties: []),
        GeoJSONFeature(id: "none", geometry: nil, properties: [("note", .null)]),
    ]

    static func coords(_ any: Any?) -> [Coordinate] {
        ((any as? [[Double]]) ?? []).map { Coordinate($0[0], $0[1]) }
    }

    func document() throws -> [String: Any] {
        let text = GeoJSONWriter().collection(Self.features, name: "test")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func windingOrder() throws {
        let doc = try document()
        let feats = try #require(doc["features"] as? [[String: Any]])
        let poly = try #require((feats[0]["geometry"] as? [String: Any])?["coordinates"] as? [Any])
        #expect(poly.count == 2)
        let ext = Self.coords(poly[0])
        let hole = Self.coords(poly[1])
        // shoelace (TestSupport): exterior 0.1° × 0.1° = +0.01 deg² (CCW), hole 0.02² = −0.0004 (CW).
        #expect(near(shoelace(ext), 0.01, 1e-9), "\(shoelace(ext))")
        #expect(near(shoelace(hole), -0.0004, 1e-9), "\(shoelace(hole))")
        #expect(ext.first == ext.last && hole.first == hole.last)
        let multi = try #require((feats[2]["geometry"] as? [String: Any])?["coordinates"] as? [[Any]])
        #expect(multi.count == 2)
        for part in multi { #expect(shoelace(Self.coords(part[0])) > 0) }
    }

    /// 7 decimals: 108.123456789 → 108.1234568 (…67|89 rounds up), 11.98765432149 → 11.9876543 (…43|2149 rounds down).
    @Test func sevenDecimals() throws {
        let text = GeoJSONWriter().collection(Self.features)
        #expect(text.contains("[108.1234568,11.9876543]"), "\(text)")
        #expect(!text.contains("108.123456789"))
        let feats = try #require(try document()["features"] as? [[String: Any]])
        let pt = try #require((feats[1]["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        #expect(pt == [108.1234568, 11.9876543])
        // Whole numbers come out without a fraction: 108.0 → 108
        #expect(text.contains("[108,11]"))
    }

    /// Collection bbox by hand: x from 107.0 (multi, shifted −1°) to 108.1234568, y from 10.0 (multi, −1°) to 11.9876543.
    @Test func bboxesIdsAndNoCRS() throws {
        let doc = try document()
        #expect(doc["type"] as? String == "FeatureCollection")
        #expect(doc["name"] as? String == "test")
        #expect(doc["crs"] == nil)
        #expect(doc["bbox"] as? [Double] == [107, 10, 108.1234568, 11.9876543])
        let feats = try #require(doc["features"] as? [[String: Any]])
        #expect(feats.map { $0["id"] as? String } == ["poly", "pt", "multi", "none"])
        #expect(feats[0]["bbox"] as? [Double] == [108, 11, 108.1, 11.1])
        #expect(feats[1]["bbox"] as? [Double] == [108.1234568, 11.9876543, 108.1234568, 11.9876543])
        #expect(feats[3]["geometry"] is NSNull)
        #expect(feats[3]["bbox"] == nil)
        for f in feats {
            #expect(f["type"] as? String == "Feature")
            #expect(f["crs"] == nil)
            #expect(f["properties"] is [String: Any])
        }
        let props = try #require(feats[0]["properties"] as? [String: Any])
        #expect(sameScalars(props["name"] as? String ?? "", "Rừng thông Đà Lạt"))
        #expect(props["area_ha"] as? Double == 12.5)
    }

    /// GDAL reads the file back: same features, geometries and text.
    @Test func readBackWithGDAL() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.geojson").path
        try OutputFile.write(GeoJSONWriter().collection(Self.features, name: "test"), to: path)
        let ds = try VectorDataset(path: path)
        #expect(ds.driverName == "GeoJSON")
        let layer = try ds.layer(nil)
        #expect(layer.featureCount == 4)
        #expect(layer.spatialReference.map { $0.isSame(as: .wgs84) } == true)
        let rows = try readFeatures(layer, fields: ["id", "name"], keyField: "id")
        #expect(Set(rows.keys) == ["poly", "pt", "multi", "none"])
        #expect(rows["none"]?.geometry == nil)
        if case .point(let c) = rows["pt"]?.geometry {
            #expect(near(c.x, 108.1234568, 1e-12) && near(c.y, 11.9876543, 1e-12))
        } else {
            Issue.record("pt is not a point")
        }
        if case .polygon(let p) = rows["poly"]?.geometry {
            #expect(p.holes.count == 1)
            #expect(shoelace(p.exterior) > 0 && shoelace(p.holes[0]) < 0)
        } else {
            Issue.record("poly is not a polygon")
        }
        if case .string(let s) = rows["poly"]?.values["name"] {
            #expect(sameScalars(s, "Rừng thông Đà Lạt"))
        } else {
            Issue.record("name")
        }
        if case .multiPolygon(let ps) = rows["multi"]?.geometry {
            #expect(ps.count == 2)
        } else {
            Issue.record("multi")
        }
    }

    /// Query rows as GeoJSON: one feature per (project, locality) with the id PROJECT@CODE.
    @Test func queryAsGeoJSON() throws {
        let data = try Fixture.load("province.yaml")
        let rows = try data.query(ProjectQuery(kinds: [.road]))
        let text = QueryOutput.render(rows, as: .geojson)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let feats = try #require(doc["features"] as? [[String: Any]])
        #expect(feats.map { $0["id"] as? String } == ["DG-01@672", "DG-01@675"])
        #expect(doc["crs"] == nil)
        // DG-01's bbox, by hand from its two vertices: [108.45, 11.99, 108.45, 12.03].
        #expect(feats[0]["bbox"] as? [Double] == [108.45, 11.99, 108.45, 12.03])
        let p = try #require(feats[1]["properties"] as? [String: Any])
        #expect(near(p["share"] as? Double ?? 0, 0.75, 1e-6))
    }

    /// RFC 8142 text sequences: one RS-prefixed feature per line.
    @Test func textSequence() throws {
        let text = GeoJSONWriter().textSequence(Array(Self.features.prefix(2)))
        let records = text.split(separator: "\u{1E}", omittingEmptySubsequences: true)
        #expect(records.count == 2)
        for r in records {
            #expect(r.hasSuffix("\n"))
            let o = try JSONSerialization.jsonObject(with: Data(r.utf8)) as? [String: Any]
            #expect(o?["type"] as? String == "Feature")
        }
    }
}
