import Foundation
import GeoKit
import TestSupport
import Testing

@testable import GDALKit

/// A GeoPackage read through its Arrow stream (`ArrowFeatureReader`) must give the records a
/// feature-by-feature read (`OGR_L_GetNextFeature`, the `columnar: false` path) gives: the same
/// features in the same order, the same values and geometries, the same report of text that is
/// not UTF-8 — whole, in key ranges, under an attribute or a spatial filter, with a `keep`
/// predicate and without geometries.
@Suite("GeoPackages read through GDAL's Arrow stream")
struct ArrowReadTests {
    /// 2,000 features written by GDAL from GeoJSON: integers, 64-bit integers, reals, text
    /// (ASCII, Vietnamese, legacy text shown through a code page, bytes that are not UTF-8),
    /// dates, nulls; polygons, multipolygons, points, empty and missing geometries.
    func geoPackage() throws -> (path: String, folder: URL) {
        let folder = try temporaryFolder()
        var features: [String] = []
        let names = ["Lô A", "hoàn thành", "ASCII", "hoµn thµnh", "Đắk Nông", "", "  khoảng trắng  "]
        for k in 0..<2000 {
            let x = 108.0 + Double(k % 50) * 0.01
            let y = 11.7 + Double(k / 50) * 0.01
            let geometry: String
            switch k % 9 {
            case 0: geometry = "null"
            case 1: geometry = "{\"type\":\"Polygon\",\"coordinates\":[]}"
            case 2: geometry = "{\"type\":\"Point\",\"coordinates\":[\(x),\(y)]}"
            case 3:
                geometry =
                    "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[\(x),\(y)],[\(x + 0.002),\(y)],[\(x + 0.002),\(y + 0.002)],[\(x),\(y)]]],[[[\(x + 0.004),\(y)],[\(x + 0.006),\(y)],[\(x + 0.006),\(y + 0.002)],[\(x + 0.004),\(y)]]]]}"
            default:
                geometry =
                    "{\"type\":\"Polygon\",\"coordinates\":[[[\(x),\(y)],[\(x + 0.005),\(y)],[\(x + 0.005),\(y + 0.005)],[\(x),\(y + 0.005)],[\(x),\(y)]],[[\(x + 0.001),\(y + 0.001)],[\(x + 0.002),\(y + 0.001)],[\(x + 0.002),\(y + 0.002)],[\(x + 0.001),\(y + 0.001)]]]}"
            }
            let day = String(format: "%04d-%02d-%02d", 1990 + k % 40, 1 + k % 12, 1 + k % 28)
            let name = names[k % names.count]
            let props =
                "\"n\":\(k % 11 == 0 ? "null" : String(k)),\"big\":\(Int64(k) * 10_000_000_000),\"ha\":\(k % 13 == 0 ? "null" : String(Double(k) / 7))"
                + ",\"name\":\(k % 17 == 0 ? "null" : "\"\(name)\""),\"day\":\(k % 19 == 0 ? "null" : "\"\(day)\"")"
                + ",\"status\":\"\(["done", "planned", "stalled"][k % 3])\""
            features.append("{\"type\":\"Feature\",\"properties\":{\(props)},\"geometry\":\(geometry)}")
        }
        let path = try geoPackage(
            in: folder, from: "plots.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[" + features.joined(separator: ",") + "]}")
        // What GDAL would not write, stored with SQL: text that is not UTF-8; dates that are not
        // dates (the stream gives them as day 0, a feature read as null) next to a true
        // 1970-01-01; an integer beyond 32 bits in a 32-bit column; a blob whose GeoPackage
        // header is sound but whose WKB is cut short (no geometry, read either way).
        let ds = try VectorDataset(path: path, update: true)
        for sql in [
            "UPDATE lo SET name = CAST(X'486FE06E68' AS TEXT) WHERE fid IN (5, 700)",
            "UPDATE lo SET day = 'not a date' WHERE fid = 11", "UPDATE lo SET day = '2024-13-45' WHERE fid = 12",
            "UPDATE lo SET day = 45458 WHERE fid = 13", "UPDATE lo SET day = '1970-01-01' WHERE fid = 14",
            "UPDATE lo SET n = 5000000000 WHERE fid = 9",
            "UPDATE lo SET geom = X'4750000100000000DEADBEEF' WHERE fid = 15",
        ] {
            try ds.execute(sql)
        }
        return (path, folder)
    }

    /// A GeoPackage `lo` written by GDAL (ogr2ogr) from `text`, a file `source` of `folder`
    /// (GeoJSON, or CSV with a WKT column), with `arguments` added.
    func geoPackage(in folder: URL, from source: String, _ text: String, _ arguments: [String] = []) throws -> String {
        let file = folder.appendingPathComponent(source).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent(source + ".gpkg").path
        try VectorDataset(path: file).translate(to: path, arguments: ["-f", "GPKG", "-nln", "lo"] + arguments)
        return path
    }

    /// (fid, values, geometry) of each record of a pass, and its report of text that is not UTF-8.
    typealias Pass = (records: [(Int64, [FieldValue], Geometry?)], invalid: VectorLayer.InvalidText?)

    func read(
        _ path: String, fields: [String], part: LayerPart = .all, condition: String? = nil,
        box: BoundingBox? = nil, keepEvery: Int? = nil, geometry: Bool = true, columnar: Bool
    ) throws -> Pass {
        let layer = try VectorDataset(path: path).layer("lo")
        let indices = try fields.map { try #require(layer.field(named: $0)).index }
        layer.setSpatialFilter(box)
        var out: [(Int64, [FieldValue], Geometry?)] = []
        let invalid = try layer.forEachFeature(
            fieldIndices: indices, part: part, where: condition,
            keep: keepEvery.map { n in { fid, _ in fid % Int64(n) != 0 } }, geometry: geometry, columnar: columnar
        ) { out.append(($0.fid, $0.values, $0.geometry)) }
        return (out, invalid)
    }

    func expectSame(_ a: Pass, _ b: Pass, _ label: String) {
        #expect(a.records.count == b.records.count, "\(label): count")
        for (x, y) in zip(a.records, b.records) where x.0 != y.0 || x.1 != y.1 || x.2 != y.2 {
            Issue.record(
                "\(label): feature \(x.0) differs: \(x.1) \(String(describing: x.2)) vs \(y.0) \(y.1) \(String(describing: y.2))"
            )
            return
        }
        #expect(a.invalid?.fid == b.invalid?.fid && a.invalid?.field == b.invalid?.field, "\(label): invalid text")
        #expect(a.invalid?.bytes == b.invalid?.bytes && a.invalid?.count == b.invalid?.count, "\(label): invalid text")
        #expect(a.invalid?.shownAsANSI == b.invalid?.shownAsANSI, "\(label): invalid text")
    }

    @Test("Every pass gives the records a feature-by-feature read gives")
    func sameRecords() throws {
        let (path, folder) = try geoPackage()
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = ["n", "big", "ha", "name", "day", "status"]
        let cases: [(String, [String], LayerPart, String?, BoundingBox?, Int?, Bool)] = [
            ("whole", all, .all, nil, nil, nil, true),
            ("two columns, reordered", ["status", "n"], .all, nil, nil, nil, true),
            ("no columns", [], .all, nil, nil, nil, true),
            ("key range", all, .fidRange(column: "fid", from: 400, to: 1_299), nil, nil, nil, true),
            ("condition", all, .all, "\"status\" IN ('done') AND \"day\" >= '2000-01-01'", nil, nil, true),
            ("condition and key range", all, .fidRange(column: "fid", from: 1, to: 999), "\"n\" > 500", nil, nil, true),
            (
                "spatial filter", all, .all, nil, BoundingBox(minX: 108.1, minY: 11.8, maxX: 108.2, maxY: 12.0), nil,
                true
            ),
            ("keep", all, .all, nil, nil, 3, true),
            ("no geometry", all, .all, nil, nil, nil, false),
        ]
        for (label, fields, part, condition, box, keep, geometry) in cases {
            let arrow = try read(
                path, fields: fields, part: part, condition: condition, box: box, keepEvery: keep, geometry: geometry,
                columnar: true)
            let classic = try read(
                path, fields: fields, part: part, condition: condition, box: box, keepEvery: keep, geometry: geometry,
                columnar: false)
            expectSame(arrow, classic, label)
            #expect(!arrow.records.isEmpty, "\(label): nothing read")
        }
        // What the file holds, read either way (feature k is fid k + 1): legacy text shown through
        // a code page is reported first (k = 3), then counted with the bytes that are not UTF-8
        // (read with a replacement character); nulls stay null, dates are dates, empty geometries nil.
        let whole = try read(path, fields: all, columnar: true)
        #expect(whole.records.count == 2000)
        #expect(whole.invalid?.fid == 4 && whole.invalid?.shownAsANSI == true && whole.invalid?.field == 3)
        #expect(whole.invalid?.count == 2 + (0..<2000).filter { $0 % 7 == 3 && $0 % 17 != 0 }.count)
        let r = Dictionary(uniqueKeysWithValues: whole.records.map { ($0.0, ($0.1, $0.2)) })
        #expect(r[5]?.0[3] == .string("Ho\u{FFFD}nh"))
        #expect(r[1]?.0[0] == .null && r[1]?.1 == nil)  // k = 0: null n, no geometry
        #expect(r[2]?.1 == nil)  // k = 1: empty polygon
        #expect(
            r[1_235]?.0 == [
                .integer(1_234), .integer(12_340_000_000_000), .real(1_234.0 / 7), .string("ASCII"),
                .date(year: 2024, month: 11, day: 3), .string("planned"),
            ])
        #expect(r[1_238]?.1?.coordinateCount == 9)  // k = 1,237: a polygon with a hole
        #expect(r[11]?.0[4] == .null && r[12]?.0[4] == .null && r[13]?.0[4] == .null)
        #expect(r[14]?.0[4] == .date(year: 1970, month: 1, day: 1))
        #expect(r[15] != nil && r[15]?.1 == nil)
    }

    @Test("The Arrow stream is what reads a GeoPackage (not the feature-by-feature fallback)")
    func streamIsUsed() throws {
        let (path, folder) = try geoPackage()
        defer { try? FileManager.default.removeItem(at: folder) }
        let layer = try VectorDataset(path: path).layer("lo")
        var n = 0
        let read = try ArrowFeatureReader.read(layer, fieldIndices: [0, 3], keep: nil, geometry: true) { _ in n += 1 }
        #expect(read != nil)
        #expect(n == 2000)
    }

    @Test("A column of a type the stream is not read for (booleans) sends the layer feature by feature")
    func booleanColumnFallsBack() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try geoPackage(
            in: folder, from: "b.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"ok\":true,\"n\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[108,12]}},{\"type\":\"Feature\",\"properties\":{\"ok\":false,\"n\":2},\"geometry\":{\"type\":\"Point\",\"coordinates\":[108.1,12]}}]}"
        )
        let layer = try VectorDataset(path: path).layer("lo")
        let ok = try #require(layer.field(named: "ok")).index
        #expect(try ArrowFeatureReader.read(layer, fieldIndices: [ok], keep: nil, geometry: true) { _ in } == nil)
        let a = try read(path, fields: ["ok", "n"], columnar: true)
        let b = try read(path, fields: ["ok", "n"], columnar: false)
        expectSame(a, b, "boolean")
        #expect(a.records.map(\.1) == [[.integer(1), .integer(1)], [.integer(0), .integer(2)]])
    }

    @Test("Curves in a GeoPackage come linearised, as a feature-by-feature read gives them")
    func curvesAreLinearised() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try geoPackage(
            in: folder, from: "c.csv",
            "id,WKT\n1,\"CURVEPOLYGON(CIRCULARSTRING(108 12,108.01 12.01,108.02 12,108.01 11.99,108 12))\"\n2,\"POLYGON((108 12,108.01 12,108.01 12.01,108 12))\"\n",
            ["-nlt", "GEOMETRY"])
        let a = try read(path, fields: ["id"], columnar: true)
        let b = try read(path, fields: ["id"], columnar: false)
        expectSame(a, b, "curves")
        #expect(a.records.count == 2)
        #expect((a.records.first?.2?.coordinateCount ?? 0) > 20)
    }

    @Test("A surface geomonitor does not read (a TIN) stops either read, naming file, layer and feature")
    func unreadableSurface() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try geoPackage(
            in: folder, from: "t.csv",
            "id,WKT\n1,\"POLYGON((108 12,108.01 12,108.01 12.01,108 12))\"\n2,\"TIN(((108 12,108.01 12,108 12.01,108 12)))\"\n",
            ["-nlt", "GEOMETRY"])
        var messages: [String] = []
        for columnar in [true, false] {
            do {
                _ = try read(path, fields: ["id"], columnar: columnar)
                Issue.record("columnar \(columnar): no error")
            } catch let e as GDALError {
                #expect(e.kind == .badGeometry && e.layer == "lo" && e.feature == 2 && e.file != nil)
                messages.append(e.description)
            }
        }
        #expect(messages.count == 2 && messages.first == messages.last)
    }

    @Test("Days since 1970 become the calendar dates GDAL counts them from")
    func dates() {
        // 1970-01-01; 54 years with 13 leap days to 2024-01-01; 2024 is a leap year.
        #expect(ArrowFeatureReader.date(daysSince1970: 0) == .date(year: 1970, month: 1, day: 1))
        #expect(ArrowFeatureReader.date(daysSince1970: 54 * 365 + 13) == .date(year: 2024, month: 1, day: 1))
        #expect(ArrowFeatureReader.date(daysSince1970: 54 * 365 + 13 + 59) == .date(year: 2024, month: 2, day: 29))
        #expect(ArrowFeatureReader.date(daysSince1970: -1) == .date(year: 1969, month: 12, day: 31))
        // Against Foundation's Gregorian calendar, every day from 1600 to 2400.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var mismatches = 0
        for n in stride(from: -135_140, through: 157_000, by: 3) {
            let c = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(n) * 86_400))
            if ArrowFeatureReader.date(daysSince1970: n) != .date(year: c.year!, month: c.month!, day: c.day!) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }
}
