/// A raster classification of a set of polygonal regions (districts of a province) for fast
/// point and box location: every cell is either wholly inside one region (no boundary crosses
/// it), wholly outside all regions, or a boundary cell, which remembers the region edges that
/// cross it. A small feature whose box covers only interior cells of one region lies in that
/// region without any geometric test.
package struct RegionGrid: Sendable {
    /// The class of a grid cell, or of a box of cells.
    package enum Cell: Equatable, Sendable {
        /// Outside every region.
        case outside
        /// Wholly inside the region with this index (no region edge crosses it).
        case inside(Int)
        /// Crossed by at least one region edge (or, for a box, covering cells of several classes).
        case boundary
    }

    /// One region edge: from `a` to `b`, of region `region`.
    package struct Edge: Sendable {
        package let a: Coordinate
        package let b: Coordinate
        package let region: Int
    }

    /// The area the grid covers: the regions' bounding box, padded by a hair.
    package let bounds: BoundingBox
    /// Number of cell columns.
    package let nx: Int
    /// Number of cell rows.
    package let ny: Int
    let cw: Double
    let ch: Double
    /// -1 outside, -2 boundary, else region index.
    var cells: [Int32]
    /// Edges crossing each cell (indices into `edges`), cell by cell: those of cell k are
    /// `cellEdgeIDs[cellStart[k] ..< cellStart[k + 1]]`, in edge order.
    var cellStart: [Int32] = []
    var cellEdgeIDs: [Int32] = []
    /// Every edge of every region's rings.
    package let edges: [Edge]
    /// Each region's rank in ties: where regions overlap, a cell goes to the region of lowest rank.
    package let priority: [Int]
    /// Regions sharing an interior cell with another region (overlapping boundary polygons). In
    /// such a cell only the winner by `priority` "contains" a point, so boundary walks against
    /// these regions are not exact.
    package private(set) var overlapping: Set<Int> = []

    /// - Parameters:
    ///   - regions: the polygons of each region, in one planar coordinate system.
    ///   - resolution: cells along the longer side.
    ///   - priority: each region's rank where regions overlap (lowest wins); default: their order.
    package init(regions: [[Polygon]], resolution: Int = 512, priority: [Int]? = nil) {
        let prio = priority ?? Array(regions.indices)
        self.priority = prio
        var box = BoundingBox.empty
        var edges: [Edge] = []
        for (ri, polys) in regions.enumerated() {
            for p in polys {
                for ring in p.rings where ring.count >= 2 {
                    box.extend(Geometry.lineString(ring).bounds ?? .empty)
                    for i in 1..<ring.count where ring[i - 1] != ring[i] {
                        edges.append(Edge(a: ring[i - 1], b: ring[i], region: ri))
                    }
                    if let f = ring.first, let l = ring.last, f != l { edges.append(Edge(a: l, b: f, region: ri)) }
                }
            }
        }
        if box.isEmpty { box = BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1) }
        let pad = max(box.width, box.height) * 1e-6 + 1e-12
        box = box.expanded(by: pad)
        bounds = box
        let longer = max(box.width, box.height)
        let size = longer / Double(max(1, resolution))
        nx = max(1, Int((box.width / size).rounded(.up)))
        ny = max(1, Int((box.height / size).rounded(.up)))
        cw = box.width / Double(nx)
        ch = box.height / Double(ny)
        self.edges = edges
        cells = [Int32](repeating: -1, count: nx * ny)
        // 1. Boundary cells: every cell an edge passes through (exact supercover, column by column),
        // gathered as (cell, edge) pairs, then laid out cell by cell (a counting sort).
        var pairs: [(cell: Int32, edge: Int32)] = []
        pairs.reserveCapacity(edges.count * 2)
        for (ei, e) in edges.enumerated() {
            let x0 = min(e.a.x, e.b.x)
            let x1 = max(e.a.x, e.b.x)
            let c0 = col(x0)
            let c1 = col(x1)
            for c in c0...c1 {
                let cx0 = max(x0, bounds.minX + Double(c) * cw)
                let cx1 = min(x1, bounds.minX + Double(c + 1) * cw)
                let vertical = e.a.x == e.b.x
                let ya = vertical ? e.a.y : yAt(e, cx0)
                let yb = vertical ? e.b.y : yAt(e, cx1)
                let r0 = row(min(ya, yb) - ch * 1e-9)
                let r1 = row(max(ya, yb) + ch * 1e-9)
                for r in r0...r1 {
                    let k = r * nx + c
                    cells[k] = -2
                    pairs.append((Int32(k), Int32(ei)))
                }
            }
        }
        // Counts, summed into each cell's end; then, walking the pairs backwards, each end steps
        // back to its cell's start while the edges land in edge order (no second array of cells).
        var start = [Int32](repeating: 0, count: nx * ny + 1)
        for p in pairs { start[Int(p.cell)] += 1 }
        for k in 1..<max(1, nx * ny) { start[k] += start[k - 1] }
        start[nx * ny] = Int32(pairs.count)
        var ids = [Int32](repeating: 0, count: pairs.count)
        for p in pairs.reversed() {
            start[Int(p.cell)] -= 1
            ids[Int(start[Int(p.cell)])] = p.edge
        }
        cellStart = start
        cellEdgeIDs = ids
        // 2. The other cells: scanline through each row's centre (even–odd per region). Each
        // row visits only the edges spanning its centre line (bucketed once), not every edge.
        var rowEdges = [[Int32]](repeating: [], count: ny)
        for (ei, e) in edges.enumerated() where e.a.y != e.b.y {
            let lo = (min(e.a.y, e.b.y) - bounds.minY) / ch - 0.5
            let hi = (max(e.a.y, e.b.y) - bounds.minY) / ch - 0.5
            guard lo.isFinite, hi.isFinite else { continue }
            // One row of slack each side: the exact test below decides.
            let r0 = max(0, Int(max(-1, lo.rounded(.up))) - 1)
            let r1 = min(ny - 1, Int(min(Double(ny), hi.rounded(.down))) + 1)
            if r0 <= r1 { for r in r0...r1 { rowEdges[r].append(Int32(ei)) } }
        }
        var xs: [(Double, Int)] = []
        var overlapping = Set<Int>()
        // The regions the scanline is inside between two crossings, in the order it entered them.
        var active: [Int] = []
        let minX = bounds.minX
        let cellWidth = cw
        func centre(_ c: Int) -> Double { minX + (Double(c) + 0.5) * cellWidth }
        for r in 0..<ny {
            let y = bounds.minY + (Double(r) + 0.5) * ch
            xs.removeAll(keepingCapacity: true)
            for ei in rowEdges[r] {
                let e = edges[Int(ei)]
                guard (e.a.y > y) != (e.b.y > y) else { continue }
                xs.append((e.a.x + (y - e.a.y) * (e.b.x - e.a.x) / (e.b.y - e.a.y), e.region))
            }
            xs.sort { $0.0 < $1.0 }
            active.removeAll(keepingCapacity: true)
            // A cell's centre x is inside the regions of the crossings left of it (x < centre):
            // the columns between two crossings share one class, filled as a run.
            var c = 0
            var k = 0
            while c < nx {
                while k < xs.count && xs[k].0 < centre(c) {
                    let ri = xs[k].1
                    if let at = active.firstIndex(of: ri) { active.remove(at: at) } else { active.append(ri) }
                    k += 1
                }
                // The run ends before the first column whose centre lies right of the next crossing.
                var end = nx
                if k < xs.count {
                    let guess = Int(max(0, min(Double(nx), ((xs[k].0 - minX) / cellWidth - 0.5).rounded(.up))))
                    end = max(c + 1, guess)
                    while end > c + 1 && xs[k].0 < centre(end - 1) { end -= 1 }
                    while end < nx && !(xs[k].0 < centre(end)) { end += 1 }
                }
                if !active.isEmpty {
                    let ri: Int
                    if active.count == 1 {
                        ri = active[0]
                    } else {
                        ri = active.min { (prio[$0], $0) < (prio[$1], $1) } ?? active[0]
                    }
                    var any = false
                    for idx in (r * nx + c)..<(r * nx + end) where cells[idx] != -2 {
                        cells[idx] = Int32(ri)
                        any = true
                    }
                    if any && active.count > 1 { overlapping.formUnion(active) }
                }
                c = end
            }
        }
        self.overlapping = overlapping
    }

    @inline(__always) func col(_ x: Double) -> Int {
        let v = ((x - bounds.minX) / cw).rounded(.down)
        return v.isFinite ? min(nx - 1, max(0, Int(max(-1, min(Double(nx), v))))) : 0
    }
    @inline(__always) func row(_ y: Double) -> Int {
        let v = ((y - bounds.minY) / ch).rounded(.down)
        return v.isFinite ? min(ny - 1, max(0, Int(max(-1, min(Double(ny), v))))) : 0
    }
    @inline(__always) func yAt(_ e: Edge, _ x: Double) -> Double {
        let dx = e.b.x - e.a.x
        return dx == 0 ? (x == e.a.x ? e.a.y : (e.a.y + e.b.y) / 2) : e.a.y + (x - e.a.x) * (e.b.y - e.a.y) / dx
    }

    /// The class of the cell holding a point (outside the grid is outside).
    package func cell(at p: Coordinate) -> Cell {
        guard bounds.contains(p) else { return .outside }
        let v = cells[row(p.y) * nx + col(p.x)]
        return v == -1 ? .outside : (v == -2 ? .boundary : .inside(Int(v)))
    }

    /// Where a box lies: `.inside(i)` when every cell it covers is interior to region i,
    /// `.outside` when every cell is outside all regions, `.boundary` otherwise.
    package func classify(_ box: BoundingBox) -> Cell {
        if !box.intersects(bounds) { return .outside }
        if !bounds.contains(box) { return .boundary }
        let c0 = col(box.minX)
        let c1 = col(box.maxX)
        let r0 = row(box.minY)
        let r1 = row(box.maxY)
        let first = cells[r0 * nx + c0]
        if first == -2 { return .boundary }
        for r in r0...r1 {
            for c in c0...c1 where cells[r * nx + c] != first { return .boundary }
        }
        return first == -1 ? .outside : .inside(Int(first))
    }

    /// Regions possibly meeting a box: interior and boundary cells' regions.
    package func candidates(_ box: BoundingBox) -> [Int] {
        let b = box.intersects(bounds) ? box : BoundingBox.empty
        guard !b.isEmpty else { return [] }
        let c0 = col(b.minX)
        let c1 = col(b.maxX)
        let r0 = row(b.minY)
        let r1 = row(b.maxY)
        var seen = Set<Int>()
        for r in r0...r1 {
            for c in c0...c1 {
                let k = r * nx + c
                let v = cells[k]
                if v >= 0 {
                    seen.insert(Int(v))
                } else if v == -2 {
                    for e in edgeIDs(inCell: k) { seen.insert(edges[Int(e)].region) }
                }
            }
        }
        return seen.sorted()
    }

    /// Edges of `region` crossing cells the box covers (deduplicated).
    package func edges(of region: Int, near box: BoundingBox) -> [Edge] {
        guard box.intersects(bounds) else { return [] }
        let c0 = col(box.minX)
        let c1 = col(box.maxX)
        let r0 = row(box.minY)
        let r1 = row(box.maxY)
        var ids: [Int32] = []
        for r in r0...r1 {
            for c in c0...c1 {
                for e in edgeIDs(inCell: r * nx + c) where edges[Int(e)].region == region { ids.append(e) }
            }
        }
        return edges(sortedOnce: ids)
    }

    /// Edges of every region crossing cells the box covers (deduplicated).
    package func edges(near box: BoundingBox) -> [Edge] {
        guard box.intersects(bounds) else { return [] }
        let c0 = col(box.minX)
        let c1 = col(box.maxX)
        let r0 = row(box.minY)
        let r1 = row(box.maxY)
        var ids: [Int32] = []
        for r in r0...r1 { for c in c0...c1 { ids += edgeIDs(inCell: r * nx + c) } }
        return edges(sortedOnce: ids)
    }

    /// The edges of `ids` in edge order, each once (an edge crossing several cells is listed by
    /// each): sorted, then repeats dropped, where a Set would hash every id.
    private func edges(sortedOnce ids: [Int32]) -> [Edge] {
        let sorted = ids.sorted()
        var out: [Edge] = []
        out.reserveCapacity(sorted.count)
        for (k, id) in sorted.enumerated() where k == 0 || sorted[k - 1] != id { out.append(edges[Int(id)]) }
        return out
    }

    /// The edges crossing cell `k` (indices into `edges`), in edge order.
    @inline(__always) func edgeIDs(inCell k: Int) -> ArraySlice<Int32> {
        cellEdgeIDs[Int(cellStart[k])..<Int(cellStart[k + 1])]
    }

    /// Point-in-region test (even–odd over the region's rings), using the grid where it can.
    package func contains(region: Int, _ p: Coordinate) -> Bool {
        switch cell(at: p) {
        case .inside(let i): return i == region
        case .outside: return false
        case .boundary: return rowParity(region: region, p)
        }
    }

    /// Even–odd along p's row of cells: from the nearest cell on the left that no edge crosses
    /// (its class is known; left of the grid is outside) to p, counting the crossings of the
    /// region's edges registered in the boundary cells in between. Each crossing is counted in
    /// the one cell its point lies in. O(edges nearby) rather than O(vertices of the region).
    func rowParity(region: Int, _ p: Coordinate) -> Bool {
        let r = row(p.y)
        let c = col(p.x)
        var k = c - 1
        while k >= 0 && cells[r * nx + k] == -2 { k -= 1 }
        var inside = k >= 0 && cells[r * nx + k] == Int32(region)
        for cc in (k + 1)...c {
            let ids = edgeIDs(inCell: r * nx + cc)
            if ids.isEmpty { continue }
            for id in ids {
                let e = edges[Int(id)]
                guard e.region == region, (e.a.y > p.y) != (e.b.y > p.y) else { continue }
                let x = e.a.x + (p.y - e.a.y) * (e.b.x - e.a.x) / (e.b.y - e.a.y)
                if col(x) == cc && (cc < c || x < p.x) { inside.toggle() }
            }
        }
        return inside
    }
}
