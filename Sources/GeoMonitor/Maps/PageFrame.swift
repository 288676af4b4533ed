import Foundation
internal import GDALKit

/// Places a projected map on the page: equal scale in x and y, y pointing down, fitted into a
/// rectangle with its aspect kept.
struct PageFrame {
    /// Map extent in projected coordinates (metres).
    let extent: BoundingBox
    /// The page rectangle the extent is fitted (and centred) into.
    let rect: BoundingBox
    /// Page pixels per projected metre.
    let scale: Double
    let offsetX: Double
    let offsetY: Double

    init(extent: BoundingBox, into rect: BoundingBox) {
        let sx = rect.width / max(extent.width, 1e-9)
        let sy = rect.height / max(extent.height, 1e-9)
        scale = min(sx, sy)
        offsetX = rect.minX + (rect.width - extent.width * scale) / 2
        offsetY = rect.minY + (rect.height - extent.height * scale) / 2
        self.extent = extent
        self.rect = rect
    }

    /// The extent centred in `rect` at a given scale (page pixels per projected metre); parts
    /// beyond the rectangle are left for the caller to clip.
    init(extent: BoundingBox, into rect: BoundingBox, scale: Double) {
        self.scale = scale
        offsetX = rect.minX + (rect.width - extent.width * scale) / 2
        offsetY = rect.minY + (rect.height - extent.height * scale) / 2
        self.extent = extent
        self.rect = rect
    }

    @inline(__always) func page(_ c: Coordinate) -> Coordinate {
        Coordinate(offsetX + (c.x - extent.minX) * scale, offsetY + (extent.maxY - c.y) * scale)
    }

    func page(_ g: Geometry) -> Geometry { g.mapCoordinates(page) }

    /// The page box actually used by the extent.
    var usedRect: BoundingBox {
        BoundingBox(
            minX: offsetX, minY: offsetY, maxX: offsetX + extent.width * scale, maxY: offsetY + extent.height * scale)
    }
}

/// The projection maps are drawn in: the manifest's working CRS, else the UTM zone of the data's centre.
final class MapProjection {
    let crs: SpatialReference
    let toMap: CoordinateTransform
    let toGeographic: CoordinateTransform

    init(workingCRS: String?, around center: Coordinate) throws {
        let def: String
        if let w = workingCRS {
            def = w
        } else {
            let zone = Int(((center.x + 180) / 6).rounded(.down)) + 1
            def = center.y >= 0 ? "EPSG:\(32600 + zone)" : "EPSG:\(32700 + zone)"
        }
        do {
            crs = try SpatialReference(def)
            guard crs.isProjected else {
                throw GeoMonitorError(
                    .crs, key: "working_crs",
                    "\(crs) is not a projected CRS; maps need one in metres (e.g. EPSG:5899, a UTM zone)")
            }
            toMap = try CoordinateTransform(from: .wgs84, to: crs)
            toGeographic = try CoordinateTransform(from: crs, to: .wgs84)
        } catch let e as GDALError {
            throw GeoMonitorError(.crs, key: "working_crs", e.message)
        }
    }

    func project(_ g: Geometry) throws -> Geometry {
        do { return try toMap.transform(g) } catch let e as GDALError {
            throw GeoMonitorError(.crs, key: "working_crs", e.message)
        }
    }

    /// Many geometries projected at once, in chunks on all cores, through the batch transform
    /// (small geometries interpolated in PROJ-checked patches, to 1 mm): a map of 300,000 plots
    /// is not 4 million separate PROJ calls on one thread.
    func project(_ geometries: [Geometry]) throws -> [Geometry] {
        let toMap = toMap
        let batches: [(geometries: [Geometry?], failed: [Int])]
        do {
            // Batches of 4,096 (as a whole read's): each worker with its own clone of the transform.
            batches = try Parallel.chunks(count: geometries.count, chunk: 4096, state: { _ in try toMap.clone() }) {
                transform, range in
                var local: [Geometry?] = Array(geometries[range])
                let bad = transform.transform(batch: &local, range: 0..<local.count)
                return (local, bad.map { $0 + range.lowerBound })
            }
        } catch let e as GDALError {
            throw GeoMonitorError(.crs, key: "working_crs", e.message)
        }
        let failed = batches.flatMap(\.failed)
        if let first = failed.first {
            throw GeoMonitorError(
                .crs, key: "working_crs",
                "\(failed.count) geometries (the first: number \(first + 1)) cannot be projected to \(crs)")
        }
        return batches.flatMap { $0.geometries.map { $0 ?? .multiPoint([]) } }
    }

    /// Ground metres per grid metre at projected point `c` (the CRS's scale there): a 1 km
    /// geodesic east of it, projected.
    func groundPerGrid(at c: Coordinate) -> Double {
        if let geo = try? toGeographic.transform(c),
            let east = try? toMap.transform(Geodesic.wgs84.destination(from: geo, azimuth: 90, metres: 1000))
        {
            let mapDist = ((east.x - c.x) * (east.x - c.x) + (east.y - c.y) * (east.y - c.y)).squareRoot()
            if mapDist > 0 { return 1000 / mapDist }
        }
        return 1
    }

    /// Angle (degrees, clockwise from page up) of true north at a projected point.
    func northAngle(at p: Coordinate) -> Double {
        guard let geo = try? toGeographic.transform(p),
            let north = try? toMap.transform(Coordinate(geo.x, min(89.9, geo.y + 0.05)))
        else { return 0 }
        let dx = north.x - p.x
        let dy = north.y - p.y
        return atan2(dx, dy) * 180 / .pi
    }
}
