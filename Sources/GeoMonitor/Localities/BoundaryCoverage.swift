import Foundation
internal import GDALKit
import GeoKit

/// Overlaps between the localities of a boundary file and gaps enclosed by them, as warnings.
///
/// Boundary files from different sources overlap and leave gaps along shared borders. A plot in
/// an overlap counts once, in the locality ``SpatialAssignment/precedence(_:)`` puts first; a
/// plot in a gap counts in no locality. Both are found by a `CoverageScan` of the localities in
/// the equal-area plane (2,048 scanlines); the 32 largest overlaps are then measured exactly (GEOS
/// intersection, geodesic area), the others and the gaps keep the scan's estimate. Anything under the manifest's
/// `localities.sliver_ha` (default 5 ha) is boundary noise and not reported.
enum BoundaryCoverage {
    /// Warnings `boundary-overlap` and `boundary-gap`, naming the localities, the hectares, a
    /// point inside and the rule that settles plots there.
    /// - Parameter planar: the localities' polygons in the equal-area plane (``LocalityIndex/planar(_:)``).
    static func warnings(_ localities: [Locality], planar: [[Polygon]], sliverHa: Double, source: String) -> [Warning] {
        guard localities.count > 1 else { return [] }
        let scan = CoverageScan(regions: planar)
        let haPerUnit = EqualAreaPlane.squareMetresPerUnit / 10_000
        let rank = SpatialAssignment.precedence(localities)
        let geod = Geodesic.wgs84
        func name(_ i: Int) -> String { "\(localities[i].code) \(localities[i].name)" }
        func place(_ c: Coordinate) -> String {
            let p = EqualAreaPlane.inverse(c)
            return "near \(NumberText.fixed(p.x, 4)), \(NumberText.fixed(p.y, 4))"
        }
        var out: [Warning] = []
        // The scan's estimate picks the pairs; GEOS measures the 32 largest (on detailed borders
        // one intersection costs tens of milliseconds), the others keep the estimate ("≈").
        let flagged = scan.overlaps.filter { $0.area * haPerUnit >= sliverHa / 2 }.sorted { $0.area > $1.area }
        // Each locality's GEOS geometry built once, however many pairs it is in.
        var built: [Int: OGRGeometry] = [:]
        func ogr(_ i: Int) -> OGRGeometry? {
            if let g = built[i] { return g }
            let g = try? OGRGeometry(localities[i].geometry)
            built[i] = g
            return g
        }
        for (k, o) in flagged.enumerated() {
            var ha = o.area * haPerUnit
            var approx = "≈ "
            if k < 32, let a = ogr(o.a), let b = ogr(o.b),
                let piece = try? a.intersection(b).value()
            {
                ha = geod.area(piece) / 10_000
                approx = ""
            }
            guard ha >= sliverHa else { continue }
            let winner = rank[o.a] < rank[o.b] ? o.a : o.b
            out.append(
                Warning(
                    code: "boundary-overlap",
                    "\(source): localities \(name(o.a)) and \(name(o.b)) overlap by \(approx)\(NumberText.fixed(ha, 1)) ha (\(place(o.point))); a project there counts once, in \(name(winner)) (the code that sorts first)"
                ))
        }
        for g in scan.gaps where g.area * haPerUnit >= sliverHa {
            let around = g.regions.filter { $0 >= 0 }.map(name).joined(separator: ", ")
            out.append(
                Warning(
                    code: "boundary-gap",
                    "\(source): a gap of ≈ \(NumberText.fixed(g.area * haPerUnit, 1)) ha that no locality covers, between \(around) (\(place(g.point))); a project there counts in no locality"
                ))
        }
        return out
    }
}
