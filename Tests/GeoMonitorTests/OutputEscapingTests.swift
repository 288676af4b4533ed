import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// CSV (RFC 4180, formula injection neutralised) and JSON string escaping, checked by parsing the
/// output back with parsers that do not share code with the writers.
@Suite("Output escaping")
struct OutputEscapingTests {
    /// A small RFC 4180 reader, written here for the test.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var inQuotes = false
        var i = text.unicodeScalars.startIndex
        let s = text.unicodeScalars
        while i < s.endIndex {
            let c = s[i]
            if inQuotes {
                if c == "\"" {
                    let n = s.index(after: i)
                    if n < s.endIndex && s[n] == "\"" {
                        cell.unicodeScalars.append("\"")
                        i = n
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                row.append(cell)
                cell = ""
            } else if c == "\r" || c == "\n" {
                if c == "\r", s.index(after: i) < s.endIndex, s[s.index(after: i)] == "\n" { i = s.index(after: i) }
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            } else {
                cell.unicodeScalars.append(c)
            }
            i = s.index(after: i)
        }
        if !cell.isEmpty || !row.isEmpty {
            row.append(cell)
            rows.append(row)
        }
        return rows
    }

    /// Cells a spreadsheet would run as formulas come back prefixed with an apostrophe; numbers and
    /// ordinary text come back unchanged, quotes, commas and line breaks included.
    @Test func csvFormulaInjection() {
        let dangerous = [
            "=SUM(A1:A9)", "=HYPERLINK(\"http://x\",\"y\")", "+84 912 345 678", "-2+3", "@cmd", "\tTAB", "\rCR",
        ]
        let safe = ["plain", "-12.5", "+7", "1e3", "a,b", "say \"hi\"", "line\nbreak", "Đà Lạt", "", "it's"]
        let cells = dangerous + safe
        let text = CSV.render(headers: ["v"], rows: cells.map { [$0] })
        #expect(text.hasSuffix("\r\n"))
        let parsed = Self.parseCSV(text)
        #expect(parsed.count == cells.count + 1)
        #expect(parsed.first == ["v"])
        for (i, c) in cells.enumerated() {
            let got = parsed[i + 1]
            let want = dangerous.contains(c) ? "'" + c : c
            #expect(got == [want], "cell \(c.debugDescription) came back as \(got)")
        }
    }

    /// Through the query CSV: a project named like a formula.
    @Test func csvQueryOutput() throws {
        let p = Project(
            id: "=1+1", name: "@SUM(1,2)", kind: .road, status: .planned, date: Day(year: 2024, month: 1, day: 2),
            geometry: .point(Coordinate(108.4, 11.9)))
        let row = QueryRow(project: p, locality: nil, share: 1, areaHa: 0, lengthKm: 0)
        let parsed = Self.parseCSV(QueryOutput.render([row], as: .csv))
        #expect(parsed.count == 2)
        #expect(
            parsed[0] == [
                "id", "name", "kind", "status", "date", "locality_code", "locality_name", "share", "area_ha",
                "length_km", "on_border_km",
            ])
        #expect(parsed[1] == ["'=1+1", "'@SUM(1,2)", "road", "planned", "2024-01-02", "", "", "1", "", "", ""])
    }

    /// Every control character, quotes, backslashes, the JavaScript line separators, NFD text and an
    /// astral character survive a round trip through JSONSerialization, scalar for scalar.
    @Test func jsonStringEscaping() throws {
        var weird = String.UnicodeScalarView()
        for v in 0..<0x20 { weird.append(Unicode.Scalar(UInt8(v))) }
        let tail = "\"\\/ \u{7F} \u{2028}\u{2029} " + "Lạc Dương".decomposedStringWithCanonicalMapping + " 🌲 Ð Đ"
        let s = String(weird) + tail
        let text = JSONValue.object([("s", .string(s)), ("k\"ey\n", .number(1))]).serialized()
        // No raw control character in the output.
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        #expect(text.contains("\\u2028") && text.contains("\\u2029"))
        let o = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(sameScalars(o["s"] as? String ?? "", s))
        #expect(o["k\"ey\n"] as? Int == 1)
    }

    /// Escaping skips plain text eight bytes at a time: every special character at every offset
    /// of a long string (and 0xE2 that does not start U+2028/U+2029: "₫", "€") reads back exactly,
    /// with no raw control character, U+2028 or U+2029 in the text.
    @Test func jsonEscapingAtEveryOffset() throws {
        let specials: [String] = [
            "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{2028}", "\u{2029}", "₫", "€", "ạ", "🌲",
        ]
        let base = "Rừng trồng năm 2024 ở Lâm Hà, lô ABCDEFGH"
        for sp in specials {
            for k in 0...base.count {
                var chars = Array(base)
                chars.insert(contentsOf: Array(sp), at: k)
                let s = String(chars)
                let text = JSONValue.string(s).serialized()
                #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
                let back = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String]
                #expect(
                    back?.first.map { Array($0.unicodeScalars) == Array(s.unicodeScalars) } == true, "\(sp) at \(k)")
            }
        }
    }

    @Test func jsonNumbers() throws {
        // JSON has no NaN or infinity: they become null.
        #expect(JSONValue.num(.nan) == .null)
        #expect(JSONValue.num(.infinity) == .null)
        #expect(JSONValue.num(nil) == .null)
        let text = JSONValue.array([.number(0.1), .number(-2), .number(1e-7), .number(123456789.25)]).serialized()
        let a = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Double])
        #expect(a == [0.1, -2, 1e-7, 123456789.25])
    }
}
