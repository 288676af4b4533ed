/// Fitting text to a width on a page without font metrics: an average glyph of the sans-serif
/// fonts the pages use (Noto Sans, DejaVu Sans) is taken as 0.56 em wide, a slight overestimate
/// for Vietnamese text, so text fitted here never overflows its box.
enum TextWrap {
    /// Average advance of one character, in ems.
    static let em = 0.56

    /// Estimated width of `s` at `size` (font size in page units).
    static func width(_ s: String, size: Double) -> Double { Double(s.count) * size * em }

    /// `s` cut with "…" to fit `width`.
    static func truncate(_ s: String, width: Double, size: Double) -> String {
        let fit = max(1, Int(width / (size * em)))
        return s.count <= fit ? s : String(s.prefix(max(1, fit - 1))) + "…"
    }

    /// `s` broken at spaces into lines that fit `width`; at most `maxLines` (the last cut with "…").
    static func lines(_ s: String, width: Double, size: Double, maxLines: Int = .max) -> [String] {
        let fit = max(4, Int(width / (size * em)))
        var out: [String] = []
        var line = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            while word.count > fit {  // a word longer than a line: hard break
                if !line.isEmpty {
                    out.append(line)
                    line = ""
                }
                out.append(String(word.prefix(fit)))
                word = String(word.dropFirst(fit))
            }
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= fit {
                line += " " + word
            } else {
                out.append(line)
                line = word
            }
        }
        if !line.isEmpty { out.append(line) }
        if out.count > maxLines {
            out = Array(out.prefix(maxLines))
            out[maxLines - 1] = truncate(out[maxLines - 1] + " …", width: width, size: size)
        }
        return out.isEmpty ? [""] : out
    }
}
