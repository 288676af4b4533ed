/// Lays out a report's A4 pages: a current page, new pages when content does not fit, and tables
/// that continue on the next page with their header repeated.
struct ReportLayout {
    /// A table column: its title, its share of the content width, its alignment, and how many
    /// lines its cells may wrap to.
    struct Column {
        var title: String
        var share: Double
        var right = false
        var maxLines = 1
    }

    /// A table row: its cells, a fill for the row, and a fill for one highlighted cell.
    struct Row {
        var cells: [String]
        var fill: String? = nil
        var cellFill: (index: Int, colour: String)? = nil
        var bold = false
    }

    var pages: [ReportPage] = []
    var page = ReportPage()
    let language: Language
    /// Text repeated at the top of every page but the cover.
    let runningHead: String

    init(language: Language, runningHead: String) {
        self.language = language
        self.runningHead = runningHead
    }

    /// Starts a new page (the running head at its top).
    mutating func newPage(head: Bool = true) {
        if !page.body.isEmpty { pages.append(page) }
        page = ReportPage()
        if head && !runningHead.isEmpty {
            page.text(
                TextWrap.truncate(runningHead, width: page.contentWidth, size: 8.5), x: page.left,
                y: ReportPage.margin - 18, size: 8.5, fill: "#555555")
            page.line(
                x1: page.left, y1: ReportPage.margin - 12, x2: page.left + page.contentWidth,
                y2: ReportPage.margin - 12, stroke: "#bbbbbb")
        }
    }

    /// Makes sure `height` fits below the cursor, else starts a new page.
    mutating func need(_ height: Double) {
        if page.room < height { newPage() }
    }

    /// A table, continued on following pages as needed (its header repeated).
    mutating func table(_ columns: [Column], _ rows: [Row], size: Double = 9) {
        let widths = columns.map { $0.share * page.contentWidth }
        let pad = 4.0
        let lineH = size * 1.3
        func drawHeader() {
            let h = lineH + 8
            page.rect(x: page.left, y: page.y, w: page.contentWidth, h: h, fill: "#e8ecef")
            var x = page.left
            for (i, c) in columns.enumerated() {
                let t = TextWrap.truncate(c.title, width: widths[i] - 2 * pad, size: size)
                page.text(
                    t, x: c.right ? x + widths[i] - pad : x + pad, y: page.y + lineH + 1.5, size: size, bold: true,
                    anchor: c.right ? "end" : "start")
                x += widths[i]
            }
            page.y += h
        }
        need(lineH * 3 + 16)
        drawHeader()
        for r in rows {
            let cellLines = columns.indices.map { i in
                TextWrap.lines(
                    i < r.cells.count ? r.cells[i] : "", width: widths[i] - 2 * pad, size: size,
                    maxLines: columns[i].maxLines)
            }
            let n = cellLines.map(\.count).max() ?? 1
            let h = Double(n) * lineH + 6
            if page.room < h {
                newPage()
                drawHeader()
            }
            if let fill = r.fill { page.rect(x: page.left, y: page.y, w: page.contentWidth, h: h, fill: fill) }
            var x = page.left
            for (i, c) in columns.enumerated() {
                if let cf = r.cellFill, cf.index == i {
                    page.rect(x: x, y: page.y, w: widths[i], h: h, fill: cf.colour)
                }
                for (k, l) in cellLines[i].enumerated() {
                    page.text(
                        l, x: c.right ? x + widths[i] - pad : x + pad,
                        y: page.y + 3 + lineH * Double(k + 1) - size * 0.25, size: size, bold: r.bold,
                        anchor: c.right ? "end" : "start")
                }
                x += widths[i]
            }
            page.line(
                x1: page.left, y1: page.y + h, x2: page.left + page.contentWidth, y2: page.y + h, stroke: "#d0d0d0",
                width: 0.5)
            page.y += h
        }
        page.y += 10
    }

    /// The pages, each a standalone SVG document with its footer and "page n / N".
    mutating func finish(title: String, footer: String) -> [String] {
        if !page.body.isEmpty {
            pages.append(page)
            page = ReportPage()
        }
        let n = pages.count
        return pages.enumerated().map { i, p in
            p.document(title: title, language: language, footer: i == 0 ? "" : footer)
                .replacingOccurrences(
                    of: "{{PAGE}}", with: XMLText.escape(language("Page {1} of {2}", String(i + 1), String(n))))
        }
    }
}
