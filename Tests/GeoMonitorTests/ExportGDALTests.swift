import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// `export gdal` to files: the driver from the extension, a temporary name renamed when done,
/// what is written read back through GDAL.
@Suite struct ExportGDALTests {
    @Test func filesInEveryDriverReadBack() throws {
        let d = try Dataset.load(manifest: Dataset.defaultManifestPath())
        var warnings: [Warning] = []
        let features = try GDALExport.features(
            d, layer: .localities, targets: [], asOf: Day(iso: "2024-12-31"), warnings: &warnings)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geomonitor-export-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (file, driver) in [
            ("l.gpkg", "GPKG"), ("l.fgb", "FlatGeobuf"), ("l.shp", "ESRI Shapefile"), ("l.geojsons", "GeoJSONSeq"),
        ] {
            let path = folder.appendingPathComponent(file).path
            for _ in 0..<2 {  // the second export replaces the first
                let s = try GDALExport.write(features, name: "localities", polygons: true, to: path)
                #expect(s.driver == driver)
                #expect(s.count == d.localities.all.count)
            }
            let layer = try VectorDataset(path: path).layer(nil)
            #expect(layer.featureCount == Int64(d.localities.all.count), "\(file)")
            #expect(layer.field(named: "code") != nil)
            let codes = try readFeatures(layer, fields: ["code"], keyField: "code")
            #expect(Set(codes.keys) == Set(d.localities.all.map(\.code)))
            // Areas survive the trip (EPSG:4326, lon/lat order).
            for l in d.localities.all {
                let g = try #require(codes[l.code]?.geometry)
                #expect(nearRel(Geodesic.wgs84.area(g) / 10_000, l.areaHa, 1e-6), "\(file) \(l.code)")
            }
        }
        // Nothing staged is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasPrefix(".") })
        #expect(throws: GeoMonitorError.self) {
            try GDALExport.write(
                features, name: "x", polygons: true, to: folder.appendingPathComponent("x.nosuchext").path)
        }
    }
}
