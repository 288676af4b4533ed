import CGDAL
import GeoKit

/// A PROJ transformation between two CRSs, in traditional GIS axis order on both sides.
/// Not safe to share between threads: make one per thread.
public final class CoordinateTransform: @unchecked Sendable {
    let handle: OGRCoordinateTransformationH
    /// The CRS coordinates are transformed from.
    public let source: SpatialReference
    /// The CRS coordinates are transformed to.
    public let target: SpatialReference
    /// True when source and target are the same CRS and coordinates pass through untouched.
    public let isIdentity: Bool

    /// Asks PROJ for the best transformation between two CRSs (for VN-2000 grids, the datum shift
    /// the EPSG database declares).
    /// - Throws: ``GDALError`` of kind `badCRS` when PROJ knows no transformation between them.
    public init(from source: SpatialReference, to target: SpatialReference) throws {
        GDALRuntime.ensure()
        GDALRuntime.reset()
        guard let h = OCTNewCoordinateTransformation(source.handle, target.handle) else {
            throw GDALError(.badCRS, "no transformation from \(source) to \(target): \(GDALRuntime.lastMessage(or: "PROJ found none"))")
        }
        handle = h
        self.source = source
        self.target = target
        isIdentity = source.isSame(as: target)
    }

    private init(cloning other: CoordinateTransform) throws {
        guard let h = OCTClone(other.handle) else { throw GDALError(.badCRS, "cannot clone the transformation from \(other.source) to \(other.target)") }
        handle = h
        source = other.source
        target = other.target
        isIdentity = other.isIdentity
    }

    /// An independent copy, for use on another thread.
    public func clone() throws -> CoordinateTransform { try CoordinateTransform(cloning: self) }

    deinit { OCTDestroyCoordinateTransformation(handle) }

    /// Transforms many geometries with one PROJ call; `failed[i]` is true for a geometry with a
    /// coordinate that could not be transformed (its coordinates become NaN).
    public func transform(batch geometries: inout [Geometry?], range: Range<Int>) -> [Int] {
        if isIdentity { return [] }
        var xs: [Double] = [], ys: [Double] = []
        for i in range { geometries[i]?.forEachCoordinate { xs.append($0.x); ys.append($0.y) } }
        let n = xs.count
        guard n > 0 else { return [] }
        var ok = [Int32](repeating: 0, count: n)
        _ = OCTTransformEx(handle, Int32(n), &xs, &ys, nil, &ok)
        var k = 0
        var failed: [Int] = []
        for i in range {
            guard let g = geometries[i] else { continue }
            var bad = false
            geometries[i] = g.mapCoordinates { _ in
                defer { k += 1 }
                if ok[k] == 0 || !xs[k].isFinite || !ys[k].isFinite { bad = true; return Coordinate(.nan, .nan) }
                return Coordinate(xs[k], ys[k])
            }
            if bad { failed.append(i) }
        }
        return failed
    }

    /// Transforms coordinates in place; returns the number that failed (they become NaN).
    @discardableResult
    public func transform(_ coords: inout [Coordinate]) -> Int {
        if isIdentity || coords.isEmpty { return 0 }
        let n = coords.count
        var xs = [Double](repeating: 0, count: n), ys = [Double](repeating: 0, count: n)
        for i in 0..<n { xs[i] = coords[i].x; ys[i] = coords[i].y }
        var ok = [Int32](repeating: 0, count: n)
        _ = OCTTransformEx(handle, Int32(n), &xs, &ys, nil, &ok)
        var failed = 0
        for i in 0..<n {
            if ok[i] != 0 && xs[i].isFinite && ys[i].isFinite { coords[i] = Coordinate(xs[i], ys[i]) } else {
                coords[i] = Coordinate(.nan, .nan); failed += 1
            }
        }
        return failed
    }

    /// One coordinate, transformed (x first: easting or longitude).
    /// - Throws: ``GDALError`` of kind `transformFailed` when PROJ cannot transform it (outside
    ///   the projection's domain).
    public func transform(_ c: Coordinate) throws -> Coordinate {
        var a = [c]
        if transform(&a) > 0 { throw GDALError(.transformFailed, "cannot transform (\(c.x), \(c.y)) from \(source) to \(target)") }
        return a[0]
    }

    /// Transforms every coordinate of a geometry in one PROJ call.
    /// - Throws: ``GDALError`` of kind `transformFailed`, with the number of coordinates that
    ///   failed, when any coordinate cannot be transformed.
    public func transform(_ g: Geometry) throws -> Geometry {
        if isIdentity { return g }
        var flat: [Coordinate] = []
        flat.reserveCapacity(g.coordinateCount)
        g.forEachCoordinate { flat.append($0) }
        let failed = transform(&flat)
        if failed > 0 {
            throw GDALError(.transformFailed, "\(failed) of \(flat.count) coordinates cannot be transformed from \(source) to \(target)")
        }
        var i = 0
        return g.mapCoordinates { _ in defer { i += 1 }; return flat[i] }
    }

    /// The box in the target CRS that contains the transformed box: its edges are densified (21
    /// points each) so that curved edges are enclosed, not just the corners.
    /// - Throws: ``GDALError`` of kind `transformFailed` when PROJ cannot transform the box.
    public func transform(_ box: BoundingBox) throws -> BoundingBox {
        var xmin = 0.0, ymin = 0.0, xmax = 0.0, ymax = 0.0
        if OCTTransformBounds(handle, box.minX, box.minY, box.maxX, box.maxY, &xmin, &ymin, &xmax, &ymax, 21) == 0 {
            throw GDALError(.transformFailed, "cannot transform bounds from \(source) to \(target)")
        }
        return BoundingBox(minX: xmin, minY: ymin, maxX: xmax, maxY: ymax)
    }
}
