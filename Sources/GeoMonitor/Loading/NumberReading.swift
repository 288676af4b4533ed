internal import GDALKit

/// A number cell of a project source read by the source's ``NumberFormat``: numeric cells as
/// they are, text by the declared notation or, undeclared, only when both notations agree or one
/// alone fits. The reason a value is refused, worded for one-line errors.
enum NumberReading: Equatable {
    /// The value.
    case value(Double)
    /// A spreadsheet's number cell in a column GDAL types as text (it mixes numbers and text):
    /// GDAL writes such a cell with a decimal point whatever the sheet shows, so under Vietnamese
    /// notation a value only English notation reads is taken as that cell — and reported.
    case cell(Double)
    /// Null or blank: no value.
    case blank
    /// Refused; the text completes "'1,250' in column 'c' of project 'p' …".
    case refused(String)

    /// - Parameter spreadsheet: the source is an XLSX or ODS workbook (see ``cell(_:)``).
    static func read(_ v: FieldValue, notation: NumberFormat?, spreadsheet: Bool = false) -> NumberReading {
        switch v {
        case .null: return .blank
        case .integer(let n): return .value(Double(n))
        case .real(let x): return x.isFinite ? .value(x) : .refused("is not a finite number")
        case .string(let s):
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .blank }
            if let notation {
                if let x = notation.parse(s) { return .value(x) }
                if spreadsheet, notation == .vi, let x = Self.cellText(s) { return .cell(x) }
                let other: NumberFormat = notation == .vi ? .en : .vi
                let hint =
                    other.parse(s) != nil
                    ? "; it reads as \(other.displayName): fix the value or the source's `number_format`" : ""
                return .refused("is not a number in \(notation.displayName), the source's number format\(hint)")
            }
            switch NumberFormat.undeclared(s) {
            case .value(let x, _): return .value(x)
            case .ambiguous(let en, let vi):
                return .refused(
                    "is ambiguous: \(JSONValue.format(en)) in English notation, \(JSONValue.format(vi)) in Vietnamese; declare the source's notation with `number_format: en` or `number_format: vi` (or the manifest's `language:`)"
                )
            case .none: return .refused("is not a number")
            }
        default: return .refused("is not a number")
        }
    }

    /// The text GDAL gives a workbook's number cell: plain digits with a decimal point and no
    /// grouping (`108.15`, `-0.5`, `1.25E-3`).
    static func cellText(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard !t.contains(","), t.contains("."), let x = Double(t), x.isFinite else { return nil }
        return t.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) } ? x : nil
    }
}

/// The workbook number cells a source's reading took as such (see ``NumberReading/cell(_:)``),
/// gathered from every reading thread for one warning.
final class NumberCellLog: @unchecked Sendable {
    private let box = LockedBox<[(id: String, column: String, text: String)]>([])
    func add(id: String, column: String, text: String) {
        box.mutate { if $0.count < 1_000 { $0.append((id, column, text)) } }
    }
    var entries: [(id: String, column: String, text: String)] { box.value }
}
