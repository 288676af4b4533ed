import Foundation
internal import GDALKit

extension MapRenderer.Context {
    func drawTitles(into svg: inout SVGDocument, progress: TargetProgress?, asOf: Day, focus: Locality?) {
        let m = style.margin
        let title: String
        var sub: [String] = []
        if let focus {
            title = "\(focus.displayName) — \(provinceName)"
            if let p = progress, let lp = p.localities.first(where: { $0.code == focus.code }) {
                var s =
                    "\(lang.title(p.target)) (\(p.target.clause)): \(ProgressOutput.figure(lp.achieved, unit: p.target.unit, lang))"
                if let q = lp.quota {
                    s +=
                        " "
                        + lang(
                            "of a quota of {1} — {2}, {3}", lang.number(q, 2), lang.percent(lp.percent ?? 0),
                            lp.status.map { lang.status($0).replacingOccurrences(of: "_", with: " ") } ?? "")
                }
                sub.append(s)
            } else {
                sub.append(lang("Projects by kind and status"))
            }
        } else if let p = progress {
            title = "\(lang.title(p.target)) — \(provinceName)"
            var s = lang(
                "Clause {1} · target {2} {3}", p.target.clause, p.target.goal?.text(lang) ?? "—",
                lang.unit(p.target.unit))
            if let a = p.achieved {
                s +=
                    " · "
                    + lang(
                        "achieved {1} {2}", lang.number(a, ProgressOutput.decimals(a, unit: p.target.unit)),
                        lang.unit(p.target.unit))
            }
            if let pc = p.percent { s += " (\(lang.percent(pc)))" }
            s += " · \(lang.status(p.status).replacingOccurrences(of: "_", with: " "))"
            sub.append(s)
            if !p.target.text.isEmpty && lang.title(p.target) != p.target.text { sub.append("“\(p.target.text)”") }
        } else {
            title = provinceName
        }
        let maxChars = Int((pageWidth - 2 * m) / (style.titleSize * 0.62))
        let shown = title.count > maxChars ? String(title.prefix(max(10, maxChars - 1))) + "…" : title
        svg.text(shown, x: m, y: m + style.titleSize * 0.9, [("class", "title")])
        var y = m + style.titleSize * 0.9 + style.subtitleSize * 1.5
        for (i, s) in sub.enumerated() {
            let t = s.count > 150 ? String(s.prefix(147)) + "…" : s
            svg.text(t, x: m, y: y, [("class", "subtitle"), ("font-style", i == 1 ? "italic" : "normal")])
            y += style.subtitleSize * 1.35
        }
        svg.text(lang("As of {1}", lang.date(asOf)), x: m, y: y, [("class", "subtitle"), ("font-weight", "bold")])
        let source = lang(
            "Source: {1} · boundaries {2} · projection {3} · made with geomonitor", r.dataset.manifest.name,
            URL(fileURLWithPath: r.dataset.manifest.localities.source).lastPathComponent, "\(proj.crs)")
        svg.text(source, x: m, y: pageHeight - m * 0.5, [("class", "note")])
    }

    /// The legend in the column right of the map; returns the y below its last line.
    @discardableResult
    func drawLegend(into svg: inout SVGDocument, classes: Classes?, progress: TargetProgress?, items: LegendItems)
        -> Double
    {
        let x = pageWidth - style.margin - 200
        var y = mapRect.minY + 4
        let fs = style.legendSize
        svg.open("g", [("id", "legend"), ("class", "legend")])
        svg.raw("\n")
        if let classes {
            svg.text(classes.heading, x: x, y: y + fs, [("class", "head")])
            y += fs * 1.8
            for (i, label) in classes.labels.enumerated() {
                svg.element(
                    "rect",
                    [
                        ("class", "c\(i)"), ("x", svg.num(x)), ("y", svg.num(y)), ("width", "22"),
                        ("height", svg.num(fs * 1.2)), ("stroke", "#999"), ("stroke-width", "0.5"),
                    ])
                svg.text(label, x: x + 30, y: y + fs)
                y += fs * 1.6
            }
            if classes.byCode.values.contains(where: { $0 == nil }) {
                svg.element(
                    "rect",
                    [
                        ("class", "nd"), ("x", svg.num(x)), ("y", svg.num(y)), ("width", "22"),
                        ("height", svg.num(fs * 1.2)), ("stroke", "#999"), ("stroke-width", "0.5"),
                    ])
                svg.text(lang(classes.labels.first?.hasSuffix("%") == true ? "no quota" : "none"), x: x + 30, y: y + fs)
                y += fs * 1.6
            }
            y += fs
        }
        if !items.kinds.isEmpty {
            svg.text(lang("Projects by kind"), x: x, y: y + fs, [("class", "head")])
            y += fs * 1.8
            for k in items.kinds.sorted() {
                svg.element(
                    "rect",
                    [
                        ("class", "p k-\(k.rawValue) s-solid"), ("x", svg.num(x + 4)), ("y", svg.num(y + 1)),
                        ("width", "14"), ("height", svg.num(fs)),
                    ])
                svg.text(lang.kind(k).replacingOccurrences(of: "_", with: " "), x: x + 30, y: y + fs)
                y += fs * 1.5
            }
            y += fs * 0.5
            let names = [
                "solid": "completed", "dashed": "under way", "hollow": "not started", "crossed": "stalled / cancelled",
            ]
            svg.text(lang("Status"), x: x, y: y + fs, [("class", "head")])
            y += fs * 1.8
            for enc in ["solid", "dashed", "hollow", "crossed"] where items.encodings.contains(enc) {
                svg.element(
                    "rect",
                    [
                        ("class", "p k-other s-\(enc)"), ("x", svg.num(x + 4)), ("y", svg.num(y + 1)), ("width", "14"),
                        ("height", svg.num(fs)), ("stroke-width", "1.2"),
                    ])
                if items.lines {
                    svg.element(
                        "path",
                        [
                            ("class", "ln k-other s-\(enc)"), ("d", "M\(svg.num(x + 24)) \(svg.num(y + fs * 0.6))h26"),
                            ("stroke-width", "2"),
                        ])
                }
                svg.text(lang(names[enc] ?? enc), x: x + (items.lines ? 58 : 30), y: y + fs)
                y += fs * 1.5
            }
            if items.dots {
                y += fs * 0.5
                svg.text(
                    lang(items.aggregated ? "Dots: plots grouped per 8 px cell;" : "Dots: plots too small to draw;"),
                    x: x, y: y + fs, [("class", "note")])
                svg.text(lang("dot area = plot area at map scale"), x: x, y: y + fs * 2.2, [("class", "note")])
                y += fs * 2.6
            }
        }
        svg.close("g")
        return y
    }

    /// The key of numbered units: on screen a band under the map, the page growing to hold it
    /// (columns of 230 px); on paper the legend column below the legend, as many rows as fit and
    /// "… n more" for the rest.
    mutating func drawKey(_ key: [KeyEntry], into svg: inout SVGDocument, legendBottom: Double) {
        let fs = style.sourceSize
        let row = fs * 1.35
        func entry(_ e: KeyEntry, x: Double, y: Double, width: Double) {
            svg.text(String(e.number), x: x + 16, y: y, [("class", "n")])
            var s = e.name
            if let f = e.figure { s += " — \(f)" }
            svg.text(TextWrap.truncate(s, width: width - 22, size: fs), x: x + 21, y: y)
        }
        svg.open("g", [("id", "key"), ("class", "key")])
        svg.raw("\n")
        if r.paper != nil {
            let x = pageWidth - style.margin - 200
            var y = legendBottom + style.legendSize * 1.2
            svg.text(lang("Numbered units"), x: x, y: y, [("class", "head"), ("font-weight", "bold")])
            y += row * 1.3
            let bottom = pageHeight - style.margin - 24
            let fitting = max(0, Int((bottom - y) / row))
            for (k, e) in key.enumerated() where k < fitting - (key.count > fitting ? 1 : 0) {
                entry(e, x: x, y: y, width: 200)
                y += row
            }
            if key.count > fitting {
                svg.text(lang("… and {1} more", String(key.count - max(0, fitting - 1))), x: x + 21, y: y)
            }
        } else {
            let top = pageHeight - style.margin + 6
            let colWidth = 230.0
            let cols = max(1, Int((pageWidth - 2 * style.margin) / colWidth))
            let rows = (key.count + cols - 1) / cols
            svg.text(lang("Numbered units"), x: style.margin, y: top + fs, [("font-weight", "bold")])
            for (k, e) in key.enumerated() {
                entry(
                    e, x: style.margin + Double(k / rows) * colWidth, y: top + fs + row * Double(k % rows + 1) + 4,
                    width: colWidth)
            }
            pageHeight = top + fs + row * Double(rows + 1) + 8 + style.margin
        }
        svg.close("g")
    }

    /// A scale bar true to the projection at the map's centre (projected metres × the CRS's
    /// scale there, measured geodesically).
    func drawScaleBar(into svg: inout SVGDocument, used: BoundingBox) {
        // Ground metres per projected metre at the centre: compare a 1 km geodesic with its projection.
        let groundPerMap = proj.groundPerGrid(at: frame.extent.center)
        let pxPerKm = frame.scale * 1000 / groundPerMap
        let targetKm = (used.width * 0.22) / pxPerKm
        let e = pow(10, floor(log10(targetKm)))
        let km = [1.0, 2.0, 5.0, 10.0].map { $0 * e }.last { $0 <= targetKm } ?? e
        let len = km * pxPerKm
        let x = used.minX + 12
        let y = used.maxY - 18
        var attrs = [
            ("id", "scale-bar"), ("data-km", JSONValue.format(km)),
            ("data-px-per-km", JSONValue.format(pxPerKm, decimals: 4)),
        ]
        if let n = scaleDenominator { attrs.append(("data-scale", String(n))) }
        svg.open("g", attrs)
        svg.raw("\n")
        if let n = scaleDenominator {
            svg.text(
                lang("Scale 1:{1}", lang.number(Double(n), 0)), x: x, y: y + 16,
                [("class", "note"), ("font-weight", "bold")])
        }
        for i in 0..<4 {
            svg.element(
                "rect",
                [
                    ("class", "bar"), ("x", svg.num(x + len * Double(i) / 4)), ("y", svg.num(y)),
                    ("width", svg.num(len / 4)), ("height", "5"),
                    ("fill", i % 2 == 0 ? "#1a1a1a" : "#ffffff"),
                ])
        }
        svg.text("0", x: x, y: y - 4, [("class", "note"), ("text-anchor", "middle")])
        svg.text(
            lang.number(km / 2, Language.decimalsNeeded(km / 2)), x: x + len / 2, y: y - 4,
            [("class", "note"), ("text-anchor", "middle")])
        svg.text(
            "\(lang.number(km, Language.decimalsNeeded(km))) km", x: x + len, y: y - 4,
            [("class", "note"), ("text-anchor", "middle")])
        svg.close("g")
    }

    /// A north arrow turned to true north at the map's centre (grid convergence).
    func drawNorthArrow(into svg: inout SVGDocument, used: BoundingBox) {
        let angle = proj.northAngle(at: frame.extent.center)
        let cx = used.maxX - 22
        let cy = used.minY + 30
        svg.raw(
            "<g id=\"north-arrow\" data-angle=\"\(JSONValue.format(angle, decimals: 3))\" transform=\"translate(\(svg.num(cx)) \(svg.num(cy))) rotate(\(JSONValue.format(angle, decimals: 2)))\">"
        )
        svg.raw(
            "<path d=\"M0 -16L7 8L0 3Z\" fill=\"#1a1a1a\"/><path d=\"M0 -16L-7 8L0 3Z\" fill=\"#ffffff\" stroke=\"#1a1a1a\" stroke-width=\"0.8\"/>"
        )
        svg.raw(
            "<text x=\"0\" y=\"-20\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">\(XMLText.escape(lang("N")))</text></g>\n"
        )
    }
}
