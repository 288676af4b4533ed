import Foundation

/// Plain-text tables whose columns line up in a terminal, Vietnamese diacritics included
/// (width is counted in characters, so NFC and NFD text align alike).
///
/// ```swift
/// var t = TextTable(headers: ["code", "name", "area_km2"], alignments: [.left, .left, .right])
/// t.add(["672", "Đà Lạt", "394.6"])
/// print(t.render(), terminator: "")
/// ```
public struct TextTable: Sendable {
    /// How a column's cells are padded.
    public enum Alignment: Sendable {
        /// Text starts at the column's left edge (names, codes).
        case left
        /// Text ends at the column's right edge (numbers).
        case right
    }
    /// The column titles; they set the number of columns.
    public var headers: [String]
    /// One alignment per column.
    public var alignments: [Alignment]
    /// The rows added so far, each a list of cells (extra cells beyond the headers are ignored).
    public var rows: [[String]] = []

    /// An empty table; columns are left-aligned unless `alignments` says otherwise (one per header).
    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    /// Appends a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table: headers, a rule of `─`, then the rows, columns two spaces apart; each line ends
    /// with a newline.
    public func render() -> String {
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return alignments[i] == .right ? pad + c : (i == cells.count - 1 ? c : c + pad)
            }.joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}

/// CSV (RFC 4180) with spreadsheet formula injection neutralised: a cell starting with
/// `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` unless it is a plain number.
enum CSV {
    static func cell(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@\t\r".contains(f), Double(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "'" && v.first == "'" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func render(headers: [String], rows: [[String]]) -> String {
        var out = headers.map(cell).joined(separator: ",") + "\r\n"
        for r in rows { out += r.map(cell).joined(separator: ",") + "\r\n" }
        return out
    }
}
