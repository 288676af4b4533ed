import Foundation
import GeoKit
import GeoMonitor
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// The HTTP side: routes, parameter checks, content negotiation, ETag / If-None-Match, gzip,
/// CORS, JSON errors, timeouts and the connection cap.
///
/// ```swift
/// let store = try FeatureStore(manifest: Dataset.defaultManifestPath())
/// let app = FeatureServer.application(store: store, options: ServerOptions(port: 8080))
/// try await app.runService()
/// ```
public enum FeatureServer {
    /// Builds the Hummingbird application. `onRunning` receives the bound port (useful with port 0).
    public static func application(
        store: FeatureStore, options: ServerOptions = ServerOptions(),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        application(register: LiveRegister(store), options: options, onRunning: onRunning)
    }

    /// Builds the Hummingbird application over a register whose store may be replaced while it
    /// runs (each request answers from the store current when it started; 503 while the
    /// register is unavailable).
    public static func application(
        register: LiveRegister, options: ServerOptions = ServerOptions(),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let store = register.current
        let lane = HeavyLane()
        let router = Router()
        router.add(middleware: HTTPFinishing())
        router.add(
            middleware: FileMiddleware(
                options.leafletDirectory, urlBasePath: "/leaflet",
                cacheControl: .init([(Hummingbird.MediaType(type: .any), [.maxAge(86_400)])])))
        let targets = store.engine.catalog.targets.map(\.id)
        /// Links start with this: the public URL, or nothing (paths from the root).
        let base = options.publicURL ?? ""
        let apiText = OpenAPIDocument.json(
            server: options.publicURL ?? "/", title: "geomonitor — \(store.dataset.manifest.name)",
            targets: targets)
        let page = MapPage.html(
            title: store.dataset.manifest.name, language: options.language, targets: store.engine.catalog.targets)
        /// Every route answers GET and HEAD (the middleware drops HEAD's body), after checking
        /// its parameters against the same table `/api` is written from.
        func route(
            _ path: RouterPath, _ name: String,
            _ allowed: @escaping @Sendable (BasicRequestContext) -> [QueryParameter],
            _ handler:
                @escaping @Sendable (Request, BasicRequestContext, [(String, String)], FeaturesAPI) async throws ->
                Response
        ) {
            let h: @Sendable (Request, BasicRequestContext) async throws -> Response = { req, ctx in
                // One snapshot per request: the store current now answers all of it.
                let api = FeaturesAPI(store: try register.snapshot())
                let params = try ParameterRules.check(try query(req), allowed: allowed(ctx), route: name)
                return try await handler(req, ctx, params, api)
            }
            router.on(path, method: .get, use: h)
            router.on(path, method: .head, use: h)
        }
        @Sendable func html(_ req: Request) -> Response {
            finish(req, Reply(contentType: MediaType.html, body: ByteBuffer(string: page)))
        }
        func json(_ p: [QueryParameter]) -> @Sendable (BasicRequestContext) -> [QueryParameter] { { _ in p } }
        @Sendable func collection(_ ctx: BasicRequestContext) -> String { ctx.parameters.get("cid") ?? "" }

        route("/", "/", json(OpenAPIDocument.landingParameters)) { req, _, params, api in
            let f = params.last { $0.0 == "f" }?.1.lowercased()
            if f == "html" || (f == nil && prefersHTML(req)) { return html(req) }
            return finish(req, api.landing(base: base))
        }
        route("/map", "/map", json(OpenAPIDocument.mapParameters)) { req, _, _, api in
            // "/map/": the page's relative requests would resolve under /map/; send it to /map.
            if req.uri.path.hasSuffix("/") {
                var r = Reply(
                    status: 301, contentType: MediaType.json,
                    body: ByteBuffer(string: APIError(301, "MovedPermanently", "the map is at /map").json))
                r.headers = [("Location", options.publicURL.map { $0 + "/map" } ?? "../map")]
                return finish(req, r)
            }
            return html(req)
        }
        route("/conformance", "/conformance", json(OpenAPIDocument.jsonParameters)) { req, _, _, api in
            finish(req, api.conformance())
        }
        route("/api", "/api", json(OpenAPIDocument.jsonParameters)) { req, _, _, api in
            finish(req, Reply(contentType: MediaType.openapi, body: ByteBuffer(string: apiText)))
        }
        route("/targets", "/targets", json(OpenAPIDocument.jsonParameters)) { req, _, _, api in
            finish(req, api.targets())
        }
        route("/collections", "/collections", json(OpenAPIDocument.jsonParameters)) { req, _, _, api in
            finish(req, try api.collections(base: base))
        }
        route("/collections/:cid", "a collection", json(OpenAPIDocument.jsonParameters)) { req, ctx, _, api in
            finish(req, try api.collection(collection(ctx), base: base))
        }
        route("/collections/:cid/items", "items", { ParameterRules.items(collection($0), targets: targets) }) {
            req, ctx, params, api in
            let cid = collection(ctx)
            let q = try api.itemsQuery(cid, params: params)
            if api.isHeavy(cid, q) {
                return try await lane.run { finish(req, try api.items(cid, query: q, params: params, base: base)) }
            }
            return try await respond(req, try api.items(cid, query: q, params: params, base: base), lane: lane)
        }
        route("/collections/:cid/items/:fid", "a feature", { ParameterRules.item(collection($0), targets: targets) }) {
            req, ctx, params, api in
            let cid = collection(ctx)
            let raw = try ctx.parameters.require("fid")
            let fid = raw.removingPercentEncoding ?? raw
            let q = try api.itemsQuery(cid, params: params)
            if api.isHeavy(cid, q) {
                return try await lane.run { finish(req, try api.item(cid, featureID: fid, params: params, base: base)) }
            }
            return finish(req, try api.item(cid, featureID: fid, params: params, base: base))
        }
        let registry = ConnectionRegistry(limit: options.maxConnections)
        let header = TimeAmount.milliseconds(Int64(options.headerTimeout * 1000))
        let idle = TimeAmount.milliseconds(Int64(options.idleTimeout * 1000))
        let server = HTTPServerBuilder.http1(
            configuration: .init(
                additionalChannelHandlers: [
                    ConnectionGuard(headerTimeout: header, idleTimeout: idle, registry: registry)
                ]))
        // A backstop when every connection is busy: stop accepting until one closes.
        let configuration = ApplicationConfiguration(
            address: .hostname(options.host, port: options.port), serverName: "geomonitor",
            backlog: 1024,
            availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections + 64))
        return Application(
            router: router, server: server, configuration: configuration,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? options.port) })
    }

    /// Runs the server until the task is cancelled or the process gets SIGINT / SIGTERM.
    public static func run(
        store: FeatureStore, options: ServerOptions = ServerOptions(),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(store: store, options: options, onRunning: onRunning).runService()
    }

    /// Runs the server over a live register (see ``LiveRegister``) until the task is cancelled
    /// or the process gets SIGINT / SIGTERM.
    public static func run(
        register: LiveRegister, options: ServerOptions = ServerOptions(),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(register: register, options: options, onRunning: onRunning).runService()
    }

    /// Finishes a reply, compressing a large body on the heavy lane rather than inline.
    static func respond(_ req: Request, _ reply: Reply, lane: HeavyLane) async throws -> Response {
        if reply.body.readableBytes > 256 * 1024 && acceptsGzip(req) {
            return try await lane.run { finish(req, reply) }
        }
        return finish(req, reply)
    }

    /// Query parameters in order, percent-decoded (`+` is a space).
    /// - Throws: `APIError` 400 for percent-encoding that is not valid UTF-8.
    static func query(_ req: Request) throws -> [(String, String)] {
        guard let q = req.uri.query, !q.isEmpty else { return [] }
        return try q.split(separator: "&").compactMap { part in
            guard !part.isEmpty else { return nil }
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func dec(_ s: Substring) throws -> String {
                let t = s.replacingOccurrences(of: "+", with: " ")
                guard let d = t.removingPercentEncoding else {
                    throw APIError.badRequest(
                        "the query has invalid percent-encoding near '\(APIError.echo(String(s)))'")
                }
                return d
            }
            return (try dec(kv[0]), kv.count > 1 ? try dec(kv[1]) : "")
        }
    }

    static func prefersHTML(_ req: Request) -> Bool {
        let accept = req.headers[values: .accept].joined(separator: ",").lowercased()
        guard let html = accept.range(of: "text/html") else { return false }
        if let json = accept.range(of: "application/json") { return html.lowerBound < json.lowerBound }
        return true
    }

    /// FNV-1a 64 of the body, as a strong ETag.
    static func etag(_ body: ByteBuffer) -> String {
        let hex = String(body.withUnsafeReadableBytes { FNV1a.hash($0) }, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    static func acceptsGzip(_ req: Request) -> Bool {
        for item in req.headers[values: .acceptEncoding].joined(separator: ",").split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { continue }
            if parts.dropFirst().contains(where: {
                $0.replacingOccurrences(of: " ", with: "") == "q=0"
                    || $0.hasPrefix("q=0.0") && Double($0.dropFirst(2)) == 0
            }) {
                return false
            }
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
        let gzip = reply.body.readableBytes >= 512 && acceptsGzip(req)
        let gzTag = String(tag.dropLast()) + "-gzip\""
        var headers: HTTPFields = [
            .contentType: reply.contentType, .vary: "Accept, Accept-Encoding", .cacheControl: "no-cache",
            .xContentTypeOptions: "nosniff",
        ]
        for (k, v) in reply.headers { if let name = HTTPField.Name(k) { headers[name] = v } }
        headers[.eTag] = gzip ? gzTag : tag
        if reply.status == 200, let inm = req.headers[.ifNoneMatch], matches(inm, [tag, gzTag]) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        var body = reply.body
        if gzip,
            let z = gzipCache.get(gzTag)
                ?? body.withUnsafeReadableBytes({ Gzip.compress($0) }).map({ gzipCache.put(gzTag, $0) })
        {
            headers[.contentEncoding] = "gzip"
            body = ByteBuffer(bytes: z)
        } else if gzip {
            headers[.eTag] = tag
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: body))
    }
}
