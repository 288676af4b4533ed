import Foundation

extension String {
    /// The text in Unicode normalization form C (composed: "ồ" as one scalar, U+1ED3), as
    /// Foundation's `precomposedStringWithCanonicalMapping` gives it, without Foundation's round
    /// trip for text that is already composed.
    ///
    /// The shortcut is taken only when every scalar lies below U+0300 or in Latin Extended
    /// Additional (U+1E00–U+1EFF), where Vietnamese letters live: no scalar there is a combining
    /// mark or has a decomposition that NFC would change (Unicode's `NFC_Quick_Check` is `Yes` for
    /// all of them, UAX #15 and DerivedNormalizationProps.txt), so such text is its own NFC form.
    /// Any other text (decomposed Vietnamese "ô" + U+0300, Greek, CJK …) goes through Foundation.
    var nfc: String { isComposedLatin ? self : precomposedStringWithCanonicalMapping }

    /// Whether every scalar lies below U+0300 or in Latin Extended Additional (U+1E00–U+1EFF):
    /// text that is its own NFC form, and decomposes letter by letter (``nfc``,
    /// `VietnameseNames.fold`). ASCII text answers from its bytes.
    var isComposedLatin: Bool {
        if utf8.allSatisfy({ $0 < 0x80 }) { return true }
        return unicodeScalars.allSatisfy { $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) }
    }
}
