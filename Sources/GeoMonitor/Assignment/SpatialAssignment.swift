import Foundation
import GDALKit

/// The part of a project inside one locality.
public struct LocalityShare: Sendable, Hashable {
    /// The locality's GSO code.
    public var code: String
    /// Fraction of the project inside (0–1): by area for polygons, by length for lines, by count for points.
    public var share: Double
    /// Geodesic area inside, hectares (polygons).
    public var areaHa: Double
    /// Geodesic length inside, kilometres (lines).
    public var lengthKm: Double
}

/// Where each project lies: its shares in the localities it touches.
///
/// Polygons are split by area, lines by length (GEOS intersection, geodesic measure of each piece),
/// points by containment. A project wholly inside one locality takes the fast path (point-in-polygon
/// of its vertices, confirmed by GEOS) and is never intersected. Shares of one project add up to
/// 1 − `outside`.
public struct SpatialAssignment: Sendable {
    /// Shares per project, in the order of `Dataset.projects`.
    public let shares: [[LocalityShare]]
    /// Fraction of each project outside every locality.
    public let outside: [Double]

    /// Assigns every project of a dataset to localities.
    public init(_ dataset: Dataset) throws {
        try self.init(projects: dataset.projects, localities: dataset.localities)
    }

    public init(projects: [Project], localities: LocalityDirectory) throws {
        let index = try LocalityIndex(localities)
        var shares: [[LocalityShare]] = []
        var outside: [Double] = []
        shares.reserveCapacity(projects.count)
        for p in projects {
            let s = try index.assign(p.geometry, areaHa: p.areaHa, lengthKm: p.lengthKm)
            shares.append(s)
            let inside = s.reduce(0) { $0 + $1.share }
            outside.append(1 - inside < 1e-6 ? 0 : 1 - inside)
        }
        self.shares = shares
        self.outside = outside
    }
}

/// Localities prepared for repeated spatial tests: bounding boxes, GEOS geometries.
final class LocalityIndex {
    let localities: [Locality]
    let boxes: [BoundingBox]
    let ogr: [OGRGeometry]
    let geod = Geodesic.wgs84

    init(_ dir: LocalityDirectory) throws {
        localities = dir.all
        boxes = dir.all.map { $0.geometry.bounds ?? .empty }
        ogr = try dir.all.map { try OGRGeometry($0.geometry) }
    }

    func candidates(_ box: BoundingBox) -> [Int] {
        boxes.indices.filter { boxes[$0].intersects(box) }
    }

    /// The locality containing a point (first match), if any.
    func locate(_ c: Coordinate) -> Int? {
        for i in boxes.indices where boxes[i].contains(c) && Containment.contains(localities[i].geometry, c) { return i }
        return nil
    }

    func assign(_ g: Geometry, areaHa: Double, lengthKm: Double) throws -> [LocalityShare] {
        guard let box = g.bounds else { return [] }
        switch g.dimension {
        case .point:
            let pts = g.points
            guard !pts.isEmpty else { return [] }
            var counts: [Int: Int] = [:]
            for c in pts { if let i = locate(c) { counts[i, default: 0] += 1 } }
            return counts.keys.sorted().map { LocalityShare(code: localities[$0].code, share: Double(counts[$0]!) / Double(pts.count), areaHa: 0, lengthKm: 0) }
        case .line, .area:
            let cands = candidates(box)
            if cands.isEmpty { return [] }
            // Fast path: every vertex inside one locality, and GEOS agrees the whole geometry is within it.
            var home: Int? = nil
            var allInOne = true
            g.forEachCoordinate { c in
                guard allInOne else { return }
                if let h = home {
                    if !Containment.contains(localities[h].geometry, c) { allInOne = false }
                } else if let i = cands.first(where: { Containment.contains(localities[$0].geometry, c) }) {
                    home = i
                } else { allInOne = false }
            }
            let og = try OGRGeometry(g)
            if allInOne, let h = home, og.within(ogr[h]) {
                return [LocalityShare(code: localities[h].code, share: 1, areaHa: areaHa, lengthKm: lengthKm)]
            }
            var out: [LocalityShare] = []
            let isArea = g.dimension == .area
            let total = isArea ? areaHa : lengthKm
            for i in cands where og.intersects(ogr[i]) {
                let piece = try og.intersection(ogr[i]).value()
                let a = geod.area(piece) / 10_000, l = geod.length(piece) / 1000
                let part = isArea ? a : l
                guard part > 0, total > 0 else { continue }
                out.append(LocalityShare(code: localities[i].code, share: min(1, part / total), areaHa: isArea ? a : 0, lengthKm: isArea ? 0 : l))
            }
            return out
        }
    }
}
