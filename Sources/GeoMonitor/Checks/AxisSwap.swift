import Foundation
internal import GDALKit
import GeoKit

/// Projects outside every locality because a source's axes are swapped: a VN-2000 survey table
/// lists X = northing first, and read with X as the easting its points land ~800 km east, in the
/// sea. For each source with projects wholly outside, a sample of them is taken back to the
/// source's CRS, X and Y exchanged, and brought forward again: when most then fall inside a
/// locality, the source gets a hint saying so and how to fix it.
enum AxisSwap {
    /// Projects sampled per source.
    static let sample = 25

    /// Source (as `Project.source` shows it) → a hint, for the sources of `outside` (indices of
    /// projects wholly outside every locality) whose coordinates look swapped.
    static func hints(_ d: Dataset, outside: [Int]) -> [String: String] {
        guard !outside.isEmpty else { return [:] }
        var bySource: [String: [Int]] = [:]
        for i in outside { bySource[d.projects[i].source, default: []].append(i) }
        var out: [String: String] = [:]
        for (source, indices) in bySource {
            if let h = hint(d, source: source, indices: indices) { out[source] = h }
        }
        return out
    }

    static func hint(_ d: Dataset, source: String, indices: [Int]) -> String? {
        let m = d.manifest
        guard
            let (k, spec) = m.projects.enumerated().first(where: { displayPath(m.resolve($0.element.source)) == source }
            )
        else { return nil }
        guard let srs = sourceCRS(spec, path: m.resolve(spec.source)),
            let back = try? CoordinateTransform(from: .wgs84, to: srs),
            let forth = try? CoordinateTransform(from: srs, to: .wgs84)
        else { return nil }
        let localities = d.localities.all
        let boxes = localities.map { $0.geometry.bounds ?? .empty }
        var tried = 0
        var inside = 0
        for i in indices.prefix(sample) {
            guard let c = firstCoordinate(d.projects[i].geometry) else { continue }
            tried += 1
            guard let s = try? back.transform(c), let w = try? forth.transform(Coordinate(s.y, s.x)), w.isFinite else {
                continue
            }
            if localities.indices.contains(where: {
                boxes[$0].contains(w) && Containment.contains(localities[$0].geometry, w)
            }) {
                inside += 1
            }
        }
        guard tried > 0, inside > 0, Double(inside) >= 0.8 * Double(tried) else { return nil }
        let axes = srs.isGeographic ? "lon/lat" : "X/Y"
        var fix = "swap the columns"
        let opts = spec.openOptions
        if case .xy(let x, let y, let survey) = spec.geometry {
            fix =
                survey
                ? "read them in GIS order (`geometry: {x: \(x), y: \(y)}` under projects[\(k)])"
                : "read them in survey order (`geometry: {x: \(x), y: \(y), order: survey}` under projects[\(k)]: VN-2000 survey tables list X = northing)"
        } else if case .lonLat(let lon, let lat) = spec.geometry {
            fix += " (`geometry: {lon: \(lat), lat: \(lon)}` under projects[\(k)])"
        } else if let xk = opts.keys.first(where: { $0.uppercased() == "X_POSSIBLE_NAMES" }),
            let yk = opts.keys.first(where: { $0.uppercased() == "Y_POSSIBLE_NAMES" }),
            let x = opts[xk], let y = opts[yk]
        {
            fix += " (`open_options: {X_POSSIBLE_NAMES: \(y), Y_POSSIBLE_NAMES: \(x)}` under projects[\(k)])"
        }
        return
            "coordinates look swapped (\(axes)): with \(axes == "X/Y" ? "X and Y" : "longitude and latitude") exchanged, \(inside) of \(tried) sampled project(s) fall inside the localities; \(fix) or fix the source"
    }

    /// The CRS the source is read in: the manifest's, else the layer's own.
    static func sourceCRS(_ spec: Manifest.ProjectSource, path: String) -> SpatialReference? {
        if let c = spec.readCRS { return try? SpatialReference(c) }
        guard let ds = try? VectorDataset(path: path, openOptions: spec.openOptions),
            let layer = try? ds.layer(spec.layer)
        else { return nil }
        return layer.spatialReference
    }

    static func firstCoordinate(_ g: Geometry) -> Coordinate? {
        var first: Coordinate?
        g.forEachCoordinate { c in if first == nil && c.isFinite { first = c } }
        return first
    }
}
