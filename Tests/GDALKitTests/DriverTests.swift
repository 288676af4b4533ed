import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// The sample layer as Fixtures/make_fixtures.sh writes it by hand: these literals are the source of
/// truth, every driver must give them back.
enum Sample {
    struct Feature {
        let ma: String
        let soCay: Int64
        let dienTich: Double
        let ten: String
        let ngay: (y: Int, m: Int, d: Int)
        let type: String
    }

    static let features: [Feature] = [
        Feature(ma: "P1", soCay: 1200, dienTich: 1.25, ten: "Rừng thông Đà Lạt", ngay: (2024, 3, 15), type: "Polygon"),
        Feature(
            ma: "P2", soCay: 800, dienTich: 0.5, ten: "Khoảnh 12, lô 3 – Lâm Hà", ngay: (2024, 6, 30),
            type: "MultiPolygon"),
        Feature(
            ma: "R1", soCay: 0, dienTich: 0.0, ten: "Đường Trần Hưng Đạo", ngay: (2023, 12, 29), type: "LineString"),
        Feature(ma: "S1", soCay: 25, dienTich: 0.02, ten: "Chợ Đà Lạt", ngay: (2024, 1, 1), type: "Point"),
        Feature(ma: "S2", soCay: 7, dienTich: 0.125, ten: "Hồ Xuân Hương \"cũ\"", ngay: (2024, 2, 29), type: "Point"),
    ]

    static let fieldNames = ["ma", "so_cay", "dien_tich", "ten", "ngay"]

    /// How a driver gives the date back.
    enum DateForm { case date, isoString, dmyString }

    /// Checks the attributes of the features present in `rows` against the literals above.
    static func checkAttributes(
        _ rows: [String: ReadFeature], dates: DateForm, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for f in features {
            guard let r = rows[f.ma] else { continue }
            #expect(r.values["so_cay"] == .integer(f.soCay), "\(f.ma) so_cay", sourceLocation: sourceLocation)
            #expect(r.values["dien_tich"] == .real(f.dienTich), "\(f.ma) dien_tich", sourceLocation: sourceLocation)
            if case .string(let s) = r.values["ten"] {
                // Exactly the NFC scalars written (no mojibake, no normalisation change).
                #expect(sameScalars(s, f.ten), "\(f.ma) ten = \(s)", sourceLocation: sourceLocation)
            } else {
                Issue.record("\(f.ma): ten is \(String(describing: r.values["ten"]))", sourceLocation: sourceLocation)
            }
            let d = f.ngay
            let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
            switch dates {
            case .date:
                #expect(
                    r.values["ngay"] == .date(year: d.y, month: d.m, day: d.d), "\(f.ma) ngay",
                    sourceLocation: sourceLocation)
            case .isoString:
                #expect(
                    r.values["ngay"] == .string("\(d.y)-\(two(d.m))-\(two(d.d))"), "\(f.ma) ngay",
                    sourceLocation: sourceLocation)
            case .dmyString:
                #expect(
                    r.values["ngay"] == .string("\(two(d.d))/\(two(d.m))/\(d.y)"), "\(f.ma) ngay",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// Checks geometries of features read in WGS 84 lon/lat against the coordinates written by hand.
    static func checkLonLatGeometry(_ rows: [String: ReadFeature], sourceLocation: SourceLocation = #_sourceLocation) {
        let tol = 1e-12
        for (ma, r) in rows {
            guard let g = r.geometry else {
                Issue.record("\(ma) has no geometry", sourceLocation: sourceLocation)
                continue
            }
            let expectedType = features.first { $0.ma == ma }?.type
            #expect(g.typeName == expectedType, "\(ma) is \(g.typeName)", sourceLocation: sourceLocation)
            switch (ma, g) {
            case ("P1", .polygon(let p)):
                #expect(p.holes.count == 1, sourceLocation: sourceLocation)
                let b = Geometry.lineString(p.exterior).bounds!
                #expect(
                    near(b.minX, 108.43, tol) && near(b.minY, 11.93, tol) && near(b.maxX, 108.44, tol)
                        && near(b.maxY, 11.94, tol), sourceLocation: sourceLocation)
                if let h = p.holes.first, let hb = Geometry.lineString(h).bounds {
                    #expect(
                        near(hb.minX, 108.4325, tol) && near(hb.minY, 11.9325, tol) && near(hb.maxX, 108.4375, tol)
                            && near(hb.maxY, 11.9375, tol),
                        sourceLocation: sourceLocation)
                }
            case ("P2", .multiPolygon(let ps)):
                #expect(ps.count == 2, sourceLocation: sourceLocation)
                let minXs = ps.compactMap { Geometry.polygon($0).bounds?.minX }.sorted()
                #expect(
                    minXs.count == 2 && near(minXs[0], 108.45, tol) && near(minXs[1], 108.46, tol), "\(minXs)",
                    sourceLocation: sourceLocation)
            case ("R1", .lineString(let cs)):
                let want = [Coordinate(108.43, 11.95), Coordinate(108.44, 11.955), Coordinate(108.45, 11.95)]
                #expect(
                    cs.count == 3 && zip(cs, want).allSatisfy { near($0.x, $1.x, tol) && near($0.y, $1.y, tol) },
                    "\(cs)", sourceLocation: sourceLocation)
            case ("S1", .point(let c)):
                #expect(near(c.x, 108.4583, tol) && near(c.y, 11.9404, tol), "\(c)", sourceLocation: sourceLocation)
            case ("S2", .point(let c)):
                #expect(near(c.x, 108.44, tol) && near(c.y, 11.96, tol), "\(c)", sourceLocation: sourceLocation)
            default:
                Issue.record("\(ma): unexpected geometry \(g.typeName)", sourceLocation: sourceLocation)
            }
        }
    }
}

@Suite("Drivers: the same layer in every format")
struct DriverTests {
    @Test func geoJSON() throws {
        let ds = try VectorDataset(path: Fixture.path("sample.geojson"))
        #expect(ds.driverName == "GeoJSON")
        let layer = try ds.layer(nil)
        #expect(layer.featureCount == 5)
        #expect(layer.field(named: "so_cay")?.type == .integer)
        #expect(layer.field(named: "dien_tich")?.type == .real)
        #expect(layer.field(named: "ten")?.type == .string)
        #expect(layer.field(named: "ngay")?.type == .date)
        let rows = try readFeatures(layer, fields: Sample.fieldNames)
        #expect(rows.keys.sorted() == ["P1", "P2", "R1", "S1", "S2"])
        Sample.checkAttributes(rows, dates: .date)
        Sample.checkLonLatGeometry(rows)
    }

    /// Stored in VN-2000 / TM-3 107-45: coordinates are eastings/northings.
    @Test func geoPackage() throws {
        let ds = try VectorDataset(path: Fixture.path("sample.gpkg"))
        #expect(ds.driverName == "GPKG")
        let layer = try ds.layer("sample")
        #expect(layer.featureCount == 5)
        #expect(layer.spatialReference?.authorityCode == "EPSG:5899")
        #expect([FieldType.integer, .integer64].contains(layer.field(named: "so_cay")?.type ?? .other))
        #expect(layer.field(named: "dien_tich")?.type == .real)
        #expect(layer.field(named: "ngay")?.type == .date)
        let rows = try readFeatures(layer, fields: Sample.fieldNames)
        #expect(rows.keys.sorted() == ["P1", "P2", "R1", "S1", "S2"])
        Sample.checkAttributes(rows, dates: .date)
        for f in Sample.features { #expect(rows[f.ma]?.geometry?.typeName == f.type, "\(f.ma)") }
        // Reference: pyproj 3.7.2 (PROJ 9.5.1), Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True):
        //   (108.4583, 11.9404) -> (576951.7175636574, 1320571.3253208962)
        //   (108.43, 11.93)     -> (573872.0224146986, 1319413.1718295084)   (P1's first corner)
        // cs2cs (PROJ 9.1.1) gives the same to 1e-6 m. Tolerance 1 mm.
        if case .point(let s1) = rows["S1"]?.geometry {
            #expect(near(s1.x, 576951.7175636574, 1e-3) && near(s1.y, 1320571.3253208962, 1e-3), "\(s1)")
        } else {
            Issue.record("S1 is not a point")
        }
        if case .polygon(let p1) = rows["P1"]?.geometry {
            #expect(p1.holes.count == 1)
            #expect(
                p1.exterior.contains { near($0.x, 573872.0224146986, 1e-3) && near($0.y, 1319413.1718295084, 1e-3) })
        } else {
            Issue.record("P1 is not a polygon")
        }
    }

    /// Reading a few columns leaves the others unparsed for that pass only: a read of one column,
    /// of one column under a condition, then of every column, each gives the values the full read
    /// gives (GeoPackage: SQL condition; shapefile: no condition, other columns skipped in the DBF).
    @Test(arguments: [("sample.gpkg", "sample"), ("sample_shp", "areas")])
    func unreadColumnsAreSkippedForOnePass(_ file: String, _ layerName: String) throws {
        let layer = try VectorDataset(path: Fixture.path(file)).layer(layerName)
        let all = try readFeatures(layer, fields: Sample.fieldNames)
        let one = try readFeatures(layer, fields: ["ma", "so_cay"])
        #expect(Set(one.keys) == Set(all.keys))
        for (k, r) in one { #expect(r.values["so_cay"] == all[k]?.values["so_cay"], "\(k)") }
        if layer.filtersNatively {
            let idx = try #require(layer.field(named: "ma")?.index)
            var seen: [String] = []
            try layer.forEachFeature(fieldIndices: [idx], where: "\"so_cay\" > 0") {
                seen.append($0.values[0].description)
            }
            #expect(Set(seen) == Set(all.filter { ($0.value.values["so_cay"]?.number ?? 0) > 0 }.keys))
        }
        let again = try readFeatures(layer, fields: Sample.fieldNames)
        for (k, r) in again { #expect(r.values == all[k]?.values, "\(k)") }
    }

    /// A shapefile holds one geometry type: the fixture is a folder of three, each with .prj and .cpg.
    @Test func shapefile() throws {
        let ds = try VectorDataset(path: Fixture.path("sample_shp"))
        #expect(ds.driverName == "ESRI Shapefile")
        #expect(Set(ds.layers.map(\.name)) == ["areas", "lines", "points"])
        var all: [String: ReadFeature] = [:]
        for (name, count, type) in [("areas", 2, "Polygon"), ("lines", 1, "Line String"), ("points", 2, "Point")] {
            let layer = try ds.layer(name)
            #expect(layer.featureCount == Int64(count), "\(name)")
            #expect(layer.geometryTypeName == type, "\(name)")
            #expect(layer.spatialReference.map { $0.isSame(as: .wgs84) } == true, "\(name) .prj")
            #expect(layer.field(named: "so_cay")?.type == .integer)
            #expect(layer.field(named: "dien_tich")?.type == .real)
            #expect(layer.field(named: "ngay")?.type == .date)
            all.merge(try readFeatures(layer, fields: Sample.fieldNames)) { a, _ in a }
        }
        #expect(all.keys.sorted() == ["P1", "P2", "R1", "S1", "S2"])
        // The .cpg says UTF-8: Vietnamese text comes back intact.
        Sample.checkAttributes(all, dates: .date)
        Sample.checkLonLatGeometry(all)
    }

    /// KML has no date type: the date is text. Coordinates are lon,lat,alt: the altitude is dropped.
    @Test func kml() throws {
        let ds = try VectorDataset(path: Fixture.path("sample.kml"))
        #expect(ds.driverName == "LIBKML")
        let layer = try ds.layer("sample")
        #expect(layer.featureCount == 5)
        #expect(layer.field(named: "so_cay")?.type == .integer)
        #expect(layer.field(named: "dien_tich")?.type == .real)
        #expect(layer.field(named: "ngay")?.type == .string)
        let rows = try readFeatures(layer, fields: Sample.fieldNames)
        #expect(rows.keys.sorted() == ["P1", "P2", "R1", "S1", "S2"])
        Sample.checkAttributes(rows, dates: .isoString)
        Sample.checkLonLatGeometry(rows)
    }

    /// FlatGeobuf stores dates as date-times; the reader gives the day.
    @Test func flatGeobuf() throws {
        let ds = try VectorDataset(path: Fixture.path("sample.fgb"))
        #expect(ds.driverName == "FlatGeobuf")
        let layer = try ds.layer(nil)
        #expect(layer.featureCount == 5)
        #expect(layer.spatialReference.map { $0.isSame(as: .wgs84) } == true)
        #expect(layer.field(named: "so_cay")?.type == .integer)
        #expect(layer.field(named: "dien_tich")?.type == .real)
        #expect(layer.field(named: "ngay")?.type == .dateTime)
        let rows = try readFeatures(layer, fields: Sample.fieldNames)
        #expect(rows.keys.sorted() == ["P1", "P2", "R1", "S1", "S2"])
        Sample.checkAttributes(rows, dates: .date)
        Sample.checkLonLatGeometry(rows)
    }

    /// A CSV with a WKT column; types from the .csvt sidecar, CRS from the .prj sidecar.
    @Test func csvWithWKT() throws {
        let ds = try VectorDataset(path: Fixture.path("sample_wkt.csv"))
        #expect(ds.driverName == "CSV")
        let layer = try ds.layer(nil)
        #expect(layer.featureCount == 5)
        #expect(layer.field(named: "so_cay")?.type == .integer)
        #expect(layer.field(named: "dien_tich")?.type == .real)
        #expect(layer.field(named: "ngay")?.type == .date)
        let rows = try readFeatures(layer, fields: Sample.fieldNames)
        #expect(rows.keys.sorted() == ["P1", "P2", "R1", "S1", "S2"])
        Sample.checkAttributes(rows, dates: .date)
        Sample.checkLonLatGeometry(rows)
    }

    /// A survey table with lon/lat columns (points only), dates dd/mm/yyyy, no CRS.
    @Test func csvWithLonLat() throws {
        let ds = try VectorDataset(
            path: Fixture.path("sample_lonlat.csv"),
            openOptions: ["X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat", "AUTODETECT_TYPE": "YES"])
        #expect(ds.driverName == "CSV")
        let layer = try ds.layer(nil)
        #expect(layer.featureCount == 2)
        #expect(layer.spatialReference == nil)
        #expect(layer.field(named: "so_cay")?.type == .integer)
        #expect(layer.field(named: "dien_tich")?.type == .real)
        #expect(layer.field(named: "ngay")?.type == .string)
        let rows = try readFeatures(layer, fields: Sample.fieldNames)
        #expect(rows.keys.sorted() == ["S1", "S2"])
        Sample.checkAttributes(rows, dates: .dmyString)
        Sample.checkLonLatGeometry(rows)
    }

    @Test func missingFileAndLayerAreNamed() throws {
        let missing = Fixture.path("nope.gpkg")
        let e1 = #expect(throws: GDALError.self) { _ = try VectorDataset(path: missing) }
        #expect(e1?.kind == .cannotOpen)
        #expect(e1?.description.contains("nope.gpkg") == true)
        let ds = try VectorDataset(path: Fixture.path("sample.gpkg"))
        let e2 = #expect(throws: GDALError.self) { _ = try ds.layer("lo_rung") }
        #expect(e2?.kind == .noSuchLayer)
        #expect(e2?.description.contains("lo_rung") == true)
        #expect(e2?.description.contains("sample") == true)  // lists the layers there are
    }

    // MARK: - The same layer through the manifest loader (every driver → the same projects in WGS 84)

    struct LoaderCase: Sendable, CustomTestStringConvertible {
        let label: String
        let projectsYAML: String
        let expectedIDs: [String]
        var testDescription: String { label }
    }

    static let loaderCases: [LoaderCase] = [
        LoaderCase(
            label: "GeoJSON",
            projectsYAML: """
                  - {source: sample.geojson, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                """, expectedIDs: ["P1", "P2", "R1", "S1", "S2"]),
        LoaderCase(
            label: "GeoPackage EPSG:5899",
            projectsYAML: """
                  - {source: sample.gpkg, layer: sample, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                """, expectedIDs: ["P1", "P2", "R1", "S1", "S2"]),
        LoaderCase(
            label: "Shapefile folder",
            projectsYAML: """
                  - {source: sample_shp/areas.shp, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                  - {source: sample_shp/lines.shp, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                  - {source: sample_shp/points.shp, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                """, expectedIDs: ["P1", "P2", "R1", "S1", "S2"]),
        LoaderCase(
            label: "KML",
            projectsYAML: """
                  - {source: sample.kml, layer: sample, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                """, expectedIDs: ["P1", "P2", "R1", "S1", "S2"]),
        LoaderCase(
            label: "FlatGeobuf",
            projectsYAML: """
                  - {source: sample.fgb, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                """, expectedIDs: ["P1", "P2", "R1", "S1", "S2"]),
        LoaderCase(
            label: "CSV WKT",
            projectsYAML: """
                  - {source: sample_wkt.csv, kind: other, status: planned, fields: {id: ma, name: ten, trees: so_cay, date: ngay}}
                """, expectedIDs: ["P1", "P2", "R1", "S1", "S2"]),
        LoaderCase(
            label: "CSV lon/lat",
            projectsYAML: """
                  - source: sample_lonlat.csv
                    crs: "EPSG:4326"
                    open_options: {X_POSSIBLE_NAMES: lon, Y_POSSIBLE_NAMES: lat, AUTODETECT_TYPE: "YES"}
                    date_format: dd/MM/yyyy
                    kind: other
                    status: planned
                    fields: {id: ma, name: ten, trees: so_cay, date: ngay}
                """, expectedIDs: ["S1", "S2"]),
    ]

    @Test(arguments: loaderCases)
    func loaderReadsEveryDriver(_ c: LoaderCase) throws {
        let data = try Fixture.load(
            yaml: """
                localities:
                  source: province.geojson
                  fields: {code: ma, name: ten}
                projects:
                \(c.projectsYAML)
                """)
        #expect(data.projects.map(\.id).sorted() == c.expectedIDs)
        for p in data.projects {
            guard let f = Sample.features.first(where: { $0.ma == p.id }) else { continue }
            #expect(sameScalars(p.name, f.ten), "\(p.id) name")
            #expect(p.trees == Double(f.soCay), "\(p.id) trees")
            #expect(p.date == Day(year: f.ngay.y, month: f.ngay.m, day: f.ngay.d), "\(p.id) date")
            #expect(p.geometry.typeName == f.type, "\(p.id) geometry")
        }
        // Geodesic measures in WGS 84, whatever the source CRS. References: geographiclib 2.1 (Python,
        // Geodesic.WGS84.Polygon / Inverse) on the hand-written lon/lat coordinates:
        //   P1 = 1204988.3649144173 − 301247.0910054445 = 903741.2739089727 m²
        //   R1 = 2443.213845245613 m
        // Tolerance 0.01 % (the GeoPackage went to EPSG:5899 and back through PROJ).
        if let p1 = data.project("P1") { #expect(nearRel(p1.areaHa, 90.37412739089727, 1e-4), "\(p1.areaHa)") }
        if let r1 = data.project("R1") { #expect(nearRel(r1.lengthKm, 2.443213845245613, 1e-4), "\(r1.lengthKm)") }
        if let s1 = data.project("S1"), case .point(let c) = s1.geometry {
            // 1e-8° ≈ 1.1 mm on the ground.
            #expect(near(c.x, 108.4583, 1e-8) && near(c.y, 11.9404, 1e-8), "\(c)")
        } else {
            Issue.record("S1 missing or not a point")
        }
    }
}
