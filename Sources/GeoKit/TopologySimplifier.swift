/// Simplifies a set of polygons that share borders, so that neighbours still meet: each border
/// run between junctions is simplified once (Douglas–Peucker) and reused by both sides. Also
/// yields the distinct arcs, so shared borders can be stroked once.
package struct TopologySimplifier {
    struct Key: Hashable {
        let x: UInt64
        let y: UInt64
        init(_ c: Coordinate) {
            x = (c.x + 0).bitPattern
            y = (c.y + 0).bitPattern
        }
    }

    /// A border run: its points and how many rings use it (1 = outer edge, 2+ = shared).
    package struct Arc {
        /// The run's points, simplified.
        package var points: [Coordinate]
        /// The rings using it (indices into the input).
        package var rings: [Int]
    }

    /// The Douglas–Peucker tolerance, in the rings' units (0 keeps every point).
    package let tolerance: Double

    /// A simplifier with this tolerance.
    package init(tolerance: Double) { self.tolerance = tolerance }

    /// - Parameter rings: closed rings (first == last), each tagged with its owner (locality index).
    /// - Returns: the simplified rings (same order) and the distinct arcs.
    package func simplify(_ rings: [(owner: Int, ring: [Coordinate])]) -> (rings: [[Coordinate]], arcs: [Arc]) {
        var users: [Key: [Int]] = [:]
        for (ri, r) in rings.enumerated() {
            for c in r.ring.dropLast() {
                let k = Key(c)
                if users[k]?.last != ri { users[k, default: []].append(ri) }
            }
        }
        var cache: [[Key]: [Coordinate]] = [:]
        var arcs: [Arc] = []
        var out: [[Coordinate]] = []
        for (ri, r) in rings.enumerated() {
            let pts = Array(r.ring.dropLast())
            let n = pts.count
            guard n >= 3 else {
                out.append(r.ring)
                continue
            }
            let sets = pts.map { users[Key($0)] ?? [ri] }
            var fixed = [Bool](repeating: false, count: n)
            for i in 0..<n {
                let prev = sets[(i + n - 1) % n]
                let next = sets[(i + 1) % n]
                fixed[i] = sets[i].count >= 3 || sets[i] != prev || sets[i] != next
            }
            if !fixed.contains(true) {
                // A ring shared whole (an enclave) or alone: anchor it at its smallest vertex.
                let i = pts.indices.min { (pts[$0].x, pts[$0].y) < (pts[$1].x, pts[$1].y) }!
                fixed[i] = true
                if n > 3 { fixed[(i + n / 2) % n] = true }
            }
            let first = fixed.firstIndex(of: true)!
            var result: [Coordinate] = []
            var i = first
            repeat {
                var j = (i + 1) % n
                var run = [pts[i]]
                while !fixed[j] {
                    run.append(pts[j])
                    j = (j + 1) % n
                }
                run.append(pts[j])
                let keys = run.map(Key.init)
                let reversed = Array(keys.reversed())
                let canonicalForward = lexLess(keys, reversed) || keys == reversed
                let ck = canonicalForward ? keys : reversed
                let simplified: [Coordinate]
                if let s = cache[ck] {
                    simplified = canonicalForward ? s : s.reversed()
                } else {
                    let canon = canonicalForward ? run : run.reversed()
                    let s = douglasPeucker(canon)
                    cache[ck] = s
                    arcs.append(
                        Arc(
                            points: s,
                            rings: sets[i].count >= 2 && sets[j].count >= 2
                                ? commonRings(run.map { users[Key($0)] ?? [ri] }) : [ri]))
                    simplified = canonicalForward ? s : s.reversed()
                }
                result.append(contentsOf: simplified.dropLast())
                i = j
            } while i != first
            result.append(result[0])
            out.append(result)
        }
        return (out, arcs)
    }

    func commonRings(_ sets: [[Int]]) -> [Int] {
        guard var common = sets.first else { return [] }
        for s in sets.dropFirst() { common = common.filter(s.contains) }
        return common
    }

    func lexLess(_ a: [Key], _ b: [Key]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return (x.x, x.y) < (y.x, y.y) }
        return a.count < b.count
    }

    func douglasPeucker(_ pts: [Coordinate]) -> [Coordinate] {
        guard pts.count > 2, tolerance > 0 else { return pts }
        var keep = [Bool](repeating: false, count: pts.count)
        keep[0] = true
        keep[pts.count - 1] = true
        var stack = [(0, pts.count - 1)]
        let tol2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var maxD = -1.0
            var idx = a
            for k in (a + 1)..<b {
                let d = segmentDistance2(pts[k], pts[a], pts[b])
                if d > maxD {
                    maxD = d
                    idx = k
                }
            }
            if maxD > tol2 {
                keep[idx] = true
                stack.append((a, idx))
                stack.append((idx, b))
            }
        }
        return pts.indices.filter { keep[$0] }.map { pts[$0] }
    }

    @inline(__always) func segmentDistance2(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        Planar.segmentDistanceSquared(p, a, b)
    }
}
