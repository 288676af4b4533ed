import Foundation
import GeoMonitor
import NIOCore

/// OGC API – Features – Part 1: Core over a `FeatureStore`, independent of the HTTP framework:
/// every method takes what the request said and returns a `Reply` or throws an `APIError`.
struct FeaturesAPI: Sendable {
    let store: FeatureStore

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
        return Reply(
            json: .object([
                ("title", .string("geomonitor — \(m.name)")),
                (
                    "description",
                    .string("OGC API – Features over the localities, projects and target progress of \(m.name).")
                ),
                (
                    "links",
                    .array([
                        Self.link(base + "/", "self", MediaType.json, "This document"),
                        Self.link(base + "/map", "alternate", "text/html", "Web map"),
                        Self.link(base + "/api", "service-desc", MediaType.openapi, "The API definition (OpenAPI 3.0)"),
                        Self.link(
                            base + "/conformance", "conformance", MediaType.json, "Conformance classes implemented"),
                        Self.link(base + "/collections", "data", MediaType.json, "The feature collections"),
                        Self.link(base + "/targets", "related", MediaType.json, "The target catalog"),
                    ])
                ),
            ]))
    }

    func conformance() -> Reply {
        Reply(json: .object([("conformsTo", .array(Self.conformanceClasses.map { .string($0) }))]))
    }

    func layerMeta(_ id: String) throws -> (
        title: String, description: String, extent: BoundingBox, temporal: (start: Day, end: Day)?
    ) {
        switch id {
        case "localities":
            let l = store.localities
            return (l.title, l.description, l.extent, nil)
        case "projects":
            let l = store.projects
            return (l.title, l.description, l.extent, l.temporal)
        case "progress":
            return (
                "Progress by locality",
                "Localities with the progress figures of one target (query parameter `target`, default \(store.defaultTarget ?? "none")) as of `as_of` (default today). The targets are listed in `targets`.",
                store.localities.extent, nil
            )
        default:
            throw APIError.notFound(
                "no collection '\(APIError.echo(id))'; collections: \(Self.collectionIDs.joined(separator: ", "))")
        }
    }

    func collectionJSON(_ id: String, base: String) throws -> JSONValue {
        let m = try layerMeta(id)
        let b = m.extent
        var extent: [(String, JSONValue)] = [
            (
                "spatial",
                .object([
                    (
                        "bbox",
                        .array([.array([b.minX, b.minY, b.maxX, b.maxY].map { .number(($0 * 1e7).rounded() / 1e7) })])
                    ),
                    ("crs", .string(Self.crs84)),
                ])
            )
        ]
        if let t = m.temporal {
            extent.append(
                (
                    "temporal",
                    .object([
                        (
                            "interval",
                            .array([
                                .array([
                                    .string(t.start.description + "T00:00:00Z"),
                                    .string(t.end.description + "T23:59:59Z"),
                                ])
                            ])
                        ),
                        ("trs", .string("http://www.opengis.net/def/uom/ISO-8601/0/Gregorian")),
                    ])
                ))
        }
        var o: [(String, JSONValue)] = [
            ("id", .string(id)), ("title", .string(m.title)), ("description", .string(m.description)),
            ("itemType", .string("feature")), ("crs", .array([.string(Self.crs84)])),
            ("storageCrs", .string(Self.crs84)),
            ("extent", .object(extent)),
            (
                "links",
                .array([
                    Self.link("\(base)/collections/\(id)", "self", MediaType.json, m.title),
                    Self.link("\(base)/collections/\(id)/items", "items", MediaType.geojson, "The features"),
                ])
            ),
        ]
        if id == "progress" {
            o.append(("defaultTarget", .str(store.defaultTarget)))
            o.append(("targets", targetsJSON()))
        }
        return .object(o)
    }

    func collections(base: String) throws -> Reply {
        Reply(
            json: .object([
                (
                    "links",
                    .array([Self.link(base + "/collections", "self", MediaType.json, "The feature collections")])
                ),
                ("collections", .array(try Self.collectionIDs.map { try collectionJSON($0, base: base) })),
            ]))
    }

    func collection(_ id: String, base: String) throws -> Reply {
        Reply(json: try collectionJSON(id, base: base))
    }

    func targetsJSON() -> JSONValue {
        .array(
            store.engine.catalog.targets.map { t in
                .object([
                    ("id", .string(t.id)), ("clause", .string(t.clause)), ("title", .string(t.title)),
                    ("unit", .string(t.unit)),
                    ("measure", .string(t.measurement.kindName)), ("goal", .str(t.goal?.text)),
                    (
                        "period",
                        .object([
                            ("start", .string(t.period.start.description)), ("end", .string(t.period.end.description)),
                        ])
                    ),
                    ("scope", .string(t.scope ?? "province")), ("byLocality", .bool(t.hasLocalityFigures)),
                ])
            })
    }

    /// The target catalog, for the map's target selector.
    func targets() -> Reply {
        let p = store.engine.catalog.programme
        return Reply(
            json: .object([
                (
                    "programme",
                    .object([
                        ("id", .string(p.id)), ("title", .string(p.title)),
                        (
                            "period",
                            .object([
                                ("start", .string(p.period.start.description)),
                                ("end", .string(p.period.end.description)),
                            ])
                        ),
                    ])
                ),
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
            guard let target = q.target ?? store.defaultTarget else {
                throw APIError.badRequest("target: the catalog has no target")
            }
            do { return try store.progress(target: target, asOf: q.asOf ?? Day.today) } catch is GeoMonitorError {
                // The error names files on this machine: not for the client.
                throw APIError(500, "ServerError", "the progress of '\(target)' could not be computed")
            }
        default:
            throw APIError.notFound(
                "no collection '\(APIError.echo(id))'; collections: \(Self.collectionIDs.joined(separator: ", "))")
        }
    }

    /// The parsed query of an items request (parameters already checked by ``ParameterRules``).
    func itemsQuery(_ id: String, params: [(String, String)]) throws -> ItemsQuery {
        _ = try layerMeta(id)
        return try ItemsQuery.parse(
            params, localities: store.dataset.localities, targets: store.engine.catalog.targets.map(\.id))
    }

    /// Features a box may meet beyond which a request goes to the heavy lane.
    static let heavyCandidates = 20_000
    /// Page sizes beyond which a request goes to the heavy lane.
    static let heavyLimit = 1_000

    /// Would answering cost more than a few milliseconds? A progress layer not yet computed, a
    /// page of more than ``heavyLimit`` features, or boxes that may meet more than
    /// ``heavyCandidates`` features (estimated from the share of the layer's extent they cover).
    func isHeavy(_ id: String, _ q: ItemsQuery) -> Bool {
        if id == "progress",
            !store.hasProgress(target: q.target ?? store.defaultTarget ?? "", asOf: q.asOf ?? Day.today)
        {
            return true
        }
        if q.limit > Self.heavyLimit { return true }
        guard let bbox = q.bbox, id == "projects" else { return false }
        let layer = store.projects
        let e = layer.extent
        let area = max((e.maxX - e.minX) * (e.maxY - e.minY), 1e-12)
        var share = 0.0
        for b in bbox.parts {
            let w = min(b.maxX, e.maxX) - max(b.minX, e.minX)
            let h = min(b.maxY, e.maxY) - max(b.minY, e.minY)
            if w >= 0 && h >= 0 { share += w * h / area }
        }
        return share * Double(layer.features.count) > Double(Self.heavyCandidates)
    }

    /// A page of features: `params` in request order (for the paging links), `q` parsed from them.
    func items(_ id: String, query q: ItemsQuery, params: [(String, String)], base: String) throws -> Reply {
        let layer = try layer(id, q)
        let attributes = layer.filters.matching(q, temporal: id == "projects")
        // Positions of the matching features, in layer order; no copy of feature text.
        let matchedCount: Int
        let page: [Int]
        if let bbox = q.bbox {
            let matched = layer.index.matching(bbox.parts) { attributes?.contains($0) ?? true }
            matchedCount = matched.count
            let start = min(q.offset, matched.count)
            page = Array(matched[start..<min(start + q.limit, matched.count)])
        } else if let attributes {
            matchedCount = attributes.population
            page = attributes.page(offset: q.offset, limit: q.limit)
        } else {
            matchedCount = layer.features.count
            let start = min(q.offset, matchedCount)
            page = Array(start..<min(start + q.limit, matchedCount))
        }
        let start = min(q.offset, matchedCount)
        let end = start + page.count

        func pageURL(offset: Int) -> String {
            var items = params.filter { $0.0 != "offset" && $0.0 != "limit" }
            items.append(("limit", String(q.limit)))
            if offset > 0 { items.append(("offset", String(offset))) }
            return "\(base)/collections/\(id)/items?"
                + items.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        var links: [JSONValue] = [
            Self.link(pageURL(offset: q.offset), "self", MediaType.geojson, "This page"),
            Self.link("\(base)/collections/\(id)", "collection", MediaType.json, layer.title),
        ]
        if end < matchedCount { links.append(Self.link(pageURL(offset: end), "next", MediaType.geojson, "Next page")) }
        if start > 0 {
            links.append(
                Self.link(pageURL(offset: max(0, start - q.limit)), "prev", MediaType.geojson, "Previous page"))
        }

        var head =
            "{\"type\":\"FeatureCollection\",\"numberMatched\":\(matchedCount),\"numberReturned\":\(page.count),\"timeStamp\":"
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

    /// One feature; `params` (only `f`, and `target` and `as_of` for progress) choose the layer.
    func item(_ id: String, featureID: String, params: [(String, String)], base: String) throws -> Reply {
        let q = try itemsQuery(id, params: params)
        let layer = try layer(id, q)
        guard let f = layer.feature(featureID) else {
            throw APIError.notFound("no feature '\(APIError.echo(featureID))' in collection '\(id)'")
        }
        let links = JSONValue.array([
            Self.link(
                "\(base)/collections/\(id)/items/\(Self.encode(featureID))", "self", MediaType.geojson, "This feature"),
            Self.link("\(base)/collections/\(id)", "collection", MediaType.json, layer.title),
        ]).serialized()
        var buf = ByteBufferAllocator().buffer(capacity: f.bytes.count + links.utf8.count + 16)
        buf.writeBytes(f.bytes.dropLast())  // the closing brace
        buf.writeString(",\"links\":" + links + "}\n")
        return Reply(contentType: MediaType.geojson, body: buf)
    }

    static let unreserved: CharacterSet = {
        var s = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        s.insert(charactersIn: "-._~")
        return s
    }()

    static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }
}

extension JSONValue {
    func writeCompact(into out: inout String) { out += serialized() }
}
