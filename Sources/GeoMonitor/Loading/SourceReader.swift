import Foundation
import GDALKit

/// Opens one source of a manifest and reads its features, already transformed to WGS 84
/// longitude/latitude, with the mapped columns resolved once.
struct SourceReader {
    let path: String
    let displayPath: String
    let layer: VectorLayer
    let transform: CoordinateTransform
    let sourceCRS: SpatialReference

    /// - Parameters:
    ///   - crsKey: the manifest key that declares a CRS for this source, named in the error when the source has none.
    init(path: String, displayPath: String, layer layerName: String?, crs: String?, openOptions: [String: String], crsKey: String) throws {
        self.path = path
        self.displayPath = displayPath
        do {
            let ds = try VectorDataset(path: path, openOptions: openOptions)
            layer = try ds.layer(layerName)
        } catch let e as GDALError {
            var e = e
            e.file = displayPath
            throw GeoMonitorError(e, file: displayPath)
        }
        let srs: SpatialReference
        if let crs {
            do { srs = try SpatialReference(crs) } catch let e as GDALError {
                throw GeoMonitorError(.crs, file: displayPath, key: crsKey, e.message)
            }
        } else if let s = layer.spatialReference {
            srs = s
        } else {
            throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, key: crsKey,
                                  "the source declares no CRS; declare one in the manifest with `\(crsKey): EPSG:…` (e.g. EPSG:4326 for lon/lat, EPSG:5899 for VN-2000 / TM-3 107-45)")
        }
        sourceCRS = srs
        do { transform = try CoordinateTransform(from: srs, to: .wgs84) } catch let e as GDALError {
            throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, key: crsKey, e.message)
        }
    }

    /// Column indices for mapped fields; a missing column is an error naming the key and listing the columns.
    func columns(_ mapping: [(key: String, column: String)]) throws -> [Int] {
        let fields = layer.fields
        return try mapping.map { m in
            guard let f = layer.field(named: m.column) else {
                throw GeoMonitorError(.field, file: displayPath, layer: layer.name, key: m.key,
                                      "column '\(m.column)' not found; the layer has \(fields.isEmpty ? "no columns" : "columns: " + fields.map(\.name).joined(separator: ", "))")
            }
            return f.index
        }
    }

    /// Reads every feature; the geometry handed to `body` is in WGS 84 (nil when the feature has none).
    func read(columns: [Int], _ body: (_ fid: Int64, _ values: [FieldValue], _ geometry: Geometry?) throws -> Void) throws {
        do {
            try layer.forEachFeature(fieldIndices: columns) { rec in
                var g = rec.geometry
                if let src = g {
                    do { g = try PhaseLog.shared.measure("reproject") { try transform.transform(src) } } catch let e as GDALError {
                        throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, feature: String(rec.fid),
                                              "\(e.message); is the declared CRS right?")
                    }
                    if let b = g?.bounds, b.minY < -90 || b.maxY > 90 || b.minX < -180 || b.maxX > 180 {
                        throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, feature: String(rec.fid),
                                              "coordinates fall outside the Earth after transforming from \(sourceCRS); are the axes swapped or the CRS wrong?")
                    }
                }
                try body(rec.fid, rec.values, g)
            }
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: displayPath)
        }
    }
}
