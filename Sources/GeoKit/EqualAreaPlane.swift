import Foundation

/// The cylindrical equal-area plane of the WGS 84 ellipsoid: x = λ (radians), y = Q(φ) / a², where
/// Q(φ) = ∫₀^φ M N cos φ dφ. Planar area in this plane × a² is area on the ellipsoid, so shares
/// computed here are shares of true (ellipsoidal) area. Exact for edges straight in this plane;
/// for the short edges of plots and borders it equals the geodesic polygon area.
package enum EqualAreaPlane {
    static let a = 6_378_137.0
    static let f = 1 / 298.257223563
    static let e2 = f * (2 - f)
    static let e = e2.squareRoot()
    static let k = (1 - e2) / 2

    /// y for a latitude in degrees.
    @inline(__always) package static func y(latitude: Double) -> Double {
        let s = sin(latitude * .pi / 180)
        return k * (s / (1 - e2 * s * s) + log((1 + e * s) / (1 - e * s)) / (2 * e))
    }

    /// Latitude in degrees for a y (Newton on dy/dφ = (1 − e²) cos φ / (1 − e² sin² φ)²).
    package static func latitude(y: Double) -> Double {
        var phi = asin(max(-1, min(1, y / (k * (1 / (1 - e2) + log((1 + e) / (1 - e)) / (2 * e))))))
        for _ in 0..<6 {
            let s = sin(phi)
            let c = cos(phi)
            let w = 1 - e2 * s * s
            let dy = (1 - e2) * c / (w * w)
            guard dy > 1e-15 else { break }
            let step = (Self.y(latitude: phi * 180 / .pi) - y) / dy
            phi -= step
            if abs(step) < 1e-15 { break }
        }
        return phi * 180 / .pi
    }

    /// Longitude/latitude in degrees → plane coordinates (x in radians, y = Q(φ) / a²).
    @inline(__always) package static func forward(_ c: Coordinate) -> Coordinate {
        Coordinate(c.x * .pi / 180, y(latitude: c.y))
    }

    /// Plane coordinates → longitude/latitude in degrees.
    package static func inverse(_ c: Coordinate) -> Coordinate {
        Coordinate(c.x * 180 / .pi, latitude(y: c.y))
    }

    /// Square metres per unit of plane area.
    package static let squareMetresPerUnit = a * a
}
