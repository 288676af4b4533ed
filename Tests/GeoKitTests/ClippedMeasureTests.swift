import Foundation
import Testing

@testable import GeoKit

/// The area of a plot inside a region by boundary walking (`ClippedMeasure.area`, which visits
/// only the region edges near the plot) against clipping the region by the plot, written again
/// here (Sutherland–Hodgman: a convex window clips any polygon; its shoelace area is the area of
/// the intersection). Two regions split a 100 × 100 square along a zigzag border of 4,000
/// vertices, gridded at 64 cells a side (each boundary cell holds dozens of edges, most of them
/// clear of a small plot); 2,000 squares and tilted squares of 0.05–1 units on the border.
@Suite struct ClippedMeasureTests {
    /// The fractional part of k·α: a fixed, evenly spread sequence in [0, 1) for each irrational α.
    static func spread(_ k: Int, _ alpha: Double) -> Double { (Double(k) * alpha).truncatingRemainder(dividingBy: 1) }

    /// The border: y = 50 + a zigzag of amplitude 0.4 and period 0.05, plus a slow wave.
    static let border: [Coordinate] = (0...4000).map { k in
        let x = Double(k) * 0.025
        return Coordinate(x: x, y: 50 + (k % 2 == 0 ? 0.2 : -0.2) + 3 * sin(x / 7))
    }
    static let below = Polygon(exterior: [Coordinate(x: 0, y: 0), Coordinate(x: 100, y: 0)] + border.reversed())
    static let above = Polygon(exterior: border + [Coordinate(x: 100, y: 100), Coordinate(x: 0, y: 100)])

    /// `subject` clipped by the convex counter-clockwise `window`.
    static func clip(_ subject: [Coordinate], by window: [Coordinate]) -> [Coordinate] {
        var out = subject
        for i in window.indices {
            let a = window[i]
            let b = window[(i + 1) % window.count]
            func inside(_ p: Coordinate) -> Bool { (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0 }
            func cut(_ p: Coordinate, _ q: Coordinate) -> Coordinate {
                let d1 = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
                let d2 = (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x)
                let t = d1 / (d1 - d2)
                return Coordinate(x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t)
            }
            let input = out
            out = []
            for j in input.indices {
                let p = input[j]
                let q = input[(j + 1) % input.count]
                if inside(q) {
                    if !inside(p) { out.append(cut(p, q)) }
                    out.append(q)
                } else if inside(p) {
                    out.append(cut(p, q))
                }
            }
            if out.isEmpty { break }
        }
        return out
    }

    static func shoelace(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var s = 0.0
        for i in ring.indices {
            let p = ring[i]
            let q = ring[(i + 1) % ring.count]
            s += p.x * q.y - q.x * p.y
        }
        return abs(s) / 2
    }

    @Test func areaInsideMatchesClipping() throws {
        let grid = RegionGrid(regions: [[Self.below], [Self.above]], resolution: 64)
        var compared = 0
        for k in 1...2000 {
            let c = Self.border[Int(Self.spread(k, 0.618_033_988_75) * Double(Self.border.count - 1))]
            let side = 0.05 + Self.spread(k, 0.414_213_562_37) * 0.95
            let turn = k % 2 == 0 ? 0 : Self.spread(k, 0.732_050_807_57) * .pi / 2
            let centre = Coordinate(
                x: c.x + (Self.spread(k, 0.236_067_977_5) - 0.5) * side,
                y: c.y + (Self.spread(k, 0.645_751_311_06) - 0.5) * side)
            guard centre.x > 2, centre.x < 98 else { continue }
            // Counter-clockwise corners.
            let window = (0..<4).map { k -> Coordinate in
                let a = turn + Double(k) * .pi / 2 + .pi / 4
                return Coordinate(
                    x: centre.x + side / 2.squareRoot() * cos(a), y: centre.y + side / 2.squareRoot() * sin(a))
            }
            let plot = Polygon(exterior: window + [window[0]])
            for (region, polygon) in [(0, Self.below), (1, Self.above)] {
                // nil: a degenerate touch, left to GEOS by the caller.
                guard let walked = ClippedMeasure.area(of: plot, in: region, grid: grid) else { continue }
                let clipped = Self.shoelace(Self.clip(polygon.exterior, by: window))
                #expect(
                    abs(walked - clipped) <= 1e-9 * side * side, "region \(region), plot at \(centre), side \(side)")
                compared += 1
            }
        }
        #expect(compared > 3000)
    }
}
