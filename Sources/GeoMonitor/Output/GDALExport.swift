import Foundation
internal import GDALKit
import GeoKit

/// Writes a layer (localities, projects, progress) through a GDAL driver: a file (GeoPackage,
/// FlatGeobuf, Shapefile, GeoJSONSeq … — the driver chosen from the extension) or a table of a
/// PostGIS database (`PG:…`), which is how dashboards and QGIS projects get the figures.
///
/// Columns are typed from the values (numbers as reals, `YYYY-MM-DD` text as dates, lists and
/// objects as JSON text); names are lower-cased with anything but letters, digits and `_`
/// turned into `_`. Geometries are WGS 84 (EPSG:4326); localities and progress as
/// multi-polygons.
///
/// - A **file** is written under a temporary name beside it and renamed over it when complete:
///   a failed export leaves the old file as it was.
/// - A **PostGIS table** gets a primary key (`fid`), a `geom` column with a GiST index, and is
///   written as a new table first, then swapped for the old one in one transaction (readers see
///   the old table or the new, never half of either).
public enum GDALExport {
    /// What one export wrote.
    public struct Summary: Sendable {
        /// Where it went (a connection string without its password).
        public var destination: String
        /// The GDAL driver used.
        public var driver: String
        /// The layer or table name.
        public var table: String
        /// How many features were written.
        public var count: Int
    }

    /// Writes `features` as the layer `name` to `destination`.
    /// - Parameters:
    ///   - features: the features (GeoJSON properties become columns; the feature id a column `id`
    ///     when no property is called so).
    ///   - name: the layer or table name (`schema.table` on PostGIS).
    ///   - polygons: declare multi-polygons (localities, progress); false for any geometry.
    ///   - destination: a file path or a `PG:` connection string.
    ///   - driver: a GDAL driver short name, else chosen from the file's extension.
    /// - Throws: ``GeoMonitorError`` of kind `.usage` for an unknown driver or extension,
    ///   `.output` (naming the destination without password, the layer and the feature) when
    ///   writing fails; nothing is left half-written.
    public static func write(
        _ features: [GeoJSONFeature], name: String, polygons: Bool, to destination: String, driver: String? = nil
    ) throws -> Summary {
        let (fields, rows) = columns(features)
        let shown = displayPath(destination)
        do {
            if Manifest.isConnection(destination) {
                try writePostGIS(
                    fields: fields, rows: rows, features: features, name: name, polygons: polygons, to: destination)
                return Summary(destination: shown, driver: "PostgreSQL", table: name, count: features.count)
            }
            let ext = URL(fileURLWithPath: destination).pathExtension
            guard let drv = driver ?? VectorDataset.writerDriver(forExtension: ext) else {
                throw GeoMonitorError(
                    .usage, file: shown, key: "--out",
                    "no GDAL driver writes files ending in '.\(ext)'; name one with --driver (GPKG, FlatGeobuf, \"ESRI Shapefile\", GeoJSONSeq …)"
                )
            }
            guard VectorDataset.canWrite(driver: drv) else {
                throw GeoMonitorError(
                    .usage, file: shown, key: "--driver",
                    "GDAL has no vector driver '\(drv)' that writes files (see `ogrinfo --formats`)")
            }
            try writeFile(
                fields: fields, rows: rows, features: features, name: name, polygons: polygons, to: destination,
                driver: drv)
            return Summary(destination: shown, driver: drv, table: name, count: features.count)
        } catch let e as GDALError {
            throw GeoMonitorError(
                .output, file: shown, layer: e.layer ?? name, feature: e.feature.map(String.init), e.message)
        }
    }

    /// The columns of the features (first-seen order) and each feature's values for them.
    static func columns(_ features: [GeoJSONFeature]) -> ([LayerWriter.Field], [[FieldValue]]) {
        var order: [String] = []
        var index: [String: Int] = [:]
        var kinds: [[FieldType]] = []
        func column(_ raw: String) -> Int {
            var name = String(
                raw.lowercased().unicodeScalars.map {
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" ? Character($0) : "_"
                })
            if name.isEmpty || name.first!.isNumber { name = "c_" + name }
            if name == "fid" || name == "geom" { name += "_" }
            if let i = index[name] { return i }
            index[name] = order.count
            order.append(name)
            kinds.append([])
            return order.count - 1
        }
        let hasID = features.first?.properties.contains { $0.0 == "id" } ?? false
        var cells: [[(Int, JSONValue)]] = []
        cells.reserveCapacity(features.count)
        for f in features {
            var row: [(Int, JSONValue)] = []
            if !hasID { row.append((column("id"), .string(f.id))) }
            for (k, v) in f.properties { row.append((column(k), v)) }
            cells.append(row)
        }
        var types = [FieldType](repeating: .other, count: order.count)
        for row in cells {
            for (i, v) in row {
                let t: FieldType
                switch v {
                case .null: continue
                case .number: t = .real
                case .bool: t = .integer64
                case .string(let s): t = Day.parse(iso: s) != nil && s.count == 10 ? .date : .string
                case .array, .object: t = .string
                }
                if types[i] == .other { types[i] = t } else if types[i] != t { types[i] = .string }
            }
        }
        let fields = order.enumerated().map {
            LayerWriter.Field(name: $0.element, type: types[$0.offset] == .other ? .string : types[$0.offset])
        }
        let rows = cells.map { row -> [FieldValue] in
            var values = [FieldValue](repeating: .null, count: order.count)
            for (i, v) in row {
                switch (v, fields[i].type) {
                case (.null, _): values[i] = .null
                case (.number(let x), .real): values[i] = .real(x)
                case (.bool(let b), .integer64): values[i] = .integer(b ? 1 : 0)
                case (.string(let s), .date):
                    if let d = Day.parse(iso: s) { values[i] = .date(year: d.year, month: d.month, day: d.day) }
                case (.string(let s), _): values[i] = .string(s)
                default: values[i] = .string(v.serialized())
                }
            }
            return values
        }
        return (fields, rows)
    }

    static func writeFile(
        fields: [LayerWriter.Field], rows: [[FieldValue]], features: [GeoJSONFeature], name: String, polygons: Bool,
        to destination: String, driver: String
    ) throws {
        let fm = FileManager.default
        let dest = URL(fileURLWithPath: destination)
        let folder = dest.deletingLastPathComponent()
        let staging = folder.appendingPathComponent(".\(dest.lastPathComponent).geomonitor-\(getpid())")
        try? fm.removeItem(at: staging)
        do { try fm.createDirectory(at: staging, withIntermediateDirectories: false) } catch {
            throw GDALError(
                .writeFailed, file: destination, "cannot write in \(folder.path): \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: staging) }
        let temp = staging.appendingPathComponent(dest.lastPathComponent).path
        do {
            let ds = try VectorDataset(creating: temp, driver: driver)
            let w = try LayerWriter(dataset: ds, name: name, fields: fields, geometry: polygons ? .multiPolygon : .any)
            let transaction = (try? ds.beginTransaction()) != nil
            for (i, f) in features.enumerated() { try w.add(fid: Int64(i + 1), values: rows[i], geometry: f.geometry) }
            if transaction { try ds.commit() }
            try w.finish()
        }  // closed here: everything is on disk
        // Every file the driver wrote (a shapefile's .shp, .shx, .dbf, .prj …), the main file last.
        let written = ((try? fm.contentsOfDirectory(atPath: staging.path)) ?? []).sorted { a, _ in
            a != dest.lastPathComponent
        }
        for file in written {
            let target = folder.appendingPathComponent(file)
            if rename(staging.appendingPathComponent(file).path, target.path) != 0 {
                throw GDALError(
                    .writeFailed, file: destination,
                    "cannot rename the finished file to \(target.path): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func writePostGIS(
        fields: [LayerWriter.Field], rows: [[FieldValue]], features: [GeoJSONFeature], name: String, polygons: Bool,
        to destination: String
    ) throws {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let schema = parts.count == 2 ? parts[0] : nil
        let table = parts.count == 2 ? parts[1] : name
        let staging = "\(table)__geomonitor_new"
        let ds = try VectorDataset(path: destination, update: true)
        let q = VectorLayer.sqlIdentifier
        let lit = VectorLayer.sqlLiteral
        let prefix = schema.map { q($0) + "." } ?? ""
        var options = [
            "FID": "fid", "GEOMETRY_NAME": "geom", "SPATIAL_INDEX": "GIST", "OVERWRITE": "YES", "LAUNDER": "NO",
            "PRECISION": "NO",
        ]
        if let schema { options["SCHEMA"] = schema }
        let w = try LayerWriter(
            dataset: ds, name: staging, fields: fields, geometry: polygons ? .multiPolygon : .any, options: options)
        do {
            try ds.beginTransaction()
            for (i, f) in features.enumerated() { try w.add(fid: Int64(i + 1), values: rows[i], geometry: f.geometry) }
            try ds.commit()
        } catch {
            ds.rollback()
            try? ds.execute("DROP TABLE IF EXISTS \(prefix)\(q(staging))")
            throw error
        }
        // One statement, so one transaction: the old table goes and the new one takes its name,
        // with its index, key and sequence renamed to match (so the next export can stage again).
        let nsp = schema.map(lit) ?? "current_schema()"
        let swap = """
            DO $geomonitor$ DECLARE r record; BEGIN
              DROP TABLE IF EXISTS \(prefix)\(q(table));
              ALTER TABLE \(prefix)\(q(staging)) RENAME TO \(q(table));
              FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = \(nsp) AND c.relkind IN ('i', 'S') AND left(c.relname, \(staging.utf8.count)) = \(lit(staging)) LOOP
                EXECUTE format('ALTER %s %I.%I RENAME TO %I', CASE r.relkind WHEN 'i' THEN 'INDEX' ELSE 'SEQUENCE' END,
                               \(nsp), r.relname, \(lit(table)) || substr(r.relname, \(staging.utf8.count + 1)));
              END LOOP;
            END $geomonitor$
            """
        do { try ds.execute(swap) } catch {
            try? ds.execute("DROP TABLE IF EXISTS \(prefix)\(q(staging))")
            throw error
        }
    }

    /// The features of a layer of a loaded dataset, as `export gdal` writes them.
    /// - Parameters:
    ///   - d: the dataset.
    ///   - layer: which layer.
    ///   - targets: for `.progress`, the targets (one column set each, prefixed by the target id
    ///     when there are several); empty for every target of the catalog.
    ///   - asOf: the date of the progress figures.
    ///   - warnings: receives the warnings of the computation (progress warnings, simplification).
    /// - Throws: ``GeoMonitorError`` from assigning projects or computing progress.
    public static func features(
        _ d: Dataset, layer: GeoJSONExport.Layer, targets: [String], asOf: Day, warnings: inout [Warning]
    ) throws -> [GeoJSONFeature] {
        switch layer {
        case .localities:
            return try GeoJSONExport.localities(d, simplifyMetres: nil, warnings: &warnings)
        case .projects:
            return GeoJSONExport.projects(d, assignment: try SpatialAssignment(d))
        case .progress:
            let engine = try ProgressEngine(dataset: d)
            let ids = targets.isEmpty ? engine.catalog.targets.map(\.id) : targets
            let report = try engine.run(asOf: asOf, targets: ids)
            warnings += report.warnings
            return ProgressOutput.localityFeatures(report, localities: d.localities)
        }
    }
}
