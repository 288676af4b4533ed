import Foundation
internal import GDALKit

extension MapRenderer.Context {
    struct Label {
        var code: String
        var name: String
        var figure: String?
        var x: Double
        var y: Double
        var leader: Coordinate?
        var context: Bool
    }

    /// Places one label per locality at its pole of inaccessibility when it fits and collides with
    /// nothing placed before; otherwise beside the polygon with a leader line. Larger localities first.
    func labels(pageLocs: [Geometry], simple: [[Coordinate]], ringOwners: [[Int]], progress: TargetProgress?, focus: Locality?, used: BoundingBox) -> [Label] {
        let dir = r.dataset.localities
        var placed: [BoundingBox] = []
        var out: [Label] = []
        let order = dir.all.indices.filter { !ringOwners[$0].isEmpty }.sorted { dir.all[$0].areaHa > dir.all[$1].areaHa }
        let fs = style.labelSize
        for i in order {
            let l = dir.all[i]
            // The largest polygon part, clipped to the visible frame (neighbours on a locality map).
            var parts = pageLocs[i].polygons
            if let b = pageLocs[i].bounds, !used.contains(b),
               let clip = try? OGRGeometry(.polygon(Polygon(exterior: used.ring))),
               let clipped = try? OGRGeometry(pageLocs[i]).intersection(clip).value() {
                parts = clipped.polygons
            }
            guard let biggest = parts.max(by: { Planar.area($0) < Planar.area($1) }) else { continue }
            let (pole, radius) = PoleOfInaccessibility.find(biggest, precision: 1)
            guard used.contains(pole) else { continue }
            var figure: String? = nil
            if let p = progress, let lp = p.localities.first(where: { $0.code == l.code }), focus == nil || focus?.code == l.code {
                figure = lp.percent.map { lang.number($0, 0) + " %" } ?? (lang.number(lp.achieved, lp.achieved < 10 ? 1 : 0) + " " + lang.unit(p.target.unit))
            }
            let isContext = focus != nil && focus?.code != l.code
            let lines = figure == nil ? 1.0 : 2.0
            let w = Double(max(l.name.count, figure?.count ?? 0)) * fs * 0.6 + 4
            let h = fs * 1.15 * lines + 2
            func box(_ x: Double, _ y: Double) -> BoundingBox {
                BoundingBox(minX: x - w / 2, minY: y - fs, maxX: x + w / 2, maxY: y - fs + h)
            }
            let y0 = pole.y + fs * 0.35 - (lines - 1) * fs * 0.55
            let inside = box(pole.x, y0)
            let fits = radius * 2.2 >= min(w, h * 2) && radius >= h * 0.45
            if fits && !placed.contains(where: { $0.intersects(inside) }) && used.contains(inside) {
                placed.append(inside)
                out.append(Label(code: l.code, name: l.name, figure: figure, x: pole.x, y: y0, leader: nil, context: isContext))
                continue
            }
            // Context labels are never moved away from their polygon.
            if isContext {
                if radius >= h * 0.45 && !placed.contains(where: { $0.intersects(inside) }) && used.contains(inside) {
                    placed.append(inside)
                    out.append(Label(code: l.code, name: l.name, figure: figure, x: pole.x, y: y0, leader: nil, context: true))
                }
                continue
            }
            // Outside: try positions around the pole, nearest first.
            var done = false
            for dist in [radius + h, radius + h * 2, radius + h * 3.5] where !done {
                for angle in stride(from: -90.0, to: 270.0, by: 45.0) {
                    let a = angle * .pi / 180
                    let x = pole.x + cos(a) * (dist + w / 2), y = pole.y + sin(a) * dist
                    let b = box(x, y)
                    if used.contains(b) && !placed.contains(where: { $0.intersects(b) }) {
                        placed.append(b)
                        out.append(Label(code: l.code, name: l.name, figure: figure, x: x, y: y, leader: pole, context: isContext))
                        done = true
                        break
                    }
                }
            }
        }
        return out
    }
}
