import Foundation

/// A JSON value with ordered object keys, so outputs are stable and diffable.
///
/// ```swift
/// let v = JSONValue.object([("id", .string("P-1")), ("area_ha", .num(12.5)), ("date", .str(nil))])
/// print(v.serialized())   // {"id":"P-1","area_ha":12.5,"date":null}
/// ```
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, written in the shortest form that reads back to the same `Double` (integers
    /// without `.0`); a NaN or infinity is written `null`.
    case number(Double)
    /// A string, escaped as RFC 8259 asks (plus U+2028/U+2029, for JavaScript).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose members keep this order (duplicate keys are written as given).
    case object([(String, JSONValue)])

    /// Equal when the two serialise to the same text (so member order matters).
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// A number, or null when nil or not finite (JSON has no NaN).
    public static func num(_ v: Double?) -> JSONValue {
        guard let v, v.isFinite else { return .null }
        return .number(v)
    }

    /// A string, or null when nil.
    public static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    /// JSON text: compact, or indented by two spaces per level when `pretty`.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    func write(into out: inout String, pretty: Bool, indent: Int) {
        var buffer = JSONBytes()
        write(into: &buffer, pretty: pretty, indent: indent)
        out += buffer.string
    }

    func write(into out: inout JSONBytes, pretty: Bool = false, indent: Int = 0) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): if b { out.append("true") } else { out.append("false") }
        case .number(let v): out.append(number: v)
        case .string(let s): out.append(string: s)
        case .array(let a):
            if a.isEmpty {
                out.append("[]")
                return
            }
            out.append(byte: 0x5B)
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                if pretty { out.newline(indent: indent + 1) }
                v.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out.newline(indent: indent) }
            out.append(byte: 0x5D)
        case .object(let o):
            if o.isEmpty {
                out.append("{}")
                return
            }
            out.append(byte: 0x7B)
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                if pretty { out.newline(indent: indent + 1) }
                out.append(string: k)
                if pretty { out.append(": ") } else { out.append(byte: 0x3A) }
                v.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out.newline(indent: indent) }
            out.append(byte: 0x7D)
        }
    }

    /// Shortest round-tripping text for a finite double; integers without ".0".
    static func format(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// `v` rounded to `decimals` places, as JSON text.
    static func format(_ v: Double, decimals: Int) -> String {
        let p = pow10(min(max(decimals, 0), 15))
        return format((v * p).rounded() / p)
    }

    /// 10^d for d in 0…15 (exact doubles). A switch, not a table: a global array would cost a
    /// lazy-initialisation check on every number written.
    @inline(__always) static func pow10(_ d: Int) -> Double {
        switch d {
        case ...0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }
}
