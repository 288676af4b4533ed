import CGDAL
import GeoKit

/// An OGR geometry owned by Swift, for the operations GEOS does best (intersection, validity,
/// repair, point on surface, union). Build one from a `Geometry`, operate, read the result back
/// as a `Geometry`. Freed in `deinit`. Not thread-safe; cheap to create.
public final class OGRGeometry {
    let handle: OGRGeometryH

    init(owning h: OGRGeometryH) { handle = h }

    /// Builds the OGR/GEOS geometry of a Swift value (through WKB, one copy), in the value's
    /// own coordinates: measures and distances come back in those units.
    /// - Throws: ``GDALError`` of kind `badGeometry` when OGR cannot build it.
    public init(_ g: Geometry) throws {
        GDALRuntime.ensure()
        var bytes = WKB.encode(g)
        var h: OGRGeometryH?
        let err = bytes.withUnsafeMutableBytes { OGR_G_CreateFromWkbEx($0.baseAddress, nil, &h, $0.count) }
        guard err == OGRERR_NONE, let h else { throw GDALError(.badGeometry, "cannot build \(g.typeName) for GEOS") }
        handle = h
    }

    deinit { OGR_G_DestroyGeometry(handle) }

    /// Parses OGC Well-Known Text (`POLYGON ((…))`, also ISO `… Z`, curves linearised) with OGR's
    /// own reader, for tables that keep their geometry in a text column.
    /// - Throws: ``GDALError`` of kind `badGeometry` with OGR's reason when the text is not WKT.
    public static func parseWKT(_ text: String) throws -> Geometry {
        GDALRuntime.ensure()
        var h: OGRGeometryH? = nil
        let err = text.withCString { c -> OGRErr in
            var p: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: c)
            return OGR_G_CreateFromWkt(&p, nil, &h)
        }
        guard err == OGRERR_NONE, let h else { throw GDALError(.badGeometry, "not Well-Known Text") }
        defer { OGR_G_DestroyGeometry(h) }
        return try value(of: h)
    }

    /// The geometry as a Swift value (curves linearised).
    /// - Throws: ``GDALError`` of kind `badGeometry` when OGR cannot export it.
    public func value() throws -> Geometry { try OGRGeometry.value(of: handle) }

    static func value(of h: OGRGeometryH) throws -> Geometry {
        var linear: OGRGeometryH? = nil
        var src = h
        if OGR_G_HasCurveGeometry(h, 0) != 0 {
            linear = OGR_G_GetLinearGeometry(h, 0, nil)
            if let linear { src = linear }
        }
        defer { if let linear { OGR_G_DestroyGeometry(linear) } }
        let n = OGR_G_WkbSizeEx(src)
        var buf = [UInt8](repeating: 0, count: n)
        let err = buf.withUnsafeMutableBytes {
            OGR_G_ExportToIsoWkb(src, wkbNDR, $0.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard err == OGRERR_NONE else { throw GDALError(.badGeometry, "cannot export geometry") }
        return try WKB.parse(buf)
    }

    private func result(_ h: OGRGeometryH?, _ op: String) throws -> OGRGeometry {
        guard let h else {
            throw GDALError(.badGeometry, "\(op) failed: \(GDALRuntime.lastMessage(or: "GEOS returned nothing"))")
        }
        return OGRGeometry(owning: h)
    }

    /// Whether GEOS finds the geometry valid (OGC simple-features rules: no self-intersection,
    /// holes inside their exterior …). See ``invalidityReason`` for why not.
    public var isValid: Bool { OGR_G_IsValid(handle) != 0 }
    /// True when the geometry holds no coordinate.
    public var isEmpty: Bool { OGR_G_IsEmpty(handle) != 0 }

    /// The part both geometries share (GEOS overlay).
    /// - Throws: ``GDALError`` of kind `badGeometry` when GEOS cannot compute it (usually an
    ///   invalid input).
    public func intersection(_ other: OGRGeometry) throws -> OGRGeometry {
        GDALRuntime.reset()
        return try result(OGR_G_Intersection(handle, other.handle), "intersection")
    }
    /// The part of this geometry not in `other` (GEOS overlay): a line minus the stretch it shares
    /// with another line, a polygon minus an overlap.
    /// - Throws: ``GDALError`` of kind `badGeometry` when GEOS cannot compute it.
    public func difference(_ other: OGRGeometry) throws -> OGRGeometry {
        GDALRuntime.reset()
        return try result(OGR_G_Difference(handle, other.handle), "difference")
    }
    /// Whether the geometries share at least one point (GEOS; touching counts).
    public func intersects(_ other: OGRGeometry) -> Bool { OGR_G_Intersects(handle, other.handle) != 0 }
    func within(_ other: OGRGeometry) -> Bool { OGR_G_Within(handle, other.handle) != 0 }
    func contains(_ other: OGRGeometry) -> Bool { OGR_G_Contains(handle, other.handle) != 0 }
    /// The planar distance between the closest points of the two geometries, in the units of
    /// their coordinates (metres in a projected CRS; 0 when they intersect).
    public func distance(_ other: OGRGeometry) -> Double { OGR_G_Distance(handle, other.handle) }

    /// GEOS MakeValid (structure method): the repaired geometry.
    /// - Throws: ``GDALError`` of kind `badGeometry` when GEOS cannot repair it.
    public func makeValid() throws -> OGRGeometry {
        GDALRuntime.reset()
        return try result(OGR_G_MakeValid(handle), "make valid")
    }
    func pointOnSurface() throws -> OGRGeometry { try result(OGR_G_PointOnSurface(handle), "point on surface") }
    /// Everything in either geometry (GEOS overlay), dissolved.
    /// - Throws: ``GDALError`` of kind `badGeometry` when GEOS cannot compute it.
    public func union(_ other: OGRGeometry) throws -> OGRGeometry {
        try result(OGR_G_Union(handle, other.handle), "union")
    }
    func unionCascaded() throws -> OGRGeometry { try result(OGR_G_UnionCascaded(handle), "union") }
    func buffer(_ d: Double, segments: Int32 = 16) throws -> OGRGeometry {
        try result(OGR_G_Buffer(handle, d, segments), "buffer")
    }
    func simplifyPreservingTopology(_ tolerance: Double) throws -> OGRGeometry {
        try result(OGR_G_SimplifyPreserveTopology(handle, tolerance), "simplify")
    }

    /// Why GEOS thinks the geometry is invalid, when it does (e.g. "Self-intersection at (x y)").
    public var invalidityReason: String? {
        if isValid { return nil }
        return GDALRuntime.lastMessage(or: "invalid geometry")
    }
}
