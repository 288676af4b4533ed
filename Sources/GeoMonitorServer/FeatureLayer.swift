import GeoKit
import GeoMonitor

/// A collection served under `/collections/{id}`.
struct FeatureLayer: Sendable {
    let id: String
    let title: String
    let description: String
    let features: [RenderedFeature]
    let byID: [String: Int]
    let extent: BoundingBox
    let temporal: (start: Day, end: Day)?
    /// A packed R-tree over the features' boxes: a `bbox` request tests only what it meets.
    let index: PackedRTree
    /// Bitsets of the attribute filters.
    let filters: FilterIndex

    init(id: String, title: String, description: String, features: [RenderedFeature]) {
        self.id = id; self.title = title; self.description = description; self.features = features
        index = PackedRTree(features.map(\.bounds))
        filters = FilterIndex(features)
        var m: [String: Int] = [:]
        for (i, f) in features.enumerated() where m[f.id] == nil { m[f.id] = i }
        byID = m
        var box = BoundingBox.empty
        for f in features { if let b = f.bounds { box.extend(b) } }
        extent = box
        let days = features.compactMap(\.date)
        if let lo = days.min(), let hi = days.max() { temporal = (lo, hi) } else { temporal = nil }
    }

    func feature(_ id: String) -> RenderedFeature? { byID[id].map { features[$0] } }
}
