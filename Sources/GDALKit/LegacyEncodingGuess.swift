import Foundation

extension LegacyEncoding {
    /// The legacy encoding under which `bytes` (text that is not UTF-8) reads as Vietnamese, when
    /// exactly one does: every word with a non-ASCII letter must decode to letters of the
    /// Vietnamese alphabet, carry at most one tone mark and not switch from lower to upper case.
    /// Nil when no encoding or more than one fits (a guess that could mislead is not made).
    package static func guess(_ bytes: [UInt8]) -> LegacyEncoding? {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let fits = allCases.filter { readsAsVietnamese($0.decode(bytes)) }
        if fits.count == 1 { return fits[0] }
        guard fits.count > 1 else { return nil }
        // Several fit letter by letter (TCVN3 and VNI both put Vietnamese letters on high bytes):
        // the one whose words are well-formed syllables, when exactly one has the most.
        let scores = fits.map { wellFormedWords($0.decode(bytes)) }
        guard let best = scores.max(), scores.filter({ $0 == best }).count == 1, let i = scores.firstIndex(of: best)
        else { return nil }
        return fits[i]
    }

    /// How many words of `text` holding a non-ASCII letter are well-formed Vietnamese syllables:
    /// an initial consonant (or none), one vowel group Vietnamese writes ("oa" in "hoàn", "ươ"
    /// in "trường"), and a final consonant (or none); tone marks aside.
    static func wellFormedWords(_ text: String) -> Int {
        let toneless = String(
            String.UnicodeScalarView(
                text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                    ![0x0300, 0x0301, 0x0303, 0x0309, 0x0323].contains($0.value)
                })
        ).precomposedStringWithCanonicalMapping
        var count = 0
        for word in toneless.split(whereSeparator: { !$0.isLetter })
        where word.unicodeScalars.contains(where: { $0.value >= 0x80 }) {
            var w = Substring(word)
            if let onset = onsets.first(where: { w.hasPrefix($0) && w.count > $0.count }) {
                w = w.dropFirst(onset.count)
            }
            let nucleus = w.prefix { vowels.contains($0) }
            let coda = w.dropFirst(nucleus.count)
            if nuclei.contains(String(nucleus)), codas.contains(String(coda)) { count += 1 }
        }
        return count
    }

    static let vowels: Set<Character> = Set("aăâeêioôơuưy")
    /// Initial consonants, longest first (`qu` and `gi` before a vowel take their vowel letter).
    static let onsets = [
        "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
        "n", "p", "r", "s", "t", "v", "x",
    ]
    static let codas: Set<String> = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
    static let nuclei: Set<String> = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo",
        "ua", "uâ",
        "uê", "ui", "uô", "uơ", "ươ", "ưa", "ưi", "ưu", "uy", "yê", "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi",
        "ươi", "ươu",
        "uya", "uyê", "uyu",
    ]
}

extension LegacyEncoding {

    /// True when every word of `text` holding a non-ASCII character is a plausible Vietnamese word.
    static func readsAsVietnamese(_ text: String) -> Bool {
        var sawWord = false
        var word: [Unicode.Scalar] = []
        func wordIsPlausible() -> Bool {
            defer { word.removeAll(keepingCapacity: true) }
            guard word.contains(where: { $0.value >= 0x80 }) else { return true }
            sawWord = true
            var tones = 0
            var sawLower = false
            for s in word {
                let decomposed = String(s).decomposedStringWithCanonicalMapping.unicodeScalars
                guard let base = decomposed.first else { return false }
                let isLetter =
                    (base.value >= 0x41 && base.value <= 0x5A) || (base.value >= 0x61 && base.value <= 0x7A)
                    || base.value == 0x110 || base.value == 0x111
                guard isLetter else { return false }
                for m in decomposed.dropFirst() {
                    switch m.value {
                    case 0x0300, 0x0301, 0x0303, 0x0309, 0x0323: tones += 1
                    case 0x0302, 0x0306, 0x031B: break
                    default: return false
                    }
                }
                let upper = s.properties.isUppercase
                if upper && sawLower { return false }
                if s.properties.isLowercase { sawLower = true }
            }
            return tones <= 1
        }
        for s in text.unicodeScalars {
            if s.value < 0x80 && !s.properties.isAlphabetic {
                if !wordIsPlausible() { return false }
            } else if s.value >= 0x80 && !s.properties.isAlphabetic && s.properties.generalCategory != .nonspacingMark {
                // A symbol (©, §, ¶, U+FFFD …) where a letter should be.
                return false
            } else {
                word.append(s)
            }
        }
        if !wordIsPlausible() { return false }
        return sawWord
    }
}
