import Foundation
internal import GDALKit

/// A loaded dataset: localities, projects and the manifest they came from.
///
/// Every geometry is in WGS 84 longitude/latitude, whatever CRS its source used, and every
/// project carries its geodesic area (ha) or length (km). Loading holds all projects in memory;
/// to go through a very large source one project at a time, use
/// ``Dataset/streamProjects(manifest:source:filter:)`` instead.
///
/// ```swift
/// let data = try Dataset.load(manifest: Dataset.defaultManifestPath())
/// let dalat = try data.localities.find("tp da lat")
/// ```
public struct Dataset: Sendable {
    /// The manifest the dataset was loaded from (paths, column mappings, target catalog).
    public let manifest: Manifest
    /// The localities (districts or communes) read from the manifest's boundary source.
    public let localities: LocalityDirectory
    /// Every project of every project source, in manifest and feature order; ids are unique.
    public let projects: [Project]
    /// Non-fatal findings made while loading.
    public let warnings: [Warning]
    /// The id of the boundary edition ``localities`` holds (`default` for a single `localities:` mapping).
    public let edition: String
    /// The localities of every boundary edition of the manifest, by edition id.
    public let editions: [String: LocalityDirectory]

    /// A dataset from values already in memory (for tests, or data that does not come from
    /// files); nothing is checked. `editions` defaults to `localities` alone, as edition `edition`.
    public init(
        manifest: Manifest, localities: LocalityDirectory, projects: [Project], warnings: [Warning] = [],
        edition: String = "default", editions: [String: LocalityDirectory]? = nil
    ) {
        self.manifest = manifest
        self.localities = localities
        self.projects = projects
        self.warnings = warnings
        self.edition = edition
        self.editions = editions ?? [edition: localities]
    }

    /// The same projects over the localities of another boundary edition (`--boundaries`): every
    /// figure is then re-aggregated by geometry onto that edition's units.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` naming the editions when `id` is unknown.
    public func onEdition(_ id: String) throws -> Dataset {
        if id == edition { return self }
        guard let dir = editions[id] else {
            let known = manifest.editions.map(\.id).filter { editions[$0] != nil }
            throw GeoMonitorError(
                .lookup, file: displayPath(manifest.file), key: "--boundaries",
                "unknown edition '\(id)'; editions: \((known.isEmpty ? Array(editions.keys).sorted() : known).joined(separator: ", "))"
            )
        }
        return Dataset(
            manifest: manifest, localities: dir, projects: projects, warnings: warnings, edition: id, editions: editions
        )
    }

    /// The dataset on the edition in force on `day` (itself when that is the one it holds, or
    /// when the manifest has a single edition).
    public func onEdition(inForceOn day: Day) -> Dataset {
        guard let e = manifest.edition(on: day), e.id != edition, editions[e.id] != nil else { return self }
        return (try? onEdition(e.id)) ?? self
    }

    /// The embedded Lâm Đồng 2024 manifest: `$GEOMONITOR_DATA/manifest.yaml` when that variable is
    /// set; else `GeoData/manifest.yaml` beside the running executable or beside a folder above it
    /// (`.build/release/geomonitor` of a checkout finds the checkout's); else that of the source
    /// tree the binary was built from, when it still exists; else that of the current folder.
    public static func defaultManifestPath() -> String {
        if let d = ProcessInfo.processInfo.environment["GEOMONITOR_DATA"], !d.isEmpty {
            return URL(fileURLWithPath: d).appendingPathComponent("manifest.yaml").path
        }
        return ShippedFolder.path("GeoData", marker: "manifest.yaml") + "/manifest.yaml"
    }

    /// Loads a manifest and everything it names (only the projects `filter` admits, when given).
    ///
    /// - Parameters:
    ///   - path: a manifest file (YAML or JSON); relative paths in it are resolved against its folder.
    ///   - filter: skips, before any geometry work, projects that no target of interest can
    ///     select (see ``ProjectFilter/forTargets(_:)``); nil loads every project.
    ///   - timings: where the phases of the load (localities, open, read, reproject, build, ids,
    ///     validate …) are timed; none by default.
    /// - Throws: ``GeoMonitorError`` naming the file, layer, feature and manifest key: `.configuration`
    ///   for a malformed manifest, `.source` for a missing or unreadable file, `.field` for a mapped
    ///   column the source lacks, `.value` for an unmapped kind/status, an unparseable number or
    ///   date or a duplicate id, `.crs` for a missing or wrong CRS, `.geometry` for non-finite coordinates.
    public static func load(manifest path: String, filter: ProjectFilter? = nil, timings: PhaseLog = .off) throws
        -> Dataset
    {
        try load(Manifest.load(path), filter: filter, timings: timings)
    }

    /// Loads the sources of a parsed manifest (only the projects `filter` admits, when given;
    /// its phases timed in `timings`).
    /// - Throws: ``GeoMonitorError`` as ``load(manifest:filter:timings:)`` does.
    public static func load(_ manifest: Manifest, filter: ProjectFilter? = nil, timings: PhaseLog = .off) throws
        -> Dataset
    {
        // The boundaries (GDAL's parse of a large GeoJSON is single-threaded) are read, and their
        // grid built, on a thread of their own while the projects are read.
        let boundaries = LockedBox<
            Result<(localities: LocalityDirectory, warnings: [Warning], editions: [String: LocalityDirectory]), Error>?
        >(nil)
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            let r = Result {
                () throws -> (localities: LocalityDirectory, warnings: [Warning], editions: [String: LocalityDirectory])
                in
                let loaded = try LocalityDirectory.load(manifest, timings: timings)
                _ = timings.measure("grid") { loaded.localities.regionGrid }
                var warnings = loaded.warnings
                var editions: [String: LocalityDirectory] = [
                    manifest.editions.first?.id ?? "default": loaded.localities
                ]
                for e in manifest.editions.dropFirst() {
                    let other = try LocalityDirectory.load(manifest, edition: e, timings: timings)
                    editions[e.id] = other.localities
                    warnings += other.warnings
                }
                return (loaded.localities, warnings, editions)
            }
            boundaries.mutate { $0 = r }
            done.signal()
        }
        reader.stackSize = 8 << 20  // as the main thread's: GDAL's parsers may recurse
        reader.start()
        var projectWarnings: [Warning] = []
        var projects: [Project] = []
        // Ids are checked over every feature of every source, whatever the filter keeps: the
        // loaders scan the id columns of filtered sources before reading them.
        var ids = ProjectIDs()
        let read = Result { () throws in
            for (i, src) in manifest.projects.enumerated() {
                let loaded = try ProjectLoader.load(
                    src, index: i, manifest: manifest, filter: filter, ids: &ids, warnings: &projectWarnings,
                    timings: timings)
                if projects.isEmpty { projects = loaded } else { projects.append(contentsOf: loaded) }
            }
        }
        done.wait()
        // A boundary error comes first, as when the boundaries were read first.
        guard let loaded = boundaries.value else { throw GeoMonitorError(.source, "the boundaries were not read") }
        var (localities, warnings, editions) = try loaded.get()
        try read.get()
        warnings += projectWarnings
        try timings.measure("ids") { try ids.check() }
        warnings += GeometryValidity.warnings(projects, timings: timings)
        warnings += LocalityTextCheck.warnings(projects, manifest: manifest, editions: editions)
        return Dataset(
            manifest: manifest, localities: localities, projects: projects, warnings: warnings,
            edition: manifest.editions.first?.id ?? "default", editions: editions)
    }

    /// The project with this id, or nil (a linear search: for repeated lookups build a dictionary).
    public func project(_ id: String) -> Project? { projects.first { $0.id == id } }
}

/// A manifest path as shown to users: relative to the current folder when inside it; a
/// database connection without its password.
func displayPath(_ path: String) -> String {
    if Manifest.isConnection(path) { return ConnectionString.redacted(path) }
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
}

extension LocalityDirectory {
    /// The localities a manifest names (its first edition), read without any project source
    /// (what `geomonitor localities` lists), with the warnings reading them gave.
    /// - Parameters:
    ///   - manifest: the parsed manifest.
    ///   - timings: where the reading is timed (`localities`, `coverage` …); none by default.
    /// - Throws: ``GeoMonitorError`` naming the file, layer, feature and manifest key, as
    ///   ``Dataset/load(manifest:filter:timings:)`` does for the localities.
    public static func load(_ manifest: Manifest, timings: PhaseLog = .off) throws -> (
        localities: LocalityDirectory, warnings: [Warning]
    ) {
        var warnings: [Warning] = []
        let localities = try timings.measure("localities") {
            try LocalityLoader.load(manifest, warnings: &warnings, timings: timings)
        }
        return (localities, warnings)
    }

    /// The localities of one boundary edition of a manifest, with the warnings reading them gave.
    /// - Parameters:
    ///   - manifest: the parsed manifest.
    ///   - edition: one of its ``Manifest/editions``.
    ///   - timings: where the reading is timed, as in ``load(_:timings:)``.
    /// - Throws: ``GeoMonitorError`` as ``load(_:timings:)`` does; `.lookup` when a gazetteer finds no
    ///   unit, or several, for a feature.
    public static func load(_ manifest: Manifest, edition: BoundaryEdition, timings: PhaseLog = .off) throws -> (
        localities: LocalityDirectory, warnings: [Warning]
    ) {
        var warnings: [Warning] = []
        let localities = try timings.measure("localities") {
            try LocalityLoader.load(manifest, edition: edition, warnings: &warnings, timings: timings)
        }
        return (localities, warnings)
    }
}

enum LocalityLoader {
    /// One feature (or several sharing a code) of a boundary file.
    struct Part {
        var code: String
        var name: String
        var type: String?
        var parent: String?
        var polys: [Polygon]
        var areaHa: Double
        var sourceName: String? = nil
        var sourceCode: String? = nil
        var file: String
        var layer: String
        var fid: Int64
    }

    static func load(_ manifest: Manifest, warnings: inout [Warning], timings: PhaseLog = .off) throws
        -> LocalityDirectory
    {
        let edition =
            manifest.editions.first
            ?? BoundaryEdition(id: "default", sources: [manifest.localities], sliverHa: manifest.localities.sliverHa)
        return try load(manifest, edition: edition, warnings: &warnings, timings: timings)
    }

    static func load(
        _ manifest: Manifest, edition: BoundaryEdition, warnings: inout [Warning], timings: PhaseLog = .off
    ) throws -> LocalityDirectory {
        var parts: [Part] = []
        var shownFiles: [String] = []
        for spec in edition.sources {
            let (read, shown) = try readSource(spec, manifest: manifest, warnings: &warnings, timings: timings)
            parts += read
            shownFiles.append(shown)
        }
        let shown = shownFiles.joined(separator: " + ")
        if let g = edition.gazetteer {
            try match(&parts, edition: edition, gazetteer: g, shown: shown, warnings: &warnings)
        }
        var order: [String] = []
        var byCode: [String: Part] = [:]
        for p in parts {
            if var q = byCode[p.code] {
                q.polys += p.polys
                q.areaHa += p.areaHa
                byCode[p.code] = q
            } else {
                order.append(p.code)
                byCode[p.code] = p
            }
        }
        let locs = order.compactMap { code -> Locality? in
            guard let p = byCode[code] else { return nil }
            let g: Geometry = p.polys.count == 1 ? .polygon(p.polys[0]) : .multiPolygon(p.polys)
            return Locality(
                code: code, name: p.name, type: p.type, parent: p.parent, geometry: g, areaHa: p.areaHa,
                sourceName: p.sourceName, sourceCode: p.sourceCode)
        }
        if edition.gazetteer == nil { warnings += codeNameWarnings(locs, edition: edition, shown: shown) }
        // Projected once, for the coverage scan and then the assignment's grid.
        let planar = LocalityIndex.planar(locs)
        warnings += timings.measure("coverage") {
            BoundaryCoverage.warnings(locs, planar: planar, sliverHa: edition.sliverHa, source: shown)
        }
        let directory = LocalityDirectory(locs, province: manifest.province)
        directory.gridCache.seed(planar: planar)
        return directory
    }

    /// The features of one boundary file, in feature order (codes may repeat).
    static func readSource(
        _ spec: Manifest.LocalitySource, manifest: Manifest, warnings: inout [Warning], timings: PhaseLog = .off
    ) throws -> ([Part], String) {
        let path = manifest.resolve(spec.source)
        let shown = displayPath(path)
        // A large GeoJSON file is read from its FlatGeobuf copy (same features, order and ids);
        // anything wrong there, and the original is read, so that errors name it.
        if spec.sql == nil {
            try manifest.limits.checkFileSize(path, shown: shown, key: "\(spec.key).source")
            if let copy = BoundaryCache.copy(of: path, layer: spec.layer, openOptions: spec.openOptions) {
                var fromCopy = warnings
                if let parts = try? readFile(
                    copy, openOptions: [:], shown: shown, spec, manifest: manifest, warnings: &fromCopy,
                    timings: timings)
                {
                    warnings = fromCopy
                    return (parts, shown)
                }
            }
        }
        return (
            try readFile(
                path, openOptions: spec.openOptions, shown: shown, spec, manifest: manifest, warnings: &warnings,
                timings: timings), shown
        )
    }

    /// The features of one boundary file read from `path` (the manifest's file or its copy),
    /// named `shown` in errors and warnings.
    static func readFile(
        _ path: String, openOptions: [String: String], shown: String, _ spec: Manifest.LocalitySource,
        manifest: Manifest, warnings: inout [Warning], timings: PhaseLog = .off
    ) throws -> [Part] {
        let key = spec.key
        let reader = try SourceReader(
            path: path, displayPath: shown, layer: spec.layer, crs: spec.crs,
            openOptions: openOptions, crsKey: "\(key).crs", limits: manifest.limits, sql: spec.sql, timings: timings)
        // Columns in the order code (when mapped), name, parent, type, filter: the first missing one is reported.
        var mapping: [(key: String, column: String)] = []
        if let c = spec.code { mapping.append(("\(key).fields.code", c)) }
        mapping.append(("\(key).fields.name", spec.name))
        if let p = spec.parent { mapping.append(("\(key).fields.parent", p)) }
        if let t = spec.type { mapping.append(("\(key).fields.type", t)) }
        if let f = spec.filter { mapping.append(("\(key).filter.field", f.field)) }
        let cols = try reader.columns(mapping)
        let codeAt: Int? = spec.code != nil ? 0 : nil
        let nameAt = spec.code != nil ? 1 : 0
        let parentAt: Int? = spec.parent != nil ? nameAt + 1 : nil
        let typeAt: Int? = spec.type != nil ? nameAt + 1 + (parentAt != nil ? 1 : 0) : nil
        var parts: [Part] = []
        let layerName = reader.layer.name
        // The reader measured each feature's geodesic area on all cores.
        let report = try reader.read(columns: cols) { fid, values, geometry, areaHa, _ in
            if let f = spec.filter, values.last?.description != f.value { return }
            let fileCode = codeAt.map { values[$0].description.trimmingCharacters(in: .whitespaces) }
            let name = values[nameAt].description.nfc.trimmingCharacters(in: .whitespaces)
            if let c = fileCode, c.isEmpty, spec.gazetteer == nil {
                throw GeoMonitorError(
                    .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.code",
                    "empty locality code in column '\(spec.code ?? "")'")
            }
            let code = fileCode.flatMap { $0.isEmpty ? nil : $0 } ?? "#\(fid)"
            if let g = geometry, let bad = g.firstNonFinite {
                throw GeoMonitorError(
                    .geometry, file: shown, layer: layerName, feature: String(fid),
                    "locality \(code) (\(name)): coordinate \(bad) is not a finite number")
            }
            guard let g = geometry, !g.polygons.isEmpty else {
                warnings.append(
                    Warning(
                        code: "locality-without-area",
                        "\(shown): feature \(fid) (\(code) \(name)) has no polygon geometry; skipped"))
                return
            }
            let type = typeAt.map { values[$0].description }
            let parent = parentAt.map { values[$0].description }
            parts.append(
                Part(
                    code: code, name: name, type: type?.isEmpty == true ? nil : type,
                    parent: parent?.isEmpty == true ? nil : parent,
                    polys: g.polygons, areaHa: areaHa, sourceCode: fileCode, file: shown, layer: layerName, fid: fid))
        }
        if let w = reader.textEncodingWarning(report.invalidText, key: key) { warnings.append(w) }
        guard !parts.isEmpty else {
            throw GeoMonitorError(.source, file: shown, layer: layerName, "no locality polygons read")
        }
        return parts
    }

    /// Gives every feature the official code, name and type of the unit it names (the file's
    /// name and code kept as source_name / source_code); warns about units with no feature.
    static func match(
        _ parts: inout [Part], edition: BoundaryEdition, gazetteer g: Gazetteer, shown: String,
        warnings: inout [Warning]
    ) throws {
        guard let day = edition.gazetteerDay else {
            throw GeoMonitorError(
                .configuration, key: "\(edition.key).gazetteer.as_of",
                "edition '\(edition.id)' has no `from` date: give the gazetteer an `as_of` date")
        }
        let list = try UnitList.embedded(country: g.country)
        let provinces = g.provinces.isEmpty ? nil : Set(g.provinces)
        let level =
            g.level ?? (list.inForce(on: day, level: .district, provinces: provinces).isEmpty ? .commune : .district)
        let pool = list.inForce(on: day, level: level, provinces: provinces)
        let within = g.provinces.isEmpty ? "in \(g.country)" : "in province(s) \(g.provinces.joined(separator: ", "))"
        var typeNotes: [String] = []
        for i in parts.indices {
            let p = parts[i]
            let typed = p.type.flatMap(VietnameseNames.typeCategory) ?? VietnameseNames.typeWord(p.name)
            let found = UnitList.match(name: p.name, type: typed, in: pool)
            guard found.count == 1 else {
                let shownName = (p.type.map { $0 + " " } ?? "") + p.name
                if found.isEmpty {
                    let close = UnitList.closest(to: p.name, in: pool).map { "\($0.fullName) (\($0.code))" }.joined(
                        separator: ", ")
                    throw GeoMonitorError(
                        .lookup, file: p.file, layer: p.layer, feature: String(p.fid), key: "\(edition.key).gazetteer",
                        "'\(shownName)' matches no \(level.rawValue) in force on \(day) \(within); closest: \(close)")
                }
                let list = found.map { "\($0.fullName) (\($0.code))" }.joined(separator: ", ")
                throw GeoMonitorError(
                    .lookup, file: p.file, layer: p.layer, feature: String(p.fid), key: "\(edition.key).gazetteer",
                    "'\(shownName)' matches several \(level.rawValue)s in force on \(day): \(list); map `fields.type` or correct the name"
                )
            }
            let u = found[0]
            if let typed, let official = VietnameseNames.typeCategory(u.type), typed != official {
                typeNotes.append("'\(p.type ?? "")\(p.type == nil ? "" : " ")\(p.name)' is \(u.fullName) (\(u.code))")
            }
            parts[i].sourceName = p.name
            parts[i].code = u.code
            parts[i].name = u.name
            parts[i].type = shortType(u)
            parts[i].parent = u.parent
        }
        if !typeNotes.isEmpty {
            warnings.append(
                Warning(
                    code: "gazetteer-type",
                    "\(shown): the file's unit type is out of date for \(typeNotes.count) unit(s) on \(day): \(typeNotes.joined(separator: "; ")); the official type is used"
                ))
        }
        let matched = Set(parts.map(\.code))
        for u in pool where !matched.contains(u.code) {
            warnings.append(
                Warning(
                    code: "gazetteer-missing",
                    "\(shown): no feature for \(u.fullName) (\(u.code)), a \(u.level.rawValue) in force on \(day) \(within); its area is counted nowhere"
                ))
        }
    }

    /// The type word of a unit's full name ("Thành phố" of "Thành phố Bảo Lộc"), else its type.
    static func shortType(_ u: AdministrativeUnit) -> String {
        if u.fullName.hasSuffix(" " + u.name) {
            let t = String(u.fullName.dropLast(u.name.count + 1)).trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { return t }
        }
        return u.type
    }

    /// Codes that lie: a locality whose code the official list gives to a unit of another name
    /// (in the edition's span), when the file's name is itself an official unit's name.
    static func codeNameWarnings(_ locs: [Locality], edition: BoundaryEdition, shown: String) -> [Warning] {
        func inEdition(_ u: AdministrativeUnit) -> Bool {
            (edition.from.map { f in u.validTo.map { $0 >= f } ?? true } ?? true)
                && (edition.to.map { t in u.validFrom.map { $0 <= t } ?? true } ?? true)
        }
        // The list's rows of the file's codes; then, for names that match none of their code's
        // versions, the rows bearing those names (a name no unit bears is the file's own
        // numbering, not a mismatch): two passes over the list that make only the rows they keep.
        guard let byCode = try? UnitList.embedded(codes: Set(locs.map(\.code))) else { return [] }
        let differing = locs.compactMap { l -> (Locality, [AdministrativeUnit], String)? in
            let versions = byCode.versions(of: l.code).filter(inEdition)
            let key = VietnameseNames.key(l.name)
            guard !versions.isEmpty, !versions.contains(where: { VietnameseNames.key($0.name) == key }) else {
                return nil
            }
            return (l, versions, key)
        }
        guard !differing.isEmpty, let byName = try? UnitList.embedded(nameKeys: Set(differing.map(\.2))) else {
            return []
        }
        var out: [Warning] = []
        for (l, versions, key) in differing {
            let bearers = byName.units.filter { VietnameseNames.key($0.name) == key }
            guard !bearers.isEmpty else { continue }
            let official = versions.map { "\($0.fullName)" }.uniqued().joined(separator: " / ")
            let level = versions[0].level
            let namesake = bearers.filter { $0.level == level && $0.code != l.code }.filter(inEdition)
                .map { "\($0.fullName) is \($0.code)" }.uniqued().prefix(3).joined(separator: ", ")
            out.append(
                Warning(
                    code: "code-name-mismatch",
                    "\(shown): code \(l.code) is '\(l.name)' in the file, but the official list gives \(l.code) to \(official)\(namesake.isEmpty ? "" : " (\(namesake))"); the file numbers its units its own way: quotas and selections by code may land on the wrong unit (name them, or add a `gazetteer:`)"
                ))
        }
        return out
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, first occurrence kept.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

/// Reads one project source whole for `Dataset.load`. Features become projects by the rules of
/// `ProjectDecoder` (ProjectDecoder.swift), as the streams do, but on all cores: each reading
/// thread pre-filters with its own predicate, each worker decodes with its own copy of the
/// decoder (so its own caches, and no locks), and the outcomes are gathered here in feature order.
enum ProjectLoader {
    /// - Parameter ids: gathers the ids of every feature of the source (all of them, even those
    ///   `filter` leaves out), for the duplicate check across sources.
    static func load(
        _ spec: Manifest.ProjectSource, index: Int, manifest: Manifest, filter: ProjectFilter? = nil,
        ids: inout ProjectIDs, warnings: inout [Warning], timings: PhaseLog = .off
    ) throws -> [Project] {
        let path = manifest.resolve(spec.source)
        let shown = displayPath(path)
        let key = "projects[\(index)]"
        var reader = try SourceReader(
            path: path, displayPath: shown, layer: spec.layer, crs: spec.readCRS,
            openOptions: spec.openOptions, crsKey: "\(key).crs", limits: manifest.limits, sql: spec.sql,
            timings: timings)
        let rules = try ProjectDecoder(spec: spec, key: key, reader: reader)
        reader.tableGeometry = rules.tableGeometry
        reader.lineTolerance = spec.linesAsPolygonsToleranceM
        let attributes = filter.flatMap { $0.keepsAllAttributes ? nil : $0 }
        if let f = attributes {
            reader.condition = timings.measure("open") {
                SQLPushdown.condition(for: f, spec: spec, layer: reader.layer)
            }
        }
        // A read that the source filters (a condition it applies, a region) does not see every
        // feature: the ids of all of them are scanned, before any filter, on a thread of their own
        // (its own connection) while the filtered read runs. A read that sees every feature notes
        // their ids itself, kept or not.
        let scanned = filter != nil && (reader.condition != nil || filter?.region != nil)
        var scan: (done: DispatchSemaphore, result: LockedBox<Result<ProjectIDs.SourceIDs, Error>?>)?
        if scanned {
            if spec.sql != nil {
                try timings.measure("ids") { try ids.scan(rules, reader: reader) }
            } else {
                let done = DispatchSemaphore(value: 0)
                let result = LockedBox<Result<ProjectIDs.SourceIDs, Error>?>(nil)
                let options = spec.openOptions
                let layerName = reader.layer.name
                let t = Thread {
                    let outcome = Result { () throws -> ProjectIDs.SourceIDs in
                        do {
                            let own = try VectorDataset(path: path, openOptions: options).layer(layerName)
                            return ProjectIDs.SourceIDs(
                                try ProjectIDs.read(rules, layer: own, path: path, openOptions: options, shown: shown))
                        } catch let e as GDALError { throw GeoMonitorError(e, file: shown) }
                    }
                    result.mutate { $0 = outcome }
                    done.signal()
                }
                t.stackSize = 8 << 20
                t.start()
                scan = (done, result)
            }
        }
        if let region = filter?.region { try reader.restrict(to: region) }
        let keep = attributes.map { f in { @Sendable () -> ([FieldValue]) -> Bool in rules.preFilter(f) } }
        var note: SourceReader.Note? = nil
        if filter != nil && !scanned { note = { @Sendable fid, values in rules.id(values, fid: fid) } }
        var (batches, report) = try reader.read(columns: rules.columns, keep: keep, offEarthFails: false, note: note) {
            () -> sending Converter<ProjectDecoder.Outcome> in
            var decoder = rules
            return Converter { fid, values, geometry, areaHa, lengthKm in
                decoder.decode(fid: fid, values: values, geometry: geometry, areaHa: areaHa, lengthKm: lengthKm)
            }
        }
        var decoder = rules
        var out: [Project] = []
        try timings.measure("build") {
            out.reserveCapacity(batches.reduce(0) { $0 + $1.count })
            // Each outcome is moved out of its batch (swapped for a payload-free one), not copied:
            // a copy of every project and geometry here, on one thread, was 5 % of a 200,000-plot run.
            for b in batches.indices {
                for k in batches[b].indices {
                    var o = ProjectDecoder.Outcome.noGeometry("", 0)
                    swap(&o, &batches[b][k])
                    if let p = try decoder.gather(o) { out.append(p) }
                }
            }
        }
        if let scan {
            scan.done.wait()
            guard let found = scan.result.value else {
                throw GeoMonitorError(.source, file: shown, "the ids were not read")
            }
            try timings.measure("ids") { ids.add(scanned: try found.get(), source: shown, layer: reader.layer.name) }
        } else if let every = report.everyFeature {
            timings.measure("ids") {
                let found = zip(every.fids, every.texts).compactMap { fid, id in id.map { ($0, fid) } }
                ids.add(scanned: ProjectIDs.SourceIDs(found), source: shown, layer: reader.layer.name)
            }
        } else if !scanned {
            ids.add(out, skipped: decoder.noGeometry, source: shown, layer: reader.layer.name)
        }
        let encoding = reader.textEncodingWarning(report.invalidText, key: key)
        // A value outside the vocabulary that is legacy text read as UTF-8: the encoding is the
        // fault, so the error says which one and how to declare it.
        warnings += try TextEncodingCheck.finish(decoder, encoding: encoding)
        if let w = encoding { warnings.append(w) }
        if let w = LineClosure.warning(
            report.closedLines, projects: out.map { ($0.id, $0.fid) }, source: shown, layer: reader.layer.name)
        {
            warnings.append(w)
        }
        return out
    }
}

/// Memo of vocabulary look-ups keyed by a value's bytes. A source has few distinct values, and
/// comparing bytes avoids the Unicode normalisation that hashing a Vietnamese `String` costs per
/// feature. Canonically equivalent spellings get separate entries with the same result.
struct RawValueCache<T> {
    private var keys: [[UInt8]] = []
    private var values: [T] = []
    private var overflow: [String: T] = [:]

    subscript(raw: String) -> T? {
        get {
            let hit: Int?? = raw.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
                for i in keys.indices where keys[i].count == bytes.count {
                    let same = keys[i].withUnsafeBufferPointer { k -> Bool in
                        guard let p = k.baseAddress, let q = bytes.baseAddress else { return bytes.isEmpty }
                        return memcmp(p, q, bytes.count) == 0
                    }
                    if same { return i }
                }
                return nil
            }
            if let i = hit ?? keys.firstIndex(of: Array(raw.utf8)) { return values[i] }
            return overflow.isEmpty ? nil : overflow[raw]
        }
        set {
            guard let newValue, self[raw] == nil else { return }
            if keys.count < 16 {
                keys.append(Array(raw.utf8))
                values.append(newValue)
            } else {
                overflow[raw] = newValue
            }
        }
    }
}

/// Maps a source's own words onto a canonical vocabulary: the manifest's mapping first (compared
/// case-, diacritic- and normalisation-insensitively), then the canonical names themselves.
struct Vocabulary<T: RawRepresentable> where T.RawValue == String {
    let exact: [String: T]
    let folded: [String: T]

    init(_ mapping: [String: T], canonical: T.Type) {
        exact = mapping
        var f: [String: T] = [:]
        for (k, v) in mapping { f[VietnameseNames.fold(k)] = v }
        folded = f
    }

    func lookup(_ raw: String) -> T? {
        if let v = exact[raw] { return v }
        if let v = T(rawValue: raw) { return v }
        let f = VietnameseNames.fold(raw)
        if let v = folded[f] { return v }
        return T(rawValue: f.replacingOccurrences(of: " ", with: "_"))
    }
}

extension Geometry {
    /// The first coordinate that is NaN or infinite, if any.
    var firstNonFinite: String? {
        var bad: String?
        forEachCoordinate { c in if bad == nil && !c.isFinite { bad = "(\(c.x), \(c.y))" } }
        return bad
    }
}

extension RawValueCache: Sendable where T: Sendable {}
extension Vocabulary: Sendable where T: Sendable {}
