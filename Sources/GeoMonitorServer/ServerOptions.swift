import Foundation

/// How `geomonitor serve` listens and defends itself.
///
/// ```swift
/// var options = ServerOptions(host: "0.0.0.0", port: 8080)
/// options.publicURL = ServerOptions.normalizedPublicURL("https://maps.example.org/geomonitor")
/// try await FeatureServer.run(store: store, options: options)
/// ```
public struct ServerOptions: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0: any free port).
    public var port: Int
    /// The URL clients reach the server at (`https://host/prefix`, no trailing slash): links are
    /// built from it. Nil: links are paths from the root (`/collections/…`), never built from the
    /// request's `Host` header.
    public var publicURL: String?
    /// Seconds a client has to send a whole request (head and body) after connecting.
    public var headerTimeout: Double
    /// Seconds a kept-alive connection may wait for its next request.
    public var idleTimeout: Double
    /// Connections kept open at once; past it the longest-idle ones are closed to make room.
    public var maxConnections: Int
    /// Where Debian's `libjs-leaflet` puts Leaflet; served at `/leaflet/`.
    public var leafletDirectory: String
    /// The language of the map page's text: `en` or `vi`.
    public var language: String

    /// Options with defaults: 10 s to send a request, 30 s idle keep-alive, 1,024 connections.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil,
        headerTimeout: Double = 10, idleTimeout: Double = 30, maxConnections: Int = 1024,
        leafletDirectory: String = "/usr/share/javascript/leaflet", language: String = "en"
    ) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.leafletDirectory = leafletDirectory
        self.language = language
    }

    /// `text` as a public URL (scheme http or https, a host, an optional path; no query,
    /// fragment, user or quote), without its trailing slash; nil when it is not one.
    public static func normalizedPublicURL(_ text: String) -> String? {
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = c.host, !host.isEmpty, c.query == nil, c.fragment == nil, c.user == nil, c.password == nil,
            !text.contains(where: { "\"'<>\\ `".contains($0) || $0.isNewline })
        else { return nil }
        var s = text
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
