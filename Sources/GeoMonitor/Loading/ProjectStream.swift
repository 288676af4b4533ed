import Foundation
internal import GDALKit

// Streaming a project source: features become `Project` values one batch at a time, so memory
// stays bounded by the batch (and the stream's buffer), whatever the size of the source.
//
// The per-feature rules are those of `ProjectLoader` (Dataset.swift): same column mapping,
// vocabularies, date formats, pre-filter and error messages. `ProjectStreamTests` checks that a
// streamed source gives exactly the projects `Dataset.load` gives. ProjectLoader is left as it is
// while its reading is being optimised; it can adopt `ProjectDecoder` afterwards.

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
        var reader = try SourceReader(path: path, displayPath: shown, layer: spec.layer, crs: spec.crs,
                                      openOptions: spec.openOptions, crsKey: "\(key).crs", limits: manifest.limits)
        if let region = filter?.region { try reader.restrict(to: region) }
        var decoder = try ProjectDecoder(spec: spec, key: key, reader: reader)
        let keep = filter.flatMap { $0.keepsAllAttributes ? nil : decoder.preFilter($0) }
        let geod = Geodesic.wgs84
        let layerName = reader.layer.name
        let batchSize = 1024
        // Caps on each feature (not on their number: a stream holds one batch) and invalid polygons.
        let checks = reader.featureChecks(decoder.columns)
        var validity = GeometryValidity.Collector()
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
                if let g = geoms[i] {
                    if let b = g.bounds, b.minY < -90 || b.maxY > 90 || b.minX < -180 || b.maxX > 180 {
                        throw GeoMonitorError(.crs, file: shown, layer: layerName, feature: String(fids[i]),
                                              "coordinates fall outside the Earth after transforming from \(reader.sourceCRS); are the axes swapped or the CRS wrong?")
                    }
                    switch g.dimension {
                    case .area: areaHa = geod.area(g) / 10_000
                    case .line: lengthKm = geod.length(g) / 1000
                    case .point: break
                    }
                }
                if let p = try decoder.project(fid: fids[i], values: values[i], geometry: geoms[i], areaHa: areaHa, lengthKm: lengthKm) {
                    validity.add(p)
                    try body(p)
                }
            }
            fids.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true); geoms.removeAll(keepingCapacity: true)
        }

        do {
            try reader.layer.forEachFeature(fieldIndices: decoder.columns, keep: keep) { rec in
                try checks.check(rec, index: 0)
                fids.append(rec.fid); values.append(rec.values); geoms.append(rec.geometry)
                if fids.count >= batchSize { try flush() }
            }
            try flush()
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: shown)
        }
        reader.noteInvalidText(of: reader.layer)
        var warnings = try decoder.finish()
        if let w = reader.textEncodingWarning(key: key) { warnings.append(w) }
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

/// The rules that turn a project source's features into `Project` values: the manifest's column
/// mapping, kind and status vocabularies, date format and attribute pre-filter. Mirrors the
/// per-feature work of `ProjectLoader.load`.
struct ProjectDecoder {
    let spec: Manifest.ProjectSource
    let key: String
    let shown: String
    let layerName: String
    /// Column indices to read, in the order of `slot`.
    let columns: [Int]
    let slot: [String: Int]
    let kindLookup: Vocabulary<ProjectKind>
    let statusLookup: Vocabulary<ProjectStatus>
    private var kindCache: [String: ProjectKind] = [:], statusCache: [String: ProjectStatus] = [:]
    private var badKinds: [String: Int64] = [:], badStatuses: [String: Int64] = [:]
    private var noGeometry: [String] = []

    init(spec: Manifest.ProjectSource, key: String, reader: SourceReader) throws {
        self.spec = spec
        self.key = key
        shown = reader.displayPath
        layerName = reader.layer.name
        let names = spec.fields.keys.sorted()
        columns = try reader.columns(names.map { (key: "\(key).fields.\($0)", column: spec.fields[$0]!) })
        slot = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
        kindLookup = Vocabulary(spec.kindValues, canonical: ProjectKind.self)
        statusLookup = Vocabulary(spec.statusValues, canonical: ProjectStatus.self)
    }

    private static func links(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
    }

    /// The attribute-only pre-filter: false for a feature `filter` surely does not need; unclear
    /// cases (unparseable values) are kept so that `project` reports them.
    func preFilter(_ filter: ProjectFilter) -> ([FieldValue]) -> Bool {
        let idSlot = slot["id"], kindSlot = slot["kind"], statusSlot = slot["status"], dateSlot = slot["date"], targetsSlot = slot["targets"]
        let spec = spec, kindLookup = kindLookup, statusLookup = statusLookup
        var preKind: [String: ProjectKind] = [:], preStatus: [String: ProjectStatus] = [:]
        return { values in
            func raw(_ i: Int?) -> String? { i.flatMap { values[$0].isNull ? nil : values[$0].description } }
            guard let id = raw(idSlot) else { return true }
            var kind = spec.kind ?? .other
            if let r = raw(kindSlot) {
                guard let k = preKind[r] ?? kindLookup.lookup(r) else { return true }
                preKind[r] = k; kind = k
            }
            var status = spec.status ?? .planned
            if let r = raw(statusSlot) {
                guard let st = preStatus[r] ?? statusLookup.lookup(r) else { return true }
                preStatus[r] = st; status = st
            }
            var date: Day? = nil
            if let i = dateSlot, !values[i].isNull {
                guard let d = try? ProjectLoader.parseDate(values[i], format: spec.dateFormat) else { return true }
                date = d
            }
            return filter.admits(id: id, kind: kind, status: status, date: date, targets: raw(targetsSlot).map(Self.links) ?? [])
        }
    }

    /// The project of one feature (geometry already in WGS 84 and measured), or nil when the
    /// feature is skipped (no geometry, or a kind/status outside the vocabulary, reported by `finish`).
    mutating func project(fid: Int64, values: [FieldValue], geometry: Geometry?, areaHa: Double, lengthKm: Double) throws -> Project? {
        func v(_ name: String) -> FieldValue? { slot[name].map { values[$0] } }
        func text(_ name: String) -> String? {
            guard let x = v(name), !x.isNull else { return nil }
            let t = x.description.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        func number(_ name: String) throws -> Double? {
            guard let x = v(name), !x.isNull else { return nil }
            if case .string(let s) = x, s.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            guard let n = x.number, n.isFinite else {
                throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.\(name)",
                                      "'\(x)' in column '\(spec.fields[name]!)' is not a number")
            }
            return n
        }
        guard let id = text("id") else {
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.id", "empty project id in column '\(spec.fields["id"]!)'")
        }
        var kind = spec.kind ?? .other
        if let raw = text("kind") {
            if let k = kindCache[raw] ?? kindLookup.lookup(raw) { kindCache[raw] = k; kind = k } else { badKinds[raw] = badKinds[raw] ?? fid; return nil }
        } else if spec.kind == nil {
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.kind", "project '\(id)' has no kind")
        }
        var status = spec.status ?? .planned
        if let raw = text("status") {
            if let s = statusCache[raw] ?? statusLookup.lookup(raw) { statusCache[raw] = s; status = s } else { badStatuses[raw] = badStatuses[raw] ?? fid; return nil }
        } else if spec.status == nil {
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.status", "project '\(id)' has no status")
        }
        var date: Day?
        if let dv = v("date"), !dv.isNull {
            date = try ProjectLoader.parseDate(dv, format: spec.dateFormat)
            if date == nil {
                throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).fields.date",
                                      "'\(dv)' in column '\(spec.fields["date"]!)' is not a date (expected \(spec.dateFormat ?? "yyyy-mm-dd or dd/mm/yyyy"))")
            }
        }
        guard let g = geometry else { noGeometry.append("\(id) (feature \(fid))"); return nil }
        if let bad = g.firstNonFinite {
            throw GeoMonitorError(.geometry, file: shown, layer: layerName, feature: String(fid), "coordinate \(bad) is not a finite number")
        }
        return Project(
            id: id, name: text("name") ?? id, kind: kind, status: status, date: date, geometry: g,
            trees: try number("trees"), declaredAreaHa: try number("area_ha"), declaredLengthKm: try number("length_km"),
            budget: try number("budget"), localityAttribute: text("locality"), targets: text("targets").map(Self.links) ?? [],
            areaHa: areaHa, lengthKm: lengthKm, source: shown, layer: layerName, fid: fid)
    }

    /// After the last feature: the vocabulary errors found on the way (naming every unmapped
    /// value and the first feature holding one), else the warnings.
    func finish() throws -> [Warning] {
        if let (raw, fid) = badKinds.min(by: { $0.value < $1.value }) {
            let all = badKinds.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).values.kind",
                                  "kind \(all) in column '\(spec.fields["kind"]!)' is not canonical and not mapped; map '\(raw)' to one of: \(ProjectKind.vocabulary)")
        }
        if let (raw, fid) = badStatuses.min(by: { $0.value < $1.value }) {
            let all = badStatuses.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw GeoMonitorError(.value, file: shown, layer: layerName, feature: String(fid), key: "\(key).values.status",
                                  "status \(all) in column '\(spec.fields["status"]!)' is not canonical and not mapped; map '\(raw)' to one of: \(ProjectStatus.vocabulary)")
        }
        guard !noGeometry.isEmpty else { return [] }
        return [Warning(code: "no-geometry", "\(shown): layer '\(layerName)': \(noGeometry.count) feature(s) without geometry (null or empty) skipped: \(noGeometry.prefix(10).joined(separator: ", "))\(noGeometry.count > 10 ? ", …" : "")")]
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
