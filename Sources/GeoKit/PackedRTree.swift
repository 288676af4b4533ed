/// A static R-tree over bounding boxes, packed once and then only searched: items are sorted
/// along a Hilbert curve through their centres and grouped `nodeSize` at a time, level by level.
/// Building is O(n log n); a box search visits only the nodes it meets, so it answers in
/// microseconds over a million items. Immutable and `Sendable`: share one between threads.
package struct PackedRTree: Sendable {
    /// Children per node.
    package let nodeSize: Int
    /// Number of items indexed.
    package let count: Int
    /// Node and item boxes, four numbers each (minX, minY, maxX, maxY): items first (in Hilbert
    /// order), then each level of nodes up to the root.
    private let boxes: [Double]
    /// For an item slot, the item's index in the input; for a node slot, its first child's slot.
    private let links: [Int]
    /// Where each level starts in slots (level 0 = items); the last level holds only the root.
    private let levelStarts: [Int]

    /// Indexes `boxes`; a nil or empty box is left out (never found).
    package init(_ items: [BoundingBox?], nodeSize: Int = 16) {
        self.nodeSize = max(2, nodeSize)
        // The items kept, with their boxes.
        var kept: [(index: Int, box: BoundingBox)] = []
        kept.reserveCapacity(items.count)
        var extent = BoundingBox.empty
        for (i, b) in items.enumerated() {
            guard let b, !b.isEmpty, b.minX.isFinite, b.minY.isFinite, b.maxX.isFinite, b.maxY.isFinite else {
                continue
            }
            kept.append((i, b))
            extent.extend(b)
        }
        count = kept.count
        guard !kept.isEmpty else {
            boxes = []
            links = []
            levelStarts = [0]
            return
        }
        // Hilbert order of the centres on a 65 536 × 65 536 grid over the extent.
        let w = max(extent.width, .leastNonzeroMagnitude)
        let h = max(extent.height, .leastNonzeroMagnitude)
        let scale = 65_535.0
        var keys = [UInt64](repeating: 0, count: kept.count)
        for (k, (_, b)) in kept.enumerated() {
            let x = UInt32(((b.minX + b.maxX) / 2 - extent.minX) / w * scale)
            let y = UInt32(((b.minY + b.maxY) / 2 - extent.minY) / h * scale)
            keys[k] = UInt64(Self.hilbert(x, y)) << 32 | UInt64(k)
        }
        keys.sort()
        var bx: [Double] = []
        var ln: [Int] = []
        bx.reserveCapacity(kept.count * 4 * 9 / 8 + 8)
        ln.reserveCapacity(kept.count * 9 / 8 + 2)
        for key in keys {
            let (i, b) = kept[Int(key & 0xFFFF_FFFF)]
            bx += [b.minX, b.minY, b.maxX, b.maxY]
            ln.append(i)
        }
        var starts = [0]
        var levelStart = 0
        var levelEnd = ln.count
        let size = self.nodeSize
        while levelEnd - levelStart > 1 {
            starts.append(levelEnd)
            var slot = levelStart
            while slot < levelEnd {
                let end = min(levelEnd, slot + size)
                var minX = Double.infinity
                var minY = Double.infinity
                var maxX = -Double.infinity
                var maxY = -Double.infinity
                for c in slot..<end {
                    minX = min(minX, bx[4 * c])
                    minY = min(minY, bx[4 * c + 1])
                    maxX = max(maxX, bx[4 * c + 2])
                    maxY = max(maxY, bx[4 * c + 3])
                }
                bx += [minX, minY, maxX, maxY]
                ln.append(slot)
                slot = end
            }
            levelStart = levelEnd
            levelEnd = ln.count
        }
        boxes = bx
        links = ln
        levelStarts = starts
    }

    /// Indices (into the array the tree was built from) of the items whose box meets `box`
    /// (edges touching count), in ascending order.
    package func search(_ box: BoundingBox) -> [Int] {
        var out: [Int] = []
        visit(box) { out.append($0) }
        out.sort()
        return out
    }

    /// Calls `body` with the index of every item whose box meets `box`, in no particular order.
    package func visit(_ box: BoundingBox, _ body: (Int) -> Void) {
        guard count > 0, !box.isEmpty else { return }
        let top = links.count - 1
        // Stack of (slot, level) for nodes whose box meets the query.
        var stack: [(Int, Int)] = [(top, levelStarts.count - 1)]
        while let (slot, level) = stack.popLast() {
            guard meets(slot, box) else { continue }
            if level == 0 {
                body(links[slot])
                continue
            }
            let first = links[slot]
            let end = min(first + nodeSize, levelStarts[level])
            for c in first..<end { stack.append((c, level - 1)) }
        }
    }

    @inline(__always) private func meets(_ slot: Int, _ b: BoundingBox) -> Bool {
        let k = 4 * slot
        return boxes[k] <= b.maxX && boxes[k + 1] <= b.maxY && boxes[k + 2] >= b.minX && boxes[k + 3] >= b.minY
    }

    /// Position of (x, y) along a Hilbert curve filling a 2¹⁶ × 2¹⁶ grid.
    static func hilbert(_ x0: UInt32, _ y0: UInt32) -> UInt32 {
        var x = x0
        var y = y0
        var d: UInt32 = 0
        var s: UInt32 = 1 << 15
        while s > 0 {
            let rx: UInt32 = (x & s) > 0 ? 1 : 0
            let ry: UInt32 = (y & s) > 0 ? 1 : 0
            d += s * s * ((3 * rx) ^ ry)
            // Rotate the quadrant so the curve stays continuous.
            if ry == 0 {
                if rx == 1 {
                    x = 65_535 - x
                    y = 65_535 - y
                }
                swap(&x, &y)
            }
            s >>= 1
        }
        return d
    }
}
