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

    /// A dataset from values already in memory (for tests, or data that does not come from
    /// files); nothing is checked.
    public init(manifest: Manifest, localities: LocalityDirectory, projects: [Project], warnings: [Warning] = []) {
        self.manifest = manifest; self.localities = localities; self.projects = projects; self.warnings = warnings
    }

    /// The embedded Lâm Đồng 2024 manifest: `$GEOMONITOR_DATA/manifest.yaml` when that variable is
    /// set, else `GeoData/manifest.yaml` of the source tree this binary was built from, else of the
    /// current folder.
    public static func defaultManifestPath() -> String {
        if let d = ProcessInfo.processInfo.environment["GEOMONITOR_DATA"], !d.isEmpty {
            return URL(fileURLWithPath: d).appendingPathComponent("manifest.yaml").path
        }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let built = url.appendingPathComponent("GeoData/manifest.yaml").path
        if FileManager.default.fileExists(atPath: built) { return built }
        return FileManager.default.currentDirectoryPath + "/GeoData/manifest.yaml"
    }

    /// Loads a manifest and everything it names (only the projects `filter` admits, when given).
    ///
    /// - Parameters:
    ///   - path: a manifest file (YAML or JSON); relative paths in it are resolved against its folder.
    ///   - filter: skips, before any geometry work, projects that no target of interest can
    ///     select (see ``ProjectFilter/forTargets(_:)``); nil loads every project.
    /// - Throws: ``GeoMonitorError`` naming the file, layer, feature and manifest key: `.configuration`
    ///   for a malformed manifest, `.source` for a missing or unreadable file, `.field` for a mapped
    ///   column the source lacks, `.value` for an unmapped kind/status, an unparseable number or
    ///   date or a duplicate id, `.crs` for a missing or wrong CRS, `.geometry` for non-finite coordinates.
    public static func load(manifest path: String, filter: ProjectFilter? = nil) throws -> Dataset {
        try load(Manifest.load(path), filter: filter)
    }

    /// Loads the sources of a parsed manifest (only the projects `filter` admits, when given).
    /// - Throws: ``GeoMonitorError`` as ``load(manifest:filter:)`` does.
    public static func load(_ manifest: Manifest, filter: ProjectFilter? = nil) throws -> Dataset {
        // The boundaries (GDAL's parse of a large GeoJSON is single-threaded) are read, and their
        // grid built, on a thread of their own while the projects are read.
        let boundaries = LockedBox<Result<(localities: LocalityDirectory, warnings: [Warning]), Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            let r = Result { () throws -> (localities: LocalityDirectory, warnings: [Warning]) in
                let loaded = try LocalityDirectory.load(manifest)
                _ = loaded.localities.regionGrid
                return loaded
            }
            boundaries.mutate { $0 = r }
            done.signal()
        }
        reader.stackSize = 8 << 20   // as the main thread's: GDAL's parsers may recurse
        reader.start()
        var projectWarnings: [Warning] = []
        var projects: [Project] = []
        // Ids are checked over every feature of every source, whatever the filter keeps: the
        // loaders scan the id columns of filtered sources before reading them.
        var ids = ProjectIDs()
        let read = Result { () throws in
            for (i, src) in manifest.projects.enumerated() {
                let loaded = try ProjectLoader.load(src, index: i, manifest: manifest, filter: filter, ids: &ids, warnings: &projectWarnings)
                if projects.isEmpty { projects = loaded } else { projects.append(contentsOf: loaded) }
            }
        }
        done.wait()
        // A boundary error comes first, as when the boundaries were read first.
        guard let loaded = boundaries.value else { throw GeoMonitorError(.source, "the boundaries were not read") }
        var (localities, warnings) = try loaded.get()
        try read.get()
        warnings += projectWarnings
        try PhaseLog.shared.measure("ids") { try ids.check() }
        warnings += GeometryValidity.warnings(projects)
        return Dataset(manifest: manifest, localities: localities, projects: projects, warnings: warnings)
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
    /// The localities a manifest names, read without any project source (what
    /// `geomonitor localities` lists), with the warnings reading them gave.
    /// - Throws: ``GeoMonitorError`` naming the file, layer, feature and manifest key, as
    ///   ``Dataset/load(manifest:filter:)`` does for the localities.
    public static func load(_ manifest: Manifest) throws -> (localities: LocalityDirectory, warnings: [Warning]) {
        var warnings: [Warning] = []
        let localities = try PhaseLog.shared.measure("localities") { try LocalityLoader.load(manifest, warnings: &warnings) }
        return (localities, warnings)
    }
}

enum LocalityLoader {
    static func load(_ manifest: Manifest, warnings: inout [Warning]) throws -> LocalityDirectory {
        let spec = manifest.localities
        let path = manifest.resolve(spec.source)
        let shown = displayPath(path)
        let reader = try SourceReader(path: path, displayPath: shown, layer: spec.layer, crs: spec.crs,
                                      openOptions: spec.openOptions, crsKey: "localities.crs", limits: manifest.limits, sql: spec.sql)
        var mapping: [(key: String, column: String)] = [("localities.fields.code", spec.code), ("localities.fields.name", spec.name)]
        if let p = spec.parent { mapping.append(("localities.fields.parent", p)) }
        if let t = spec.type { mapping.append(("localities.fields.type", t)) }
        if let f = spec.filter { mapping.append(("localities.filter.field", f.field)) }
        let cols = try reader.columns(mapping)
        var order: [String] = []
        var parts: [String: (name: String, type: String?, parent: String?, polys: [Polygon], areaHa: Double)] = [:]
        // The reader measured each feature's geodesic area on all cores: summed per code here.
        try reader.read(columns: cols) { fid, values, geometry, areaHa, _ in
            if let f = spec.filter, values.last?.description != f.value { return }
            let code = values[0].description.trimmingCharacters(in: .whitespaces)
            let name = values[1].description.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty else {
                throw GeoMonitorError(.value, file: shown, layer: reader.layer.name, feature: String(fid), key: "localities.fields.code", "empty locality code in column '\(spec.code)'")
            }
            if let g = geometry, let bad = g.firstNonFinite {
                throw GeoMonitorError(.geometry, file: shown, layer: reader.layer.name, feature: String(fid), "locality \(code) (\(name)): coordinate \(bad) is not a finite number")
            }
            guard let g = geometry, !g.polygons.isEmpty else {
                warnings.append(Warning(code: "locality-without-area", "\(shown): feature \(fid) (\(code) \(name)) has no polygon geometry; skipped"))
                return
            }
            let type = spec.type != nil ? values[2 + (spec.parent != nil ? 1 : 0)].description : nil
            let parent = spec.parent != nil ? values[2].description : nil
            if parts[code] == nil { order.append(code); parts[code] = (name, type?.isEmpty == true ? nil : type, parent?.isEmpty == true ? nil : parent, [], 0) }
            parts[code]!.polys += g.polygons
            parts[code]!.areaHa += areaHa
        }
        if let w = reader.textEncodingWarning(key: "localities") { warnings.append(w) }
        guard !order.isEmpty else { throw GeoMonitorError(.source, file: shown, layer: reader.layer.name, "no locality polygons read") }
        let locs = order.map { code -> Locality in
            let p = parts[code]!
            let g: Geometry = p.polys.count == 1 ? .polygon(p.polys[0]) : .multiPolygon(p.polys)
            return Locality(code: code, name: p.name, type: p.type, parent: p.parent, geometry: g, areaHa: p.areaHa)
        }
        warnings += PhaseLog.shared.measure("coverage") { BoundaryCoverage.warnings(locs, sliverHa: spec.sliverHa, source: shown) }
        return LocalityDirectory(locs, province: manifest.province)
    }
}

/// Reads one project source whole for `Dataset.load`. Features become projects by the rules of
/// `ProjectDecoder` (ProjectStream.swift), as the streams do, but on all cores: each reading
/// thread pre-filters with its own predicate, each worker decodes with its own copy of the
/// decoder (so its own caches, and no locks), and the outcomes are gathered here in feature order.
enum ProjectLoader {
    /// - Parameter ids: gathers the ids of every feature of the source (all of them, even those
    ///   `filter` leaves out), for the duplicate check across sources.
    static func load(_ spec: Manifest.ProjectSource, index: Int, manifest: Manifest, filter: ProjectFilter? = nil,
                     ids: inout ProjectIDs, warnings: inout [Warning]) throws -> [Project] {
        let path = manifest.resolve(spec.source)
        let shown = displayPath(path)
        let key = "projects[\(index)]"
        var reader = try SourceReader(path: path, displayPath: shown, layer: spec.layer, crs: spec.readCRS,
                                      openOptions: spec.openOptions, crsKey: "\(key).crs", limits: manifest.limits, sql: spec.sql)
        let rules = try ProjectDecoder(spec: spec, key: key, reader: reader)
        reader.tableGeometry = rules.tableGeometry
        reader.lineTolerance = spec.linesAsPolygonsToleranceM
        // A filtered read does not see every feature: scan the ids first, before any filter.
        let scanned = filter != nil
        if scanned { try PhaseLog.shared.measure("ids") { try ids.scan(rules, reader: reader) } }
        if let region = filter?.region { try reader.restrict(to: region) }
        let attributes = filter.flatMap { $0.keepsAllAttributes ? nil : $0 }
        if let f = attributes {
            reader.condition = PhaseLog.shared.measure("open") {
                SQLPushdown.condition(for: f, spec: spec, layer: reader.layer)
            }
        }
        let keep = attributes.map { f in { () -> ([FieldValue]) -> Bool in rules.preFilter(f) } }
        let outcomes = try reader.read(columns: rules.columns, keep: keep, offEarthFails: false) { () -> (Int64, [FieldValue], Geometry?, Double, Double) -> ProjectDecoder.Outcome in
            var decoder = rules
            return { fid, values, geometry, areaHa, lengthKm in
                decoder.decode(fid: fid, values: values, geometry: geometry, areaHa: areaHa, lengthKm: lengthKm)
            }
        }
        var decoder = rules
        var out: [Project] = []
        try PhaseLog.shared.measure("build") {
            out.reserveCapacity(outcomes.count)
            for o in outcomes {
                if let p = try decoder.gather(o) { out.append(p) }
            }
        }
        if !scanned { ids.add(out, skipped: decoder.noGeometry, source: shown, layer: reader.layer.name) }
        let encoding = reader.textEncodingWarning(key: key)
        // A value outside the vocabulary that is legacy text read as UTF-8: the encoding is the
        // fault, so the error says which one and how to declare it.
        warnings += try TextEncodingCheck.finish(decoder, encoding: encoding)
        if let w = encoding { warnings.append(w) }
        if let w = LineClosure.warning(reader.closedLines.value, projects: out.map { ($0.id, $0.fid) }, source: shown, layer: reader.layer.name) { warnings.append(w) }
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
            if keys.count < 16 { keys.append(Array(raw.utf8)); values.append(newValue) } else { overflow[raw] = newValue }
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
