import Foundation

/// Escaping for text from data placed in SVG/HTML/XML: names may contain `<`, `&`, quotes.
package enum XMLText {
    /// `s` with `& < > " '` escaped and the control characters XML 1.0 forbids removed: safe in
    /// element text and in quoted attribute values.
    package static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Characters XML 1.0 forbids are dropped.
                if u.value < 0x20 && u != "\n" && u != "\t" && u != "\r" { continue }
                if u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A safe token for `id`/`class`: letters, digits, '-', '_' only.
    package static func token(_ s: String) -> String {
        let t = String(VietnameseNames.fold(s).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return t.isEmpty ? "x" : t
    }
}

/// Formats page coordinates with a fixed number of decimals, without trailing zeros.
struct PageNumber {
    let decimals: Int
    let scale: Double

    init(decimals: Int) {
        self.decimals = decimals
        scale = JSONValue.pow10(decimals)
    }

    @inline(__always) func callAsFunction(_ v: Double) -> String {
        let r = (v * scale).rounded()
        guard r.isFinite, abs(r) < 9e18 else { return v.isFinite ? String(format: "%.6g", v) : "0" }
        if decimals == 0 || r == (r / scale).rounded() * scale { return String(Int64(r / scale)) }
        let neg = r < 0
        let a = Int64(abs(r))
        let ip = a / Int64(scale)
        let fp = a % Int64(scale)
        var f = String(fp)
        f = String(repeating: "0", count: decimals - f.count) + f
        while f.hasSuffix("0") { f.removeLast() }
        return (neg ? "-" : "") + String(ip) + "." + f
    }
}
