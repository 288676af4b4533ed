import Foundation

/// A small RFC 4180 CSV file read whole: a header row and records of strings (quoted fields,
/// doubled quotes, CRLF or LF). For the unit list and membership tables, not for large sources
/// (those go through GDAL).
struct CSVTable {
    /// The header's column names, trimmed.
    let header: [String]
    /// The records after the header, each as long as the header (short rows padded with "").
    let rows: [[String]]
    /// The file, as shown in errors.
    let file: String

    /// Reads `path`; `file` names it in errors.
    /// - Throws: ``GeoMonitorError`` of kind `.source` when it cannot be read or is not UTF-8.
    init(path: String, file: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoMonitorError(.source, file: file, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GeoMonitorError(.source, file: file, "not UTF-8 text")
        }
        try self.init(text: text, file: file)
    }

    /// Parses CSV text; `file` names it in errors.
    /// - Throws: ``GeoMonitorError`` of kind `.source` for an empty file.
    init(text: String, file: String) throws {
        // Byte by byte: the structural characters (quote, comma, CR, LF) are ASCII, so they never
        // occur inside a UTF-8 sequence; each field's bytes become one String.
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var afterQuote = false
        var sawAny = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            sawAny = true
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                        field.append(c)
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\"") where field.isEmpty && !afterQuote: quoted = true
            case UInt8(ascii: ","):
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                afterQuote = false
            case UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\n"):
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                afterQuote = false
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
            default: field.append(c)
            }
        }
        if sawAny && (!field.isEmpty || !record.isEmpty) {
            record.append(String(decoding: field, as: UTF8.self))
            records.append(record)
        }
        guard let head = records.first else {
            throw GeoMonitorError(.source, file: file, "empty CSV file (no header row)")
        }
        var h = head.map { $0.trimmingCharacters(in: .whitespaces) }
        if let first = h.first, first.hasPrefix("\u{FEFF}") { h[0] = String(first.dropFirst()) }
        header = h
        rows = records.dropFirst().map { r in
            r.count >= h.count ? r : r + Array(repeating: "", count: h.count - r.count)
        }
        self.file = file
    }

    /// `value` without leading and trailing white space (`CharacterSet.whitespaces`); values
    /// that begin and end with a visible ASCII character (nearly all) are returned as they are,
    /// without Foundation's Unicode look-up.
    static func trimmed(_ value: String) -> String {
        guard let first = value.utf8.first, let last = value.utf8.last else { return value }
        if (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last) { return value }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// The index of each named column.
    /// - Throws: ``GeoMonitorError`` of kind `.field` naming the file and the missing columns.
    func columns(_ names: [String]) throws -> [Int] {
        try names.map { n in
            guard let i = header.firstIndex(of: n) else {
                throw GeoMonitorError(
                    .field, file: file, "missing column '\(n)' (the header has: \(header.joined(separator: ", ")))")
            }
            return i
        }
    }
}
