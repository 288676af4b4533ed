/// A feature to write as GeoJSON: an id, a geometry in WGS 84 and ordered properties.
public struct GeoJSONFeature: Sendable {
    /// The feature's `id` member (a project id, a locality code).
    public var id: String
    /// The geometry in WGS 84 longitude/latitude; nil writes `"geometry": null`.
    public var geometry: Geometry?
    /// The `properties` member, written in this order.
    public var properties: [(String, JSONValue)]
    /// A feature from its parts.
    public init(id: String, geometry: Geometry?, properties: [(String, JSONValue)]) {
        self.id = id; self.geometry = geometry; self.properties = properties
    }
}

/// RFC 7946 GeoJSON: WGS 84 longitude, latitude; exterior rings counter-clockwise and holes
/// clockwise; no `crs` member; coordinates rounded; a `bbox` on the collection and each feature;
/// an `id` on every feature. Also GeoJSON Text Sequences (RFC 8142) for large layers.
public struct GeoJSONWriter: Sendable {
    /// Decimal places kept in coordinates (7 ≈ 1 cm).
    public var decimals: Int
    /// A writer keeping `decimals` places (clamped to 0–15).
    public init(decimals: Int = 7) { self.decimals = min(max(decimals, 0), 15) }

    /// A FeatureCollection document.
    public func collection(_ features: [GeoJSONFeature], name: String? = nil) -> String {
        var box = BoundingBox.empty
        for f in features { if let b = f.geometry?.bounds { box.extend(b) } }
        var out = "{\"type\":\"FeatureCollection\""
        if let name { out += ",\"name\":"; JSONValue.escape(name, into: &out) }
        if !box.isEmpty { out += ",\"bbox\":" + bboxText(box) }
        out += ",\"features\":["
        for (i, f) in features.enumerated() {
            if i > 0 { out += ",\n" } else { out += "\n" }
            write(f, into: &out)
        }
        out += "\n]}\n"
        return out
    }

    /// One feature per line, each prefixed by the RS character (RFC 8142, `application/geo+json-seq`).
    public func textSequence(_ features: [GeoJSONFeature]) -> String {
        var out = ""
        for f in features {
            out += "\u{1E}"
            write(f, into: &out)
            out += "\n"
        }
        return out
    }

    /// A single Feature document.
    public func feature(_ f: GeoJSONFeature) -> String {
        var out = ""
        write(f, into: &out)
        return out
    }

    func write(_ f: GeoJSONFeature, into out: inout String) {
        out += "{\"type\":\"Feature\",\"id\":"
        JSONValue.escape(f.id, into: &out)
        if let g = f.geometry, let b = g.bounds {
            out += ",\"bbox\":" + bboxText(b)
            out += ",\"geometry\":"
            writeGeometry(g, into: &out)
        } else {
            out += ",\"geometry\":null"
        }
        out += ",\"properties\":"
        JSONValue.object(f.properties).write(into: &out, pretty: false, indent: 0)
        out += "}"
    }

    func bboxText(_ b: BoundingBox) -> String {
        "[\(n(b.minX)),\(n(b.minY)),\(n(b.maxX)),\(n(b.maxY))]"
    }

    @inline(__always) func n(_ v: Double) -> String { JSONValue.format(v, decimals: decimals) }

    /// Geometry member text for a WGS 84 geometry.
    func geometryText(_ g: Geometry) -> String {
        var out = ""
        writeGeometry(g, into: &out)
        return out
    }

    func writeGeometry(_ g: Geometry, into out: inout String) {
        func pos(_ c: Coordinate) { out += "["; out += n(c.x); out += ","; out += n(c.y); out += "]" }
        func list(_ cs: [Coordinate]) { out += "["; for (i, c) in cs.enumerated() { if i > 0 { out += "," }; pos(c) }; out += "]" }
        func ring(_ r: [Coordinate], ccw: Bool) {
            var r = r
            if let f = r.first, f != r.last { r.append(f) }
            if (Planar.signedArea(r) > 0) != ccw { r.reverse() }
            list(r)
        }
        func polygon(_ p: Polygon) {
            out += "["
            ring(p.exterior, ccw: true)
            for h in p.holes { out += ","; ring(h, ccw: false) }
            out += "]"
        }
        out += "{\"type\":\"\(g.typeName)\","
        switch g {
        case .point(let c): out += "\"coordinates\":"; pos(c)
        case .multiPoint(let cs), .lineString(let cs): out += "\"coordinates\":"; list(cs)
        case .multiLineString(let ls):
            out += "\"coordinates\":["
            for (i, l) in ls.enumerated() { if i > 0 { out += "," }; list(l) }
            out += "]"
        case .polygon(let p): out += "\"coordinates\":"; polygon(p)
        case .multiPolygon(let ps):
            out += "\"coordinates\":["
            for (i, p) in ps.enumerated() { if i > 0 { out += "," }; polygon(p) }
            out += "]"
        case .collection(let gs):
            out += "\"geometries\":["
            for (i, sub) in gs.enumerated() { if i > 0 { out += "," }; writeGeometry(sub, into: &out) }
            out += "]"
        }
        out += "}"
    }
}
