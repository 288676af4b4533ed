import Foundation
import GeoKit
import Testing

/// The grid's point-in-region test (cell class, or even–odd along the row from the nearest cell
/// without edges) against even–odd over every edge of the region, written again here: star-shaped
/// regions (one with a hole, one of two parts) and two neighbours sharing a zigzag border, like
/// districts (regions never overlap); 40,000 random points, a coarse and a fine grid.
@Suite struct RegionGridTests {
    /// Even–odd over all rings: the reference.
    static func evenOdd(_ polys: [Polygon], _ p: Coordinate) -> Bool {
        var inside = false
        for poly in polys {
            for ring in poly.rings where ring.count >= 2 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[j]
                    let b = ring[i]
                    if (a.y > p.y) != (b.y > p.y), p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) {
                        inside.toggle()
                    }
                    j = i
                }
            }
        }
        return inside
    }

    static func star(_ cx: Double, _ cy: Double, _ r: Double, points: Int, phase: Double) -> [Coordinate] {
        (0...(2 * points)).map { k in
            let a = Double(k % (2 * points)) / Double(2 * points) * 2 * .pi + phase
            let rr = k % 2 == 0 ? r : r * 0.45
            return Coordinate(cx + rr * cos(a), cy + rr * sin(a))
        }
    }

    @Test(arguments: [16, 512])
    func rowParityMatchesEvenOdd(resolution: Int) {
        let hole = Array(Self.star(0, 0, 0.2, points: 5, phase: 0.3).reversed())
        let zigzag = (0...12).map { k in Coordinate(1.5 + Double(k) * 0.14, -1.3 + (k % 2 == 0 ? 0.08 : -0.08)) }
        let regions: [[Polygon]] = [
            [Polygon(exterior: Self.star(0, 0, 1, points: 7, phase: 0), holes: [hole])],
            [Polygon(exterior: Self.star(2.3, 0.3, 0.8, points: 9, phase: 0.1))],
            [
                Polygon(exterior: Self.star(0.2, -2.0, 0.7, points: 6, phase: 0.7)),
                Polygon(exterior: Self.star(-1.6, 1.6, 0.3, points: 4, phase: 0)),
            ],
            [
                Polygon(
                    exterior: [Coordinate(1.5, -2.5), Coordinate(3.18, -2.5)] + zigzag.reversed() + [
                        Coordinate(1.5, -2.5)
                    ])
            ],
            [Polygon(exterior: zigzag + [Coordinate(3.18, -0.7), Coordinate(1.5, -0.7), zigzag[0]])],
        ]
        let grid = RegionGrid(regions: regions, resolution: resolution)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func unit() -> Double {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) / Double(1 << 53)
        }
        var mismatches = 0
        var boundaryPoints = 0
        let edges = grid.edges
        for n in 0..<40_000 {
            // Half the points anywhere, half within 0.01 of a region edge (in boundary cells).
            let p: Coordinate
            if n % 2 == 0 {
                p = Coordinate(-2.2 + unit() * 5.6, -2.9 + unit() * 4.4)
            } else {
                let e = edges[min(edges.count - 1, Int(unit() * Double(edges.count)))]
                let t = unit()
                p = Coordinate(
                    e.a.x + (e.b.x - e.a.x) * t + (unit() - 0.5) * 0.02,
                    e.a.y + (e.b.y - e.a.y) * t + (unit() - 0.5) * 0.02)
            }
            if grid.cell(at: p) == .boundary { boundaryPoints += 1 }
            for r in regions.indices where grid.contains(region: r, p) != Self.evenOdd(regions[r], p) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(boundaryPoints > 10_000, "the test must exercise boundary cells (\(boundaryPoints))")
    }

    /// Every cell no edge crosses is classed by even–odd at its centre: inside the region that
    /// contains the centre, the one of lowest priority where regions overlap (a square over two
    /// stars and a hole; priorities reversed), outside when none does.
    @Test(arguments: [64, 301])
    func interiorCellsMatchEvenOddAtTheirCentres(resolution: Int) {
        let regions: [[Polygon]] = [
            [Polygon(exterior: Self.star(0, 0, 1, points: 7, phase: 0))],
            [Polygon(exterior: Self.star(1.4, 0.3, 0.8, points: 9, phase: 0.1))],
            [
                Polygon(
                    exterior: [
                        Coordinate(-0.3, -0.6), Coordinate(1.6, -0.6), Coordinate(1.6, 0.5), Coordinate(-0.3, 0.5),
                        Coordinate(-0.3, -0.6),
                    ], holes: [Array(Self.star(0.6, 0, 0.25, points: 5, phase: 0.3).reversed())])
            ],
        ]
        let priority = [2, 1, 0]
        let grid = RegionGrid(regions: regions, resolution: resolution, priority: priority)
        let w = grid.bounds.width / Double(grid.nx)
        let h = grid.bounds.height / Double(grid.ny)
        var checked = 0
        var shared = 0
        for r in 0..<grid.ny {
            for c in 0..<grid.nx {
                let p = Coordinate(grid.bounds.minX + (Double(c) + 0.5) * w, grid.bounds.minY + (Double(r) + 0.5) * h)
                let holders = regions.indices.filter { Self.evenOdd(regions[$0], p) }
                let expected = holders.min { priority[$0] < priority[$1] }
                switch grid.cell(at: p) {
                case .boundary: continue
                case .outside: #expect(expected == nil, "cell \(r), \(c)")
                case .inside(let i): #expect(i == expected, "cell \(r), \(c)")
                }
                checked += 1
                if holders.count > 1 { shared += 1 }
            }
        }
        #expect(checked > resolution * resolution / 3)
        #expect(shared > 0, "the test must exercise overlapping regions")
        #expect(grid.overlapping == [0, 1, 2])
    }
}
