/// The layers `geomonitor export geojson` writes, as RFC 7946 features.
public enum GeoJSONExport {
    /// A layer `geomonitor export geojson --layer` can write.
    public enum Layer: String, Sendable, CaseIterable {
        /// The locality boundaries (``GeoJSONExport/localities(_:simplifyMetres:)``).
        case localities
        /// The projects (``GeoJSONExport/projects(_:assignment:)``).
        case projects
        /// The localities with a target's progress (``ProgressOutput/localityFeatures(_:localities:)``).
        case progress
    }

    /// Locality features: code, name, type, parent, area.
    ///
    /// The id is the GSO code; `area_ha` is the geodesic area rounded to 0.01 ha. Declared
    /// `throws` so that simplification may report failures; today it never throws.
    /// - Parameters:
    ///   - d: the dataset whose localities to export.
    ///   - simplifyMetres: a tolerance in metres to simplify borders with (shared borders stay
    ///     shared, so neighbours still meet); nil or 0 keeps every vertex.
    public static func localities(_ d: Dataset, simplifyMetres: Double? = nil) throws -> [GeoJSONFeature] {
        let geoms = try simplified(d.localities.all.map(\.geometry), metres: simplifyMetres)
        return zip(d.localities.all, geoms).map { l, g in
            GeoJSONFeature(id: l.code, geometry: g, properties: [
                ("code", .string(l.code)), ("name", .string(l.name)), ("type", .str(l.type)), ("parent", .str(l.parent)),
                ("area_ha", .number((l.areaHa * 100).rounded() / 100)),
            ])
        }
    }

    /// Project features with their attributes, measures and locality shares.
    ///
    /// Properties: id, name, kind, status, date, `area_ha` (polygons) or `length_km` (lines) measured
    /// geodesically, the declared figures, budget, linked targets, `localities` (code, name, share
    /// 0–1) and source. `assignment` must be the dataset's (same project order). To write a large
    /// register to a file, ``writeProjects(_:assignment:writer:sequence:to:)`` does it without
    /// building every feature first.
    public static func projects(_ d: Dataset, assignment: SpatialAssignment) -> [GeoJSONFeature] {
        // Built in chunks on all cores: a register of 200,000 plots is 200,000 property lists.
        let n = d.projects.count, size = 4096
        var out = [GeoJSONFeature?](repeating: nil, count: n)
        out.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let o = buf
            DispatchQueue.concurrentPerform(iterations: (n + size - 1) / size) { c in
                for i in (c * size)..<min(n, (c + 1) * size) { o[i] = feature(d, assignment, i) }
            }
        }
        return out.compactMap { $0 }
    }

    /// Writes the project features (``projects(_:assignment:)``) to a file, or to standard output
    /// for `-`: a FeatureCollection named `projects`, or a GeoJSON Text Sequence when `sequence`.
    /// Features are made and written a chunk at a time on all cores, so a register of a million
    /// plots is never held as features.
    /// - Throws: ``GeoMonitorError`` of kind `.output` naming the path.
    public static func writeProjects(_ d: Dataset, assignment: SpatialAssignment, writer: GeoJSONWriter = GeoJSONWriter(),
                                     sequence: Bool = false, to path: String) throws {
        var box = BoundingBox.empty
        if !sequence { for p in d.projects { if let b = p.geometry.bounds { box.extend(b) } } }
        try writer.write(count: d.projects.count, bounds: sequence ? nil : box, name: "projects", sequence: sequence, to: path) {
            feature(d, assignment, $0)
        }
    }

    static func feature(_ d: Dataset, _ assignment: SpatialAssignment, _ i: Int) -> GeoJSONFeature {
        let p = d.projects[i]
        var props: [(String, JSONValue)] = [
            ("id", .string(p.id)), ("name", .string(p.name)), ("kind", .string(p.kind.rawValue)), ("status", .string(p.status.rawValue)),
            ("date", .str(p.date?.description)),
            ("area_ha", p.geometry.dimension == .area ? .number(r6(p.areaHa)) : .null),
            ("length_km", p.geometry.dimension == .line ? .number(r6(p.lengthKm)) : .null),
            ("trees", .num(p.trees)), ("declared_area_ha", .num(p.declaredAreaHa)), ("declared_length_km", .num(p.declaredLengthKm)),
            ("budget", .num(p.budget)), ("targets", .array(p.targets.map { .string($0) })),
        ]
        let shares = assignment.shares[i]
        props.append(("localities", .array(shares.map { s in
            .object([("code", .string(s.code)), ("name", .str(d.localities[code: s.code]?.name)), ("share", .number(r6(s.share)))])
        })))
        props.append(("source", .string(p.source)))
        return GeoJSONFeature(id: p.id, geometry: p.geometry, properties: props)
    }

    static func r6(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }

    /// Simplifies polygons that share borders so that they still share them: the rings are
    /// simplified in a local metric frame, each shared run once.
    static func simplified(_ geoms: [Geometry], metres: Double?) throws -> [Geometry] {
        guard let metres, metres > 0 else { return geoms }
        var box = BoundingBox.empty
        for g in geoms { if let b = g.bounds { box.extend(b) } }
        let c = box.center
        // Equirectangular metres around the centre: enough for a tolerance.
        let mPerDegY = 111_320.0, mPerDegX = 111_320.0 * cos(c.y * .pi / 180)
        var rings: [(owner: Int, ring: [Coordinate])] = []
        var shape: [[[Int]]] = []   // per geometry, per polygon, ring indices
        for (gi, g) in geoms.enumerated() {
            var polys: [[Int]] = []
            for p in g.polygons {
                var idx: [Int] = []
                for r in p.rings { idx.append(rings.count); rings.append((gi, r.map { Coordinate(($0.x - c.x) * mPerDegX, ($0.y - c.y) * mPerDegY) })) }
                polys.append(idx)
            }
            shape.append(polys)
        }
        let (out, _) = TopologySimplifier(tolerance: metres).simplify(rings)
        let back = out.map { $0.map { Coordinate($0.x / mPerDegX + c.x, $0.y / mPerDegY + c.y) } }
        return geoms.indices.map { gi in
            let polys = shape[gi].compactMap { idx -> Polygon? in
                let rs = idx.map { back[$0] }.filter { $0.count >= 4 }
                guard let ext = rs.first else { return nil }
                return Polygon(exterior: ext, holes: Array(rs.dropFirst()))
            }
            if geoms[gi].polygons.isEmpty { return geoms[gi] }
            return polys.count == 1 ? .polygon(polys[0]) : .multiPolygon(polys)
        }
    }
}

import Foundation
