/// A cheap, conservative screen for invalid polygons, run on every polygon at load: it answers
/// "clearly valid" or "needs a real validity test" (GEOS). It never calls a polygon clearly valid
/// when two of its edges cross, overlap or touch, when a ring folds back on itself, is unclosed or
/// too short, when a hole lies outside its shell's box or inside another hole's box, or when parts
/// of a multipolygon have overlapping boxes. Its work is bounded: past a budget of edge pairs
/// (a ring winding a thousand times, a degenerate sweep) it answers "needs a test".
package enum PolygonScreen {
    /// True when the geometry has polygons that need a real validity test.
    package static func needsValidation(_ g: Geometry) -> Bool {
        switch g {
        case .polygon(let p): return !clearlyValid(p)
        case .multiPolygon, .collection:
            let ps = g.polygons
            return ps.contains { !clearlyValid($0) } || partsMayMeet(ps)
        default: return false
        }
    }

    /// Parts of a multipolygon whose boxes overlap (they may overlap, nest or touch).
    static func partsMayMeet(_ ps: [Polygon]) -> Bool {
        guard ps.count > 1 else { return false }
        guard ps.count <= 64 else { return true }
        let boxes = ps.map { box($0.exterior) }
        for i in 0..<boxes.count { for j in (i + 1)..<boxes.count where boxes[i].intersects(boxes[j]) { return true } }
        return false
    }

    static func box(_ ring: [Coordinate]) -> BoundingBox {
        var b = BoundingBox.empty
        b.extend(ring)
        return b
    }

    static func ringIsWellFormed(_ ring: [Coordinate]) -> Bool {
        ring.count >= 4 && ring.first == ring.last
    }

    /// True when the polygon certainly is valid.
    package static func clearlyValid(_ p: Polygon) -> Bool {
        guard ringIsWellFormed(p.exterior) else { return false }
        if !p.holes.isEmpty {
            guard p.holes.count <= 32 else { return false }
            let outer = box(p.exterior)
            var holeBoxes: [BoundingBox] = []
            for h in p.holes {
                guard ringIsWellFormed(h) else { return false }
                let b = box(h)
                guard outer.contains(b), Containment.ringContains(p.exterior, h[0]) else { return false }
                if holeBoxes.contains(where: { $0.intersects(b) }) { return false }
                holeBoxes.append(b)
            }
        }
        var rings: [[Coordinate]] = []
        rings.reserveCapacity(1 + p.holes.count)
        for r in p.rings { rings.append(withoutRepeats(r)) }
        if rings.contains(where: { $0.count < 4 }) { return false }
        return !edgesMeet(rings)
    }

    /// The ring without consecutive repeated points (a copy only when it has some).
    static func withoutRepeats(_ r: [Coordinate]) -> [Coordinate] {
        var hasRepeat = false
        for i in 1..<r.count where r[i] == r[i - 1] {
            hasRepeat = true
            break
        }
        guard hasRepeat else { return r }
        var out: [Coordinate] = [r[0]]
        for c in r.dropFirst() where c != out[out.count - 1] { out.append(c) }
        return out
    }

    @inline(__always)
    static func orient(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }

    @inline(__always)
    static func onSegment(_ a: Coordinate, _ b: Coordinate, _ p: Coordinate) -> Bool {
        p.x >= min(a.x, b.x) && p.x <= max(a.x, b.x) && p.y >= min(a.y, b.y) && p.y <= max(a.y, b.y)
    }

    /// True when segments ab and cd share a point (crossing, touching or overlapping).
    @inline(__always)
    static func segmentsMeet(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, _ d: Coordinate) -> Bool {
        if max(a.x, b.x) < min(c.x, d.x) || max(c.x, d.x) < min(a.x, b.x) || max(a.y, b.y) < min(c.y, d.y)
            || max(c.y, d.y) < min(a.y, b.y)
        {
            return false
        }
        let d1 = orient(c, d, a)
        let d2 = orient(c, d, b)
        let d3 = orient(a, b, c)
        let d4 = orient(a, b, d)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        if d1 == 0 && onSegment(c, d, a) { return true }
        if d2 == 0 && onSegment(c, d, b) { return true }
        if d3 == 0 && onSegment(a, b, c) { return true }
        if d4 == 0 && onSegment(a, b, d) { return true }
        return false
    }

    /// Consecutive edges a→b→c fold back (a spike) when they are collinear and point the same way from b.
    @inline(__always)
    static func foldsBack(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Bool {
        orient(a, b, c) == 0 && (a.x - b.x) * (c.x - b.x) + (a.y - b.y) * (c.y - b.y) > 0
    }

    /// True when two edges of the rings meet anywhere but at the shared vertex of consecutive
    /// edges, or when consecutive edges fold back. Rings are closed, without repeated points.
    static func edgesMeet(_ rings: [[Coordinate]]) -> Bool {
        var total = 0
        for r in rings { total += r.count - 1 }
        // Adjacent edges: spikes.
        for r in rings {
            let n = r.count - 1
            for i in 0..<n where foldsBack(r[i], r[i + 1], r[(i + 2) % n]) { return true }
        }
        if total <= 24 {
            for (ri, r) in rings.enumerated() {
                let n = r.count - 1
                for i in 0..<n {
                    for (rj, s) in rings.enumerated() where rj >= ri {
                        let m = s.count - 1
                        for j in (rj == ri ? i + 1 : 0)..<m {
                            if rj == ri && (j == i + 1 || (i == 0 && j == n - 1)) { continue }
                            if segmentsMeet(r[i], r[i + 1], s[j], s[j + 1]) { return true }
                        }
                    }
                }
            }
            return false
        }
        return sweep(rings, total: total)
    }

    /// Sweep over edges sorted by their smallest x; pairs whose x ranges overlap are tested.
    /// Gives up (answers true, "needs a test") past 64 pair tests per edge plus 100,000.
    static func sweep(_ rings: [[Coordinate]], total: Int) -> Bool {
        // No meeting allowed: the first one, like an exhausted budget, ends the count with nil.
        countMeetings(rings, total: total, limit: 0, baseBudget: 100_000) != 0
    }
}
