import CGDAL
import GeoKit

/// A PROJ transformation between two CRSs, in traditional GIS axis order on both sides.
///
/// Not `Sendable`: PROJ's object and the patches ``transform(batch:range:tolerance:)`` builds are
/// used by one thread at a time. To work on several threads, give each its own ``clone()`` (as
/// `Parallel`'s per-worker state, for example); the compiler refuses to share one.
public final class CoordinateTransform {
    let handle: OGRCoordinateTransformationH
    /// The CRS coordinates are transformed from.
    public let source: SpatialReference
    /// The CRS coordinates are transformed to.
    public let target: SpatialReference
    /// True when source and target are the same CRS and coordinates pass through untouched.
    public let isIdentity: Bool
    /// Quadratic patches built so far by ``transform(batch:range:tolerance:)`` (per instance:
    /// an instance serves one thread).
    private var patches = PatchCache()
    /// How many patches have been built, and how many of them failed their check (for tests).
    package var patchStats: (built: Int, rejected: Int) { (patches.valid.count, patches.valid.filter { !$0 }.count) }

    /// Asks PROJ for the best transformation between two CRSs (for VN-2000 grids, the datum shift
    /// the EPSG database declares).
    /// - Throws: ``GDALError`` of kind `badCRS` when PROJ knows no transformation between them.
    public init(from source: SpatialReference, to target: SpatialReference) throws {
        GDALRuntime.ensure()
        GDALRuntime.reset()
        guard let h = OCTNewCoordinateTransformation(source.handle, target.handle) else {
            throw GDALError(
                .badCRS,
                "no transformation from \(source) to \(target): \(GDALRuntime.lastMessage(or: "PROJ found none"))")
        }
        handle = h
        self.source = source
        self.target = target
        isIdentity = source.isSame(as: target)
    }

    private init(cloning other: CoordinateTransform) throws {
        guard let h = OCTClone(other.handle) else {
            throw GDALError(.badCRS, "cannot clone the transformation from \(other.source) to \(other.target)")
        }
        handle = h
        source = other.source
        target = other.target
        isIdentity = other.isIdentity
    }

    /// An independent copy (its own PROJ object and patches), for use on another thread.
    /// - Throws: ``GDALError`` of kind `badCRS` when PROJ cannot copy the transformation.
    public func clone() throws -> sending CoordinateTransform {
        // The copy shares nothing with `self` (OCTClone makes a new PROJ object; the patches start
        // empty), which the compiler cannot see through the C call.
        nonisolated(unsafe) let copy = try CoordinateTransform(cloning: self)
        return copy
    }

    deinit { OCTDestroyCoordinateTransformation(handle) }

    /// Transforms many geometries with few PROJ calls; returns the indices (ascending) of geometries with a
    /// coordinate that could not be transformed (their coordinates become NaN).
    ///
    /// Small geometries (forest plots) are not sent to PROJ vertex by vertex. In a batch of 1,000
    /// or more, the source plane is cut into square patches of about 4 km; PROJ transforms a 3 × 3
    /// lattice over each patch a geometry falls in, the first time one does, and the geometry's
    /// vertices are interpolated biquadratically from those nine points. Each new patch is checked
    /// against PROJ at four more points (the centres of its quarters) and used only when all are
    /// within a quarter of `tolerance` (target units; default ≈ 1 mm: 1e-8° or 1e-3 m): for a map
    /// projection the error of a quadratic over 4 km is below 0.01 mm. A geometry outside any valid
    /// patch, with 8 vertices or more and at most ≈ 2 km across, is interpolated bilinearly
    /// between its own PROJ-transformed box corners, checked at the box centre (GDAL's approximate
    /// transformer's technique, per geometry); anything else goes to PROJ vertex by vertex.
    public func transform(batch geometries: inout [Geometry?], range: Range<Int>, tolerance: Double? = nil) -> [Int] {
        if isIdentity { return [] }
        let tol = tolerance ?? (target.isGeographic ? 1e-8 : 1e-3 / max(1e-9, target.linearUnitInMetres))
        let unit = source.isGeographic ? 1e-5 : 1 / max(1e-9, source.linearUnitInMetres)  // ≈ 1 m in source units
        // Largest box worth approximating by its corners (≈ 2 km); patch side (≈ 4 km).
        let maxSide = 2_000 * unit
        let patchSide = 4_000 * unit
        let usePatches = range.count >= 1_000
        var failed: [Int] = []
        var xs: [Double] = []
        var ys: [Double] = []
        xs.reserveCapacity(range.count * (usePatches ? 1 : 8))
        ys.reserveCapacity(xs.capacity)
        // Per geometry: where its points start in xs/ys; its box when approximated by corners.
        var starts = [Int](repeating: 0, count: range.count)
        var boxes = [BoundingBox?](repeating: nil, count: range.count)
        for (k, i) in range.enumerated() {
            starts[k] = xs.count
            guard let g = geometries[i] else { continue }
            let b = g.bounds
            if usePatches, let b, let p = patch(containing: b, side: patchSide, tolerance: tol) {
                var nonFinite = false
                geometries[i] = patches.nodes.withUnsafeBufferPointer { nodes in
                    let t = UnsafeBufferPointer(
                        rebasing: nodes[(p * PatchCache.stride)..<((p + 1) * PatchCache.stride)])
                    return g.mapCoordinates { c in
                        if !c.isFinite { nonFinite = true }
                        return PatchCache.interpolate(t, c)
                    }
                }
                // A NaN or infinite vertex (the box ignores it) fails as it would through PROJ.
                if nonFinite {
                    geometries[i] = g.mapCoordinates { _ in Coordinate(.nan, .nan) }
                    failed.append(i)
                }
                starts[k] = -1
                continue
            }
            if g.coordinateCount >= 8, let b, b.width <= maxSide, b.height <= maxSide, b.width > 0, b.height > 0 {
                boxes[k] = b
                xs += [b.minX, b.maxX, b.minX, b.maxX, (b.minX + b.maxX) / 2]
                ys += [b.minY, b.minY, b.maxY, b.maxY, (b.minY + b.maxY) / 2]
            } else {
                g.forEachCoordinate {
                    xs.append($0.x)
                    ys.append($0.y)
                }
            }
        }
        let n = xs.count
        var ok = [Int32](repeating: 0, count: n)
        if n > 0 { _ = OCTTransformEx(handle, Int32(n), &xs, &ys, nil, &ok) }
        for (k, i) in range.enumerated() {
            guard let g = geometries[i], starts[k] >= 0 else { continue }
            let s = starts[k]
            if let b = boxes[k] {
                let allOK = (s..<s + 5).allSatisfy { ok[$0] != 0 && xs[$0].isFinite && ys[$0].isFinite }
                // Corners 00, 10, 01, 11; centre.
                let x00 = xs[s]
                let y00 = ys[s]
                let x10 = xs[s + 1]
                let y10 = ys[s + 1]
                let x01 = xs[s + 2]
                let y01 = ys[s + 2]
                let x11 = xs[s + 3]
                let y11 = ys[s + 3]
                let cx = (x00 + x10 + x01 + x11) / 4
                let cy = (y00 + y10 + y01 + y11) / 4
                if allOK, abs(cx - xs[s + 4]) <= tol, abs(cy - ys[s + 4]) <= tol {
                    let w = b.width
                    let h = b.height
                    geometries[i] = g.mapCoordinates { c in
                        let u = (c.x - b.minX) / w
                        let v = (c.y - b.minY) / h
                        let a = (1 - u) * (1 - v)
                        let bb = u * (1 - v)
                        let cc = (1 - u) * v
                        let d = u * v
                        return Coordinate(
                            a * x00 + bb * x10 + cc * x01 + d * x11, a * y00 + bb * y10 + cc * y01 + d * y11)
                    }
                    continue
                }
                if let exact = try? transform(g) {
                    geometries[i] = exact
                    continue
                }
                geometries[i] = g.mapCoordinates { _ in Coordinate(.nan, .nan) }
                failed.append(i)
                continue
            }
            var j = s
            var bad = false
            geometries[i] = g.mapCoordinates { _ in
                defer { j += 1 }
                if ok[j] == 0 || !xs[j].isFinite || !ys[j].isFinite {
                    bad = true
                    return Coordinate(.nan, .nan)
                }
                return Coordinate(xs[j], ys[j])
            }
            if bad { failed.append(i) }
        }
        return failed.sorted()
    }

    /// The valid patch of side `side` that the box lies in (allowing it to stick out by an eighth
    /// of the side, where the quadratic still holds), built on first use; nil when there is none.
    private func patch(containing b: BoundingBox, side: Double, tolerance: Double) -> Int? {
        let cx = (b.minX + b.maxX) / 2
        let cy = (b.minY + b.maxY) / 2
        let fx = (cx / side).rounded(.down)
        let fy = (cy / side).rounded(.down)
        guard abs(fx) < 1e9, abs(fy) < 1e9 else { return nil }
        let x0 = fx * side
        let y0 = fy * side
        let margin = side / 8
        guard b.minX >= x0 - margin, b.maxX <= x0 + side + margin, b.minY >= y0 - margin, b.maxY <= y0 + side + margin
        else { return nil }
        let key = Int64(fx) &* 2_000_000_003 &+ Int64(fy)
        if let index = patches.index[key] { return patches.valid[index] ? index : nil }
        let index = patches.valid.count
        patches.index[key] = index
        let valid = makePatch(x0: x0, y0: y0, side: side, tolerance: tolerance)
        patches.valid.append(valid)
        return valid ? index : nil
    }

    /// PROJ at the 3 × 3 lattice of a patch and at its four check points; appends the patch's
    /// nodes to the cache and tells whether it may be used.
    private func makePatch(x0: Double, y0: Double, side: Double, tolerance: Double) -> Bool {
        let h = side / 2
        var xs: [Double] = []
        var ys: [Double] = []
        for j in 0..<3 {
            for i in 0..<3 {
                xs.append(x0 + Double(i) * h)
                ys.append(y0 + Double(j) * h)
            }
        }
        let checks = [(0.5, 0.5), (1.5, 0.5), (0.5, 1.5), (1.5, 1.5)]
        for (u, v) in checks {
            xs.append(x0 + u * h)
            ys.append(y0 + v * h)
        }
        var ok = [Int32](repeating: 0, count: xs.count)
        _ = OCTTransformEx(handle, Int32(xs.count), &xs, &ys, nil, &ok)
        let allOK = ok.allSatisfy { $0 != 0 } && xs.allSatisfy(\.isFinite) && ys.allSatisfy(\.isFinite)
        let start = patches.nodes.count
        patches.nodes += [x0, y0, h] + xs.prefix(9) + ys.prefix(9)
        guard allOK else { return false }
        return patches.nodes.withUnsafeBufferPointer { nodes in
            let t = UnsafeBufferPointer(rebasing: nodes[start..<(start + PatchCache.stride)])
            return checks.enumerated().allSatisfy { k, uv in
                let c = PatchCache.interpolate(t, Coordinate(x0 + uv.0 * h, y0 + uv.1 * h))
                return abs(c.x - xs[9 + k]) <= tolerance / 4 && abs(c.y - ys[9 + k]) <= tolerance / 4
            }
        }
    }
    /// Transforms coordinates in place; returns the number that failed (they become NaN).
    @discardableResult
    public func transform(_ coords: inout [Coordinate]) -> Int {
        if isIdentity || coords.isEmpty { return 0 }
        let n = coords.count
        var xs = [Double](repeating: 0, count: n)
        var ys = [Double](repeating: 0, count: n)
        for i in 0..<n {
            xs[i] = coords[i].x
            ys[i] = coords[i].y
        }
        var ok = [Int32](repeating: 0, count: n)
        _ = OCTTransformEx(handle, Int32(n), &xs, &ys, nil, &ok)
        var failed = 0
        for i in 0..<n {
            if ok[i] != 0 && xs[i].isFinite && ys[i].isFinite {
                coords[i] = Coordinate(xs[i], ys[i])
            } else {
                coords[i] = Coordinate(.nan, .nan)
                failed += 1
            }
        }
        return failed
    }

    /// One coordinate, transformed (x first: easting or longitude).
    /// - Throws: ``GDALError`` of kind `transformFailed` when PROJ cannot transform it (outside
    ///   the projection's domain).
    public func transform(_ c: Coordinate) throws -> Coordinate {
        var a = [c]
        if transform(&a) > 0 {
            throw GDALError(.transformFailed, "cannot transform (\(c.x), \(c.y)) from \(source) to \(target)")
        }
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
            throw GDALError(
                .transformFailed,
                "\(failed) of \(flat.count) coordinates cannot be transformed from \(source) to \(target)")
        }
        var i = 0
        return g.mapCoordinates { _ in
            defer { i += 1 }
            return flat[i]
        }
    }

    /// The box in the target CRS that contains the transformed box: its edges are densified (21
    /// points each) so that curved edges are enclosed, not just the corners.
    /// - Throws: ``GDALError`` of kind `transformFailed` when PROJ cannot transform the box.
    public func transform(_ box: BoundingBox) throws -> BoundingBox {
        var xmin = 0.0
        var ymin = 0.0
        var xmax = 0.0
        var ymax = 0.0
        if OCTTransformBounds(handle, box.minX, box.minY, box.maxX, box.maxY, &xmin, &ymin, &xmax, &ymax, 21) == 0 {
            throw GDALError(.transformFailed, "cannot transform bounds from \(source) to \(target)")
        }
        return BoundingBox(minX: xmin, minY: ymin, maxX: xmax, maxY: ymax)
    }
}

/// The patches one ``CoordinateTransform`` has built: squares of the source plane over which the
/// transformation is a biquadratic through PROJ's values at a 3 × 3 lattice (spacing `h`),
/// interpolated with Lagrange polynomials. Stored flat, so that using one copies nothing.
struct PatchCache {
    /// Per patch: x0, y0, h, then the 9 transformed x and the 9 transformed y of its lattice, row
    /// by row (j = 0…2 upwards, i = 0…2 rightwards).
    var nodes: [Double] = []
    /// Per patch: PROJ transformed every lattice point and the check points agree.
    var valid: [Bool] = []
    /// Patch number by place in the source plane.
    var index: [Int64: Int] = [:]
    /// Doubles per patch in `nodes`.
    static var stride: Int { 21 }

    @inline(__always) static func interpolate(_ t: UnsafeBufferPointer<Double>, _ c: Coordinate) -> Coordinate {
        let u = (c.x - t[0]) / t[2]
        let v = (c.y - t[1]) / t[2]
        // Lagrange basis at nodes 0, 1, 2.
        let a0 = (u - 1) * (u - 2) / 2
        let a1 = u * (2 - u)
        let a2 = u * (u - 1) / 2
        let b0 = (v - 1) * (v - 2) / 2
        let b1 = v * (2 - v)
        let b2 = v * (v - 1) / 2
        let r0x = a0 * t[3] + a1 * t[4] + a2 * t[5]
        let r0y = a0 * t[12] + a1 * t[13] + a2 * t[14]
        let r1x = a0 * t[6] + a1 * t[7] + a2 * t[8]
        let r1y = a0 * t[15] + a1 * t[16] + a2 * t[17]
        let r2x = a0 * t[9] + a1 * t[10] + a2 * t[11]
        let r2y = a0 * t[18] + a1 * t[19] + a2 * t[20]
        return Coordinate(b0 * r0x + b1 * r1x + b2 * r2x, b0 * r0y + b1 * r1y + b2 * r2y)
    }
}
