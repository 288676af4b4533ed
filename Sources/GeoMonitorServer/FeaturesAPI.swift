import Foundation
import GeoMonitor
import NIOCore

/// A finished answer before HTTP concerns (ETag, gzip, CORS) are applied.
struct Reply: Sendable {
    var status: Int
    var contentType: String
    var body: ByteBuffer

    init(status: Int = 200, contentType: String, body: ByteBuffer) {
        self.status = status; self.contentType = contentType; self.body = body
    }
    init(json: JSONValue, status: Int = 200) {
        self.init(status: status, contentType: MediaType.json, body: ByteBuffer(string: json.serialized() + "\n"))
    }
    init(error: APIError) {
        self.init(status: error.status, contentType: MediaType.json, body: ByteBuffer(string: error.json))
    }
}

enum MediaType {
    static let json = "application/json"
    static let geojson = "application/geo+json"
    static let openapi = "application/vnd.oai.openapi+json;version=3.0"
    static let html = "text/html; charset=utf-8"
}

/// OGC API – Features – Part 1: Core over a `FeatureStore`, independent of the HTTP framework:
/// every method takes what the request said and returns a `Reply` or throws an `APIError`.
struct FeaturesAPI: Sendable {
    let store: FeatureStore
    init(store: FeatureStore) { self.store = store }

    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    static let conformanceClasses = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ]
    static let collectionIDs = ["localities", "projects", "progress"]

    static func link(_ href: String, _ rel: String, _ type: String, _ title: String? = nil) -> JSONValue {
        var o: [(String, JSONValue)] = [("href", .string(href)), ("rel", .string(rel)), ("type", .string(type))]
        if let title { o.append(("title", .string(title))) }
        return .object(o)
    }

    // MARK: landing, conformance, collections

    func landing(base: String) -> Reply {
        let m = store.dataset.manifest
        return Reply(json: .object([
            ("title", .string("geomonitor — \(m.name)")),
            ("description", .string("OGC API – Features over the localities, projects and target progress of \(m.name).")),
            ("links", .array([
                Self.link(base + "/", "self", MediaType.json, "This document"),
                Self.link(base + "/map", "alternate", "text/html", "Web map"),
                Self.link(base + "/api", "service-desc", MediaType.openapi, "The API definition (OpenAPI 3.0)"),
                Self.link(base + "/conformance", "conformance", MediaType.json, "Conformance classes implemented"),
                Self.link(base + "/collections", "data", MediaType.json, "The feature collections"),
                Self.link(base + "/targets", "related", MediaType.json, "The target catalog"),
            ])),
        ]))
    }

    func conformance() -> Reply {
        Reply(json: .object([("conformsTo", .array(Self.conformanceClasses.map { .string($0) }))]))
    }

    func layerMeta(_ id: String) throws -> (title: String, description: String, extent: BoundingBox, temporal: (start: Day, end: Day)?) {
        switch id {
        case "localities": let l = store.localities; return (l.title, l.description, l.extent, nil)
        case "projects": let l = store.projects; return (l.title, l.description, l.extent, l.temporal)
        case "progress":
            return ("Progress by locality",
                    "Localities with the progress figures of one target (query parameter `target`, default \(store.defaultTarget ?? "none")) as of `as_of` (default today). The targets are listed in `targets`.",
                    store.localities.extent, nil)
        default: throw APIError.notFound("no collection '\(id)'; collections: \(Self.collectionIDs.joined(separator: ", "))")
        }
    }

    func collectionJSON(_ id: String, base: String) throws -> JSONValue {
        let m = try layerMeta(id)
        let b = m.extent
        var extent: [(String, JSONValue)] = [
            ("spatial", .object([("bbox", .array([.array([b.minX, b.minY, b.maxX, b.maxY].map { .number(($0 * 1e7).rounded() / 1e7) })])),
                                 ("crs", .string(Self.crs84))])),
        ]
        if let t = m.temporal {
            extent.append(("temporal", .object([("interval", .array([.array([.string(t.start.description + "T00:00:00Z"), .string(t.end.description + "T23:59:59Z")])])),
                                                ("trs", .string("http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"))])))
        }
        var o: [(String, JSONValue)] = [
            ("id", .string(id)), ("title", .string(m.title)), ("description", .string(m.description)),
            ("itemType", .string("feature")), ("crs", .array([.string(Self.crs84)])), ("storageCrs", .string(Self.crs84)),
            ("extent", .object(extent)),
            ("links", .array([
                Self.link("\(base)/collections/\(id)", "self", MediaType.json, m.title),
                Self.link("\(base)/collections/\(id)/items", "items", MediaType.geojson, "The features"),
            ])),
        ]
        if id == "progress" {
            o.append(("defaultTarget", .str(store.defaultTarget)))
            o.append(("targets", targetsJSON()))
        }
        return .object(o)
    }

    func collections(base: String) throws -> Reply {
        Reply(json: .object([
            ("links", .array([Self.link(base + "/collections", "self", MediaType.json, "The feature collections")])),
            ("collections", .array(try Self.collectionIDs.map { try collectionJSON($0, base: base) })),
        ]))
    }

    func collection(_ id: String, base: String) throws -> Reply {
        Reply(json: try collectionJSON(id, base: base))
    }

    func targetsJSON() -> JSONValue {
        .array(store.engine.catalog.targets.map { t in
            .object([("id", .string(t.id)), ("clause", .string(t.clause)), ("title", .string(t.title)), ("unit", .string(t.unit)),
                     ("measure", .string(t.measurement.kindName)), ("goal", .str(t.goal?.text)),
                     ("period", .object([("start", .string(t.period.start.description)), ("end", .string(t.period.end.description))])),
                     ("scope", .string(t.scope ?? "province")), ("byLocality", .bool(t.hasLocalityFigures))])
        })
    }

    /// The target catalog, for the map's target selector.
    func targets() -> Reply {
        let p = store.engine.catalog.programme
        return Reply(json: .object([
            ("programme", .object([("id", .string(p.id)), ("title", .string(p.title)),
                                   ("period", .object([("start", .string(p.period.start.description)), ("end", .string(p.period.end.description))]))])),
            ("defaultTarget", .str(store.defaultTarget)),
            ("targets", targetsJSON()),
        ]))
    }

    // MARK: items

    func layer(_ id: String, _ q: ItemsQuery) throws -> FeatureLayer {
        switch id {
        case "localities": return store.localities
        case "projects": return store.projects
        case "progress":
            guard let target = q.target ?? store.defaultTarget else { throw APIError.badRequest("target: the catalog has no target") }
            guard store.engine.catalog.targets.contains(where: { $0.id == target }) else {
                throw APIError.badRequest("target: unknown target '\(target)'; targets: \(store.engine.catalog.targets.map(\.id).joined(separator: ", "))")
            }
            do { return try store.progress(target: target, asOf: q.asOf ?? Day.today) } catch let e as GeoMonitorError {
                throw APIError(500, "ServerError", e.description)
            }
        default: throw APIError.notFound("no collection '\(id)'; collections: \(Self.collectionIDs.joined(separator: ", "))")
        }
    }

    /// `params` in request order, already percent-decoded.
    func items(_ id: String, params: [(String, String)], base: String) throws -> Reply {
        _ = try layerMeta(id)
        let q = try ItemsQuery.parse(params, collection: id, localities: store.dataset.localities)
        let layer = try layer(id, q)
        let temporal = id == "projects"
        // Indices of the matching features; no copy of feature text.
        let matched: [Int]
        if let box = q.bbox {
            matched = layer.index.search(box).filter { q.admits(layer.features[$0], temporal: temporal) }
        } else if q.hasFilter {
            matched = layer.features.indices.filter { q.admits(layer.features[$0], temporal: temporal) }
        } else {
            matched = Array(layer.features.indices)
        }
        let start = min(q.offset, matched.count)
        let end = min(start + q.limit, matched.count)
        let page = matched[start..<end]

        func pageURL(offset: Int) -> String {
            var items = params.filter { $0.0 != "offset" && $0.0 != "limit" }
            items.append(("limit", String(q.limit)))
            if offset > 0 { items.append(("offset", String(offset))) }
            return "\(base)/collections/\(id)/items?" + items.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        var links: [JSONValue] = [
            Self.link(pageURL(offset: q.offset), "self", MediaType.geojson, "This page"),
            Self.link("\(base)/collections/\(id)", "collection", MediaType.json, layer.title),
        ]
        if end < matched.count { links.append(Self.link(pageURL(offset: end), "next", MediaType.geojson, "Next page")) }
        if start > 0 { links.append(Self.link(pageURL(offset: max(0, start - q.limit)), "prev", MediaType.geojson, "Previous page")) }

        var head = "{\"type\":\"FeatureCollection\",\"numberMatched\":\(matched.count),\"numberReturned\":\(page.count),\"timeStamp\":"
        JSONValue.string(store.loadedAt).writeCompact(into: &head)
        head += ",\"links\":" + JSONValue.array(links).serialized() + ",\"features\":["
        var size = head.utf8.count + 4
        for i in page { size += layer.features[i].bytes.count + 2 }
        var buf = ByteBufferAllocator().buffer(capacity: size)
        buf.writeString(head)
        var first = true
        for i in page {
            buf.writeStaticString(first ? "\n" : ",\n")
            first = false
            buf.writeBytes(layer.features[i].bytes)
        }
        buf.writeStaticString("\n]}\n")
        return Reply(contentType: MediaType.geojson, body: buf)
    }

    func item(_ id: String, featureID: String, params: [(String, String)], base: String) throws -> Reply {
        _ = try layerMeta(id)
        // Only the parameters that choose the layer apply to a single feature.
        let relevant = params.filter { ["f", "target", "as_of"].contains($0.0) }
        let q = try ItemsQuery.parse(relevant, collection: id, localities: store.dataset.localities)
        let layer = try layer(id, q)
        guard let f = layer.feature(featureID) else {
            throw APIError.notFound("no feature '\(featureID)' in collection '\(id)'")
        }
        let links = JSONValue.array([
            Self.link("\(base)/collections/\(id)/items/\(Self.encode(featureID))", "self", MediaType.geojson, "This feature"),
            Self.link("\(base)/collections/\(id)", "collection", MediaType.json, layer.title),
        ]).serialized()
        var buf = ByteBufferAllocator().buffer(capacity: f.bytes.count + links.utf8.count + 16)
        buf.writeBytes(f.bytes.dropLast())   // the closing brace
        buf.writeString(",\"links\":" + links + "}\n")
        return Reply(contentType: MediaType.geojson, body: buf)
    }

    static let unreserved: CharacterSet = {
        var s = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        s.insert(charactersIn: "-._~")
        return s
    }()

    static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }
}

extension JSONValue {
    func writeCompact(into out: inout String) { out += serialized() }
}
