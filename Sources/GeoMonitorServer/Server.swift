import Foundation
import GeoMonitor
import Hummingbird

/// The HTTP side: routes, content negotiation, ETag / If-None-Match, gzip, CORS and JSON errors.
///
/// ```swift
/// let store = try FeatureStore(manifest: Dataset.defaultManifestPath())
/// let app = FeatureServer.application(store: store, host: "127.0.0.1", port: 8080)
/// try await app.runService()
/// ```
public enum FeatureServer {
    /// Builds the Hummingbird application. `onRunning` receives the bound port (useful with port 0).
    public static func application(store: FeatureStore, host: String = "127.0.0.1", port: Int = 8080,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let api = FeaturesAPI(store: store)
        let router = Router()
        router.add(middleware: HTTPFinishing())
        let apiText = OpenAPIDocument.json(base: "{base}", title: "geomonitor — \(store.dataset.manifest.name)",
                                           collections: FeaturesAPI.collectionIDs, targets: store.engine.catalog.targets.map(\.id),
                                           maxLimit: ItemsQuery.maxLimit, defaultLimit: ItemsQuery.defaultLimit)
        let page = MapPage.html(title: store.dataset.manifest.name, language: (try? Language.resolve(nil, manifest: store.dataset.manifest)) ?? .english)
        /// Every route answers GET and HEAD (the middleware drops HEAD's body).
        func route(_ path: RouterPath, _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response) {
            router.on(path, method: .get, use: handler)
            router.on(path, method: .head, use: handler)
        }

        route("/") { req, _ -> Response in
            let f = query(req).last { $0.0 == "f" }?.1
            if f == "html" || (f == nil && prefersHTML(req)) { return finish(req, Reply(contentType: MediaType.html, body: ByteBuffer(string: page))) }
            if let f, f != "json" { throw APIError.badRequest("f: '\(f)' is not supported; use json or html") }
            return finish(req, api.landing(base: base(req)))
        }
        route("/map") { req, _ in finish(req, Reply(contentType: MediaType.html, body: ByteBuffer(string: page))) }
        route("/conformance") { req, _ in finish(req, api.conformance()) }
        route("/api") { req, _ in
            let text = apiText.replacingOccurrences(of: "\"{base}\"", with: JSONValue.string(base(req)).serialized())
            return finish(req, Reply(contentType: MediaType.openapi, body: ByteBuffer(string: text)))
        }
        route("/targets") { req, _ in finish(req, api.targets()) }
        route("/collections") { req, _ in finish(req, try api.collections(base: base(req))) }
        route("/collections/:cid") { req, ctx in
            finish(req, try api.collection(try ctx.parameters.require("cid"), base: base(req)))
        }
        route("/collections/:cid/items") { req, ctx in
            finish(req, try api.items(try ctx.parameters.require("cid"), params: query(req), base: base(req)))
        }
        route("/collections/:cid/items/:fid") { req, ctx in
            let raw = try ctx.parameters.require("fid")
            let fid = raw.removingPercentEncoding ?? raw
            return finish(req, try api.item(try ctx.parameters.require("cid"), featureID: fid, params: query(req), base: base(req)))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "geomonitor"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    /// Runs the server until the task is cancelled or the process gets SIGINT / SIGTERM.
    public static func run(store: FeatureStore, host: String = "127.0.0.1", port: Int = 8080,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(store: store, host: host, port: port, onRunning: onRunning).runService()
    }

    /// Query parameters in order, percent-decoded (`+` is a space).
    static func query(_ req: Request) -> [(String, String)] {
        guard let q = req.uri.query, !q.isEmpty else { return [] }
        return q.split(separator: "&").compactMap { part in
            guard !part.isEmpty else { return nil }
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func dec(_ s: Substring) -> String {
                let t = s.replacingOccurrences(of: "+", with: " ")
                return t.removingPercentEncoding ?? t
            }
            return (dec(kv[0]), kv.count > 1 ? dec(kv[1]) : "")
        }
    }

    /// `http://host:port` as the client addressed us.
    static func base(_ req: Request) -> String {
        let host = req.head.authority ?? "127.0.0.1"
        return "http://" + host
    }

    /// Browsers ask for text/html first; API clients for JSON or anything.
    static func prefersHTML(_ req: Request) -> Bool {
        let accept = req.headers[values: .accept].joined(separator: ",").lowercased()
        guard let html = accept.range(of: "text/html") else { return false }
        if let json = accept.range(of: "application/json") { return html.lowerBound < json.lowerBound }
        return true
    }

    /// FNV-1a 64 of the body, as a strong ETag.
    static func etag(_ body: ByteBuffer) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        body.withUnsafeReadableBytes { raw in
            for b in raw { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        let hex = String(h, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    static func acceptsGzip(_ req: Request) -> Bool {
        for item in req.headers[values: .acceptEncoding].joined(separator: ",").split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { continue }
            if parts.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "q=0" || $0.hasPrefix("q=0.0") && Double($0.dropFirst(2)) == 0 }) { return false }
            return true
        }
        return false
    }

    static func matches(_ ifNoneMatch: String, _ tags: [String]) -> Bool {
        for t in ifNoneMatch.split(separator: ",") {
            var s = t.trimmingCharacters(in: .whitespaces)
            if s == "*" { return true }
            if s.hasPrefix("W/") { s.removeFirst(2) }
            if tags.contains(s) { return true }
        }
        return false
    }

    /// ETag and 304, gzip, Vary. CORS is added for every answer by `HTTPFinishing`.
    static func finish(_ req: Request, _ reply: Reply) -> Response {
        let tag = etag(reply.body)
        let gzip = reply.body.readableBytes >= 512 && acceptsGzip(req) && Gzip.shared != nil
        let gzTag = String(tag.dropLast()) + "-gzip\""
        var headers: HTTPFields = [.contentType: reply.contentType, .vary: "Accept, Accept-Encoding", .cacheControl: "no-cache"]
        headers[.eTag] = gzip ? gzTag : tag
        if reply.status == 200, let inm = req.headers[.ifNoneMatch], matches(inm, [tag, gzTag]) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        var body = reply.body
        if gzip, let z = gzipCache.get(gzTag) ?? body.withUnsafeReadableBytes({ Gzip.shared!.compress($0) }).map({ gzipCache.put(gzTag, $0) }) {
            headers[.contentEncoding] = "gzip"
            body = ByteBuffer(bytes: z)
        } else if gzip {
            headers[.eTag] = tag
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: body))
    }
}

/// Compressed answers by their ETag, so that a page asked for again is not compressed again.
let gzipCache = ByteCache(capacity: 256, maxBytes: 1 << 20)

final class ByteCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [UInt8]] = [:]
    private var order: [String] = []
    let capacity: Int, maxBytes: Int
    init(capacity: Int, maxBytes: Int) { self.capacity = capacity; self.maxBytes = maxBytes }

    func get(_ key: String) -> [UInt8]? { lock.lock(); defer { lock.unlock() }; return entries[key] }

    /// Stores (when small enough) and returns the value.
    func put(_ key: String, _ value: [UInt8]) -> [UInt8] {
        guard value.count <= maxBytes else { return value }
        lock.lock(); defer { lock.unlock() }
        if entries[key] == nil { order.append(key) }
        entries[key] = value
        while order.count > capacity { entries[order.removeFirst()] = nil }
        return value
    }
}

/// CORS on every answer (and OPTIONS preflights), and every error as a JSON body.
struct HTTPFinishing<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .options {
            return Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*", .accessControlAllowMethods: "GET, HEAD, OPTIONS",
                .accessControlAllowHeaders: "Accept, Accept-Encoding, If-None-Match, Content-Type", .accessControlMaxAge: "86400",
            ])
        }
        guard request.method == .get || request.method == .head else {
            var r = FeatureServer.finish(request, Reply(error: APIError(405, "MethodNotAllowed", "\(request.method.rawValue) is not allowed; use GET")))
            r.headers[.allow] = "GET, HEAD, OPTIONS"
            r.headers[.accessControlAllowOrigin] = "*"
            return r
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let e as APIError {
            response = FeatureServer.finish(request, Reply(error: e))
        } catch let e as HTTPResponseError {
            let code = e.status.code
            let error = APIError(code, code == 404 ? "NotFound" : "HTTPError",
                                 code == 404 ? "no resource at \(request.uri.path)" : "\(e.status.reasonPhrase)")
            response = FeatureServer.finish(request, Reply(error: error))
        } catch {
            response = FeatureServer.finish(request, Reply(error: APIError(500, "ServerError", "\(error)")))
        }
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = "ETag, Content-Encoding"
        // HEAD: the GET answer's status and headers, without its body.
        if request.method == .head { return Response(status: response.status, headers: response.headers) }
        return response
    }
}
