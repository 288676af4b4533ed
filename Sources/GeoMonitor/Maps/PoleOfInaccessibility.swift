/// The pole of inaccessibility of a polygon (Mapbox's "polylabel"): the interior point farthest
/// from the boundary, where a label fits best. Returns the point and its distance to the edge.
enum PoleOfInaccessibility {
    static func find(_ polygon: Polygon, precision: Double = 1) -> (Coordinate, Double) {
        guard let box = Geometry.polygon(polygon).bounds, box.width > 0, box.height > 0 else {
            return (polygon.exterior.first ?? Coordinate(0, 0), 0)
        }
        let cell = min(box.width, box.height)
        var h = cell / 2
        struct Cell {
            let c: Coordinate
            let h: Double
            let d: Double
            var max: Double { d + h * 2.0.squareRoot() }
        }
        func make(_ c: Coordinate, _ h: Double) -> Cell { Cell(c: c, h: h, d: signedDistance(c, polygon), ) }
        var queue: [Cell] = []
        var x = box.minX
        while x < box.maxX {
            var y = box.minY
            while y < box.maxY {
                queue.append(make(Coordinate(x + h, y + h), h))
                y += cell
            }
            x += cell
        }
        var best = make(box.center, 0)
        var iterations = 0
        while !queue.isEmpty && iterations < 20_000 {
            iterations += 1
            let i = queue.indices.max { queue[$0].max < queue[$1].max }!
            let c = queue.remove(at: i)
            if c.d > best.d { best = c }
            if c.max - best.d <= precision { continue }
            h = c.h / 2
            for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
                queue.append(make(Coordinate(c.c.x + dx, c.c.y + dy), h))
            }
        }
        return (best.c, best.d)
    }

    /// Distance to the polygon's boundary, positive inside, negative outside.
    static func signedDistance(_ p: Coordinate, _ poly: Polygon) -> Double {
        var inside = false
        var minD2 = Double.infinity
        for ring in poly.rings where ring.count > 1 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i]
                let b = ring[j]
                if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                minD2 = min(minD2, Planar.segmentDistanceSquared(p, a, b))
                j = i
            }
        }
        return (inside ? 1 : -1) * minD2.squareRoot()
    }
}
