import Foundation
internal import GDALKit

extension ProjectQuery {
    /// All polygons of a file GDAL reads, in WGS 84, as one geometry: an area for ``within``.
    /// - Parameter path: a file (GeoPackage, GeoJSON, shapefile …) whose layers declare their CRS.
    /// - Returns: a multipolygon of every polygon of every layer, reprojected to WGS 84.
    /// - Throws: ``GeoMonitorError`` with the file: `.source` when GDAL cannot read it, `.crs` when
    ///   a layer declares no CRS or cannot be reprojected, `.geometry` when it holds no polygon.
    public static func polygons(inFile path: String) throws -> Geometry {
        do {
            let ds = try VectorDataset(path: path)
            var polys: [Polygon] = []
            for layer in ds.layers {
                guard let srs = layer.spatialReference else {
                    throw GeoMonitorError(.crs, file: path, layer: layer.name, "the file declares no CRS")
                }
                let t = try CoordinateTransform(from: srs, to: .wgs84)
                try layer.forEachFeature(fieldIndices: []) { rec in
                    if let g = rec.geometry { polys += try t.transform(g).polygons }
                }
            }
            guard !polys.isEmpty else { throw GeoMonitorError(.geometry, file: path, "no polygon in the file") }
            return .multiPolygon(polys)
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: path)
        }
    }
}
