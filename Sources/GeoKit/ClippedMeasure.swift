/// Area of a small polygon inside a region, and length of a line inside a region, computed by
/// walking boundaries (Green's theorem): the boundary of P ∩ R is made of the parts of ∂P inside
/// R and the parts of ∂R inside P, so the shoelace terms of those parts sum to the area of the
/// intersection — no overlay polygon is built. Edges of R come from a `RegionGrid`, so only the
/// few near P are visited. Returns nil when a boundary runs along the other (collinear overlap or
/// a vertex exactly on an edge): then the caller falls back to a full overlay (GEOS).
package enum ClippedMeasure {
    /// Planar area of `p ∩ region` in the grid's units (p's rings in any orientation).
    package static func area(of p: Polygon, in region: Int, grid: RegionGrid) -> Double? {
        guard let box = Geometry.polygon(p).bounds else { return 0 }
        let rEdges = edges(of: region, near: box, grid: grid)
        let pRings = oriented(p)
        var pEdges: [(Coordinate, Coordinate)] = []
        for ring in pRings {
            for i in 1..<ring.count where ring[i - 1] != ring[i] { pEdges.append((ring[i - 1], ring[i])) }
        }
        var total = 0.0
        // Shoelace terms relative to a local origin: the pieces form closed loops, so the origin
        // does not change the sum, and it avoids cancellation between large coordinates.
        let o = box.center
        let scale = max(box.width, box.height)
        let eps = scale * 1e-9
        // Parts of ∂P inside R. R's rings are oriented like P's only if the region's polygons are
        // oriented; orientation of R is fixed below by sign of its own contribution.
        let rPairs = rEdges.map { ($0.a, $0.b) }
        for (a, b) in pEdges {
            guard let ts = cuts(a, b, rPairs, eps: eps) else { return nil }
            for k in 1..<ts.count where ts[k] - ts[k - 1] > 1e-12 {
                let p0 = lerp(a, b, ts[k - 1])
                let p1 = lerp(a, b, ts[k])
                let mid = lerp(a, b, (ts[k - 1] + ts[k]) / 2)
                if nearEdge(mid, rEdges, eps: eps) { return nil }
                if grid.contains(region: region, mid) {
                    total += (p0.x - o.x) * (p1.y - o.y) - (p1.x - o.x) * (p0.y - o.y)
                }
            }
        }
        // Parts of ∂R inside P, each R edge oriented so its region lies on the left.
        for e in rEdges {
            let (a, b) = regionLeft(e, grid: grid) ? (e.a, e.b) : (e.b, e.a)
            guard let ts = cuts(a, b, pEdges, eps: eps) else { return nil }
            for k in 1..<ts.count where ts[k] - ts[k - 1] > 1e-12 {
                let mid = lerp(a, b, (ts[k - 1] + ts[k]) / 2)
                guard box.contains(mid) else { continue }
                if nearEdges(mid, pEdges, eps: eps) { return nil }
                if pRings.contains(where: { _ in true })
                    && Containment.polygonContains(Polygon(exterior: pRings[0], holes: Array(pRings.dropFirst())), mid)
                {
                    let p0 = lerp(a, b, ts[k - 1])
                    let p1 = lerp(a, b, ts[k])
                    total += (p0.x - o.x) * (p1.y - o.y) - (p1.x - o.x) * (p0.y - o.y)
                }
            }
        }
        return max(0, total / 2)
    }

    /// Planar length of a polyline inside a region, and the inside pieces (for geodesic measure).
    package static func pieces(of line: [Coordinate], in region: Int, grid: RegionGrid) -> [[Coordinate]]? {
        guard line.count >= 2, let box = Geometry.lineString(line).bounds else { return [] }
        let rEdges = edges(of: region, near: box, grid: grid)
        let rPairs = rEdges.map { ($0.a, $0.b) }
        let eps = max(box.width, box.height, 1e-9) * 1e-9
        var out: [[Coordinate]] = []
        var current: [Coordinate] = []
        for i in 1..<line.count {
            let a = line[i - 1]
            let b = line[i]
            if a == b { continue }
            guard let ts = cuts(a, b, rPairs, eps: eps) else { return nil }
            for k in 1..<ts.count where ts[k] - ts[k - 1] > 1e-12 {
                let p0 = lerp(a, b, ts[k - 1])
                let p1 = lerp(a, b, ts[k])
                let mid = lerp(a, b, (ts[k - 1] + ts[k]) / 2)
                if nearEdge(mid, rEdges, eps: eps) { return nil }
                if grid.contains(region: region, mid) {
                    if current.isEmpty { current = [p0] }
                    current.append(p1)
                } else if !current.isEmpty {
                    out.append(current)
                    current = []
                }
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The region's edges in the grid cells `box` covers, less those clear of the box by more
    /// than a millionth of its size (a thousand times the tolerance `area` and `pieces` use): such
    /// an edge can neither cut a segment inside the box nor lie near one, and no piece of it lies
    /// in the box, so leaving it out changes no figure (a cell holds many plots' worth of edges).
    static func edges(of region: Int, near box: BoundingBox, grid: RegionGrid) -> [RegionGrid.Edge] {
        let near = box.expanded(by: max(box.width, box.height, 1e-9) * 1e-6)
        return grid.edges(of: region, near: box).filter { e in
            max(e.a.x, e.b.x) >= near.minX && min(e.a.x, e.b.x) <= near.maxX && max(e.a.y, e.b.y) >= near.minY
                && min(e.a.y, e.b.y) <= near.maxY
        }
    }

    /// Cuts segment a→b where it crosses `edges`: the sorted parameters (with 0 and 1), or nil in a
    /// degenerate configuration (collinear overlap, touching at an endpoint).
    static func cuts(_ a: Coordinate, _ b: Coordinate, _ edges: [(Coordinate, Coordinate)], eps: Double) -> [Double]? {
        var ts: [Double] = [0, 1]
        for (c, d) in edges {
            guard let t = crossing(a, b, c, d, eps: eps) else { continue }
            if t.isNaN { return nil }
            ts.append(t)
        }
        ts.sort()
        return ts
    }

    /// Rings oriented: exterior counter-clockwise, holes clockwise, closed.
    static func oriented(_ p: Polygon) -> [[Coordinate]] {
        func close(_ r: [Coordinate]) -> [Coordinate] { r.first == r.last ? r : r + [r[0]] }
        var ext = close(p.exterior)
        if Planar.signedArea(ext) < 0 { ext.reverse() }
        let holes = p.holes.map { h -> [Coordinate] in
            var r = close(h)
            if Planar.signedArea(r) > 0 { r.reverse() }
            return r
        }
        return [ext] + holes
    }

    /// Whether the region lies to the left of the edge (tested just beside its midpoint).
    static func regionLeft(_ e: RegionGrid.Edge, grid: RegionGrid) -> Bool {
        let m = lerp(e.a, e.b, 0.5)
        let dx = e.b.x - e.a.x
        let dy = e.b.y - e.a.y
        let len = (dx * dx + dy * dy).squareRoot()
        guard len > 0 else { return true }
        let off = len * 1e-6
        let left = Coordinate(m.x - dy / len * off, m.y + dx / len * off)
        return grid.contains(region: e.region, left)
    }

    @inline(__always) static func lerp(_ a: Coordinate, _ b: Coordinate, _ t: Double) -> Coordinate {
        Coordinate(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
    }

    /// Parameter t on a→b where it crosses c→d (nil when they do not meet; NaN when they are
    /// collinear and overlapping, or touch at an endpoint: a degenerate case).
    static func crossing(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, _ d: Coordinate, eps: Double) -> Double? {
        let r = Coordinate(b.x - a.x, b.y - a.y)
        let s = Coordinate(d.x - c.x, d.y - c.y)
        let denom = r.x * s.y - r.y * s.x
        let qp = Coordinate(c.x - a.x, c.y - a.y)
        if abs(denom) < 1e-300 {
            // Parallel: degenerate only if collinear and overlapping.
            let cross = qp.x * r.y - qp.y * r.x
            if abs(cross) > eps * (abs(r.x) + abs(r.y)) { return nil }
            let rr = r.x * r.x + r.y * r.y
            let t0 = (qp.x * r.x + qp.y * r.y) / rr
            let t1 = t0 + (s.x * r.x + s.y * r.y) / rr
            return max(t0, t1) < 0 || min(t0, t1) > 1 ? nil : .nan
        }
        let t = (qp.x * s.y - qp.y * s.x) / denom
        let u = (qp.x * r.y - qp.y * r.x) / denom
        let tol = 1e-12
        guard t >= -tol, t <= 1 + tol, u >= -tol, u <= 1 + tol else { return nil }
        // Touching at an endpoint of the other segment: ambiguous inside/outside bookkeeping.
        if u <= tol || u >= 1 - tol { return .nan }
        return min(1, max(0, t))
    }

    static func nearEdge(_ p: Coordinate, _ edges: [RegionGrid.Edge], eps: Double) -> Bool {
        edges.contains { dist2(p, $0.a, $0.b) < eps * eps }
    }

    static func nearEdges(_ p: Coordinate, _ edges: [(Coordinate, Coordinate)], eps: Double) -> Bool {
        edges.contains { dist2(p, $0.0, $0.1) < eps * eps }
    }

    @inline(__always) static func dist2(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        Planar.segmentDistanceSquared(p, a, b)
    }
}
