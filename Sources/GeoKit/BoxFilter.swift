/// Exact intersection of a WGS 84 geometry with a longitude/latitude box (planar, in degrees,
/// as OGC API – Features' `bbox` is defined): a point inside, a segment crossing, or the box
/// inside a polygon. Used by every box query (the CLI's `--bbox`, the server's `bbox`), so that
/// they agree, also on geometries GEOS refuses (self-intersecting rings, unclosed rings).
package enum BoxFilter {
    /// Does `g` meet the closed box (edges touching count)?
    package static func intersects(_ g: Geometry, _ box: BoundingBox) -> Bool {
        guard let b = g.bounds, b.intersects(box) else { return false }
        if box.contains(b) { return true }
        switch g {
        case .point(let c): return box.contains(c)
        case .multiPoint(let cs): return cs.contains { box.contains($0) }
        case .lineString(let cs): return lineHits(cs, box)
        case .multiLineString(let ls): return ls.contains { lineHits($0, box) }
        case .polygon(let p): return polygonHits(p, box)
        case .multiPolygon(let ps): return ps.contains { polygonHits($0, box) }
        case .collection(let gs): return gs.contains { intersects($0, box) }
        }
    }

    static func polygonHits(_ p: Polygon, _ box: BoundingBox) -> Bool {
        for r in p.rings {
            var ring = r
            if let f = ring.first, f != ring.last { ring.append(f) }
            if lineHits(ring, box) { return true }
        }
        // No edge meets the box: either the box lies inside the polygon, or they are disjoint.
        return Containment.polygonContains(p, box.center)
    }

    static func lineHits(_ cs: [Coordinate], _ box: BoundingBox) -> Bool {
        if cs.count == 1 { return box.contains(cs[0]) }
        for i in 1..<max(cs.count, 1) where segmentHits(cs[i - 1], cs[i], box) { return true }
        return false
    }

    /// Liang–Barsky: does the segment a–b meet the closed box?
    static func segmentHits(_ a: Coordinate, _ b: Coordinate, _ box: BoundingBox) -> Bool {
        if box.contains(a) || box.contains(b) { return true }
        var t0 = 0.0
        var t1 = 1.0
        let dx = b.x - a.x
        let dy = b.y - a.y
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return false }
                    if r > t0 { t0 = r }
                } else {
                    if r < t0 { return false }
                    if r < t1 { t1 = r }
                }
            }
        }
        return t0 <= t1
    }
}
