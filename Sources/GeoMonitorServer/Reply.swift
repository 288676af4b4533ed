import GeoMonitor
import NIOCore

/// A finished answer before HTTP concerns (ETag, gzip, CORS) are applied.
struct Reply: Sendable {
    var status: Int
    var contentType: String
    var body: ByteBuffer
    /// Extra headers (e.g. `Location` of a redirect, `Retry-After` of a 503).
    var headers: [(String, String)] = []

    init(status: Int = 200, contentType: String, body: ByteBuffer) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
    init(json: JSONValue, status: Int = 200) {
        self.init(status: status, contentType: MediaType.json, body: ByteBuffer(string: json.serialized() + "\n"))
    }
    init(error: APIError) {
        self.init(status: error.status, contentType: MediaType.json, body: ByteBuffer(string: error.json))
    }
}
