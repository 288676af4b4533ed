import Foundation
internal import GDALKit

/// The layers `geomonitor export geojson` writes, as RFC 7946 features.
public enum GeoJSONExport {
    /// A layer `geomonitor export geojson --layer` can write.
    public enum Layer: String, Sendable, CaseIterable {
        /// The locality boundaries (``GeoJSONExport/localities(_:simplifyMetres:warnings:)``).
        case localities
        /// The projects (``GeoJSONExport/projects(_:assignment:)``).
        case projects
        /// The localities with a target's progress (``ProgressOutput/localityFeatures(_:localities:)``).
        case progress
    }

    /// Locality features with every vertex: code, name, type, parent, area (see
    /// ``localities(_:simplifyMetres:warnings:)``). Declared `throws` for the callers of its
    /// earlier, simplifying form; it never throws.
    public static func localities(_ d: Dataset) throws -> [GeoJSONFeature] {
        var none: [Warning] = []
        return try localities(d, simplifyMetres: nil, warnings: &none)
    }

    /// Locality features: code, name, type, parent, area.
    ///
    /// The id is the GSO code; `area_ha` is the geodesic area rounded to 0.01 ha.
    /// - Parameters:
    ///   - d: the dataset whose localities to export.
    ///   - simplifyMetres: a tolerance in metres to simplify borders with (shared borders stay
    ///     shared, so neighbours still meet); nil or 0 keeps every vertex.
    ///   - warnings: receives a `simplify-repaired` warning naming the localities whose simplified
    ///     boundary self-intersected and was repaired (GEOS MakeValid).
    /// - Throws: ``GeoMonitorError`` of kind `.geometry` when GEOS cannot repair a simplified boundary.
    public static func localities(_ d: Dataset, simplifyMetres: Double? = nil, warnings: inout [Warning]) throws
        -> [GeoJSONFeature]
    {
        var geoms = try simplified(d.localities.all.map(\.geometry), metres: simplifyMetres)
        if let m = simplifyMetres, m > 0 {
            var repaired: [String] = []
            for i in geoms.indices where PolygonScreen.needsValidation(geoms[i]) {
                let l = d.localities.all[i]
                do {
                    let o = try OGRGeometry(geoms[i])
                    guard !o.isValid else { continue }
                    let polys = try o.makeValid().value().polygons
                    geoms[i] = polys.count == 1 ? .polygon(polys[0]) : .multiPolygon(polys)
                    repaired.append("\(l.code) \(l.name)")
                } catch let e as GDALError {
                    throw GeoMonitorError(
                        .geometry, file: d.manifest.localities.source, key: "--simplify",
                        "locality \(l.code) (\(l.name)): its simplified boundary self-intersects and GEOS cannot repair it (\(e.message)); use a smaller tolerance"
                    )
                }
            }
            if !repaired.isEmpty {
                warnings.append(
                    Warning(
                        code: "simplify-repaired",
                        "localities: simplified at \(NumberText.fixed(m, 0)) m, the boundaries of \(repaired.count) locality(ies) self-intersected and were repaired with GEOS MakeValid: \(repaired.joined(separator: ", "))"
                    ))
            }
        }
        return zip(d.localities.all, geoms).map { l, g in
            var props: [(String, JSONValue)] = [
                ("code", .string(l.code)), ("name", .string(l.name)), ("type", .str(l.type)),
                ("parent", .str(l.parent)),
                ("area_ha", .number((l.areaHa * 100).rounded() / 100)),
            ]
            // A gazetteer replaced the file's name and code: both stay in the export.
            if let s = l.sourceName { props.append(("source_name", .string(s))) }
            if l.sourceName != nil { props.append(("source_code", .str(l.sourceCode))) }
            return GeoJSONFeature(id: l.code, geometry: g, properties: props)
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
        Parallel.map(count: d.projects.count, chunk: 4096) { i in feature(d, assignment, i) }
    }

    /// Writes the project features (``projects(_:assignment:)``) to a file, or to standard output
    /// for `-`: a FeatureCollection named `projects`, or a GeoJSON Text Sequence when `sequence`.
    /// Features are written straight from the projects a chunk at a time on all cores, so a
    /// register of a million plots is never held as features.
    /// - Throws: ``GeoMonitorError`` of kind `.output` naming the path.
    public static func writeProjects(
        _ d: Dataset, assignment: SpatialAssignment, writer: GeoJSONWriter = GeoJSONWriter(),
        sequence: Bool = false, to path: String
    ) throws {
        try writer.write(
            count: d.projects.count, bounds: sequence ? nil : bounds(of: d.projects), name: "projects",
            sequence: sequence, to: path
        ) { i, out in
            writeProject(d, assignment, i, writer, into: &out)
        }
    }

    /// One project's Feature document as UTF-8 bytes (as ``writeProjects(_:assignment:writer:sequence:to:)`` writes it).
    package static func projectFeatureBytes(
        _ d: Dataset, assignment: SpatialAssignment, index i: Int, writer: GeoJSONWriter
    ) -> [UInt8] {
        var out = JSONBytes(capacity: 1024)
        writeProject(d, assignment, i, writer, into: &out)
        return out.bytes
    }

    static func feature(_ d: Dataset, _ assignment: SpatialAssignment, _ i: Int) -> GeoJSONFeature {
        var props: [(String, JSONValue)] = []
        props.reserveCapacity(14)
        projectProperties(d, assignment, i) { props.append(($0.description, $1)) }
        return GeoJSONFeature(id: d.projects[i].id, geometry: d.projects[i].geometry, properties: props)
    }

    /// Project `i` as a Feature, written straight into `out`: the same text ``feature(_:_:_:)``
    /// gives through ``GeoJSONWriter``, without building its property list.
    static func writeProject(
        _ d: Dataset, _ assignment: SpatialAssignment, _ i: Int, _ writer: GeoJSONWriter, into out: inout JSONBytes
    ) {
        writer.write(id: d.projects[i].id, geometry: d.projects[i].geometry, into: &out) { out in
            out.append(byte: 0x7B)
            var first = true
            projectProperties(d, assignment, i) { key, value in
                if first { first = false } else { out.append(byte: 0x2C) }
                // Keys are plain ASCII names: quoted, never escaped.
                out.append(byte: 0x22)
                out.append(key)
                out.append("\":")
                value.write(into: &out)
            }
            out.append(byte: 0x7D)
        }
    }

    /// The properties of project `i`, in order: the one definition of the projects layer's schema.
    /// Keys are plain ASCII names (no character JSON escapes).
    static func projectProperties(
        _ d: Dataset, _ assignment: SpatialAssignment, _ i: Int, _ add: (StaticString, JSONValue) -> Void
    ) {
        // Field by field: copying the whole `Project` would retain every one of its members.
        let ps = d.projects
        add("id", .string(ps[i].id))
        add("name", .string(ps[i].name))
        add("kind", .string(ps[i].kind.rawValue))
        add("status", .string(ps[i].status.rawValue))
        add("date", .str(ps[i].date?.description))
        let dimension = ps[i].geometry.dimension
        add("area_ha", dimension == .area ? .number(r6(ps[i].areaHa)) : .null)
        add("length_km", dimension == .line ? .number(r6(ps[i].lengthKm)) : .null)
        add("trees", .num(ps[i].trees))
        add("declared_area_ha", .num(ps[i].declaredAreaHa))
        add("declared_length_km", .num(ps[i].declaredLengthKm))
        add("budget", .num(ps[i].budget))
        add("targets", .array(ps[i].targets.map { .string($0) }))
        add(
            "localities",
            .array(
                assignment.shares[i].map { s in
                    .object([
                        ("code", .string(s.code)), ("name", .str(d.localities[code: s.code]?.name)),
                        ("share", .number(r6(s.share))),
                    ])
                }))
        add("source", .string(ps[i].source))
    }

    /// The union of the projects' boxes, computed on all cores.
    static func bounds(of projects: [Project]) -> BoundingBox {
        let parts = Parallel.chunks(count: projects.count, chunk: 8192) { range in
            var box = BoundingBox.empty
            for i in range { if let b = projects[i].geometry.bounds { box.extend(b) } }
            return box
        }
        var box = BoundingBox.empty
        for b in parts where !b.isEmpty { box.extend(b) }
        return box
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
        let mPerDegY = 111_320.0
        let mPerDegX = 111_320.0 * cos(c.y * .pi / 180)
        var rings: [(owner: Int, ring: [Coordinate])] = []
        var shape: [[[Int]]] = []  // per geometry, per polygon, ring indices
        for (gi, g) in geoms.enumerated() {
            var polys: [[Int]] = []
            for p in g.polygons {
                var idx: [Int] = []
                for r in p.rings {
                    idx.append(rings.count)
                    rings.append((gi, r.map { Coordinate(($0.x - c.x) * mPerDegX, ($0.y - c.y) * mPerDegY) }))
                }
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
