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

    /// Reads `path`; `file` names it in errors; `keeping`, when given, keeps only the records
    /// whose `column` holds one of `values` (see ``init(text:file:keeping:)``).
    /// - Throws: ``GeoMonitorError`` of kind `.source` when it cannot be read or is not UTF-8.
    init(path: String, file: String, keeping keep: (column: String, values: Set<String>)? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoMonitorError(.source, file: file, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GeoMonitorError(.source, file: file, "not UTF-8 text")
        }
        try self.init(text: text, file: file, keeping: keep)
    }

    /// Parses CSV text; `file` names it in errors.
    /// - Parameter keep: when given, only the records whose column `column` holds exactly one of
    ///   `values` (as stored, untrimmed) are kept; the others are never turned into strings (a
    ///   look-up of a few codes in the 15,500 rows of the unit list). A file without that column
    ///   keeps no record.
    /// - Throws: ``GeoMonitorError`` of kind `.source` for an empty file.
    init(text: String, file: String, keeping keep: (column: String, values: Set<String>)? = nil) throws {
        // Byte by byte: the structural characters (quote, comma, CR, LF) are ASCII, so they never
        // occur inside a UTF-8 sequence. A record's field bytes are gathered in one buffer (`ends`
        // marks where each field ends) and become strings only when the record is kept.
        var head: [String]?
        var keepAt: Int?
        var records: [[String]] = []
        var bytesOfRecord: [UInt8] = []
        var ends: [Int] = []
        func field(_ k: Int) -> String {
            String(decoding: bytesOfRecord[(k == 0 ? 0 : ends[k - 1])..<ends[k]], as: UTF8.self)
        }
        func endRecord() {
            ends.append(bytesOfRecord.count)
            defer {
                bytesOfRecord.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
            }
            if ends.count == 1 && ends[0] == 0 { return }  // an empty line
            guard head != nil else {
                var h = ends.indices.map { field($0).trimmingCharacters(in: .whitespaces) }
                if let first = h.first, first.hasPrefix("\u{FEFF}") { h[0] = String(first.dropFirst()) }
                head = h
                keepAt = keep.flatMap { h.firstIndex(of: $0.column) }
                return
            }
            if let keep {
                guard let at = keepAt, at < ends.count, keep.values.contains(field(at)) else { return }
            }
            records.append(ends.indices.map(field))
        }
        var quoted = false
        var afterQuote = false
        var sawAny = false
        var fieldStart = 0
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            sawAny = true
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                        bytesOfRecord.append(c)
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    bytesOfRecord.append(c)
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\"") where bytesOfRecord.count == fieldStart && !afterQuote: quoted = true
            case UInt8(ascii: ","):
                ends.append(bytesOfRecord.count)
                fieldStart = bytesOfRecord.count
                afterQuote = false
            case UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\n"):
                endRecord()
                fieldStart = 0
                afterQuote = false
            default: bytesOfRecord.append(c)
            }
        }
        if sawAny && (bytesOfRecord.count > fieldStart || !ends.isEmpty) { endRecord() }
        guard let h = head else {
            throw GeoMonitorError(.source, file: file, "empty CSV file (no header row)")
        }
        header = h
        rows = records.map { r in
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
