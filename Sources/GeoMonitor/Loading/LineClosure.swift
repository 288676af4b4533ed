internal import GDALKit

/// Lines that mean polygons (a project source's `lines_as_polygons: {tolerance_m: …}`): a parcel
/// a CAD sheet draws as a closed line string, a perimeter walked with a GPS that ends a few
/// metres from its start. Each part of a line geometry becomes a ring, closed by joining its ends
/// when they lie at most the tolerance apart (geodesic metres on WGS 84).
enum LineClosure {
    /// What became of one line geometry.
    struct Outcome: Sendable, Equatable {
        /// The polygon built, nil when a part's ends lie further apart than the tolerance (or a
        /// part has fewer than three distinct points): the geometry stays a line.
        var polygon: Geometry?
        /// The largest gap between a part's ends, in metres (0 for closed lines).
        var gapM: Double
    }

    /// Closes every part of `g` (a line geometry in WGS 84) within `toleranceM` metres.
    static func close(_ g: Geometry, toleranceM: Double, geod: Geodesic) -> Outcome {
        var rings: [Polygon] = []
        var worst = 0.0
        var closable = true
        for part in g.lines where !part.isEmpty {
            guard let first = part.first, let last = part.last else { continue }
            let gap = first == last ? 0 : geod.length([first, last])
            worst = max(worst, gap)
            var ring = part
            if gap > 0 { ring.append(first) }
            // A ring needs three distinct corners.
            var distinct: [Coordinate] = []
            for c in ring.dropLast() where !distinct.contains(c) {
                distinct.append(c)
                if distinct.count == 3 { break }
            }
            if gap > toleranceM || distinct.count < 3 {
                closable = false
                continue
            }
            rings.append(Polygon(exterior: ring, holes: []))
        }
        guard closable, !rings.isEmpty else { return Outcome(polygon: nil, gapM: worst) }
        return Outcome(polygon: rings.count == 1 ? .polygon(rings[0]) : .multiPolygon(rings), gapM: worst)
    }
}

extension LineClosure {
    /// One warning per source saying which projects' lines became polygons, with the gap closed
    /// for each, and which were kept as lines because their ends lay too far apart.
    /// - Parameter projects: the id and feature id of each project of the source.
    static func warning(
        _ outcomes: [Int64: Outcome], projects: [(id: String, fid: Int64)], source: String, layer: String
    ) -> Warning? {
        guard !outcomes.isEmpty else { return nil }
        var closed: [String] = []
        var kept: [String] = []
        for p in projects {
            guard let o = outcomes[p.fid] else { continue }
            if o.polygon != nil {
                closed.append(
                    o.gapM == 0 ? "\(p.id) (closed)" : "\(p.id) (gap of \(NumberText.fixed(o.gapM, 1)) m closed)")
            } else {
                kept.append("\(p.id) (ends \(NumberText.fixed(o.gapM, 1)) m apart)")
            }
        }
        guard !closed.isEmpty || !kept.isEmpty else { return nil }
        var message = "\(source): layer '\(layer)': "
        if !closed.isEmpty {
            message +=
                "\(closed.count) line(s) built into polygons (lines_as_polygons): \(closed.joined(separator: ", "))"
        }
        if !kept.isEmpty {
            message +=
                (closed.isEmpty ? "" : "; ")
                + "\(kept.count) line(s) kept as lines, their ends further apart than the tolerance: \(kept.joined(separator: ", "))"
        }
        return Warning(code: "lines-as-polygons", message)
    }
}
