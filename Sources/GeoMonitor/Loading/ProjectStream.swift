internal import AsyncAlgorithms
import Foundation
internal import GDALKit

// Streaming a project source: features become `Project` values one batch at a time, so memory
// stays bounded by the batch (and the stream's buffer), whatever the size of the source.
//
// Features become projects by the rules of `ProjectDecoder` (ProjectDecoder.swift), which
// `Dataset.load` (`ProjectLoader`, Dataset.swift) uses too: one column mapping, set of
// vocabularies, date formats, pre-filter, error messages and end-of-source report for both.
// `ProjectStreamTests` checks that a streamed source gives exactly the projects `Dataset.load` gives.

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
    /// try Dataset.forEachProject(manifest: manifest, source: "forest-plots.gpkg") { project in
    ///     plots += 1
    ///     hectares += project.areaHa
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - manifest: a parsed manifest (``Manifest/load(_:)``).
    ///   - source: the project source to read, by name: its `source:` as the manifest writes it
    ///     (``Manifest/ProjectSource/source``), that file's name, or its `layer:`; nil for the
    ///     manifest's first project source.
    ///   - filter: skips, before any geometry work, features no target of interest can select
    ///     (attribute rules) or lying outside its ``ProjectFilter/region`` (read through a GDAL
    ///     spatial filter, so a GeoPackage's R-tree answers it).
    ///   - body: called once per project on the calling thread; an error it throws stops the
    ///     reading and is rethrown.
    /// - Returns: non-fatal findings: features without geometry (skipped), text that is not
    ///   UTF-8, invalid polygons (as ``load(manifest:filter:timings:)`` reports them).
    /// - Throws: ``GeoMonitorError`` with file, layer, feature and manifest key, as
    ///   ``load(manifest:filter:timings:)`` does (the key names the source by its place,
    ///   `projects[1].fields.date`); `.configuration` (key `projects`) when no project source, or
    ///   more than one, has that name. A value outside the kind or status vocabulary is reported once the whole source has
    ///   been read (naming every such value), so `body` may have seen projects before that error.
    @discardableResult
    public static func forEachProject(
        manifest: Manifest, source: String? = nil, filter: ProjectFilter? = nil,
        _ body: (Project) throws -> Void
    ) throws -> [Warning] {
        let index = try projectSource(named: source, in: manifest)
        let spec = manifest.projects[index]
        let path = manifest.resolve(spec.source)
        let shown = displayPath(path)
        let key = "projects[\(index)]"
        var reader = try SourceReader(
            path: path, displayPath: shown, layer: spec.layer, crs: spec.readCRS,
            openOptions: spec.openOptions, crsKey: "\(key).crs", limits: manifest.limits, sql: spec.sql)
        if let region = filter?.region { try reader.restrict(to: region) }
        var decoder = try ProjectDecoder(spec: spec, key: key, reader: reader)
        reader.tableGeometry = decoder.tableGeometry
        reader.lineTolerance = spec.linesAsPolygonsToleranceM
        let keep = filter.flatMap { f -> ((Int64, [FieldValue]) -> Bool)? in
            if f.keepsAllAttributes { return nil }
            let admits = decoder.preFilter(f)
            return { _, values in admits(values) }
        }
        let batchSize = 1024
        // Caps on each feature (not on their number: a stream holds one batch) and invalid polygons.
        let checks = reader.featureChecks(decoder.columns)
        var validity = GeometryValidity.Collector()
        var lineProjects: [(id: String, fid: Int64)] = []
        var closedLines: [Int64: LineClosure.Outcome] = [:]
        var batch = RawFeatures()
        batch.fids.reserveCapacity(batchSize)
        batch.values.reserveCapacity(batchSize)
        batch.geometries.reserveCapacity(batchSize)

        func flush() throws {
            guard !batch.fids.isEmpty else { return }
            let fids = batch.fids
            let m = SourceReader.reprojectAndMeasure(
                batch: batch.geometries, fids: fids[...], transform: reader.transform,
                lineTolerance: reader.lineTolerance, findOffEarth: false)
            if let first = m.failed.first {
                throw reader.transformError(fid: fids[first], count: m.failed.count, ofBatch: true)
            }
            closedLines.merge(m.closedLines) { a, _ in a }
            for i in fids.indices {
                if let p = try decoder.project(
                    fid: fids[i], values: batch.values[i], geometry: m.geometries[i], areaHa: m.areaHa[i],
                    lengthKm: m.lengthKm[i])
                {
                    if reader.lineTolerance != nil { lineProjects.append((p.id, p.fid)) }
                    validity.add(p)
                    try body(p)
                }
            }
            batch.removeAll()
        }

        let tableGeometry = decoder.tableGeometry
        let invalidText: VectorLayer.InvalidText?
        do {
            invalidText = try reader.layer.forEachFeature(fieldIndices: decoder.columns, keep: keep) { rec in
                try checks.check(rec, index: 0)
                batch.fids.append(rec.fid)
                batch.values.append(rec.values)
                batch.geometries.append(
                    try tableGeometry.map { try $0.geometry(rec.values, fid: rec.fid) } ?? rec.geometry)
                if batch.fids.count >= batchSize { try flush() }
            }
            try flush()
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: shown)
        }
        let encoding = reader.textEncodingWarning(invalidText, key: key)
        var warnings = try TextEncodingCheck.finish(decoder, encoding: encoding)
        if let w = encoding { warnings.append(w) }
        if let w = LineClosure.warning(
            closedLines, projects: lineProjects.filter { closedLines[$0.fid] != nil }, source: shown,
            layer: reader.layer.name)
        {
            warnings.append(w)
        }
        return warnings + validity.warnings
    }

    /// The index in ``Manifest/projects`` of the source named `name` (see
    /// ``forEachProject(manifest:source:filter:_:)``); 0 for nil.
    static func projectSource(named name: String?, in manifest: Manifest) throws -> Int {
        let sources = manifest.projects
        let names = sources.map { s in s.source + (s.layer.map { " (layer \($0))" } ?? "") }
        guard let name else {
            if sources.isEmpty {
                throw GeoMonitorError(
                    .configuration, file: displayPath(manifest.file), key: "projects",
                    "the manifest has no project source")
            }
            return 0
        }
        let matches = sources.indices.filter { sources[$0].source == name }
        let byFile =
            matches.isEmpty
            ? sources.indices.filter { URL(fileURLWithPath: sources[$0].source).lastPathComponent == name } : matches
        let found = byFile.isEmpty ? sources.indices.filter { sources[$0].layer == name } : byFile
        if found.count == 1 { return found[0] }
        let listed = names.map { "'\($0)'" }.joined(separator: ", ")
        if found.isEmpty {
            throw GeoMonitorError(
                .configuration, file: displayPath(manifest.file), key: "projects",
                "no project source '\(name)': the manifest has \(sources.isEmpty ? "none" : listed)")
        }
        throw GeoMonitorError(
            .configuration, file: displayPath(manifest.file), key: "projects",
            "\(found.count) project sources are named '\(name)' (\(found.map { "'\(names[$0])'" }.joined(separator: ", "))): name one by its layer"
        )
    }

    /// The projects of one project source of a manifest as an asynchronous sequence, read on a
    /// background thread a batch at a time, without holding the source in memory.
    ///
    /// The sequence has backpressure: the reading thread hands projects over in groups of 256 and
    /// waits until the consumer takes each group, so a slow consumer never makes it buffer the
    /// source. Leaving the loop early, or cancelling the consuming task, stops the reading and
    /// closes the file. Projects, order and errors are those of
    /// ``forEachProject(manifest:source:filter:_:)``, and so are the warnings (features without
    /// geometry, skipped; text that is not UTF-8; invalid polygons), in
    /// ``ProjectStream/warnings`` once the loop has ended.
    ///
    /// ```swift
    /// let manifest = try Manifest.load(Dataset.defaultManifestPath())
    /// var hectares = 0.0
    /// let plots = Dataset.streamProjects(manifest: manifest, source: "forest-plots.gpkg")
    /// for try await plot in plots where plot.status == .completed {
    ///     hectares += plot.areaHa
    /// }
    /// for warning in plots.warnings { print(warning) }
    /// ```
    ///
    /// - Parameters:
    ///   - manifest: a parsed manifest (``Manifest/load(_:)``).
    ///   - source: the project source to read, by name (see
    ///     ``forEachProject(manifest:source:filter:_:)``); nil for the first.
    ///   - filter: skips, before any geometry work, features no target of interest can select.
    /// - Returns: a sequence that starts reading when a loop over it asks for its first project,
    ///   and throws the ``GeoMonitorError`` that ``forEachProject(manifest:source:filter:_:)``
    ///   would throw (an unknown `source` included).
    public static func streamProjects(manifest: Manifest, source: String? = nil, filter: ProjectFilter? = nil)
        -> ProjectStream
    {
        ProjectStream(manifest: manifest, source: source, filter: filter)
    }
}

/// The projects of one project source, read on a background thread as a loop asks for them
/// (``Dataset/streamProjects(manifest:source:filter:)`` makes one), with the warnings of the
/// source once the loop has ended.
///
/// Each loop over the stream reads the source anew, on a thread of its own; the reading thread
/// hands the projects over through an `AsyncThrowingChannel` in groups of 256.
public struct ProjectStream: AsyncSequence, Sendable {
    /// A project of the source, reprojected to WGS 84 and measured.
    public typealias Element = Project

    let manifest: Manifest
    let source: String?
    let filter: ProjectFilter?
    private let report = LockedBox<[Warning]>([])

    init(manifest: Manifest, source: String?, filter: ProjectFilter?) {
        self.manifest = manifest
        self.source = source
        self.filter = filter
    }

    /// The non-fatal findings of the source (as ``Dataset/forEachProject(manifest:source:filter:_:)``
    /// returns them), set when a loop over the stream has read it to the end; empty until then.
    public var warnings: [Warning] { report.value }

    /// Starts nothing yet: the reading starts on the iterator's first `next()`.
    public func makeAsyncIterator() -> Iterator {
        Iterator(Reading(manifest: manifest, source: source, filter: filter, report: report))
    }

    /// Takes the groups of projects the reading thread sends, one project at a time.
    public struct Iterator: AsyncIteratorProtocol {
        private let reading: Reading
        private var group: [Project] = []
        private var position = 0

        init(_ reading: Reading) { self.reading = reading }

        /// The next project, nil after the last one (or once the consuming task is cancelled).
        /// - Throws: the ``GeoMonitorError`` that ended the reading, after the projects read before it.
        public mutating func next() async throws -> Project? {
            if Task.isCancelled {
                reading.stop()
                return nil
            }
            if position < group.count {
                position += 1
                return group[position - 1]
            }
            guard let g = try await reading.nextGroup(), !g.isEmpty else { return nil }
            group = g
            position = 1
            return g[0]
        }
    }

    /// One reading of the source: a thread running `forEachProject` that sends groups of projects
    /// through a channel. It stops at its next hand-over once the consumer has gone (the iterator
    /// dropped, the loop left early) or its task is cancelled.
    final class Reading: Sendable {
        private let channel = AsyncThrowingChannel<[Project], Error>()
        private let stopped = LockedBox(false)
        private let started = LockedBox(false)
        private let manifest: Manifest, source: String?, filter: ProjectFilter?
        private let report: LockedBox<[Warning]>

        init(manifest: Manifest, source: String?, filter: ProjectFilter?, report: LockedBox<[Warning]>) {
            self.manifest = manifest
            self.source = source
            self.filter = filter
            self.report = report
        }

        deinit { stop() }

        func stop() {
            stopped.mutate { $0 = true }
            channel.finish()
        }

        func nextGroup() async throws -> [Project]? {
            var first = false
            started.mutate {
                first = !$0
                $0 = true
            }
            if first { start() }
            var groups = channel.makeAsyncIterator()
            return try await withTaskCancellationHandler {
                try await groups.next()
            } onCancel: {
                stop()
            }
        }

        /// The reading thread (not the cooperative pool: GDAL blocks). It holds the channel, not
        /// `self`, so that dropping the iterator stops it.
        private func start() {
            let channel = channel
            let stopped = stopped
            let report = report
            let manifest = manifest
            let source = source
            let filter = filter
            let thread = Thread {
                /// Hands a group over and waits until the consumer has taken it (or has gone).
                func send(_ group: [Project]) throws {
                    guard !group.isEmpty else { return }
                    let taken = DispatchSemaphore(value: 0)
                    Task {
                        await channel.send(group)
                        taken.signal()
                    }
                    taken.wait()
                    if stopped.value { throw CancellationError() }
                }
                do {
                    // Handing over groups, not single projects, keeps the consumer from suspending
                    // once per project.
                    var group: [Project] = []
                    group.reserveCapacity(256)
                    let warnings = try Dataset.forEachProject(manifest: manifest, source: source, filter: filter) { p in
                        group.append(p)
                        if group.count == 256 {
                            try send(group)
                            group.removeAll(keepingCapacity: true)
                        }
                    }
                    try send(group)
                    report.mutate { $0 = warnings }
                    channel.finish()
                } catch is CancellationError {
                    channel.finish()
                } catch {
                    channel.fail(error)
                }
            }
            thread.name = "geomonitor.streamProjects"
            thread.start()
        }
    }
}
