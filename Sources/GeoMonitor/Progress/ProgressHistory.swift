/// How a sum or count target grew over its period: the cumulative figure achieved at the end of
/// each month (projects count from their status date), against the expected line
/// `goal × elapsed share of the period`, province-wide and per locality.
///
/// ```swift
/// let history = try ProgressHistory.compute(engine, target: "afforestation-2024", through: Day(iso: "2024-12-31"))
/// for m in history.months { print(m.day, m.achieved, m.expected ?? 0) }
/// ```
public struct ProgressHistory: Sendable {
    /// One month of the history.
    public struct Month: Sendable {
        /// The month's year.
        public var year: Int
        /// The month, 1–12.
        public var month: Int
        /// The day the figures are taken: the month's last day, or the as-of date in its month.
        public var day: Day
        /// Cumulative figure achieved province-wide on ``day`` (the engine's `achieved` then).
        public var achieved: Double
        /// What is due by ``day``: goal × elapsed share of the period (nil without a goal).
        public var expected: Double?
        /// Cumulative figure per locality code on ``day``.
        public var byLocality: [String: Double]
    }

    /// The target.
    public var target: Target
    /// The goal (nil for a target without a figure).
    public var goal: Double?
    /// Month by month from the period's first month to the as-of date's month (or the period's end).
    public var months: [Month]
    /// Quota per locality code, for the expected line of one locality.
    public var quotas: [String: Double]

    /// Whether a target has a history: sums and counts do (milestones, indicators and reductions do not).
    public static func applies(to t: Target) -> Bool {
        switch t.measurement {
        case .sum, .count: return true
        default: return false
        }
    }

    /// The history of target `id` through `asOf` (clamped to the target's period).
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` for an unknown target, `.value` for a
    ///   target that is not a sum or a count.
    public static func compute(_ engine: ProgressEngine, target id: String, through asOf: Day) throws -> ProgressHistory
    {
        let t = try engine.catalog.target(id)
        guard applies(to: t) else {
            throw GeoMonitorError(
                .value, key: "--target",
                "target '\(id)' is a \(t.measurement.kindName); a progress chart needs a sum or a count")
        }
        let last = t.period.clamp(asOf)
        var months: [Month] = []
        var y = t.period.start.year
        var m = t.period.start.month
        while (y, m) <= (last.year, last.month) {
            let monthEnd = Day(year: y, month: m, day: Day.daysIn(y, m)) ?? last
            let day = min(monthEnd, last)
            let p = try engine.progress(t, asOf: day)
            var byLocality: [String: Double] = [:]
            for l in p.localities { byLocality[l.code] = l.achieved }
            months.append(
                Month(
                    year: y, month: m, day: day, achieved: p.achieved ?? 0, expected: p.expected, byLocality: byLocality
                ))
            m += 1
            if m > 12 {
                m = 1
                y += 1
            }
        }
        var quotas: [String: Double] = [:]
        for q in t.quotas { quotas[q.code] = q.value }
        return ProgressHistory(target: t, goal: t.goal?.figure, months: months, quotas: quotas)
    }

    /// The series of one locality (its cumulative figures, and its quota × elapsed share as the
    /// expected line), or the province's when `code` is nil.
    public func series(locality code: String?) -> [(day: Day, achieved: Double, expected: Double?)] {
        guard let code else { return months.map { ($0.day, $0.achieved, $0.expected) } }
        let quota = quotas[code]
        return months.map { m in
            let expected = quota.map { $0 * target.period.elapsed(at: m.day) }
            return (m.day, m.byLocality[code] ?? 0, expected)
        }
    }
}
