import Foundation

/// One A4 page of a report being laid out: SVG in CSS pixels (96 per inch, 793.7 × 1122.5), a
/// cursor going down the page, and the text and table primitives the report needs.
struct ReportPage {
    static let width = 210 / 25.4 * 96
    static let height = 297 / 25.4 * 96
    static let margin = 54.0
    /// Lowest y content may reach (above the footer).
    static let bottom = height - margin - 14

    var body = ""
    /// Where the next block goes.
    var y = margin
    var contentWidth: Double { Self.width - 2 * Self.margin }
    var left: Double { Self.margin }
    var room: Double { Self.bottom - y }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    mutating func text(
        _ s: String, x: Double, y: Double, size: Double, bold: Bool = false, italic: Bool = false,
        anchor: String = "start", fill: String = "#1a1a1a"
    ) {
        var a = "x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" font-size=\"\(Self.f(size))\""
        if bold { a += " font-weight=\"bold\"" }
        if italic { a += " font-style=\"italic\"" }
        if anchor != "start" { a += " text-anchor=\"\(anchor)\"" }
        if fill != "#1a1a1a" { a += " fill=\"\(fill)\"" }
        body += "<text class=\"r-text\" \(a)>\(XMLText.escape(s))</text>\n"
    }

    mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, stroke: String? = nil) {
        body +=
            "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(w))\" height=\"\(Self.f(h))\" fill=\"\(fill)\"\(stroke.map { " stroke=\"\($0)\" stroke-width=\"0.6\"" } ?? "")/>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#999999", width: Double = 0.6)
    {
        body +=
            "<path d=\"M\(Self.f(x1)) \(Self.f(y1))L\(Self.f(x2)) \(Self.f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.f(width))\" fill=\"none\"/>\n"
    }

    /// A paragraph wrapped to the content width; moves the cursor below it.
    mutating func paragraph(
        _ s: String, size: Double, bold: Bool = false, italic: Bool = false, indent: Double = 0, maxLines: Int = .max,
        fill: String = "#1a1a1a"
    ) {
        for l in TextWrap.lines(s, width: contentWidth - indent, size: size, maxLines: maxLines) {
            y += size * 1.3
            text(l, x: left + indent, y: y, size: size, bold: bold, italic: italic, fill: fill)
        }
        y += size * 0.4
    }

    /// A heading in bold, wrapped; moves the cursor below it.
    mutating func heading(_ s: String, size: Double = 15) {
        paragraph(s, size: size, bold: true, maxLines: 3)
        y += 4
    }

    /// A standalone SVG document (map, chart) placed at the cursor, scaled to `width`; moves the cursor below it.
    mutating func embed(_ svg: String, width: Double, naturalWidth: Double, naturalHeight: Double) {
        let h = width * naturalHeight / max(naturalWidth, 1)
        let x = left + (contentWidth - width) / 2
        var inner = svg
        if inner.hasPrefix("<?xml"), let end = inner.range(of: "?>") { inner = String(inner[end.upperBound...]) }
        // The embedded document's own width/height give way to the box it is placed in.
        if let open = inner.range(of: "<svg ") {
            inner.replaceSubrange(
                open, with: "<svg x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" preserveAspectRatio=\"xMidYMid meet\" ")
            if let w = inner.range(of: #"width="[^"]*" height="[^"]*""#, options: .regularExpression) {
                inner.replaceSubrange(w, with: "width=\"\(Self.f(width))\" height=\"\(Self.f(h))\"")
            }
        }
        body += inner + "\n"
        rect(x: x, y: y, w: width, h: h, fill: "none", stroke: "#cccccc")
        y += h + 10
    }

    /// The page as an SVG document (with the footer; `{{PAGES}}` is filled in once the page count is known).
    func document(title: String, language: Language, footer: String) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" xml:lang="\(XMLText.escape(language.code))" width="210mm" height="297mm" viewBox="0 0 \(Self.f(Self.width)) \(Self.f(Self.height))">
            <title>\(XMLText.escape(title))</title>
            <style type="text/css"><![CDATA[
            .r-text{font-family:'Noto Sans','DejaVu Sans','Liberation Sans',Arial,sans-serif}
            ]]></style>
            <rect x="0" y="0" width="\(Self.f(Self.width))" height="\(Self.f(Self.height))" fill="#ffffff"/>

            """
        s += body
        if !footer.isEmpty {
            s +=
                "<path d=\"M\(Self.f(Self.margin)) \(Self.f(Self.height - Self.margin + 2))H\(Self.f(Self.width - Self.margin))\" stroke=\"#bbbbbb\" stroke-width=\"0.6\"/>\n"
            s +=
                "<text class=\"r-text\" x=\"\(Self.f(Self.margin))\" y=\"\(Self.f(Self.height - Self.margin + 16))\" font-size=\"8.5\" fill=\"#555555\">\(XMLText.escape(footer))</text>\n"
            s +=
                "<text class=\"r-text\" x=\"\(Self.f(Self.width - Self.margin))\" y=\"\(Self.f(Self.height - Self.margin + 16))\" font-size=\"8.5\" fill=\"#555555\" text-anchor=\"end\">{{PAGE}}</text>\n"
        }
        return s + "</svg>\n"
    }
}
