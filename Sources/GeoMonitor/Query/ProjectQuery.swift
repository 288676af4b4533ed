import Foundation
internal import GDALKit

/// Which projects to select: every condition given must hold (AND).
public struct ProjectQuery: Sendable {
    /// A locality (name or code, as users type it): only the parts inside it are listed.
    public var locality: String?
    /// Projects meeting this WGS 84 box.
    public var bbox: BoundingBox?
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
    ///   - bbox: `minLon, minLat, maxLon, maxLat` in WGS 84 degrees.
    ///   - within: a WGS 84 geometry the projects must meet.
    ///   - near: a WGS 84 point and a geodesic radius in metres.
    ///   - kinds: project kinds to keep.
    ///   - statuses: project statuses to keep.
    public init(locality: String? = nil, bbox: BoundingBox? = nil, within: Geometry? = nil,
                near: (point: Coordinate, radiusMetres: Double)? = nil, kinds: Set<ProjectKind> = [], statuses: Set<ProjectStatus> = []) {
        self.locality = locality; self.bbox = bbox; self.within = within; self.near = near; self.kinds = kinds; self.statuses = statuses
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
}

extension Dataset {
    /// Runs a query. A project crossing a border gives one row per locality it touches.
    ///
    /// Without a locality condition, the part of a project outside every locality gets a row of
    /// its own with a nil ``QueryRow/locality``. Rows follow the order of ``projects``.
    /// - Parameters:
    ///   - q: the conditions; all must hold.
    ///   - assignment: the dataset's assignment when already computed (it is the costly part);
    ///     computed here when nil.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` when the locality matches none or several,
    ///   `.geometry` when a project (named by file, layer and feature) cannot be assigned or tested.
    public func query(_ q: ProjectQuery, assignment: SpatialAssignment? = nil) throws -> [QueryRow] {
        let target = try q.locality.map { try localities.find($0) }
        let assign = try assignment ?? SpatialAssignment(self)
        let filter = try GeoMonitorError.converting { try q.within.map { try OGRGeometry($0) } }
        let box = try GeoMonitorError.converting { try q.bbox.map { try OGRGeometry(.polygon(Polygon(exterior: $0.ring))) } }
        var rows: [QueryRow] = []
        for (i, p) in projects.enumerated() {
            if !q.kinds.isEmpty && !q.kinds.contains(p.kind) { continue }
            if !q.statuses.isEmpty && !q.statuses.contains(p.status) { continue }
            if let bb = q.bbox {
                guard let pb = p.geometry.bounds, pb.intersects(bb), let box else { continue }
                // A vertex in the box settles it without GEOS (which refuses invalid geometries).
                var hit = false
                p.geometry.forEachCoordinate { c in if !hit && bb.contains(c) { hit = true } }
                if !hit { hit = (try? OGRGeometry(p.geometry).intersects(box)) ?? false }
                guard hit else { continue }
            }
            if let filter {
                guard try GeoMonitorError.converting(at: p, { try OGRGeometry(p.geometry).intersects(filter) }) else { continue }
            }
            if let near = q.near {
                guard try GeoMonitorError.converting(at: p, { try Self.distance(from: near.point, to: p.geometry) }) <= near.radiusMetres else { continue }
            }
            let shares = assign.shares[i]
            for s in shares {
                if let target, s.code != target.code { continue }
                rows.append(QueryRow(project: p, locality: localities[code: s.code], share: s.share, areaHa: s.areaHa, lengthKm: s.lengthKm))
            }
            if target == nil && assign.outside[i] > 0 {
                let o = assign.outside[i]
                rows.append(QueryRow(project: p, locality: nil, share: o, areaHa: p.areaHa * o, lengthKm: p.lengthKm * o))
            }
        }
        return rows
    }

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
