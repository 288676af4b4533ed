import CGDAL
import GeoKit

/// A coordinate reference system, always used in the traditional GIS axis order
/// (longitude/easting first), whatever its authority declares.
public final class SpatialReference: @unchecked Sendable, CustomStringConvertible {
    let handle: OGRSpatialReferenceH

    /// From anything GDAL's `SetFromUserInput` accepts: `EPSG:5899`, WKT, PROJ strings, `OGC:CRS84`.
    /// - Throws: ``GDALError`` of kind `badCRS` when PROJ does not understand the definition.
    public init(_ definition: String) throws {
        GDALRuntime.ensure()
        guard let h = OSRNewSpatialReference(nil) else {
            throw GDALError(.badCRS, "cannot allocate a spatial reference")
        }
        GDALRuntime.reset()
        if OSRSetFromUserInput(h, definition) != OGRERR_NONE {
            OSRDestroySpatialReference(h)
            throw GDALError(
                .badCRS, "unknown CRS '\(definition)': \(GDALRuntime.lastMessage(or: "not understood by PROJ"))")
        }
        OSRSetAxisMappingStrategy(h, OAMS_TRADITIONAL_GIS_ORDER)
        handle = h
    }

    /// Takes a clone of a reference owned by someone else (a layer).
    init(cloning h: OGRSpatialReferenceH) {
        handle = OSRClone(h)
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    deinit { OSRDestroySpatialReference(handle) }

    /// WGS 84 longitude/latitude.
    public static var wgs84: SpatialReference {
        // EPSG:4326 is always known to PROJ; failing here means PROJ's database is missing.
        WGS84Holder.shared
    }

    /// The CRS's name, e.g. "VN-2000 / TM-3 107-45".
    public var name: String {
        guard let c = OSRGetName(handle) else { return "unnamed CRS" }
        return String(cString: c)
    }

    /// "EPSG:5899" when the CRS has (or can be matched to) an authority code.
    public var authorityCode: String? {
        let keys: [String?] = [
            OSRIsProjected(handle) != 0 ? "PROJCS" : (OSRIsGeographic(handle) != 0 ? "GEOGCS" : nil), nil,
        ]
        for key in keys {
            if let a = OSRGetAuthorityName(handle, key), let c = OSRGetAuthorityCode(handle, key) {
                return "\(String(cString: a)):\(String(cString: c))"
            }
        }
        return nil
    }

    /// True for a longitude/latitude CRS (EPSG:4326, VN-2000 geographic EPSG:4756).
    public var isGeographic: Bool { OSRIsGeographic(handle) != 0 }
    /// True for a projected CRS with eastings and northings (UTM, VN-2000 TM-3 zones such as EPSG:5899).
    public var isProjected: Bool { OSRIsProjected(handle) != 0 }

    /// Linear unit in metres (1 for metre-based projected CRSs).
    public var linearUnitInMetres: Double { OSRGetLinearUnits(handle, nil) }

    /// Whether the two describe the same CRS (names aside), so that transforming between them
    /// is the identity.
    public func isSame(as other: SpatialReference) -> Bool { OSRIsSame(handle, other.handle) != 0 }

    /// WKT2 text of the CRS.
    var wkt: String {
        var out: UnsafeMutablePointer<CChar>?
        let opts = ["FORMAT=WKT2_2019", "MULTILINE=NO"]
        let err = withCStringArray(opts) { OSRExportToWktEx(handle, &out, $0) }
        defer { if let out { VSIFree(out) } }
        guard err == OGRERR_NONE, let out else { return "" }
        return String(cString: out)
    }

    /// The area of use declared by the CRS (west, south, east, north in degrees), if any.
    var areaOfUse: BoundingBox? {
        var w = 0.0
        var s = 0.0
        var e = 0.0
        var n = 0.0
        var name: UnsafePointer<CChar>?
        guard OSRGetAreaOfUse(handle, &w, &s, &e, &n, &name) != 0 else { return nil }
        return BoundingBox(minX: w, minY: s, maxX: e, maxY: n)
    }

    /// The name with its authority code when there is one: `VN-2000 / TM-3 107-45 (EPSG:5899)`.
    public var description: String { authorityCode.map { "\(name) (\($0))" } ?? name }
}

/// Calls `body` with a NULL-terminated C array of C strings.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    var cs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    cs.append(nil)
    defer { for c in cs { free(c) } }
    return cs.withUnsafeBufferPointer { buf in
        buf.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { body($0) }
    }
}

/// Same, for APIs that take `char **` (CSL lists).
func withCSL<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
    var cs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    cs.append(nil)
    defer { for c in cs { free(c) } }
    return cs.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}

/// One shared WGS 84 object (read-only use is safe across threads).
enum WGS84Holder {
    static let shared: SpatialReference = {
        GDALRuntime.ensure()
        let h = OSRNewSpatialReference(nil)!
        OSRSetWellKnownGeogCS(h, "WGS84")
        let s = SpatialReference(cloning: h)
        OSRDestroySpatialReference(h)
        return s
    }()
}
