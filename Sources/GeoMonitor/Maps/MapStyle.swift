import Foundation

/// How maps look: page, fonts, palettes, line widths. Read from a style file (YAML; see
/// `Styles/README.md`); every key is optional and falls back to the default style.
///
/// Lengths are SVG user units (page pixels, 1/96 inch at 100 % zoom); colours are CSS colours
/// (`#rrggbb` or a name). Set properties in code for one-off changes:
///
/// ```swift
/// var style = MapStyle.standard
/// style.width = 1400
/// style.ramp = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]
/// ```
public struct MapStyle: Sendable {
    /// The style's name (`name:`), for reference only.
    public var name = "default"
    /// Page width in pixels (`page.width`).
    public var width = 1000.0
    /// Page height in pixels (`page.height`); a map wider than tall shrinks it to fit.
    public var height = 760.0
    /// Blank space around the page's content, in pixels (`page.margin`).
    public var margin = 24.0
    /// Page background colour (`page.background`).
    public var background = "#ffffff"
    /// CSS font-family list for all text (`fonts.family`); pick fonts with Vietnamese glyphs.
    public var fontFamily = "'Noto Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
    /// Title font size in pixels (`fonts.title`).
    public var titleSize = 20.0
    /// Subtitle font size in pixels (`fonts.subtitle`).
    public var subtitleSize = 12.5
    /// Locality label font size in pixels (`fonts.label`).
    public var labelSize = 11.0
    /// Legend font size in pixels (`fonts.legend`).
    public var legendSize = 11.0
    /// Size of the source note and scale-bar text in pixels (`fonts.source`).
    public var sourceSize = 9.0
    /// Text colour (`fonts.color`).
    public var textColor = "#1a1a1a"
    /// Colour of the halo drawn behind labels for legibility (`fonts.halo`).
    public var haloColor = "#ffffff"
    /// Sequential ramp for progress classes, low to high (colour-blind safe by default: YlGnBu).
    public var ramp = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#2c7fb8", "#253494"]
    /// Upper bounds (percent of quota) of all classes but the last.
    public var breaks = [25.0, 50.0, 75.0, 100.0]
    /// Fill of localities without a figure (`progress.no_data`).
    public var noData = "#e0e0e0"
    /// Fill for context localities on a locality map.
    public var contextFill = "#f0f0f0"
    /// Colour of borders between localities (`lines.locality_color`).
    public var localityStroke = "#ffffff"
    /// Width of borders between localities, pixels (`lines.locality`).
    public var localityStrokeWidth = 0.9
    /// Colour of the province's outer border (`lines.province_color`).
    public var provinceStroke = "#4d4d4d"
    /// Width of the province's outer border, pixels (`lines.province`).
    public var provinceStrokeWidth = 1.3
    /// Colour of the outline of the locality a locality map is about (`lines.focus_color`).
    public var focusStroke = "#1a1a1a"
    /// Width of that outline, pixels (`lines.focus`).
    public var focusStrokeWidth = 2.0
    /// Categorical colours for project kinds (Okabe–Ito by default).
    public var kinds: [String: String] = [
        "forest_planting": "#009E73", "road": "#D55E00", "urban_upgrade": "#CC79A7", "resettlement_area": "#E69F00",
        "market": "#0072B2", "public_facility": "#56B4E9", "energy": "#F0E442", "tourism": "#882255",
        "other": "#7f7f7f",
    ]
    /// Status encoding: solid (done), dashed (in progress), hollow (not started), crossed (off track).
    public var statusEncoding: [String: String] = [
        "completed": "solid", "under_construction": "dashed", "site_clearance": "dashed",
        "approved": "hollow", "planned": "hollow", "stalled": "crossed", "cancelled": "crossed",
    ]
    /// Stroke width of line projects (roads), pixels (`lines.road`).
    public var roadWidth = 2.6
    /// Radius of point projects' symbols, pixels (`points.radius`).
    public var pointRadius = 4.5
    /// Smallest radius a polygon too small to see is drawn with as a dot, pixels (`points.dot_min_radius`).
    public var dotMinRadius = 1.2
    /// Simplification tolerance of locality borders, in page pixels (`render.simplify_px`);
    /// shared borders stay shared.
    public var simplifyTolerance = 0.35
    /// Decimal places of page coordinates in the SVG, 0–3 (`render.decimals`).
    public var decimals = 1

    /// The built-in default style (the same as ``standard``).
    public init() {}

    /// The built-in default style.
    public static let standard = MapStyle()

    /// Loads a style file; keys it does not set keep the default.
    /// - Throws: ``GeoMonitorError`` of kind `.source` when the file cannot be read,
    ///   `.configuration` (with the key) for an unknown key, a value that is not a colour or not
    ///   positive, or a ramp that does not have one colour more than there are breaks.
    public static func load(_ path: String) throws -> MapStyle {
        let root = try YAMLNode.load(file: path)
        var s = MapStyle()
        let m = try root.mapping(allowed: [
            "name", "page", "fonts", "progress", "kinds", "status", "lines", "points", "render",
        ])
        if let v = m["name"] { s.name = try v.string() }
        if let p = m["page"] {
            let pm = try p.mapping(allowed: ["width", "height", "margin", "background"])
            if let v = pm["width"] { s.width = try positive(v) }
            if let v = pm["height"] { s.height = try positive(v) }
            if let v = pm["margin"] { s.margin = try v.double() }
            if let v = pm["background"] { s.background = try colour(v) }
        }
        if let f = m["fonts"] {
            let fm = try f.mapping(allowed: [
                "family", "title", "subtitle", "label", "legend", "source", "color", "halo",
            ])
            if let v = fm["family"] { s.fontFamily = try v.string() }
            if let v = fm["title"] { s.titleSize = try positive(v) }
            if let v = fm["subtitle"] { s.subtitleSize = try positive(v) }
            if let v = fm["label"] { s.labelSize = try positive(v) }
            if let v = fm["legend"] { s.legendSize = try positive(v) }
            if let v = fm["source"] { s.sourceSize = try positive(v) }
            if let v = fm["color"] { s.textColor = try colour(v) }
            if let v = fm["halo"] { s.haloColor = try colour(v) }
        }
        if let p = m["progress"] {
            let pm = try p.mapping(allowed: ["ramp", "breaks", "no_data", "context"])
            if let v = pm["ramp"] { s.ramp = try v.sequence().map(colour) }
            if let v = pm["breaks"] { s.breaks = try v.sequence().map { try $0.double() } }
            if let v = pm["no_data"] { s.noData = try colour(v) }
            if let v = pm["context"] { s.contextFill = try colour(v) }
            guard s.ramp.count == s.breaks.count + 1 else {
                throw p.fail(
                    "the ramp needs one colour more than there are breaks (\(s.ramp.count) colours, \(s.breaks.count) breaks)"
                )
            }
            guard s.breaks == s.breaks.sorted() else { throw p.fail("breaks must increase") }
        }
        if let k = m["kinds"] {
            for (key, v) in try k.mapping(allowed: Set(ProjectKind.allCases.map(\.rawValue))) {
                s.kinds[key] = try colour(v)
            }
        }
        if let st = m["status"] {
            for (key, v) in try st.mapping(allowed: Set(ProjectStatus.allCases.map(\.rawValue))) {
                let e = try v.string()
                guard ["solid", "dashed", "hollow", "crossed"].contains(e) else {
                    throw v.fail("status encoding must be solid, dashed, hollow or crossed")
                }
                s.statusEncoding[key] = e
            }
        }
        if let l = m["lines"] {
            let lm = try l.mapping(allowed: [
                "locality", "locality_color", "province", "province_color", "focus", "focus_color", "road",
            ])
            if let v = lm["locality"] { s.localityStrokeWidth = try v.double() }
            if let v = lm["locality_color"] { s.localityStroke = try colour(v) }
            if let v = lm["province"] { s.provinceStrokeWidth = try v.double() }
            if let v = lm["province_color"] { s.provinceStroke = try colour(v) }
            if let v = lm["focus"] { s.focusStrokeWidth = try v.double() }
            if let v = lm["focus_color"] { s.focusStroke = try colour(v) }
            if let v = lm["road"] { s.roadWidth = try positive(v) }
        }
        if let p = m["points"] {
            let pm = try p.mapping(allowed: ["radius", "dot_min_radius"])
            if let v = pm["radius"] { s.pointRadius = try positive(v) }
            if let v = pm["dot_min_radius"] { s.dotMinRadius = try positive(v) }
        }
        if let r = m["render"] {
            let rm = try r.mapping(allowed: ["simplify_px", "decimals"])
            if let v = rm["simplify_px"] { s.simplifyTolerance = try v.double() }
            if let v = rm["decimals"] { s.decimals = min(3, max(0, try v.int())) }
        }
        return s
    }

    static func positive(_ n: YAMLNode) throws -> Double {
        let v = try n.double()
        guard v > 0 else { throw n.fail("must be positive") }
        return v
    }

    /// A CSS colour: #rgb, #rrggbb, or a plain name. Anything else (quotes, brackets) is refused.
    static func colour(_ n: YAMLNode) throws -> String {
        let s = try n.string().trimmingCharacters(in: .whitespaces)
        let hex = s.hasPrefix("#") && [4, 7, 9].contains(s.count) && s.dropFirst().allSatisfy(\.isHexDigit)
        let name = !s.isEmpty && s.allSatisfy { $0.isLetter } && s.count < 30
        guard hex || name else { throw n.fail("'\(s)' is not a colour (#rrggbb or a CSS name)") }
        return s
    }

    /// The class (0-based) of a percent value.
    func progressClass(_ percent: Double) -> Int {
        breaks.firstIndex { percent < $0 } ?? breaks.count
    }

    /// The colour of a project kind (grey when the style has none).
    func kindColour(_ k: ProjectKind) -> String { kinds[k.rawValue] ?? "#7f7f7f" }
    /// How a status is drawn: solid, dashed, hollow or crossed.
    func encoding(_ s: ProjectStatus) -> String { statusEncoding[s.rawValue] ?? "solid" }
}

extension MapStyle {
    /// `Styles/default.yaml` beside GeoData when present, else the built-in default.
    /// - Throws: ``GeoMonitorError`` as ``load(_:)`` does, when that file is malformed.
    public static func defaultStyle() throws -> MapStyle {
        let root = (Dataset.defaultManifestPath() as NSString).deletingLastPathComponent
        let path = (root as NSString).deletingLastPathComponent + "/Styles/default.yaml"
        return FileManager.default.fileExists(atPath: path) ? try load(path) : .standard
    }
}
