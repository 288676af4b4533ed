import Foundation
internal import GDALKit

// Streaming a project source: features become `Project` values one batch at a time, so memory
// stays bounded by the batch (and the stream's buffer), whatever the size of the source.
//
// Features become projects by the rules of `ProjectDecoder` (ProjectDecoder.swift), which
// `Dataset.load` (`ProjectLoader`, Dataset.swift) uses too: one column mapping, set of
// vocabularies, date formats, pre-filter, error messages and end-of-source report for both. `ProjectStreamTests`
// checks that a streamed source gives exactly the projects `Dataset.load` gives.

extension Dataset {
    /// Calls `body` with each project of one project source of a manifest, in feature order,
    /// without holding the source in memory.
    ///
    /// Features are read, transformed to WGS 84 and measured (geodesic area in ha, length in km)
    /// in batches of about a thousand, then handed over one by one: a caller can go through a
    /// million plots holding only what it keeps itself. The projects are those
    /// ``load(manifest:filter:)`` gives for that source, with two differences that need the whole
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
    ///   UTF-8, invalid polygons (as ``load(manifest:filter:)`` reports them).
    /// - Throws: ``GeoMonitorError`` with file, layer, feature and manifest key, as
    ///   ``load(manifest:filter:)`` does; `.configuration` (key `projects`) when `source` is out of
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
        let keep = filter.flatMap { $0.keepsAllAttributes ? nil : decoder.preFilter($0) }
        let batchSize = 1024
        // Caps on each feature (not on their number: a stream holds one batch) and invalid polygons.
        let checks = reader.featureChecks(decoder.columns)
        var validity = GeometryValidity.Collector()
        var lineProjects: [(id: String, fid: Int64)] = []
        var closedLines: [Int64: LineClosure.Outcome] = [:]
        var batch = RawFeatures()
        batch.fids.reserveCapacity(batchSize); batch.values.reserveCapacity(batchSize); batch.geometries.reserveCapacity(batchSize)

        func flush() throws {
            guard !batch.fids.isEmpty else { return }
            let fids = batch.fids
            let m = SourceReader.reprojectAndMeasure(batch: batch.geometries, fids: fids[...], transform: reader.transform,
                                                     lineTolerance: reader.lineTolerance, findOffEarth: false)
            if let first = m.failed.first { throw reader.transformError(fid: fids[first], count: m.failed.count, ofBatch: true) }
            closedLines.merge(m.closedLines) { a, _ in a }
            for i in fids.indices {
                if let p = try decoder.project(fid: fids[i], values: batch.values[i], geometry: m.geometries[i], areaHa: m.areaHa[i], lengthKm: m.lengthKm[i]) {
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
                batch.fids.append(rec.fid); batch.values.append(rec.values)
                batch.geometries.append(try tableGeometry.map { try $0.geometry(rec.values, fid: rec.fid) } ?? rec.geometry)
                if batch.fids.count >= batchSize { try flush() }
            }
            try flush()
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: shown)
        }
        let encoding = reader.textEncodingWarning(invalidText, key: key)
        var warnings = try TextEncodingCheck.finish(decoder, encoding: encoding)
        if let w = encoding { warnings.append(w) }
        if let w = LineClosure.warning(closedLines, projects: lineProjects.filter { closedLines[$0.fid] != nil }, source: shown, layer: reader.layer.name) { warnings.append(w) }
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
