internal import GDALKit

/// What `geomonitor layers` shows about each source of a manifest.
public struct SourceInfo: Sendable {
    /// `localities` or `projects[i]`.
    public var role: String
    /// The source's path as shown to users (relative to the current folder when inside it).
    public var path: String
    /// The GDAL driver that opened it: "GPKG", "ESRI Shapefile", "GeoJSON", "CSV" …
    public var driver: String
    /// The layer read (the manifest's `layer`, or the source's only layer).
    public var layer: String
    /// The number of features in the layer (as the driver counts them; some drivers scan).
    public var featureCount: Int64
    /// The layer's declared geometry type as OGR names it ("Polygon", "Multi Polygon", "Point" …).
    public var geometryType: String
    /// The CRS in use (declared in the manifest, else read from the source), nil when none.
    public var crs: String?
    /// Extent in WGS 84 longitude/latitude, when the CRS is known.
    public var extentWGS84: BoundingBox?
}

/// A look at a manifest's sources without loading them, as `geomonitor layers` shows it:
/// to check drivers, layers, CRSs and extents before a long load.
public enum SourceInventory {
    /// Opens every source of a manifest (without reading its features) and describes it.
    /// - Throws: ``GeoMonitorError`` for the first source that cannot be opened, with the
    ///   manifest key (`projects[1].source`, `localities.layer`, `projects[0].crs`) to fix.
    public static func describe(manifest: Manifest) throws -> [SourceInfo] {
        var specs: [(String, String, String?, String?, [String: String], String?)] = [
            (
                "localities", manifest.localities.source, manifest.localities.layer, manifest.localities.crs,
                manifest.localities.openOptions, manifest.localities.sql
            )
        ]
        for (i, p) in manifest.projects.enumerated() {
            specs.append(("projects[\(i)]", p.source, p.layer, p.crs, p.openOptions, p.sql))
        }
        return try specs.map { role, source, layerName, crs, opts, sql in
            let path = manifest.resolve(source)
            let shown = displayPath(path)
            try manifest.limits.checkFileSize(path, shown: shown, key: "\(role).source")
            do {
                let ds = try VectorDataset(path: path, openOptions: opts)
                let layer = try sql.map { try ds.sqlLayer($0) } ?? ds.layer(layerName)
                let srs = try crs.map { try SpatialReference($0) } ?? layer.spatialReference
                var ext: BoundingBox? = nil
                if let srs, let e = layer.extent {
                    ext = try? CoordinateTransform(from: srs, to: .wgs84).transform(e)
                }
                return SourceInfo(
                    role: role, path: shown, driver: ds.driverName, layer: layer.name, featureCount: layer.featureCount,
                    geometryType: layer.geometryTypeName, crs: srs?.description, extentWGS84: ext)
            } catch let e as GDALError {
                var e = e
                e.file = shown
                let isCRS = e.kind == .badCRS || e.kind == .missingCRS || e.kind == .transformFailed
                throw GeoMonitorError(
                    e, file: shown,
                    key: isCRS ? "\(role).crs" : (e.kind == .noSuchLayer ? "\(role).layer" : "\(role).source"))
            }
        }
    }

    /// A plain-text table of the descriptions, one row per source, extents in WGS 84 degrees.
    public static func table(_ infos: [SourceInfo]) -> String {
        var t = TextTable(
            headers: ["role", "source", "driver", "layer", "features", "geometry", "crs", "extent (lon/lat)"],
            alignments: [.left, .left, .left, .left, .right, .left, .left, .left])
        for i in infos {
            let e =
                i.extentWGS84.map {
                    "\(NumberText.fixed($0.minX, 4)), \(NumberText.fixed($0.minY, 4)) – \(NumberText.fixed($0.maxX, 4)), \(NumberText.fixed($0.maxY, 4))"
                } ?? "?"
            t.add([
                i.role, i.path, i.driver, i.layer, String(i.featureCount), i.geometryType,
                i.crs ?? "NONE (declare `crs:`)", e,
            ])
        }
        return t.render()
    }
}
