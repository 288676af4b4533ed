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
        self.id = id
        self.geometry = geometry
        self.properties = properties
    }
}

/// RFC 7946 GeoJSON: WGS 84 longitude, latitude; exterior rings counter-clockwise and holes
/// clockwise; no `crs` member; coordinates rounded; a `bbox` on the collection and each feature;
/// an `id` on every feature. Also GeoJSON Text Sequences (RFC 8142) for large layers.
public struct GeoJSONWriter: Sendable {
    /// Decimal places kept in coordinates (7 ≈ 1 cm).
    public var decimals: Int
    /// Decimals for particular features (by id) that need more than `decimals` to keep their
    /// shape (see ``keepingShapes(count:layer:_:)``).
    package var overrides: [String: Int] = [:]
    /// A writer keeping `decimals` places (clamped to 0–15).
    public init(decimals: Int = 7) { self.decimals = min(max(decimals, 0), 15) }

    /// A FeatureCollection document.
    public func collection(_ features: [GeoJSONFeature], name: String? = nil) -> String {
        String(decoding: collectionData(features, name: name), as: UTF8.self)
    }

    /// A FeatureCollection document as UTF-8 bytes, written on all cores for large layers.
    public func collectionData(_ features: [GeoJSONFeature], name: String? = nil) -> Data {
        var data = Data()
        // A memory sink cannot fail.
        try? emit(
            count: features.count, bounds: Self.bounds(features), name: name, sequence: false,
            into: { data.append(contentsOf: $0) }
        ) { i, out in write(features[i], into: &out) }
        return data
    }

    /// One feature per line, each prefixed by the RS character (RFC 8142, `application/geo+json-seq`).
    public func textSequence(_ features: [GeoJSONFeature]) -> String {
        String(decoding: textSequenceData(features), as: UTF8.self)
    }

    /// A GeoJSON Text Sequence as UTF-8 bytes, written on all cores for large layers.
    public func textSequenceData(_ features: [GeoJSONFeature]) -> Data {
        var data = Data()
        try? emit(
            count: features.count, bounds: nil, name: nil, sequence: true,
            into: { data.append(contentsOf: $0) }
        ) { i, out in write(features[i], into: &out) }
        return data
    }

    /// Writes features to a file, or to standard output for `-`, as a FeatureCollection (with
    /// `name` and a `bbox`) or, when `sequence`, a GeoJSON Text Sequence. The file appears only
    /// once complete (``OutputFile``).
    /// - Throws: ``GeoMonitorError`` of kind `.output` naming the path.
    public func write(_ features: [GeoJSONFeature], name: String? = nil, sequence: Bool = false, to path: String) throws
    {
        try write(
            count: features.count, bounds: sequence ? nil : Self.bounds(features), name: name, sequence: sequence,
            to: path
        ) { features[$0] }
    }

    /// Writes `count` features made by `feature` (called once per index, on all cores, chunk by
    /// chunk) to a file or standard output, as ``write(_:name:sequence:to:)`` does, holding only a
    /// few thousand features at a time: a layer of a million plots is never built in memory.
    /// - Parameters:
    ///   - count: how many features there are.
    ///   - bounds: the collection's `bbox` (the union of the features' boxes); nil writes none.
    ///   - name: the collection's `name` member; nil writes none.
    ///   - sequence: write a GeoJSON Text Sequence instead of a FeatureCollection.
    ///   - path: the file to write, or `-` for standard output.
    ///   - feature: the feature at an index, `0..<count`; called from several threads at once.
    /// - Throws: ``GeoMonitorError`` of kind `.output` naming the path.
    public func write(
        count: Int, bounds: BoundingBox?, name: String? = nil, sequence: Bool = false, to path: String,
        feature: @Sendable (Int) -> GeoJSONFeature
    ) throws {
        try write(count: count, bounds: bounds, name: name, sequence: sequence, to: path) { i, out in
            write(feature(i), into: &out)
        }
    }

    /// As ``write(count:bounds:name:sequence:to:feature:)``, with each feature written straight
    /// into the output by `feature` (no ``GeoJSONFeature`` in between).
    func write(
        count: Int, bounds: BoundingBox?, name: String?, sequence: Bool, to path: String,
        feature: @Sendable (Int, inout JSONBytes) -> Void
    ) throws {
        try OutputFile.write(to: path) { sink in
            try emit(
                count: count, bounds: bounds, name: name, sequence: sequence, into: { try sink.write($0) },
                feature: feature)
        }
    }

    /// The union of the features' boxes.
    static func bounds(_ features: [GeoJSONFeature]) -> BoundingBox {
        var box = BoundingBox.empty
        for f in features { if let b = f.geometry?.bounds { box.extend(b) } }
        return box
    }

    /// The document, handed to `sink` in order, a chunk of features at a time. The features of
    /// a round of chunks (one per worker) are made and written on all cores, then passed on in
    /// order.
    private func emit(
        count: Int, bounds: BoundingBox?, name: String?, sequence: Bool,
        into sink: (UnsafeRawBufferPointer) throws -> Void, feature: @Sendable (Int, inout JSONBytes) -> Void
    ) throws {
        var edge = JSONBytes()
        if !sequence {
            edge.append("{\"type\":\"FeatureCollection\"")
            if let name {
                edge.append(",\"name\":")
                edge.append(string: name)
            }
            if let bounds, !bounds.isEmpty {
                edge.append(",\"bbox\":")
                bbox(bounds, into: &edge)
            }
            edge.append(",\"features\":[")
            try edge.withBytes(sink)
        }
        let size = 2048
        // A round has one chunk per worker, so each worker fills one buffer per round; the
        // buffers are reused from round to round.
        let workers = Parallel.defaultWorkers
        let round = workers * size
        let buffers = (0..<min(workers, (count + size - 1) / size)).map { _ in ChunkBuffer() }
        var first = 0
        while first < count {
            let start = first
            let chunks = Parallel.chunks(count: min(round, count - start), chunk: size, state: { buffers[$0] }) {
                buffer, range in
                buffer.bytes.removeAll()
                for i in (start + range.lowerBound)..<(start + range.upperBound) {
                    if sequence {
                        buffer.bytes.append(i > 0 ? "\n\u{1E}" : "\u{1E}")
                    } else {
                        buffer.bytes.append(i > 0 ? ",\n" : "\n")
                    }
                    feature(i, &buffer.bytes)
                }
                return buffer
            }
            for c in chunks { try c.bytes.withBytes(sink) }
            first += round
        }
        edge.removeAll()
        if sequence { if count > 0 { edge.append(byte: 0x0A) } } else { edge.append("\n]}\n") }
        try edge.withBytes(sink)
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
        write(id: f.id, geometry: f.geometry, into: &out) { JSONValue.object(f.properties).write(into: &$0) }
    }

    /// A Feature: id, bbox and geometry, then the `properties` object `properties` writes.
    func write(id: String, geometry: Geometry?, into out: inout JSONBytes, properties: (inout JSONBytes) -> Void) {
        if !overrides.isEmpty, let k = overrides[id], k != decimals {
            var w = GeoJSONWriter(decimals: k)
            w.overrides = [:]
            w.write(id: id, geometry: geometry, into: &out, properties: properties)
            return
        }
        out.append("{\"type\":\"Feature\",\"id\":")
        out.append(string: id)
        if let g = geometry, let b = g.bounds {
            out.append(",\"bbox\":")
            bbox(b, into: &out)
            out.append(",\"geometry\":")
            writeGeometry(g, into: &out)
        } else {
            out.append(",\"geometry\":null")
        }
        out.append(",\"properties\":")
        properties(&out)
        out.append(byte: 0x7D)
    }

    func bbox(_ b: BoundingBox, into out: inout JSONBytes) {
        out.append(byte: 0x5B)
        out.append(number: b.minX, decimals: decimals)
        out.append(byte: 0x2C)
        out.append(number: b.minY, decimals: decimals)
        out.append(byte: 0x2C)
        out.append(number: b.maxX, decimals: decimals)
        out.append(byte: 0x2C)
        out.append(number: b.maxY, decimals: decimals)
        out.append(byte: 0x5D)
    }

    func writeGeometry(_ g: Geometry, into out: inout JSONBytes) {
        out.append("{\"type\":")
        out.append(string: g.typeName)
        out.append(byte: 0x2C)
        switch g {
        case .point(let c):
            out.append("\"coordinates\":")
            position(c, &out)
        case .multiPoint(let cs), .lineString(let cs):
            out.append("\"coordinates\":")
            list(cs, &out)
        case .multiLineString(let ls):
            out.append("\"coordinates\":[")
            for (i, l) in ls.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                list(l, &out)
            }
            out.append(byte: 0x5D)
        case .polygon(let p):
            out.append("\"coordinates\":")
            polygon(p, &out)
        case .multiPolygon(let ps):
            out.append("\"coordinates\":[")
            for (i, p) in ps.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                polygon(p, &out)
            }
            out.append(byte: 0x5D)
        case .collection(let gs):
            out.append("\"geometries\":[")
            for (i, sub) in gs.enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                writeGeometry(sub, into: &out)
            }
            out.append(byte: 0x5D)
        }
        out.append(byte: 0x7D)
    }

    @inline(__always) private func position(_ c: Coordinate, _ out: inout JSONBytes) {
        out.append(byte: 0x5B)
        out.append(number: c.x, decimals: decimals)
        out.append(byte: 0x2C)
        out.append(number: c.y, decimals: decimals)
        out.append(byte: 0x5D)
    }

    private func list(_ cs: [Coordinate], _ out: inout JSONBytes) {
        out.append(byte: 0x5B)
        for (i, c) in cs.enumerated() {
            if i > 0 { out.append(byte: 0x2C) }
            position(c, &out)
        }
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
        if !closed, let f = reversed ? r.last : r.first {
            out.append(byte: 0x2C)
            position(f, &out)
        }
        out.append(byte: 0x5D)
    }

    private func polygon(_ p: Polygon, _ out: inout JSONBytes) {
        out.append(byte: 0x5B)
        ring(p.exterior, ccw: true, &out)
        for h in p.holes {
            out.append(byte: 0x2C)
            ring(h, ccw: false, &out)
        }
        out.append(byte: 0x5D)
    }
}

/// A reusable byte buffer for one worker's chunk of features (a class: `JSONBytes` cannot be
/// copied into an array).
private final class ChunkBuffer: @unchecked Sendable {
    var bytes = JSONBytes(capacity: 1 << 20)
}
