import Foundation
internal import GDALKit

// Streaming a project source: features become `Project` values one batch at a time, so memory
// stays bounded by the batch (and the stream's buffer), whatever the size of the source.
//
// Features become projects by the rules of `ProjectDecoder` (below), which `Dataset.load`
// (`ProjectLoader`, Dataset.swift) uses too: one column mapping, set of vocabularies, date
// formats, pre-filter, error messages and end-of-source report for both. `ProjectStreamTests`
// checks that a streamed source gives exactly the projects `Dataset.load` gives.

extension Dataset {
    /// Calls `body` with each project of one project source of a manifest, in feature order,
    /// without holding the source in memory.
    ///
    /// Features are read, transformed to WGS 84 and measured (geodesic area in ha, length in km)
    /// in batches of about a thousand, then handed over one by one: a caller can go through a
    /// million plots holding only what it keeps itself. The projects are those
    /// ``load(manifest:filter:timings:)`` gives for that source, with two differences that need the whole
    /// source: ids are not checked for uniqueness across sources, and locality boundaries are not
    /// read (nothing is assigned to localities).
    ///
    /// ```swift
    /// let manifest = try Manifest.load(Dataset.defaultManifestPath())
    /// var plots = 0, hectares = 0.0
    /// try Dataset.forEachProject(manifest: manifest, source: 0) { project in
    ///     plots += 1
    ///     hectares += project.areaHa
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - manifest: a parsed manifest (``Manifest/load(_:)``).
    ///   - source: the index of the source in ``Manifest/projects`` (0 for the first).
    ///   - filter: skips, before any geometry work, features no target of interest can select
    ///     (attribute rules) or lying outside its ``ProjectFilter/region`` (read through a GDAL
    ///     spatial filter, so a GeoPackage's R-tree answers it).
    ///   - body: called once per project on the calling thread; an error it throws stops the
    ///     reading and is rethrown.
    /// - Returns: non-fatal findings: features without geometry (skipped), text that is not
    ///   UTF-8, invalid polygons (as ``load(manifest:filter:timings:)`` reports them).
    /// - Throws: ``GeoMonitorError`` with file, layer, feature and manifest key, as
    ///   ``load(manifest:filter:timings:)`` does; `.configuration` (key `projects`) when `source` is out of
    ///   range. A value outside the kind or status vocabulary is reported once the whole source has
    ///   been read (naming every such value), so `body` may have seen projects before that error.
    @discardableResult
    public static func forEachProject(manifest: Manifest, source: Int = 0, filter: ProjectFilter? = nil,
                                      _ body: (Project) throws -> Void) throws -> [Warning] {
        guard manifest.projects.indices.contains(source) else {
            throw GeoMonitorError(.configuration, file: displayPath(manifest.file), key: "projects",
                                  "no project source \(source): the manifest has \(manifest.projects.count) (0…\(manifest.projects.count - 1))")
        }
        let spec = manifest.projects[source]
        let path = manifest.resolve(spec.source)
        let shown = displayPath(path)
        let key = "projects[\(source)]"
        var reader = try SourceReader(path: path, displayPath: shown, layer: spec.layer, crs: spec.readCRS,
                                      openOptions: spec.openOptions, crsKey: "\(key).crs", limits: manifest.limits, sql: spec.sql)
        if let region = filter?.region { try reader.restrict(to: region) }
        var decoder = try ProjectDecoder(spec: spec, key: key, reader: reader)
        reader.tableGeometry = decoder.tableGeometry
        reader.lineTolerance = spec.linesAsPolygonsToleranceM
        let tableGeometry = decoder.tableGeometry
        let keep = filter.flatMap { $0.keepsAllAttributes ? nil : decoder.preFilter($0) }
        let geod = Geodesic.wgs84
        let layerName = reader.layer.name
        let batchSize = 1024
        // Caps on each feature (not on their number: a stream holds one batch) and invalid polygons.
        let checks = reader.featureChecks(decoder.columns)
        var validity = GeometryValidity.Collector()
        var lineProjects: [(id: String, fid: Int64)] = []
        var fids: [Int64] = [], values: [[FieldValue]] = [], geoms: [Geometry?] = []
        fids.reserveCapacity(batchSize); values.reserveCapacity(batchSize); geoms.reserveCapacity(batchSize)

        func flush() throws {
            guard !fids.isEmpty else { return }
            let failed = reader.transform.transform(batch: &geoms, range: 0..<geoms.count)
            if let first = failed.first {
                throw GeoMonitorError(.crs, file: shown, layer: layerName, feature: String(fids[first]),
                                      "coordinates cannot be transformed from \(reader.sourceCRS) to WGS 84 (\(failed.count) feature(s) of this batch); is the declared CRS right?")
            }
            for i in fids.indices {
                var areaHa = 0.0, lengthKm = 0.0
                if let tolerance = reader.lineTolerance, let g = geoms[i], g.dimension == .line {
                    let outcome = LineClosure.close(g, toleranceM: tolerance, geod: geod)
                    if let polygon = outcome.polygon { geoms[i] = polygon }
                    reader.closedLines.mutate { $0[fids[i]] = outcome }
                }
                if let g = geoms[i] {
                    switch g.dimension {
                    case .area: areaHa = geod.area(g) / 10_000
                    case .line: lengthKm = geod.length(g) / 1000
                    case .point: break
                    }
                }
                if let p = try decoder.project(fid: fids[i], values: values[i], geometry: geoms[i], areaHa: areaHa, lengthKm: lengthKm) {
                    if reader.lineTolerance != nil { lineProjects.append((p.id, p.fid)) }
                    validity.add(p)
                    try body(p)
                }
            }
            fids.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true); geoms.removeAll(keepingCapacity: true)
        }

        do {
            try reader.layer.forEachFeature(fieldIndices: decoder.columns, keep: keep) { rec in
                try checks.check(rec, index: 0)
                fids.append(rec.fid); values.append(rec.values)
                geoms.append(try tableGeometry.map { try $0.geometry(rec.values, fid: rec.fid) } ?? rec.geometry)
                if fids.count >= batchSize { try flush() }
            }
            try flush()
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: shown)
        }
        reader.noteInvalidText(of: reader.layer)
        let encoding = reader.textEncodingWarning(key: key)
        var warnings = try TextEncodingCheck.finish(decoder, encoding: encoding)
        if let w = encoding { warnings.append(w) }
        let closed = reader.closedLines.value
        if let w = LineClosure.warning(closed, projects: lineProjects.filter { closed[$0.fid] != nil }, source: shown, layer: layerName) { warnings.append(w) }
        return warnings + validity.warnings
    }

    /// The projects of one project source of a manifest as an asynchronous sequence, read on a
    /// background thread a batch at a time, without holding the source in memory.
    ///
    /// The sequence has backpressure: the reading thread hands projects over in groups of 256 and
    /// pauses while 256 or more wait to be consumed, so a slow consumer never makes it buffer the
    /// source. Leaving the loop early,
    /// or cancelling the consuming task, stops the reading and closes the file. Projects, order and
    /// errors are those of ``forEachProject(manifest:source:filter:_:)``; warnings (features
    /// without geometry, skipped) are not reported.
    ///
    /// ```swift
    /// let manifest = try Manifest.load(Dataset.defaultManifestPath())
    /// var hectares = 0.0
    /// for try await plot in Dataset.streamProjects(manifest: manifest, source: 0) where plot.status == .completed {
    ///     hectares += plot.areaHa
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - manifest: a parsed manifest (``Manifest/load(_:)``).
    ///   - source: the index of the source in ``Manifest/projects`` (0 for the first).
    ///   - filter: skips, before any geometry work, features no target of interest can select.
    /// - Returns: a sequence that starts reading on its first `next()` and throws the
    ///   ``GeoMonitorError`` that ``forEachProject(manifest:source:filter:_:)`` would throw.
    public static func streamProjects(manifest: Manifest, source: Int = 0, filter: ProjectFilter? = nil) -> AsyncThrowingStream<Project, Error> {
        let channel = ProjectChannel(capacity: 256) { channel in
            do {
                // Handing over groups, not single projects, keeps the consumer from suspending
                // once per project.
                var group: [Project] = []
                group.reserveCapacity(256)
                try forEachProject(manifest: manifest, source: source, filter: filter) { p in
                    group.append(p)
                    if group.count == 256 { try channel.send(group); group.removeAll(keepingCapacity: true) }
                }
                try channel.send(group)
                channel.finish(nil)
            } catch is CancellationError {
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        let consumer = ProjectChannel.Consumer(channel)
        return AsyncThrowingStream(unfolding: { try await consumer.next() })
    }
}

/// The rules that turn a project source's features into `Project` values, for `Dataset.load`
/// (`ProjectLoader`) and the streams alike: the manifest's column mapping, kind and status
/// vocabularies, date formats, attribute pre-filter and error messages, and the report made once
/// the source has been read (values outside the vocabularies, features without geometry).
///
/// A feature goes through two steps so that features can be decoded on several threads:
/// `decode` gives its `Outcome` and touches nothing but the decoder's memo of vocabulary look-ups
/// (each thread decodes with its own copy); `gather`, on one copy and in feature order, records
/// what `finish` reports and throws the first failure. `project` does both, for a single thread.
struct ProjectDecoder {
    let spec: Manifest.ProjectSource
    let key: String
    let shown: String
    let layerName: String
    /// Column indices to read; a feature's values come in this order (mapped field names sorted,
    /// then the columns of a table geometry).
    let columns: [Int]
    /// True when `fields.id` names the feature id (`FID`), not a column.
    let idFromFID: Bool
    /// Builds geometries from columns, when the source says where they are (`geometry:`).
    let tableGeometry: TableGeometryReader?
    private let slots: Slots
    private let kindLookup: Vocabulary<ProjectKind>
    private let statusLookup: Vocabulary<ProjectStatus>
    // `decode`'s memo, per copy.
    private var kindCache = RawValueCache<ProjectKind>(), statusCache = RawValueCache<ProjectStatus>()
    // `gather`'s findings, in feature order, reported by `finish`.
    private var badKinds: [String: Int64] = [:], badStatuses: [String: Int64] = [:]
    /// Features skipped for want of a geometry: their ids and feature ids, in feature order.
    private(set) var noGeometry: [(id: String, fid: Int64)] = []
    private var offEarth: [(feature: String, fid: Int64, swapFits: Bool)] = []
    private var gathered = 0
    /// The source is an XLSX or ODS workbook (see ``NumberReading/cell(_:)``).
    let spreadsheet: Bool
    /// Workbook number cells read as such, from every copy of the decoder.
    let cells = NumberCellLog()
    /// The source CRS, for messages about coordinates that fall outside the Earth.
    let sourceCRS: String

    /// Where each field sits in a feature's values (nil when the manifest does not map it),
    /// found once so that no feature looks a field up by name.
    private struct Slots {
        let id, name, kind, status, date, trees, areaHa, lengthKm, budget, locality, targets: Int?
        init(_ names: [String]) {
            func slot(_ field: String) -> Int? { names.firstIndex(of: field) }
            id = slot("id"); name = slot("name"); kind = slot("kind"); status = slot("status"); date = slot("date")
            trees = slot("trees"); areaHa = slot("area_ha"); lengthKm = slot("length_km"); budget = slot("budget")
            locality = slot("locality"); targets = slot("targets")
        }
    }

    /// What one feature gives: a project, or why it gives none. Bad kinds and statuses and missing
    /// geometries are reported by `finish`, after the whole source; a failure stops the reading.
    enum Outcome {
        case project(Project), badKind(String, Int64), badStatus(String, Int64), noGeometry(String, Int64), failure(GeoMonitorError)
        /// Coordinates outside the Earth in WGS 84 ("id (feature fid)"), and whether swapping
        /// x and y would put them on it.
        case offEarth(String, Int64, swapFits: Bool)
    }

    init(spec: Manifest.ProjectSource, key: String, reader: SourceReader) throws {
        self.spec = spec
        self.key = key
        shown = reader.displayPath
        layerName = reader.layer.name
        sourceCRS = "\(reader.sourceCRS)"
        // `id: FID` takes the feature id (a DGN's element number, a GPX track's index) unless the
        // layer has a column of that name.
        let fidIsID = spec.fields["id"].map { $0.uppercased() == "FID" && reader.layer.field(named: $0) == nil } ?? false
        idFromFID = fidIsID
        let names = spec.fields.keys.sorted().filter { !(fidIsID && $0 == "id") }
        var mapping = names.map { (key: "\(key).fields.\($0)", column: spec.fields[$0] ?? $0) }
        if let g = spec.geometry { mapping += g.columns.map { (key: "\(key).geometry", column: $0) } }
        columns = try reader.columns(mapping)
        slots = Slots(names)
        let workbook = ["XLSX", "ODS"].contains(reader.layer.dataset.driverName), log = cells
        spreadsheet = workbook
        tableGeometry = spec.geometry.map {
            var g = TableGeometryReader(spec: $0, first: names.count, idSlot: names.firstIndex(of: "id"), idPrefix: spec.idPrefix ?? "",
                                        notation: spec.numberFormat, shown: reader.displayPath, layerName: reader.layer.name, key: key)
            g.spreadsheet = workbook
            g.cells = log
            return g
        }
        kindLookup = Vocabulary(spec.kindValues, canonical: ProjectKind.self)
        statusLookup = Vocabulary(spec.statusValues, canonical: ProjectStatus.self)
    }

    private static func links(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
    }

    /// The text of a field, trimmed; nil when unmapped, null or blank.
    private static func text(_ values: [FieldValue], _ slot: Int?) -> String? {
        guard let i = slot, !values[i].isNull else { return nil }
        let s = values[i].description
        // Swift compares strings by canonical equivalence: no normalisation needed here.
        // Printable ASCII at both ends (most values) needs no Unicode property look-up.
        if let f = s.utf8.first, let l = s.utf8.last, f > 0x20, f < 0x7F, l > 0x20, l < 0x7F { return s }
        if let f = s.unicodeScalars.first, let l = s.unicodeScalars.last, !f.properties.isWhitespace, !l.properties.isWhitespace { return s }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// The column a field is mapped to, for error messages.
    private func column(_ field: String) -> String { spec.fields[field] ?? field }

    /// A number field, read by the source's number format (see `NumberReading`).
    private func number(_ values: [FieldValue], _ slot: Int?, _ field: String, fid: Int64, id: String) throws(GeoMonitorError) -> Double? {
        guard let i = slot else { return nil }
        switch NumberReading.read(values[i], notation: spec.numberFormat, spreadsheet: spreadsheet) {
        case .blank: return nil
        case .value(let x): return x
        case .cell(let x):
            cells.add(id: id, column: column(field), text: values[i].description)
            return x
        case .refused(let why):
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.\(field)",
                                  "'\(values[i])' in column '\(column(field))' of project '\(id)' \(why)")
        }
    }

    /// The project id of a feature: the feature id or the id column's text (trimmed), with the
    /// source's `id_prefix`; nil when the column is empty.
    func id(_ values: [FieldValue], fid: Int64) -> String? {
        id(idValue: slots.id.map { values[$0] }, fid: fid)
    }

    /// The id column's index in the layer, for a pass that reads ids only; nil when the id is
    /// the feature id.
    var idColumn: Int? { slots.id.map { columns[$0] } }

    /// The project id from the id column's value alone (see ``id(_:fid:)``).
    func id(idValue: FieldValue?, fid: Int64) -> String? {
        let prefix = spec.idPrefix ?? ""
        if idFromFID { return prefix + String(fid) }
        guard let v = idValue else { return nil }
        return Self.text([v], 0).map { prefix + $0 }
    }

    /// Makes the attribute-only pre-filter, run before any geometry work: false for a feature
    /// `filter` surely does not need; unclear cases (unparseable values) are kept so that `decode`
    /// reports them. Each predicate made keeps its own caches: make one per reading thread.
    func preFilter(_ filter: ProjectFilter) -> ([FieldValue]) -> Bool {
        let slots = slots, spec = spec, kindLookup = kindLookup, statusLookup = statusLookup, idFromFID = idFromFID
        var preKind = RawValueCache<ProjectKind>(), preStatus = RawValueCache<ProjectStatus>()
        return { values in
            func raw(_ i: Int?) -> String? { i.flatMap { values[$0].isNull ? nil : values[$0].description } }
            // A feature id is not among the values: keep every feature when ids are asked for.
            if idFromFID && !filter.ids.isEmpty { return true }
            guard let id = idFromFID ? "" : Self.text(values, slots.id).map({ (spec.idPrefix ?? "") + $0 }) else { return true }
            var kind = spec.kind ?? .other
            if let r = raw(slots.kind) {
                if let k = preKind[r] { kind = k } else {
                    guard let k = kindLookup.lookup(r) else { return true }
                    preKind[r] = k; kind = k
                }
            }
            var status = spec.status ?? .planned
            if let r = raw(slots.status) {
                if let st = preStatus[r] { status = st } else {
                    guard let st = statusLookup.lookup(r) else { return true }
                    preStatus[r] = st; status = st
                }
            }
            var date: Day? = nil
            if let i = slots.date, !values[i].isNull {
                guard let d = Self.parseDate(values[i], format: spec.dateFormat, excelSerial: spec.excelSerialDates) else { return true }
                date = d
            }
            return filter.admits(id: id, kind: kind, status: status, date: date, targets: raw(slots.targets).map(Self.links) ?? [])
        }
    }

    /// The outcome of one feature (geometry already in WGS 84 and measured). Safe to run on
    /// several threads at once, each with its own copy of the decoder.
    mutating func decode(fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double) -> Outcome {
        do { return try convert(fid: fid, values: values, geometry: geometry, areaHa: areaHa, lengthKm: lengthKm) } catch { return .failure(error) }
    }

    private mutating func convert(fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double) throws(GeoMonitorError) -> Outcome {
        func text(_ slot: Int?) -> String? { Self.text(values, slot) }
        guard let id = id(values, fid: fid) else {
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.id", "empty project id in column '\(column("id"))'")
        }
        var kind = spec.kind ?? .other
        if let raw = text(slots.kind) {
            if let k = kindCache[raw] { kind = k } else if let k = kindLookup.lookup(raw) { kindCache[raw] = k; kind = k } else { return .badKind(raw, fid) }
        } else if spec.kind == nil {
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.kind", "project '\(id)' has no kind")
        }
        var status = spec.status ?? .planned
        if let raw = text(slots.status) {
            if let s = statusCache[raw] { status = s } else if let s = statusLookup.lookup(raw) { statusCache[raw] = s; status = s } else { return .badStatus(raw, fid) }
        } else if spec.status == nil {
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.status", "project '\(id)' has no status")
        }
        var date: Day?
        if let i = slots.date, !values[i].isNull, !values[i].description.trimmingCharacters(in: .whitespaces).isEmpty {
            date = Self.parseDate(values[i], format: spec.dateFormat, excelSerial: spec.excelSerialDates)
            if date == nil {
                var hint = ""
                if let n = NumberFormat.en.parse(values[i].description), let serial = Day(excelSerial: n) {
                    hint = "; if the column holds Excel serial day numbers (\(values[i]) = \(serial)), set `date_serial: excel` on the source"
                }
                throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.date",
                                      "'\(values[i])' in column '\(column("date"))' of project '\(id)' is not a date (expected \(spec.dateFormat ?? "yyyy-mm-dd or dd/mm/yyyy")\(spec.excelSerialDates ? " or an Excel serial day number" : ""))\(hint)")
            }
        }
        guard let g = geometry else { return .noGeometry(id, fid) }
        if let bad = g.firstNonFinite { return .offEarth("\(id) (feature \(fid)) with coordinate \(bad)", fid, swapFits: false) }
        if let b = g.bounds, b.minY < -90 || b.maxY > 90 || b.minX < -180 || b.maxX > 180 {
            return .offEarth("\(id) (feature \(fid))", fid, swapFits: b.minX >= -90 && b.maxX <= 90 && b.minY >= -180 && b.maxY <= 180)
        }
        return .project(Project(
            id: id, name: text(slots.name) ?? id, kind: kind, status: status, date: date, geometry: g,
            trees: try number(values, slots.trees, "trees", fid: fid, id: id), declaredAreaHa: try number(values, slots.areaHa, "area_ha", fid: fid, id: id),
            declaredLengthKm: try number(values, slots.lengthKm, "length_km", fid: fid, id: id), budget: try number(values, slots.budget, "budget", fid: fid, id: id),
            localityAttribute: text(slots.locality), targets: text(slots.targets).map(Self.links) ?? [],
            areaHa: areaHa, lengthKm: lengthKm, source: shown, layer: layerName, fid: fid))
    }

    /// Takes the outcomes in feature order: the project, or nil after noting a bad value or a
    /// missing geometry for `finish`; throws a failure.
    mutating func gather(_ outcome: Outcome) throws(GeoMonitorError) -> Project? {
        switch outcome {
        case .project(let p): gathered += 1; return p
        case .badKind(let raw, let fid): if badKinds[raw] == nil { badKinds[raw] = fid }
        case .badStatus(let raw, let fid): if badStatuses[raw] == nil { badStatuses[raw] = fid }
        case .noGeometry(let id, let fid): noGeometry.append((id, fid))
        case .offEarth(let d, let fid, let swapFits): offEarth.append((d, fid, swapFits))
        case .failure(let e): throw e
        }
        return nil
    }

    /// `decode` then `gather`: the project of one feature, or nil when it is skipped.
    mutating func project(fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double) throws(GeoMonitorError) -> Project? {
        try gather(decode(fid: fid, values: values, geometry: geometry, areaHa: areaHa, lengthKm: lengthKm))
    }

    /// After the last feature: the vocabulary errors found on the way (naming every unmapped
    /// value and the first feature holding one), else the warnings.
    func finish() throws(GeoMonitorError) -> [Warning] {
        if let (raw, fid) = badKinds.min(by: { $0.value < $1.value }) {
            let all = badKinds.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).values.kind",
                                  "kind \(all) in column '\(column("kind"))' is not canonical and not mapped; map '\(raw)' to one of: \(ProjectKind.vocabulary)")
        }
        if let (raw, fid) = badStatuses.min(by: { $0.value < $1.value }) {
            let all = badStatuses.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).values.status",
                                  "status \(all) in column '\(column("status"))' is not canonical and not mapped; map '\(raw)' to one of: \(ProjectStatus.vocabulary)")
        }
        var warnings: [Warning] = []
        if !offEarth.isEmpty {
            let swapped = offEarth.filter(\.swapFits).count
            let hint = swapped == offEarth.count ? "longitude and latitude look swapped (swapped, every one of them is on the Earth)"
                : swapped > 0 ? "\(swapped) of them look like longitude and latitude swapped"
                : "fix their coordinates, or check the declared CRS"
            let list = offEarth.prefix(10).map(\.feature).joined(separator: ", ") + (offEarth.count > 10 ? ", …" : "")
            // Every feature bad: the source's CRS or axis order is wrong, not a few features.
            if gathered == 0 {
                throw GeoMonitorError(.crs, file: shown, layer: layerName, feature: String(offEarth[0].fid), key: "\(key).crs",
                                      "coordinates of all \(offEarth.count) feature(s) are not finite or fall outside the Earth after transforming from \(sourceCRS) (\(list)); \(hint)")
            }
            warnings.append(Warning(code: "off-earth", "\(shown): layer '\(layerName)': \(offEarth.count) feature(s) left out, their coordinates are not finite or fall outside the Earth after transforming from \(sourceCRS): \(list); \(hint)"))
        }
        let read = cells.entries
        if !read.isEmpty {
            let columns = Set(read.map(\.column)).sorted().map { "'\($0)'" }.joined(separator: ", ")
            let list = read.prefix(5).map { "\($0.id) '\($0.text)'" }.joined(separator: ", ") + (read.count > 5 ? ", …" : "")
            warnings.append(Warning(code: "number-cells", "\(shown): layer '\(layerName)': \(read.count)\(read.count >= 1_000 ? "+" : "") value(s) in column(s) \(columns) have a decimal point in a source of Vietnamese notation: read as the workbook's number cells (GDAL writes a number cell so when its column also holds text): \(list); check them, or store the column as numbers only"))
        }
        if !noGeometry.isEmpty {
            let what = spec.geometry.map { "row(s) without coordinates in \($0.columnText)" } ?? "feature(s) without geometry (null or empty)"
            warnings.append(Warning(code: "no-geometry", "\(shown): layer '\(layerName)': \(noGeometry.count) \(what) skipped: \(noGeometry.prefix(10).map { "\($0.id) (feature \($0.fid))" }.joined(separator: ", "))\(noGeometry.count > 10 ? ", …" : "")"))
        }
        return warnings
    }

    /// A date field: a date cell, GDAL's date text (`2024/06/20`, ISO, with or without a time)
    /// whatever the declared format, then the manifest's `date_format` (by default ISO, else
    /// day/month/year), and Excel serial day numbers when `excelSerial`; nil when it is none.
    static func parseDate(_ v: FieldValue, format: String?, excelSerial: Bool = false) -> Day? {
        switch v {
        case .date(let y, let m, let d): return Day(year: y, month: m, day: d)
        case .integer(let n): return excelSerial ? Day(excelSerial: Double(n)) : nil
        case .real(let x): return excelSerial ? Day(excelSerial: x) : nil
        default: break
        }
        let s = v.description
        if let d = Day(gdalText: s) { return d }
        if excelSerial, let n = NumberFormat.en.parse(s), !s.contains(","), let d = Day(excelSerial: n) { return d }
        switch format {
        case "dd/MM/yyyy": return Day(dmy: s)
        case "MM/dd/yyyy":
            let p = s.split(separator: "/")
            guard p.count == 3, let m = Int(p[0]), let d = Int(p[1]), let y = Int(p[2]) else { return nil }
            return Day(year: y, month: m, day: d)
        case "yyyy-MM-dd": return Day.parse(iso: s)
        default: return Day.parse(iso: s) ?? Day(dmy: s)
        }
    }
}

/// A bounded hand-over from one producing thread to one asynchronous consumer: the producer
/// blocks while `capacity` projects or more wait; the consumer suspends while none does.
final class ProjectChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [Project] = []
    private var head = 0
    private var done = false
    private var failure: Error?
    private var cancelled = false
    private var started = false
    private var waiter: CheckedContinuation<Void, Never>?
    private let capacity: Int
    private let produce: @Sendable (ProjectChannel) -> Void

    init(capacity: Int, produce: @escaping @Sendable (ProjectChannel) -> Void) {
        self.capacity = capacity
        self.produce = produce
    }

    /// Producer side: hands over a group of projects, waiting while the buffer is full.
    /// Throws `CancellationError` once the consumer has gone.
    func send(_ group: [Project]) throws {
        guard !group.isEmpty else { return }
        condition.lock()
        while buffer.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { condition.unlock(); throw CancellationError() }
        buffer.append(contentsOf: group)
        let w = waiter; waiter = nil
        condition.unlock()
        w?.resume()
    }

    /// Producer side: no more projects (`error` is thrown to the consumer after the last one).
    func finish(_ error: Error?) {
        condition.lock()
        done = true
        failure = error
        let w = waiter; waiter = nil
        condition.unlock()
        w?.resume()
    }

    /// Consumer side: stops the producer at its next hand-over.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        let w = waiter; waiter = nil
        condition.unlock()
        w?.resume()
    }

    private enum Take { case project(Project), end, failure(Error), wait }

    private func take() -> Take {
        condition.lock(); defer { condition.unlock() }
        if !started {
            started = true
            let produce = produce
            let thread = Thread { [self] in produce(self) }
            thread.name = "geomonitor.streamProjects"
            thread.start()
        }
        if cancelled { return .end }
        if head < buffer.count {
            let p = buffer[head]
            head += 1
            if head >= 64 && head * 2 >= buffer.count { buffer.removeFirst(head); head = 0 }
            if buffer.count - head < capacity { condition.signal() }
            return .project(p)
        }
        if done {
            if let f = failure { failure = nil; return .failure(f) }
            return .end
        }
        return .wait
    }

    /// Consumer side: the next project, nil at the end (or once cancelled).
    func next() async throws -> Project? {
        while true {
            if Task.isCancelled { cancel(); return nil }
            switch take() {
            case .project(let p): return p
            case .end: return nil
            case .failure(let e): throw e
            case .wait:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        condition.lock()
                        if head < buffer.count || done || cancelled {
                            condition.unlock()
                            c.resume()
                        } else {
                            waiter = c
                            condition.unlock()
                        }
                    }
                } onCancel: {
                    cancel()
                }
            }
        }
    }

    /// The consumer's handle: when the stream and its iterator are gone (the loop was left
    /// early), it cancels the producer so that the reading thread ends and the file is closed.
    final class Consumer: Sendable {
        let channel: ProjectChannel
        init(_ channel: ProjectChannel) { self.channel = channel }
        func next() async throws -> Project? { try await channel.next() }
        deinit { channel.cancel() }
    }
}
