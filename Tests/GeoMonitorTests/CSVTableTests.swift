import Foundation
import Testing

@testable import GeoMonitor

/// The CSV reader of the unit list and membership tables, against Python's `csv.reader` on the
/// same text (quoted commas and line breaks, doubled quotes, a quote inside an unquoted field,
/// text after a closing quote, CRLF, an empty line, a BOM, an unterminated last quote):
/// `[['\ufeffcode ', ' name', 'note'], ['672', 'Đà Lạt, thành phố', 'nói "thông"'], [],
/// ['673', 'Bảo Lộc', 'x"y'], ['674', 'Lâm Hà'], ['675', 'dòng\nhai', 'z'], ['676', 'last', '']]`.
/// The header is trimmed and loses its BOM; short rows are padded; empty lines are skipped.
@Suite("CSV tables")
struct CSVTableTests {
    static let text =
        "\u{FEFF}code , name,note\r\n672,\"Đà Lạt, thành phố\",\"nói \"\"thông\"\"\"\r\n\r\n673,Bảo Lộc,x\"y\n\"674\",Lâm Hà\n675,\"dòng\nhai\",\"\"z\n676,last,\""

    @Test func asPythonReadsIt() throws {
        let t = try CSVTable(text: Self.text, file: "t.csv")
        #expect(t.header == ["code", "name", "note"])
        #expect(
            t.rows == [
                ["672", "Đà Lạt, thành phố", "nói \"thông\""], ["673", "Bảo Lộc", "x\"y"], ["674", "Lâm Hà", ""],
                ["675", "dòng\nhai", "z"], ["676", "last", ""],
            ])
    }

    /// Kept rows are the same rows, in file order; a column the header lacks keeps none.
    @Test func keepingRowsByOneColumn() throws {
        let t = try CSVTable(text: Self.text, file: "t.csv", keeping: ("code", { ["676", "672", "999"].contains($0) }))
        #expect(t.rows.map { $0[0] } == ["672", "676"])
        #expect(t.rows[0][2] == "nói \"thông\"")
        let none = try CSVTable(text: Self.text, file: "t.csv", keeping: ("ma", { _ in true }))
        #expect(none.rows.isEmpty && none.header == ["code", "name", "note"])
        #expect(throws: GeoMonitorError.self) { _ = try CSVTable(text: "\n\n", file: "e.csv") }
    }
}
