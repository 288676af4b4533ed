/// A set of feature positions as one bit each: intersections, counts and pages of a
/// 200,000-feature layer take a few thousand word operations, whatever the filter matches.
struct FeatureBitset: Sendable {
    private(set) var words: [UInt64]
    let count: Int

    /// The empty set over `count` features.
    init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func formIntersection(_ other: FeatureBitset) {
        for w in words.indices { words[w] &= other.words[w] }
    }

    mutating func formUnion(_ other: FeatureBitset) {
        for w in words.indices { words[w] |= other.words[w] }
    }

    /// How many positions are set.
    var population: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Up to `limit` set positions in order, after skipping the first `offset` of them
    /// (whole words are skipped by their population).
    func page(offset: Int, limit: Int) -> [Int] {
        var skip = offset
        var out: [Int] = []
        out.reserveCapacity(min(limit, 1024))
        for (w, word) in words.enumerated() where word != 0 {
            let n = word.nonzeroBitCount
            if skip >= n {
                skip -= n
                continue
            }
            var rest = word
            while rest != 0 {
                let bit = rest.trailingZeroBitCount
                rest &= rest - 1
                if skip > 0 {
                    skip -= 1
                    continue
                }
                out.append(w << 6 | bit)
                if out.count == limit { return out }
            }
        }
        return out
    }
}
