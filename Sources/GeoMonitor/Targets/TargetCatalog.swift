import Foundation

/// The programme's targets, read from a catalog file (YAML or JSON; format in README "Target catalog").
public struct TargetCatalog: Sendable {
    /// The action programme the targets belong to (the catalog's `programme:` key).
    public struct Programme: Sendable {
        /// A short id, e.g. `lam-dong-2024`.
        public var id: String
        /// The programme's title.
        public var title: String
        /// The decision or plan that sets it (e.g. "Kế hoạch số …"), if given.
        public var document: String?
        /// The period targets run over unless they give their own.
        public var period: Period
    }

    /// The catalog file it was read from (named in lookup errors).
    public var file: String
    /// The programme the catalog describes; its period is the default of every target.
    public var programme: Programme
    /// The targets, in catalog order; ids are unique.
    public var targets: [Target]

    /// The target with this id, or a `lookup` error listing the closest ids.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` naming up to three close ids.
    public func target(_ id: String) throws -> Target {
        if let t = targets.first(where: { $0.id == id }) { return t }
        let close = targets.map(\.id).sorted { VietnameseNames.distance(id, $0) < VietnameseNames.distance(id, $1) }
            .prefix(3)
        throw GeoMonitorError(
            .lookup, file: displayPath(file), "no target '\(id)'; closest: \(close.joined(separator: ", "))")
    }

    /// Reads and validates a target catalog file (YAML or JSON).
    /// - Throws: ``GeoMonitorError`` of kind `.source` when it cannot be read, `.configuration`
    ///   (with the key path) for an unknown key, an unknown measure or status, a negative quota,
    ///   a duplicate id or a period that ends before it starts.
    public static func load(_ path: String) throws -> TargetCatalog {
        try parse(YAMLNode.load(file: path))
    }

    /// Parses catalog text; `file` names it in errors.
    /// - Throws: ``GeoMonitorError`` of kind `.configuration` as ``load(_:)`` does.
    public static func parse(_ text: String, file: String) throws -> TargetCatalog {
        try parse(YAMLNode.parse(text, file: file))
    }

    static func parse(_ root: YAMLNode) throws -> TargetCatalog {
        let m = try root.mapping(allowed: ["programme", "targets"])
        guard let pn = m["programme"] else { throw root.fail("missing key 'programme'") }
        let pm = try pn.mapping(allowed: ["id", "title", "document", "period"])
        guard let pid = pm["id"], let pp = pm["period"] else { throw pn.fail("needs `id` and `period`") }
        let programme = Programme(
            id: try pid.string(), title: try pm["title"]?.string() ?? (try pid.string()),
            document: try pm["document"]?.string(), period: try period(pp))
        guard let tn = m["targets"] else { throw root.fail("missing key 'targets'") }
        var seen = Set<String>()
        let targets = try tn.sequence().map { n -> Target in
            let t = try target(n, programme: programme)
            guard seen.insert(t.id).inserted else { throw n.fail("duplicate target id '\(t.id)'") }
            return t
        }
        var shared = targets
        let counts = Dictionary(targets.map { ($0.text, 1) }, uniquingKeysWith: +)
        for i in shared.indices where !shared[i].text.isEmpty && counts[shared[i].text, default: 0] > 1 {
            shared[i].sharesText = true
        }
        return TargetCatalog(file: root.file, programme: programme, targets: shared)
    }

    static func period(_ n: YAMLNode) throws -> Period {
        let m = try n.mapping(allowed: ["start", "end"])
        guard let s = m["start"], let e = m["end"] else { throw n.fail("needs `start` and `end` dates") }
        let p = Period(start: try s.day(), end: try e.day())
        guard p.start <= p.end else { throw n.fail("starts after it ends") }
        return p
    }

    static func target(_ n: YAMLNode, programme: Programme) throws -> Target {
        let m = try n.mapping(allowed: [
            "id", "clause", "text", "title", "unit", "target", "period", "scope", "measure", "quotas", "quotas_edition",
            "carry", "membership",
        ])
        guard let idn = m["id"] else { throw n.fail("a target needs an `id`") }
        let id = try idn.string()
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw idn.fail("target id '\(id)' must be letters, digits, '-', '_' or '.'")
        }
        guard let mn = m["measure"] else { throw n.fail("target '\(id)' needs a `measure`") }
        var scope: String? = nil
        if let s = m["scope"] {
            let v = try s.string()
            scope = v == "province" ? nil : v
        }
        let measurement = try measure(mn)
        var goal: Goal? = nil
        if let g = m["target"] { goal = try self.goal(g) }
        if case .milestone(_, let status, _) = measurement, goal == nil { goal = .reach(status) }
        var quotas: [(String, Double)] = []
        var quotaNames: [String: String] = [:]
        if let q = m["quotas"] {
            guard case .mapping(let qm) = q.node else { throw q.fail("quotas must map locality codes to figures") }
            for (k, v) in qm {
                let code = k.string ?? ""
                var qn = q.child(code, v)
                if case .mapping = v {
                    // {value: 95, name: "Lâm Hà"}: the unit the code is meant to be.
                    let qm = try qn.mapping(allowed: ["value", "name"])
                    guard let vn = qm["value"] else {
                        throw qn.fail("a quota needs `value` (and optionally `name`, the unit the code means)")
                    }
                    if let nn = qm["name"] { quotaNames[code] = try nn.string() }
                    qn = vn
                }
                let value = try qn.double()
                guard value >= 0 else { throw qn.fail("a quota cannot be negative") }
                quotas.append((code, value))
            }
        }
        var target = Target(
            id: id, clause: try m["clause"]?.string() ?? "", text: try m["text"]?.string() ?? "",
            title: try m["title"]?.string() ?? id, unit: try m["unit"]?.string() ?? "",
            goal: goal, period: try m["period"].map(period) ?? programme.period, scope: scope,
            measurement: measurement, quotas: quotas)
        target.quotaNames = quotaNames
        target.quotasEdition = try m["quotas_edition"]?.string()
        if let c = m["carry"] {
            let rule = try c.string()
            guard ["area_share", "membership"].contains(rule) else {
                throw c.fail("carry must be area_share or membership")
            }
            target.carry = rule
        }
        if let f = m["membership"] {
            target.carryMembership =
                URL(fileURLWithPath: n.file).deletingLastPathComponent().appendingPathComponent(try f.string())
                .standardizedFileURL.path
        }
        return target
    }

    static func goal(_ n: YAMLNode) throws -> Goal {
        let m = try n.mapping(allowed: ["at_least", "at_most", "below", "above", "range", "about", "reach"])
        guard m.count == 1, let (k, v) = m.first else {
            throw n.fail("give exactly one of at_least, at_most, below, above, range, about, reach")
        }
        switch k {
        case "at_least": return .atLeast(try v.double())
        case "at_most": return .atMost(try v.double())
        case "below": return .below(try v.double())
        case "above": return .above(try v.double())
        case "about": return .about(try v.double())
        case "range":
            let r = try v.sequence()
            guard r.count == 2 else { throw v.fail("range needs [low, high]") }
            let lo = try r[0].double()
            let hi = try r[1].double()
            guard lo <= hi else { throw v.fail("range low \(lo) exceeds high \(hi)") }
            return .range(lo, hi)
        default:
            return .reach(try status(v))
        }
    }

    static func status(_ n: YAMLNode) throws -> ProjectStatus {
        let s = try n.string()
        guard let v = ProjectStatus(rawValue: s) else {
            throw n.fail("unknown status '\(s)'; statuses: \(ProjectStatus.vocabulary)")
        }
        return v
    }

    static func measure(_ n: YAMLNode) throws -> Measurement {
        let m = try n.mapping(allowed: [
            "kind", "of", "select", "project", "status", "by", "baseline", "baseline_period", "percent",
        ])
        guard let kn = m["kind"] else { throw n.fail("needs `kind`: sum, count, milestone, indicator or reduction") }
        let kind = try kn.string()
        func only(_ keys: Set<String>) throws {
            for k in m.keys where !keys.contains(k) && k != "kind" {
                throw m[k]!.fail("'\(k)' does not apply to a \(kind) measure")
            }
        }
        switch kind {
        case "sum":
            try only(["of", "select"])
            guard let of = m["of"] else { throw n.fail("a sum needs `of` (\(ProjectMeasure.vocabulary))") }
            let s = try of.string()
            guard let pm = ProjectMeasure(rawValue: s) else {
                throw of.fail("unknown measure '\(s)'; use \(ProjectMeasure.vocabulary)")
            }
            return .sum(pm, try m["select"].map(selection) ?? Selection())
        case "count":
            try only(["select"])
            return .count(try m["select"].map(selection) ?? Selection())
        case "milestone":
            try only(["project", "status", "by"])
            guard let p = m["project"], let s = m["status"] else {
                throw n.fail("a milestone needs `project` and `status`")
            }
            return .milestone(project: try p.string(), status: try status(s), by: try m["by"]?.day())
        case "indicator":
            try only([])
            return .indicator
        case "reduction":
            try only(["baseline", "baseline_period", "percent"])
            guard let b = m["baseline"] else { throw n.fail("a reduction needs `baseline`") }
            let pct = try m["percent"]?.double()
            if let pct, !(0...100).contains(pct) { throw m["percent"]!.fail("percent must be between 0 and 100") }
            return .reduction(
                baseline: try b.double(), baselinePeriod: try m["baseline_period"]?.string(), percent: pct)
        default:
            throw kn.fail("unknown measurement kind '\(kind)'; use sum, count, milestone, indicator or reduction")
        }
    }

    static func selection(_ n: YAMLNode) throws -> Selection {
        let m = try n.mapping(allowed: ["kind", "status", "date", "localities", "where", "targets"])
        var s = Selection()
        if let k = m["kind"] {
            s.kinds = Set(
                try k.list().map { x in
                    let v = try x.string()
                    guard let kind = ProjectKind(rawValue: v) else {
                        throw x.fail("unknown kind '\(v)'; kinds: \(ProjectKind.vocabulary)")
                    }
                    return kind
                })
        }
        if let st = m["status"] { s.statuses = Set(try st.list().map(status)) }
        if let d = m["date"] {
            let dm = try d.mapping(allowed: ["from", "to"])
            s.dateFrom = try dm["from"]?.day()
            s.dateTo = try dm["to"]?.day()
        }
        if let l = m["localities"] { s.localities = try l.list().map { try $0.string() } }
        if let w = m["where"] {
            s.conditions = try w.list().map { c in
                let cm = try c.mapping(allowed: ["field", "op", "value"])
                guard let f = cm["field"], let o = cm["op"], let v = cm["value"] else {
                    throw c.fail("a condition needs field, op and value")
                }
                let fs = try f.string()
                let os = try o.string()
                guard let field = ProjectMeasure(rawValue: fs) else {
                    throw f.fail("unknown field '\(fs)'; fields: \(ProjectMeasure.vocabulary)")
                }
                guard let op = Condition.Operator(rawValue: os) else {
                    throw o.fail("unknown operator '\(os)'; use = != > >= < <=")
                }
                return Condition(field: field, op: op, value: try v.double())
            }
        }
        if let t = m["targets"] { s.linkedOnly = try t.bool() }
        return s
    }
}

/// A value reported for an indicator or reduction target.
public struct Report: Sendable, Hashable {
    /// The id of the target the value is for.
    public var target: String
    /// The day the value refers to (values are cumulative from the period's start).
    public var date: Day
    /// The reported figure, in the target's unit.
    public var value: Double
    /// Where the figure comes from (an office, a bulletin), if noted.
    public var source: String?
    /// A locality code, for a value reported for one locality only.
    public var locality: String?
}

/// Reported values (statistics offices' figures), kept in a data file, never in code.
public struct IndicatorReports: Sendable {
    /// Every reported value, in file order.
    public var reports: [Report]
    /// A set of reports (none by default: indicator targets then have no data).
    public init(reports: [Report] = []) { self.reports = reports }

    /// Reads a reports file (YAML or JSON: `reports:` with target, date, value, source, locality).
    /// - Throws: ``GeoMonitorError`` of kind `.configuration` for a malformed entry or a target id
    ///   that is not in `catalog`.
    public static func load(_ path: String, catalog: TargetCatalog) throws -> IndicatorReports {
        let root = try YAMLNode.load(file: path)
        let m = try root.mapping(allowed: ["reports"])
        guard let rn = m["reports"] else { return IndicatorReports() }
        let ids = Set(catalog.targets.map(\.id))
        return IndicatorReports(
            reports: try rn.sequence().map { n in
                let r = try n.mapping(allowed: ["target", "date", "value", "source", "locality"])
                guard let t = r["target"], let d = r["date"], let v = r["value"] else {
                    throw n.fail("a report needs target, date and value")
                }
                let id = try t.string()
                guard ids.contains(id) else {
                    throw t.fail("unknown target id '\(id)' (not in \(displayPath(catalog.file)))")
                }
                return Report(
                    target: id, date: try d.day(), value: try v.double(), source: try r["source"]?.string(),
                    locality: try r["locality"]?.string())
            })
    }

    /// The latest province-wide report for a target on or before a day.
    public func latest(_ target: String, onOrBefore day: Day) -> Report? {
        reports.filter { $0.target == target && $0.locality == nil && $0.date <= day }.max { $0.date < $1.date }
    }
}
