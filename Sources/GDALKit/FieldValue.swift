/// A typed attribute value read from a feature.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case string(String)
    /// A date (and optional time), as the source stored it.
    case date(year: Int, month: Int, day: Int)
    case integerList([Int64])
    case realList([Double])
    case stringList([String])

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

import Foundation

/// The type of a field, as OGR declares it.
public enum FieldType: String, Sendable {
    case integer, integer64, real, string, date, time, dateTime, binary, integerList, realList, stringList, other
}

/// A field of a layer's schema.
public struct FieldDefinition: Hashable, Sendable {
    public var name: String
    public var type: FieldType
    public var index: Int
}
