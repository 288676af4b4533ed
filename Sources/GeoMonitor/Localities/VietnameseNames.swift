import Foundation

/// Folding and comparing Vietnamese place names the way users type them.
///
/// `fold` lowercases, removes every diacritic (NFC and NFD alike), maps Đ/đ and the look-alike
/// Ð/ð (U+00D0/U+00F0) to `d`, drops apostrophes ("M'ri" = "Mri") and turns other punctuation
/// into spaces. `key` also drops a leading administrative type word ("Huyện", "Thành phố", "TP.",
/// "Thị xã", "Thị trấn", "Xã", "Quận", "Phường", "Tỉnh", "Đặc khu") and writes a syllable's final
/// i/y after a consonant one way ("Phú Quí" = "Phú Quý", "Kì" = "Kỳ", "Lí" = "Lý"). Tone-mark
/// placement ("Thủy" / "Thuỷ", "Hòa" / "Hoà"), "Đăk" / "Đắk" / "Dak" and "Cu Jút" / "Cư Jút" fold
/// alike. `preciseKey` keeps the vowel marks and each syllable's tone, wherever the tone mark sits.
enum VietnameseNames {
    /// Leading type words, folded, longest first.
    static let typeWords: [[String]] = [
        ["thanh", "pho"], ["thi", "xa"], ["thi", "tran"], ["dac", "khu"], ["huyen"], ["quan"], ["phuong"], ["tinh"],
        ["xa"],
        ["tp"], ["tx"], ["tt"],
    ]

    /// Initial consonants after which a syllable's lone final vowel may be written i or y.
    static let onsets: Set<String> = [
        "", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
        "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
    ]

    /// "quy" → "qui", "ky" → "ki" (a syllable that is an initial consonant and a lone y); "thuy",
    /// "huy", "y" unchanged.
    static func iy(_ word: String) -> String {
        // By bytes: a folded word's final "y" is one byte (its marks are gone), and counting
        // characters would run Unicode's grapheme rules over every word of every name.
        let bytes = word.utf8
        guard bytes.count > 1, bytes.last == UInt8(ascii: "y") else { return word }
        let stem = String(decoding: bytes.dropLast(), as: UTF8.self)
        return onsets.contains(stem) ? stem + "i" : word
    }

    /// The words of a name, each folded (no marks) and precise (vowel marks kept, the tone as a
    /// trailing digit, Đ/Ð as đ).
    static func words(_ s: String) -> [(folded: String, precise: String)] {
        var out: [(String, String)] = []
        var folded = String.UnicodeScalarView()
        var precise = String.UnicodeScalarView()
        var tone: Character? = nil
        func flush() {
            guard !folded.isEmpty else { return }
            let p = String(precise).precomposedStringWithCanonicalMapping
            out.append((String(folded), iy(p) + (tone.map { String($0) } ?? "")))
            folded = .init()
            precise = .init()
            tone = nil
        }
        for u in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch u.value {
            case 0x0300: tone = "2"
            case 0x0301: tone = "1"
            case 0x0303: tone = "3"
            case 0x0309: tone = "4"
            case 0x0323: tone = "5"
            case 0x0302, 0x0306, 0x031B: precise.append(u)
            case 0x0304...0x036F: continue
            case 0x0110, 0x0111, 0x00D0, 0x00F0, 0x0189:
                folded.append("d")
                precise.append("\u{0111}")
            case 0x0027, 0x2019, 0x02BC, 0x2018, 0x0060, 0x00B4: continue
            default:
                if CharacterSet.alphanumerics.contains(u) {
                    for l in String(u).lowercased().unicodeScalars {
                        folded.append(l)
                        precise.append(l)
                    }
                } else {
                    flush()
                }
            }
        }
        flush()
        return out
    }

    /// How many leading words of `folded` are a type word (0 when none, or when nothing would be left).
    static func typePrefix<S: StringProtocol>(_ folded: [S]) -> Int {
        for t in typeWords where folded.count > t.count && t.indices.allSatisfy({ folded[$0] == t[$0] }) {
            return t.count
        }
        return 0
    }

    /// The name without a leading type word, vowel marks and tones kept (tone-mark placement and
    /// final i/y after a consonant do not matter): the strict comparison key.
    static func preciseKey(_ s: String) -> String {
        let w = words(s)
        return w.dropFirst(typePrefix(w.map(\.folded))).map(\.precise).joined(separator: " ")
    }

    /// What `fold` makes of one Unicode scalar of decomposed text.
    enum FoldStep: Equatable {
        /// Nothing (a combining mark, an apostrophe).
        case drop
        /// These lowercase letters or digits.
        case letters(String)
        /// A word break (white space, punctuation).
        case separator
    }

    /// The one rule of `fold`, scalar by scalar (see the type's description).
    static func foldStep(_ u: Unicode.Scalar) -> FoldStep {
        switch u.value {
        case 0x0300...0x036F: return .drop  // combining diacritics
        case 0x0110, 0x0111, 0x00D0, 0x00F0, 0x0189: return .letters("d")
        case 0x0027, 0x2019, 0x02BC, 0x2018, 0x0060, 0x00B4: return .drop  // apostrophes
        case 0x30...0x39, 0x61...0x7A: return .letters(String(u))
        case 0x41...0x5A: return .letters(String(Unicode.Scalar(UInt8(u.value + 0x20))))
        case 0...0x7F: return .separator
        default:
            return CharacterSet.alphanumerics.contains(u) ? .letters(String(u).lowercased()) : .separator
        }
    }

    /// `fold` of each scalar below U+1F00 in composed text (decomposed by
    /// ``latinDecompositions``, then ``foldStep(_:)``): the ASCII byte it becomes, 0 for nothing,
    /// 0x20 for a word break, 0xFF where the table cannot say (a non-ASCII letter, several steps).
    static let foldBytes: [UInt8] = (0..<0x1F00).map { v -> UInt8 in
        guard let u = Unicode.Scalar(v) else { return 0xFF }
        let steps = (v >= 0xC0 ? latinDecompositions[u] : nil)?.map(foldStep) ?? [foldStep(u)]
        let kept = steps.filter { $0 != .drop }
        guard let only = kept.first else { return 0 }
        guard kept.count == 1 else { return 0xFF }
        switch only {
        case .separator: return 0x20
        case .letters(let l): return l.utf8.count == 1 ? l.utf8.first ?? 0xFF : 0xFF
        case .drop: return 0
        }
    }

    /// The name lowercased, without diacritics or apostrophes, punctuation as single spaces
    /// (see the type's description).
    static func fold(_ s: String) -> String {
        // Composed Latin text (most names), by table, into bytes.
        if s.isComposedLatin {
            var out: [UInt8] = []
            out.reserveCapacity(s.utf8.count)
            var lastWasSpace = true
            var byTable = true
            for u in s.unicodeScalars {
                let b = u.value < 0x1F00 ? foldBytes[Int(u.value)] : 0xFF
                switch b {
                case 0: continue
                case 0x20:
                    if !lastWasSpace {
                        out.append(0x20)
                        lastWasSpace = true
                    }
                case 0xFF: byTable = false
                default:
                    out.append(b)
                    lastWasSpace = false
                }
                if !byTable { break }
            }
            if byTable {
                if out.last == 0x20 { out.removeLast() }
                return String(decoding: out, as: UTF8.self)
            }
        }
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        func take(_ u: Unicode.Scalar) {
            switch foldStep(u) {
            case .drop: return
            case .letters(let l):
                out.append(contentsOf: l.unicodeScalars)
                lastWasSpace = false
            case .separator:
                if !lastWasSpace {
                    out.append(" ")
                    lastWasSpace = true
                }
            }
        }
        // Other composed Latin text is decomposed letter by letter from a table; other text
        // through Foundation.
        if s.isComposedLatin {
            for u in s.unicodeScalars {
                if u.value >= 0xC0, let d = latinDecompositions[u] { d.forEach(take) } else { take(u) }
            }
        } else {
            s.decomposedStringWithCanonicalMapping.unicodeScalars.forEach(take)
        }
        var r = String(out)
        if r.hasSuffix(" ") { r.removeLast() }
        return r
    }

    /// The canonical decompositions (NFD) of the precomposed letters U+00C0–U+02FF and
    /// U+1E00–U+1EFF, from Foundation, made once: decomposing such text letter by letter gives its
    /// NFD but for the order of marks, which `fold` drops (no letter there decomposes to a mark
    /// outside U+0300–U+036F).
    static let latinDecompositions: [Unicode.Scalar: [Unicode.Scalar]] = {
        var table: [Unicode.Scalar: [Unicode.Scalar]] = [:]
        for v in Array(0xC0..<0x300) + Array(0x1E00...0x1EFF) {
            guard let u = Unicode.Scalar(v) else { continue }
            let d = Array(String(u).decomposedStringWithCanonicalMapping.unicodeScalars)
            if d != [u] { table[u] = d }
        }
        return table
    }()

    /// The leading type word of a name, folded and spelled out ("TP." → "thanh pho"), if any.
    static func typeWord(_ s: String) -> String? {
        let words = fold(s).split(separator: " ").map(String.init)
        let spelled = ["tp": "thanh pho", "tx": "thi xa", "tt": "thi tran"]
        let n = typePrefix(words)
        guard n > 0 else { return nil }
        let w = words.prefix(n).joined(separator: " ")
        return spelled[w] ?? w
    }

    /// The type word of a unit type as the list or a file's type column writes it ("Thành phố
    /// thuộc tỉnh" → "thanh pho", "TX" → "thi xa"), folded; nil for an empty type.
    static func typeCategory(_ type: String) -> String? {
        let f = fold(type)
        guard !f.isEmpty else { return nil }
        return typeWord(type + " x") ?? f
    }

    /// The first part of a compound name of the 2025 reform ("Cam Ly" of "Cam Ly - Đà Lạt"),
    /// which people and public files write alone; nil for a simple name.
    static func firstPart(_ name: String) -> String? {
        name.range(of: " - ").map { String(name[..<$0.lowerBound]) }
    }

    /// The folded name without a leading type word, final i/y after a consonant written i: the
    /// comparison key for names.
    static func key(_ s: String) -> String {
        let folded = fold(s)
        let words = folded.split(separator: " ")
        let drop = typePrefix(words)
        // Most names have no type word and no word ending in y: the key is the folded name.
        if drop == 0 && !words.contains(where: { $0.utf8.count > 1 && $0.utf8.last == UInt8(ascii: "y") }) {
            return folded
        }
        return words.dropFirst(drop).map { iy(String($0)) }.joined(separator: " ")
    }

    /// Levenshtein distance between two strings, by Unicode scalar.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
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
