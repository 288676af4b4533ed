import Foundation
internal import GDALKit

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
    /// Of `lengthKm`, the kilometres lying on a border this locality shares with another, given
    /// to it by the tie-break rule (``SpatialAssignment/precedence(_:)``); 0 for most shares.
    public var onBorderKm: Double = 0
    /// The locality's position in ``LocalityDirectory/all`` of the directory the share was
    /// computed against (sums find the locality by it, checking it against `code`); part of the
    /// value, as every other property.
    public internal(set) var locality: Int = -1
}

/// Where each project lies: its shares in the localities it touches.
///
/// Polygons are split by area, lines by length (GEOS intersection, geodesic measure of each piece),
/// points by containment. A project wholly inside one locality takes the fast path (point-in-polygon
/// of its vertices, confirmed by GEOS) and is never intersected. Shares of one project add up to
/// 1 − `outside`, never more: ground two localities share — a stretch of line lying on their
/// border, a point on it, a plot where their boundary polygons overlap — counts once, in the
/// locality that ``precedence(_:)`` puts first (the one whose code sorts first). A point on the
/// province's outer edge belongs to the locality whose edge it is.
public struct SpatialAssignment: Sendable {
    /// Shares per project, in the order of `Dataset.projects`.
    public let shares: [[LocalityShare]]
    /// Fraction of each project outside every locality.
    public let outside: [Double]
    /// Projects (indices) whose geometry GEOS could not split (lenient mode only); their shares are empty.
    public let unsplittable: [Int]

    /// Assigns every project of a dataset to localities (on all cores), timed in `timings` (`assign`).
    /// - Throws: ``GeoMonitorError`` of kind `.geometry`, naming the project's file, layer and
    ///   feature, when GEOS cannot split an (invalid) geometry at a border.
    public init(_ dataset: Dataset, timings: PhaseLog = .off) throws {
        self = try timings.measure("assign") {
            try SpatialAssignment(projects: dataset.projects, localities: dataset.localities)
        }
    }

    /// Assigns the given projects to the given localities; the result is indexed like `projects`.
    /// - Parameters:
    ///   - projects: projects with WGS 84 geometries and their measures (``Project/areaHa``,
    ///     ``Project/lengthKm``), which the shares split.
    ///   - localities: the localities to split them between.
    ///   - lenient: record projects whose invalid geometry cannot be split in
    ///     `unsplittable` instead of throwing (for data checks).
    /// - Throws: ``GeoMonitorError`` of kind `.geometry` for the first project that cannot be
    ///   split, unless `lenient`.
    public init(projects: [Project], localities: LocalityDirectory, lenient: Bool = false) throws {
        let grid = localities.regionGrid
        // Chunks of projects on all cores; each worker has its own index (its own GEOS cache).
        let split = Parallel.map(
            count: projects.count, chunk: 2048, state: { _ in LocalityIndex(localities.all, grid: grid) }
        ) { index, pi in
            let geometry = projects[pi].geometry
            let areaHa = projects[pi].areaHa
            let lengthKm = projects[pi].lengthKm
            var s: [LocalityShare]
            do { s = try index.assign(geometry, areaHa: areaHa, lengthKm: lengthKm) } catch let e as GDALError {
                return (shares: [LocalityShare](), outside: 1.0, failure: Optional(e))
            } catch {
                return ([], 1, GDALError(.badGeometry, "\(error)"))
            }
            let inside = s.reduce(0) { $0 + $1.share }
            if abs(1 - inside) < 1e-6 && inside > 0 {
                // Rounding residue of the split: renormalise so that nothing is lost or counted twice.
                for k in s.indices {
                    s[k].share /= inside
                    s[k].areaHa = areaHa * s[k].share * (geometry.dimension == .area ? 1 : 0)
                    s[k].lengthKm = lengthKm * s[k].share * (geometry.dimension == .line ? 1 : 0)
                }
                return (s, 0, nil)
            }
            return (s, max(0, 1 - inside), nil)
        }
        let shares = split.map(\.shares)
        let outside = split.map(\.outside)
        let failed = split.indices.compactMap { pi in split[pi].failure.map { (index: pi, error: $0) } }
        if !lenient, let (pi, e) = failed.first {
            let p = projects[pi]
            throw GeoMonitorError(
                .geometry, file: p.source, layer: p.layer, feature: String(p.fid),
                "project '\(p.id)': its geometry cannot be split at locality borders (\(e.message)); repair it with --repair or fix the source"
            )
        }
        self.shares = shares
        self.outside = outside
        self.unsplittable = failed.map(\.index)
    }

    /// The tie-break between localities that share ground (a border line, a point on a border, an
    /// overlap of their boundary polygons): the locality whose code sorts first wins, comparing
    /// codes as numbers where they are numbers ("68" before "672", "672" before "677") and as text
    /// otherwise. Returns each locality's rank, 0 for the first.
    public static func precedence(_ localities: [Locality]) -> [Int] {
        let order = localities.indices.sorted {
            let c = localities[$0].code.compare(localities[$1].code, options: [.numeric])
            return c == .orderedSame ? $0 < $1 : c == .orderedAscending
        }
        var rank = [Int](repeating: 0, count: localities.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        return rank
    }
}

/// Localities prepared for repeated spatial tests: a `RegionGrid` (interior / boundary cells)
/// and GEOS geometries for the rare cases the boundary walk cannot settle.
final class LocalityIndex {
    let localities: [Locality]
    let grid: RegionGrid
    private var ogrCache: [Int: OGRGeometry] = [:]
    let geod = Geodesic.wgs84

    convenience init(_ dir: LocalityDirectory) throws {
        self.init(dir.all, grid: Self.grid(for: dir.all))
    }

    init(_ localities: [Locality], grid: RegionGrid) {
        self.localities = localities
        self.grid = grid
    }

    /// The grid lives in the equal-area plane, so planar shares are shares of ellipsoidal area.
    /// Where boundary polygons overlap, cells go by ``SpatialAssignment/precedence(_:)``.
    /// Detailed boundaries get a finer grid (fewer edges per boundary cell, fewer plots in
    /// boundary cells): 512 cells along the longer side up to 100,000 border vertices, 1,024 up to
    /// 300,000, 2,048 beyond.
    /// `planar`, when given, is each locality's polygons already in the equal-area plane
    /// (``planar(_:)``, as the boundary coverage scan made them).
    static func grid(for localities: [Locality], planar: [[Polygon]]? = nil) -> RegionGrid {
        let vertices = localities.reduce(0) { $0 + $1.geometry.coordinateCount }
        let resolution = vertices < 100_000 ? 512 : vertices < 300_000 ? 1_024 : 2_048
        return RegionGrid(
            regions: planar ?? Self.planar(localities), resolution: resolution,
            priority: SpatialAssignment.precedence(localities))
    }

    /// Each locality's polygons in the equal-area plane.
    static func planar(_ localities: [Locality]) -> [[Polygon]] {
        localities.map { $0.geometry.mapCoordinates(EqualAreaPlane.forward).polygons }
    }

    /// Half the side of the box a point is looked up with, in plane units (≈ 1.3 m): wide enough
    /// that a point on a border edge finds that edge although the edge, straight in longitude and
    /// latitude, bends slightly in the equal-area plane.
    static let pointSlack = 2e-7
    /// A point this close to a border edge in longitude/latitude (degrees², ≈ 0.1 mm) lies on it.
    static let onEdgeDegrees2 = 1e-18

    func ogr(_ i: Int) throws -> OGRGeometry {
        if let g = ogrCache[i] { return g }
        let g = try OGRGeometry(localities[i].geometry)
        ogrCache[i] = g
        return g
    }

    /// The locality containing a point, if any. A point on a border (within ≈ 0.1 mm, judged in
    /// longitude/latitude where the border's edges are straight) belongs to the localities whose
    /// edge it is on — on the province's outer edge, the one locality there; on an internal
    /// border or a corner, the first by ``SpatialAssignment/precedence(_:)``. A point where
    /// boundary polygons overlap goes by the same precedence.
    func locate(_ lonLat: Coordinate) -> Int? {
        guard lonLat.isFinite else { return nil }
        let c = EqualAreaPlane.forward(lonLat)
        let d = Self.pointSlack
        let box = BoundingBox(minX: c.x - d, minY: c.y - d, maxX: c.x + d, maxY: c.y + d)
        switch grid.classify(box) {
        case .inside(let i): return i
        case .outside: return nil
        case .boundary: break
        }
        let rank = grid.priority
        var onEdge: Int?
        for e in grid.edges(near: box) where onEdge.map({ rank[e.region] < rank[$0] }) ?? true {
            let a = EqualAreaPlane.inverse(e.a)
            let b = EqualAreaPlane.inverse(e.b)
            if Planar.segmentDistanceSquared(lonLat, a, b) <= Self.onEdgeDegrees2 { onEdge = e.region }
        }
        if let onEdge { return onEdge }
        return grid.candidates(box).filter { grid.contains(region: $0, c) }.min { rank[$0] < rank[$1] }
    }

    func assign(_ lonLat: Geometry, areaHa: Double, lengthKm: Double) throws -> [LocalityShare] {
        guard let lonLatBox = lonLat.bounds else { return [] }
        if lonLat.dimension == .point { return pointShares(lonLat) }
        // The plane is cylindrical (x from longitude, y from latitude, both increasing): the box
        // of the projected geometry is the projected box, so a plot inside one district is settled
        // without projecting its vertices.
        let lo = EqualAreaPlane.forward(Coordinate(lonLatBox.minX, lonLatBox.minY))
        let hi = EqualAreaPlane.forward(Coordinate(lonLatBox.maxX, lonLatBox.maxY))
        let box = BoundingBox(minX: lo.x, minY: lo.y, maxX: hi.x, maxY: hi.y)
        guard box.minX.isFinite, box.maxY.isFinite else { return [] }
        switch lonLat.dimension {
        case .point:
            return pointShares(lonLat)
        case .line, .area:
            switch grid.classify(box) {
            case .inside(let i):
                return [
                    LocalityShare(code: localities[i].code, share: 1, areaHa: areaHa, lengthKm: lengthKm, locality: i)
                ]
            case .outside:
                return []
            case .boundary:
                break
            }
            let cands = grid.candidates(box)
            if cands.isEmpty { return [] }
            let g = lonLat.mapCoordinates(EqualAreaPlane.forward)
            // Overlapping boundary polygons (found by the grid, or shares adding up to more than 1):
            // the overlay settles them.
            if grid.overlapping.isDisjoint(with: cands),
                let walked = walk(g, cands, areaHa: areaHa, lengthKm: lengthKm),
                walked.reduce(0, { $0 + $1.share }) <= 1 + 1e-9
            {
                return walked
            }
            return try overlay(lonLat, cands, areaHa: areaHa, lengthKm: lengthKm)
        }
    }

    func pointShares(_ g: Geometry) -> [LocalityShare] {
        let pts = g.points
        guard !pts.isEmpty else { return [] }
        var counts: [Int: Int] = [:]
        for c in pts { if let i = locate(c) { counts[i, default: 0] += 1 } }
        return counts.keys.sorted().map {
            LocalityShare(
                code: localities[$0].code, share: Double(counts[$0]!) / Double(pts.count), areaHa: 0, lengthKm: 0,
                locality: $0)
        }
    }

    /// Boundary walking (no overlay): nil when a degenerate configuration needs GEOS.
    func walk(_ g: Geometry, _ cands: [Int], areaHa: Double, lengthKm: Double) -> [LocalityShare]? {
        guard g.coordinateCount <= 512 else { return nil }
        var out: [LocalityShare] = []
        if g.dimension == .area {
            let polys = g.polygons
            let whole = polys.reduce(0) { $0 + Planar.area($1) }
            guard whole > 0 else { return nil }
            for i in cands {
                var inside = 0.0
                for p in polys {
                    guard let a = ClippedMeasure.area(of: p, in: i, grid: grid) else { return nil }
                    inside += a
                }
                let share = min(1, inside / whole)
                if share > 1e-12 {
                    out.append(
                        LocalityShare(
                            code: localities[i].code, share: share, areaHa: areaHa * share, lengthKm: 0, locality: i))
                }
            }
        } else {
            let lines = g.lines
            for i in cands {
                var km = 0.0
                for l in lines {
                    guard let pieces = ClippedMeasure.pieces(of: l, in: i, grid: grid) else { return nil }
                    km += pieces.reduce(0) { $0 + geod.length($1.map(EqualAreaPlane.inverse)) } / 1000
                }
                if km > 0, lengthKm > 0 {
                    out.append(
                        LocalityShare(
                            code: localities[i].code, share: min(1, km / lengthKm), areaHa: 0, lengthKm: km, locality: i
                        ))
                }
            }
        }
        return out
    }

    /// Exact overlay with GEOS: intersection with each candidate, measured geodesically. Candidates
    /// are taken in ``SpatialAssignment/precedence(_:)`` order and each piece loses what an earlier
    /// candidate's piece already holds, so a stretch of line on a shared border (which lies in both
    /// closed polygons) or a plot where boundary polygons overlap counts once; the kilometres a
    /// winner took that way are its share's `onBorderKm`.
    func overlay(_ g: Geometry, _ cands: [Int], areaHa: Double, lengthKm: Double) throws -> [LocalityShare] {
        let og = try OGRGeometry(g)
        // An invalid polygon has no meaningful split (and GEOS may take minutes over one that winds many times).
        if g.dimension == .area, !og.isValid {
            throw GDALError(.badGeometry, "it is invalid: \(GeometryRepair.reason(og) ?? "GEOS says so")")
        }
        let isArea = g.dimension == .area
        let total = isArea ? areaHa : lengthKm
        let rank = grid.priority
        var claimed: [(locality: Int, piece: OGRGeometry)] = []
        var measured: [(locality: Int, areaHa: Double, lengthKm: Double)] = []
        var onBorder: [Int: Double] = [:]
        for i in cands.sorted(by: { rank[$0] < rank[$1] }) {
            let loc = try ogr(i)
            guard og.intersects(loc) else { continue }
            let raw = try og.intersection(loc)
            var piece = raw
            for c in claimed where piece.intersects(c.piece) {
                if isArea {
                    piece = try piece.difference(c.piece)
                } else {
                    let before = geod.length(try piece.value()) / 1000
                    piece = try piece.difference(c.piece)
                    onBorder[c.locality, default: 0] += max(0, before - geod.length(try piece.value()) / 1000)
                }
            }
            claimed.append((i, raw))
            let value = try piece.value()
            measured.append((i, geod.area(value) / 10_000, geod.length(value) / 1000))
        }
        var out: [LocalityShare] = []
        for m in measured {
            let part = isArea ? m.areaHa : m.lengthKm
            guard part > 0, total > 0 else { continue }
            var s = LocalityShare(
                code: localities[m.locality].code, share: min(1, part / total), areaHa: isArea ? m.areaHa : 0,
                lengthKm: isArea ? 0 : m.lengthKm, locality: m.locality)
            s.onBorderKm = onBorder[m.locality] ?? 0
            out.append(s)
        }
        return out.sorted { $0.locality < $1.locality }
    }
}
