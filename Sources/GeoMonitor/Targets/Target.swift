/// A time span of whole days, both ends included.
public struct Period: Sendable, Hashable, CustomStringConvertible {
    /// The first day of the period.
    public var start: Day
    /// The last day of the period (included).
    public var end: Day
    /// A period from its first to its last day; `start` after `end` is not checked here (the
    /// catalog refuses it).
    public init(start: Day, end: Day) {
        self.start = start
        self.end = end
    }

    /// Days in the period.
    public var days: Int { end.ordinal - start.ordinal + 1 }

    /// `day` clamped into the period.
    public func clamp(_ day: Day) -> Day { day < start ? start : (day > end ? end : day) }

    /// Share of the period elapsed at the end of `day` (0 before it starts, 1 from its last day on).
    public func elapsed(at day: Day) -> Double {
        if day < start { return 0 }
        if day >= end { return 1 }
        return Double(day.ordinal - start.ordinal + 1) / Double(days)
    }

    /// Whether `d` falls within the period, ends included.
    public func contains(_ d: Day) -> Bool { d >= start && d <= end }
    /// `yyyy-mm-dd…yyyy-mm-dd`.
    public var description: String { "\(start)…\(end)" }
}

/// What a target asks for.
public enum Goal: Sendable, Hashable {
    /// At least this much (cumulative sums and counts, most indicators).
    case atLeast(Double)
    /// At most this much.
    case atMost(Double)
    /// Strictly below ("dưới 1,2 %").
    case below(Double)
    /// Strictly above.
    case above(Double)
    /// Within a range, ends included ("7,2 – 7,8 %").
    case range(Double, Double)
    /// About this much (±5 %).
    case about(Double)
    /// A milestone: a project reaching this status.
    case reach(ProjectStatus)

    /// The headline figure: the value, or the lower end of a range.
    public var figure: Double? {
        switch self {
        case .atLeast(let v), .atMost(let v), .below(let v), .above(let v), .about(let v): return v
        case .range(let lo, _): return lo
        case .reach: return 1
        }
    }

    /// True when a reported value meets the goal.
    public func isMet(by v: Double) -> Bool {
        switch self {
        case .atLeast(let g): return v >= g
        case .atMost(let g): return v <= g
        case .below(let g): return v < g
        case .above(let g): return v > g
        case .range(let lo, let hi): return v >= lo && v <= hi
        case .about(let g): return abs(v - g) <= abs(g) * 0.05
        case .reach: return v >= 1
        }
    }

    /// Text such as "≥ 617.7", "7.2–7.8", "< 1.2".
    public var text: String { describe({ JSONValue.format($0) }, { $0.rawValue }) }

    /// The goal with its figures and status written by `f` and `status`.
    private func describe(_ f: (Double) -> String, _ status: (ProjectStatus) -> String) -> String {
        switch self {
        case .atLeast(let v): return "≥ \(f(v))"
        case .atMost(let v): return "≤ \(f(v))"
        case .below(let v): return "< \(f(v))"
        case .above(let v): return "> \(f(v))"
        case .range(let lo, let hi): return "\(f(lo))–\(f(hi))"
        case .about(let v): return "≈ \(f(v))"
        case .reach(let s): return status(s)
        }
    }

    /// ``text`` in a language: numbers grouped as its locale groups them ("≥ 13.650.000" in
    /// Vietnamese), a milestone's status in its words; English gives ``text`` unchanged.
    public func text(_ lang: Language) -> String {
        guard lang.code != Language.english.code else { return text }
        return describe({ lang.number($0, Language.decimalsNeeded($0)) }, { lang.projectStatus($0) })
    }
}

/// A numeric project attribute a selection rule or a sum can use.
public enum ProjectMeasure: String, Sendable, CaseIterable {
    /// Geodesic area of the geometry, ha.
    case area
    /// Geodesic length of the geometry, km.
    case length
    /// Trees planted (the `trees` attribute).
    case trees
    /// Declared area attribute, ha.
    case areaHa = "area_ha"
    /// Declared length attribute, km.
    case lengthKm = "length_km"
    /// The `budget` attribute, in the source's currency unit.
    case budget

    /// The canonical names, comma-separated, for error messages.
    public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The value for a whole project (nil when the attribute is missing).
    public func value(of p: Project) -> Double? {
        switch self {
        case .area: return p.areaHa
        case .length: return p.lengthKm
        case .trees: return p.trees
        case .areaHa: return p.declaredAreaHa
        case .lengthKm: return p.declaredLengthKm
        case .budget: return p.budget
        }
    }
}

/// A condition on a numeric attribute: `trees > 0`.
public struct Condition: Sendable, Hashable {
    /// A comparison, spelled in the catalog as its raw value.
    public enum Operator: String, Sendable, CaseIterable {
        /// Equal: `=`.
        case eq = "="
        /// Not equal: `!=`.
        case ne = "!="
        /// Greater than: `>`.
        case gt = ">"
        /// Greater than or equal: `>=`.
        case ge = ">="
        /// Less than: `<`.
        case lt = "<"
        /// Less than or equal: `<=`.
        case le = "<="
    }
    /// The project attribute compared (an attribute the project lacks fails the condition).
    public var field: ProjectMeasure
    /// How the attribute is compared with ``value``.
    public var op: Operator
    /// The figure compared with, in the attribute's unit (ha, km, trees …).
    public var value: Double

    /// Whether the project's attribute compares as asked; false when the project lacks the attribute.
    public func holds(for p: Project) -> Bool {
        guard let v = field.value(of: p) else { return false }
        switch op {
        case .eq: return v == value
        case .ne: return v != value
        case .gt: return v > value
        case .ge: return v >= value
        case .lt: return v < value
        case .le: return v <= value
        }
    }
}

/// Which projects a target counts: every rule given must hold.
public struct Selection: Sendable, Hashable {
    /// The project must be of one of these kinds (any kind when empty).
    public var kinds: Set<ProjectKind> = []
    /// The project must have one of these statuses (any status when empty).
    public var statuses: Set<ProjectStatus> = []
    /// The project's date (the day its status was reached) must fall in this window: on or
    /// after `dateFrom`.
    public var dateFrom: Day?
    /// … and on or before `dateTo`. With either bound set, a project without a date is not selected.
    public var dateTo: Day?
    /// Only the parts inside these localities (codes) count.
    public var localities: [String] = []
    /// Conditions on numeric attributes that must all hold (`trees > 0`).
    public var conditions: [Condition] = []
    /// Only projects whose `targets` field links this target.
    public var linkedOnly = false
    /// A selection of every project; set the rules that apply.
    public init() {}

    /// Whether a project passes the attribute rules (not the locality rule, which is applied to shares).
    public func admits(_ p: Project, targetID: String) -> Bool {
        if !kinds.isEmpty && !kinds.contains(p.kind) { return false }
        if !statuses.isEmpty && !statuses.contains(p.status) { return false }
        if dateFrom != nil || dateTo != nil {
            guard let d = p.date else { return false }
            if let f = dateFrom, d < f { return false }
            if let t = dateTo, d > t { return false }
        }
        if linkedOnly && !p.targets.contains(targetID) { return false }
        return conditions.allSatisfy { $0.holds(for: p) }
    }
}

/// How a target is measured.
public enum Measurement: Sendable, Hashable {
    /// Sum of a measure over the selected projects (split by share at borders).
    case sum(ProjectMeasure, Selection)
    /// Number of selected projects (each counted in the locality holding most of it).
    case count(Selection)
    /// A named project reaching a status by a date.
    case milestone(project: String, status: ProjectStatus, by: Day?)
    /// A value reported per period (see the indicators file).
    case indicator
    /// A reported value against a baseline: `percent` lower than `baseline` (any reduction when nil).
    case reduction(baseline: Double, baselinePeriod: String?, percent: Double?)

    /// "sum", "count", "milestone", "indicator" or "reduction".
    public var kindName: String {
        switch self {
        case .sum: return "sum"
        case .count: return "count"
        case .milestone: return "milestone"
        case .indicator: return "indicator"
        case .reduction: return "reduction"
        }
    }
}

/// One measurable target of the programme.
public struct Target: Sendable, Hashable, Identifiable {
    /// The catalog id, e.g. `afforestation-2024` (letters, digits, `-`, `_`, `.`).
    public var id: String
    /// The clause of the programme it comes from, e.g. "III.1".
    public var clause: String
    /// The programme's own (Vietnamese) wording.
    public var text: String
    /// A short title.
    public var title: String
    /// Whether another target of its catalog has the same `text` (several targets read off one
    /// clause's wording, e.g. three national roads of III.6): titles taken from `text` then carry
    /// the id, so that a report's rows and a map's title tell them apart.
    public internal(set) var sharesText = false
    /// The unit of the figures as the catalog names it ("ha", "km", "trees", "count", "%").
    public var unit: String
    /// The figure asked for; nil for "monitor only" targets the programme gives no figure for.
    public var goal: Goal?
    /// The period the target runs over (the programme's, unless the catalog gives one).
    public var period: Period
    /// nil for the whole province, else a locality code.
    public var scope: String?
    /// How progress is measured: a sum, a count, a milestone, a reported indicator or a reduction.
    public var measurement: Measurement
    /// Quotas per locality code, in catalog order.
    public var quotas: [(code: String, value: Double)]
    /// The unit each quota means, where the catalog names it (`quotas: {"676": {value: 95, name:
    /// "Lâm Hà"}}`), by code: checked against the boundaries, so that a file numbering its units
    /// its own way cannot take another unit's quota.
    public var quotaNames: [String: String] = [:]
    /// The boundary edition the quotas are defined on (`quotas_edition:`); nil: whichever the
    /// target is judged on.
    public var quotasEdition: String? = nil
    /// How quotas are carried to another edition (`carry:`): `area_share` (by the crosswalk's
    /// share of each old unit in each new one) or `membership` (whole quotas of `full` members
    /// only); nil: never carried (a warning says so).
    public var carry: String? = nil
    /// The legal membership CSV for `carry: membership` (`membership:`, resolved against the
    /// catalog); nil: Vietnam's 2025 reform table.
    public var carryMembership: String? = nil

    /// Targets are equal when their ids are (a catalog's ids are unique).
    public static func == (a: Target, b: Target) -> Bool { a.id == b.id }
    /// Hashes the id only, consistently with `==`.
    public func hash(into h: inout Hasher) { h.combine(id) }

    /// The quota for a locality, if one is set.
    public func quota(for code: String) -> Double? { quotas.first { $0.code == code }?.value }
}
