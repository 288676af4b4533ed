import Foundation

/// Computes progress of a catalog's targets over a dataset.
///
/// ```swift
/// let engine = try ProgressEngine(dataset: data, catalog: catalog, reports: reports)
/// let report = try engine.run(asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"])
/// ```
public struct ProgressEngine: Sendable {
    /// The dataset progress is computed over: its projects are the ones counted, its localities
    /// the rows of each result.
    public let dataset: Dataset
    /// The target catalog whose ids ``run(asOf:targets:locality:)`` accepts.
    public let catalog: TargetCatalog
    /// Reported values for indicator and reduction targets.
    public let reports: IndicatorReports
    /// Where each project of ``dataset`` lies, computed once and reused by every run.
    public let assignment: SpatialAssignment
    /// True to judge every target on ``dataset``'s edition (`--boundaries`); false (the default)
    /// to judge each on the boundary edition in force at the end of its period.
    public var fixedEdition = false
    /// Engines over the other editions of the dataset, built when a target needs one.
    private let others = LockedBox<[String: ProgressEngine]>([:])
    /// Where assigning and summing are timed (`assign`, `sum`).
    let timings: PhaseLog

    /// An engine over explicit parts.
    /// - Parameters:
    ///   - dataset: the localities and projects.
    ///   - catalog: the targets (``TargetCatalog/load(_:)``).
    ///   - reports: reported values for indicator and reduction targets; none by default.
    ///   - assignment: a ``SpatialAssignment`` of `dataset` already computed (e.g. shared with
    ///     ``Dataset/query(_:assignment:timings:)``); computed here when nil.
    ///   - timings: where assigning and each run's sums are timed; none by default.
    /// - Throws: ``GeoMonitorError`` of kind `.geometry` when a project's geometry cannot be
    ///   split at locality borders.
    public init(
        dataset: Dataset, catalog: TargetCatalog, reports: IndicatorReports = IndicatorReports(),
        assignment: SpatialAssignment? = nil,
        timings: PhaseLog = .off
    ) throws {
        self.dataset = dataset
        self.catalog = catalog
        self.reports = reports
        self.timings = timings
        self.assignment = try assignment ?? SpatialAssignment(dataset, timings: timings)
    }

    /// Loads the catalog and reports a dataset's manifest names (GeoData's catalog when it names
    /// none); assigning and summing are timed in `timings`.
    /// - Throws: ``GeoMonitorError`` from reading the catalog or reports (`.source`,
    ///   `.configuration`) or from assigning projects (`.geometry`).
    public init(dataset: Dataset, timings: PhaseLog = .off) throws {
        let m = dataset.manifest
        let catalogPath = m.targets.map(m.resolve) ?? Self.defaultCatalogPath
        let catalog = try TargetCatalog.load(catalogPath)
        let reports =
            try m.indicators.map { try IndicatorReports.load(m.resolve($0), catalog: catalog) } ?? IndicatorReports()
        try self.init(dataset: dataset, catalog: catalog, reports: reports, timings: timings)
    }

    /// GeoData's target catalog.
    public static var defaultCatalogPath: String {
        (Dataset.defaultManifestPath() as NSString).deletingLastPathComponent + "/targets-2024.yaml"
    }

    /// Progress of the given targets (all when empty) at `asOf`, optionally for one locality only.
    /// - Parameters:
    ///   - asOf: the assessment date; projects dated after it do not count yet.
    ///   - ids: target ids of the catalog; empty for every target.
    ///   - locality: keeps only this locality's rows in each target's
    ///     ``TargetProgress/localities``; province figures are unchanged. A locality of
    ///     ``dataset`` (find one from what a user typed with ``LocalityDirectory/find(_:)``); for a
    ///     target judged on another boundary edition, that edition's unit with the same code, else
    ///     the one its name finds there.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` for an unknown target id, for a locality
    ///   another edition a target is judged on has no unit for, or for a project linking a target
    ///   the catalog lacks.
    public func run(asOf: Day, targets ids: [String] = [], locality: Locality? = nil) throws -> ProgressReport {
        let chosen = try ids.isEmpty ? catalog.targets : ids.map { try catalog.target($0) }
        try validateLinks()
        var warnings: [Warning] = []
        // Every warning of the load (features left out, invalid polygons whose areas feed the
        // figures, rows without coordinates, legacy text, boundary overlaps, lines built into
        // polygons …): one list per run, in every output.
        warnings += dataset.warnings
        var results: [TargetProgress] = []
        for t in chosen {
            let engine = try self.engine(for: t)
            var carryWarnings: [Warning] = []
            let (carried, rule) = try carryQuotas(t, to: engine.dataset, warnings: &carryWarnings)
            var r = try timings.measure("sum") { try engine.progress(carried, asOf: asOf) }
            r.warnings = carryWarnings + r.warnings
            r.quotasCarried = rule
            if dataset.manifest.hasEditions { r.edition = engine.dataset.edition }
            if let locality {
                let dir = engine.dataset.localities
                let only = try dir[code: locality.code]?.code ?? dir.find(locality.name).code
                r.localities = r.localities.filter { $0.code == only }
            }
            warnings += r.warnings
            results.append(r)
        }
        let outside = dataset.projects.indices.filter { assignment.outside[$0] > 0.999 }
        if !outside.isEmpty {
            let ids = outside.prefix(5).map { dataset.projects[$0].id }.joined(separator: ", ")
            let hints = AxisSwap.hints(dataset, outside: outside)
            let hintText = hints.keys.sorted().map { "; \($0): \(hints[$0] ?? "")" }.joined()
            warnings.append(
                Warning(
                    code: "outside-localities",
                    "\(outside.count) project(s) lie outside every locality: \(ids)\(outside.count > 5 ? ", …" : "")\(hintText)"
                ))
        }
        return ProgressReport(asOf: asOf, programme: catalog.programme, targets: results, warnings: dedupe(warnings))
    }

    /// `t` with its quotas carried from the edition they are defined on (`quotas_edition`) to the
    /// one of `d`, by the target's stated rule; without a rule they are dropped, with a warning.
    func carryQuotas(_ t: Target, to d: Dataset, warnings: inout [Warning]) throws -> (
        Target, (from: String, rule: String)?
    ) {
        // Quotas without `quotas_edition` belong to the edition the target is judged on by default.
        let implicit = fixedEdition && d.manifest.hasEditions ? d.manifest.edition(on: t.period.end)?.id : nil
        guard let source = t.quotasEdition ?? implicit, source != d.edition, !t.quotas.isEmpty else { return (t, nil) }
        guard let from = d.editions[source] else {
            throw GeoMonitorError(
                .lookup, file: displayPath(catalog.file), key: "quotas_edition",
                "target '\(t.id)': unknown edition '\(source)'; editions: \(d.manifest.editions.map(\.id).joined(separator: ", "))"
            )
        }
        var out = t
        out.quotaNames = [:]
        guard let rule = t.carry else {
            out.quotas = []
            warnings.append(
                Warning(
                    code: "quota-edition",
                    "target '\(t.id)': its quotas are defined on edition \(source) but it is judged on \(d.edition); they are not carried without a stated rule (`carry: area_share` or `carry: membership`)"
                ))
            return (out, nil)
        }
        var carried: [String: Double] = [:]
        if rule == "area_share" {
            let cw = try Crosswalk(from: from, to: d.localities, fromEdition: source, toEdition: d.edition)
            for p in cw.pairs + cw.slivers {
                guard let q = t.quota(for: p.fromCode) else { continue }
                carried[p.toCode, default: 0] += q * p.shareOfFrom
            }
        } else {
            var membership = try t.carryMembership.map(Membership.load) ?? Membership.vietnam2025()
            if t.carryMembership == nil, let list = try? UnitList.embedded(), let eve = Day.parse(iso: "2025-06-30"),
                from.all.contains(where: { list.unit(code: $0.code, on: eve, level: .district) != nil })
            {
                membership = membership.oldCommunesAsDistricts(list, on: eve)
            }
            var notCarried: [String] = []
            for q in t.quotas {
                let rows = membership.rows.filter { $0.oldCode == q.code && d.localities[code: $0.newCode] != nil }
                if rows.count == 1, rows[0].full {
                    carried[rows[0].newCode, default: 0] += q.value
                } else {
                    notCarried.append(q.code)
                }
            }
            if !notCarried.isEmpty {
                warnings.append(
                    Warning(
                        code: "quota-edition",
                        "target '\(t.id)': the quotas of \(notCarried.joined(separator: ", ")) (edition \(source)) are not carried to \(d.edition): by \(membership.file) they are not a `full` member of exactly one unit"
                    ))
            }
        }
        out.quotas = d.localities.all.compactMap { l in carried[l.code].map { (l.code, $0) } }
        return (out, (source, rule))
    }

    /// The engine over the edition `t` is judged on: this one, or one over the edition in force
    /// at the end of the target's period (built once).
    func engine(for t: Target) throws -> ProgressEngine {
        guard !fixedEdition else { return self }
        let d = dataset.onEdition(inForceOn: t.period.end)
        if d.edition == dataset.edition { return self }
        if let e = others.value[d.edition] { return e }
        var e = try ProgressEngine(dataset: d, catalog: catalog, reports: reports, timings: timings)
        e.fixedEdition = true
        others.mutate { $0[d.edition] = e }
        return e
    }

    func dedupe(_ ws: [Warning]) -> [Warning] {
        var seen = Set<Warning>()
        return ws.filter { seen.insert($0).inserted }
    }

    /// Every explicit link on a project must name a target of the catalog.
    func validateLinks() throws {
        let ids = Set(catalog.targets.map(\.id))
        let projects = dataset.projects
        for i in projects.indices where !projects[i].targets.isEmpty {
            let p = projects[i]
            for t in p.targets where !ids.contains(t) {
                throw GeoMonitorError(
                    .lookup, file: p.source, layer: p.layer, feature: String(p.fid), key: "targets",
                    "project '\(p.id)' links unknown target '\(t)' (not in \(displayPath(catalog.file)))")
            }
        }
    }

    /// The quota of each locality code of the boundaries: a quota naming its unit
    /// (`{value:, name:}`) goes to the locality of that name when the boundaries give its code
    /// to another unit (with a `quota-name` warning naming both), or to none when no locality
    /// bears the name; plain quotas go by code.
    func resolveQuotas(_ t: Target, warnings: inout [Warning]) -> [String: Double] {
        let dir = dataset.localities
        var out: [String: Double] = [:]
        for q in t.quotas {
            guard let name = t.quotaNames[q.code] else {
                if dir[code: q.code] == nil {
                    warnings.append(
                        Warning(
                            code: "quota-unknown-locality",
                            "target '\(t.id)': quota for locality code '\(q.code)', which the loaded boundaries do not have"
                        ))
                } else if out[q.code] == nil {
                    out[q.code] = q.value
                }
                continue
            }
            let key = VietnameseNames.key(name)
            if let l = dir[code: q.code],
                VietnameseNames.key(l.name) == key || l.sourceName.map(VietnameseNames.key) == key
            {
                out[q.code] = (out[q.code] ?? 0) + q.value
                continue
            }
            let named = dir.all.filter {
                VietnameseNames.key($0.name) == key || $0.sourceName.map(VietnameseNames.key) == key
            }
            let holder =
                dir[code: q.code].map { "the boundaries' \(q.code) is \($0.displayName)" }
                ?? "the boundaries have no \(q.code)"
            if named.count == 1 {
                let l = named[0]
                out[l.code] = (out[l.code] ?? 0) + q.value
                warnings.append(
                    Warning(
                        code: "quota-name",
                        "target '\(t.id)': the quota for '\(q.code)' names \(name), but \(holder); the quota is counted on \(l.displayName) (\(l.code))"
                    ))
            } else {
                let why =
                    named.isEmpty
                    ? "no locality is named \(name)"
                    : "several localities are named \(name) (\(named.map(\.code).joined(separator: ", ")))"
                warnings.append(
                    Warning(
                        code: "quota-name",
                        "target '\(t.id)': the quota for '\(q.code)' names \(name), but \(holder) and \(why); the quota is not counted"
                    ))
            }
        }
        return out
    }

    /// Progress of one target at `asOf`, without the dataset-wide checks ``run(asOf:targets:locality:)`` adds.
    ///
    /// Targets are independent, so this is the call to use for one target of a large catalog.
    /// It is declared `throws` for measures that may need to read data; today's measures never throw.
    public func progress(_ t: Target, asOf: Day) throws -> TargetProgress {
        let elapsed = t.period.elapsed(at: asOf)
        let cutoff = t.period.clamp(asOf) < asOf ? t.period.end : asOf
        var warnings: [Warning] = []
        let quotas = resolveQuotas(t, warnings: &warnings)
        if !t.quotas.isEmpty, let v = t.goal?.figure {
            let sum = t.quotas.reduce(0) { $0 + $1.value }
            if abs(sum - v) > max(1e-6, abs(v) * 1e-9) {
                warnings.append(
                    Warning(
                        code: "quota-sum",
                        "target '\(t.id)': quotas add up to \(JSONValue.format(sum)), not \(JSONValue.format(v))"))
            }
        }
        var out = TargetProgress(
            target: t, value: t.goal?.figure, achieved: nil, percent: nil, expected: nil, status: .monitoring,
            elapsed: elapsed, localities: [], outside: 0, report: nil, projectIDs: [], warnings: warnings)
        switch t.measurement {
        case .sum(let m, let sel):
            sum(t, of: m, select: sel, cutoff: cutoff, elapsed: elapsed, quotas: quotas, into: &out)
        case .count(let sel): count(t, select: sel, cutoff: cutoff, elapsed: elapsed, quotas: quotas, into: &out)
        case .milestone(let pid, let status, let by):
            milestone(t, project: pid, status: status, by: by, asOf: asOf, elapsed: elapsed, into: &out)
        case .indicator: indicator(t, asOf: asOf, into: &out)
        case .reduction(let baseline, _, let percent):
            reduction(t, baseline: baseline, percent: percent, asOf: asOf, into: &out)
        }
        return out
    }

    /// What a sum or a count has gathered, per locality of the directory (by position).
    struct Tally {
        var perLocality: [Double]
        var projects: [Int]
        var outside = 0.0
        var ids: [String] = []
        init(localities: Int) {
            perLocality = [Double](repeating: 0, count: localities)
            projects = [Int](repeating: 0, count: localities)
        }
    }

    /// The codes a target's selection and scope keep, nil for every locality.
    func restriction(_ t: Target, _ sel: Selection) -> Set<String>? {
        var codes = sel.localities
        if let s = t.scope { codes.append(s) }
        return codes.isEmpty ? nil : Set(codes)
    }

    /// The share's locality in the directory: its recorded position when it is that locality.
    func position(_ s: LocalityShare) -> Int? {
        let dir = dataset.localities
        return s.locality >= 0 && s.locality < dir.all.count && dir.all[s.locality].code == s.code
            ? s.locality : dir.index(ofCode: s.code)
    }

    /// A count: each selected project once, in the locality holding most of it.
    func count(
        _ t: Target, select sel: Selection, cutoff: Day, elapsed: Double, quotas: [String: Double],
        into out: inout TargetProgress
    ) {
        var tally = Tally(localities: dataset.localities.all.count)
        let restrict = restriction(t, sel)
        let projects = dataset.projects
        for i in projects.indices {
            // Fields read in place: copying a `Project` per plot would retain each of its members.
            guard sel.admits(projects[i], targetID: t.id) else { continue }
            if let d = projects[i].date, d > cutoff { continue }  // not yet reached at the as-of date
            guard let home = assignment.shares[i].max(by: { $0.share < $1.share }) else {
                if restrict == nil { tally.outside += 1 }
                continue
            }
            if let r = restrict, !r.contains(home.code) { continue }
            if let li = position(home) {
                tally.perLocality[li] += 1
                tally.projects[li] += 1
            }
            tally.ids.append(projects[i].id)
        }
        finish(t, tally, elapsed: elapsed, quotas: quotas, into: &out)
    }

    /// A sum of a measure over the selected projects, split by their locality shares.
    func sum(
        _ t: Target, of m: ProjectMeasure, select sel: Selection, cutoff: Day, elapsed: Double,
        quotas: [String: Double],
        into out: inout TargetProgress
    ) {
        var tally = Tally(localities: dataset.localities.all.count)
        var missing: [String] = []
        // Selected projects an area measure finds no area in: lines and points.
        var lines: [String] = []
        var points: [String] = []
        var selected = 0
        let restrict = restriction(t, sel)
        let projects = dataset.projects
        for i in projects.indices {
            // Fields read in place: copying a `Project` per plot would retain each of its members.
            guard sel.admits(projects[i], targetID: t.id) else { continue }
            if let d = projects[i].date, d > cutoff { continue }  // not yet reached at the as-of date
            selected += 1
            if m == .area {
                switch projects[i].geometry.dimension {
                case .line: lines.append(projects[i].id)
                case .point: points.append(projects[i].id)
                case .area: break
                }
            }
            guard let whole = m.value(of: projects[i]) else {
                missing.append(projects[i].id)
                continue
            }
            var counted = false
            for s in assignment.shares[i] {
                if let r = restrict, !r.contains(s.code) { continue }
                guard let li = position(s) else { continue }
                let part: Double
                switch m {
                case .area: part = s.areaHa
                case .length: part = s.lengthKm
                default: part = whole * s.share
                }
                tally.perLocality[li] += part
                tally.projects[li] += 1
                counted = true
            }
            if restrict == nil { tally.outside += whole * assignment.outside[i] }
            if counted { tally.ids.append(projects[i].id) }
        }
        func list(_ ids: [String]) -> String { ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : "") }
        if !missing.isEmpty {
            out.warnings.append(
                Warning(
                    code: "missing-attribute",
                    "target '\(t.id)': \(missing.count) selected project(s) have no \(m.rawValue) and count as 0: \(list(missing))"
                ))
        }
        if !lines.isEmpty || !points.isEmpty {
            var parts: [String] = []
            if !lines.isEmpty {
                parts.append(
                    "\(lines.count) of \(selected) selected project(s) are lines and have no area (\(list(lines)))")
            }
            if !points.isEmpty {
                parts.append(
                    "\(points.count) of \(selected) selected project(s) are points and have no area (\(list(points)))")
            }
            out.warnings.append(
                Warning(
                    code: "no-area",
                    "target '\(t.id)': " + parts.joined(separator: "; ")
                        + "; they count 0 \(t.unit): draw them as polygons, or build polygons from closed lines with `lines_as_polygons: {tolerance_m: …}` on the source"
                ))
        }
        finish(t, tally, elapsed: elapsed, quotas: quotas, into: &out)
    }

    /// A sum's or a count's locality rows, province figure, outside warning and status.
    func finish(_ t: Target, _ tally: Tally, elapsed: Double, quotas: [String: Double], into out: inout TargetProgress)
    {
        let codes = t.scope.map { Set([$0]) }
        out.localities = dataset.localities.all.enumerated().compactMap { li, l in
            if let codes, !codes.contains(l.code) { return nil }
            let q = quotas[l.code]
            let a = tally.perLocality[li]
            return LocalityProgress(
                code: l.code, name: l.name, achieved: a, quota: q,
                percent: q.map { $0 > 0 ? a / $0 * 100 : (a > 0 ? 100 : 0) },
                status: q.map { ProgressStatus.cumulative(achieved: a, goal: $0, elapsed: elapsed) },
                projects: tally.projects[li])
        }
        let total = tally.perLocality.reduce(0, +)
        out.achieved = total
        out.outside = tally.outside
        out.projectIDs = tally.ids
        if tally.outside > max(1e-9, abs(total) * 1e-7) {
            out.warnings.append(
                Warning(
                    code: "outside-localities",
                    "target '\(t.id)': \(NumberText.fixed(tally.outside, 2)) \(t.unit) of selected projects lie outside every locality and are not counted"
                ))
        }
        if let goal = t.goal, let v = goal.figure {
            out.percent = v > 0 ? total / v * 100 : nil
            out.expected = v * elapsed
            switch goal {
            case .atLeast, .above, .about, .range, .reach:
                out.status = ProgressStatus.cumulative(achieved: total, goal: v, elapsed: elapsed)
            case .atMost, .below: out.status = goal.isMet(by: total) ? (elapsed >= 1 ? .achieved : .onTrack) : .behind
            }
        }
    }

    /// A milestone: whether one project reached a status by a deadline.
    func milestone(
        _ t: Target, project pid: String, status: ProjectStatus, by: Day?, asOf: Day, elapsed: Double,
        into out: inout TargetProgress
    ) {
        let dir = dataset.localities
        guard let idx = dataset.projects.firstIndex(where: { $0.id == pid }) else {
            out.status = .noData
            out.warnings.append(
                Warning(code: "milestone-project-missing", "target '\(t.id)': project '\(pid)' is not in the dataset"))
            return
        }
        let p = dataset.projects[idx]
        let deadline = by ?? t.period.end
        let reachedOn = p.date ?? t.period.start
        let reached = p.status.hasReached(status) && reachedOn <= min(deadline, asOf)
        out.achieved = reached ? 1 : 0
        out.percent = reached ? 100 : 0
        out.projectIDs = [p.id]
        if reached {
            out.status = .achieved
        } else if asOf >= deadline || p.status == .stalled || p.status == .cancelled {
            out.status = .behind
        } else if p.status.rank >= status.rank - 1 || elapsed < 0.5 {
            out.status = .onTrack
        } else {
            out.status = .atRisk
        }
        let home = assignment.shares[idx].max { $0.share < $1.share }
        out.localities = dir.all.compactMap { l in
            guard l.code == home?.code else { return nil }
            return LocalityProgress(
                code: l.code, name: l.name, achieved: reached ? 1 : 0, quota: nil, percent: nil, status: nil,
                projects: 1)
        }
    }

    /// An indicator: the latest reported value on or before the as-of date against the goal.
    func indicator(_ t: Target, asOf: Day, into out: inout TargetProgress) {
        guard let r = reports.latest(t.id, onOrBefore: asOf) else {
            out.status = t.goal == nil ? .monitoring : .noData
            return
        }
        out.report = r
        out.achieved = r.value
        if let goal = t.goal {
            let periodOver = r.date >= t.period.end
            out.status =
                goal.isMet(by: r.value) ? (periodOver ? .achieved : .onTrack) : (periodOver ? .behind : .atRisk)
            if let v = goal.figure, v != 0 { out.percent = r.value / v * 100 }
        }
    }

    /// A reduction: reported values, cumulative from the period start, against the pro-rated limit.
    func reduction(_ t: Target, baseline: Double, percent: Double?, asOf: Day, into out: inout TargetProgress) {
        let limit = baseline * (1 - (percent ?? 0) / 100)
        out.value = limit
        guard let r = reports.latest(t.id, onOrBefore: asOf) else {
            out.status = .noData
            return
        }
        out.report = r
        out.achieved = r.value
        // Reported values are cumulative from the period start: compare with the pro-rated limit.
        let share = t.period.elapsed(at: r.date)
        let allowed = limit * share
        out.expected = allowed
        let asked = baseline - limit
        if asked > 0 { out.percent = (baseline * share - r.value) / (asked * max(share, 1e-9)) * 100 }
        let met = percent == nil ? r.value < baseline * share : r.value <= allowed
        out.status = met ? (share >= 1 ? .achieved : .onTrack) : (share >= 1 ? .behind : .atRisk)
    }
}
