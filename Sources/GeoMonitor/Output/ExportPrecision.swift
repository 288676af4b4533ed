import Foundation
internal import GDALKit

/// The decimals a geometry needs to survive rounding for export (RFC 7946 §11.2 asks for no more
/// precision than the data has; too little breaks small shapes).
///
/// Rounding to `d` decimals moves each coordinate by up to half of 10⁻ᵈ degrees (at 3 decimals
/// ≈ 55 m): an 8 m wide plot collapses to a line, a 55 m plot becomes a square four times its
/// size. A geometry is kept at `d` decimals when, rounded, every ring still has three distinct
/// positions, its area (lines: length) changes by at most 1 %, and it is still valid (the Swift
/// screen, then GEOS for what the screen cannot clear); otherwise at the fewest decimals up to 15
/// that do. A geometry invalid before rounding is written at `d` (the load already warned about it).
enum ExportPrecision {
    /// Relative change of area or length that rounding may cause.
    static let tolerance = 0.01

    /// The fewest decimals ≥ `d` (and ≤ 15) at which `g` rounded stays sound.
    static func decimals(for g: Geometry, atLeast d: Int) -> Int {
        guard g.dimension != .point, d < 15 else { return d }
        if sound(g, decimals: d) { return d }
        // Invalid before any rounding: nothing to keep.
        if g.dimension == .area, PolygonScreen.needsValidation(g), let o = try? OGRGeometry(g), !o.isValid { return d }
        for k in (d + 1)...15 where sound(g, decimals: k) { return k }
        return 15
    }

    static func rounded(_ g: Geometry, decimals d: Int) -> Geometry {
        let scale = pow(10, Double(d))
        return g.mapCoordinates { Coordinate(($0.x * scale).rounded() / scale, ($0.y * scale).rounded() / scale) }
    }

    /// Whether `g` rounded to `d` decimals keeps its shape: distinct positions, measure within
    /// ``tolerance``, validity.
    static func sound(_ g: Geometry, decimals d: Int) -> Bool {
        let r = rounded(g, decimals: d)
        switch g.dimension {
        case .point:
            return true
        case .line:
            for l in r.lines where Set(l.map { [$0.x, $0.y] }).count < 2 { return false }
            let before = g.lines.reduce(0) { $0 + planarLength($1) }
            let after = r.lines.reduce(0) { $0 + planarLength($1) }
            return before == 0 || abs(after - before) <= tolerance * before
        case .area:
            for p in r.polygons {
                for ring in p.rings where Set(ring.map { [$0.x, $0.y] }).count < 3 { return false }
            }
            let before = g.polygons.reduce(0) { $0 + Planar.area($1) }
            let after = r.polygons.reduce(0) { $0 + Planar.area($1) }
            guard before == 0 || abs(after - before) <= tolerance * before else { return false }
            if !PolygonScreen.needsValidation(r) { return true }
            return (try? OGRGeometry(r).isValid) ?? false
        }
    }

    static func planarLength(_ l: [Coordinate]) -> Double {
        var s = 0.0
        for i in l.indices.dropFirst() {
            s += ((l[i].x - l[i - 1].x) * (l[i].x - l[i - 1].x) + (l[i].y - l[i - 1].y) * (l[i].y - l[i - 1].y))
                .squareRoot()
        }
        return s
    }

    /// The features (by id) that need more decimals than `d`, found on all cores, and the
    /// warning naming them; `geometry(i)` gives feature i's id and geometry.
    static func plan(
        count: Int, decimals d: Int, layer: String, _ geometry: @Sendable (Int) -> (id: String, geometry: Geometry?)
    ) -> (overrides: [String: Int], warning: Warning?) {
        guard d < 15, count > 0 else { return ([:], nil) }
        let all = Parallel.chunks(count: count, chunk: 2048) { range in
            range.compactMap { i -> (Int, String, Int)? in
                let f = geometry(i)
                guard let g = f.geometry else { return nil }
                let k = decimals(for: g, atLeast: d)
                return k != d ? (i, f.id, k) : nil
            }
        }.flatMap { $0 }
        guard !all.isEmpty else { return ([:], nil) }
        var overrides: [String: Int] = [:]
        for (_, id, k) in all { overrides[id] = k }
        let list = all.prefix(10).map { "\($0.1) (\($0.2))" }.joined(separator: ", ") + (all.count > 10 ? ", …" : "")
        let w = Warning(
            code: "export-precision",
            "\(layer): \(all.count) feature(s) would collapse, grow or self-intersect at \(d) decimals (±\(metres(d)) m) and are written with the decimals they need: \(list)"
        )
        return (overrides, w)
    }

    /// Half the rounding step of `d` decimals of latitude, in metres, as text ("55", "0.55").
    static func metres(_ d: Int) -> String {
        let m = 111_320 * pow(10, -Double(d)) / 2
        return m >= 10 ? String(Int(m.rounded())) : m >= 0.01 ? String(format: "%.2f", m) : String(format: "%.0e", m)
    }
}

extension GeoJSONWriter {
    /// This writer, with more decimals for the features that rounding to ``decimals`` would break
    /// (see `ExportPrecision`: a ring left with fewer than three positions, an area or length
    /// changed by more than 1 %, a polygon made invalid), and the `export-precision` warning
    /// naming them; checked on all cores.
    /// - Parameters:
    ///   - count: the number of features.
    ///   - layer: the layer's name, for the warning.
    ///   - feature: feature i's id and geometry (WGS 84); called from several threads at once.
    public func keepingShapes(
        count: Int, layer: String, _ feature: @Sendable (Int) -> (id: String, geometry: Geometry?)
    ) -> (writer: GeoJSONWriter, warning: Warning?) {
        let plan = ExportPrecision.plan(count: count, decimals: decimals, layer: layer, feature)
        var w = self
        w.overrides = plan.overrides
        return (w, plan.warning)
    }
}
