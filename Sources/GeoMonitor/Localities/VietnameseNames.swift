import Foundation

/// Folding and comparing Vietnamese place names the way users type them.
///
/// `fold` lowercases, removes every diacritic (NFC and NFD alike), maps Đ/đ and the look-alike
/// Ð/ð (U+00D0/U+00F0) to `d`, drops apostrophes ("M'ri" = "Mri") and turns other punctuation
/// into spaces. `key` also drops a leading administrative type word ("Huyện", "Thành phố", "TP.",
/// "Thị xã", "Thị trấn", "Xã", "Quận", "Phường", "Tỉnh").
enum VietnameseNames {
    /// Leading type words, folded, longest first.
    static let typeWords: [[String]] = [
        ["thanh", "pho"], ["thi", "xa"], ["thi", "tran"], ["huyen"], ["quan"], ["phuong"], ["tinh"], ["xa"],
        ["tp"], ["tx"], ["tt"],
    ]

    static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for u in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch u.value {
            case 0x0300...0x036F: continue  // combining diacritics
            case 0x0110, 0x0111, 0x00D0, 0x00F0, 0x0189: out.append("d"); lastWasSpace = false
            case 0x0027, 0x2019, 0x02BC, 0x2018, 0x0060, 0x00B4: continue  // apostrophes
            default:
                if CharacterSet.alphanumerics.contains(u) {
                    for l in String(u).lowercased().unicodeScalars { out.append(l) }
                    lastWasSpace = false
                } else if !lastWasSpace {
                    out.append(" "); lastWasSpace = true
                }
            }
        }
        var r = String(out)
        if r.hasSuffix(" ") { r.removeLast() }
        return r
    }

    /// The leading type word of a name, folded and spelled out ("TP." → "thanh pho"), if any.
    static func typeWord(_ s: String) -> String? {
        let words = fold(s).split(separator: " ").map(String.init)
        let spelled = ["tp": "thanh pho", "tx": "thi xa", "tt": "thi tran"]
        for t in typeWords where words.count > t.count && Array(words.prefix(t.count)) == t {
            let w = t.joined(separator: " ")
            return spelled[w] ?? w
        }
        return nil
    }

    /// The folded name without a leading type word: the comparison key for names.
    static func key(_ s: String) -> String {
        let words = fold(s).split(separator: " ").map(String.init)
        for t in typeWords where words.count > t.count && Array(words.prefix(t.count)) == t {
            return words.dropFirst(t.count).joined(separator: " ")
        }
        return words.joined(separator: " ")
    }

    /// Levenshtein distance between two strings, by Unicode scalar.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
