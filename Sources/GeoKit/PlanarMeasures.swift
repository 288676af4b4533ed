/// Planar measures in the units of the coordinates (metres in a projected CRS).
package enum Planar {
    /// Signed area of a closed ring by the shoelace formula: positive when counter-clockwise.
    package static func signedArea(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var s = 0.0
        let x0 = ring[0].x
        let y0 = ring[0].y  // shift for numerical stability
        for i in 0..<(ring.count - 1) {
            let a = ring[i]
            let b = ring[i + 1]
            s += (a.x - x0) * (b.y - y0) - (b.x - x0) * (a.y - y0)
        }
        return s / 2
    }

    /// Area of a polygon: its exterior less its holes, whatever the rings' orientation.
    package static func area(_ p: Polygon) -> Double {
        abs(signedArea(p.exterior)) - p.holes.reduce(0) { $0 + abs(signedArea($1)) }
    }

    /// Area of the polygonal parts of a geometry.
    package static func area(_ g: Geometry) -> Double { g.polygons.reduce(0) { $0 + area($1) } }

    /// Length of a polyline: the sum of its straight segments.
    package static func length(_ line: [Coordinate]) -> Double {
        guard line.count >= 2 else { return 0 }
        var s = 0.0
        for i in 1..<line.count {
            let dx = line[i].x - line[i - 1].x
            let dy = line[i].y - line[i - 1].y
            s += (dx * dx + dy * dy).squareRoot()
        }
        return s
    }

    /// Length of the linear parts of a geometry.
    package static func length(_ g: Geometry) -> Double { g.lines.reduce(0) { $0 + length($1) } }

    /// Squared distance from `p` to the segment a–b.
    @inline(__always) package static func segmentDistanceSquared(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate)
        -> Double
    {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let l2 = dx * dx + dy * dy
        var t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0
        t = max(0, min(1, t))
        let ex = a.x + t * dx - p.x
        let ey = a.y + t * dy - p.y
        return ex * ex + ey * ey
    }
}

/// Point-in-polygon tests (even–odd rule over all rings, so holes count as outside).
package enum Containment {
    /// Whether `p` lies inside a ring (even–odd crossing test; closure implied).
    package static func ringContains(_ ring: [Coordinate], _ p: Coordinate) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i]
            let b = ring[j]
            if (a.y > p.y) != (b.y > p.y) {
                let x = (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
                if p.x < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Whether `p` lies inside the exterior ring and outside every hole.
    package static func polygonContains(_ poly: Polygon, _ p: Coordinate) -> Bool {
        guard ringContains(poly.exterior, p) else { return false }
        return !poly.holes.contains { ringContains($0, p) }
    }

    /// Whether `p` lies inside any polygon of `g` (points and lines contain nothing).
    package static func contains(_ g: Geometry, _ p: Coordinate) -> Bool {
        g.polygons.contains { polygonContains($0, p) }
    }
}
