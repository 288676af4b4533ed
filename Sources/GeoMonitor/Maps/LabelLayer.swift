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
        /// Set for a unit too small for its name: the label is this number, the name is in the key.
        var number: Int? = nil
    }

    /// A unit numbered on the map, listed in the key table.
    struct KeyEntry {
        var number: Int
        var code: String
        var name: String
        var figure: String?
    }

    /// Where the scale bar and the north arrow sit inside the map frame: labels keep out.
    func furnitureBoxes(_ used: BoundingBox) -> [BoundingBox] {
        [
            BoundingBox(
                minX: used.minX, minY: used.maxY - 36, maxX: used.minX + used.width * 0.22 + 50, maxY: used.maxY),
            BoundingBox(minX: used.maxX - 38, minY: used.minY, maxX: used.maxX - 6, maxY: used.minY + 44),
        ]
    }

    /// Places one label per locality, larger localities first:
    /// 1. at its pole of inaccessibility when the name (and figure) fits inside and collides with nothing;
    /// 2. else close beside it with a leader line, when the label collides with no label, leader or
    ///    map furniture and the leader crosses no other leader and no label;
    /// 3. else the unit gets a number — inside it, or beside it on a short leader under the same
    ///    rules — and its name goes to the key table; a unit whose number finds no room is listed in
    ///    the key as not placed rather than drawn over something.
    func labels(
        pageLocs: [Geometry], simple: [[Coordinate]], ringOwners: [[Int]], progress: TargetProgress?, focus: Locality?,
        used: BoundingBox
    ) -> (labels: [Label], key: [KeyEntry]) {
        let dir = r.dataset.localities
        var placed: [BoundingBox] = furnitureBoxes(used)
        var leaders: [(Coordinate, Coordinate)] = []
        var out: [Label] = []
        var key: [KeyEntry] = []
        let order = dir.all.indices.filter { !ringOwners[$0].isEmpty }.sorted {
            dir.all[$0].areaHa > dir.all[$1].areaHa
        }
        let fs = style.labelSize
        let numberSize = fs * 0.82
        var pending: [(i: Int, pole: Coordinate, radius: Double, figure: String?)] = []
        var unitParts: [Int: Polygon] = [:]
        /// When `pole` lies under the map furniture or a label already placed: the interior point
        /// of `part` farthest from them (a 11 × 11 sample), if any.
        func clearAnchor(_ part: Polygon, _ pole: Coordinate) -> Coordinate? {
            guard placed.contains(where: { $0.contains(pole) }) else { return nil }
            let g = Geometry.polygon(part)
            guard let bb = g.bounds else { return nil }
            var best: (Coordinate, Double)? = nil
            for i in 1..<12 {
                for j in 1..<12 {
                    let c = Coordinate(bb.minX + bb.width * Double(i) / 12, bb.minY + bb.height * Double(j) / 12)
                    guard used.contains(c), Containment.contains(g, c), !placed.contains(where: { $0.contains(c) })
                    else { continue }
                    let clearance =
                        placed.map { b in max(b.minX - c.x, c.x - b.maxX, b.minY - c.y, c.y - b.maxY, 0) }.min()
                        ?? .infinity
                    if best.map({ clearance > $0.1 }) ?? true { best = (c, clearance) }
                }
            }
            return best?.0
        }

        func free(_ b: BoundingBox) -> Bool {
            used.contains(b) && !placed.contains { $0.intersects(b) }
                && !leaders.contains { Self.segment($0.0, $0.1, hits: b) }
        }
        /// A leader from `a` to `b` crossing no leader and no label (its own label excepted).
        func clearLeader(_ a: Coordinate, _ b: Coordinate, own: BoundingBox) -> Bool {
            !leaders.contains { Self.segmentsCross(a, b, $0.0, $0.1) }
                && !placed.contains { $0 != own && Self.segment(a, b, hits: $0.expanded(by: -0.5)) }
        }

        for i in order {
            let l = dir.all[i]
            // The largest polygon part, clipped to the visible frame (neighbours on a locality map).
            var parts = pageLocs[i].polygons
            if let b = pageLocs[i].bounds, !used.contains(b),
                let clip = try? OGRGeometry(.polygon(Polygon(exterior: used.ring))),
                let clipped = try? OGRGeometry(pageLocs[i]).intersection(clip).value()
            {
                parts = clipped.polygons
            }
            guard let biggest = parts.max(by: { Planar.area($0) < Planar.area($1) }) else { continue }
            var (pole, radius) = PoleOfInaccessibility.find(biggest, precision: 1)
            guard used.contains(pole) else { continue }
            if let moved = clearAnchor(biggest, pole) {
                pole = moved
                radius = min(radius, 2)
            }
            var figure: String? = nil
            if let p = progress, let lp = p.localities.first(where: { $0.code == l.code }),
                focus == nil || focus?.code == l.code
            {
                // Whole percents, but never rounded across a class break (99.6 % is not "100 %").
                figure =
                    lp.percent.map { v in
                        let crosses = style.progressClass(v) != style.progressClass(v.rounded())
                        return lang.number(v, crosses ? 1 : 0) + " %"
                    }
                    ?? (lang.number(
                        lp.achieved,
                        ProgressOutput.isWhole(unit: p.target.unit) ? 0 : (lp.achieved < 10 ? 1 : 0))
                        + " " + lang.unit(p.target.unit))
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
            if fits && free(inside) {
                placed.append(inside)
                out.append(
                    Label(code: l.code, name: l.name, figure: figure, x: pole.x, y: y0, leader: nil, context: isContext)
                )
                continue
            }
            // Context labels are never moved away from their polygon.
            if isContext {
                if radius >= h * 0.45 && free(inside) {
                    placed.append(inside)
                    out.append(
                        Label(code: l.code, name: l.name, figure: figure, x: pole.x, y: y0, leader: nil, context: true))
                }
                continue
            }
            unitParts[i] = biggest
            pending.append((i, pole, radius, figure))
        }

        // Units whose name does not fit inside first reserve room for a number at their pole, so
        // names moved beside their polygons do not cover the small units around them.
        let numberW = 3 * numberSize * 0.62 + 3
        let numberH = numberSize * 1.15 + 1
        func numberBox(_ x: Double, _ y: Double) -> BoundingBox {
            BoundingBox(
                minX: x - numberW / 2, minY: y - numberSize, maxX: x + numberW / 2, maxY: y - numberSize + numberH)
        }
        var reserved: [Int: BoundingBox] = [:]
        for u in pending {
            let b = numberBox(u.pole.x, u.pole.y + numberSize * 0.35)
            if free(b) {
                reserved[u.i] = b
                placed.append(b)
            }
        }
        // Then the names beside their polygons, on a leader, where they collide with nothing.
        var numbered: [(i: Int, pole: Coordinate, radius: Double, figure: String?)] = []
        for u in pending {
            let l = dir.all[u.i]
            let lines = u.figure == nil ? 1.0 : 2.0
            let w = Double(max(l.name.count, u.figure?.count ?? 0)) * fs * 0.6 + 4
            let h = fs * 1.15 * lines + 2
            if let own = reserved[u.i], let k = placed.firstIndex(of: own) { placed.remove(at: k) }
            var done = false
            for dist in [u.radius + h, u.radius + h * 2, u.radius + h * 3] where !done {
                for angle in stride(from: -90.0, to: 270.0, by: 30.0) {
                    let a = angle * .pi / 180
                    let x = u.pole.x + cos(a) * (dist + w / 2)
                    let y = u.pole.y + sin(a) * dist
                    let b = BoundingBox(minX: x - w / 2, minY: y - fs, maxX: x + w / 2, maxY: y - fs + h)
                    let end = Coordinate(x, y - fs * 0.35)
                    if free(b) && clearLeader(u.pole, end, own: b) {
                        placed.append(b)
                        leaders.append((u.pole, end))
                        out.append(
                            Label(
                                code: l.code, name: l.name, figure: u.figure, x: x, y: y, leader: u.pole, context: false
                            ))
                        done = true
                        break
                    }
                }
            }
            if done {
                reserved[u.i] = nil
            } else {
                if let own = reserved[u.i] { placed.append(own) }
                numbered.append(u)
            }
        }

        // Numbers, in reading order (north to south, west to east) so the key is easy to follow:
        // in the room reserved at the pole, else beside the unit on a short leader.
        numbered.sort { ($0.pole.y, $0.pole.x) < ($1.pole.y, $1.pole.x) }
        for (n, var u) in numbered.enumerated() {
            let l = dir.all[u.i]
            if reserved[u.i] == nil, let part = unitParts[u.i], let moved = clearAnchor(part, u.pole) {
                u.pole = moved
                u.radius = min(u.radius, 2)
            }
            let number = n + 1
            let text = String(number)
            key.append(KeyEntry(number: number, code: l.code, name: l.name, figure: u.figure))
            if reserved[u.i] != nil {
                out.append(
                    Label(
                        code: l.code, name: text, figure: nil, x: u.pole.x, y: u.pole.y + numberSize * 0.35,
                        leader: nil, context: false, number: number))
                continue
            }
            var spot: (Double, Double)? = nil
            search: for dist in [
                u.radius + numberH, u.radius + numberH * 1.8, u.radius + numberH * 2.8, u.radius + numberH * 4,
                u.radius + numberH * 6, u.radius + numberH * 8, u.radius + numberH * 11,
            ] {
                for angle in stride(from: -90.0, to: 270.0, by: 20.0) {
                    let a = angle * .pi / 180
                    let x = u.pole.x + cos(a) * (dist + numberW / 2)
                    let y = u.pole.y + sin(a) * dist
                    let b = numberBox(x, y)
                    if free(b) && clearLeader(u.pole, Coordinate(x, y - numberSize * 0.35), own: b) {
                        spot = (x, y)
                        break search
                    }
                }
            }
            guard let spot else { continue }
            placed.append(numberBox(spot.0, spot.1))
            leaders.append((u.pole, Coordinate(spot.0, spot.1 - numberSize * 0.35)))
            out.append(
                Label(
                    code: l.code, name: text, figure: nil, x: spot.0, y: spot.1, leader: u.pole, context: false,
                    number: number))
        }
        return (out, key)
    }

    /// True when segment a–b passes through box `b` (or ends in it).
    static func segment(_ a: Coordinate, _ b: Coordinate, hits box: BoundingBox) -> Bool {
        if box.contains(a) || box.contains(b) { return true }
        let corners = [
            Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.minY), Coordinate(box.maxX, box.maxY),
            Coordinate(box.minX, box.maxY),
        ]
        for k in 0..<4 where segmentsCross(a, b, corners[k], corners[(k + 1) % 4]) { return true }
        return false
    }

    /// True when segments p1–p2 and q1–q2 intersect (touching counts).
    static func segmentsCross(_ p1: Coordinate, _ p2: Coordinate, _ q1: Coordinate, _ q2: Coordinate) -> Bool {
        func orient(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
            (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        }
        let d1 = orient(q1, q2, p1)
        let d2 = orient(q1, q2, p2)
        let d3 = orient(p1, p2, q1)
        let d4 = orient(p1, p2, q2)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        func on(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, _ d: Double) -> Bool {
            d == 0 && min(a.x, b.x) <= c.x && c.x <= max(a.x, b.x) && min(a.y, b.y) <= c.y && c.y <= max(a.y, b.y)
        }
        return on(q1, q2, p1, d1) || on(q1, q2, p2, d2) || on(p1, p2, q1, d3) || on(p1, p2, q2, d4)
    }
}
