import Foundation

extension LegacyEncoding {
    /// Bytes 0x80–0x9F of Windows-1252 (0 where the code page defines nothing).
    static let cp1252Low: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// Character → byte of the Windows "ANSI" code pages a legacy font's text is shown through
    /// when a Unicode container (XLSX, ODS, KML …) stores it: Windows-1252 and Windows-1258.
    static let ansiByte: [UInt32: UInt8] = {
        var m: [UInt32: UInt8] = [:]
        for b in 0xA0...0xFF { m[UInt32(b)] = UInt8(b) }
        for (i, u) in cp1252Low.enumerated() where u != 0 { m[u] = UInt8(0x80 + i) }
        for (i, u) in cp1258High.enumerated() where u != 0xFFFD { m[u] = UInt8(0x80 + i) }
        return m
    }()

    /// The bytes a legacy font typed, when `text` is legacy-encoded text stored as the characters
    /// Windows-1252 or Windows-1258 show for those bytes ("hoµn thµnh" for TCVN3 "hoàn thành");
    /// nil when `text` is ASCII or holds a character neither code page has.
    package static func ansiBytes(of text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var high = false
        for s in text.unicodeScalars {
            if s.value < 0x80 {
                out.append(UInt8(s.value))
                continue
            }
            guard let b = ansiByte[s.value] else { return nil }
            out.append(b)
            high = true
        }
        return high ? out : nil
    }

    /// When a Unicode string is legacy text shown through a Windows code page (see
    /// ``ansiBytes(of:)``) and does not read as Vietnamese itself: its bytes. Nil for Unicode
    /// Vietnamese ("Lâm Hà" reads as Vietnamese; "L©m Hµ" does not).
    /// The Icelandic eth that public files put for Đ ("Ðà Lạt") is a look-alike, not a sign of
    /// legacy text.
    package static func legacyBytes(shownIn text: String) -> [UInt8]? {
        guard let bytes = ansiBytes(of: text), !readsAsVietnamese(text) else { return nil }
        let eth = text.replacingOccurrences(of: "\u{00D0}", with: "\u{0110}").replacingOccurrences(
            of: "\u{00F0}", with: "\u{0111}")
        if eth != text && readsAsVietnamese(eth) { return nil }
        return bytes
    }

    /// The MapInfo charset names geomonitor decodes itself (GDAL 3.6 has no iconv mapping for
    /// `WindowsVietnamese`), from a `.tab`'s `!charset` line or a `.mif`'s `Charset` clause.
    package init?(mapInfoCharset name: String) {
        switch name.trimmingCharacters(in: CharacterSet(charactersIn: "\" \t")).lowercased() {
        case "windowsvietnamese": self = .cp1258
        default: return nil
        }
    }

    /// The charset a MapInfo `.tab` or `.mif` (or the `.mif` of a `.mid`) declares, when
    /// geomonitor decodes it itself; nil for other files and charsets.
    package static func declaredByMapInfo(_ path: String) -> LegacyEncoding? {
        var url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.lowercased()
        guard ["tab", "mif", "mid"].contains(ext) else { return nil }
        if ext == "mid" { url = url.deletingPathExtension().appendingPathExtension("mif") }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4096) else { return nil }
        let head = String(decoding: data, as: UTF8.self)
        for line in head.split(whereSeparator: \.isNewline) {
            let t = line.trimmingCharacters(in: .whitespaces)
            let lower = t.lowercased()
            for prefix in ["!charset ", "charset "] where lower.hasPrefix(prefix) {
                return LegacyEncoding(mapInfoCharset: String(t.dropFirst(prefix.count)))
            }
            if lower.hasPrefix("data") { break }
        }
        return nil
    }
}
