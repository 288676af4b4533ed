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
    /// Caps on what the source may hold (`Limits`); text that was not UTF-8 in the last read.
    let limits: Limits
    let invalidText = LockedBox<VectorLayer.InvalidText?>(nil)
    /// Builds each feature's geometry from its values (a table's coordinate or WKT columns)
    /// instead of the geometry GDAL reads, when the source says where it is.
    var tableGeometry: TableGeometryReader?
    /// Turns closed lines, and lines whose ends lie at most this many metres apart, into
    /// polygons (after reprojection, before measuring); nil keeps lines.
    var lineTolerance: Double?
    /// What `lineTolerance` did, by feature id: the gap closed in metres, or nil where the ends
    /// lay too far apart and the line was kept.
    let closedLines = LockedBox<[Int64: LineClosure.Outcome]>([:])
    /// Where the phases of opening and reading (open, read, reproject, build) are timed.
    let timings: PhaseLog

    /// - Parameters:
    ///   - crsKey: the manifest key that declares a CRS for this source, named in the error when the source has none.
    ///   - sql: a query the source runs itself, read instead of `layerName`.
    ///   - timings: the job's phase log.
    init(path: String, displayPath: String, layer layerName: String?, crs: String?, openOptions: [String: String], crsKey: String, limits: Limits = Limits(),
         sql: String? = nil, timings: PhaseLog = .off) throws {
        self.timings = timings
        self.path = path
        self.displayPath = displayPath
        self.openOptions = openOptions
        self.limits = limits
        try limits.checkFileSize(path, shown: displayPath, key: crsKey.replacingOccurrences(of: ".crs", with: ".source"))
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
            var coordinates = ["X_POSSIBLE_NAMES", "Y_POSSIBLE_NAMES", "GEOM_POSSIBLE_NAMES", "KEEP_GEOM_COLUMNS"].contains(first.uppercased())
                ? "; to read coordinates or WKT from columns, say where they are with `geometry: {lon: COLUMN, lat: COLUMN}`, `{x: X, y: Y, order: survey}` or `{wkt: COLUMN}`" : ""
            if first.uppercased() == "ENCODING" {
                coordinates = "; `encoding:` recodes CP1258, TCVN3 and VNI in every driver, other encodings only where the driver has an ENCODING option (shapefiles): convert the file to UTF-8"
            }
            throw GeoMonitorError(.configuration, file: displayPath, key: "\(base).open_options",
                                  "the \(layer.dataset.driverName) driver has no open option '\(first)'\(unknown.count > 1 ? " (nor " + unknown.dropFirst().map { "'\($0)'" }.joined(separator: ", ") + ")" : "")"
                                  + (known.isEmpty ? "; it takes none" : "; it knows: " + known.joined(separator: ", ")) + coordinates)
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
            layer.setSpatialFilter(BoundingBox(minX: .greatestFiniteMagnitude, minY: .greatestFiniteMagnitude, maxX: .greatestFiniteMagnitude, maxY: .greatestFiniteMagnitude))
            return
        }
        let mx = max(b.width, 1e-9) * 1e-6, my = max(b.height, 1e-9) * 1e-6
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
                let unnamed = !fields.isEmpty && fields.allSatisfy { $0.name.hasPrefix("Field") && Int($0.name.dropFirst(5)) != nil }
                let hint = unnamed && ["XLSX", "ODS"].contains(driver)
                    ? "; GDAL read the sheet's header row as data (it does when every cell of the sheet is text): run with OGR_\(driver)_HEADERS=FORCE in the environment, or store a number cell in the sheet"
                    : ""
                throw GeoMonitorError(.field, file: displayPath, layer: layer.name, key: m.key,
                                      "column '\(m.column)' not found; the layer has \(fields.isEmpty ? "no columns" : "columns: " + fields.map(\.name).joined(separator: ", "))\(hint)")
            }
            return f.index
        }
    }

    /// Reads every feature; the geometry handed to `body` is in WGS 84 (nil when the feature has
    /// none) with its geodesic area (ha) and length (km). Large GeoPackages and shapefiles are read
    /// in parts on all cores, each through its own connection; reprojection and measuring run in
    /// batches on all cores; `body` is called in feature order on the calling thread.
    /// - Parameter keep: makes a predicate over a feature's field values (one per reading thread,
    ///   so it may keep caches); a feature it rejects is never parsed further.
    func read(columns: [Int], keep makeKeep: (() -> ([FieldValue]) -> Bool)? = nil,
              _ body: (_ fid: Int64, _ values: [FieldValue], _ geometry: Geometry?, _ areaHa: Double, _ lengthKm: Double) throws -> Void) throws {
        let rows = try read(columns: columns, keep: makeKeep) { { fid, values, geometry, areaHa, lengthKm in (fid, values, geometry, areaHa, lengthKm) } }
        try timings.measure("build") {
            for r in rows { try body(r.0, r.1, r.2, r.3, r.4) }
        }
    }

    /// Reads every feature and converts each with `convert` on the worker threads, right after it
    /// is reprojected and measured; returns the conversions in feature order.
    /// - Parameters:
    ///   - convert: makes a converter (one per worker thread, so it may keep caches).
    ///   - offEarthFails: throw when a geometry falls outside the Earth in WGS 84; false hands it
    ///     to `convert` as it is (project decoding leaves such features out with a warning).
    func read<T>(columns: [Int], keep makeKeep: (() -> ([FieldValue]) -> Bool)? = nil, offEarthFails: Bool = true,
                 convert makeConvert: () -> (_ fid: Int64, _ values: [FieldValue], _ geometry: Geometry?, _ areaHa: Double, _ lengthKm: Double) -> T) throws -> [T] {
        var fids: [Int64] = [], values: [[FieldValue]] = []
        var geoms: [Geometry?] = []
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let parts = cores > 1 && !spatiallyFiltered ? timings.measure("open") { layer.parts(min(cores, 8)) } : [.all]
        do {
            try timings.measure("read") {
                let progress = ProgressLine(label: "reading \(layer.name)", total: { layer.featureCount })
                defer { progress.finish() }
                let checks = featureChecks(columns)
                let condition = condition
                nonisolated(unsafe) let makeKeep = makeKeep, reader = self
                /// One part of the layer through `l`, in feature order; `tick` hears how many
                /// features were seen, now and then.
                @Sendable func readPart(_ l: VectorLayer, _ part: LayerPart, tick: (Int) -> Void) throws -> ([Int64], [[FieldValue]], [Geometry?]) {
                    var f: [Int64] = [], v: [[FieldValue]] = [], g: [Geometry?] = []
                    let keep = makeKeep?()
                    var seen = 0
                    try withoutActuallyEscaping(tick) { tick in
                        try l.forEachFeature(fieldIndices: columns, part: part, where: condition, keep: { values in
                            seen += 1
                            if seen & 0x3FFF == 0 { tick(seen) }
                            return keep?(values) ?? true
                        }) { rec in
                            try checks.check(rec, index: seen - 1)
                            f.append(rec.fid); v.append(rec.values)
                            g.append(try reader.tableGeometry.map { try $0.geometry(rec.values, fid: rec.fid) } ?? rec.geometry)
                        }
                    }
                    reader.noteInvalidText(of: l)
                    return (f, v, g)
                }
                if parts.count == 1 {
                    (fids, values, geoms) = try readPart(layer, .all) { progress.update($0) }
                    return
                }
                try checks.check(featureCount: layer.featureCount)
                // One connection per part; results joined in part order, so in feature order.
                let results = LockedBox<[Int: Result<([Int64], [[FieldValue]], [Geometry?]), Error>]>([:])
                let layerName = layer.name, path = path, options = openOptions, n = parts.count
                nonisolated(unsafe) let line = progress
                DispatchQueue.concurrentPerform(iterations: n) { k in
                    let r = Result {
                        let l = try VectorDataset(path: path, openOptions: options).layer(layerName)
                        return try readPart(l, parts[k]) { seen in if k == 0 { line.update(seen * n) } }
                    }
                    results.mutate { $0[k] = r }
                }
                let all = results.value
                for k in 0..<n {
                    guard let r = all[k] else { continue }
                    let (f, v, g) = try r.get()
                    fids += f; values += v; geoms += g
                }
            }
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: displayPath)
        }
        let n = geoms.count
        var converted = [T?](repeating: nil, count: n)
        let failedBox = LockedBox<[Int]>([]), offEarthBox = LockedBox<[Int]>([])
        let workerCap = min(8, cores)
        // Few features of many vertices (detailed boundaries: 124 communes, 500,000 vertices) are
        // measured on all cores too, a share of the features each (batches under 1,000 features
        // take PROJ's exact path, as a single small batch does).
        let heavy = n < 1_000 && geoms.reduce(0, { $0 + ($1?.coordinateCount ?? 0) }) > 50_000
        let workers = heavy ? workerCap : n < 2_000 ? 1 : workerCap
        let chunk = heavy ? max(1, (n + workers - 1) / workers) : 4096
        let transforms = try (0..<workers).map { i in i == 0 ? transform : try transform.clone() }
        let converters = (0..<workers).map { _ in makeConvert() }
        timings.measure("reproject") {
            geoms.withUnsafeMutableBufferPointer { gbuf in
                converted.withUnsafeMutableBufferPointer { cbuf in
                    nonisolated(unsafe) let g = gbuf, out = cbuf, converters = converters
                    let fids = fids, values = values, lineTolerance = lineTolerance, closedLines = closedLines
                    let geod = Geodesic.wgs84
                    let chunks = (n + chunk - 1) / chunk
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        var c = w
                        while c < chunks {
                            let range = (c * chunk)..<min(n, (c + 1) * chunk)
                            var local = Array(g[range])
                            let bad = transforms[w].transform(batch: &local, range: 0..<local.count)
                            if !bad.isEmpty { failedBox.mutate { $0 += bad.map { $0 + range.lowerBound } } }
                            var offEarth: [Int] = []
                            var closed: [Int64: LineClosure.Outcome] = [:]
                            for (k, i) in range.enumerated() {
                                var area = 0.0, length = 0.0
                                if let tolerance = lineTolerance, let geo = local[k], geo.dimension == .line {
                                    let outcome = LineClosure.close(geo, toleranceM: tolerance, geod: geod)
                                    if let polygon = outcome.polygon { local[k] = polygon }
                                    closed[fids[i]] = outcome
                                }
                                if let geo = local[k] {
                                    if let b = geo.bounds, b.minY < -90 || b.maxY > 90 || b.minX < -180 || b.maxX > 180 { offEarth.append(i) }
                                    switch geo.dimension {
                                    case .area: area = geod.area(geo) / 10_000
                                    case .line: length = geod.length(geo) / 1000
                                    case .point: break
                                    }
                                }
                                out[i] = converters[w](fids[i], values[i], local[k], area, length)
                                g[i] = nil
                            }
                            if !offEarth.isEmpty { offEarthBox.mutate { $0 += offEarth } }
                            if !closed.isEmpty { closedLines.mutate { $0.merge(closed) { a, _ in a } } }
                            c += workers
                        }
                    }
                }
            }
        }
        let failed = failedBox.value
        if let first = failed.min() {
            throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, feature: String(fids[first]),
                                  "coordinates cannot be transformed from \(sourceCRS) to WGS 84 (\(failed.count) feature(s)); is the declared CRS right?")
        }
        if offEarthFails, let first = offEarthBox.value.min() {
            throw GeoMonitorError(.crs, file: displayPath, layer: layer.name, feature: String(fids[first]),
                                  "coordinates fall outside the Earth after transforming from \(sourceCRS); are the axes swapped or the CRS wrong?")
        }
        return converted.compactMap { $0 }
    }
}
