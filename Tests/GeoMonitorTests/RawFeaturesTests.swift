import GDALKit
import GeoKit
import Testing

@testable import GeoMonitor

/// Joining parts of a layer that share features (FlatGeobuf strips): every feature once, in
/// feature-id order, carrying the values its first part read; checked against a sort and a
/// de-duplication done by hand.
@Suite("Raw features: merging overlapping parts")
struct RawFeaturesTests {
    /// A part holding these feature ids, each with the value "part:id" and a point at (id, part).
    static func part(_ k: Int, _ fids: [Int64]) -> RawFeatures {
        var r = RawFeatures()
        r.fids = fids
        r.values = fids.map { [.string("\(k):\($0)")] }
        r.geometries = fids.map { .point(Coordinate(x: Double($0), y: Double(k))) }
        r.seenFids = fids + [1000 + Int64(k)]
        r.seenTexts = fids.map { "\(k):\($0)" } + [nil]
        return r
    }

    @Test func eachFeatureOnceInOrder() {
        let lists: [[Int64]] = [[1, 3, 5, 9], [2, 3, 6], [], [0, 5, 7, 9, 11]]
        let merged = RawFeatures(merging: lists.enumerated().map { Self.part($0.offset, $0.element) })
        #expect(merged.fids == [0, 1, 2, 3, 5, 6, 7, 9, 11])
        // The first part (in part order) holding a feature gives its values and geometry.
        let first: [Int64: Int] = [0: 3, 1: 0, 2: 1, 3: 0, 5: 0, 6: 1, 7: 3, 9: 0, 11: 3]
        for (i, fid) in merged.fids.enumerated() {
            let k = first[fid] ?? -1
            #expect(merged.values[i] == [.string("\(k):\(fid)")], "feature \(fid)")
            #expect(merged.geometries[i] == .point(Coordinate(x: Double(fid), y: Double(k))), "feature \(fid)")
        }
        #expect(merged.seenFids == [0, 1, 2, 3, 5, 6, 7, 9, 11, 1000, 1001, 1002, 1003])
        #expect(merged.seenTexts.prefix(3) == ["3:0", "0:1", "1:2"])
        #expect(merged.seenTexts.suffix(4).allSatisfy { $0 == nil })
    }

    @Test func mergeOrderMatchesSortingAndDeduplicating() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let lists = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                Array(Set((0..<Int.random(in: 0...40, using: &rng)).map { _ in Int64.random(in: 0..<60, using: &rng) }))
                    .sorted()
            }
            let order = RawFeatures.mergeOrder(lists)
            #expect(order.map { lists[$0.0][$0.1] } == Array(Set(lists.joined())).sorted())
            // Each id from the first list holding it.
            #expect(order.allSatisfy { p in !lists[..<p.0].contains { $0.contains(lists[p.0][p.1]) } })
        }
    }
}
