import Foundation

/// Vietnamese legacy text encodings, decoded in Swift: GDAL 3.6 cannot recode Windows-1258
/// correctly itself (its iconv-based CP1258 recoding drops the last character of strings), and
/// has no TCVN3 or VNI at all.
package enum LegacyEncoding: String, Sendable, CaseIterable {
    /// Windows-1258: Latin letters with combining tone marks (composed to NFC after decoding).
    case cp1258
    /// TCVN 5712:1993 VN3, the "ABC" font encoding (.VnTime …): one byte per letter, lower-case
    /// tone letters only (the upper-case fonts draw them as capitals). Bytes VN3 leaves unused are
    /// read as in VN1 (glibc's TCVN5712-1), whose upper-case tone letters sit there.
    case tcvn3
    /// VNI Windows (the VNI-Times … fonts): a base letter followed by a mark byte (Windows-1252
    /// positions reused as accents), e.g. "Ñoàng" for "Đồng".
    case vni

    /// Recognises an encoding name from a .cpg file, an `ENCODING` open option or `encoding:`.
    package init?(name: String) {
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "").replacingOccurrences(
                of: " ", with: "")
        switch n {
        case "CP1258", "WINDOWS1258", "1258", "ANSI1258", "LDID/163": self = .cp1258
        case "TCVN3", "TCVN", "TCVN5712", "TCVN57121", "TCVN57121:1993", "VN3", "ABC", "VNTIME": self = .tcvn3
        case "VNI", "VNIWIN", "VNIWINDOWS", "VNIANSI": self = .vni
        default: return nil
        }
    }

    /// The name to write in the manifest (`encoding: …`).
    package var manifestName: String {
        switch self {
        case .cp1258: return "CP1258"
        case .tcvn3: return "TCVN3"
        case .vni: return "VNI"
        }
    }

    /// What people call it.
    package var displayName: String {
        switch self {
        case .cp1258: return "Windows-1258"
        case .tcvn3: return "TCVN3 (ABC)"
        case .vni: return "VNI"
        }
    }

    /// Decodes raw bytes; the result is NFC.
    package func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        switch self {
        case .cp1258, .tcvn3:
            // One byte, one character: ASCII below 0x80, the code page's table above.
            let high = self == .cp1258 ? LegacyEncoding.cp1258High : LegacyEncoding.tcvnHigh
            for b in bytes {
                if b < 0x80 {
                    scalars.append(Unicode.Scalar(b))
                } else if let u = Unicode.Scalar(high[Int(b) - 0x80]) {
                    scalars.append(u)
                }
            }
        case .vni:
            LegacyEncoding.decodeVNI(bytes, into: &scalars)
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    package func decode(_ bytes: [UInt8]) -> String { bytes.withUnsafeBufferPointer { decode($0) } }

    /// VNI Windows: a vowel followed by a mark byte takes the mark (circumflex and breve only on
    /// the letters that carry them); Đ, Ơ, Ư and the tone letters of i and y are single bytes.
    /// Other bytes of 0x80–0xFF are read as Windows-1252, the layout of the VNI fonts.
    static func decodeVNI(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout String.UnicodeScalarView) {
        var base: UInt32 = 0  // the last letter written, while it can still take a mark
        for b in bytes {
            if base != 0, b >= 0xC0 {
                let lower = b & 0xDF  // the mark bytes of lower-case letters are those of capitals + 0x20
                if let tone = vniTone[lower], vniToneBases.contains(base) {
                    out.append(Unicode.Scalar(tone) ?? "\u{FFFD}")
                    base = 0
                    continue
                }
                if let tone = vniCircumflex[lower], vniCircumflexBases.contains(base) {
                    out.append("\u{0302}")
                    if tone != 0 { out.append(Unicode.Scalar(tone) ?? "\u{FFFD}") }
                    base = 0
                    continue
                }
                if let tone = vniBreve[lower], base == 0x61 || base == 0x41 {
                    out.append("\u{0306}")
                    if tone != 0 { out.append(Unicode.Scalar(tone) ?? "\u{FFFD}") }
                    base = 0
                    continue
                }
            }
            let u: UInt32
            if b < 0x80 {
                u = UInt32(b)
            } else if let s = vniSingle[b] {
                u = s
            } else if b < 0xA0 {
                u = cp1258High[Int(b) - 0x80]
            } else {
                u = UInt32(b)
            }
            out.append(Unicode.Scalar(u) ?? "\u{FFFD}")
            base = u
        }
    }

    /// Tone marks after a vowel (capital forms; lower-case = byte + 0x20): sắc, huyền, hỏi, ngã, nặng.
    static let vniTone: [UInt8: UInt32] = [0xD9: 0x0301, 0xD8: 0x0300, 0xDB: 0x0309, 0xD5: 0x0303, 0xCF: 0x0323]
    /// Circumflex, alone (0) or with a tone.
    static let vniCircumflex: [UInt8: UInt32] = [
        0xC2: 0, 0xC1: 0x0301, 0xC0: 0x0300, 0xC5: 0x0309, 0xC3: 0x0303, 0xC4: 0x0323,
    ]
    /// Breve, alone (0) or with a tone.
    static let vniBreve: [UInt8: UInt32] = [
        0xCA: 0, 0xC9: 0x0301, 0xC8: 0x0300, 0xDA: 0x0309, 0xDC: 0x0303, 0xCB: 0x0323,
    ]
    static let vniToneBases: Set<UInt32> = Set("aeiouyAEIOUYơưƠƯ".unicodeScalars.map(\.value))
    static let vniCircumflexBases: Set<UInt32> = Set("aeoAEO".unicodeScalars.map(\.value))
    /// Letters that are one byte: Đ đ Ơ ơ Ư ư and the tone letters of i and y (ỵ).
    static let vniSingle: [UInt8: UInt32] = [
        0xD1: 0x0110, 0xF1: 0x0111, 0xD4: 0x01A0, 0xF4: 0x01A1, 0xD6: 0x01AF, 0xF6: 0x01B0,
        0xCD: 0x00CD, 0xED: 0x00ED, 0xCC: 0x00CC, 0xEC: 0x00EC, 0xC6: 0x1EC8, 0xE6: 0x1EC9,
        0xD3: 0x0128, 0xF3: 0x0129, 0xD2: 0x1ECA, 0xF2: 0x1ECB, 0xCE: 0x1EF4, 0xEE: 0x1EF5,
    ]

    /// Bytes 0x80–0xFF of TCVN 5712:1993 (VN3 positions, VN1's capitals where VN3 has none;
    /// 0xB0–0xB4 are combining tone marks).
    static let tcvnHigh: [UInt32] = [
        0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,  // 0x80
        0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,  // 0x88
        0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,  // 0x90
        0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,  // 0x98
        0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,  // 0xA0
        0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,  // 0xA8
        0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,  // 0xB0
        0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,  // 0xB8
        0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,  // 0xC0
        0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,  // 0xC8
        0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,  // 0xD0
        0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,  // 0xD8
        0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,  // 0xE0
        0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,  // 0xE8
        0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,  // 0xF0
        0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,  // 0xF8
    ]

    /// Bytes 0x80–0xFF of Windows-1258 (U+FFFD where the code page defines nothing).
    static let cp1258High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0xFFFD, 0x2039, 0x0152, 0xFFFD,
        0xFFFD, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0xFFFD, 0x203A,
        0x0153, 0xFFFD, 0xFFFD, 0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9,
        0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, 0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5,
        0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, 0x0110, 0x00D1, 0x0309, 0x00D3,
        0x00D4, 0x01A0, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, 0x00E0, 0x00E1,
        0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0,
        0x20AB, 0x00FF,
    ]
}
