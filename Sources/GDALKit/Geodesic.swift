import CGDAL
import GeoKit

/// Geodesic measures on an ellipsoid with PROJ's geodesic routines (Karney's algorithms).
/// Coordinates are longitude, latitude in degrees.
public struct Geodesic: Sendable {
    private let a: Double
    private let f: Double

    /// The WGS 84 ellipsoid (also VN-2000's).
    public static let wgs84 = Geodesic(semiMajorAxis: 6_378_137, flattening: 1 / 298.257223563)

    public init(semiMajorAxis: Double, flattening: Double) { a = semiMajorAxis; f = flattening }

    private func geod() -> geod_geodesic {
        var g = geod_geodesic()
        geod_init(&g, a, f)
        return g
    }

    /// Signed area of a ring in m² (counter-clockwise positive); closure is implied.
    public func signedArea(_ ring: [Coordinate]) -> Double {
        var pts = ring
        if pts.count > 1, pts.first == pts.last { pts.removeLast() }
        guard pts.count >= 3 else { return 0 }
        var g = geod()
        var lats = pts.map(\.y), lons = pts.map(\.x)
        var area = 0.0, perimeter = 0.0
        geod_polygonarea(&g, &lats, &lons, Int32(pts.count), &area, &perimeter)
        return area
    }

    /// Area of a polygon in m²: the exterior less its holes.
    public func area(_ p: Polygon) -> Double {
        abs(signedArea(p.exterior)) - p.holes.reduce(0) { $0 + abs(signedArea($1)) }
    }

    /// Area of the polygonal parts of a geometry in m².
    public func area(_ g: Geometry) -> Double { g.polygons.reduce(0) { $0 + area($1) } }

    /// Length of a polyline in metres.
    public func length(_ line: [Coordinate]) -> Double {
        guard line.count >= 2 else { return 0 }
        var g = geod()
        var total = 0.0
        for i in 1..<line.count {
            var s = 0.0, az1 = 0.0, az2 = 0.0
            geod_inverse(&g, line[i - 1].y, line[i - 1].x, line[i].y, line[i].x, &s, &az1, &az2)
            total += s
        }
        return total
    }

    /// Length of the linear parts of a geometry in metres.
    public func length(_ g: Geometry) -> Double { g.lines.reduce(0) { $0 + length($1) } }

    /// Distance between two points in metres.
    public func distance(_ p: Coordinate, _ q: Coordinate) -> Double { length([p, q]) }

    /// The point reached from `p` going `metres` along `azimuth` degrees (clockwise from north).
    public func destination(from p: Coordinate, azimuth: Double, metres: Double) -> Coordinate {
        var g = geod()
        var lat2 = 0.0, lon2 = 0.0, az2 = 0.0
        geod_direct(&g, p.y, p.x, azimuth, metres, &lat2, &lon2, &az2)
        return Coordinate(lon2, lat2)
    }
}
