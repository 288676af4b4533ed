import GeoMonitor

/// The attribute filters of a layer (`kind`, `status`, `district`, `datetime`) as bitsets
/// built once: a filtered request intersects a few bitsets instead of scanning every feature.
struct FilterIndex: Sendable {
    let count: Int
    let byKind: [ProjectKind: FeatureBitset]
    let byStatus: [ProjectStatus: FeatureBitset]
    let byLocality: [String: FeatureBitset]
    /// Features with a date, by day (ordinal), in date order.
    let dated: [(day: Int, index: Int)]

    init(_ features: [RenderedFeature]) {
        count = features.count
        var kinds: [ProjectKind: FeatureBitset] = [:]
        var statuses: [ProjectStatus: FeatureBitset] = [:]
        var localities: [String: FeatureBitset] = [:]
        var dated: [(day: Int, index: Int)] = []
        let empty = FeatureBitset(count: features.count)
        for (i, f) in features.enumerated() {
            if let k = f.kind { kinds[k, default: empty].insert(i) }
            if let s = f.status { statuses[s, default: empty].insert(i) }
            for c in f.localityCodes { localities[c, default: empty].insert(i) }
            if let d = f.date { dated.append((d.ordinal, i)) }
        }
        dated.sort { $0.day < $1.day || ($0.day == $1.day && $0.index < $1.index) }
        byKind = kinds
        byStatus = statuses
        byLocality = localities
        self.dated = dated
    }

    /// The features passing the query's attribute filters; nil when it has none (all pass).
    /// `temporal`: whether `datetime` applies to this layer.
    func matching(_ q: ItemsQuery, temporal: Bool) -> FeatureBitset? {
        var result: FeatureBitset? = nil
        func and(_ b: FeatureBitset) {
            if result == nil { result = b } else { result?.formIntersection(b) }
        }
        let empty = FeatureBitset(count: count)
        if !q.kinds.isEmpty {
            var u = empty
            for k in q.kinds { if let b = byKind[k] { u.formUnion(b) } }
            and(u)
        }
        if !q.statuses.isEmpty {
            var u = empty
            for s in q.statuses { if let b = byStatus[s] { u.formUnion(b) } }
            and(u)
        }
        if let d = q.district { and(byLocality[d] ?? empty) }
        if temporal, let interval = q.datetime {
            let lo = interval.start?.ordinal ?? Int.min
            let hi = interval.end?.ordinal ?? Int.max
            var u = empty
            var i = lowerBound(lo)
            while i < dated.count, dated[i].day <= hi {
                u.insert(dated[i].index)
                i += 1
            }
            and(u)
        }
        return result
    }

    /// The first position in `dated` whose day is ≥ `day`.
    private func lowerBound(_ day: Int) -> Int {
        var lo = 0
        var hi = dated.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if dated[mid].day < day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
