import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// The fast assignment (grid + boundary walking) against an independent overlay: GEOS
/// intersection of each plot with each district, measured with PROJ's geodesic area.
@Suite struct AssignmentCrossCheckTests {
    @Test func borderPlotsMatchGEOSOverlay() throws {
        let data = try Dataset.load(manifest: Dataset.defaultManifestPath())
        // xorshift64*, fixed seed: the same plots every run.
        var rng = XorShift(seed: 0x9E37_79B9_7F4A_7C15)
        // Star-shaped plots of ~1–4 ha centred on random vertices of district borders, so every one crosses.
        var plots: [Project] = []
        let borders = data.localities.all.flatMap { $0.geometry.polygons.flatMap { $0.exterior } }
        let geod = Geodesic.wgs84
        for i in 0..<300 {
            let c = borders[Int(rng.unit * Double(borders.count))]
            let r = 0.0006 + rng.unit * 0.0008  // degrees (~65–150 m)
            let n = 6 + Int(rng.unit * 6)
            var ring: [Coordinate] = (0..<n).map { k in
                let a = Double(k) / Double(n) * 2 * .pi
                let rr = r * (0.6 + 0.4 * rng.unit)
                return Coordinate(c.x + 0.0001 * rng.unit + rr * cos(a), c.y + 0.0001 * rng.unit + rr * sin(a))
            }
            ring.append(ring[0])
            let g = Geometry.polygon(Polygon(exterior: ring))
            plots.append(
                Project(
                    id: "X\(i)", name: "X\(i)", kind: .forestPlanting, status: .completed, date: nil, geometry: g,
                    areaHa: geod.area(g) / 10_000))
        }
        let fast = try SpatialAssignment(projects: plots, localities: data.localities)
        let districts = try data.localities.all.map { try OGRGeometry($0.geometry) }
        var crossing = 0
        for (i, p) in plots.enumerated() {
            let og = try OGRGeometry(p.geometry)
            var reference: [String: Double] = [:]
            for (j, d) in districts.enumerated() where og.intersects(d) {
                let a = geod.area(try og.intersection(d).value()) / 10_000
                if a > 0 { reference[data.localities.all[j].code] = a }
            }
            if reference.count > 1 { crossing += 1 }
            let got = Dictionary(uniqueKeysWithValues: fast.shares[i].map { ($0.code, $0.areaHa) })
            // Tolerance 2e-5 of the plot: GEOS cuts along border edges straight in lon/lat, the walk
            // along edges straight in the equal-area plane; over a ~500 m border edge the two lines
            // part by ~1 mm (tan φ · Δφ² / 8), i.e. ~0.15 m² across a 100 m plot (~1e-5 of 1.5 ha).
            for (code, a) in reference where a > p.areaHa * 1e-6 {
                #expect(
                    abs((got[code] ?? 0) - a) <= p.areaHa * 2e-5, "plot \(i) in \(code): \(got[code] ?? 0) vs GEOS \(a)"
                )
            }
            #expect(abs(got.values.reduce(0, +) + p.areaHa * fast.outside[i] - p.areaHa) <= p.areaHa * 1e-9)
        }
        // Most of these plots really cross a border.
        #expect(crossing > 200)
    }
}
