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

    /// Transforms many geometries with few PROJ calls; returns the indices of geometries with a
    /// coordinate that could not be transformed (their coordinates become NaN).
    ///
    /// A small geometry with many vertices (a forest plot) is not sent to PROJ vertex by vertex:
    /// PROJ transforms the four corners of its bounding box, the vertices are interpolated
    /// bilinearly between them, and PROJ transforms the box's centre to check the interpolation
    /// there, where its error is largest for a smooth map projection. If the check is off by more
    /// than `tolerance` (target units; default ≈ 1 mm: 1e-8° or 1e-3 m) the geometry is
    /// transformed exactly. The technique is GDAL's approximate transformer's, applied per geometry.
    public func transform(batch geometries: inout [Geometry?], range: Range<Int>, tolerance: Double? = nil) -> [Int] {
        if isIdentity { return [] }
        let tol = tolerance ?? (target.isGeographic ? 1e-8 : 1e-3 / max(1e-9, target.linearUnitInMetres))
        // Largest box worth approximating, in source units (≈ 2 km).
        let maxSide = source.isGeographic ? 0.02 : 2_000 / max(1e-9, source.linearUnitInMetres)
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(range.count * 8); ys.reserveCapacity(range.count * 8)
        // Per geometry: where its points start in xs/ys, and its box when approximated.
        var starts = [Int](repeating: 0, count: range.count)
        var boxes = [BoundingBox?](repeating: nil, count: range.count)
        for (k, i) in range.enumerated() {
            starts[k] = xs.count
            guard let g = geometries[i] else { continue }
            if g.coordinateCount >= 8, let b = g.bounds, b.width <= maxSide, b.height <= maxSide, b.width > 0, b.height > 0 {
                boxes[k] = b
                xs += [b.minX, b.maxX, b.minX, b.maxX, (b.minX + b.maxX) / 2]
                ys += [b.minY, b.minY, b.maxY, b.maxY, (b.minY + b.maxY) / 2]
            } else {
                g.forEachCoordinate { xs.append($0.x); ys.append($0.y) }
            }
        }
        let n = xs.count
        guard n > 0 else { return [] }
        var ok = [Int32](repeating: 0, count: n)
        _ = OCTTransformEx(handle, Int32(n), &xs, &ys, nil, &ok)
        var failed: [Int] = []
        for (k, i) in range.enumerated() {
            guard let g = geometries[i] else { continue }
            let s = starts[k]
            if let b = boxes[k] {
                let allOK = (s..<s + 5).allSatisfy { ok[$0] != 0 && xs[$0].isFinite && ys[$0].isFinite }
                // Corners 00, 10, 01, 11; centre.
                let x00 = xs[s], y00 = ys[s], x10 = xs[s + 1], y10 = ys[s + 1]
                let x01 = xs[s + 2], y01 = ys[s + 2], x11 = xs[s + 3], y11 = ys[s + 3]
                let cx = (x00 + x10 + x01 + x11) / 4, cy = (y00 + y10 + y01 + y11) / 4
                if allOK, abs(cx - xs[s + 4]) <= tol, abs(cy - ys[s + 4]) <= tol {
                    let w = b.width, h = b.height
                    geometries[i] = g.mapCoordinates { c in
                        let u = (c.x - b.minX) / w, v = (c.y - b.minY) / h
                        let a = (1 - u) * (1 - v), bb = u * (1 - v), cc = (1 - u) * v, d = u * v
                        return Coordinate(a * x00 + bb * x10 + cc * x01 + d * x11, a * y00 + bb * y10 + cc * y01 + d * y11)
                    }
                    continue
                }
                if let exact = try? transform(g) { geometries[i] = exact; continue }
                geometries[i] = g.mapCoordinates { _ in Coordinate(.nan, .nan) }
                failed.append(i)
                continue
            }
            var j = s
            var bad = false
            geometries[i] = g.mapCoordinates { _ in
                defer { j += 1 }
                if ok[j] == 0 || !xs[j].isFinite || !ys[j].isFinite { bad = true; return Coordinate(.nan, .nan) }
                return Coordinate(xs[j], ys[j])
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
