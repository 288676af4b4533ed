import Foundation
import GDALKit
import TestSupport
import Testing

@testable import GeoMonitor

/// `export geojson --simplify`: borders simplified once, so neighbours still meet — checked with
/// GEOS (union area = sum of areas: no overlap; union has no holes: no gap) — and RFC 7946 rules.
@Suite struct GeoJSONExportTests {
    static let data: Dataset = { try! Dataset.load(manifest: Dataset.defaultManifestPath()) }()

    @Test func simplifiedLocalitiesStillShareBorders() throws {
        let original = Self.data.localities.all.map(\.geometry)
        let simplified = try GeoJSONExport.simplified(original, metres: 200)
        let before = original.reduce(0) { $0 + $1.coordinateCount }
        let after = simplified.reduce(0) { $0 + $1.coordinateCount }
        #expect(after < before / 2, "\(before) → \(after) vertices")
        let geod = Geodesic.wgs84
        var union = try OGRGeometry(simplified[0])
        var sum = geod.area(simplified[0])
        for g in simplified.dropFirst() {
            union = try union.union(OGRGeometry(g))
            sum += geod.area(g)
        }
        let u = try union.value()
        // No overlaps: the union's area equals the sum of the parts (to 1e-9).
        #expect(abs(geod.area(u) - sum) <= sum * 1e-9, "\(geod.area(u)) vs \(sum)")
        // No gaps: the union is one polygon without holes, like the original province.
        #expect(u.polygons.count == 1 && u.polygons[0].holes.isEmpty)
        // Each district keeps its area within 1 % (200 m tolerance on ~30 km districts).
        for (a, b) in zip(original, simplified) { #expect(abs(geod.area(a) - geod.area(b)) <= geod.area(a) * 0.01) }
    }

    @Test func exportedProgressLayerIsRFC7946() throws {
        let report = try ProgressEngine(dataset: Self.data).run(
            asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"])
        var warnings: [Warning] = []
        var features = try GeoJSONExport.localities(Self.data, simplifyMetres: 100, warnings: &warnings)
        let props = ProgressOutput.localityFeatures(report, localities: Self.data.localities)
        for i in features.indices { features[i].properties = props[i].properties }
        let text = GeoJSONWriter(decimals: 6).collection(features, name: "progress")
        let obj = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(obj["crs"] == nil && (obj["bbox"] as? [Double])?.count == 4)
        for f in try #require(obj["features"] as? [[String: Any]]) {
            #expect(f["id"] != nil)
            let g = try #require(f["geometry"] as? [String: Any])
            let polys: [[[[Double]]]] =
                g["type"] as? String == "Polygon"
                ? [g["coordinates"] as! [[[Double]]]] : g["coordinates"] as! [[[[Double]]]]
            for rings in polys {
                for (k, ring) in rings.enumerated() {
                    #expect(ring.first! == ring.last!)
                    // Shoelace in lon/lat: exterior counter-clockwise (> 0), holes clockwise (< 0).
                    var a = 0.0
                    for i in 0..<(ring.count - 1) { a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] }
                    #expect(k == 0 ? a > 0 : a < 0)
                    for p in ring { for v in p { #expect(abs(v * 1e6 - (v * 1e6).rounded()) < 1e-6) } }
                    for p in ring { #expect((-180...180).contains(p[0]) && (-90...90).contains(p[1])) }
                }
            }
            let p = try #require(f["properties"] as? [String: Any])
            #expect(p["achieved"] != nil && p["code"] != nil)
        }
    }

    /// `export geojson --layer projects` streams features to the file chunk by chunk; the file is
    /// byte for byte the document built in memory from every feature, as a collection and as a
    /// text sequence, and GDAL reads back as many features as there are projects.
    @Test func streamedProjectsEqualTheDocumentBuiltInMemory() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let assignment = try SpatialAssignment(Self.data)
        let writer = GeoJSONWriter(decimals: 7)
        let features = GeoJSONExport.projects(Self.data, assignment: assignment)
        for sequence in [false, true] {
            let path = folder.appendingPathComponent(sequence ? "p.geojsons" : "p.geojson").path
            try GeoJSONExport.writeProjects(
                Self.data, assignment: assignment, writer: writer, sequence: sequence, to: path)
            let expected =
                sequence ? writer.textSequenceData(features) : writer.collectionData(features, name: "projects")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected)
            if !sequence {
                #expect(try VectorDataset(path: path).layer(nil).featureCount == Int64(Self.data.projects.count))
            }
        }
        // No temporary file is left beside the outputs.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["p.geojson", "p.geojsons"])
    }

    /// Many rounds of chunks (5,000 features, 2,048 per chunk): streamed output equals the
    /// in-memory document; it parses as JSON with every id in order.
    @Test func streamingAcrossChunksKeepsOrder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let features = (0..<5_000).map { k in
            GeoJSONFeature(
                id: "f\(k)", geometry: .point(Coordinate(108 + Double(k) * 1e-4, 11.5)),
                properties: [("k", .number(Double(k)))])
        }
        let writer = GeoJSONWriter()
        let path = folder.appendingPathComponent("many.geojson").path
        try writer.write(features, name: "many", to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data == writer.collectionData(features, name: "many"))
        let obj = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let ids = try #require(obj["features"] as? [[String: Any]]).map { $0["id"] as? String ?? "" }
        #expect(ids == features.map(\.id))
        #expect(obj["bbox"] as? [Double] == [108, 11.5, 108.4999, 11.5])
    }
}
