/// A small SVG 1.1 writer: elements are appended as text; every attribute value and text node is escaped.
struct SVGDocument {
    let width: Double
    /// The page height; may grow while drawing (a key table under the map).
    var height: Double
    private(set) var body: String = ""
    let num: PageNumber
    /// The printed size in millimetres (the root's `width`/`height` then say `mm`), nil on screen.
    var physical: (width: Double, height: Double)? = nil

    init(width: Double, height: Double, decimals: Int) {
        self.width = width
        self.height = height
        num = PageNumber(decimals: decimals)
    }

    static func attrs(_ a: [(String, String)]) -> String {
        a.map { " \($0.0)=\"\(XMLText.escape($0.1))\"" }.joined()
    }

    mutating func raw(_ s: String) { body += s }

    mutating func open(_ name: String, _ a: [(String, String)] = []) { body += "<\(name)\(Self.attrs(a))>" }
    mutating func close(_ name: String) { body += "</\(name)>\n" }

    /// An element with an optional tooltip (`<title>`) child.
    mutating func element(_ name: String, _ a: [(String, String)], title: String? = nil) {
        if let title {
            body += "<\(name)\(Self.attrs(a))><title>\(XMLText.escape(title))</title></\(name)>\n"
        } else {
            body += "<\(name)\(Self.attrs(a))/>\n"
        }
    }

    mutating func text(_ s: String, x: Double, y: Double, _ a: [(String, String)] = []) {
        body += "<text x=\"\(num(x))\" y=\"\(num(y))\"\(Self.attrs(a))>\(XMLText.escape(s))</text>\n"
    }

    /// Path data for rings (closed) in page coordinates.
    func ringPath(_ rings: [[Coordinate]]) -> String {
        var d = ""
        for r in rings where r.count >= 3 {
            var last: (String, String)? = nil
            for (i, c) in r.dropLast().enumerated() {
                let p = (num(c.x), num(c.y))
                if let l = last, l == p { continue }  // collapsed by rounding
                d += (i == 0 ? "M" : (last == nil ? "M" : "L")) + p.0 + " " + p.1
                last = p
            }
            d += "Z"
        }
        return d
    }

    /// Path data for open polylines.
    func linePath(_ lines: [[Coordinate]]) -> String {
        var d = ""
        for l in lines where l.count >= 2 {
            var last: (String, String)? = nil
            for c in l {
                let p = (num(c.x), num(c.y))
                if let q = last, q == p { continue }
                d += (last == nil ? "M" : "L") + p.0 + " " + p.1
                last = p
            }
        }
        return d
    }

    /// `width="…" height="…"`: millimetres on paper, page pixels on screen.
    var sizeAttributes: String {
        if let p = physical {
            return
                "width=\"\(JSONValue.format(p.width, decimals: 3))mm\" height=\"\(JSONValue.format(p.height, decimals: 3))mm\""
        }
        return "width=\"\(num(width))\" height=\"\(num(height))\""
    }

    /// The whole document; `language` is its `xml:lang` (`vi`), for screen readers and hyphenation.
    func document(title: String, description: String, style: String, language: String = "en") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" xml:lang="\(XMLText.escape(language))" \(sizeAttributes) viewBox="0 0 \(num(width)) \(num(height))">
        <title>\(XMLText.escape(title))</title>
        <desc>\(XMLText.escape(description))</desc>
        <style type="text/css"><![CDATA[
        \(style.replacingOccurrences(of: "]]>", with: ""))
        ]]></style>

        """ + body + "</svg>\n"
    }
}
