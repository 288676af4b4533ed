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
    /// Keep only features whose bounding box meets this WGS 84 box (in addition to the attribute
    /// rules). Pushed down to GDAL as a spatial filter, so a GeoPackage's R-tree answers it and
    /// features elsewhere are never read.
    public var region: BoundingBox?

    /// An empty filter: no attribute rule (see ``keepsAllAttributes``) and no region, so it keeps
    /// every feature until selections, ids, linked targets or a region are set.
    public init() {}

    /// True when no attribute rule is set: every feature (in `region`) is kept.
    public var keepsAllAttributes: Bool { selections.isEmpty && ids.isEmpty && linkedTargets.isEmpty }

    /// The filter for a query: its kinds and statuses, and the box its spatial conditions share
    /// (nil when the query needs every project).
    public static func forQuery(_ q: ProjectQuery) -> ProjectFilter? {
        var f = ProjectFilter()
        if !q.kinds.isEmpty || !q.statuses.isEmpty {
            var s = Selection()
            s.kinds = q.kinds
            s.statuses = q.statuses
            f.selections = [s]
        }
        var boxes: [BoundingBox] = []
        // A box crossing the antimeridian reads its whole band of latitudes.
        if let b = q.bbox {
            boxes.append(
                b.parts.count == 1 ? b.parts[0] : BoundingBox(minX: -180, minY: b.south, maxX: 180, maxY: b.north))
        }
        if let w = q.within, let b = w.bounds { boxes.append(b) }
        if let n = q.near { boxes.append(ProjectIndex.searchBox(around: n.point, metres: n.radiusMetres)) }
        if var box = boxes.first {
            for b in boxes.dropFirst() {
                box = box.intersection(b)
            }
            // An empty intersection still filters (everything out), so keep a degenerate box.
            f.region =
                box.minX <= box.maxX && box.minY <= box.maxY
                ? box : BoundingBox(minX: box.minX, minY: box.minY, maxX: box.minX, maxY: box.minY)
        }
        return f.keepsAllAttributes && f.region == nil ? nil : f
    }

    /// The filter for computing the given targets, or nil when they need every project.
    public static func forTargets(_ targets: [Target]) -> ProjectFilter? {
        var f = ProjectFilter()
        for t in targets {
            switch t.measurement {
            case .sum(_, let s), .count(let s):
                if s.linkedOnly {
                    f.linkedTargets.insert(t.id)
                    continue
                }
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
        if !ids.isEmpty && ids.contains(id) { return true }
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
