import Foundation
import GDALKit
import TestSupport
import Testing

@testable import GeoMonitor

/// Maps project their plots in one batch on all cores (PROJ-checked patches). Against PROJ run
/// geometry by geometry, 1,500 plots scattered over GeoData's province land within 1 mm.
@Suite struct MapProjectionTests {
    @Test func batchProjectionMatchesPROJWithinAMillimetre() throws {
        let projection = try MapProjection(workingCRS: "EPSG:5899", around: Coordinate(108.2, 11.7))
        var rng = XorShift(seed: 11)
        let plots: [Geometry] = (0..<1_500).map { _ in
            let cx = 107.6 + rng.unit * 1.2
            let cy = 11.3 + rng.unit * 0.9
            let r = 0.0005 + rng.unit * 0.002
            return .polygon(
                Polygon(
                    exterior: (0...10).map { k in
                        let a = Double(k % 10) / 10 * 2 * .pi
                        return Coordinate(cx + r * cos(a), cy + r * sin(a))
                    }))
        }
        let batch = try projection.project(plots)
        #expect(batch.count == plots.count)
        var worst = 0.0
        for (a, g) in zip(batch, plots) {
            let exact = try projection.project(g)
            for (p, q) in zip(a.polygons[0].exterior, exact.polygons[0].exterior) {
                worst = max(worst, abs(p.x - q.x), abs(p.y - q.y))
            }
        }
        #expect(worst <= 1e-3, "largest difference \(worst) m")
        #expect(worst > 0, "the batch went through the patches, not PROJ vertex by vertex")
    }
}
