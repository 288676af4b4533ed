import Foundation
internal import GDALKit

/// The rules that turn a project source's features into `Project` values, for `Dataset.load`
/// (`ProjectLoader`) and the streams alike: the manifest's column mapping, kind and status
/// vocabularies, date formats, attribute pre-filter and error messages, and the report made once
/// the source has been read (values outside the vocabularies, features without geometry).
///
/// A feature goes through two steps so that features can be decoded on several threads:
/// `decode` gives its `Outcome` and touches nothing but the decoder's memo of vocabulary look-ups
/// (each thread decodes with its own copy); `gather`, on one copy and in feature order, records
/// what `finish` reports and throws the first failure. `project` does both, for a single thread.
struct ProjectDecoder: Sendable {
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
            id = slot("id")
            name = slot("name")
            kind = slot("kind")
            status = slot("status")
            date = slot("date")
            trees = slot("trees")
            areaHa = slot("area_ha")
            lengthKm = slot("length_km")
            budget = slot("budget")
            locality = slot("locality")
            targets = slot("targets")
        }
    }

    /// What one feature gives: a project, or why it gives none. Bad kinds and statuses and missing
    /// geometries are reported by `finish`, after the whole source; a failure stops the reading.
    enum Outcome {
        case project(Project)
        case badKind(String, Int64)
        case badStatus(String, Int64)
        case noGeometry(String, Int64)
        case failure(GeoMonitorError)
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
        let fidIsID =
            spec.fields["id"].map { $0.uppercased() == "FID" && reader.layer.field(named: $0) == nil } ?? false
        idFromFID = fidIsID
        let names = spec.fields.keys.sorted().filter { !(fidIsID && $0 == "id") }
        var mapping = names.map { (key: "\(key).fields.\($0)", column: spec.fields[$0] ?? $0) }
        if let g = spec.geometry { mapping += g.columns.map { (key: "\(key).geometry", column: $0) } }
        columns = try reader.columns(mapping)
        slots = Slots(names)
        let workbook = ["XLSX", "ODS"].contains(reader.layer.dataset.driverName)
        let log = cells
        spreadsheet = workbook
        tableGeometry = spec.geometry.map {
            var g = TableGeometryReader(
                spec: $0, first: names.count, idSlot: names.firstIndex(of: "id"), idPrefix: spec.idPrefix ?? "",
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
        if let f = s.unicodeScalars.first, let l = s.unicodeScalars.last, !f.properties.isWhitespace,
            !l.properties.isWhitespace
        {
            return s
        }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// Whether a value is empty or white space only. A date cell is not (and is not turned into
    /// text to find out); text starting with a visible ASCII character is not either.
    private static func isBlank(_ value: FieldValue) -> Bool {
        switch value {
        case .date: return false
        case .string(let s):
            if let f = s.utf8.first, f > 0x20, f < 0x7F { return false }
            return s.trimmingCharacters(in: .whitespaces).isEmpty
        default: return value.description.trimmingCharacters(in: .whitespaces).isEmpty
        }
    }

    /// The column a field is mapped to, for error messages.
    private func column(_ field: String) -> String { spec.fields[field] ?? field }

    /// A number field, read by the source's number format (see `NumberReading`).
    private func number(_ values: [FieldValue], _ slot: Int?, _ field: String, fid: Int64, id: String)
        throws(GeoMonitorError) -> Double?
    {
        guard let i = slot else { return nil }
        switch NumberReading.read(values[i], notation: spec.numberFormat, spreadsheet: spreadsheet) {
        case .blank: return nil
        case .value(let x): return x
        case .cell(let x):
            cells.add(id: id, column: column(field), text: values[i].description)
            return x
        case .refused(let why):
            throw GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.\(field)",
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
        let slots = slots
        let spec = spec
        let kindLookup = kindLookup
        let statusLookup = statusLookup
        let idFromFID = idFromFID
        var preKind = RawValueCache<ProjectKind>()
        var preStatus = RawValueCache<ProjectStatus>()
        return { values in
            func raw(_ i: Int?) -> String? { i.flatMap { values[$0].isNull ? nil : values[$0].description } }
            // A feature id is not among the values: keep every feature when ids are asked for.
            if idFromFID && !filter.ids.isEmpty { return true }
            guard let id = idFromFID ? "" : Self.text(values, slots.id).map({ (spec.idPrefix ?? "") + $0 }) else {
                return true
            }
            var kind = spec.kind ?? .other
            if let r = raw(slots.kind) {
                if let k = preKind[r] {
                    kind = k
                } else {
                    guard let k = kindLookup.lookup(r) else { return true }
                    preKind[r] = k
                    kind = k
                }
            }
            var status = spec.status ?? .planned
            if let r = raw(slots.status) {
                if let st = preStatus[r] {
                    status = st
                } else {
                    guard let st = statusLookup.lookup(r) else { return true }
                    preStatus[r] = st
                    status = st
                }
            }
            var date: Day? = nil
            if let i = slots.date, !values[i].isNull {
                guard let d = Self.parseDate(values[i], format: spec.dateFormat, excelSerial: spec.excelSerialDates)
                else { return true }
                date = d
            }
            return filter.admits(
                id: id, kind: kind, status: status, date: date, targets: raw(slots.targets).map(Self.links) ?? [])
        }
    }

    /// The outcome of one feature (geometry already in WGS 84 and measured). Safe to run on
    /// several threads at once, each with its own copy of the decoder.
    mutating func decode(fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double)
        -> Outcome
    {
        do {
            return try convert(fid: fid, values: values, geometry: geometry, areaHa: areaHa, lengthKm: lengthKm)
        } catch { return .failure(error) }
    }

    private mutating func convert(
        fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double
    ) throws(GeoMonitorError) -> Outcome {
        func text(_ slot: Int?) -> String? { Self.text(values, slot) }
        guard let id = id(values, fid: fid) else {
            throw GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.id",
                "empty project id in column '\(column("id"))'")
        }
        var kind = spec.kind ?? .other
        if let raw = text(slots.kind) {
            if let k = kindCache[raw] {
                kind = k
            } else if let k = kindLookup.lookup(raw) {
                kindCache[raw] = k
                kind = k
            } else {
                return .badKind(raw, fid)
            }
        } else if spec.kind == nil {
            throw GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.kind",
                "project '\(id)' has no kind")
        }
        var status = spec.status ?? .planned
        if let raw = text(slots.status) {
            if let s = statusCache[raw] {
                status = s
            } else if let s = statusLookup.lookup(raw) {
                statusCache[raw] = s
                status = s
            } else {
                return .badStatus(raw, fid)
            }
        } else if spec.status == nil {
            throw GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.status",
                "project '\(id)' has no status")
        }
        var date: Day?
        if let i = slots.date, !values[i].isNull, !Self.isBlank(values[i]) {
            date = Self.parseDate(values[i], format: spec.dateFormat, excelSerial: spec.excelSerialDates)
            if date == nil {
                var hint = ""
                if let n = NumberFormat.en.parse(values[i].description), let serial = Day(excelSerial: n) {
                    hint =
                        "; if the column holds Excel serial day numbers (\(values[i]) = \(serial)), set `date_serial: excel` on the source"
                }
                throw GeoMonitorError(
                    .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.date",
                    "'\(values[i])' in column '\(column("date"))' of project '\(id)' is not a date (expected \(spec.dateFormat ?? "yyyy-mm-dd or dd/mm/yyyy")\(spec.excelSerialDates ? " or an Excel serial day number" : ""))\(hint)"
                )
            }
        }
        guard let g = geometry else { return .noGeometry(id, fid) }
        if let bad = g.firstNonFinite {
            return .offEarth("\(id) (feature \(fid)) with coordinate \(bad)", fid, swapFits: false)
        }
        if let b = g.bounds, b.minY < -90 || b.maxY > 90 || b.minX < -180 || b.maxX > 180 {
            return .offEarth(
                "\(id) (feature \(fid))", fid,
                swapFits: b.minX >= -90 && b.maxX <= 90 && b.minY >= -180 && b.maxY <= 180)
        }
        return .project(
            Project(
                id: id, name: text(slots.name) ?? id, kind: kind, status: status, date: date, geometry: g,
                trees: try number(values, slots.trees, "trees", fid: fid, id: id),
                declaredAreaHa: try number(values, slots.areaHa, "area_ha", fid: fid, id: id),
                declaredLengthKm: try number(values, slots.lengthKm, "length_km", fid: fid, id: id),
                budget: try number(values, slots.budget, "budget", fid: fid, id: id),
                localityAttribute: text(slots.locality), targets: text(slots.targets).map(Self.links) ?? [],
                areaHa: areaHa, lengthKm: lengthKm, source: shown, layer: layerName, fid: fid))
    }

    /// Takes the outcomes in feature order: the project, or nil after noting a bad value or a
    /// missing geometry for `finish`; throws a failure.
    mutating func gather(_ outcome: consuming Outcome) throws(GeoMonitorError) -> Project? {
        switch consume outcome {
        case .project(let p):
            gathered += 1
            return p
        case .badKind(let raw, let fid): if badKinds[raw] == nil { badKinds[raw] = fid }
        case .badStatus(let raw, let fid): if badStatuses[raw] == nil { badStatuses[raw] = fid }
        case .noGeometry(let id, let fid): noGeometry.append((id, fid))
        case .offEarth(let d, let fid, let swapFits): offEarth.append((d, fid, swapFits))
        case .failure(let e): throw e
        }
        return nil
    }

    /// `decode` then `gather`: the project of one feature, or nil when it is skipped.
    mutating func project(fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double)
        throws(GeoMonitorError) -> Project?
    {
        try gather(decode(fid: fid, values: values, geometry: geometry, areaHa: areaHa, lengthKm: lengthKm))
    }

    /// After the last feature: the vocabulary errors found on the way (naming every unmapped
    /// value and the first feature holding one), else the warnings.
    func finish() throws(GeoMonitorError) -> [Warning] {
        if let (raw, fid) = badKinds.min(by: { $0.value < $1.value }) {
            let all = badKinds.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).values.kind",
                "kind \(all) in column '\(column("kind"))' is not canonical and not mapped; map '\(raw)' to one of: \(ProjectKind.vocabulary)"
            )
        }
        if let (raw, fid) = badStatuses.min(by: { $0.value < $1.value }) {
            let all = badStatuses.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).values.status",
                "status \(all) in column '\(column("status"))' is not canonical and not mapped; map '\(raw)' to one of: \(ProjectStatus.vocabulary)"
            )
        }
        var warnings: [Warning] = []
        if !offEarth.isEmpty {
            let swapped = offEarth.filter(\.swapFits).count
            let hint =
                swapped == offEarth.count
                ? "longitude and latitude look swapped (swapped, every one of them is on the Earth)"
                : swapped > 0
                    ? "\(swapped) of them look like longitude and latitude swapped"
                    : "fix their coordinates, or check the declared CRS"
            let list = offEarth.prefix(10).map(\.feature).joined(separator: ", ") + (offEarth.count > 10 ? ", …" : "")
            // Every feature bad: the source's CRS or axis order is wrong, not a few features.
            if gathered == 0 {
                throw GeoMonitorError(
                    .crs, file: shown, layer: layerName, feature: String(offEarth[0].fid), key: "\(key).crs",
                    "coordinates of all \(offEarth.count) feature(s) are not finite or fall outside the Earth after transforming from \(sourceCRS) (\(list)); \(hint)"
                )
            }
            warnings.append(
                Warning(
                    code: "off-earth",
                    "\(shown): layer '\(layerName)': \(offEarth.count) feature(s) left out, their coordinates are not finite or fall outside the Earth after transforming from \(sourceCRS): \(list); \(hint)"
                ))
        }
        let read = cells.entries
        if !read.isEmpty {
            let columns = Set(read.map(\.column)).sorted().map { "'\($0)'" }.joined(separator: ", ")
            let list =
                read.prefix(5).map { "\($0.id) '\($0.text)'" }.joined(separator: ", ") + (read.count > 5 ? ", …" : "")
            warnings.append(
                Warning(
                    code: "number-cells",
                    "\(shown): layer '\(layerName)': \(read.count)\(read.count >= 1_000 ? "+" : "") value(s) in column(s) \(columns) have a decimal point in a source of Vietnamese notation: read as the workbook's number cells (GDAL writes a number cell so when its column also holds text): \(list); check them, or store the column as numbers only"
                ))
        }
        if !noGeometry.isEmpty {
            let what =
                spec.geometry.map { "row(s) without coordinates in \($0.columnText)" }
                ?? "feature(s) without geometry (null or empty)"
            warnings.append(
                Warning(
                    code: "no-geometry",
                    "\(shown): layer '\(layerName)': \(noGeometry.count) \(what) skipped: \(noGeometry.prefix(10).map { "\($0.id) (feature \($0.fid))" }.joined(separator: ", "))\(noGeometry.count > 10 ? ", …" : "")"
                ))
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
