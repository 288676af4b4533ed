/// Which projects a job needs, decided from attributes alone while reading, so that features no
/// target selects are never reprojected, measured or assigned. Conservative: a feature is kept
/// whenever it might be selected (conditions on numbers and localities are left to the targets).
public struct ProjectFilter: Sendable {
    /// Keep a project matching any of these (kinds, statuses, date window).
    public var selections: [Selection] = []
    /// Keep these project ids (milestones).
    public var ids: Set<String> = []
    /// Keep projects linked to any of these target ids.
    public var linkedTargets: Set<String> = []

    /// A filter that admits nothing until selections, ids or linked targets are added.
    public init() {}

    /// The filter for computing the given targets, or nil when they need every project.
    public static func forTargets(_ targets: [Target]) -> ProjectFilter? {
        var f = ProjectFilter()
        for t in targets {
            switch t.measurement {
            case .sum(_, let s), .count(let s):
                if s.linkedOnly { f.linkedTargets.insert(t.id); continue }
                if s.kinds.isEmpty && s.statuses.isEmpty && s.dateFrom == nil && s.dateTo == nil { return nil }
                f.selections.append(s)
                f.linkedTargets.insert(t.id)
            case .milestone(let id, _, _):
                f.ids.insert(id)
            case .indicator, .reduction:
                break
            }
        }
        return f
    }

    /// Whether a project with these attributes may be needed: its id is listed, it links one of
    /// ``linkedTargets``, or it matches a selection's kinds, statuses and date window (a
    /// project without a date fails a date window).
    public func admits(id: String, kind: ProjectKind, status: ProjectStatus, date: Day?, targets: [String]) -> Bool {
        if ids.contains(id) { return true }
        if !linkedTargets.isEmpty && targets.contains(where: linkedTargets.contains) { return true }
        return selections.contains { s in
            if !s.kinds.isEmpty && !s.kinds.contains(kind) { return false }
            if !s.statuses.isEmpty && !s.statuses.contains(status) { return false }
            if s.dateFrom != nil || s.dateTo != nil {
                guard let d = date else { return false }
                if let a = s.dateFrom, d < a { return false }
                if let b = s.dateTo, d > b { return false }
            }
            return true
        }
    }
}
