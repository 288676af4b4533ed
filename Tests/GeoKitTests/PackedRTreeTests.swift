import GeoKit
import Testing

/// The packed R-tree against a brute-force scan (the independent reference): same items for
/// every query box, in ascending order, for random boxes of mixed sizes, degenerate (point)
/// boxes, items left out (nil, empty, NaN) and a tree of one item.
@Suite("Packed R-tree")
struct PackedRTreeTests {
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    static func randomBox(_ r: inout LCG, maxSize: Double) -> BoundingBox {
        let x = 107 + r.next() * 2
        let y = 11 + r.next() * 1.5
        return BoundingBox(minX: x, minY: y, maxX: x + r.next() * maxSize, maxY: y + r.next() * maxSize)
    }

    @Test(arguments: [1, 15, 16, 17, 257, 20_000])
    func sameAnswersAsABruteForceScan(_ n: Int) {
        var r = LCG(state: UInt64(n))
        var items: [BoundingBox?] = (0..<n).map { _ in Self.randomBox(&r, maxSize: r.next() < 0.01 ? 0.5 : 0.005) }
        if n > 20 {
            items[3] = nil
            items[5] = .empty
            items[7] = BoundingBox(minX: .nan, minY: 11, maxX: 108, maxY: 12)
            items[9] = BoundingBox(minX: 108, minY: 12, maxX: 108, maxY: 12)  // a point
        }
        let tree = PackedRTree(items)
        #expect(tree.count == items.filter { $0 != nil && !$0!.isEmpty && $0!.minX.isFinite }.count)
        for q in 0..<200 {
            let box =
                q == 0
                ? BoundingBox(minX: 108, minY: 12, maxX: 108, maxY: 12)
                : Self.randomBox(&r, maxSize: q % 10 == 0 ? 1 : 0.05)
            let expected = items.indices.filter { i in
                guard let b = items[i], !b.isEmpty, b.minX.isFinite else { return false }
                return b.minX <= box.maxX && b.maxX >= box.minX && b.minY <= box.maxY && b.maxY >= box.minY
            }
            #expect(tree.search(box) == expected, "query \(q) over \(n) items")
        }
    }

    @Test func emptyTreeFindsNothing() {
        #expect(PackedRTree([]).search(BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90)).isEmpty)
        #expect(PackedRTree([nil, .empty]).count == 0)
    }
}
