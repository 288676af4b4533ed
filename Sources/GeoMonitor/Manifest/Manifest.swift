import Foundation

/// A dataset manifest: where a province's boundaries, project files and target catalog live,
/// and how their columns map onto geomonitor's vocabulary. Paths are resolved against the
/// manifest's folder. See README "Manifest" for the keys.
public struct Manifest: Sendable {
    /// How one source's columns map onto a locality (the manifest's `localities:` entry).
    public struct LocalitySource: Sendable {
        /// The boundary file (`source:`), as written in the manifest; see ``Manifest/resolve(_:)``.
        public var source: String
        /// The layer to read (`layer:`); nil when the source has a single layer.
        public var layer: String?
        /// The CRS declared for the source (`crs:`, e.g. `EPSG:4326`); nil to use the one the
        /// source declares itself.
        public var crs: String?
        /// GDAL open options for the source (`open_options:`).
        public var openOptions: [String: String]
        /// The column holding GSO codes (`fields.code`); nil only with a ``Gazetteer`` (codes
        /// then come from the official list).
        public var code: String?
        /// The column holding names (`fields.name`).
        public var name: String
        /// The column holding the parent unit's code (`fields.parent`), if mapped.
        public var parent: String?
        /// The column holding the unit type ("Huyện", "Thành phố") (`fields.type`), if mapped.
        public var type: String?
        /// Keep only features whose `filter` field equals this value (e.g. a national file → one province).
        public var filter: (field: String, value: String)?
        /// Overlaps between localities and gaps enclosed by them smaller than this many hectares
        /// are boundary noise and not reported (`sliver_ha:`, default 5).
        public var sliverHa: Double = 5
        /// Match features to the official unit list (`gazetteer:`), if given.
        public var gazetteer: Gazetteer? = nil
        /// The manifest key of this source (`localities`, `localities[1].sources[0]`), for errors.
        public var key: String = "localities"
        /// An SQL query the source runs itself (`sql:`), read instead of a layer: on a `PG:`
        /// connection, PostgreSQL's SQL (`SELECT … FROM admin.huyen WHERE ma_tinh = '68'`).
        public var sql: String? = nil
    }

    /// How one project source's columns map onto a project (one entry of the manifest's `projects:` list).
    public struct ProjectSource: Sendable {
        /// The project file (`source:`), as written in the manifest; see ``Manifest/resolve(_:)``.
        public var source: String
        /// The layer to read (`layer:`); nil when the source has a single layer.
        public var layer: String?
        /// The CRS declared for the source (`crs:`, e.g. `EPSG:5899` for VN-2000 / TM-3 107-45);
        /// nil to use the one the source declares itself.
        public var crs: String?
        /// GDAL open options for the source (`open_options:`, e.g. `ENCODING: CP1258`).
        public var openOptions: [String: String]
        /// A constant kind for a source without a kind column.
        public var kind: ProjectKind?
        /// A constant status for a source without a status column.
        public var status: ProjectStatus?
        /// Canonical field name (id, name, kind, status, date, trees, area_ha, length_km, budget, targets, locality) → source column.
        public var fields: [String: String]
        /// Source value → canonical kind (`values.kind`), e.g. `"Trồng rừng" → .forestPlanting`.
        public var kindValues: [String: ProjectKind]
        /// Source value → canonical status (`values.status`), e.g. `"Hoàn thành" → .completed`.
        public var statusValues: [String: ProjectStatus]
        /// `dd/MM/yyyy` or `yyyy-MM-dd` (default: both are tried, ISO first). Date cells and
        /// GDAL's own date text (`2024/06/20`, `2024-06-20 00:00:00`) are read whatever it says.
        public var dateFormat: String?
        /// The key path of this entry in the manifest, for errors.
        public var key: String
        /// Where a table keeps its geometry (`geometry:`); nil to use the geometry GDAL reads.
        public var geometry: TableGeometry? = nil
        /// How numbers written as text are read (`number_format:`, else the manifest's
        /// `language:`); nil when neither is given: a value the two notations read differently is
        /// then an error.
        public var numberFormat: NumberFormat? = nil
        /// True when the date column may hold Excel serial day numbers (`date_serial: excel`;
        /// 45458 is 2024-06-15).
        public var excelSerialDates = false
        /// Build polygons from closed lines and lines whose ends lie at most this many metres
        /// apart (`lines_as_polygons: {tolerance_m: 15}`); nil to keep lines as lines.
        public var linesAsPolygonsToleranceM: Double? = nil
        /// An SQL query the source runs itself (`sql:`), read instead of a layer: on a `PG:`
        /// connection, PostgreSQL's SQL (`SELECT … FROM lam_nghiep.lo_rung WHERE nam >= 2023`).
        public var sql: String? = nil
        /// Prepended to every id of the source (`id_prefix:`), e.g. to keep feature ids of two
        /// attribute-less sources apart.
        public var idPrefix: String? = nil
        /// The CRS the source is read in: the declared one; for longitude/latitude columns
        /// without one, EPSG:4326.
        var readCRS: String? {
            if let crs { return crs }
            if case .lonLat = geometry { return "EPSG:4326" }
            return nil
        }
    }

    /// The manifest file itself.
    public var file: String
    /// The dataset's name (`name:`; the file name without extension when absent).
    public var name: String
    /// The province the localities belong to (`province:`), if given.
    public var province: LocalityDirectory.Province?
    /// The CRS maps and planar measures use (default: a suitable UTM zone is not guessed; EPSG:3857 is never used).
    public var workingCRS: String?
    /// The boundary source (`localities:`); with several editions, the first source of the first
    /// edition (the default for commands not tied to a target's period).
    public var localities: LocalitySource
    /// The boundary editions (`localities:` as a list); one edition `default`, always in force,
    /// for a single mapping.
    public var editions: [BoundaryEdition] = []
    /// True when `localities:` is a list of editions (outputs then say which edition was used).
    public var hasEditions: Bool { editions.count > 1 || editions.first?.id != "default" }

    /// The edition with this id.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` listing the editions (key `key`).
    public func edition(_ id: String, key: String = "--boundaries") throws -> BoundaryEdition {
        if let e = editions.first(where: { $0.id == id }) { return e }
        throw GeoMonitorError(
            .lookup, file: displayPath(file), key: key,
            "unknown edition '\(id)'; editions: \(editions.map(\.id).joined(separator: ", "))")
    }

    /// The edition in force on `day`: the first that is, else the first listed.
    public func edition(on day: Day) -> BoundaryEdition? {
        editions.first { $0.inForce(on: day) } ?? editions.first
    }
    /// The project sources (`projects:`), in manifest order.
    public var projects: [ProjectSource]
    /// The target catalog file (`targets:`), relative to the manifest; nil to use GeoData's catalog.
    public var targets: String?
    /// The file of reported indicator values (`indicators:`), relative to the manifest; nil when none.
    public var indicators: String?
    /// Caps on what a source may hold (`limits:`); defaults when absent.
    public var limits = Limits()
    /// The language of the manifest's people and sources (`language:`, e.g. `vi`): outputs for
    /// people (tables, maps, charts, reports) are written in it unless a command's `--lang` says
    /// otherwise (nil: English; see ``Language``), and for `vi` or `en` it is the default
    /// ``NumberFormat`` of every project source.
    public var language: String?

    static let projectFieldNames: Set<String> = [
        "id", "name", "kind", "status", "date", "trees", "area_ha", "length_km", "budget", "targets", "locality",
    ]

    /// True for a source that is a database connection (`PG:dbname=…`), not a file: it is not
    /// resolved against the manifest's folder nor measured by `max_file_size_mb`.
    public static func isConnection(_ source: String) -> Bool { source.prefix(3).uppercased() == "PG:" }

    /// Resolves a path in the manifest against the manifest's folder (a `PG:` connection is
    /// returned as it is).
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || path.contains("://") || path.hasPrefix("/vsi") || Self.isConnection(path) {
            return path
        }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
            .path
    }

    /// Reads and validates a manifest (YAML or JSON); the sources it names are not opened yet.
    /// - Throws: ``GeoMonitorError`` of kind `.source` when the file cannot be read, `.configuration`
    ///   (with the key path) for an unknown key, a missing key or a value of the wrong type or vocabulary.
    public static func load(_ path: String) throws -> Manifest {
        let root = try YAMLNode.load(file: path)
        return try parse(root)
    }

    /// Parses manifest text (for tests and embedding); `file` names it in errors and anchors relative paths.
    /// - Throws: ``GeoMonitorError`` of kind `.configuration` as ``load(_:)`` does.
    public static func parse(_ text: String, file: String) throws -> Manifest {
        try parse(YAMLNode.parse(text, file: file))
    }

    static func parse(_ root: YAMLNode) throws -> Manifest {
        let m = try root.mapping(allowed: [
            "name", "province", "working_crs", "localities", "projects", "targets", "indicators", "limits", "language",
        ])
        var language: String?
        if let l = m["language"] {
            let code = try l.string()
            guard Language.isValidCode(code) else {
                throw l.fail("'\(code)' is not a language code (letters, digits, '-' or '_', like vi or en)")
            }
            language = code
        }
        var province: LocalityDirectory.Province?
        if let p = m["province"] {
            let pm = try p.mapping(allowed: ["code", "name", "type"])
            guard let code = pm["code"], let name = pm["name"] else { throw p.fail("needs `code` and `name`") }
            province = .init(code: try code.string(), name: try name.string(), type: try pm["type"]?.string())
        }
        guard let locNode = m["localities"] else { throw root.fail("missing key 'localities' (the boundary source)") }
        let editions = try parseEditions(locNode)
        guard let loc = editions.first?.sources.first else {
            throw locNode.fail("needs at least one edition with a source")
        }
        guard let projNode = m["projects"] else {
            throw root.fail("missing key 'projects' (a list of project sources)")
        }
        let projects = try projNode.list().map {
            try parseProjects($0, language: language.flatMap(NumberFormat.init(rawValue:)))
        }
        var manifest = Manifest(
            file: root.file,
            name: try m["name"]?.string() ?? URL(fileURLWithPath: root.file).deletingPathExtension().lastPathComponent,
            province: province, workingCRS: try m["working_crs"]?.string(), localities: loc, projects: projects,
            targets: try m["targets"]?.string(), indicators: try m["indicators"]?.string())
        if let l = m["limits"] { manifest.limits = try parseLimits(l) }
        manifest.language = language
        manifest.editions = editions
        return manifest
    }

    /// `limits: {max_file_size_mb: 1024, …}`: positive whole numbers.
    static func parseLimits(_ n: YAMLNode) throws -> Limits {
        var limits = Limits()
        for (key, value) in try n.mapping(allowed: Set(Limits.names)) {
            guard let v = Limits.parseValue((try? value.string()) ?? "") else {
                throw value.fail("expected a positive whole number, found \(value.kindName)")
            }
            limits[key] = v
        }
        return limits
    }

    /// `encoding: CP1258` on a source: the text encoding of its attributes, the same as
    /// `open_options: {ENCODING: …}` (given both, they must agree).
    static func openOptions(_ m: [String: YAMLNode], _ n: YAMLNode) throws -> [String: String] {
        var options = try m["open_options"]?.stringMap() ?? [:]
        if let e = m["encoding"] {
            let value = try e.string()
            if let k = options.keys.first(where: { $0.uppercased() == "ENCODING" }), options[k] != value {
                throw e.fail("`encoding: \(value)` contradicts `open_options: {\(k): \(options[k] ?? "")}`; keep one")
            }
            if value.uppercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "")
                .hasPrefix("VNIMAC")
            {
                throw e.fail(
                    "VNI-Mac is not supported; convert the text to Unicode first (e.g. with UniKey's converter) or save it as VNI Windows (`encoding: VNI`)"
                )
            }
            options["ENCODING"] = value
        }
        return options
    }

    /// A source's `sql:` query: text, and not together with `layer:`.
    static func sqlQuery(_ m: [String: YAMLNode], _ n: YAMLNode) throws -> String? {
        guard let q = m["sql"] else { return nil }
        if m["layer"] != nil { throw q.fail("give either `layer:` or `sql:`, not both") }
        let text = try q.string().trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw q.fail("`sql:` is empty") }
        return text
    }

    static let sourceKeys: Set<String> = [
        "source", "layer", "crs", "fields", "open_options", "encoding", "filter", "sql",
    ]

    /// `localities:` as a single mapping (one edition `default`) or a list of editions.
    static func parseEditions(_ n: YAMLNode) throws -> [BoundaryEdition] {
        guard case .sequence = n.node else {
            let m = try n.mapping(allowed: sourceKeys.union(["sliver_ha", "gazetteer"]))
            let g = try m["gazetteer"].map(parseGazetteer)
            if let g, g.asOf == nil {
                throw (m["gazetteer"] ?? n).fail(
                    "a gazetteer of a single `localities:` mapping needs `as_of` (the date its units are taken in force)"
                )
            }
            var src = try parseLocalities(n, allowed: sourceKeys.union(["sliver_ha", "gazetteer"]), gazetteer: g)
            src.sliverHa = try sliver(m)
            return [
                BoundaryEdition(
                    id: "default", from: nil, to: nil, sources: [src], gazetteer: g, sliverHa: src.sliverHa, key: n.path
                )
            ]
        }
        var editions: [BoundaryEdition] = []
        for e in try n.sequence() {
            let m = try e.mapping(
                allowed: sourceKeys.union(["edition", "from", "to", "sources", "gazetteer", "sliver_ha"]))
            guard let idn = m["edition"] else { throw e.fail("missing key 'edition' (the edition's id)") }
            let id = try idn.string()
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw idn.fail("edition id '\(id)' must be letters, digits, '-', '_' or '.'")
            }
            if editions.contains(where: { $0.id == id }) { throw idn.fail("edition '\(id)' given twice") }
            let from = try m["from"]?.day()
            let to = try m["to"]?.day()
            if let from, let to, to < from {
                throw (m["to"] ?? e).fail("edition '\(id)' ends (\(to)) before it starts (\(from))")
            }
            let g = try m["gazetteer"].map(parseGazetteer)
            let sliverHa = try sliver(m)
            var sources: [LocalitySource] = []
            if let list = m["sources"] {
                if let k = m.keys.first(where: { sourceKeys.contains($0) }) {
                    throw (m[k] ?? e).fail("give `sources:` or `\(k)` and the other keys of one source, not both")
                }
                for s in try list.sequence() {
                    sources.append(try parseLocalities(s, allowed: sourceKeys, gazetteer: g))
                }
                guard !sources.isEmpty else { throw list.fail("an edition needs at least one source") }
            } else {
                guard m["source"] != nil else {
                    throw e.fail("missing key 'source' (or `sources:`, a list of boundary files)")
                }
                let inner = try YAMLNode.subset(e, keys: sourceKeys)
                sources = [try parseLocalities(inner, allowed: sourceKeys, gazetteer: g)]
            }
            for i in sources.indices { sources[i].sliverHa = sliverHa }
            let edition = BoundaryEdition(
                id: id, from: from, to: to, sources: sources, gazetteer: g, sliverHa: sliverHa, key: e.path)
            for other in editions where overlap(other, edition) {
                throw e.fail(
                    "edition '\(id)' (\(edition.from?.description ?? "…")–\(edition.to?.description ?? "…")) overlaps edition '\(other.id)' (\(other.from?.description ?? "…")–\(other.to?.description ?? "…"))"
                )
            }
            editions.append(edition)
        }
        guard !editions.isEmpty else { throw n.fail("an empty list of editions") }
        return editions
    }

    static func overlap(_ a: BoundaryEdition, _ b: BoundaryEdition) -> Bool {
        let aStart = a.from?.ordinal ?? Int.min
        let aEnd = a.to?.ordinal ?? Int.max
        let bStart = b.from?.ordinal ?? Int.min
        let bEnd = b.to?.ordinal ?? Int.max
        return aStart <= bEnd && bStart <= aEnd
    }

    static func sliver(_ m: [String: YAMLNode]) throws -> Double {
        guard let n = m["sliver_ha"] else { return 5 }
        let v = try n.double()
        guard v >= 0, v.isFinite else { throw n.fail("`sliver_ha` must be a number of hectares ≥ 0") }
        return v
    }

    /// `gazetteer: {country: VN, provinces: [...], level: district, as_of: DATE}`.
    static func parseGazetteer(_ n: YAMLNode) throws -> Gazetteer {
        let m = try n.mapping(allowed: ["country", "provinces", "level", "as_of"])
        guard let c = m["country"] else { throw n.fail("missing key 'country' (e.g. VN)") }
        let country = try c.string()
        guard UnitList.countries.contains(country.uppercased()) else {
            throw c.fail(
                "no unit list for country '\(country)'; embedded: \(UnitList.countries.joined(separator: ", "))")
        }
        var level: AdministrativeUnit.Level?
        if let l = m["level"] {
            let s = try l.string()
            guard let v = AdministrativeUnit.Level(rawValue: s) else {
                throw l.fail("unknown level '\(s)'; levels: \(AdministrativeUnit.Level.vocabulary)")
            }
            level = v
        }
        return Gazetteer(
            country: country.uppercased(), provinces: try m["provinces"]?.list().map { try $0.string() } ?? [],
            level: level, asOf: try m["as_of"]?.day())
    }

    static func parseLocalities(
        _ n: YAMLNode, allowed: Set<String> = sourceKeys.union(["sliver_ha"]), gazetteer: Gazetteer? = nil
    ) throws -> LocalitySource {
        let m = try n.mapping(allowed: allowed)
        guard let src = m["source"] else { throw n.fail("missing key 'source'") }
        guard let f = m["fields"] else {
            throw n.fail(
                gazetteer == nil
                    ? "missing key 'fields' (at least code and name)" : "missing key 'fields' (at least name)")
        }
        let sliver = try m["sliver_ha"]?.double() ?? 5
        guard sliver >= 0, sliver.isFinite else { throw n.fail("`sliver_ha` must be a number of hectares ≥ 0") }
        let fields = try f.mapping(allowed: ["code", "name", "parent", "type"])
        let code = fields["code"]
        if code == nil && gazetteer == nil {
            throw f.fail("missing key 'code' (the column holding GSO codes; optional with a `gazetteer:`)")
        }
        guard let name = fields["name"] else { throw f.fail("missing key 'name' (the column holding names)") }
        var filter: (String, String)?
        if let fl = m["filter"] {
            let fm = try fl.mapping(allowed: ["field", "equals"])
            guard let ff = fm["field"], let fv = fm["equals"] else { throw fl.fail("needs `field` and `equals`") }
            filter = (try ff.string(), try fv.string())
        }
        var source = LocalitySource(
            source: try src.string(), layer: try m["layer"]?.string(), crs: try m["crs"]?.string(),
            openOptions: try openOptions(m, n), code: try code?.string(), name: try name.string(),
            parent: try fields["parent"]?.string(), type: try fields["type"]?.string(), filter: filter,
            sliverHa: sliver, gazetteer: gazetteer, key: n.path.isEmpty ? "localities" : n.path)
        source.sql = try sqlQuery(m, n)
        return source
    }

    static func parseProjects(_ n: YAMLNode, language: NumberFormat? = nil) throws -> ProjectSource {
        let m = try n.mapping(allowed: [
            "source", "layer", "crs", "kind", "status", "fields", "values", "open_options", "encoding", "date_format",
            "geometry", "number_format", "date_serial", "lines_as_polygons", "id_prefix", "sql",
        ])
        guard let src = m["source"] else { throw n.fail("missing key 'source'") }
        guard let f = m["fields"] else { throw n.fail("missing key 'fields' (at least id)") }
        let fields = try f.mapping(allowed: projectFieldNames).mapValues { try $0.string() }
        guard fields["id"] != nil else { throw f.fail("missing key 'id' (the column holding project ids)") }
        var kind: ProjectKind?
        if let k = m["kind"] {
            let s = try k.string()
            guard let v = ProjectKind(rawValue: s) else {
                throw k.fail("unknown kind '\(s)'; canonical kinds: \(ProjectKind.vocabulary)")
            }
            kind = v
        }
        if kind == nil && fields["kind"] == nil {
            throw n.fail("give either a constant `kind:` or `fields.kind` (the column holding the kind)")
        }
        var status: ProjectStatus?
        if let k = m["status"] {
            let s = try k.string()
            guard let v = ProjectStatus(rawValue: s) else {
                throw k.fail("unknown status '\(s)'; canonical statuses: \(ProjectStatus.vocabulary)")
            }
            status = v
        }
        if status == nil && fields["status"] == nil {
            throw n.fail("give either a constant `status:` or `fields.status` (the column holding the status)")
        }
        var kindValues: [String: ProjectKind] = [:]
        var statusValues: [String: ProjectStatus] = [:]
        if let v = m["values"] {
            let vm = try v.mapping(allowed: ["kind", "status"])
            if let kv = vm["kind"] {
                for (src, canon) in try kv.mapping() {
                    let s = try canon.string()
                    guard let k = ProjectKind(rawValue: s) else {
                        throw canon.fail("'\(s)' is not a canonical kind (\(ProjectKind.vocabulary))")
                    }
                    kindValues[src] = k
                }
            }
            if let sv = vm["status"] {
                for (src, canon) in try sv.mapping() {
                    let s = try canon.string()
                    guard let k = ProjectStatus(rawValue: s) else {
                        throw canon.fail("'\(s)' is not a canonical status (\(ProjectStatus.vocabulary))")
                    }
                    statusValues[src] = k
                }
            }
        }
        var dateFormat: String?
        if let d = m["date_format"] {
            let s = try d.string()
            guard ["dd/MM/yyyy", "yyyy-MM-dd", "MM/dd/yyyy"].contains(s) else {
                throw d.fail("date_format must be dd/MM/yyyy, MM/dd/yyyy or yyyy-MM-dd")
            }
            dateFormat = s
        }
        var source = ProjectSource(
            source: try src.string(), layer: try m["layer"]?.string(), crs: try m["crs"]?.string(),
            openOptions: try openOptions(m, n), kind: kind, status: status, fields: fields,
            kindValues: kindValues, statusValues: statusValues, dateFormat: dateFormat, key: n.path)
        if let g = m["geometry"] { source.geometry = try parseGeometry(g) }
        source.numberFormat = language
        if let f = m["number_format"] {
            let s = try f.string()
            guard let v = NumberFormat(rawValue: s) else {
                throw f.fail("number_format must be vi (1.250,5) or en (1,250.5)")
            }
            source.numberFormat = v
        }
        if let d = m["date_serial"] {
            guard try d.string() == "excel" else {
                throw d.fail("date_serial must be `excel` (Excel serial day numbers: 45458 = 2024-06-15)")
            }
            source.excelSerialDates = true
        }
        if let l = m["lines_as_polygons"] {
            let lm = try l.mapping(allowed: ["tolerance_m"])
            guard let t = lm["tolerance_m"] else {
                throw l.fail("needs `tolerance_m` (metres between a line's ends that are closed)")
            }
            guard let v = Double(try t.string()), v.isFinite, v >= 0 else {
                throw t.fail("expected a distance in metres (0 or more)")
            }
            source.linesAsPolygonsToleranceM = v
        }
        if let p = m["id_prefix"] { source.idPrefix = try p.string() }
        source.sql = try sqlQuery(m, n)
        return source
    }

    /// `geometry: {lon: …, lat: …}`, `{x: …, y: …, order: gis | survey}` or `{wkt: …}`.
    static func parseGeometry(_ n: YAMLNode) throws -> TableGeometry {
        let g = try n.mapping(allowed: ["lon", "lat", "x", "y", "order", "wkt"])
        let keys = Set(g.keys)
        if keys == ["lon", "lat"] {
            return .lonLat(lon: try g["lon"]!.string(), lat: try g["lat"]!.string())
        }
        if keys == ["x", "y"] || keys == ["x", "y", "order"] {
            var survey = false
            if let o = g["order"] {
                switch try o.string() {
                case "gis": survey = false
                case "survey": survey = true
                default:
                    throw o.fail(
                        "order must be gis (x = easting) or survey (x = northing, as VN-2000 survey tables list them)")
                }
            }
            return .xy(x: try g["x"]!.string(), y: try g["y"]!.string(), survey: survey)
        }
        if keys == ["wkt"] { return .wkt(try g["wkt"]!.string()) }
        throw n.fail("give `{lon: COLUMN, lat: COLUMN}`, `{x: COLUMN, y: COLUMN, order: survey}` or `{wkt: COLUMN}`")
    }
}
