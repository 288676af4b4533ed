/// An axis-aligned rectangle in some CRS's coordinates.
///
/// In WGS 84 (every geometry of a loaded dataset) `x` is longitude and `y` latitude, in degrees,
/// so a box reads `minLon, minLat, maxLon, maxLat` like a GeoJSON `bbox`. In a projected CRS the
/// ordinates are easting and northing, usually in metres. Boxes never wrap the antimeridian.
public struct BoundingBox: Hashable, Sendable, Codable {
    /// Western edge: the smallest x (longitude in degrees, or easting).
    public var minX: Double
    /// Southern edge: the smallest y (latitude in degrees, or northing).
    public var minY: Double
    /// Eastern edge: the largest x (longitude in degrees, or easting).
    public var maxX: Double
    /// Northern edge: the largest y (latitude in degrees, or northing).
    public var maxY: Double

    /// A box from its edges, in `x, y` (longitude, latitude) order; nothing is checked or swapped,
    /// so `minX > maxX` gives an empty box.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The box that contains nothing; extending it by a coordinate gives that point's box.
    public static let empty = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    /// True when the box holds no point (a minimum above its maximum, or a NaN edge), as
    /// ``empty`` does. A box of a single point is not empty.
    public var isEmpty: Bool { !(minX <= maxX && minY <= maxY) }
    /// `maxX − minX`, in the units of the coordinates (degrees of longitude in WGS 84).
    public var width: Double { maxX - minX }
    /// `maxY − minY`, in the units of the coordinates (degrees of latitude in WGS 84).
    public var height: Double { maxY - minY }
    /// The middle of the box (the mean of its edges, not a geodesic centre).
    public var center: Coordinate { Coordinate((minX + maxX) / 2, (minY + maxY) / 2) }

    /// Grows the box just enough to contain `c` (an ``empty`` box becomes `c`'s point box).
    public mutating func extend(_ c: Coordinate) {
        if c.x < minX { minX = c.x }
        if c.x > maxX { maxX = c.x }
        if c.y < minY { minY = c.y }
        if c.y > maxY { maxY = c.y }
    }

    /// Grows the box just enough to contain every coordinate of `cs` (NaNs are skipped).
    public mutating func extend(_ cs: [Coordinate]) {
        var x0 = minX
        var y0 = minY
        var x1 = maxX
        var y1 = maxY
        cs.withUnsafeBufferPointer { b in
            for c in b {
                if c.x < x0 { x0 = c.x }
                if c.x > x1 { x1 = c.x }
                if c.y < y0 { y0 = c.y }
                if c.y > y1 { y1 = c.y }
            }
        }
        minX = x0
        minY = y0
        maxX = x1
        maxY = y1
    }

    /// Grows the box just enough to contain `other`; an empty `other` changes nothing.
    public mutating func extend(_ other: BoundingBox) {
        guard !other.isEmpty else { return }
        minX = Swift.min(minX, other.minX)
        minY = Swift.min(minY, other.minY)
        maxX = Swift.max(maxX, other.maxX)
        maxY = Swift.max(maxY, other.maxY)
    }

    /// The box both boxes cover; empty (``isEmpty``) when they do not meet.
    public func intersection(_ o: BoundingBox) -> BoundingBox {
        BoundingBox(
            minX: Swift.max(minX, o.minX), minY: Swift.max(minY, o.minY), maxX: Swift.min(maxX, o.maxX),
            maxY: Swift.min(maxY, o.maxY))
    }

    /// The smallest box containing both boxes.
    public func union(_ other: BoundingBox) -> BoundingBox {
        var b = self
        b.extend(other)
        return b
    }

    /// Whether the two boxes share at least one point (touching edges count).
    public func intersects(_ o: BoundingBox) -> Bool {
        !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY)
    }

    /// Whether `c` lies inside the box or on its edge.
    public func contains(_ c: Coordinate) -> Bool {
        c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY
    }

    /// Whether `o` lies wholly inside this box (shared edges allowed).
    public func contains(_ o: BoundingBox) -> Bool {
        o.minX >= minX && o.maxX <= maxX && o.minY >= minY && o.maxY <= maxY
    }

    /// The box grown by `d` on every side (in the units of the coordinates; a negative `d` shrinks it).
    public func expanded(by d: Double) -> BoundingBox {
        BoundingBox(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }

    /// The closed ring of the box's corners, counter-clockwise.
    public var ring: [Coordinate] {
        [
            Coordinate(minX, minY), Coordinate(maxX, minY), Coordinate(maxX, maxY), Coordinate(minX, maxY),
            Coordinate(minX, minY),
        ]
    }
}
