import Foundation

/// A typed attribute value read from a feature.
///
/// `description` is the value as text (empty for null, ISO `yyyy-mm-dd` for dates, list items
/// joined with commas): what a manifest column mapping reads.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    /// The field is unset or NULL.
    case null
    /// An integer or 64-bit integer field.
    case integer(Int64)
    /// A floating-point field.
    case real(Double)
    /// A text field, decoded to a Swift string (CP1258 sources are decoded by GDALKit itself).
    case string(String)
    /// A date (and optional time), as the source stored it.
    case date(year: Int, month: Int, day: Int)
    /// A list of integers (GeoPackage/GeoJSON arrays, OGR `IntegerList`).
    case integerList([Int64])
    /// A list of reals (OGR `RealList`).
    case realList([Double])
    /// A list of strings (OGR `StringList`).
    case stringList([String])

    /// The value as text: empty for null, `yyyy-mm-dd` for dates, whole reals without `.0`,
    /// list items joined with commas.
    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .string(let s): return s
        case .date(let y, let m, let d): return String(format4: y) + "-" + String(format2: m) + "-" + String(format2: d)
        case .integerList(let l): return l.map(String.init).joined(separator: ",")
        case .realList(let l): return l.map { String($0) }.joined(separator: ",")
        case .stringList(let l): return l.joined(separator: ",")
        }
    }

    /// True for ``null`` only (an empty string is not null).
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as a number, if it is one or is text that reads as one (a comma decimal separator is accepted).
    public var number: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            if let v = Double(t) { return v }
            // "1.234,5" (Vietnamese thousands and decimal) or "12,5"
            let swapped = t.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            return t.contains(",") ? Double(swapped) : nil
        default: return nil
        }
    }
}

extension String {
    init(format2 v: Int) { self = v < 10 ? "0\(v)" : "\(v)" }
    init(format4 v: Int) {
        let s = String(v)
        self = String(repeating: "0", count: Swift.max(0, 4 - s.count)) + s
    }
}

/// The type of a field, as OGR declares it.
public enum FieldType: String, Sendable {
    /// 32-bit integer (`OFTInteger`).
    case integer
    /// 64-bit integer (`OFTInteger64`).
    case integer64
    /// Double-precision real (`OFTReal`).
    case real
    /// Text (`OFTString`).
    case string
    /// A calendar date (`OFTDate`).
    case date
    /// A time of day (`OFTTime`).
    case time
    /// A date and time (`OFTDateTime`).
    case dateTime
    /// Raw bytes (`OFTBinary`).
    case binary
    /// A list of 32- or 64-bit integers.
    case integerList
    /// A list of reals.
    case realList
    /// A list of strings.
    case stringList
    /// Any type OGR adds later.
    case other
}

/// A field of a layer's schema.
public struct FieldDefinition: Hashable, Sendable {
    /// The column name as the source spells it.
    public var name: String
    /// The column's declared type.
    public var type: FieldType
    /// The 0-based position of the column, as ``VectorLayer/forEachFeature(fieldIndices:part:where:keep:geometry:_:)`` takes it.
    public var index: Int
}
