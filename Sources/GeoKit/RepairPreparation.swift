/// Keeps GEOS MakeValid within bounded time and memory. MakeValid (linework method) depends
/// only on the union of a polygon's edges: it nodes the linework, polygonizes it and keeps faces
/// by parity. A ring that runs over the same edges many times (winding a thousand times round a
/// square) makes its noder quadratic — seconds and hundreds of MB for 4,000 vertices — although
/// the union of its edges is four segments. `prepared` rebuilds such a polygon from its distinct
/// edges (same linework, same MakeValid result); `isTractable` refuses linework whose edges cross
/// too often to node in reasonable time.
package enum RepairPreparation {
    /// Above this many edge crossings (or when counting them would take too long) MakeValid is not run.
    package static let crossingLimit = 10_000

    /// A polygon with the same distinct edges as `p`, each once, in closed rings; `p` itself when
    /// no edge repeats; nil when the distinct edges do not close into rings (a vertex of odd degree).
    package static func prepared(_ p: Polygon) -> Polygon? {
        struct Edge: Hashable {
            var a: Coordinate, b: Coordinate
            init(_ p: Coordinate, _ q: Coordinate) {
                if (p.x, p.y) < (q.x, q.y) {
                    a = p
                    b = q
                } else {
                    a = q
                    b = p
                }
            }
        }
        var seen = Set<Edge>()
        var order: [Edge] = []
        var repeated = false
        for ring in p.rings where ring.count >= 2 {
            for i in 1..<ring.count where ring[i] != ring[i - 1] {
                let e = Edge(ring[i - 1], ring[i])
                if seen.insert(e).inserted { order.append(e) } else { repeated = true }
            }
        }
        guard repeated else { return p }
        // Hierholzer over the distinct edges: every vertex needs an even degree.
        var vertexIndex: [Coordinate: Int] = [:]
        var coords: [Coordinate] = []
        func index(_ c: Coordinate) -> Int {
            if let i = vertexIndex[c] { return i }
            vertexIndex[c] = coords.count
            coords.append(c)
            return coords.count - 1
        }
        var ends: [(Int, Int)] = []
        ends.reserveCapacity(order.count)
        for e in order { ends.append((index(e.a), index(e.b))) }
        var adjacency = [[Int]](repeating: [], count: coords.count)
        for (k, (u, v)) in ends.enumerated() {
            adjacency[u].append(k)
            adjacency[v].append(k)
        }
        guard adjacency.allSatisfy({ $0.count % 2 == 0 }) else { return nil }
        var used = [Bool](repeating: false, count: ends.count)
        var next = [Int](repeating: 0, count: coords.count)
        var rings: [[Coordinate]] = []
        for start in 0..<coords.count where next[start] < adjacency[start].count {
            // Walk closed trails from `start` until its edges are used up.
            var stack = [start]
            var trail: [Int] = []
            while let v = stack.last {
                while next[v] < adjacency[v].count && used[adjacency[v][next[v]]] { next[v] += 1 }
                if next[v] == adjacency[v].count {
                    trail.append(v)
                    stack.removeLast()
                } else {
                    let k = adjacency[v][next[v]]
                    used[k] = true
                    stack.append(ends[k].0 == v ? ends[k].1 : ends[k].0)
                }
            }
            if trail.count >= 4 { rings.append(trail.map { coords[$0] }) }
        }
        guard let first = rings.first else { return nil }
        return Polygon(exterior: first, holes: Array(rings.dropFirst()))
    }

    /// True when the polygon's edges cross or touch (beyond consecutive edges) at most
    /// `crossingLimit` times, counted within a bounded number of pair tests.
    package static func isTractable(_ p: Polygon) -> Bool {
        var rings: [[Coordinate]] = []
        for r in p.rings {
            let clean = PolygonScreen.withoutRepeats(r)
            if clean.count >= 2 { rings.append(clean) }
        }
        let n = rings.reduce(0) { $0 + $1.count - 1 }
        guard n > 0 else { return true }
        return PolygonScreen.countMeetings(rings, total: n, limit: crossingLimit) != nil
    }
}

extension PolygonScreen {
    /// The number of pairs of non-consecutive edges that meet, nil past `limit` or past a budget
    /// of 64 pair tests per edge plus `baseBudget`. Edges are swept in order of their smallest x;
    /// only pairs whose x ranges overlap are tested.
    static func countMeetings(_ rings: [[Coordinate]], total: Int, limit: Int, baseBudget: Int = 1_000_000) -> Int? {
        struct Edge {
            var minX: Double
            var maxX: Double
            var ring: Int32
            var index: Int32
        }
        var edges: [Edge] = []
        edges.reserveCapacity(total)
        for (ri, r) in rings.enumerated() {
            for i in 0..<(r.count - 1) {
                edges.append(
                    Edge(minX: min(r[i].x, r[i + 1].x), maxX: max(r[i].x, r[i + 1].x), ring: Int32(ri), index: Int32(i))
                )
            }
        }
        edges.sort { $0.minX < $1.minX }
        var budget = 64 * total + baseBudget
        var count = 0
        var active: [Edge] = []
        for e in edges {
            var k = 0
            while k < active.count {
                if active[k].maxX < e.minX {
                    active.swapAt(k, active.count - 1)
                    active.removeLast()
                    continue
                }
                let o = active[k]
                k += 1
                budget -= 1
                if budget < 0 { return nil }
                let r = rings[Int(e.ring)]
                let s = rings[Int(o.ring)]
                let i = Int(e.index)
                let j = Int(o.index)
                if e.ring == o.ring {
                    let n = r.count - 1
                    if abs(i - j) == 1 || (min(i, j) == 0 && max(i, j) == n - 1) { continue }
                }
                if segmentsMeet(r[i], r[i + 1], s[j], s[j + 1]) {
                    count += 1
                    if count > limit { return nil }
                }
            }
            active.append(e)
        }
        return count
    }
}
