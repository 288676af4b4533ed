import Foundation

/// Number formatting for people: fixed decimals, thin grouping.
public enum NumberText {
    /// `v` with exactly `decimals` places and thousands grouped by commas (`12,345.60`); "–" for
    /// NaN or infinity; scientific notation for numbers too large for fixed digits.
    public static func fixed(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "–" }
        // Beyond what Int64 holds with the decimals: plain scientific notation, never a trap.
        guard abs(v) * JSONValue.pow10(min(max(decimals, 0), 15)) < 9e18 else { return String(format: "%.4g", v) }
        let p = JSONValue.pow10(min(max(decimals, 0), 15))
        let r = (abs(v) * p).rounded()
        let intPart = Int64(r / p)
        var s = group(String(intPart))
        if decimals > 0 {
            let frac = Int64(r - Double(intPart) * p)
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (v < 0 && r != 0 ? "-" : "") + s
    }

    static func group(_ digits: String) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return out
    }
}
