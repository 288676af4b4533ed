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
        guard let text = String(data: data, encoding: .utf8) else { throw GeoMonitorError(.source, file: file, "not UTF-8 text") }
        try self.init(text: text, file: file)
    }

    /// Parses CSV text; `file` names it in errors.
    /// - Throws: ``GeoMonitorError`` of kind `.source` for an empty file.
    init(text: String, file: String) throws {
        var records: [[String]] = []
        var field = "", record: [String] = [], quoted = false, afterQuote = false
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? { if let p = pending { pending = nil; return p }; return chars.next() }
        var sawAny = false
        while let c = next() {
            sawAny = true
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = n }
                    } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",": record.append(field); field = ""; afterQuote = false
            case "\r": continue
            case "\n":
                record.append(field); field = ""; afterQuote = false
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
            default: field.unicodeScalars.append(c)
            }
        }
        if sawAny && (!field.isEmpty || !record.isEmpty) { record.append(field); records.append(record) }
        guard let head = records.first else { throw GeoMonitorError(.source, file: file, "empty CSV file (no header row)") }
        var h = head.map { $0.trimmingCharacters(in: .whitespaces) }
        if let first = h.first, first.hasPrefix("\u{FEFF}") { h[0] = String(first.dropFirst()) }
        header = h
        rows = records.dropFirst().map { r in r.count >= h.count ? r : r + Array(repeating: "", count: h.count - r.count) }
        self.file = file
    }

    /// The index of each named column.
    /// - Throws: ``GeoMonitorError`` of kind `.field` naming the file and the missing columns.
    func columns(_ names: [String]) throws -> [Int] {
        try names.map { n in
            guard let i = header.firstIndex(of: n) else {
                throw GeoMonitorError(.field, file: file, "missing column '\(n)' (the header has: \(header.joined(separator: ", ")))")
            }
            return i
        }
    }
}
