/// How a target stands at the as-of date.
///
/// For cumulative targets (sums, counts) the figure achieved is compared with the share of the
/// goal due by then, `expected = goal × elapsed` where `elapsed` is the share of the period gone at
/// the as-of date (clamped to the period): `achieved` once the goal is met; `on_track` when
/// achieved ≥ expected; `at_risk` when achieved ≥ 80 % of expected; `behind` below that, and
/// whenever the period is over without the goal met. Milestones: `achieved` when the project reached
/// the status by the deadline; `behind` when the deadline has passed or the project is stalled or
/// cancelled; `on_track` while it is one lifecycle step away or less than half the period has gone;
/// else `at_risk`. Indicators and reductions: the latest report on or before the as-of date decides:
/// meeting the goal is `achieved` from the period's end on, `on_track` before it; missing it is
/// `behind` from the period's end on, `at_risk` before. No report: `no_data`. No figure: `monitoring`.
public enum ProgressStatus: String, Sendable, Codable, CaseIterable {
    /// The goal is met (`achieved`).
    case achieved
    /// Not met yet, but at or above what is due by the as-of date (`on_track`).
    case onTrack = "on_track"
    /// Below what is due, but by less than 20 % (`at_risk`); for indicators, missing the goal
    /// before the period ends.
    case atRisk = "at_risk"
    /// Well below what is due, or the period is over without the goal met (`behind`).
    case behind
    /// The target needs data that is not there: no report, or a milestone project missing from the dataset (`no_data`).
    case noData = "no_data"
    /// The programme sets no figure: the target is only watched (`monitoring`).
    case monitoring

    /// The rule for cumulative figures.
    static func cumulative(achieved: Double, goal: Double, elapsed: Double) -> ProgressStatus {
        if achieved >= goal - 1e-9 { return .achieved }
        if elapsed >= 1 { return .behind }
        let expected = goal * elapsed
        if achieved >= expected { return .onTrack }
        if achieved >= 0.8 * expected { return .atRisk }
        return .behind
    }
}

/// Progress of one target in one locality.
public struct LocalityProgress: Sendable {
    /// The locality's GSO code.
    public var code: String
    /// The locality's name as the boundary source spells it.
    public var name: String
    /// What has been achieved in the locality, in the target's unit: the shares of the selected
    /// projects lying inside it (area or length inside for geometric measures, attribute × share
    /// for others; a count counts each project in the locality holding most of it).
    public var achieved: Double
    /// The locality's quota, nil where the target sets none.
    public var quota: Double?
    /// achieved / quota × 100, nil without a quota.
    public var percent: Double?
    /// Judged against the quota; nil without one.
    public var status: ProgressStatus?
    /// Projects that contribute (count of selected projects with a share here).
    public var projects: Int
}

/// Progress of one target.
public struct TargetProgress: Sendable {
    /// The target assessed, as the catalog defines it (goal, unit, period, quotas).
    public var target: Target
    /// The figure asked for (nil for monitor-only targets).
    public var value: Double?
    /// What has been achieved: the province total (= sum over localities) for sums and counts,
    /// 1 or 0 for milestones, the latest reported value for indicators and reductions.
    public var achieved: Double?
    /// achieved / value × 100 (for reductions: the reduction reached / the reduction asked).
    public var percent: Double?
    /// value × elapsed share of the period: what should be done by the as-of date.
    public var expected: Double?
    /// How the target stands (see ``ProgressStatus`` for the rules).
    public var status: ProgressStatus
    /// Share of the period elapsed at the as-of date (0–1).
    public var elapsed: Double
    /// Per locality (sums, counts, milestones), in the dataset's order.
    public var localities: [LocalityProgress]
    /// The part of selected projects lying outside every locality (not counted in `achieved`).
    public var outside: Double
    /// The report used (indicators, reductions).
    public var report: Report?
    /// Project ids counted (sums, counts, milestones).
    public var projectIDs: [String]
    /// Findings about this target: quotas that do not add up, quotas for unknown localities,
    /// selected projects lacking the measured attribute or lying outside every locality.
    public var warnings: [Warning]
    /// The boundary edition the localities are taken from, when the manifest has editions (the
    /// one in force at the end of the target's period, or the one `--boundaries` chose).
    public var edition: String? = nil
    /// How the quotas were carried from the edition they are defined on (`quotas_edition`) to
    /// ``edition``: `(from: EDITION, rule: area_share | membership)`; nil when not carried.
    public var quotasCarried: (from: String, rule: String)? = nil
}

/// Progress of every target at one date.
public struct ProgressReport: Sendable {
    /// The assessment date: projects dated later are not counted, reports dated later are not used.
    public var asOf: Day
    /// The programme of the catalog the targets come from.
    public var programme: TargetCatalog.Programme
    /// One result per target asked for, in the order asked (catalog order when all).
    public var targets: [TargetProgress]
    /// Findings about the data and the catalog (quota sums, unknown codes, plots outside localities …).
    public var warnings: [Warning]
}
