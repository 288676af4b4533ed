/// A box of longitudes and latitudes in degrees, as OGC API – Features states a `bbox`
/// (OGC 17-069r4, Part 1: Core, §7.15.3): `west` may exceed `east`, for a box crossing the
/// antimeridian. Heights, when given, are checked and left out (the data is 2-D).
///
/// ```swift
/// let box = try LonLatBox(parsing: "170,-20,-170,-10")   // crosses the antimeridian
/// box.parts   // [170…180, −180…−170] × [−20, −10]
/// ```
public struct LonLatBox: Hashable, Sendable {
    /// The western edge, degrees (−180…180).
    public var west: Double
    /// The southern edge, degrees (−90…90).
    public var south: Double
    /// The eastern edge, degrees (−180…180); less than `west` when the box crosses the antimeridian.
    public var east: Double
    /// The northern edge, degrees (−90…90), not less than `south`.
    public var north: Double

    /// A box from its edges in degrees (`west` > `east` crosses the antimeridian).
    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    /// A box that does not cross the antimeridian: `minX…maxX` × `minY…maxY`.
    public init(_ box: BoundingBox) {
        self.init(west: box.minX, south: box.minY, east: box.maxX, north: box.maxY)
    }

    /// The box as planar boxes: one, or two (`west…180` and `−180…east`) when it crosses the antimeridian.
    public var parts: [BoundingBox] {
        if west <= east { return [BoundingBox(minX: west, minY: south, maxX: east, maxY: north)] }
        return [
            BoundingBox(minX: west, minY: south, maxX: 180, maxY: north),
            BoundingBox(minX: -180, minY: south, maxX: east, maxY: north),
        ]
    }

    /// Why a `bbox` text was refused, in the order the rules are checked.
    public enum SyntaxError: Error, Hashable, Sendable {
        /// Not 4 or 6 comma-separated plain decimal numbers (see ``LonLatBox/number(_:)``).
        case notNumbers
        /// Six numbers whose minimum height exceeds the maximum.
        case heightsReversed
        /// A longitude outside −180…180 or a latitude outside −90…90.
        case notDegrees
        /// The minimum latitude exceeds the maximum.
        case latitudesReversed
    }

    /// Parses `minLon,minLat,maxLon,maxLat` or `minLon,minLat,minHeight,maxLon,maxLat,maxHeight`
    /// (OGC API – Features' `bbox`): 4 or 6 plain decimal numbers, no spaces; minLon > maxLon is a
    /// box crossing the antimeridian; heights are checked (min ≤ max) and ignored.
    /// - Throws: ``SyntaxError``, the first rule broken.
    public init(parsing text: String) throws(SyntaxError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(Self.number)
        guard parts.count == 4 || parts.count == 6, parts.allSatisfy({ $0 != nil }) else { throw .notNumbers }
        let n = parts.compactMap { $0 }
        let (w, s, e, north) = n.count == 4 ? (n[0], n[1], n[2], n[3]) : (n[0], n[1], n[3], n[4])
        if n.count == 6, n[2] > n[5] { throw .heightsReversed }
        guard (-180...180).contains(w), (-180...180).contains(e), (-90...90).contains(s), (-90...90).contains(north)
        else {
            throw .notDegrees
        }
        guard s <= north else { throw .latitudesReversed }
        self.init(west: w, south: s, east: e, north: north)
    }

    /// A plain decimal number: optional sign, digits with an optional fraction, optional
    /// exponent (no space, hex, `inf` or `nan`); nil otherwise or when not finite.
    public static func number(_ s: Substring) -> Double? {
        let b = Array(s.utf8)
        var i = 0
        if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
        var digits = 0
        while i < b.count, (0x30...0x39).contains(b[i]) {
            i += 1
            digits += 1
        }
        if i < b.count, b[i] == 0x2E {
            i += 1
            while i < b.count, (0x30...0x39).contains(b[i]) {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            let first = i
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            guard i > first else { return nil }
        }
        guard i == b.count, let v = Double(String(s)), v.isFinite else { return nil }
        return v
    }
}
