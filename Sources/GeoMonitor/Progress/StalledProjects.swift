/// Projects approved or started whose status has not changed for a while — the programme asks to
/// review them for termination (clause III.7).
public enum StalledProjects {
    /// A project found stalled.
    public struct Finding: Sendable {
        /// The stalled project; its ``Project/status`` and ``Project/date`` tell since when.
        public var project: Project
        /// Whole months since the last status change at the as-of date (nil when the date is unknown).
        public var months: Int?
    }

    /// Projects at approved, site_clearance, under_construction or stalled whose last status change
    /// is at least `months` months before `asOf` (or that are marked stalled).
    public static func find(in dataset: Dataset, asOf: Day, months: Int = 12) -> [Finding] {
        let open: Set<ProjectStatus> = [.approved, .siteClearance, .underConstruction, .stalled]
        return dataset.projects.compactMap { p in
            guard open.contains(p.status) else { return nil }
            let m = p.date.map { monthsBetween($0, asOf) }
            if p.status == .stalled || (m ?? 0) >= months { return Finding(project: p, months: m) }
            return nil
        }.sorted { ($0.months ?? .max) > ($1.months ?? .max) }
    }

    static func monthsBetween(_ a: Day, _ b: Day) -> Int {
        var m = (b.year - a.year) * 12 + (b.month - a.month)
        if b.day < a.day { m -= 1 }
        return max(0, m)
    }
}
