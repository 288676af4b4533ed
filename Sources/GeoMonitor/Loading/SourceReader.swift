import Foundation
internal import GDALKit

/// Opens one source of a manifest and reads its features, already transformed to WGS 84
/// longitude/latitude, with the mapped columns resolved once.
struct SourceReader {
    let path: String
    let displayPath: String
    let layer: VectorLayer
    let transform: CoordinateTransform
    let sourceCRS: SpatialReference
    let openOptions: [String: String]
    /// Set by `restrict(to:)`: the layer is read through one connection, which holds the filter.
    private(set) var spatiallyFiltered = false
    /// An attribute filter (SQL) the source applies itself, set by the project loader when it can
    /// express its pre-filter that way.
    var condition: String?
    /// Caps on what the source may hold (`Limits`).
    let limits: Limits
    /// Builds each feature's geometry from its values (a table's coordinate or WKT columns)
    /// instead of the geometry GDAL reads, when the source says where it is.
    var tableGeometry: TableGeometryReader?
    /// Turns closed lines, and lines whose ends lie at most this many metres apart, into
    /// polygons (after reprojection, before measuring); nil keeps lines.
    var lineTolerance: Double?
    /// Where the phases of opening and reading (open, read, reproject, build) are timed.
    let timings: PhaseLog

    /// - Parameters:
    ///   - crsKey: the manifest key that declares a CRS for this source, named in the error when the source has none.
    ///   - sql: a query the source runs itself, read instead of `layerName`.
    ///   - timings: the job's phase log.
    init(
        path: String, displayPath: String, layer layerName: String?, crs: String?, openOptions: [String: String],
        crsKey: String, limits: Limits = Limits(),
        sql: String? = nil, timings: PhaseLog = .off
    ) throws {
        self.timings = timings
        self.path = path
        self.displayPath = displayPath
        self.openOptions = openOptions
        self.limits = limits
        try limits.checkFileSize(
            path, shown: displayPath, key: crsKey.replacingOccurrences(of: ".crs", with: ".source"))
        do {
            let ds = try timings.measure("open") { try VectorDataset(path: path, openOptions: openOptions) }
            layer = try sql.map { try ds.sqlLayer($0) } ?? ds.layer(layerName)
        } catch let e as GDALError {
            var e = e
            e.file = displayPath
            var error = GeoMonitorError(e, file: displayPath)
            // Which manifest key named the file (`localities.source`, `projects[1].source`).
            if error.key == nil { error.key = crsKey.replacingOccurrences(of: ".crs", with: ".source") }
            throw error
        }
        // An open option the driver does not know would be ignored silently (the XLSX driver has
        // no X_POSSIBLE_NAMES): refuse it by name.
        let unknown = layer.dataset.unknownOpenOptions(openOptions)
        if let first = unknown.first {
            let base = crsKey.hasSuffix(".crs") ? String(crsKey.dropLast(4)) : crsKey
            let known = layer.dataset.openOptionNames.sorted()
            var coordinates =
                ["X_POSSIBLE_NAMES", "Y_POSSIBLE_NAMES", "GEOM_POSSIBLE_NAMES", "KEEP_GEOM_COLUMNS"].contains(
                    first.uppercased())
                ? "; to read coordinates or WKT from columns, say where they are with `geometry: {lon: COLUMN, lat: COLUMN}`, `{x: X, y: Y, order: survey}` or `{wkt: COLUMN}`"
                : ""
            if first.uppercased() == "ENCODING" {
                coordinates =
                    "; `encoding:` recodes CP1258, TCVN3 and VNI in every driver, other encodings only where the driver has an ENCODING option (shapefiles): convert the file to UTF-8"
            }
            throw GeoMonitorError(
                .configuration, file: displayPath, key: "\(base).open_options",
                "the \(layer.dataset.driverName) driver has no open option '\(first)'\(unknown.count > 1 ? " (nor " + unknown.dropFirst().map { "'\($0)'" }.joined(separator: ", ") + ")" : "")"
                    + (known.isEmpty ? "; it takes none" : "; it knows: " + known.joined(separator: ", ")) + coordinates
            )
        }
        let srs: SpatialReference
        if let crs {
            do { srs = try SpatialReference(crs) } catch let e as GDALError {
                throw GeoMonitorError(.crs, file: displayPath, key: crsKey, e.message)
            }
        } else if let s = layer.spatialReference {
            srs = s
        } else {
            throw GeoMonitorError(
                .crs, file: displayPath, layer: layer.name, key: crsKey,
                "the source declares no CRS; declare one in the manifest with `\(crsKey): EPSG:…` (e.g. EPSG:4326 for lon/lat, EPSG:5899 for VN-2000 / TM-3 107-45)"
            )
        }
        sourceCRS = srs
        do { transform = try CoordinateTransform(from: srs, to: .wgs84) } catch let e as GDALError {
            throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, key: crsKey, e.message)
        }
    }

    /// Reads only features whose bounding box meets `region` (WGS 84), by a GDAL spatial filter
    /// in the source's CRS (the box transformed with densified edges, widened by 1e-6 of its size).
    mutating func restrict(to region: BoundingBox) throws {
        let toSource: CoordinateTransform
        do { toSource = try CoordinateTransform(from: .wgs84, to: sourceCRS) } catch let e as GDALError {
            throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, e.message)
        }
        // From here on the layer holds a spatial filter: it is read through this one connection
        // (a part's own connection would not have the filter).
        spatiallyFiltered = true
        guard let b = try? toSource.transform(region) else {
            // The box lies outside what the CRS can express: nothing in the source can meet it.
            layer.setSpatialFilter(
                BoundingBox(
                    minX: .greatestFiniteMagnitude, minY: .greatestFiniteMagnitude, maxX: .greatestFiniteMagnitude,
                    maxY: .greatestFiniteMagnitude))
            return
        }
        let mx = max(b.width, 1e-9) * 1e-6
        let my = max(b.height, 1e-9) * 1e-6
        layer.setSpatialFilter(BoundingBox(minX: b.minX - mx, minY: b.minY - my, maxX: b.maxX + mx, maxY: b.maxY + my))
    }

    /// Column indices for mapped fields; a missing column is an error naming the key and listing the columns.
    func columns(_ mapping: [(key: String, column: String)]) throws -> [Int] {
        let fields = layer.fields
        return try mapping.map { m in
            guard let f = layer.field(named: m.column) else {
                // A workbook whose every cell is text: GDAL takes its header row for data and names
                // the columns Field1, Field2 …; its XLSX/ODS drivers have a setting for that.
                let driver = layer.dataset.driverName
                let unnamed =
                    !fields.isEmpty
                    && fields.allSatisfy { $0.name.hasPrefix("Field") && Int($0.name.dropFirst(5)) != nil }
                let hint =
                    unnamed && ["XLSX", "ODS"].contains(driver)
                    ? "; GDAL read the sheet's header row as data (it does when every cell of the sheet is text): run with OGR_\(driver)_HEADERS=FORCE in the environment, or store a number cell in the sheet"
                    : ""
                throw GeoMonitorError(
                    .field, file: displayPath, layer: layer.name, key: m.key,
                    "column '\(m.column)' not found; the layer has \(fields.isEmpty ? "no columns" : "columns: " + fields.map(\.name).joined(separator: ", "))\(hint)"
                )
            }
            return f.index
        }
    }

    /// Reads every feature; the geometry handed to `body` is in WGS 84 (nil when the feature has
    /// none) with its geodesic area (ha) and length (km). Large shapefiles (and GeoPackages GDAL does not
    /// read in batches) are read in parts on all cores, each through its own connection; reprojection and measuring run in
    /// batches on all cores; `body` is called in feature order on the calling thread.
    /// - Parameter keep: makes a predicate over a feature's field values (one per reading thread,
    ///   so it may keep caches); a feature it rejects is never parsed further.
    /// - Returns: what the read found besides the features (text that was not UTF-8, closed lines).
    @discardableResult
    func read(
        columns: [Int], keep makeKeep: (@Sendable () -> ([FieldValue]) -> Bool)? = nil,
        _ body: (_ fid: Int64, _ values: [FieldValue], _ geometry: Geometry?, _ areaHa: Double, _ lengthKm: Double)
            throws -> Void
    ) throws -> ReadReport {
        let (batches, report) = try read(columns: columns, keep: makeKeep) {
            Converter { fid, values, geometry, areaHa, lengthKm in (fid, values, geometry, areaHa, lengthKm) }
        }
        try timings.measure("build") {
            for rows in batches { for r in rows { try body(r.0, r.1, r.2, r.3, r.4) } }
        }
        return report
    }

    /// Reads every feature (``readFeatures(columns:keep:)``) and converts each with `convert` on
    /// the worker threads, right after its batch is reprojected and measured
    /// (``reprojectAndMeasure(batch:fids:transform:lineTolerance:findOffEarth:)``); returns the
    /// conversions in feature order, batch by batch (as the workers made them: joining them into
    /// one array would copy every value once more, on one thread).
    /// - Parameters:
    ///   - convert: makes a converter (one per worker thread, so it may keep caches).
    ///   - offEarthFails: throw when a geometry falls outside the Earth in WGS 84; false hands it
    ///     to `convert` as it is (project decoding leaves such features out with a warning).
    ///   - note: makes a text of every feature read, kept or not (``ReadReport/everyFeature``),
    ///     on the reading threads.
    func read<T>(
        columns: [Int], keep makeKeep: (@Sendable () -> ([FieldValue]) -> Bool)? = nil, offEarthFails: Bool = true,
        note: Note? = nil, convert makeConvert: () -> sending Converter<T>
    ) throws -> (batches: [[T]], report: ReadReport) {
        let raw = try readFeatures(columns: columns, keep: makeKeep, note: note)
        let n = raw.fids.count
        // Few features of many vertices (detailed boundaries: 124 communes, 500,000 vertices) are
        // measured on all cores too, a share of the features each (batches under 1,000 features
        // take PROJ's exact path, as a single small batch does).
        let heavy = n < 1_000 && raw.geometries.reduce(0, { $0 + ($1?.coordinateCount ?? 0) }) > 50_000
        let chunk = heavy ? max(1, (n + Parallel.defaultWorkers - 1) / Parallel.defaultWorkers) : Self.batchSize
        let fids = raw.fids
        let values = raw.values
        let geometries = raw.geometries
        let lineTolerance = lineTolerance
        let transform = transform
        let batches = try timings.measure("reproject") {
            try Parallel.chunks(
                count: n, chunk: chunk, state: { _ in (transform: try transform.clone(), convert: makeConvert()) }
            ) { worker, range in
                let m = Self.reprojectAndMeasure(
                    batch: Array(geometries[range]), fids: fids[range], transform: worker.transform,
                    lineTolerance: lineTolerance, findOffEarth: offEarthFails)
                let items = (0..<range.count).map { k in
                    let i = range.lowerBound + k
                    return worker.convert.body(fids[i], values[i], m.geometries[k], m.areaHa[k], m.lengthKm[k])
                }
                return (items: items, measured: m, start: range.lowerBound)
            }
        }
        var report = ReadReport(invalidText: raw.invalidText)
        if note != nil { report.everyFeature = (raw.seenFids, raw.seenTexts) }
        var failed: [Int] = []
        var offEarth: [Int] = []
        for b in batches {
            failed += b.measured.failed.map { $0 + b.start }
            offEarth += b.measured.offEarth.map { $0 + b.start }
            report.closedLines.merge(b.measured.closedLines) { a, _ in a }
        }
        if let first = failed.first { throw transformError(fid: fids[first], count: failed.count) }
        if offEarthFails, let first = offEarth.first {
            throw GeoMonitorError(
                .crs, file: displayPath, layer: layer.name, feature: String(fids[first]),
                "coordinates fall outside the Earth after transforming from \(sourceCRS); are the axes swapped or the CRS wrong?"
            )
        }
        return (batches.map(\.items), report)
    }

    /// Makes a text of a feature (its id and the values of the columns read), for
    /// ``ReadReport/everyFeature``: called on the reading threads.
    typealias Note = @Sendable (_ fid: Int64, _ values: [FieldValue]) -> String?

    /// Features per batch of ``reprojectAndMeasure(batch:fids:transform:lineTolerance:findOffEarth:)``
    /// in a whole read (a batch of 1,000 or more interpolates small geometries in PROJ-checked
    /// patches: see `CoordinateTransform.transform(batch:range:tolerance:)`).
    static let batchSize = 4096

    /// The error for features whose coordinates PROJ cannot transform: `fid` is the first of
    /// them, `count` how many; `ofBatch` for a stream, which reports one batch at a time.
    func transformError(fid: Int64, count: Int, ofBatch: Bool = false) -> GeoMonitorError {
        GeoMonitorError(
            .crs, file: displayPath, layer: layer.name, feature: String(fid),
            "coordinates cannot be transformed from \(sourceCRS) to WGS 84 (\(count) feature(s)\(ofBatch ? " of this batch" : "")); is the declared CRS right?"
        )
    }
}

/// Makes one value of a feature read by ``SourceReader/read(columns:keep:offEarthFails:convert:)``
/// (its id, mapped values, WGS 84 geometry, geodesic area in ha and length in km); one per worker
/// thread, so it may keep caches.
struct Converter<T> {
    var body: (_ fid: Int64, _ values: [FieldValue], _ geometry: Geometry?, _ areaHa: Double, _ lengthKm: Double) -> T
}

/// What a read found besides the features.
struct ReadReport {
    /// Text that was not valid UTF-8 (the first value in feature order, and how many).
    var invalidText: VectorLayer.InvalidText?
    /// What `lineTolerance` did, by feature id: the gap closed in metres, or nil where the ends
    /// lay too far apart and the line was kept.
    var closedLines: [Int64: LineClosure.Outcome] = [:]
    /// Every feature the read saw, kept or not, in feature-id order: its id and the text the
    /// read's ``SourceReader/Note`` made of it; nil unless asked for.
    var everyFeature: (fids: [Int64], texts: [String?])?
}

/// Features as read, before any geometry work: ids, mapped values and geometries in the source
/// CRS, in feature order.
struct RawFeatures: Sendable {
    var fids: [Int64] = []
    var values: [[FieldValue]] = []
    var geometries: [Geometry?] = []
    /// Every feature seen, kept or not, when the read notes them: its id and its note.
    var seenFids: [Int64] = []
    var seenTexts: [String?] = []
    /// Text that was not valid UTF-8 among the values read.
    var invalidText: VectorLayer.InvalidText?

    /// Adds the features of the next part of the layer (taking its arrays whole when this holds
    /// none yet, rather than copying their elements).
    mutating func append(_ next: RawFeatures) {
        if fids.isEmpty && seenFids.isEmpty {
            let bad = invalidText
            self = next
            if let bad { invalidText = bad.merged(with: invalidText) }
            return
        }
        fids += next.fids
        values += next.values
        geometries += next.geometries
        seenFids += next.seenFids
        seenTexts += next.seenTexts
        if let bad = next.invalidText { invalidText = bad.merged(with: invalidText) }
    }

    init() {}

    /// Joins parts that may share features (``LayerPart/box(_:)``), each in feature-id order, into
    /// one list in feature-id order holding each feature once.
    init(merging parts: [RawFeatures]) {
        for (part, i) in Self.mergeOrder(parts.map(\.fids)) {
            fids.append(parts[part].fids[i])
            values.append(parts[part].values[i])
            geometries.append(parts[part].geometries[i])
        }
        for (part, i) in Self.mergeOrder(parts.map(\.seenFids)) {
            seenFids.append(parts[part].seenFids[i])
            seenTexts.append(parts[part].seenTexts[i])
        }
        for p in parts { if let bad = p.invalidText { invalidText = bad.merged(with: invalidText) } }
    }

    /// (list, position) of each distinct id of `lists` (each ascending), in ascending order: a
    /// merge that takes the first list's copy of an id several lists hold.
    static func mergeOrder(_ lists: [[Int64]]) -> [(Int, Int)] {
        var next = [Int](repeating: 0, count: lists.count)
        var order: [(Int, Int)] = []
        order.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var last: Int64? = nil
        while true {
            var best = -1
            for l in lists.indices where next[l] < lists[l].count {
                if best < 0 || lists[l][next[l]] < lists[best][next[best]] { best = l }
            }
            guard best >= 0 else { return order }
            let id = lists[best][next[best]]
            if id != last { order.append((best, next[best])) }
            last = id
            next[best] += 1
        }
    }

    mutating func removeAll() {
        fids.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        geometries.removeAll(keepingCapacity: true)
    }
}

/// A batch of geometries in WGS 84, measured: what both loaders make of the geometries they read.
struct MeasuredBatch {
    /// The geometries, transformed (NaN where PROJ failed) and closed into polygons where asked.
    var geometries: [Geometry?]
    /// Geodesic area (ha) of each polygon geometry, 0 for others.
    var areaHa: [Double]
    /// Geodesic length (km) of each line geometry, 0 for others.
    var lengthKm: [Double]
    /// Positions in the batch (ascending) of geometries PROJ could not transform.
    var failed: [Int]
    /// Positions (ascending) of geometries whose WGS 84 box falls outside the Earth, when asked.
    var offEarth: [Int]
    /// What closing lines did, by feature id (see ``ReadReport/closedLines``).
    var closedLines: [Int64: LineClosure.Outcome]
}

extension SourceReader {
    /// Reads every feature, without geometry work: large GeoPackages and shapefiles in parts on
    /// all cores, each through its own connection, joined in part order (so in feature order),
    /// except a layer GDAL reads in batches on a thread of its own (``VectorLayer/readsInBatches``:
    /// a GeoPackage), read whole. A FlatGeobuf file with a spatial index is read in strips of its
    /// extent (parts that overlap), merged by feature id.
    /// - Parameters:
    ///   - keep: makes a predicate over a feature's field values (one per reading thread, so it
    ///     may keep caches); a feature it rejects is never parsed further.
    ///   - note: makes a text of every feature seen, kept or not (`seenFids`, `seenTexts`).
    func readFeatures(
        columns: [Int], keep makeKeep: (@Sendable () -> ([FieldValue]) -> Bool)? = nil, note: Note? = nil
    ) throws -> RawFeatures {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let parts =
            cores > 1 && !spatiallyFiltered && !layer.readsInBatches
            ? timings.measure("open") { layer.parts(min(cores, 8), overlapping: true) } : [.all]
        let overlapping = parts.contains { if case .box = $0 { true } else { false } }
        do {
            return try timings.measure("read") {
                let progress = ProgressLine(label: "reading \(layer.name)", total: { layer.featureCount })
                defer { progress.finish() }
                let checks = featureChecks(columns)
                // The whole layer through this connection, on this thread.
                func readWhole() throws -> RawFeatures {
                    try Self.readPart(
                        layer, .all, columns: columns, condition: self.condition, keep: makeKeep?(), checks: checks,
                        tableGeometry: self.tableGeometry, note: note
                    ) { progress.update($0) }
                }
                if parts.count == 1 { return try readWhole() }
                try checks.check(featureCount: layer.featureCount)
                // One connection per part.
                let layerName = layer.name
                let path = path
                let options = openOptions
                let n = parts.count
                let condition = condition
                let tableGeometry = tableGeometry
                // Overlapping parts note every feature they see, to be merged and counted.
                let partNote: Note? = note ?? (overlapping ? { @Sendable _, _ in nil } : nil)
                // Only part 0's thread updates the line.
                nonisolated(unsafe) let line = progress
                var results = Parallel.map(count: n, chunk: 1) { k in
                    Result {
                        let l = try VectorDataset(path: path, openOptions: options).layer(layerName)
                        return try Self.readPart(
                            l, parts[k], columns: columns, condition: condition, keep: makeKeep?(), checks: checks,
                            tableGeometry: tableGeometry, note: partNote
                        ) { seen in if k == 0 { line.update(seen * n) } }
                    }
                }
                guard overlapping else {
                    // Each part is taken out of `results` before it joins: the first one's arrays
                    // then become `all`'s own, grown in place by the others (not copied whole).
                    var all = RawFeatures()
                    for k in results.indices {
                        let part = try results[k].get()
                        results[k] = .success(RawFeatures())
                        all.append(part)
                    }
                    return all
                }
                var all = RawFeatures(merging: try results.map { try $0.get() })
                // Strips find features by their geometry: one without any is in none of them.
                if Int64(all.seenFids.count) != layer.featureCount { all = try readWhole() }
                if note == nil {
                    all.seenFids = []
                    all.seenTexts = []
                }
                return all
            }
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: displayPath)
        }
    }

    /// One part of the layer through `l`, in feature order; `tick` hears how many features were
    /// seen, now and then.
    private static func readPart(
        _ l: VectorLayer, _ part: LayerPart, columns: [Int], condition: String?, keep: (([FieldValue]) -> Bool)?,
        checks: Limits.FeatureChecks, tableGeometry: TableGeometryReader?, note: Note?, tick: (Int) -> Void
    ) throws -> RawFeatures {
        var out = RawFeatures()
        var seen = 0
        try withoutActuallyEscaping(tick) { tick in
            out.invalidText = try l.forEachFeature(
                fieldIndices: columns, part: part, where: condition,
                keep: { fid, values in
                    seen += 1
                    if seen & 0x3FFF == 0 { tick(seen) }
                    if let note {
                        out.seenFids.append(fid)
                        out.seenTexts.append(note(fid, values))
                    }
                    return keep?(values) ?? true
                }
            ) { rec in
                try checks.check(rec, index: seen - 1)
                out.fids.append(rec.fid)
                out.values.append(rec.values)
                out.geometries.append(
                    try tableGeometry.map { try $0.geometry(rec.values, fid: rec.fid) } ?? rec.geometry)
            }
        }
        return out
    }

    /// The one geometry step of both loaders (a whole read and a stream): a batch of geometries
    /// transformed to WGS 84 in one PROJ pass, lines closed into polygons within `lineTolerance`
    /// metres, then geodesic area (ha) of polygons and length (km) of lines.
    /// - Parameters:
    ///   - batch: the geometries, in the source CRS (nil for a feature without one).
    ///   - fids: their feature ids, for `closedLines`.
    ///   - transform: the transformation to WGS 84, used by this thread only.
    ///   - findOffEarth: also list the geometries whose box falls outside the Earth.
    static func reprojectAndMeasure(
        batch: [Geometry?], fids: ArraySlice<Int64>, transform: CoordinateTransform,
        lineTolerance: Double?, findOffEarth: Bool
    ) -> MeasuredBatch {
        var local = batch
        let failed = transform.transform(batch: &local, range: 0..<local.count)
        let geod = Geodesic.wgs84
        var areas = [Double](repeating: 0, count: local.count)
        var lengths = [Double](repeating: 0, count: local.count)
        var offEarth: [Int] = []
        var closed: [Int64: LineClosure.Outcome] = [:]
        for (k, fid) in zip(local.indices, fids) {
            if let tolerance = lineTolerance, let geo = local[k], geo.dimension == .line {
                let outcome = LineClosure.close(geo, toleranceM: tolerance, geod: geod)
                if let polygon = outcome.polygon { local[k] = polygon }
                closed[fid] = outcome
            }
            if let geo = local[k] {
                if findOffEarth, let b = geo.bounds, b.minY < -90 || b.maxY > 90 || b.minX < -180 || b.maxX > 180 {
                    offEarth.append(k)
                }
                switch geo.dimension {
                case .area: areas[k] = geod.area(geo) / 10_000
                case .line: lengths[k] = geod.length(geo) / 1000
                case .point: break
                }
            }
        }
        return MeasuredBatch(
            geometries: local, areaHa: areas, lengthKm: lengths, failed: failed, offEarth: offEarth, closedLines: closed
        )
    }
}
