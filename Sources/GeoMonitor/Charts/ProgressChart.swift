import Foundation

/// An SVG chart of a target's progress over time: the cumulative figure achieved at the end of
/// each month against the expected line (goal × elapsed share of the period) and the goal, with
/// axes, units, months and numbers in the chart's language.
///
/// ```swift
/// let history = try ProgressHistory.compute(engine, target: "afforestation-2024", through: asOf)
/// let svg = ProgressChart(history: history, language: try Language.load("vi")).svg()
/// ```
public struct ProgressChart: Sendable {
    /// The history drawn.
    public var history: ProgressHistory
    /// One locality's series instead of the province's (its code and name), if any.
    public var locality: (code: String, name: String)?
    /// The language of the title, axes, legend, months and numbers.
    public var language: Language
    /// Width of the chart in SVG user units (page pixels).
    public var width = 760.0
    /// Height of the chart in SVG user units.
    public var height = 400.0

    /// A chart of `history`, province-wide unless `locality` is given.
    public init(history: ProgressHistory, locality: (code: String, name: String)? = nil, language: Language = .english)
    {
        self.history = history
        self.locality = locality
        self.language = language
    }

    /// The chart as a standalone SVG document. Each month's point carries `data-day`,
    /// `data-achieved` and `data-expected`; the expected line and the goal carry their figures.
    public func svg() -> String {
        let lang = language
        let t = history.target
        let series = history.series(locality: locality?.code)
        let goal = locality.map { history.quotas[$0.code] } ?? history.goal
        let unit = lang.unit(t.unit)
        var svg = SVGDocument(width: width, height: height, decimals: 2)
        let left = 78.0
        let right = width - 18
        let top = 74.0
        let bottom = height - 70
        let start = t.period.start
        let end = t.period.end
        let span = Double(max(1, end.ordinal - start.ordinal + 1))
        func x(_ d: Day) -> Double { left + (right - left) * Double(d.ordinal - start.ordinal + 1) / span }
        let x0 = left
        let top0 = max(goal ?? 0, series.map(\.achieved).max() ?? 0, series.compactMap(\.expected).max() ?? 0)
        let step = Self.niceStep(top0 / 5)
        let ymax = step > 0 ? (top0 / step).rounded(.up) * step : 1
        func y(_ v: Double) -> Double { bottom - (bottom - top) * v / ymax }
        let decimals = step >= 1 ? 0 : Language.decimalsNeeded(step)

        svg.element(
            "rect",
            [("x", "0"), ("y", "0"), ("width", svg.num(width)), ("height", svg.num(height)), ("fill", "#ffffff")])
        // Title and subtitle.
        let place = locality?.name ?? lang("province")
        svg.text(
            TextWrap.truncate(lang("Progress over time — {1}", lang.title(t)), width: width - 36, size: 15), x: 18,
            y: 24, [("class", "ch-title")])
        let last = series.last
        var sub = "\(t.clause) · \(place)"
        if let last {
            sub +=
                " · "
                + lang(
                    "{1} {2} by {3}", lang.number(last.achieved, ProgressOutput.decimals(last.achieved, unit: t.unit)),
                    unit, lang.date(last.day))
        }
        if let goal { sub += " · " + lang("goal {1} {2}", lang.number(goal, Language.decimalsNeeded(goal)), unit) }
        svg.text(TextWrap.truncate(sub, width: width - 36, size: 11), x: 18, y: 43, [("class", "ch-sub")])
        // Grid and y axis.
        svg.open("g", [("id", "y-axis"), ("class", "ch-axis")])
        svg.raw("\n")
        var v = 0.0
        while v <= ymax + step * 1e-6 && step > 0 {
            svg.element("path", [("class", "ch-grid"), ("d", "M\(svg.num(x0)) \(svg.num(y(v)))H\(svg.num(right))")])
            svg.text(lang.number(v, decimals), x: x0 - 6, y: y(v) + 3.5, [("text-anchor", "end")])
            v += step
        }
        svg.text(unit, x: x0 - 6, y: top - 14, [("text-anchor", "end"), ("class", "ch-unit")])
        svg.close("g")
        // x axis: a tick and label at each month's end.
        svg.open("g", [("id", "x-axis"), ("class", "ch-axis")])
        svg.raw("\n")
        svg.element("path", [("class", "ch-base"), ("d", "M\(svg.num(x0)) \(svg.num(bottom))H\(svg.num(right))")])
        var monthEnds: [(Int, Int, Day)] = []
        var yy = start.year
        var mm = start.month
        while (yy, mm) <= (end.year, end.month) {
            monthEnds.append((yy, mm, min(end, Day(year: yy, month: mm, day: Day.daysIn(yy, mm)) ?? end)))
            mm += 1
            if mm > 12 {
                mm = 1
                yy += 1
            }
        }
        let labelWidth =
            (monthEnds.map { TextWrap.width(lang.month(year: $0.0, month: $0.1), size: 10.5) }.max() ?? 40) + 8
        let every = max(1, Int((Double(monthEnds.count) * labelWidth / (right - left)).rounded(.up)))
        for (i, me) in monthEnds.enumerated() {
            let mx = x(me.2)
            svg.element("path", [("class", "ch-base"), ("d", "M\(svg.num(mx)) \(svg.num(bottom))v4")])
            if i % every == 0 || i == monthEnds.count - 1 {
                let label = lang.month(year: me.0, month: me.1)
                svg.text(
                    label, x: mx - (right - left) / Double(max(1, monthEnds.count)) / 2, y: bottom + 16,
                    [("text-anchor", "middle")])
            }
        }
        svg.close("g")
        // Expected line: 0 at the period's start to the goal at its end.
        if let goal {
            svg.element(
                "path",
                [
                    ("id", "expected"), ("class", "ch-expected"), ("data-goal", JSONValue.format(goal)),
                    ("d", "M\(svg.num(x0)) \(svg.num(y(0)))L\(svg.num(right)) \(svg.num(y(goal)))"),
                ])
            svg.element(
                "path",
                [("id", "goal"), ("class", "ch-goal"), ("d", "M\(svg.num(x0)) \(svg.num(y(goal)))H\(svg.num(right))")])
        }
        // Achieved: cumulative line from 0 at the start, a point per month.
        if !series.isEmpty {
            var d = "M\(svg.num(x0)) \(svg.num(y(0)))"
            for s in series { d += "L\(svg.num(x(s.day))) \(svg.num(y(s.achieved)))" }
            svg.element("path", [("id", "achieved-area"), ("class", "ch-area"), ("d", d + "V\(svg.num(bottom))Z")])
            svg.element("path", [("id", "achieved"), ("class", "ch-achieved"), ("d", d)])
            svg.open("g", [("id", "points")])
            svg.raw("\n")
            for s in series {
                let tip =
                    "\(lang.date(s.day)): \(ProgressOutput.figure(s.achieved, unit: t.unit, lang))"
                svg.element(
                    "circle",
                    [
                        ("class", "ch-point"), ("cx", svg.num(x(s.day))), ("cy", svg.num(y(s.achieved))), ("r", "3"),
                        ("data-day", s.day.description), ("data-achieved", JSONValue.format(s.achieved, decimals: 6)),
                        ("data-expected", s.expected.map { JSONValue.format($0, decimals: 6) } ?? ""),
                    ], title: tip)
            }
            svg.close("g")
        }
        // Legend under the axis.
        let ly = height - 22
        var lx = 18.0
        svg.open("g", [("id", "chart-legend"), ("class", "ch-legend")])
        svg.raw("\n")
        var items: [(String, String)] = [("ch-achieved", lang("Achieved (cumulative, by status date)"))]
        if goal != nil {
            items += [
                ("ch-expected", lang("Expected (goal × share of the period elapsed)")), ("ch-goal", lang("Goal")),
            ]
        }
        for (cls, label) in items {
            svg.element("path", [("class", cls), ("d", "M\(svg.num(lx)) \(svg.num(ly - 4))h22")])
            svg.text(label, x: lx + 28, y: ly, [])
            lx += 28 + TextWrap.width(label, size: 10.5) + 18
        }
        svg.close("g")
        let css = """
            text{font-family:'Noto Sans','DejaVu Sans','Liberation Sans',Arial,sans-serif;fill:#1a1a1a;font-size:10.5px}
            .ch-title{font-size:15px;font-weight:bold}
            .ch-sub{font-size:11px;fill:#444}
            .ch-unit{font-weight:bold}
            .ch-grid{stroke:#e3e3e3;stroke-width:0.8;fill:none}
            .ch-base{stroke:#555;stroke-width:1;fill:none}
            .ch-expected{stroke:#d55e00;stroke-width:1.6;stroke-dasharray:6 4;fill:none}
            .ch-goal{stroke:#777;stroke-width:1;stroke-dasharray:2 3;fill:none}
            .ch-achieved{stroke:#0072b2;stroke-width:2.4;fill:none;stroke-linejoin:round}
            .ch-area{fill:#0072b2;fill-opacity:0.12;stroke:none}
            .ch-point{fill:#0072b2;stroke:#ffffff;stroke-width:1}
            """
        return svg.document(
            title: lang("Progress over time — {1}", lang.title(t)),
            description: lang("geomonitor chart, as of {1}", lang.date(series.last?.day ?? t.period.start)),
            style: css, language: lang.code)
    }

    /// 1, 2, 2.5 or 5 × a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 0 }
        let e = pow(10, floor(log10(raw)))
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * e >= raw { return m * e }
        return 10 * e
    }
}
