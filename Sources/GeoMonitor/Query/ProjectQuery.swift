import Foundation
internal import GDALKit

/// Which projects to select: every condition given must hold (AND).
public struct ProjectQuery: Sendable {
    /// A locality (name or code, as users type it): only the parts inside it are listed.
    public var locality: String?
    /// Projects meeting this WGS 84 box (which may cross the antimeridian).
    public var bbox: LonLatBox?
    /// Projects meeting this WGS 84 polygon (or any geometry).
    public var within: Geometry?
    /// Projects within `radiusMetres` (geodesic) of a WGS 84 point.
    public var near: (point: Coordinate, radiusMetres: Double)?
    /// Only projects of these kinds (any kind when empty).
    public var kinds: Set<ProjectKind> = []
    /// Only projects with these statuses (any status when empty).
    public var statuses: Set<ProjectStatus> = []

    /// A query; every argument is optional and the defaults select every project.
    /// - Parameters:
    ///   - locality: a locality name or GSO code as users type it ("tp da lat", "672").
    ///   - bbox: a box of WGS 84 longitudes and latitudes (west > east crosses the antimeridian).
    ///   - within: a WGS 84 geometry the projects must meet.
    ///   - near: a WGS 84 point and a geodesic radius in metres.
    ///   - kinds: project kinds to keep.
    ///   - statuses: project statuses to keep.
    public init(
        locality: String? = nil, bbox: LonLatBox? = nil, within: Geometry? = nil,
        near: (point: Coordinate, radiusMetres: Double)? = nil, kinds: Set<ProjectKind> = [],
        statuses: Set<ProjectStatus> = []
    ) {
        self.locality = locality
        self.bbox = bbox
        self.within = within
        self.near = near
        self.kinds = kinds
        self.statuses = statuses
    }
}

/// One answer row: a project, or the part of it inside one locality.
public struct QueryRow: Sendable {
    /// The whole project (its geometry is not clipped to the locality).
    public var project: Project
    /// The locality this row covers, nil for the part outside every locality.
    public var locality: Locality?
    /// Fraction of the project in that locality (0–1).
    public var share: Double
    /// Geodesic area inside the locality, ha (polygons).
    public var areaHa: Double
    /// Geodesic length inside the locality, km (lines).
    public var lengthKm: Double
    /// Of `lengthKm`, the kilometres lying on a border with another locality, counted here by the
    /// tie-break rule of ``SpatialAssignment/precedence(_:)`` (and not in the other locality).
    public var onBorderKm: Double = 0
}

extension Dataset {
    /// Runs a query. A project crossing a border gives one row per locality it touches.
    ///
    /// Without a locality condition, the part of a project outside every locality gets a row of
    /// its own with a nil ``QueryRow/locality``. Rows follow the order of ``projects``. For many
    /// queries over one dataset, build a ``ProjectIndex`` once and query it instead.
    /// - Parameters:
    ///   - q: the conditions; all must hold.
    ///   - assignment: the dataset's assignment when already computed; without it, only the
    ///     projects the query returns are split at locality borders.
    ///   - timings: where indexing and querying are timed (`index`, `query`); none by default.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` when the locality matches none or several,
    ///   `.geometry` when a project (named by file, layer and feature) cannot be assigned or tested.
    public func query(_ q: ProjectQuery, assignment: SpatialAssignment? = nil, timings: PhaseLog = .off) throws
        -> [QueryRow]
    {
        try ProjectIndex(self, assignment: assignment, timings: timings).query(q)
    }
}

/// A dataset's projects prepared for repeated queries: a packed R-tree over their WGS 84
/// bounding boxes. A query meets the tree first, tests only the projects whose boxes it meets,
/// and splits only those at locality borders (unless a precomputed assignment is given), so a
/// box query over a million plots answers in milliseconds. The one query engine over projects:
/// `geomonitor query` and the server's `projects` collection both search it.
public final class ProjectIndex: Sendable {
    /// The dataset indexed; rows refer to its projects and localities.
    public let dataset: Dataset
    /// Locality shares of every project, when computed up front (nil: each answer splits only
    /// the projects it returns).
    public let assignment: SpatialAssignment?
    /// The projects' geometries by position, for box queries (the server's `projects` layer
    /// searches this same index).
    package let boxes: BoxIndex
    /// Where indexing and each query are timed.
    let timings: PhaseLog

    /// Indexes a dataset's projects. With `assignment`, answers reuse its shares; without, each
    /// answer splits the projects it returns. Indexing and queries are timed in `timings`.
    public init(_ dataset: Dataset, assignment: SpatialAssignment? = nil, timings: PhaseLog = .off) {
        self.dataset = dataset
        self.assignment = assignment
        self.timings = timings
        boxes = timings.measure("index") { BoxIndex(dataset.projects.map(\.geometry)) }
    }

    /// Runs a query: projects meeting every condition, one row per locality each touches (and one
    /// for the part outside every locality, unless the query names a locality), in project order.
    /// - Throws: ``GeoMonitorError`` as ``Dataset/query(_:assignment:timings:)`` does.
    public func query(_ q: ProjectQuery) throws -> [QueryRow] {
        try timings.measure("query") { try run(q) }
    }

    private func run(_ q: ProjectQuery) throws -> [QueryRow] {
        let projects = dataset.projects
        let localities = dataset.localities
        let target = try q.locality.map { try localities.find($0) }
        // Candidate boxes: every spatial condition narrows the search (the box's parts, one on
        // each side of the antimeridian, are searched each).
        var regions: [BoundingBox]? = q.bbox?.parts
        var narrowing: [BoundingBox] = []
        if let w = q.within {
            guard let b = w.bounds else { return [] }
            narrowing.append(b)
        }
        if let near = q.near { narrowing.append(Self.searchBox(around: near.point, metres: near.radiusMetres)) }
        if let t = target, let b = t.geometry.bounds { narrowing.append(b) }
        for b in narrowing {
            regions = (regions ?? [b]).compactMap { $0.intersects(b) ? $0.intersection(b) : nil }
            if regions?.isEmpty == true { return [] }
        }
        var candidates = regions.map { boxes.candidates($0) } ?? Array(projects.indices)
        let filter = try GeoMonitorError.converting { try q.within.map { try OGRGeometry($0) } }
        let bboxParts = q.bbox?.parts
        candidates = try candidates.filter { i in
            let p = projects[i]
            if !q.kinds.isEmpty && !q.kinds.contains(p.kind) { return false }
            if !q.statuses.isEmpty && !q.statuses.contains(p.status) { return false }
            if let bboxParts, !boxes.meets(i, bboxParts) { return false }
            if let filter {
                guard try GeoMonitorError.converting(at: p, { try OGRGeometry(p.geometry).intersects(filter) }) else {
                    return false
                }
            }
            if let near = q.near {
                guard
                    try GeoMonitorError.converting(at: p, { try Dataset.distance(from: near.point, to: p.geometry) })
                        <= near.radiusMetres
                else { return false }
            }
            return true
        }
        // Shares: the precomputed ones, or a split of just these projects.
        let shares: [[LocalityShare]]
        let outside: [Double]
        if let a = assignment {
            shares = candidates.map { a.shares[$0] }
            outside = candidates.map { a.outside[$0] }
        } else {
            let a = try SpatialAssignment(projects: candidates.map { projects[$0] }, localities: localities)
            shares = a.shares
            outside = a.outside
        }
        var rows: [QueryRow] = []
        for (k, i) in candidates.enumerated() {
            let p = projects[i]
            for s in shares[k] {
                if let target, s.code != target.code { continue }
                rows.append(
                    QueryRow(
                        project: p, locality: localities[code: s.code], share: s.share, areaHa: s.areaHa,
                        lengthKm: s.lengthKm,
                        onBorderKm: s.onBorderKm))
            }
            if target == nil && outside[k] > 0 {
                let o = outside[k]
                rows.append(
                    QueryRow(project: p, locality: nil, share: o, areaHa: p.areaHa * o, lengthKm: p.lengthKm * o))
            }
        }
        return rows
    }

    /// A lon/lat box certain to hold every point within `metres` of `p` (1 % margin; whole
    /// longitude range near the poles).
    static func searchBox(around p: Coordinate, metres: Double) -> BoundingBox {
        let dLat = metres / 110_574 * 1.01 + 1e-9
        let maxLat = min(90, abs(p.y) + dLat)
        guard maxLat < 89.9 else {
            return BoundingBox(minX: -180, minY: max(-90, p.y - dLat), maxX: 180, maxY: min(90, p.y + dLat))
        }
        let dLon = metres / (111_320 * cos(maxLat * .pi / 180)) * 1.01 + 1e-9
        if p.x - dLon < -180 || p.x + dLon > 180 {
            return BoundingBox(minX: -180, minY: max(-90, p.y - dLat), maxX: 180, maxY: min(90, p.y + dLat))
        }
        return BoundingBox(minX: p.x - dLon, minY: max(-90, p.y - dLat), maxX: p.x + dLon, maxY: min(90, p.y + dLat))
    }
}

extension Dataset {
    /// Geodesic-accurate distance in metres from a point to a geometry: measured in an azimuthal
    /// equidistant projection centred on the point (exact along every line through the centre).
    static func distance(from point: Coordinate, to g: Geometry) throws -> Double {
        let aeqd = try SpatialReference("+proj=aeqd +lat_0=\(point.y) +lon_0=\(point.x) +datum=WGS84 +units=m +no_defs")
        let t = try CoordinateTransform(from: .wgs84, to: aeqd)
        let local = try t.transform(g)
        if case .polygon = local, Containment.contains(local, Coordinate(0, 0)) { return 0 }
        if local.dimension == .area, Containment.contains(local, Coordinate(0, 0)) { return 0 }
        return try OGRGeometry(.point(Coordinate(0, 0))).distance(OGRGeometry(local))
    }
}
