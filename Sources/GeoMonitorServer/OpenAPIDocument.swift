import Foundation
import GeoMonitor

/// The OpenAPI 3.0 definition of exactly the routes the server answers.
enum OpenAPIDocument {
    static func json(base: String, title: String, collections: [String], targets: [String], maxLimit: Int, defaultLimit: Int) -> String {
        func list(_ a: [String]) -> String { "[" + a.map { JSONValue.string($0).serialized() }.joined(separator: ",") + "]" }
        let kinds = list(ProjectKind.allCases.map(\.rawValue))
        let statuses = list(ProjectStatus.allCases.map(\.rawValue))
        return """
        {
          "openapi": "3.0.3",
          "info": {
            "title": \(JSONValue.string(title).serialized()),
            "version": "1.0.0",
            "description": "OGC API - Features - Part 1: Core (GeoJSON) over geomonitor's localities, projects and target progress.",
            "license": {"name": "see the project"}
          },
          "servers": [{"url": \(JSONValue.string(base).serialized())}],
          "paths": {
            "/": {
              "get": {
                "operationId": "getLandingPage",
                "summary": "Landing page (JSON), or the web map for clients that accept text/html",
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": {
                  "200": {"description": "The landing page", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/landingPage"}},
                    "text/html": {"schema": {"type": "string"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"}
                }
              }
            },
            "/conformance": {
              "get": {
                "operationId": "getConformance",
                "summary": "Conformance classes implemented",
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": {
                  "200": {"description": "The conformance classes", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/confClasses"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"}
                }
              }
            },
            "/api": {
              "get": {
                "operationId": "getAPI",
                "summary": "This API definition",
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": {
                  "200": {"description": "The OpenAPI 3.0 document", "content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"}
                }
              }
            },
            "/collections": {
              "get": {
                "operationId": "getCollections",
                "summary": "The feature collections",
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": {
                  "200": {"description": "The collections", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/collections"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"}
                }
              }
            },
            "/collections/{collectionId}": {
              "get": {
                "operationId": "describeCollection",
                "summary": "One feature collection",
                "parameters": [{"$ref": "#/components/parameters/collectionId"}, {"$ref": "#/components/parameters/f"}],
                "responses": {
                  "200": {"description": "The collection", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/collection"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/collections/{collectionId}/items": {
              "get": {
                "operationId": "getFeatures",
                "summary": "Features of a collection, filtered and paged",
                "description": "Unknown query parameters are rejected with 400. `kind` and `status` apply to `projects` only; `target` and `as_of` to `progress` only; `datetime` filters the projects' date and is ignored by the other collections.",
                "parameters": [
                  {"$ref": "#/components/parameters/collectionId"},
                  {"$ref": "#/components/parameters/f"},
                  {"$ref": "#/components/parameters/limit"},
                  {"$ref": "#/components/parameters/offset"},
                  {"$ref": "#/components/parameters/bbox"},
                  {"$ref": "#/components/parameters/bbox-crs"},
                  {"$ref": "#/components/parameters/datetime"},
                  {"name": "kind", "in": "query", "required": false, "style": "form", "explode": false, "description": "projects: kinds, comma-separated",
                   "schema": {"type": "array", "items": {"type": "string", "enum": \(kinds)}}},
                  {"name": "status", "in": "query", "required": false, "style": "form", "explode": false, "description": "projects: statuses, comma-separated",
                   "schema": {"type": "array", "items": {"type": "string", "enum": \(statuses)}}},
                  {"name": "district", "in": "query", "required": false, "description": "A locality as users type it: a GSO code or a name, with or without diacritics or type word",
                   "schema": {"type": "string"}},
                  {"name": "target", "in": "query", "required": false, "description": "progress: the target id", "schema": {"type": "string", "enum": \(list(targets))}},
                  {"name": "as_of", "in": "query", "required": false, "description": "progress: the day of the assessment (default today)", "schema": {"type": "string", "format": "date"}}
                ],
                "responses": {
                  "200": {"description": "A page of features", "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/featureCollectionGeoJSON"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"},
                  "400": {"$ref": "#/components/responses/InvalidParameter"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/collections/{collectionId}/items/{featureId}": {
              "get": {
                "operationId": "getFeature",
                "summary": "One feature",
                "parameters": [
                  {"$ref": "#/components/parameters/collectionId"},
                  {"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"$ref": "#/components/parameters/f"},
                  {"name": "target", "in": "query", "required": false, "description": "progress: the target id", "schema": {"type": "string", "enum": \(list(targets))}},
                  {"name": "as_of", "in": "query", "required": false, "description": "progress: the day of the assessment (default today)", "schema": {"type": "string", "format": "date"}}
                ],
                "responses": {
                  "200": {"description": "The feature", "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/featureGeoJSON"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"},
                  "400": {"$ref": "#/components/responses/InvalidParameter"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/targets": {
              "get": {
                "operationId": "getTargets",
                "summary": "The target catalog (for the progress collection's target parameter)",
                "responses": {
                  "200": {"description": "The targets", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"}
                }
              }
            },
            "/map": {
              "get": {
                "operationId": "getMap",
                "summary": "A self-contained web map of the progress choropleth and the projects",
                "responses": {
                  "200": {"description": "The HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
                  "304": {"$ref": "#/components/responses/NotModified"}
                }
              }
            }
          },
          "components": {
            "parameters": {
              "f": {"name": "f", "in": "query", "required": false, "description": "The format of the answer", "schema": {"type": "string", "enum": ["json", "geojson", "html"]}},
              "collectionId": {"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string", "enum": \(list(collections))}},
              "limit": {"name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
                        "schema": {"type": "integer", "minimum": 1, "maximum": \(maxLimit), "default": \(defaultLimit)}},
              "offset": {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "default": 0}},
              "bbox": {"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                       "description": "minLon,minLat,maxLon,maxLat (CRS84)",
                       "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}},
              "bbox-crs": {"name": "bbox-crs", "in": "query", "required": false, "schema": {"type": "string", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]}},
              "datetime": {"name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
                           "description": "A day (YYYY-MM-DD or RFC 3339) or an interval a/b; '..' or an empty string is an open end",
                           "schema": {"type": "string"}}
            },
            "responses": {
              "NotModified": {"description": "The ETag given in If-None-Match still matches"},
              "InvalidParameter": {"description": "A query parameter is unknown or has an invalid value", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}},
              "NotFound": {"description": "No such collection or feature", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}}
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
