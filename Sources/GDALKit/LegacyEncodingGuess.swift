import Foundation

extension LegacyEncoding {
    /// The legacy encoding under which `bytes` (text that is not UTF-8) reads as Vietnamese, when
    /// exactly one does: every word with a non-ASCII letter must decode to letters of the
    /// Vietnamese alphabet, carry at most one tone mark and not switch from lower to upper case.
    /// Nil when no encoding or more than one fits (a guess that could mislead is not made).
    package static func guess(_ bytes: [UInt8]) -> LegacyEncoding? {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        let fits = allCases.filter { readsAsVietnamese($0.decode(bytes)) }
        return fits.count == 1 ? fits[0] : nil
    }

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
                let isLetter = (base.value >= 0x41 && base.value <= 0x5A) || (base.value >= 0x61 && base.value <= 0x7A)
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
