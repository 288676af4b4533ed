import Foundation
import GeoKit
import GeoMonitor

/// One feature rendered once to GeoJSON text, with what the item filters need.
struct RenderedFeature: Sendable {
    let id: String
    /// `{"type":"Feature",…}` as UTF-8 bytes.
    let bytes: [UInt8]
    let bounds: BoundingBox?
    let geometry: Geometry?
    let date: Day?
    let kind: ProjectKind?
    let status: ProjectStatus?
    /// Locality codes the feature lies in (projects) or is (localities, progress).
    let localityCodes: [String]
}

extension RenderedFeature {
    /// A locality's feature (its id is its code), as the localities and progress layers hold it.
    init(locality f: GeoJSONFeature, writer: GeoJSONWriter) {
        self.init(
            id: f.id, bytes: writer.featureBytes(f), bounds: f.geometry?.bounds, geometry: f.geometry,
            date: nil, kind: nil, status: nil, localityCodes: [f.id])
    }
}
