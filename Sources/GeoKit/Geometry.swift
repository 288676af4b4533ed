/// A position in a coordinate reference system: `x` is easting or longitude, `y` northing or latitude
/// (the traditional GIS order, whatever the CRS authority says).
///
/// Every geometry of a loaded dataset is in WGS 84, so there `x` is the longitude and `y` the
/// latitude, in degrees: `Coordinate(108.44, 11.94)` is in Đà Lạt.
public struct Coordinate: Hashable, Sendable, Codable {
    /// Longitude in degrees (WGS 84), or easting (a projected CRS, usually metres).
    public var x: Double
    /// Latitude in degrees (WGS 84), or northing (a projected CRS, usually metres).
    public var y: Double
    /// A coordinate in `x, y` order: longitude first, then latitude.
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
    /// A coordinate from named ordinates: `x` longitude or easting, `y` latitude or northing.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
    /// True when both ordinates are finite numbers.
    public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// A polygon: one exterior ring and any number of holes. Rings are closed (first == last).
///
/// Ring orientation is not significant here (GeoJSON output reorients rings as RFC 7946 asks).
public struct Polygon: Hashable, Sendable {
    /// The outer boundary, closed (first coordinate repeated at the end).
    public var exterior: [Coordinate]
    /// Inner boundaries (islands of "not this polygon"), each closed; empty for a simple polygon.
    public var holes: [[Coordinate]]
    /// A polygon from closed rings; rings are stored as given, neither closed nor checked.
    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.exterior = exterior
        self.holes = holes
    }
    /// All rings, exterior first.
    public var rings: [[Coordinate]] { [exterior] + holes }
    /// Number of coordinates in all rings.
    public var coordinateCount: Int { holes.reduce(exterior.count) { $0 + $1.count } }
}

/// A geometry value, in the coordinates of whatever CRS it was read in or transformed to.
///
/// The simple-features model of OGC and GeoJSON, in two dimensions (Z and M values are dropped on
/// reading). Geometries of a loaded GeoMonitor `Dataset` (project and locality geometries) are in WGS 84
/// longitude/latitude degrees.
public enum Geometry: Hashable, Sendable {
    /// One position (a market, a school).
    case point(Coordinate)
    /// Several positions forming one feature.
    case multiPoint([Coordinate])
    /// A polyline (a road, an expressway section): at least two positions.
    case lineString([Coordinate])
    /// Several polylines forming one feature.
    case multiLineString([[Coordinate]])
    /// An area with optional holes (a forest plot, a resettlement area).
    case polygon(Polygon)
    /// Several areas forming one feature (a district with islands).
    case multiPolygon([Polygon])
    /// A mixed bag of geometries (GeoJSON `GeometryCollection`).
    case collection([Geometry])

    /// The broad family of a geometry, which decides how it is measured and shared between localities.
    public enum Dimension: Int, Sendable, Comparable {
        /// Points: counted, and shared between localities by containment.
        case point = 0
        /// Lines: measured in kilometres, shared by length.
        case line = 1
        /// Areas: measured in hectares, shared by area.
        case area = 2
        /// Orders dimensions point < line < area.
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// The highest dimension present (a collection of a point and a polygon is an area).
    public var dimension: Dimension {
        switch self {
        case .point, .multiPoint: return .point
        case .lineString, .multiLineString: return .line
        case .polygon, .multiPolygon: return .area
        case .collection(let parts): return parts.map(\.dimension).max() ?? .point
        }
    }

    /// The OGC name of the geometry type, as GeoJSON spells it.
    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .multiPoint: return "MultiPoint"
        case .lineString: return "LineString"
        case .multiLineString: return "MultiLineString"
        case .polygon: return "Polygon"
        case .multiPolygon: return "MultiPolygon"
        case .collection: return "GeometryCollection"
        }
    }

    /// True when the geometry holds no coordinate.
    public var isEmpty: Bool {
        switch self {
        case .point(let c): return !c.x.isFinite && !c.y.isFinite && c.x.isNaN
        case .multiPoint(let cs), .lineString(let cs): return cs.isEmpty
        case .multiLineString(let ls): return ls.allSatisfy(\.isEmpty)
        case .polygon(let p): return p.exterior.isEmpty
        case .multiPolygon(let ps): return ps.allSatisfy { $0.exterior.isEmpty }
        case .collection(let gs): return gs.allSatisfy(\.isEmpty)
        }
    }

    /// Polygons of this geometry (a polygon, the parts of a multipolygon, polygons in a collection).
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): return [p]
        case .multiPolygon(let ps): return ps
        case .collection(let gs): return gs.flatMap(\.polygons)
        default: return []
        }
    }

    /// Line parts of this geometry.
    public var lines: [[Coordinate]] {
        switch self {
        case .lineString(let l): return [l]
        case .multiLineString(let ls): return ls
        case .collection(let gs): return gs.flatMap(\.lines)
        default: return []
        }
    }

    /// Point parts of this geometry.
    public var points: [Coordinate] {
        switch self {
        case .point(let c): return [c]
        case .multiPoint(let cs): return cs
        case .collection(let gs): return gs.flatMap(\.points)
        default: return []
        }
    }

    /// Calls `body` on every coordinate.
    public func forEachCoordinate(_ body: (Coordinate) -> Void) {
        switch self {
        case .point(let c): body(c)
        case .multiPoint(let cs), .lineString(let cs): for c in cs { body(c) }
        case .multiLineString(let ls): for l in ls { for c in l { body(c) } }
        case .polygon(let p): Self.forEachCoordinate(of: p, body)
        case .multiPolygon(let ps): for p in ps { Self.forEachCoordinate(of: p, body) }
        case .collection(let gs): for g in gs { g.forEachCoordinate(body) }
        }
    }

    private static func forEachCoordinate(of polygon: Polygon, _ body: (Coordinate) -> Void) {
        for c in polygon.exterior { body(c) }
        for hole in polygon.holes { for c in hole { body(c) } }
    }

    /// A copy with every coordinate passed through `transform`.
    public func mapCoordinates(_ transform: (Coordinate) -> Coordinate) -> Geometry {
        switch self {
        case .point(let c): return .point(transform(c))
        case .multiPoint(let cs): return .multiPoint(cs.map(transform))
        case .lineString(let cs): return .lineString(cs.map(transform))
        case .multiLineString(let ls): return .multiLineString(ls.map { $0.map(transform) })
        case .polygon(let p):
            return .polygon(Polygon(exterior: p.exterior.map(transform), holes: p.holes.map { $0.map(transform) }))
        case .multiPolygon(let ps):
            return .multiPolygon(
                ps.map { Polygon(exterior: $0.exterior.map(transform), holes: $0.holes.map { $0.map(transform) }) })
        case .collection(let gs): return .collection(gs.map { $0.mapCoordinates(transform) })
        }
    }

    /// Number of coordinates.
    public var coordinateCount: Int {
        switch self {
        case .point: return 1
        case .multiPoint(let cs), .lineString(let cs): return cs.count
        case .multiLineString(let ls): return ls.reduce(0) { $0 + $1.count }
        case .polygon(let p): return p.coordinateCount
        case .multiPolygon(let ps): return ps.reduce(0) { $0 + $1.coordinateCount }
        case .collection(let gs): return gs.reduce(0) { $0 + $1.coordinateCount }
        }
    }

    /// The bounding box, or nil for an empty geometry.
    public var bounds: BoundingBox? {
        var box = BoundingBox.empty
        switch self {
        case .point(let c): box.extend(c)
        case .multiPoint(let cs), .lineString(let cs): box.extend(cs)
        case .multiLineString(let ls): for l in ls { box.extend(l) }
        case .polygon(let p):
            box.extend(p.exterior)
            for h in p.holes { box.extend(h) }
        case .multiPolygon(let ps):
            for p in ps {
                box.extend(p.exterior)
                for h in p.holes { box.extend(h) }
            }
        case .collection(let gs): for g in gs { if let b = g.bounds { box.extend(b) } }
        }
        return box.isEmpty ? nil : box
    }
}
