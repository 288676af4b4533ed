import Foundation
import GeoMonitor

/// An error answered as `{"code": …, "description": …}` with an HTTP status.
struct APIError: Error, Sendable {
    var status: Int
    var code: String
    var description: String
    init(_ status: Int, _ code: String, _ description: String) {
        self.status = status
        self.code = code
        self.description = description
    }

    static func badRequest(_ d: String) -> APIError { APIError(400, "InvalidParameterValue", d) }
    static func notFound(_ d: String) -> APIError { APIError(404, "NotFound", d) }

    var json: String {
        JSONValue.object([("code", .string(code)), ("description", .string(description))]).serialized() + "\n"
    }

    /// The longest piece of a request echoed back in an error (in characters).
    static let echoLimit = 64

    /// A piece of the request as an error quotes it: control characters shown as `\u{…}`
    /// escapes, cut to ``echoLimit`` characters with "…" and the full length when longer.
    static func echo(_ s: String) -> String {
        var out = ""
        var n = 0
        for ch in s.unicodeScalars {
            if n == echoLimit { return out + "… (\(s.unicodeScalars.count) characters)" }
            if ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) {
                out += "\\u{" + String(ch.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(ch)
            }
            n += 1
        }
        return out
    }
}
