import GeoMonitor

/// The OpenAPI 3.0 definition of exactly the routes the server answers, their parameters
/// written from the same ``ParameterRules`` table the server checks requests against.
enum OpenAPIDocument {
    /// Parameters of `/`: JSON or the web map.
    static let landingParameters = [ParameterRules.f(["json", "html"])]
    /// Parameters of the JSON-only documents (`/conformance`, `/api`, `/collections`, …).
    static let jsonParameters = [ParameterRules.f(["json"])]
    /// Parameters of `/map`.
    static let mapParameters = [ParameterRules.f(["html"])]

    static func ref(_ r: String) -> JSONValue { .object([("$ref", .string(r))]) }

    static func content(_ type: String, _ schema: JSONValue) -> JSONValue {
        .object([(type, .object([("schema", schema)]))])
    }

    static func get(
        _ id: String, _ summary: String, _ params: [JSONValue], ok: JSONValue, notFound: Bool = false,
        description: String? = nil
    ) -> JSONValue {
        var responses: [(String, JSONValue)] = [
            ("200", ok), ("304", ref("#/components/responses/NotModified")),
            ("400", ref("#/components/responses/InvalidParameter")),
        ]
        if notFound { responses.append(("404", ref("#/components/responses/NotFound"))) }
        responses.append(("503", ref("#/components/responses/Busy")))
        var op: [(String, JSONValue)] = [("operationId", .string(id)), ("summary", .string(summary))]
        if let description { op.append(("description", .string(description))) }
        op += [("parameters", .array(params)), ("responses", .object(responses))]
        return .object([("get", .object(op))])
    }

    static func paths(targets: [String]) -> JSONValue {
        func q(_ ps: [QueryParameter]) -> [JSONValue] { ps.map(\.openAPI) }
        func ok(_ what: String, _ type: String, _ schema: JSONValue) -> JSONValue {
            .object([("description", .string(what)), ("content", content(type, schema))])
        }
        let string = JSONValue.object([("type", .string("string"))])
        var p: [(String, JSONValue)] = [
            (
                "/",
                get(
                    "getLandingPage", "Landing page (JSON), or the web map for f=html or clients that prefer text/html",
                    q(landingParameters),
                    ok: .object([
                        ("description", .string("The landing page")),
                        (
                            "content",
                            .object([
                                (MediaType.json, .object([("schema", ref("#/components/schemas/landingPage"))])),
                                ("text/html", .object([("schema", string)])),
                            ])
                        ),
                    ]))
            ),
            (
                "/conformance",
                get(
                    "getConformance", "Conformance classes implemented", q(jsonParameters),
                    ok: ok("The conformance classes", MediaType.json, ref("#/components/schemas/confClasses")))
            ),
            (
                "/api",
                get(
                    "getAPI", "This API definition", q(jsonParameters),
                    ok: ok("The OpenAPI 3.0 document", MediaType.openapi, .object([("type", .string("object"))])))
            ),
            (
                "/targets",
                get(
                    "getTargets", "The target catalog (for the progress collection's target parameter)",
                    q(jsonParameters),
                    ok: ok("The targets", MediaType.json, .object([("type", .string("object"))])))
            ),
            (
                "/map",
                get(
                    "getMap", "The web map (Leaflet): the progress choropleth and the projects of the current view",
                    q(mapParameters),
                    ok: ok("The HTML page", "text/html", string))
            ),
            (
                "/collections",
                get(
                    "getCollections", "The feature collections", q(jsonParameters),
                    ok: ok("The collections", MediaType.json, ref("#/components/schemas/collections")))
            ),
        ]
        let featureID = JSONValue.object([
            ("name", .string("featureId")), ("in", .string("path")), ("required", .bool(true)), ("schema", string),
        ])
        for c in FeaturesAPI.collectionIDs {
            let name = c.prefix(1).uppercased() + c.dropFirst()
            p.append(
                (
                    "/collections/\(c)",
                    get(
                        "describe\(name)Collection", "The \(c) collection", q(jsonParameters),
                        ok: ok("The collection", MediaType.json, ref("#/components/schemas/collection")))
                ))
            p.append(
                (
                    "/collections/\(c)/items",
                    get(
                        "get\(name)Features", "Features of the \(c) collection, filtered and paged",
                        q(ParameterRules.items(c, targets: targets)),
                        ok: ok(
                            "A page of features", MediaType.geojson,
                            ref("#/components/schemas/featureCollectionGeoJSON")),
                        notFound: false,
                        description:
                            "Every parameter is checked by the same rules: unknown parameters, values with control characters or longer than their limit, and malformed values are answered 400."
                            + (c == "projects"
                                ? "" : " datetime is accepted and filters nothing here (the features have no date)."))
                ))
            p.append(
                (
                    "/collections/\(c)/items/{featureId}",
                    get(
                        "get\(name)Feature", "One feature of the \(c) collection",
                        [featureID] + q(ParameterRules.item(c, targets: targets)),
                        ok: ok("The feature", MediaType.geojson, ref("#/components/schemas/featureGeoJSON")),
                        notFound: true)
                ))
        }
        return .object(p)
    }

    static func json(server: String, title: String, targets: [String]) -> String {
        let info = JSONValue.object([
            ("title", .string(title)), ("version", .string("1.0.0")),
            (
                "description",
                .string(
                    "OGC API - Features - Part 1: Core (GeoJSON) over geomonitor's localities, projects and target progress."
                )
            ),
            ("license", .object([("name", .string("see the project"))])),
        ])
        return """
            {
              "openapi": "3.0.3",
              "info": \(info.serialized()),
              "servers": [{"url": \(JSONValue.string(server).serialized())}],
              "paths": \(paths(targets: targets).serialized()),
              "components": {
                "responses": {
                  "NotModified": {"description": "The ETag given in If-None-Match still matches"},
                  "InvalidParameter": {"description": "A query parameter is unknown or has an invalid value", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}},
                  "NotFound": {"description": "No such collection or feature", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}},
                  "Busy": {"description": "Too many expensive requests queued; retry after the Retry-After seconds", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}}
                },
                "schemas": {
                  "exception": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "description": {"type": "string"}}},
                  "link": {"type": "object", "required": ["href"], "properties": {
                    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}},
                  "landingPage": {"type": "object", "required": ["links"], "properties": {
                    "title": {"type": "string"}, "description": {"type": "string"},
                    "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}}}},
                  "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {
                    "conformsTo": {"type": "array", "items": {"type": "string"}}}},
                  "collection": {"type": "object", "required": ["id", "links"], "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
                    "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    "extent": {"type": "object"}, "itemType": {"type": "string"},
                    "crs": {"type": "array", "items": {"type": "string"}}}},
                  "collections": {"type": "object", "required": ["links", "collections"], "properties": {
                    "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    "collections": {"type": "array", "items": {"$ref": "#/components/schemas/collection"}}}},
                  "featureGeoJSON": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {"type": "object", "nullable": true},
                    "properties": {"type": "object", "nullable": true},
                    "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                    "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}}}},
                  "featureCollectionGeoJSON": {"type": "object", "required": ["type", "features"], "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {"type": "array", "items": {"$ref": "#/components/schemas/featureGeoJSON"}},
                    "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    "timeStamp": {"type": "string", "format": "date-time"},
                    "numberMatched": {"type": "integer", "minimum": 0},
                    "numberReturned": {"type": "integer", "minimum": 0}}}
                }
              }
            }

            """
    }
}
