import CGDAL
import Foundation
import GeoKit

/// Writes one layer of features through a GDAL driver: a new table in a `PG:` database, a
/// layer of a GeoPackage, a FlatGeobuf or a shapefile. Geometries are in WGS 84
/// longitude/latitude (EPSG:4326, traditional axis order).
///
/// ```swift
/// let ds = try VectorDataset(creating: "out.gpkg", driver: "GPKG")
/// let w = try LayerWriter(dataset: ds, name: "progress", fields: [.init(name: "code", type: .string)],
///                         geometry: .multiPolygon)
/// try w.add(values: [.string("672")], geometry: g)
/// ```
public final class LayerWriter {
    /// A column of the layer written.
    public struct Field: Sendable, Equatable {
        /// The column name.
        public var name: String
        /// Its type: `.integer64`, `.real`, `.string` or `.date` (anything else is written as text).
        public var type: FieldType
        /// A column with a name and a type.
        public init(name: String, type: FieldType) {
            self.name = name
            self.type = type
        }
    }

    /// The geometry type the layer declares.
    public enum GeometryKind: Sendable {
        /// Any geometry (points, lines and polygons mixed).
        case any
        /// Multi-polygons only (polygons are written as multi-polygons of one part).
        case multiPolygon
    }

    let handle: OGRLayerH
    /// The dataset written to (kept open while the writer lives).
    public let dataset: VectorDataset
    let fields: [Field]
    let layerName: String

    /// Creates the layer.
    /// - Parameters:
    ///   - dataset: the dataset to create it in (opened for writing, or created).
    ///   - name: the layer (table) name.
    ///   - fields: its columns, in order.
    ///   - geometry: the declared geometry type.
    ///   - options: the driver's layer creation options (`FID=fid`, `GEOMETRY_NAME=geom`,
    ///     `SPATIAL_INDEX=GIST`, `OVERWRITE=YES` …).
    /// - Throws: ``GDALError`` of kind `writeFailed` with the driver's message.
    public init(
        dataset: VectorDataset, name: String, fields: [Field], geometry: GeometryKind, options: [String: String] = [:]
    ) throws {
        self.dataset = dataset
        self.fields = fields
        layerName = name
        let opts = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let srs = SpatialReference.wgs84
        GDALRuntime.reset()
        let type: OGRwkbGeometryType = geometry == .any ? wkbUnknown : wkbMultiPolygon
        let h = withCSL(opts) {
            GDALDatasetCreateLayer(dataset.handle, name, srs.handle, type, opts.isEmpty ? nil : $0)
        }
        guard let h else {
            throw GDALError(
                .writeFailed, file: dataset.shownPath, layer: name,
                GDALRuntime.lastMessage(or: "cannot create the layer"))
        }
        handle = h
        for f in fields {
            let t: OGRFieldType
            switch f.type {
            case .integer, .integer64: t = OFTInteger64
            case .real: t = OFTReal
            case .date: t = OFTDate
            default: t = OFTString
            }
            let defn = OGR_Fld_Create(f.name, t)
            defer { OGR_Fld_Destroy(defn) }
            GDALRuntime.reset()
            guard OGR_L_CreateField(h, defn, 1) == OGRERR_NONE else {
                throw GDALError(
                    .writeFailed, file: dataset.shownPath, layer: name,
                    GDALRuntime.lastMessage(or: "cannot create column '\(f.name)'"))
            }
        }
    }

    /// Writes one feature.
    /// - Parameters:
    ///   - fid: the feature id (the table's primary key), or nil to let the driver number it.
    ///   - values: one value per field, in the fields' order (`.null` leaves a column empty).
    ///   - geometry: in WGS 84 longitude/latitude, or nil.
    /// - Throws: ``GDALError`` of kind `writeFailed` naming the layer and the feature.
    public func add(fid: Int64? = nil, values: [FieldValue], geometry: Geometry?) throws {
        let defn = OGR_L_GetLayerDefn(handle)
        guard let f = OGR_F_Create(defn) else {
            throw GDALError(.writeFailed, file: dataset.shownPath, layer: layerName, "cannot create a feature")
        }
        defer { OGR_F_Destroy(f) }
        if let fid { _ = OGR_F_SetFID(f, fid) }
        for (i, v) in values.enumerated() where i < fields.count {
            let k = Int32(i)
            switch v {
            case .null: OGR_F_SetFieldNull(f, k)
            case .integer(let x): OGR_F_SetFieldInteger64(f, k, x)
            case .real(let x): if x.isFinite { OGR_F_SetFieldDouble(f, k, x) } else { OGR_F_SetFieldNull(f, k) }
            case .date(let y, let m, let d): OGR_F_SetFieldDateTime(f, k, Int32(y), Int32(m), Int32(d), 0, 0, 0, 0)
            default: OGR_F_SetFieldString(f, k, v.description)
            }
        }
        if let geometry {
            var bytes = WKB.encode(geometry)
            var g: OGRGeometryH?
            let err = bytes.withUnsafeMutableBytes { OGR_G_CreateFromWkbEx($0.baseAddress, nil, &g, $0.count) }
            guard err == OGRERR_NONE, var g else {
                throw GDALError(
                    .writeFailed, file: dataset.shownPath, layer: layerName, feature: fid,
                    "cannot build the \(geometry.typeName)")
            }
            if OGR_GT_Flatten(OGR_L_GetGeomType(handle)) == wkbMultiPolygon
                && OGR_GT_Flatten(OGR_G_GetGeometryType(g)) == wkbPolygon
            {
                g = OGR_G_ForceToMultiPolygon(g)
            }
            _ = OGR_F_SetGeometryDirectly(f, g)
        }
        GDALRuntime.reset()
        guard OGR_L_CreateFeature(handle, f) == OGRERR_NONE else {
            throw GDALError(
                .writeFailed, file: dataset.shownPath, layer: layerName, feature: fid,
                GDALRuntime.lastMessage(or: "cannot write the feature"))
        }
    }

    /// Flushes what the driver buffers (a shapefile's header, a FlatGeobuf's index) to disk.
    /// - Throws: ``GDALError`` of kind `writeFailed`.
    public func finish() throws {
        GDALRuntime.reset()
        guard OGR_L_SyncToDisk(handle) == OGRERR_NONE else {
            throw GDALError(
                .writeFailed, file: dataset.shownPath, layer: layerName,
                GDALRuntime.lastMessage(or: "cannot write the layer"))
        }
    }
}

extension VectorDataset {
    /// Creates a new, empty vector file with a GDAL driver (the file must not exist).
    /// - Parameters:
    ///   - path: the file to create.
    ///   - driver: the driver's short name (`GPKG`, `FlatGeobuf`, `ESRI Shapefile`, `GeoJSONSeq` …).
    /// - Throws: ``GDALError`` of kind `writeFailed` when the driver is unknown, cannot write, or fails.
    public convenience init(creating path: String, driver: String) throws {
        GDALRuntime.ensure()
        guard let d = GDALGetDriverByName(driver), GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, nil) != nil,
            GDALGetMetadataItem(d, GDAL_DCAP_CREATE, nil) != nil
        else {
            throw GDALError(
                .writeFailed, file: path,
                "GDAL has no vector driver '\(driver)' that writes files (see `ogrinfo --formats`)")
        }
        GDALRuntime.reset()
        guard let h = GDALCreate(d, path, 0, 0, 0, GDT_Unknown, nil) else {
            throw GDALError(.writeFailed, file: path, GDALRuntime.lastMessage(or: "cannot create the file"))
        }
        self.init(handle: h, path: path)
    }

    /// The vector driver GDAL writes files with the extension `ext` (`gpkg` → GPKG, `fgb` →
    /// FlatGeobuf, `shp` → ESRI Shapefile, `geojsons` → GeoJSONSeq …), from each driver's own list
    /// of extensions; nil when none does.
    public static func writerDriver(forExtension ext: String) -> String? {
        GDALRuntime.ensure()
        let e = ext.lowercased()
        guard !e.isEmpty else { return nil }
        // GeoJSON before GeoJSONSeq and TopoJSON for .json (the driver list's order).
        var found: String? = nil
        for i in 0..<GDALGetDriverCount() {
            guard let d = GDALGetDriver(i), GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, nil) != nil,
                GDALGetMetadataItem(d, GDAL_DCAP_CREATE, nil) != nil,
                let list = GDALGetMetadataItem(d, GDAL_DMD_EXTENSIONS, nil)
            else { continue }
            let exts = String(cString: list).lowercased().split(separator: " ").map(String.init)
            if exts.contains(e) {
                let name = String(cString: GDALGetDriverShortName(d))
                if found == nil || name == "GeoJSON" { found = name }
            }
        }
        return found
    }

    /// True when GDAL has a vector driver of this short name that can create datasets.
    public static func canWrite(driver: String) -> Bool {
        GDALRuntime.ensure()
        guard let d = GDALGetDriverByName(driver) else { return false }
        return GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, nil) != nil
            && GDALGetMetadataItem(d, GDAL_DCAP_CREATE, nil) != nil
    }

    /// Flushes and closes nothing: the dataset is closed when the last reference goes. Writes
    /// what the driver still buffers.
    public func flush() { GDALFlushCache(handle) }
}
