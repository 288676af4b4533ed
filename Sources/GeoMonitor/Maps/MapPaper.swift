import Foundation

/// A sheet of paper a map is printed on at a true scale: A4 or A3, portrait or landscape, and the
/// scale (1:N) — stated on the map and exact on paper when the SVG is printed at 100 %.
///
/// The SVG is sized in millimetres (`width="297mm"`) over a viewBox of CSS pixels (96 per inch),
/// so the style's font sizes and line widths keep their meaning.
///
/// ```swift
/// let paper = MapPaper(size: .a3, landscape: true, scale: 100_000)
/// let svg = try MapRenderer(dataset: data, paper: paper).provinceMap(progress, asOf: asOf)
/// ```
public struct MapPaper: Sendable, Equatable {
    /// An ISO 216 sheet.
    public enum Size: String, Sendable, CaseIterable {
        /// 210 × 297 mm.
        case a4 = "A4"
        /// 297 × 420 mm.
        case a3 = "A3"
    }

    /// The sheet.
    public var size: Size
    /// Long side horizontal.
    public var landscape: Bool
    /// The scale's denominator N (1:N); nil to take the largest standard scale that fits.
    public var scale: Int?

    /// A sheet; without `scale` the map takes the largest of ``standardScales`` that fits.
    public init(size: Size, landscape: Bool = false, scale: Int? = nil) {
        self.size = size
        self.landscape = landscape
        self.scale = scale
    }

    /// Topographic map scales, largest first: 1:5,000 … 1:10,000,000.
    public static let standardScales = [
        5_000, 10_000, 25_000, 50_000, 100_000, 200_000, 250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
    ]

    /// CSS pixels per millimetre (96 per inch).
    public static let pixelsPerMM = 96 / 25.4

    /// Width of the sheet in millimetres, as oriented.
    public var widthMM: Double {
        let (short, long) = size == .a4 ? (210.0, 297.0) : (297.0, 420.0)
        return landscape ? long : short
    }

    /// Height of the sheet in millimetres, as oriented.
    public var heightMM: Double {
        let (short, long) = size == .a4 ? (210.0, 297.0) : (297.0, 420.0)
        return landscape ? short : long
    }

    /// `1:250000`, `1:250,000`, `1:250.000` or `250000` as N.
    /// - Throws: ``GeoMonitorError`` of kind `.usage` (key `--scale`) for anything else or N < 100.
    public static func parseScale(_ s: String) throws -> Int {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("1:") { t.removeFirst(2) }
        t = t.filter { $0 != "," && $0 != "." && $0 != " " && $0 != "_" }
        guard let n = Int(t), n >= 100 else {
            throw GeoMonitorError(.usage, key: "--scale", "'\(s)' is not a map scale; write it as 1:N, e.g. 1:250000")
        }
        return n
    }

    /// The largest standard scale at which `need` page pixels per grid metre fits: the smallest
    /// denominator N with px(N) ≤ `fit`, where px(N) = ground-per-grid × px per mm × 1000 / N.
    /// Beyond the list, the next 1, 2 or 5 × 10ᵏ.
    static func largestScale(fitting fit: Double, groundPerGrid: Double) -> Int {
        func pxPerGridMetre(_ n: Int) -> Double { groundPerGrid * pixelsPerMM * 1000 / Double(n) }
        if let n = standardScales.first(where: { pxPerGridMetre($0) <= fit * (1 + 1e-12) }) { return n }
        let exact = groundPerGrid * pixelsPerMM * 1000 / max(fit, 1e-12)
        let e = pow(10, floor(log10(exact)))
        for m in [1.0, 2.0, 5.0, 10.0] where m * e >= exact { return Int(m * e) }
        return Int(10 * e)
    }
}
