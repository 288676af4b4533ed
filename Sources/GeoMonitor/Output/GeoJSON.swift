import Foundation

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
        String(decoding: collectionData(features, name: name), as: UTF8.self)
    }

    /// A FeatureCollection document as UTF-8 bytes, written on all cores for large layers.
    public func collectionData(_ features: [GeoJSONFeature], name: String? = nil) -> Data {
        var box = BoundingBox.empty
        for f in features { if let b = f.geometry?.bounds { box.extend(b) } }
        var head = JSONBytes()
        head.append("{\"type\":\"FeatureCollection\"")
        if let name { head.append(",\"name\":"); head.append(string: name) }
        if !box.isEmpty { head.append(",\"bbox\":"); bbox(box, into: &head) }
        head.append(",\"features\":[")
        var data = head.data
        for part in chunks(features, separator: ",\n", first: "\n") { data.append(part) }
        data.append(contentsOf: Array("\n]}\n".utf8))
        return data
    }

    /// One feature per line, each prefixed by the RS character (RFC 8142, `application/geo+json-seq`).
    public func textSequence(_ features: [GeoJSONFeature]) -> String {
        String(decoding: textSequenceData(features), as: UTF8.self)
    }

    /// A GeoJSON Text Sequence as UTF-8 bytes, written on all cores for large layers.
    public func textSequenceData(_ features: [GeoJSONFeature]) -> Data {
        var data = Data()
        for part in chunks(features, separator: "\n\u{1E}", first: "\u{1E}") { data.append(part) }
        if !features.isEmpty { data.append(0x0A) }
        return data
    }

    /// Features written in chunks on all cores, `first` before the first, `separator` between.
    private func chunks(_ features: [GeoJSONFeature], separator: StaticString, first: StaticString) -> [Data] {
        let size = 4096
        let n = (features.count + size - 1) / size
        var parts = [Data](repeating: Data(), count: n)
        parts.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let out = buf
            DispatchQueue.concurrentPerform(iterations: n) { c in
                var b = JSONBytes(capacity: size * 512)
                for i in (c * size)..<min(features.count, (c + 1) * size) {
                    if i > 0 { b.append(separator) } else { b.append(first) }
                    write(features[i], into: &b)
                }
                out[c] = b.data
            }
        }
        return parts
    }

    /// A single Feature document.
    public func feature(_ f: GeoJSONFeature) -> String {
        var out = JSONBytes()
        write(f, into: &out)
        return out.string
    }

    /// A single Feature document as UTF-8 bytes.
    public func featureBytes(_ f: GeoJSONFeature) -> [UInt8] {
        var out = JSONBytes()
        write(f, into: &out)
        return out.bytes
    }

    func write(_ f: GeoJSONFeature, into out: inout JSONBytes) {
        out.append("{\"type\":\"Feature\",\"id\":")
        out.append(string: f.id)
        if let g = f.geometry, let b = g.bounds {
            out.append(",\"bbox\":")
            bbox(b, into: &out)
            out.append(",\"geometry\":")
            writeGeometry(g, into: &out)
        } else {
            out.append(",\"geometry\":null")
        }
        out.append(",\"properties\":")
        JSONValue.object(f.properties).write(into: &out)
        out.append(byte: 0x7D)
    }

    func bbox(_ b: BoundingBox, into out: inout JSONBytes) {
        out.append(byte: 0x5B)
        out.append(number: b.minX, decimals: decimals); out.append(byte: 0x2C)
        out.append(number: b.minY, decimals: decimals); out.append(byte: 0x2C)
        out.append(number: b.maxX, decimals: decimals); out.append(byte: 0x2C)
        out.append(number: b.maxY, decimals: decimals)
        out.append(byte: 0x5D)
    }

    /// Geometry member text for a WGS 84 geometry.
    func geometryText(_ g: Geometry) -> String {
        var out = JSONBytes()
        writeGeometry(g, into: &out)
        return out.string
    }

    func writeGeometry(_ g: Geometry, into out: inout JSONBytes) {
        out.append("{\"type\":")
        out.append(string: g.typeName)
        out.append(byte: 0x2C)
        switch g {
        case .point(let c): out.append("\"coordinates\":"); position(c, &out)
        case .multiPoint(let cs), .lineString(let cs): out.append("\"coordinates\":"); list(cs, &out)
        case .multiLineString(let ls):
            out.append("\"coordinates\":[")
            for (i, l) in ls.enumerated() { if i > 0 { out.append(byte: 0x2C) }; list(l, &out) }
            out.append(byte: 0x5D)
        case .polygon(let p): out.append("\"coordinates\":"); polygon(p, &out)
        case .multiPolygon(let ps):
            out.append("\"coordinates\":[")
            for (i, p) in ps.enumerated() { if i > 0 { out.append(byte: 0x2C) }; polygon(p, &out) }
            out.append(byte: 0x5D)
        case .collection(let gs):
            out.append("\"geometries\":[")
            for (i, sub) in gs.enumerated() { if i > 0 { out.append(byte: 0x2C) }; writeGeometry(sub, into: &out) }
            out.append(byte: 0x5D)
        }
        out.append(byte: 0x7D)
    }

    @inline(__always) private func position(_ c: Coordinate, _ out: inout JSONBytes) {
        out.append(byte: 0x5B); out.append(number: c.x, decimals: decimals); out.append(byte: 0x2C)
        out.append(number: c.y, decimals: decimals); out.append(byte: 0x5D)
    }

    private func list(_ cs: [Coordinate], _ out: inout JSONBytes) {
        out.append(byte: 0x5B)
        for (i, c) in cs.enumerated() { if i > 0 { out.append(byte: 0x2C) }; position(c, &out) }
        out.append(byte: 0x5D)
    }

    /// A ring closed and wound as RFC 7946 asks (exterior counter-clockwise), written in place.
    private func ring(_ r: [Coordinate], ccw: Bool, _ out: inout JSONBytes) {
        let closed = r.first == r.last
        let reversed = (Planar.signedArea(r) > 0) != ccw
        out.append(byte: 0x5B)
        let n = r.count
        for k in 0..<n {
            if k > 0 { out.append(byte: 0x2C) }
            position(r[reversed ? n - 1 - k : k], &out)
        }
        if !closed, let f = reversed ? r.last : r.first { out.append(byte: 0x2C); position(f, &out) }
        out.append(byte: 0x5D)
    }

    private func polygon(_ p: Polygon, _ out: inout JSONBytes) {
        out.append(byte: 0x5B)
        ring(p.exterior, ccw: true, &out)
        for h in p.holes { out.append(byte: 0x2C); ring(h, ccw: false, &out) }
        out.append(byte: 0x5D)
    }
}
