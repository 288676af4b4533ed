internal import GDALKit

/// A number cell of a project source read by the source's ``NumberFormat``: numeric cells as
/// they are, text by the declared notation or, undeclared, only when both notations agree or one
/// alone fits. The reason a value is refused, worded for one-line errors.
enum NumberReading: Equatable {
    /// The value.
    case value(Double)
    /// Null or blank: no value.
    case blank
    /// Refused; the text completes "'1,250' in column 'c' of project 'p' …".
    case refused(String)

    static func read(_ v: FieldValue, notation: NumberFormat?) -> NumberReading {
        switch v {
        case .null: return .blank
        case .integer(let n): return .value(Double(n))
        case .real(let x): return x.isFinite ? .value(x) : .refused("is not a finite number")
        case .string(let s):
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .blank }
            if let notation {
                if let x = notation.parse(s) { return .value(x) }
                let other: NumberFormat = notation == .vi ? .en : .vi
                let hint = other.parse(s) != nil ? "; it reads as \(other.displayName): fix the value or the source's `number_format`" : ""
                return .refused("is not a number in \(notation.displayName), the source's number format\(hint)")
            }
            switch NumberFormat.undeclared(s) {
            case .value(let x, _): return .value(x)
            case .ambiguous(let en, let vi):
                return .refused("is ambiguous: \(JSONValue.format(en)) in English notation, \(JSONValue.format(vi)) in Vietnamese; declare the source's notation with `number_format: en` or `number_format: vi` (or the manifest's `language:`)")
            case .none: return .refused("is not a number")
            }
        default: return .refused("is not a number")
        }
    }
}
