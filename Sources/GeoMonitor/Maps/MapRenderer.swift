import Foundation

/// Draws SVG maps of a dataset: a province map of a target's progress, and locality maps.
///
/// Maps are drawn in the manifest's working CRS (a UTM zone when it names none), fitted to the
/// page, with a legend, a scale bar true to the projection, a north arrow, labels placed inside
/// their polygons without overlaps, and `id`/`class`/`data-*`/`<title>` on every element.
///
/// ```swift
/// let svg = try MapRenderer(dataset: data).provinceMap(report.targets[0], asOf: report.asOf)
/// try OutputFile.write(svg, to: "afforestation.svg")
/// ```
public struct MapRenderer: Sendable {
    /// The dataset drawn: its localities, projects and working CRS.
    public let dataset: Dataset
    /// Page size, fonts, colour ramp and line widths of every map this renderer draws.
    public let style: MapStyle
    /// The language of titles, legends, labels, tooltips, numbers and dates (English by default).
    public let language: Language
    /// The sheet maps are printed on at a true scale; nil for a screen map of the style's size.
    public let paper: MapPaper?

    /// A renderer for a dataset, in the built-in style unless one is given (see ``MapStyle/load(_:)``),
    /// writing in `language`, on `paper` at a true scale when given.
    public init(dataset: Dataset, style: MapStyle = .standard, language: Language = .english, paper: MapPaper? = nil) {
        self.dataset = dataset
        self.style = style
        self.language = language
        self.paper = paper
    }

    /// The province map: localities filled by the target's progress, its projects on top.
    ///
    /// Localities with quotas are classed by percent of quota (the style's breaks); without
    /// quotas, by the figure achieved. Only the projects counted for the target are drawn.
    /// - Parameters:
    ///   - progress: one target's result from ``ProgressEngine/run(asOf:targets:locality:)``.
    ///   - asOf: the date printed in the subtitle (normally the report's ``ProgressReport/asOf``).
    /// - Returns: a standalone SVG document (UTF-8 text).
    /// - Throws: ``GeoMonitorError`` of kind `.crs` (key `working_crs`) when the manifest's
    ///   working CRS is unknown, not projected, or cannot hold the data.
    public func provinceMap(_ progress: TargetProgress, asOf: Day) throws -> String {
        var ctx = try Context(self, focus: nil)
        return try ctx.draw(progress: progress, asOf: asOf, focus: nil)
    }

    /// A locality map: the locality framed, its neighbours greyed, its projects by kind and status.
    /// When `progress` is given, the subtitle carries the locality's figure for that target.
    /// - Returns: a standalone SVG document (UTF-8 text).
    /// - Throws: ``GeoMonitorError`` of kind `.crs` as ``provinceMap(_:asOf:)`` does.
    public func localityMap(_ locality: Locality, progress: TargetProgress?, asOf: Day) throws -> String {
        var ctx = try Context(self, focus: locality)
        return try ctx.draw(progress: progress, asOf: asOf, focus: locality)
    }
}

extension MapRenderer {
    /// Everything a single map needs, prepared once.
    struct Context {
        let r: MapRenderer
        let style: MapStyle
        let lang: Language
        let proj: MapProjection
        var frame: PageFrame
        let mapRect: BoundingBox
        /// The page height actually used (the style's height, less any empty band; the sheet's on paper).
        var pageHeight: Double
        /// The page width (the style's; the sheet's on paper).
        let pageWidth: Double
        /// The scale's denominator on paper (1:N), nil on screen.
        let scaleDenominator: Int?
        /// Localities in map CRS.
        let localities: [Geometry]

        init(_ r: MapRenderer, focus: Locality?) throws {
            self.r = r
            style = r.style
            lang = r.language
            let all = r.dataset.localities.all
            let projection = try MapProjection(
                workingCRS: r.dataset.manifest.workingCRS, around: r.dataset.localities.bounds.center)
            proj = projection
            let projected = try all.map { try projection.project($0.geometry) }
            localities = projected
            var extent = BoundingBox.empty
            if let focus, let i = r.dataset.localities.index(ofCode: focus.code), let b = projected[i].bounds {
                let pad = max(b.width, b.height) * 0.08
                extent = b.expanded(by: pad)
            } else {
                for g in projected { if let b = g.bounds { extent.extend(b) } }
                extent = extent.expanded(by: max(extent.width, extent.height) * 0.015)
            }
            let legendWidth = 215.0
            if let paper = r.paper {
                pageWidth = paper.widthMM * MapPaper.pixelsPerMM
                pageHeight = paper.heightMM * MapPaper.pixelsPerMM
                let rect = BoundingBox(
                    minX: style.margin, minY: style.margin + 78, maxX: pageWidth - style.margin - legendWidth,
                    maxY: pageHeight - style.margin - 22)
                mapRect = rect
                // Ground metres per grid metre at the centre (the CRS's scale factor there).
                let k = projection.groundPerGrid(at: extent.center)
                let fit = min(rect.width / max(extent.width, 1e-9), rect.height / max(extent.height, 1e-9))
                let largest = MapPaper.largestScale(fitting: fit, groundPerGrid: k)
                // A scale at which the map overflows its frame would print part of it: refuse it.
                if let asked = paper.scale, k * MapPaper.pixelsPerMM * 1000 / Double(asked) > fit * (1 + 1e-9) {
                    let sheet = paper.size.rawValue + (paper.landscape ? " landscape" : "")
                    throw GeoMonitorError(
                        .usage, key: "--scale",
                        "at 1:\(asked) the map does not fit the \(sheet) sheet; 1:\(largest) is the largest standard scale that fits (the default), or draw one locality with --district\(paper.size == .a4 ? ", or take --page A3" : "")"
                    )
                }
                let n = paper.scale ?? largest
                scaleDenominator = n
                frame = PageFrame(extent: extent, into: rect, scale: k * MapPaper.pixelsPerMM * 1000 / Double(n))
                return
            }
            pageWidth = style.width
            scaleDenominator = nil
            mapRect = BoundingBox(
                minX: style.margin, minY: style.margin + 78, maxX: style.width - style.margin - legendWidth,
                maxY: style.height - style.margin - 22)
            frame = PageFrame(extent: extent, into: mapRect)
            // Shrink the page to the map when the map is wider than the frame (no empty band).
            let slack = mapRect.maxY - frame.usedRect.maxY
            if slack > 8 {
                pageHeight = max(style.height - slack, style.margin + 78 + 420)
                let shift = style.height - pageHeight
                frame = PageFrame(
                    extent: extent,
                    into: BoundingBox(
                        minX: mapRect.minX, minY: mapRect.minY, maxX: mapRect.maxX, maxY: mapRect.maxY - shift))
            } else {
                pageHeight = style.height
            }
        }

        func css() -> String {
            var s = """
                text{font-family:\(style.fontFamily);fill:\(style.textColor)}
                .title{font-size:\(style.titleSize)px;font-weight:bold}
                .subtitle{font-size:\(style.subtitleSize)px}
                .note{font-size:\(style.sourceSize)px;fill:#555}
                .legend text{font-size:\(style.legendSize)px}
                .legend .head{font-weight:bold}
                .label{font-size:\(style.labelSize)px;text-anchor:middle;paint-order:stroke;stroke:\(style.haloColor);stroke-width:3px;stroke-linejoin:round}
                .label.num{font-size:\(style.labelSize * 0.82)px;font-weight:bold}
                .key text{font-size:\(style.sourceSize)px}
                .key .n{font-weight:bold;text-anchor:end}
                .label .fig{font-size:\(style.labelSize * 0.9)px;font-weight:normal}
                .label.ctx{fill:#777;font-style:italic}
                .locality{stroke:none}
                .ctx-fill{fill:\(style.contextFill)}
                .nd{fill:\(style.noData)}
                .mesh{fill:none;stroke:\(style.localityStroke);stroke-width:\(style.localityStrokeWidth);stroke-linejoin:round}
                .outline{fill:none;stroke:\(style.provinceStroke);stroke-width:\(style.provinceStrokeWidth);stroke-linejoin:round}
                .focus{fill:none;stroke:\(style.focusStroke);stroke-width:\(style.focusStrokeWidth);stroke-linejoin:round}
                .leader{fill:none;stroke:#555;stroke-width:0.7}
                .p{stroke-width:0.8}
                .ln{fill:none!important;stroke-width:\(style.roadWidth);stroke-linecap:round;stroke-linejoin:round}
                .s-solid{fill-opacity:0.9}
                .s-dashed{fill-opacity:0.35;stroke-dasharray:3 2}
                .s-hollow{fill:none!important;stroke-width:1.3}
                circle.s-hollow{fill:#ffffff!important;fill-opacity:0.9}
                .s-crossed{fill:none!important;stroke:#777!important;stroke-dasharray:1 2}
                .ln.s-dashed{stroke-dasharray:7 4}
                .ln.s-hollow{stroke-dasharray:2 3;stroke-width:\(max(1, style.roadWidth * 0.6))}
                .dot{stroke:#ffffff;stroke-width:0.4}
                .dm circle{r:\(style.dotMinRadius)px}
                .bar{stroke:#1a1a1a;stroke-width:0.8}

                """
            for (i, c) in style.ramp.enumerated() { s += ".c\(i){fill:\(c)}\n" }
            for k in ProjectKind.allCases {
                let c = style.kindColour(k)
                s += ".k-\(k.rawValue){fill:\(c);stroke:\(c)}\n"
            }
            return s
        }

        func page(_ g: Geometry) -> Geometry { frame.page(g) }

        // MARK: drawing

        mutating func draw(progress: TargetProgress?, asOf: Day, focus: Locality?) throws -> String {
            var svg = SVGDocument(width: pageWidth, height: pageHeight, decimals: style.decimals)
            if let paper = r.paper { svg.physical = (paper.widthMM, paper.heightMM) }
            let dir = r.dataset.localities
            let pageLocs = localities.map(page)
            svg.element(
                "rect", [("x", "0"), ("y", "0"), ("width", "100%"), ("height", "100%"), ("fill", style.background)])
            let clipID = "map-frame"
            let used = r.paper == nil ? frame.usedRect : mapRect
            svg.raw(
                "<defs><clipPath id=\"\(clipID)\"><rect x=\"\(svg.num(used.minX))\" y=\"\(svg.num(used.minY))\" width=\"\(svg.num(used.width))\" height=\"\(svg.num(used.height))\"/></clipPath></defs>\n"
            )
            svg.open("g", [("id", "map"), ("clip-path", "url(#\(clipID))")])
            svg.raw("\n")

            // Localities: simplified once with shared borders, filled by class.
            var rings: [(owner: Int, ring: [Coordinate])] = []
            var ringOwners: [[Int]] = Array(repeating: [], count: pageLocs.count)
            for (i, g) in pageLocs.enumerated() {
                guard let b = g.bounds, b.intersects(used.expanded(by: 50)) || focus == nil else { continue }
                for p in g.polygons {
                    for ring in p.rings {
                        ringOwners[i].append(rings.count)
                        rings.append((i, ring))
                    }
                }
            }
            let simplifier = TopologySimplifier(tolerance: style.simplifyTolerance)
            let (simple, arcs) = simplifier.simplify(rings)
            let classes = progress.map { classify($0, focus: focus) }
            svg.open("g", [("id", "localities")])
            svg.raw("\n")
            for (i, l) in dir.all.enumerated() where !ringOwners[i].isEmpty {
                let lp = progress?.localities.first { $0.code == l.code }
                var cls = "locality"
                if let focus {
                    cls += l.code == focus.code ? " focus-fill" : " ctx-fill"
                } else if let c = classes?.byCode[l.code] {
                    cls += c.map { " c\($0)" } ?? " nd"
                } else {
                    cls += " nd"
                }
                var attrs: [(String, String)] = [
                    ("id", "loc-\(XMLText.token(l.code))"), ("class", cls),
                    ("d", svg.ringPath(ringOwners[i].map { simple[$0] })),
                    ("fill-rule", "evenodd"), ("data-code", l.code), ("data-name", l.name),
                    ("data-area-ha", JSONValue.format(l.areaHa, decimals: 1)),
                ]
                if focus != nil && l.code == focus?.code { attrs.append(("fill", "#ffffff")) }
                var tip = "\(l.displayName) (\(l.code)) — \(lang.number(l.areaHa / 100, 1)) km²"
                if let lp, let p = progress {
                    attrs += [
                        ("data-achieved", JSONValue.format(lp.achieved, decimals: 4)),
                        ("data-quota", lp.quota.map { JSONValue.format($0) } ?? ""),
                        ("data-percent", lp.percent.map { JSONValue.format($0, decimals: 2) } ?? ""),
                        ("data-status", lp.status?.rawValue ?? ""),
                    ]
                    tip +=
                        "\n\(lang.title(p.target)): \(ProgressOutput.figure(lp.achieved, unit: p.target.unit, lang))"
                    if let q = lp.quota {
                        tip +=
                            " "
                            + lang(
                                "of {1} ({2}, {3})", lang.number(q, 2), lang.percent(lp.percent ?? 0),
                                lp.status.map(lang.status) ?? "")
                    }
                }
                svg.element("path", attrs, title: tip)
            }
            svg.close("g")
            // Borders: shared arcs once, the outer edge thicker.
            let inner = arcs.filter { $0.rings.count >= 2 }.map(\.points)
            let outer = arcs.filter { $0.rings.count < 2 }.map(\.points)
            svg.element("path", [("id", "borders"), ("class", "mesh"), ("d", svg.linePath(inner))])
            svg.element("path", [("id", "outline"), ("class", "outline"), ("d", svg.linePath(outer))])
            if let focus, let i = dir.index(ofCode: focus.code) {
                svg.element(
                    "path",
                    [
                        ("id", "focus-outline"), ("class", "focus"),
                        ("d", svg.ringPath(ringOwners[i].map { simple[$0] })),
                    ])
            }

            // Projects.
            let chosen: [Int]
            if let focus {
                let fb = focus.geometry.bounds ?? .empty
                let box = fb.expanded(by: max(fb.width, fb.height) * 0.1)
                chosen = r.dataset.projects.indices.filter {
                    r.dataset.projects[$0].geometry.bounds.map(box.intersects) ?? false
                }
            } else if let progress {
                let ids = Set(progress.projectIDs)
                chosen = r.dataset.projects.indices.filter { ids.contains(r.dataset.projects[$0].id) }
            } else {
                chosen = Array(r.dataset.projects.indices)
            }
            let legendItems = try drawProjects(chosen, into: &svg)
            svg.close("g")

            // Labels.
            let (labelled, key) = labels(
                pageLocs: pageLocs, simple: simple, ringOwners: ringOwners, progress: progress, focus: focus, used: used
            )
            svg.open("g", [("id", "labels")])
            svg.raw("\n")
            for lb in labelled {
                let size = lb.number == nil ? style.labelSize : style.labelSize * 0.82
                if let leader = lb.leader {
                    svg.element(
                        "path",
                        [("class", "leader"), ("d", svg.linePath([[leader, Coordinate(lb.x, lb.y - size * 0.35)]]))])
                }
                svg.raw(
                    "<text class=\"label\(lb.context ? " ctx" : "")\(lb.number == nil ? "" : " num")\" x=\"\(svg.num(lb.x))\" y=\"\(svg.num(lb.y))\" data-code=\"\(XMLText.escape(lb.code))\">"
                )
                svg.raw(XMLText.escape(lb.name))
                if let fig = lb.figure {
                    svg.raw(
                        "<tspan class=\"fig\" x=\"\(svg.num(lb.x))\" dy=\"\(svg.num(style.labelSize * 1.1))\">\(XMLText.escape(fig))</tspan>"
                    )
                }
                svg.raw("</text>\n")
            }
            svg.close("g")

            let legendBottom = drawLegend(
                into: &svg, classes: focus == nil ? classes : nil, progress: progress, items: legendItems)
            if !key.isEmpty { drawKey(key, into: &svg, legendBottom: legendBottom) }
            svg.height = pageHeight
            drawTitles(into: &svg, progress: progress, asOf: asOf, focus: focus)
            drawScaleBar(into: &svg, used: used)
            drawNorthArrow(into: &svg, used: used)
            let title =
                focus.map { "\($0.displayName) — \(progress.map { lang.title($0.target) } ?? lang("projects"))" }
                ?? "\(progress.map { lang.title($0.target) } ?? lang("Progress")) — \(provinceName)"
            return svg.document(
                title: title, description: lang("geomonitor map, as of {1}; CRS {2}", lang.date(asOf), "\(proj.crs)"),
                style: css(), language: lang.code)
        }

        var provinceName: String {
            if let p = r.dataset.localities.province {
                return [p.type, p.name].compactMap { $0 }.joined(separator: " ")
            }
            return r.dataset.manifest.name
        }

        // MARK: classes

        struct Classes {
            /// Class index per locality code (nil = no data).
            var byCode: [String: Int?]
            /// Legend rows: label per class.
            var labels: [String]
            var heading: String
        }

        func classify(_ p: TargetProgress, focus: Locality?) -> Classes {
            let hasQuotas = p.localities.contains { $0.quota != nil }
            var byCode: [String: Int?] = [:]
            if hasQuotas {
                for l in p.localities { byCode[l.code] = l.percent.map { style.progressClass($0) } }
                var labels: [String] = []
                let b = style.breaks
                for i in 0...b.count {
                    func f(_ v: Double) -> String { lang.number(v, Language.decimalsNeeded(v)) }
                    if i == 0 {
                        labels.append("< \(f(b[0])) %")
                    } else if i == b.count {
                        labels.append("≥ \(f(b[i - 1])) %")
                    } else {
                        labels.append("\(f(b[i - 1]))–\(f(b[i])) %")
                    }
                }
                return Classes(byCode: byCode, labels: labels, heading: lang("Progress, % of locality quota"))
            }
            // No quotas: classes of the achieved figure, nice round breaks over the data's range.
            let values = p.localities.map(\.achieved)
            let maxV = values.max() ?? 0
            let n = style.ramp.count
            // Counts (projects, trees, cases) are whole: classes of at least one, labelled by the
            // whole numbers they hold ("2–3", not "0,40–0,60").
            let whole = ProgressOutput.isWhole(unit: p.target.unit)
            let step = whole ? max(1, niceStep(maxV / Double(n)).rounded(.up)) : niceStep(maxV / Double(n))
            for l in p.localities {
                // Zero achieved is the first class (a figure), not "no data".
                byCode[l.code] = l.achieved > 0 && step > 0 ? min(n - 1, Int(l.achieved / step)) : 0
            }
            var labels: [String] = []
            for i in 0..<n {
                let lo = Double(i) * step
                let hi = Double(i + 1) * step
                if whole {
                    labels.append(
                        i == n - 1
                            ? "≥ \(lang.number(lo, 0))"
                            : step == 1 ? lang.number(lo, 0) : "\(lang.number(lo, 0))–\(lang.number(hi - 1, 0))")
                    continue
                }
                labels.append(
                    i == n - 1
                        ? "≥ \(lang.number(lo, step < 1 ? 2 : 0))"
                        : "\(lang.number(lo, step < 1 ? 2 : 0))–\(lang.number(hi, step < 1 ? 2 : 0))")
            }
            return Classes(
                byCode: byCode, labels: labels, heading: lang("Achieved, {1} (no quotas)", lang.unit(p.target.unit)))
        }

        func niceStep(_ raw: Double) -> Double {
            guard raw > 0, raw.isFinite else { return 0 }
            let e = pow(10, floor(log10(raw)))
            for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * e >= raw { return m * e }
            return 10 * e
        }
    }
}
