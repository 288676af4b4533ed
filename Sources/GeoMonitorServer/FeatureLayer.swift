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
    /// The features' geometries for box queries (a packed R-tree, then an exact test): a `bbox`
    /// request tests only what the tree finds.
    let index: BoxIndex
    /// Bitsets of the attribute filters.
    let filters: FilterIndex

    /// A layer of `features`; `index` is their box index when one is built already (the
    /// projects' ``ProjectIndex``), else it is built here.
    init(id: String, title: String, description: String, features: [RenderedFeature], index: BoxIndex? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.features = features
        self.index = index ?? BoxIndex(features.map(\.geometry))
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
