import CGDAL
import Foundation
import GeoKit

/// An open vector data source (a file, a folder of shapefiles, a URL GDAL can read, a
/// PostgreSQL/PostGIS `PG:` connection). Closed when the last reference goes.
public final class VectorDataset {
    let handle: GDALDatasetH
    /// The path or connection string it was opened with (with its password, if it holds one:
    /// show ``shownPath`` instead).
    public let path: String
    /// The path as it may be shown in errors, warnings and outputs: a connection string without
    /// its password (see ``ConnectionString/redacted(_:)``).
    public let shownPath: String
    /// Text encoding decoded in Swift rather than by GDAL (see `LegacyEncoding`).
    let legacyEncoding: LegacyEncoding?

    /// Opens a vector source read-only.
    ///
    /// A shapefile whose `.cpg` says CP1258, or an `ENCODING=CP1258` option, has its text decoded
    /// by GDALKit (GDAL 3.6 drops the last character of such strings).
    /// - Parameters:
    ///   - path: a file, a folder of shapefiles, or anything `GDALOpenEx` takes (`/vsizip/…`, URLs).
    ///   - openOptions: driver open options (`X_POSSIBLE_NAMES=lon` for CSV, `ENCODING=CP1258` for a shapefile …).
    ///   - update: open for writing (a `PG:` database a table is written to).
    /// - Throws: ``GDALError`` of kind `cannotOpen` when the file is missing, unreadable or not a
    ///   vector format GDAL reads, or the database cannot be reached (the connection string shown
    ///   without its password).
    public init(path: String, openOptions: [String: String] = [:], update: Bool = false) throws {
        GDALRuntime.ensure()
        self.path = path
        let shown = ConnectionString.redacted(path)
        shownPath = shown
        let isURL =
            path.contains("://") || path.hasPrefix("/vsi") || path.contains(":http")
            || ConnectionString.isPostgreSQL(path)
        if !isURL {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw GDALError(.cannotOpen, file: shown, "no such file")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw GDALError(.cannotOpen, file: shown, "file is not readable (permissions)")
            }
        }
        // CP1258, TCVN3, VNI (asked for, or declared by a shapefile's .cpg or a MapInfo charset):
        // GDAL must not recode, we decode. Only the shapefile driver has an ENCODING option.
        var options = openOptions
        var legacy: LegacyEncoding? = nil
        let isShapefile = ["shp", "dbf"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
        if let key = options.keys.first(where: { $0.uppercased() == "ENCODING" }),
            let enc = LegacyEncoding(name: options[key]!)
        {
            legacy = enc
            if isShapefile { options[key] = "" } else { options[key] = nil }
        } else if !isURL, isShapefile {
            let cpg = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("cpg")
            if let text = try? String(contentsOf: cpg, encoding: .ascii), let enc = LegacyEncoding(name: text) {
                legacy = enc
                options["ENCODING"] = ""
            }
        } else if !isURL, let enc = LegacyEncoding.declaredByMapInfo(path) {
            legacy = enc
        }
        legacyEncoding = legacy
        passedOptions = Set(options.keys)
        let opts = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        GDALRuntime.reset()
        let h = withCStringArray(opts) { optsPtr in
            GDALOpenEx(
                path, UInt32(GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY) | GDAL_OF_VERBOSE_ERROR),
                nil, opts.isEmpty ? nil : optsPtr, nil)
        }
        guard let h else {
            let msg = GDALRuntime.lastMessage(or: "")
            throw GDALError(
                .cannotOpen, file: shown,
                msg.isEmpty || msg.contains("not recognized") ? "not a vector format GDAL can read" : msg)
        }
        handle = h
        let driver = GDALGetDatasetDriver(h).flatMap { GDALGetDriverShortName($0) }.map { String(cString: $0) } ?? ""
        // Drivers that hand over a text field's bytes as the file stores them; the others
        // (XLSX, ODS, KML, GeoJSON …) hold Unicode and give UTF-8.
        textIsRawBytes = ["ESRI Shapefile", "MapInfo File", "CSV", "DGN", "DXF"].contains(driver)
    }

    /// A dataset GDAL created (see ``init(creating:driver:)``), open for writing.
    init(handle: GDALDatasetH, path: String) {
        self.handle = handle
        self.path = path
        shownPath = ConnectionString.redacted(path)
        legacyEncoding = nil
        textIsRawBytes = false
        passedOptions = []
    }

    deinit { GDALClose(handle) }

    /// True when the driver gives text fields as the bytes the file stores (shapefile, MapInfo,
    /// CSV), so a legacy encoding is decoded from them; false for Unicode containers (XLSX, ODS,
    /// KML …), where legacy text arrives as the characters a Windows code page shows for its bytes.
    let textIsRawBytes: Bool
    /// The open options handed to the driver (ENCODING dropped when geomonitor decodes the text).
    let passedOptions: Set<String>

    /// The open options `options` names that the driver does not declare (compared without case);
    /// ENCODING is left out when geomonitor decodes the text itself. Empty when the driver lists
    /// no options at all.
    public func unknownOpenOptions(_ options: [String: String]) -> [String] {
        let known = openOptionNames
        return options.keys.sorted().filter { key in
            if key.uppercased() == "ENCODING" && legacyEncoding != nil { return false }
            return !known.contains(key.uppercased())
        }
    }

    /// The open options the dataset's driver declares (upper-case), from its
    /// `DMD_OPENOPTIONLIST` metadata.
    public var openOptionNames: Set<String> {
        guard let d = GDALGetDatasetDriver(handle), let xml = GDALGetMetadataItem(d, GDAL_DMD_OPENOPTIONLIST, nil)
        else { return [] }
        let text = String(cString: xml)
        // <Option name='X_POSSIBLE_NAMES' …/> (GDAL quotes with ' or ").
        var names = Set<String>()
        var rest = text[...]
        while let r = rest.range(of: "<Option name=") {
            rest = rest[r.upperBound...]
            guard let quote = rest.first, quote == "'" || quote == "\"" else { continue }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { break }
            names.insert(rest[..<end].uppercased())
            rest = rest[end...]
        }
        return names
    }

    /// The GDAL driver's short name, e.g. "GPKG", "ESRI Shapefile".
    public var driverName: String {
        guard let d = GDALGetDatasetDriver(handle), let n = GDALGetDriverShortName(d) else { return "?" }
        return String(cString: n)
    }

    var layerCount: Int { Int(GDALDatasetGetLayerCount(handle)) }

    /// All layers, in the source's order.
    public var layers: [VectorLayer] {
        (0..<layerCount).compactMap { i in
            GDALDatasetGetLayer(handle, Int32(i)).map { VectorLayer(handle: $0, dataset: self) }
        }
    }

    /// The named layer, or the only layer when `name` is nil.
    /// - Throws: ``GDALError`` of kind `noSuchLayer` naming the layers there are, when `name` is
    ///   not one of them, or when `name` is nil and the source has no layer or several.
    public func layer(_ name: String?) throws -> VectorLayer {
        if let name {
            guard let h = GDALDatasetGetLayerByName(handle, name) else {
                let names = layers.map(\.name).joined(separator: ", ")
                throw GDALError(.noSuchLayer, file: shownPath, layer: name, "no such layer (layers: \(names))")
            }
            return VectorLayer(handle: h, dataset: self)
        }
        let all = layers
        guard let first = all.first else { throw GDALError(.noSuchLayer, file: shownPath, "the source has no layer") }
        if all.count > 1 {
            throw GDALError(
                .noSuchLayer, file: shownPath,
                "the source has \(all.count) layers (\(all.map(\.name).joined(separator: ", "))); name one with `layer:`"
            )
        }
        return first
    }
}

extension VectorDataset {
    /// The result of an SQL query run by the data source itself (a `PG:` database runs it in
    /// PostgreSQL; a GeoPackage in SQLite), read like any layer. Released with the layer.
    /// - Throws: ``GDALError`` of kind `readFailed` with the driver's message when the query fails.
    public func sqlLayer(_ sql: String) throws -> VectorLayer {
        GDALRuntime.reset()
        guard let h = GDALDatasetExecuteSQL(handle, sql, nil, nil) else {
            throw GDALError(
                .readFailed, file: shownPath, layer: "sql",
                GDALRuntime.lastMessage(or: "the query returned no rows or failed"))
        }
        return VectorLayer(handle: h, dataset: self, isResultSet: true)
    }

    /// Runs an SQL query and returns its rows (attribute columns only, in the query's order).
    /// - Throws: ``GDALError`` of kind `readFailed` with the driver's message.
    public func rows(_ sql: String) throws -> [[FieldValue]] {
        GDALRuntime.reset()
        guard let h = GDALDatasetExecuteSQL(handle, sql, nil, nil) else {
            let msg = GDALRuntime.lastMessage(or: "")
            if !msg.isEmpty { throw GDALError(.readFailed, file: shownPath, msg) }
            return []
        }
        defer { GDALDatasetReleaseResultSet(handle, h) }
        var out: [[FieldValue]] = []
        var invalid: (bytes: [UInt8], shownAsANSI: Bool)? = nil
        var plain = PlainTextMemo()
        // No ResetReading: a fresh result starts at its first row, and a GeoPackage would run
        // the query a second time (it has stepped to the first row to learn the columns).
        while let f = OGR_L_GetNextFeature(h) {
            defer { OGR_F_Destroy(f) }
            let n = OGR_F_GetFieldCount(f)
            out.append(
                (0..<n).map { FeatureReader.value(f, $0, rawBytes: false, invalid: &invalid, plainUnicode: &plain) })
        }
        if CPLGetLastErrorType() == CE_Failure {
            throw GDALError(.readFailed, file: shownPath, GDALRuntime.lastMessage(or: "query failed"))
        }
        return out
    }

    /// Runs an SQL statement that returns no rows (`CREATE`, `ALTER`, `DROP` …).
    /// - Throws: ``GDALError`` of kind `writeFailed` with the driver's message.
    public func execute(_ sql: String) throws {
        GDALRuntime.reset()
        if let h = GDALDatasetExecuteSQL(handle, sql, nil, nil) { GDALDatasetReleaseResultSet(handle, h) }
        if CPLGetLastErrorType() == CE_Failure {
            throw GDALError(.writeFailed, file: shownPath, GDALRuntime.lastMessage(or: "statement failed"))
        }
    }

    /// Starts a transaction (a real one on a database; emulated, or refused, on files).
    /// - Throws: ``GDALError`` of kind `writeFailed`.
    public func beginTransaction() throws {
        GDALRuntime.reset()
        guard GDALDatasetStartTransaction(handle, 1) == OGRERR_NONE else {
            throw GDALError(.writeFailed, file: shownPath, GDALRuntime.lastMessage(or: "cannot start a transaction"))
        }
    }

    /// Commits the transaction started by ``beginTransaction()``.
    /// - Throws: ``GDALError`` of kind `writeFailed` (the transaction is then rolled back).
    public func commit() throws {
        GDALRuntime.reset()
        guard GDALDatasetCommitTransaction(handle) == OGRERR_NONE else {
            throw GDALError(.writeFailed, file: shownPath, GDALRuntime.lastMessage(or: "cannot commit"))
        }
    }

    /// Rolls back the transaction started by ``beginTransaction()`` (nothing when none is open).
    public func rollback() { _ = GDALDatasetRollbackTransaction(handle) }
}

/// A layer of a dataset: a schema, a CRS and features. Keeps its dataset open.
public final class VectorLayer {
    let handle: OGRLayerH
    /// The dataset the layer belongs to (kept open as long as the layer lives).
    public let dataset: VectorDataset

    /// True for the result of an SQL query (``VectorDataset/sqlLayer(_:)``), released with it.
    let isResultSet: Bool

    init(handle: OGRLayerH, dataset: VectorDataset, isResultSet: Bool = false) {
        self.handle = handle
        self.dataset = dataset
        self.isResultSet = isResultSet
    }

    deinit { if isResultSet { GDALDatasetReleaseResultSet(dataset.handle, handle) } }

    /// The layer's name (for a shapefile, the file name without extension).
    public var name: String { String(cString: OGR_L_GetName(handle)) }

    /// The number of features (may scan the source when the driver cannot count quickly).
    public var featureCount: Int64 { OGR_L_GetFeatureCount(handle, 1) }

    /// The layer's CRS, if the source declares one.
    public var spatialReference: SpatialReference? {
        guard let h = OGR_L_GetSpatialRef(handle) else { return nil }
        return SpatialReference(cloning: h)
    }

    /// The extent in the layer's CRS.
    public var extent: BoundingBox? {
        var env = OGREnvelope()
        guard OGR_L_GetExtent(handle, &env, 1) == OGRERR_NONE else { return nil }
        return BoundingBox(minX: env.MinX, minY: env.MinY, maxX: env.MaxX, maxY: env.MaxY)
    }

    /// The declared geometry type as OGR names it: "Polygon", "Multi Polygon", "Line String",
    /// "Unknown (any)" …
    public var geometryTypeName: String {
        String(cString: OGRGeometryTypeToName(OGR_L_GetGeomType(handle)))
    }

    /// The layer's fields.
    public var fields: [FieldDefinition] {
        let defn = OGR_L_GetLayerDefn(handle)
        return (0..<Int(OGR_FD_GetFieldCount(defn))).map { i in
            let fd = OGR_FD_GetFieldDefn(defn, Int32(i))
            return FieldDefinition(
                name: String(cString: OGR_Fld_GetNameRef(fd)), type: FieldType(OGR_Fld_GetType(fd)), index: i)
        }
    }

    /// The field named `name` (exact first, then case-insensitive), or nil.
    public func field(named name: String) -> FieldDefinition? {
        let all = fields
        return all.first { $0.name == name } ?? all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Whether ``forEachFeature(fieldIndices:part:where:keep:geometry:_:)`` reads this layer
    /// through GDAL's Arrow stream: a GeoPackage in UTF-8 without a spatial filter (GDAL 3.6's
    /// stream keeps what the R-tree's float boxes meet, a hair more than the exact test). GDAL
    /// fills the stream's batches on a thread of its own, so one reading thread keeps two cores
    /// busy: such a layer gains nothing from being read in parts.
    public var readsInBatches: Bool {
        dataset.driverName == "GPKG" && dataset.legacyEncoding == nil && OGR_L_GetSpatialFilter(handle) == nil
    }

    /// Restricts reading to features whose geometry's bounding box meets `box` (in the layer's CRS,
    /// not necessarily WGS 84); nil removes the restriction. The filter stays until changed and
    /// applies to every later ``forEachFeature(fieldIndices:part:where:keep:geometry:_:)``.
    public func setSpatialFilter(_ box: BoundingBox?) {
        if let box {
            OGR_L_SetSpatialFilterRect(handle, box.minX, box.minY, box.maxX, box.maxY)
        } else {
            OGR_L_SetSpatialFilter(handle, nil)
        }
    }

    /// Reads every feature in order, passing each to `body` as a plain record holding the
    /// values of `fieldIndices` (in that order) and the geometry. Stops at the first error.
    /// The layer's other columns are not parsed while reading.
    /// Geometries are in the layer's own CRS (curves linearised, Z and M dropped).
    /// - Parameters:
    ///   - fieldIndices: 0-based column positions (``FieldDefinition/index``) whose values each
    ///     record carries, in this order.
    ///   - part: the share of the layer to read (see ``parts(_:minimumFeatures:overlapping:)``); all by default.
    ///   - condition: an attribute filter (OGR SQL `WHERE` text, e.g. `"status" IN ('done')`)
    ///     the driver applies while reading; a GeoPackage runs it inside SQLite.
    ///   - keep: decides from the feature id and field values alone whether a feature is
    ///     wanted; the geometry of an unwanted feature is never exported or parsed.
    ///   - readGeometry: false to leave geometries unread (records carry none), for a pass over
    ///     attributes only.
    ///   - body: called once per feature, in the layer's order; what it throws stops the reading
    ///     and is rethrown.
    /// - Returns: the text of this pass that was not valid UTF-8 (read with U+FFFD replacement
    ///   characters, or legacy text shown as code-page characters), nil when there was none.
    /// - Throws: ``GDALError`` of kind `readFailed` or `badGeometry`, carrying file, layer and
    ///   feature, when the driver fails, rejects the condition or a geometry cannot be parsed.
    @discardableResult
    public func forEachFeature(
        fieldIndices: [Int], part: LayerPart = .all, where condition: String? = nil,
        keep: ((_ fid: Int64, _ values: [FieldValue]) -> Bool)? = nil, geometry readGeometry: Bool = true,
        _ body: (FeatureRecord) throws -> Void
    ) throws -> InvalidText? {
        try forEachFeature(
            fieldIndices: fieldIndices, part: part, where: condition, keep: keep, geometry: readGeometry,
            columnar: true, body)
    }

    /// ``forEachFeature(fieldIndices:part:where:keep:geometry:_:)``; `columnar` false reads a
    /// GeoPackage feature by feature instead of through its Arrow stream (``ArrowFeatureReader``).
    func forEachFeature(
        fieldIndices: [Int], part: LayerPart = .all, where condition: String? = nil,
        keep: ((_ fid: Int64, _ values: [FieldValue]) -> Bool)? = nil, geometry readGeometry: Bool = true,
        columnar: Bool, _ body: (FeatureRecord) throws -> Void
    ) throws -> InvalidText? {
        OGR_L_ResetReading(handle)
        let file = dataset.shownPath
        let layerName = name
        var wkb = [UInt8]()
        var ordinal: Int64 = 0
        var invalid: (bytes: [UInt8], shownAsANSI: Bool)? = nil
        let rawBytes = dataset.textIsRawBytes
        // Non-ASCII text found to be plain Unicode in this pass (a status column repeats a few values).
        var unicodeText = PlainTextMemo()
        var invalidText: InvalidText?
        var remaining = Int64.max
        var filter = condition
        if case .fidRange(let column, let from, let to) = part {
            let range = "\(LayerPart.quoted(column)) >= \(from) AND \(LayerPart.quoted(column)) <= \(to)"
            filter = filter.map { "(\($0)) AND \(range)" } ?? range
        }
        if let filter {
            GDALRuntime.reset()
            guard OGR_L_SetAttributeFilter(handle, filter) == OGRERR_NONE else {
                throw GDALError(
                    .readFailed, file: file, layer: layerName,
                    GDALRuntime.lastMessage(or: "cannot select features with \(filter)"))
            }
        }
        defer { if filter != nil { OGR_L_SetAttributeFilter(handle, nil) } }
        // Columns nobody asked for are not parsed (a GeoPackage leaves them out of its SELECT, a
        // shapefile skips them in the DBF), nor is the style string. Not when a condition runs in
        // OGR itself: it may name one of them.
        if condition == nil || filtersNatively {
            let wanted = Set(fieldIndices)
            let ignored =
                fields.filter { !wanted.contains($0.index) }.map(\.name) + ["OGR_STYLE"]
                + (readGeometry ? [] : ["OGR_GEOMETRY"])
            _ = withCStringArray(ignored) { OGR_L_SetIgnoredFields(handle, UnsafeMutablePointer(mutating: $0)) }
        }
        defer { _ = OGR_L_SetIgnoredFields(handle, nil) }
        defer { if case .box = part { OGR_L_SetSpatialFilter(handle, nil) } }
        switch part {
        case .all, .fidRange: break
        case .box(let b):
            // The driver's spatial index finds the features; the filter goes with the pass.
            OGR_L_SetSpatialFilterRect(handle, b.minX, b.minY, b.maxX, b.maxY)
        case .indexRange(let start, let count):
            guard OGR_L_SetNextByIndex(handle, start) == OGRERR_NONE else {
                throw GDALError(.readFailed, file: file, layer: layerName, "cannot seek to feature \(start)")
            }
            ordinal = start
            remaining = count
        }
        // Its Arrow stream, whole or in a key range, when GDAL offers one and every wanted column
        // has a type it reads.
        if columnar, readsInBatches, remaining == Int64.max {
            if let read = try ArrowFeatureReader.read(
                self, fieldIndices: fieldIndices, keep: keep, geometry: readGeometry, body)
            {
                return read
            }
            OGR_L_ResetReading(handle)
        }
        // Each field's type, looked up once for the pass rather than once per value.
        let definition = OGR_L_GetLayerDefn(handle)
        let types = fieldIndices.map { i -> OGRFieldType? in
            guard let d = definition, i < OGR_FD_GetFieldCount(d), let fd = OGR_FD_GetFieldDefn(d, Int32(i)) else {
                return nil
            }
            return OGR_Fld_GetType(fd)
        }
        while remaining > 0 {
            remaining -= 1
            GDALRuntime.reset()
            guard let f = OGR_L_GetNextFeature(handle) else {
                if CPLGetLastErrorType() == CE_Failure {
                    throw GDALError(
                        .readFailed, file: file, layer: layerName, feature: ordinal,
                        GDALRuntime.lastMessage(or: "read failed"))
                }
                break
            }
            defer { OGR_F_Destroy(f) }
            ordinal += 1
            let fid = OGR_F_GetFID(f)
            let id = fid >= 0 ? fid : ordinal
            var values: [FieldValue] = []
            values.reserveCapacity(fieldIndices.count)
            for (k, i) in fieldIndices.enumerated() {
                values.append(
                    FeatureReader.value(
                        f, Int32(i), type: types[k], legacy: dataset.legacyEncoding, rawBytes: rawBytes,
                        invalid: &invalid, plainUnicode: &unicodeText))
                InvalidText.count(&invalid, field: i, fid: id, into: &invalidText)
            }
            if let keep, !keep(id, values) { continue }
            var geometry: Geometry? = nil
            if readGeometry, let g = OGR_F_GetGeometryRef(f), OGR_G_IsEmpty(g) == 0 {
                geometry = try GDALError.placing(file: file, layer: layerName, feature: id) {
                    if OGR_G_HasCurveGeometry(g, 0) != 0 { return try OGRGeometry.value(of: g) }
                    let n = OGR_G_WkbSizeEx(g)
                    if wkb.count < n { wkb = [UInt8](repeating: 0, count: n) }
                    let err = wkb.withUnsafeMutableBufferPointer { OGR_G_ExportToIsoWkb(g, wkbNDR, $0.baseAddress) }
                    guard err == OGRERR_NONE else { throw GDALError(.badGeometry, "cannot export geometry") }
                    return try wkb.withUnsafeBytes { try WKB.parse(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                }
            }
            try body(FeatureRecord(fid: id, values: values, geometry: geometry))
        }
        return invalidText
    }
}

extension VectorLayer {
    /// Text that was not valid UTF-8 in a `forEachFeature` pass: the first such value
    /// (its field index, feature id and raw bytes) and how many values were affected.
    public struct InvalidText: Sendable {
        /// The index (in the layer's schema) of the field holding the first such value.
        public var field: Int
        /// The id of the feature holding it.
        public var fid: Int64
        /// Its bytes, as the source stores them.
        public var bytes: [UInt8]
        /// How many values of the pass were not UTF-8.
        public var count: Int
        /// True when the value was valid UTF-8 but is legacy text shown as the characters of a
        /// Windows code page (an XLSX cell typed with an ABC font); `bytes` are then the legacy bytes.
        public var shownAsANSI = false

        /// Counts the value a read just found not UTF-8 (`bad`, which it clears) in `pass`'s
        /// report, which names the first such value's field and feature.
        static func count(
            _ bad: inout (bytes: [UInt8], shownAsANSI: Bool)?, field: Int, fid: Int64, into pass: inout InvalidText?
        ) {
            guard let b = bad else { return }
            if pass == nil {
                pass = InvalidText(field: field, fid: fid, bytes: b.bytes, count: 1, shownAsANSI: b.shownAsANSI)
            } else {
                pass?.count += 1
            }
            bad = nil
        }
    }
}

/// A share of a layer's features that can be read on its own connection, so that one layer can
/// be read by several threads at once, each through its own `VectorDataset`.
public enum LayerPart: Sendable, Equatable {
    /// Every feature.
    case all
    /// Features whose id (in the integer primary-key column `column`) lies in `from...to`.
    case fidRange(column: String, from: Int64, to: Int64)
    /// `count` features starting at the 0-based position `start`.
    case indexRange(start: Int64, count: Int64)
    /// Features whose geometry meets the box (in the layer's CRS), found by the driver's spatial
    /// index, in feature-id order. Parts of this kind overlap: a feature meeting two boxes is read
    /// by both, and a feature without geometry by none (see ``VectorLayer/parts(_:minimumFeatures:overlapping:)``).
    case box(BoundingBox)

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A PostgreSQL table name as an SQL identifier, its schema quoted apart (`"public"."lo_rung"`).
    static func quotedTable(_ name: String) -> String {
        name.split(separator: ".", maxSplits: 1).map { quoted(String($0)) }.joined(separator: ".")
    }
}

extension VectorLayer {
    /// Splits the layer into at most `count` parts of about equal size that can be read in
    /// parallel, or `[.all]` when the driver cannot seek cheaply or the layer has fewer than
    /// `minimumFeatures` features. GeoPackages split by ranges of their integer primary key;
    /// drivers that seek by position in constant time (shapefiles) split by position; PostGIS
    /// tables split by ranges of their primary key (each part a `WHERE fid BETWEEN …` on its own
    /// connection).
    /// - Parameters:
    ///   - count: how many threads will read: at most this many key or position ranges (strips: four per thread).
    ///   - minimumFeatures: below this many features the layer is one part.
    ///   - overlapping: also split a local FlatGeobuf file with a spatial index, which cannot
    ///     start reading mid-file: into `4 × count` strips of its extent, west to east
    ///     (``LayerPart/box(_:)``), for threads that take strips as they finish. Such parts
    ///     overlap; a reader merges them by feature id, dropping repeats, and reads the layer whole
    ///     when the merged parts hold fewer features than the layer (features without geometry).
    public func parts(_ count: Int, minimumFeatures: Int64 = 20_000, overlapping: Bool = false) -> [LayerPart] {
        guard count > 1 else { return [.all] }
        // A local file only: strips read it out of order, which over HTTP means many small requests.
        if overlapping, dataset.driverName == "FlatGeobuf", !isResultSet, !dataset.path.hasPrefix("/vsi"),
            !dataset.path.contains("://"),
            OGR_L_TestCapability(handle, "FastSpatialFilter") != 0,
            OGR_L_TestCapability(handle, "FastFeatureCount") != 0, OGR_L_GetFeatureCount(handle, 0) >= minimumFeatures
        {
            var e = OGREnvelope()
            guard OGR_L_GetExtent(handle, &e, 0) == OGRERR_NONE, e.MinX.isFinite, e.MaxX.isFinite, e.MinY.isFinite,
                e.MaxY.isFinite, e.MaxX > e.MinX
            else { return [.all] }
            let strips = 4 * count
            let width = (e.MaxX - e.MinX) / Double(strips)
            // The outer edges widened: a feature on the extent's edge meets a strip for sure.
            let pad = max(e.MaxX - e.MinX, e.MaxY - e.MinY, 1e-9)
            return (0..<strips).map { k in
                .box(
                    BoundingBox(
                        minX: k == 0 ? e.MinX - pad : e.MinX + width * Double(k), minY: e.MinY - pad,
                        maxX: k == strips - 1 ? e.MaxX + pad : e.MinX + width * Double(k + 1), maxY: e.MaxY + pad))
            }
        }
        if dataset.driverName == "GPKG", let c = OGR_L_GetFIDColumn(handle), c.pointee != 0 {
            let column = String(cString: c)
            // Two sub-selects: SQLite answers each from the primary key, but not MIN and MAX together.
            let col = LayerPart.quoted(column)
            let table = LayerPart.quoted(name)
            let sql = "SELECT (SELECT MIN(\(col)) FROM \(table)), (SELECT MAX(\(col)) FROM \(table))"
            GDALRuntime.reset()
            guard let result = GDALDatasetExecuteSQL(dataset.handle, sql, nil, nil) else { return [.all] }
            defer { GDALDatasetReleaseResultSet(dataset.handle, result) }
            guard let f = OGR_L_GetNextFeature(result) else { return [.all] }
            defer { OGR_F_Destroy(f) }
            guard OGR_F_IsFieldSetAndNotNull(f, 0) != 0, OGR_F_IsFieldSetAndNotNull(f, 1) != 0 else { return [.all] }
            let lo = OGR_F_GetFieldAsInteger64(f, 0)
            let hi = OGR_F_GetFieldAsInteger64(f, 1)
            // The count GeoPackages keep (gpkg_ogr_contents); the id span when they keep none.
            let counted = OGR_L_GetFeatureCount(handle, 0)
            return Self.ranges(
                column: column, lo: lo, hi: hi, features: counted >= 0 ? counted : hi - lo + 1, count: count,
                minimumFeatures: minimumFeatures)
        }
        if dataset.driverName == "PostgreSQL", !isResultSet, let c = OGR_L_GetFIDColumn(handle), c.pointee != 0 {
            // Key ranges of the primary key; the planner's row estimate, not a count(*) scan.
            let column = String(cString: c)
            let table = LayerPart.quotedTable(name)
            let col = LayerPart.quoted(column)
            let sql =
                "SELECT min(\(col)), max(\(col)), (SELECT reltuples::bigint FROM pg_class WHERE oid = \(VectorLayer.sqlLiteral(table))::regclass) FROM \(table)"
            guard let row = try? dataset.rows(sql).first, row.count == 3,
                case .integer(let lo) = row[0], case .integer(let hi) = row[1]
            else { return [.all] }
            var n = hi - lo + 1
            if case .integer(let estimate) = row[2], estimate > 0 { n = estimate }
            return Self.ranges(
                column: column, lo: lo, hi: hi, features: n, count: count, minimumFeatures: minimumFeatures)
        }
        // Shapefiles only: other drivers that seek fast (GeoJSON, FlatGeobuf …) may parse the
        // whole file again on every open, which would cost more than the parallel read saves.
        if dataset.driverName == "ESRI Shapefile", OGR_L_TestCapability(handle, "FastSetNextByIndex") != 0,
            OGR_L_TestCapability(handle, "FastFeatureCount") != 0
        {
            let n = OGR_L_GetFeatureCount(handle, 0)
            guard n >= minimumFeatures else { return [.all] }
            let share = (n + Int64(count) - 1) / Int64(count)
            return stride(from: Int64(0), to: n, by: Int(share)).map {
                .indexRange(start: $0, count: min(share, n - $0))
            }
        }
        return [.all]
    }
}

extension VectorLayer {
    /// ``columnText(_:)`` of a SQLite table whose feature ids run without a gap from the first
    /// to the last: the texts alone, in one `group_concat` over the table read in rowid order
    /// (`NOT INDEXED`: no index may order the scan), the k-th text the feature `first + k`'s.
    /// Joining no ids costs SQLite about 40 % less (0.10 → 0.06 s over 200,000 features).
    /// - Parameters:
    ///   - value: the SQL expression of the column's text.
    ///   - fid: the quoted feature-id column.
    /// - Returns: nil when the ids have gaps, the query fails or a text holds U+001F.
    private func contiguousColumnText(value: String, fid: String) -> [(fid: Int64, text: String)]? {
        let sql =
            "SELECT COUNT(*), MIN(\(fid)), MAX(\(fid)), group_concat(IFNULL(\(value), ''), char(31)) "
            + "FROM \(LayerPart.quoted(name)) NOT INDEXED"
        guard let row = try? dataset.rows(sql).first, row.count == 4, case .integer(let n) = row[0] else { return nil }
        if n == 0 { return [] }
        guard case .integer(let first) = row[1], case .integer(let last) = row[2], last - first + 1 == n,
            case .string(var joined) = row[3]
        else { return nil }
        let texts = joined.withUTF8 { bytes in
            bytes.split(separator: 0x1F, omittingEmptySubsequences: false).map {
                String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self)
            }
        }
        guard texts.count == n else { return nil }
        return texts.enumerated().map { (first + Int64($0.offset), $0.element) }
    }

    /// Every feature's id with the text of one column, as the database behind the layer gives
    /// them in one aggregate query: SQLite's `group_concat` for a GeoPackage or SQLite file,
    /// PostgreSQL's `string_agg` for a PostGIS table. No feature is made: for a column read
    /// whole (the ids of every feature of a register), a fraction of reading it feature by feature.
    ///
    /// The text is the column's value as the database writes it as text: a text column's bytes,
    /// an integer's digits; an empty text for NULL. Pairs come in feature-id order.
    /// - Returns: nil when the driver cannot run such a query (other drivers, SQL result layers,
    ///   legacy-encoded text, columns other than text and integer, a layer without an id
    ///   column), when the query fails, or when a value holds the separators the query joins
    ///   with (U+001E, U+001F): the caller then reads the column feature by feature.
    public func columnText(_ column: String) -> [(fid: Int64, text: String)]? {
        guard !isResultSet, dataset.legacyEncoding == nil, let field = field(named: column),
            [.integer, .integer64, .string].contains(field.type), let f = OGR_L_GetFIDColumn(handle), f.pointee != 0
        else { return nil }
        let fid = LayerPart.quoted(String(cString: f))
        let c = LayerPart.quoted(field.name)
        let sql: String
        switch dataset.driverName {
        case "GPKG", "SQLite":
            // As OGR reads the column (sqlite3_column_int64 / _text): a text in an integer column is 0.
            let value = field.type == .string ? "CAST(\(c) AS TEXT)" : "CAST(CAST(\(c) AS INTEGER) AS TEXT)"
            if let texts = contiguousColumnText(value: value, fid: fid) { return texts }
            sql =
                "SELECT COUNT(*), group_concat(CAST(\(fid) AS TEXT) || char(30) || IFNULL(\(value), ''), "
                + "char(31)) FROM \(LayerPart.quoted(name))"
        case "PostgreSQL":
            sql =
                "SELECT count(*), string_agg(\(fid)::text || chr(30) || coalesce(\(c)::text, ''), chr(31)) FROM \(LayerPart.quotedTable(name))"
        default: return nil
        }
        guard let row = try? dataset.rows(sql).first, row.count == 2, case .integer(let n) = row[0] else { return nil }
        if n == 0 { return [] }
        guard case .string(let joined) = row[1] else { return nil }
        var joinedText = joined
        let pairs = joinedText.withUTF8 { bytes -> [(fid: Int64, text: String)]? in
            // "fid␞text␟fid␞text…", read in place: digits, then the text up to the next ␟.
            var out: [(fid: Int64, text: String)] = []
            out.reserveCapacity(Int(n))
            var i = 0
            while i <= bytes.count {
                var id: Int64 = 0
                var digits = 0
                var negative = false
                if i < bytes.count && bytes[i] == UInt8(ascii: "-") {
                    negative = true
                    i += 1
                }
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39, digits < 19 {
                    id = id * 10 + Int64(bytes[i] - 0x30)
                    digits += 1
                    i += 1
                }
                guard digits > 0, i < bytes.count, bytes[i] == 0x1E else { return nil }
                i += 1
                var end = i
                while end < bytes.count && bytes[end] != 0x1F { end += 1 }
                out.append(
                    (
                        negative ? -id : id,
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
                    ))
                i = end + 1
            }
            return out
        }
        guard var out = pairs, out.count == n else { return nil }
        if !out.indices.dropFirst().allSatisfy({ out[$0 - 1].fid <= out[$0].fid }) { out.sort { $0.fid < $1.fid } }
        return out
    }
}

extension VectorLayer {
    /// True when attribute filters run as SQL inside the data source (GeoPackage, SQLite), so a
    /// filtered-out feature costs nothing to skip, and text is compared as stored (UTF-8, not a
    /// legacy encoding decoded by geomonitor).
    public var filtersNatively: Bool {
        dataset.legacyEncoding == nil && ["GPKG", "SQLite", "PostgreSQL"].contains(dataset.driverName)
    }

    /// A column's name as an SQL identifier (double-quoted).
    public static func sqlIdentifier(_ name: String) -> String { LayerPart.quoted(name) }

    /// A PostgreSQL table name, `schema.table` or `table`, as an SQL identifier, each part
    /// double-quoted (`"public"."lo_rung"`).
    public static func sqlTableIdentifier(_ name: String) -> String { LayerPart.quotedTable(name) }

    /// A text value as an SQL string literal (single-quoted).
    public static func sqlLiteral(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// One feature as plain values.
public struct FeatureRecord: Sendable {
    /// The feature id GDAL reports (or its 1-based position when the source has none).
    public var fid: Int64
    /// Values of the requested fields, in the requested order.
    public var values: [FieldValue]
    /// The geometry, nil when the feature has none or an empty one.
    public var geometry: Geometry?
}

enum FeatureReader {
    /// - Parameters:
    ///   - invalid: set to the raw bytes of a text value that is not valid UTF-8 (read with U+FFFD
    ///     replacement characters), or to the bytes behind legacy text shown as Windows-1252/1258
    ///     characters (`shownAsANSI`).
    ///   - rawBytes: the driver gives text as the file's bytes (see `VectorDataset.textIsRawBytes`).
    ///   - plainUnicode: non-ASCII values already found to be plain Unicode (not legacy text shown
    ///     through a code page), so that repeated values are not analysed again.
    ///   - type: the field's type, when the caller looked it up once for a whole pass.
    static func value(
        _ f: OGRFeatureH, _ i: Int32, type: OGRFieldType? = nil, legacy: LegacyEncoding? = nil, rawBytes: Bool = true,
        invalid: inout (bytes: [UInt8], shownAsANSI: Bool)?, plainUnicode: inout PlainTextMemo
    ) -> FieldValue {
        guard OGR_F_IsFieldSetAndNotNull(f, i) != 0 else { return .null }
        switch type ?? OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) {
        case OFTInteger, OFTInteger64: return .integer(OGR_F_GetFieldAsInteger64(f, i))
        case OFTReal: return .real(OGR_F_GetFieldAsDouble(f, i))
        case OFTDate, OFTDateTime:
            var y: Int32 = 0
            var m: Int32 = 0
            var d: Int32 = 0
            var hh: Int32 = 0
            var mm: Int32 = 0
            var tz: Int32 = 0
            var ss: Float = 0
            if OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &hh, &mm, &ss, &tz) != 0, y > 0 {
                return .date(year: Int(y), month: Int(m), day: Int(d))
            }
            return .string(String(cString: OGR_F_GetFieldAsString(f, i)))
        case OFTIntegerList, OFTInteger64List:
            var n: Int32 = 0
            guard let p = OGR_F_GetFieldAsInteger64List(f, i, &n) else { return .integerList([]) }
            return .integerList(Array(UnsafeBufferPointer(start: p, count: Int(n))))
        case OFTRealList:
            var n: Int32 = 0
            guard let p = OGR_F_GetFieldAsDoubleList(f, i, &n) else { return .realList([]) }
            return .realList(Array(UnsafeBufferPointer(start: p, count: Int(n))))
        default:
            guard let c = OGR_F_GetFieldAsString(f, i) else { return .null }
            let bytes = UnsafeRawBufferPointer(start: c, count: strlen(c)).bindMemory(to: UInt8.self)
            // The C-string form, not the generic `String(validating:as:)`, which instantiated its
            // generic metadata on every value (a tenth of reading a 200,000-feature FlatGeobuf).
            let unicode = String(validatingCString: c)
            if let legacy {
                // A Unicode container stores legacy text as the characters a Windows code page
                // shows for its bytes; Unicode Vietnamese in it stays as it is.
                if rawBytes || unicode == nil { return .string(legacy.decode(bytes)) }
                guard let s = unicode else { return .null }
                if let b = LegacyEncoding.ansiBytes(of: s), !LegacyEncoding.readsAsVietnamese(s) {
                    return .string(legacy.decode(b))
                }
                return .string(s)
            }
            return text(bytes, unicode: unicode, invalid: &invalid, plainUnicode: &plainUnicode)
        }
    }

    /// Text a source holds, as ``value(_:_:legacy:rawBytes:invalid:plainUnicode:)`` reads it
    /// from bytes that need not end in NUL (an Arrow column): `invalid` and `plainUnicode` as there.
    static func text(
        _ bytes: UnsafeBufferPointer<UInt8>, invalid: inout (bytes: [UInt8], shownAsANSI: Bool)?,
        plainUnicode: inout PlainTextMemo
    ) -> FieldValue {
        var s = String(decoding: bytes, as: UTF8.self)
        // Decoding replaces what is not UTF-8, so the text is UTF-8 exactly when its bytes come
        // back (ASCII always does).
        let valid =
            !bytes.contains(where: { $0 >= 0x80 }) || s.withUTF8 { $0.elementsEqual(bytes) }
        return text(bytes, unicode: valid ? s : nil, invalid: &invalid, plainUnicode: &plainUnicode)
    }

    /// Text given as `bytes` and, when they are UTF-8, as `unicode`: legacy text shown through a
    /// Windows code page and bytes that are not UTF-8 are reported through `invalid`.
    private static func text(
        _ bytes: UnsafeBufferPointer<UInt8>, unicode: String?, invalid: inout (bytes: [UInt8], shownAsANSI: Bool)?,
        plainUnicode: inout PlainTextMemo
    ) -> FieldValue {
        if let s = unicode {
            // Legacy text shown through a Windows code page ("hoµn thµnh"): valid UTF-8, but
            // reported as what it is when exactly one legacy encoding reads it as Vietnamese.
            if bytes.contains(where: { $0 >= 0x80 }), plainUnicode[bytes] == nil {
                if let b = LegacyEncoding.legacyBytes(shownIn: s), LegacyEncoding.guess(b) != nil {
                    invalid = (b, true)
                } else {
                    plainUnicode.insert(bytes, ())
                }
            }
            return .string(s)
        }
        invalid = (Array(bytes), false)
        return .string(String(decoding: bytes, as: UTF8.self))
    }
}

extension FieldType {
    init(_ t: OGRFieldType) {
        switch t {
        case OFTInteger: self = .integer
        case OFTInteger64: self = .integer64
        case OFTReal: self = .real
        case OFTString: self = .string
        case OFTDate: self = .date
        case OFTTime: self = .time
        case OFTDateTime: self = .dateTime
        case OFTBinary: self = .binary
        case OFTIntegerList, OFTInteger64List: self = .integerList
        case OFTRealList: self = .realList
        case OFTStringList: self = .stringList
        default: self = .other
        }
    }
}

extension VectorLayer {
    /// `count` ranges of the key `column` from `lo` to `hi`, or the whole layer when it holds
    /// fewer than `minimumFeatures` features (one connection reads it faster).
    static func ranges(column: String, lo: Int64, hi: Int64, features: Int64, count: Int, minimumFeatures: Int64)
        -> [LayerPart]
    {
        guard features >= minimumFeatures, hi > lo else { return [.all] }
        let span = (hi - lo) / Int64(count) + 1
        return (0..<Int64(count)).compactMap { k in
            let a = lo + k * span
            guard a <= hi else { return nil }
            return .fidRange(column: column, from: a, to: min(hi, a + span - 1))
        }
    }
}

/// Values remembered by the bytes they were read from, up to 256: looked up by an FNV-1a hash
/// of the bytes (a `Set` of byte arrays feeds Swift's hasher one byte at a time), the bytes
/// compared on a hit; a hash collision only means a value is read again.
struct BytesMemo<Value> {
    private var known: [UInt64: (bytes: [UInt8], value: Value)] = [:]

    /// The value remembered for `bytes`, if any.
    subscript(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let k = known[FNV1a.hash(bytes)], k.bytes.elementsEqual(bytes) else { return nil }
        return k.value
    }

    /// Remembers `value` for `bytes`; false when the memo is full.
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value) -> Bool {
        guard known.count < 256 else { return false }
        known[FNV1a.hash(bytes)] = (Array(bytes), value)
        return true
    }
}

/// Texts of a pass already found to be plain Unicode (not legacy text shown through a code
/// page), by their UTF-8 bytes: a status column repeats a few values, each checked once.
typealias PlainTextMemo = BytesMemo<Void>
