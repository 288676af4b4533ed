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

    /// Which records to keep: those whose value in `column` (as stored, untrimmed) passes `test`.
    typealias RowFilter = (column: String, test: (String) -> Bool)

    /// Reads `path`; `file` names it in errors; `keeping`, when given, keeps only the records
    /// whose `column` passes `test` (see ``init(text:file:keeping:)``).
    /// - Throws: ``GeoMonitorError`` of kind `.source` when it cannot be read or is not UTF-8.
    init(path: String, file: String, keeping keep: RowFilter? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoMonitorError(.source, file: file, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GeoMonitorError(.source, file: file, "not UTF-8 text")
        }
        try self.init(text: text, file: file, keeping: keep)
    }

    /// Parses CSV text; `file` names it in errors.
    /// - Parameter keep: when given, only the records whose value in `column` (as stored,
    ///   untrimmed) passes `test` are kept; of the others only that value becomes a string (a
    ///   look-up of a few codes in the 15,500 rows of the unit list). A file without that column
    ///   keeps no record.
    /// - Throws: ``GeoMonitorError`` of kind `.source` for an empty file.
    init(text: String, file: String, keeping keep: RowFilter? = nil) throws {
        // Run by run: the structural characters (quote, comma, CR, LF) are ASCII, so they never
        // occur inside a UTF-8 sequence. A record's field bytes are gathered in one buffer and
        // become strings only when the record is kept (`Records`: a value, not captured state,
        // so the loop runs without the exclusivity checks of captured variables).
        var r = Records(keep: keep)
        var quoted = false
        var afterQuote = false
        var sawAny = false
        var fieldStart = 0
        let bytes = Array(text.utf8)
        let n = bytes.count
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        var i = 0
        while i < n {
            sawAny = true
            if quoted {
                // A run up to the next quote, then a doubled quote (one quote) or the closing one.
                var j = i
                while j < n && bytes[j] != quote { j += 1 }
                r.bytes.append(contentsOf: bytes[i..<j])
                if j + 1 < n && bytes[j + 1] == quote {
                    r.bytes.append(quote)
                    i = j + 2
                } else {
                    quoted = false
                    afterQuote = true
                    i = j + 1
                }
                continue
            }
            let c = bytes[i]
            switch c {
            case quote where r.bytes.count == fieldStart && !afterQuote:
                quoted = true
                i += 1
            case comma:
                r.ends.append(r.bytes.count)
                fieldStart = r.bytes.count
                afterQuote = false
                i += 1
            case cr: i += 1
            case lf:
                r.endRecord()
                fieldStart = 0
                afterQuote = false
                i += 1
            default:
                // A run of plain bytes (a quote inside an unquoted field is a plain byte).
                var j = i + 1
                while j < n, bytes[j] != comma, bytes[j] != lf, bytes[j] != cr { j += 1 }
                r.bytes.append(contentsOf: bytes[i..<j])
                i = j
            }
        }
        if sawAny && (r.bytes.count > fieldStart || !r.ends.isEmpty) { r.endRecord() }
        guard let h = r.head else {
            throw GeoMonitorError(.source, file: file, "empty CSV file (no header row)")
        }
        header = h
        rows = r.records.map { row in
            row.count >= h.count ? row : row + Array(repeating: "", count: h.count - row.count)
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

/// The records of a CSV text as ``CSVTable/init(text:file:keeping:)`` reads them: the bytes of
/// the record being read (its fields end at `ends`), the header, and the records kept so far.
private struct Records {
    let keep: CSVTable.RowFilter?
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var head: [String]?
    var keepAt: Int?
    var records: [[String]] = []

    init(keep: CSVTable.RowFilter?) { self.keep = keep }

    func field(_ k: Int) -> String {
        String(decoding: bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]], as: UTF8.self)
    }

    /// Ends the record being read: the header (the first record), a record kept, or one left out
    /// (an empty line, or one `keep` rejects).
    mutating func endRecord() {
        ends.append(bytes.count)
        defer {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }
        if ends.count == 1 && ends[0] == 0 { return }  // an empty line
        guard head != nil else {
            var h = ends.indices.map { field($0).trimmingCharacters(in: .whitespaces) }
            if let first = h.first, first.hasPrefix("\u{FEFF}") { h[0] = String(first.dropFirst()) }
            head = h
            keepAt = keep.flatMap { k in h.firstIndex(of: k.column) }
            return
        }
        if let keep {
            guard let at = keepAt, at < ends.count, keep.test(field(at)) else { return }
        }
        records.append(ends.indices.map(field))
    }
}
