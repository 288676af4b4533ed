import Foundation
internal import PrintKit

/// The progress report a planner hands on: A4 pages with a cover, a summary table of every
/// target coloured by status, for each spatial target its map, per-locality table and
/// progress-over-time chart with its figures, the stalled projects (clause III.7), and an annex
/// with every warning of the run — as a PDF (librsvg and cairo: fonts embedded, text
/// extractable) or one self-contained HTML file.
///
/// ```swift
/// let engine = try ProgressEngine(dataset: data)
/// let report = try ReportDocument.build(engine: engine, renderer: MapRenderer(dataset: data, language: try Language.load("vi")),
///                                       asOf: Day(iso: "2024-12-31"))
/// try OutputFile.write(try report.pdf(), to: "bao-cao.pdf")
/// ```
public struct ReportDocument: Sendable {
    /// The pages, each a standalone A4 SVG document (210 × 297 mm), text in NFC.
    public let pages: [String]
    /// The document's title (the PDF's metadata, the HTML's `<title>`).
    public let title: String
    /// The language it is written in.
    public let language: Language

    /// Stalled projects are those without a status change for this many months (III.7).
    public static let stalledMonths = 12

    /// Builds the report.
    /// - Parameters:
    ///   - engine: the progress engine over the dataset (its catalog and reported values).
    ///   - renderer: draws the maps, in its style and ``MapRenderer/language`` (the report's language).
    ///   - asOf: the assessment date.
    ///   - targets: target ids to report on (all of the catalog's when empty).
    ///   - locality: one locality of the engine's dataset (``LocalityDirectory/find(_:)`` finds it
    ///     from what a user typed): its rows, its map and its chart only.
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` for an unknown target or locality,
    ///   `.crs` when maps cannot be drawn.
    public static func build(
        engine: ProgressEngine, renderer: MapRenderer, asOf: Day, targets: [String] = [], locality: Locality? = nil
    ) throws -> ReportDocument {
        let lang = renderer.language
        let data = engine.dataset
        let report = try engine.run(asOf: asOf, targets: targets, locality: locality)
        let focus = locality
        let province =
            data.localities.province.map { [$0.type, $0.name].compactMap { $0 }.joined(separator: " ") }
            ?? data.manifest.name
        let docTitle = lang("Progress report — {1} — as of {2}", province, lang.date(asOf))
        let boundaries = URL(fileURLWithPath: data.manifest.localities.source).lastPathComponent
        var layout = ReportLayout(
            language: lang, runningHead: "\(province) · \(report.programme.id) · " + lang("as of {1}", lang.date(asOf)))

        // Cover.
        layout.newPage(head: false)
        layout.page.y = 150
        layout.page.paragraph(province.uppercased(), size: 13, bold: true, fill: "#23412f")
        layout.page.y += 24
        layout.page.paragraph(lang("Progress report on the targets of the action programme"), size: 24, bold: true)
        layout.page.y += 6
        layout.page.paragraph(report.programme.title, size: 12, italic: true, maxLines: 6, fill: "#333333")
        layout.page.y += 22
        layout.page.paragraph(lang("As of {1}", lang.date(asOf)), size: 16, bold: true)
        if let focus { layout.page.paragraph(lang("Locality: {1}", focus.displayName), size: 13) }
        layout.page.y += 28
        let spatial = report.targets.filter { Self.isSpatial($0) }
        let facts: [(String, String)] = [
            (
                lang("Programme"),
                "\(report.programme.id) (\(lang.date(report.programme.period.start)) – \(lang.date(report.programme.period.end)))"
            ),
            (lang("Data"), data.manifest.name),
            (
                lang("Boundaries"),
                lang("{1}: {2} localities", boundaries, lang.number(Double(data.localities.all.count), 0))
            ),
            (lang("Projects"), lang.number(Double(data.projects.count), 0)),
            (
                lang("Targets"),
                lang(
                    "{1}, of which {2} mapped", lang.number(Double(report.targets.count), 0),
                    lang.number(Double(spatial.count), 0))
            ),
            (lang("Warnings"), lang.number(Double(report.warnings.count), 0)),
        ]
        for (k, v) in facts {
            layout.page.y += 17
            layout.page.text(k, x: layout.page.left, y: layout.page.y, size: 11, bold: true)
            for (i, l) in TextWrap.lines(v, width: layout.page.contentWidth - 150, size: 11, maxLines: 2).enumerated() {
                if i > 0 { layout.page.y += 14 }
                layout.page.text(l, x: layout.page.left + 150, y: layout.page.y, size: 11)
            }
        }
        layout.page.y += 36
        // Status counts, as coloured chips.
        var x = layout.page.left
        for s in ProgressStatus.allCases {
            let n = report.targets.filter { $0.status == s }.count
            guard n > 0 else { continue }
            let label = "\(lang.status(s)): \(lang.number(Double(n), 0))"
            let w = TextWrap.width(label, size: 11) + 18
            if x + w > layout.page.left + layout.page.contentWidth {
                x = layout.page.left
                layout.page.y += 26
            }
            layout.page.rect(
                x: x, y: layout.page.y, w: w, h: 20, fill: Self.cellColour[s] ?? "#eeeeee", stroke: "#999999")
            layout.page.text(label, x: x + 9, y: layout.page.y + 14, size: 11)
            x += w + 8
        }
        layout.page.text(
            lang("Made with geomonitor from {1}; figures computed from the geometries.", data.manifest.name),
            x: layout.page.left, y: ReportPage.bottom, size: 8.5, fill: "#555555")

        // Summary table.
        layout.newPage()
        layout.page.heading(lang("Summary: every target as of {1}", lang.date(asOf)))
        let columns: [ReportLayout.Column] = [
            .init(title: lang("clause"), share: 0.08), .init(title: lang("target"), share: 0.42, maxLines: 3),
            .init(title: lang("goal"), share: 0.13, right: true, maxLines: 2),
            .init(title: lang("achieved"), share: 0.13, right: true, maxLines: 2),
            .init(title: lang("percent"), share: 0.08, right: true), .init(title: lang("status"), share: 0.16),
        ]
        let rows = report.targets.map { p in
            let unit = lang.unit(p.target.unit)
            let goal = ProgressOutput.goalText(p, lang)
            return ReportLayout.Row(
                cells: [
                    p.target.clause, lang.title(p.target), goal + (p.target.goal == nil ? "" : " " + unit),
                    p.achieved.map { ProgressOutput.fmt($0, unit: p.target.unit, lang) + " " + unit } ?? "–",
                    lang.percent(p.percent), lang.status(p.status),
                ],
                fill: Self.rowColour[p.status], cellFill: (5, Self.cellColour[p.status] ?? "#eeeeee"))
        }
        layout.table(columns, rows, size: 8.5)

        // Each spatial target: map and locality table, then chart and monthly figures.
        for p in spatial {
            let t = p.target
            let unit = lang.unit(t.unit)
            layout.newPage()
            layout.page.heading("\(t.clause) — \(lang.title(t))", size: 13)
            layout.page.paragraph(
                lang(
                    "Goal {1} · achieved {2} ({3}) · {4}", ProgressOutput.goalText(p, lang) + " " + unit,
                    (p.achieved.map { ProgressOutput.fmt($0, unit: t.unit, lang) } ?? "–") + " " + unit,
                    lang.percent(p.percent), lang.status(p.status)), size: 10)
            let map =
                try focus.map { try renderer.localityMap($0, progress: p, asOf: asOf) }
                ?? renderer.provinceMap(p, asOf: asOf)
            let (mw, mh) = Self.size(of: map)
            let maxH = min(layout.page.room * 0.62, 560)
            layout.page.embed(
                map, width: min(layout.page.contentWidth, maxH * mw / max(mh, 1)), naturalWidth: mw, naturalHeight: mh)
            let hasQuota = p.localities.contains { $0.quota != nil }
            let locColumns: [ReportLayout.Column] = [
                .init(title: lang("code"), share: 0.1), .init(title: lang("locality"), share: 0.3),
                .init(title: lang("achieved") + " (\(unit))", share: 0.16, right: true),
                .init(title: lang("quota"), share: 0.12, right: true),
                .init(title: lang("percent"), share: 0.1, right: true), .init(title: lang("status"), share: 0.14),
                .init(title: lang("projects"), share: 0.08, right: true),
            ]
            var locRows = p.localities.map { l in
                ReportLayout.Row(
                    cells: [
                        l.code, l.name, ProgressOutput.fmt(l.achieved, unit: t.unit, lang),
                        ProgressOutput.fmt(l.quota, unit: t.unit, lang),
                        lang.percent(l.percent), l.status.map(lang.status) ?? "", lang.number(Double(l.projects), 0),
                    ],
                    fill: l.status.flatMap { Self.rowColour[$0] },
                    cellFill: l.status.map { (5, Self.cellColour[$0] ?? "#eeeeee") })
            }
            if focus == nil {
                locRows.append(
                    .init(
                        cells: [
                            "", lang("province"), ProgressOutput.fmt(p.achieved, unit: t.unit, lang),
                            hasQuota ? ProgressOutput.fmt(p.value, unit: t.unit, lang) : "–",
                            lang.percent(p.percent), lang.status(p.status), lang.number(Double(p.projectIDs.count), 0),
                        ], bold: true))
            }
            layout.table(locColumns, locRows, size: 8.5)

            guard ProgressHistory.applies(to: t) else { continue }
            let history = try ProgressHistory.compute(engine, target: t.id, through: asOf)
            var chart = ProgressChart(history: history, locality: focus.map { ($0.code, $0.name) }, language: lang)
            chart.width = 760
            chart.height = 400
            layout.need(380)
            layout.page.heading(lang("Progress over time — {1}", t.clause), size: 12)
            layout.page.embed(
                chart.svg(), width: layout.page.contentWidth, naturalWidth: chart.width, naturalHeight: chart.height)
            let monthColumns: [ReportLayout.Column] = [
                .init(title: lang("month"), share: 0.22),
                .init(title: lang("achieved, cumulative") + " (\(unit))", share: 0.3, right: true),
                .init(title: lang("expected") + " (\(unit))", share: 0.26, right: true),
                .init(title: lang("% of expected"), share: 0.22, right: true),
            ]
            let monthRows = history.series(locality: focus?.code).map { s in
                ReportLayout.Row(cells: [
                    lang.date(s.day), ProgressOutput.fmt(s.achieved, unit: t.unit, lang),
                    ProgressOutput.fmt(s.expected, unit: t.unit, lang),
                    lang.percent(s.expected.flatMap { $0 > 0 ? s.achieved / $0 * 100 : nil }),
                ])
            }
            layout.table(monthColumns, monthRows, size: 8.5)
        }

        // Stalled projects (III.7).
        layout.newPage()
        layout.page.heading(
            lang("Stalled projects (III.7): no status change for {1} months or more", String(stalledMonths)))
        // With a district: the stalled projects with a share in it.
        let inFocus: Set<String>? = focus.map { fc in
            Set(
                data.projects.indices.filter { i in engine.assignment.shares[i].contains { $0.code == fc.code } }.map {
                    data.projects[$0].id
                })
        }
        let stalled = StalledProjects.find(in: data, asOf: asOf, months: stalledMonths).filter {
            inFocus?.contains($0.project.id) ?? true
        }
        if stalled.isEmpty {
            layout.page.paragraph(lang("None."), size: 10)
        } else {
            let sc: [ReportLayout.Column] = [
                .init(title: lang("id"), share: 0.14, maxLines: 2),
                .init(title: lang("name"), share: 0.36, maxLines: 2), .init(title: lang("kind"), share: 0.16),
                .init(title: lang("status"), share: 0.14), .init(title: lang("since"), share: 0.12),
                .init(title: lang("months"), share: 0.08, right: true),
            ]
            layout.table(
                sc,
                stalled.map { f in
                    .init(cells: [
                        f.project.id, f.project.name, lang.kind(f.project.kind), lang.projectStatus(f.project.status),
                        f.project.date.map(lang.date) ?? "?", f.months.map { lang.number(Double($0), 0) } ?? "?",
                    ])
                }, size: 8.5)
        }

        // Annex: every warning of the run.
        layout.newPage()
        layout.page.heading(lang("Annex: warnings of this run ({1})", lang.number(Double(report.warnings.count), 0)))
        if report.warnings.isEmpty { layout.page.paragraph(lang("None."), size: 10) }
        for (i, w) in report.warnings.enumerated() {
            let lines = TextWrap.lines(
                "\(i + 1). [\(w.code)] \(w.message)", width: layout.page.contentWidth - 10, size: 8.5, maxLines: 12)
            layout.need(Double(lines.count) * 11.5 + 4)
            layout.page.paragraph("\(i + 1). [\(w.code)] \(w.message)", size: 8.5, indent: 0, maxLines: 12)
        }

        let pages = layout.finish(title: docTitle, footer: "geomonitor · \(data.manifest.name) · \(lang.date(asOf))")
            .map { $0.precomposedStringWithCanonicalMapping }
        return ReportDocument(pages: pages, title: docTitle.precomposedStringWithCanonicalMapping, language: lang)
    }

    /// A target drawn on a map: a sum or count with locality rows.
    static func isSpatial(_ p: TargetProgress) -> Bool {
        ProgressHistory.applies(to: p.target) && !p.localities.isEmpty
    }

    /// The width and height of an SVG document's root element (1000 × 760 when unreadable).
    static func size(of svg: String) -> (Double, Double) {
        func attr(_ name: String) -> Double? {
            guard let r = svg.range(of: " \(name)=\"") else { return nil }
            let rest = svg[r.upperBound...]
            return Double(rest.prefix { $0 != "\"" })
        }
        return (attr("width") ?? 1000, attr("height") ?? 760)
    }

    /// Status colours: strong for the status cell, light for its row (colour-blind safe: they
    /// differ in lightness as well as hue, and the status is always written out too).
    static let cellColour: [ProgressStatus: String] = [
        .achieved: "#a6d96a", .onTrack: "#d9ef8b", .atRisk: "#fee08b", .behind: "#f4a582", .noData: "#d9d9d9",
        .monitoring: "#eeeeee",
    ]
    static let rowColour: [ProgressStatus: String] = [
        .achieved: "#f0f8e8", .onTrack: "#f7fbe8", .atRisk: "#fff9e0", .behind: "#fdf0ea", .noData: "#f5f5f5",
        .monitoring: "#fafafa",
    ]

    /// The report as a PDF: every page rendered by librsvg onto cairo's PDF surface (fonts
    /// embedded as subsets, text extractable).
    /// - Throws: ``GeoMonitorError`` of kind `.output` when librsvg or cairo fail.
    public func pdf() throws -> Data {
        do { return try PDFRenderer.pdf(pages: pages, widthMM: 210, heightMM: 297, title: title) } catch let e
            as PrintError
        {
            throw GeoMonitorError(.output, "PDF: \(e.message)")
        }
    }

    /// The report as one self-contained HTML file: the same pages, inline SVG (no file fetched),
    /// one per printed A4 page.
    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="\(XMLText.escape(language.code))"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(XMLText.escape(title))</title>
            <style>
            @page{size:A4;margin:0}
            body{margin:0;background:#e5e5e5;font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif}
            .page{width:210mm;height:297mm;margin:12px auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25);page-break-after:always;break-after:page}
            .page>svg{width:100%;height:100%;display:block}
            @media print{body{background:#fff}.page{margin:0;box-shadow:none}}
            </style></head><body>

            """
        for (i, p) in pages.enumerated() {
            var svg = p
            if svg.hasPrefix("<?xml"), let end = svg.range(of: "?>\n") { svg = String(svg[end.upperBound...]) }
            // Ids are unique per page; prefix them so pages do not clash in one HTML document.
            svg = svg.replacingOccurrences(of: " id=\"", with: " id=\"p\(i + 1)-").replacingOccurrences(
                of: "url(#", with: "url(#p\(i + 1)-")
            out += "<section class=\"page\" id=\"page-\(i + 1)\">\n\(svg)</section>\n"
        }
        return out + "</body></html>\n"
    }
}
