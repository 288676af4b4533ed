import Foundation
import GeoMonitor

/// An error answered as `{"code": …, "description": …}` with an HTTP status.
struct APIError: Error, Sendable {
    var status: Int
    var code: String
    var description: String
    init(_ status: Int, _ code: String, _ description: String) { self.status = status; self.code = code; self.description = description }

    static func badRequest(_ d: String) -> APIError { APIError(400, "InvalidParameterValue", d) }
    static func notFound(_ d: String) -> APIError { APIError(404, "NotFound", d) }

    var json: String {
        JSONValue.object([("code", .string(code)), ("description", .string(description))]).serialized() + "\n"
    }
}

/// A `datetime` parameter: a day or an interval with open (`..` or empty) ends. Instants with a
/// time part are taken at their day.
struct DayInterval: Sendable, Equatable {
    var start: Day?
    var end: Day?

    static func parse(_ s: String) throws -> DayInterval {
        func day(_ t: Substring) throws -> Day? {
            let v = t.trimmingCharacters(in: .whitespaces)
            if v.isEmpty || v == ".." { return nil }
            guard let d = Day(iso: v), v.count == 10 || v.dropFirst(10).first == "T" || v.dropFirst(10).first == "t" else {
                throw APIError.badRequest("datetime: '\(v)' is not a date (YYYY-MM-DD or RFC 3339)")
            }
            return d
        }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let d = try day(parts[0]) else { throw APIError.badRequest("datetime: '\(s)' is not a date or an interval") }
            return DayInterval(start: d, end: d)
        case 2:
            let a = try day(parts[0]), b = try day(parts[1])
            if a == nil && b == nil && !(parts[0] == ".." || parts[1] == "..") {
                throw APIError.badRequest("datetime: '\(s)' has no bound")
            }
            if let a, let b, a > b { throw APIError.badRequest("datetime: start \(a) is after end \(b)") }
            return DayInterval(start: a, end: b)
        default:
            throw APIError.badRequest("datetime: '\(s)' is not a date or an interval a/b")
        }
    }

    func contains(_ d: Day) -> Bool {
        if let start, d < start { return false }
        if let end, d > end { return false }
        return true
    }
}

/// Exact intersection of a WGS 84 geometry with a longitude/latitude box (planar, in degrees,
/// as OGC API – Features' `bbox` is defined): a point inside, a segment crossing, or the box
/// inside a polygon.
enum BoxFilter {
    static func intersects(_ g: Geometry, _ box: BoundingBox) -> Bool {
        guard let b = g.bounds, b.intersects(box) else { return false }
        if box.contains(b) { return true }
        switch g {
        case .point(let c): return box.contains(c)
        case .multiPoint(let cs): return cs.contains { box.contains($0) }
        case .lineString(let cs): return lineHits(cs, box)
        case .multiLineString(let ls): return ls.contains { lineHits($0, box) }
        case .polygon(let p): return polygonHits(p, box)
        case .multiPolygon(let ps): return ps.contains { polygonHits($0, box) }
        case .collection(let gs): return gs.contains { intersects($0, box) }
        }
    }

    static func polygonHits(_ p: Polygon, _ box: BoundingBox) -> Bool {
        for r in p.rings {
            var ring = r
            if let f = ring.first, f != ring.last { ring.append(f) }
            if lineHits(ring, box) { return true }
        }
        // No edge meets the box: either the box lies inside the polygon, or they are disjoint.
        return Containment.polygonContains(p, box.center)
    }

    static func lineHits(_ cs: [Coordinate], _ box: BoundingBox) -> Bool {
        if cs.count == 1 { return box.contains(cs[0]) }
        for i in 1..<max(cs.count, 1) where segmentHits(cs[i - 1], cs[i], box) { return true }
        return false
    }

    /// Liang–Barsky: does the segment a–b meet the closed box?
    static func segmentHits(_ a: Coordinate, _ b: Coordinate, _ box: BoundingBox) -> Bool {
        if box.contains(a) || box.contains(b) { return true }
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return false }; if r > t0 { t0 = r } }
                else { if r < t0 { return false }; if r < t1 { t1 = r } }
            }
        }
        return t0 <= t1
    }
}

/// The query of `/collections/{id}/items`, parsed and checked.
struct ItemsQuery: Sendable {
    static let defaultLimit = 100
    static let maxLimit = 10_000

    var limit = defaultLimit
    var offset = 0
    var bbox: BoundingBox?
    var datetime: DayInterval?
    var kinds: Set<ProjectKind> = []
    var statuses: Set<ProjectStatus> = []
    /// The locality asked for, resolved to its code.
    var district: String?
    var target: String?
    var asOf: Day?

    /// Query parameters each collection accepts (others are a 400, as OGC API – Features asks).
    static func allowed(for collection: String) -> Set<String> {
        var s: Set<String> = ["f", "bbox", "bbox-crs", "limit", "offset", "datetime", "district"]
        switch collection {
        case "projects": s.formUnion(["kind", "status"])
        case "progress": s.formUnion(["target", "as_of"])
        default: break
        }
        return s
    }

    static func parse(_ params: [(String, String)], collection: String, localities: LocalityDirectory) throws -> ItemsQuery {
        var q = ItemsQuery()
        let allowed = allowed(for: collection)
        var seen = Set<String>()
        for (k, v) in params {
            guard allowed.contains(k) else {
                throw APIError.badRequest("unknown query parameter '\(k)' for collection '\(collection)'; allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            if seen.contains(k) && k != "kind" && k != "status" { throw APIError.badRequest("parameter '\(k)' given more than once") }
            seen.insert(k)
            switch k {
            case "f":
                guard ["json", "geojson"].contains(v.lowercased()) else { throw APIError.badRequest("f: '\(v)' is not supported here; use json") }
            case "limit":
                guard let n = Int(v.trimmingCharacters(in: .whitespaces)), n >= 1 else { throw APIError.badRequest("limit: '\(v)' is not a positive integer") }
                guard n <= maxLimit else { throw APIError.badRequest("limit: \(n) exceeds the maximum of \(maxLimit)") }
                q.limit = n
            case "offset":
                guard let n = Int(v.trimmingCharacters(in: .whitespaces)), n >= 0 else { throw APIError.badRequest("offset: '\(v)' is not an integer ≥ 0") }
                q.offset = n
            case "bbox":
                let parts = v.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 4, parts.allSatisfy({ $0?.isFinite == true }) else {
                    throw APIError.badRequest("bbox: expected 4 numbers minLon,minLat,maxLon,maxLat, got '\(v)'")
                }
                let n = parts.map { $0! }
                guard (-180...180).contains(n[0]), (-180...180).contains(n[2]), (-90...90).contains(n[1]), (-90...90).contains(n[3]) else {
                    throw APIError.badRequest("bbox: '\(v)' is not longitude/latitude in degrees (lon −180…180, lat −90…90)")
                }
                guard n[1] <= n[3] else { throw APIError.badRequest("bbox: minLat exceeds maxLat in '\(v)'") }
                guard n[0] <= n[2] else { throw APIError.badRequest("bbox: boxes crossing the antimeridian (minLon > maxLon) are not supported") }
                q.bbox = BoundingBox(minX: n[0], minY: n[1], maxX: n[2], maxY: n[3])
            case "bbox-crs":
                guard v == "http://www.opengis.net/def/crs/OGC/1.3/CRS84" else {
                    throw APIError.badRequest("bbox-crs: only http://www.opengis.net/def/crs/OGC/1.3/CRS84 is supported")
                }
            case "datetime":
                q.datetime = try DayInterval.parse(v)
            case "kind":
                for s in v.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !s.isEmpty {
                    guard let k = ProjectKind(rawValue: s) else { throw APIError.badRequest("kind: unknown kind '\(s)'; kinds: \(ProjectKind.vocabulary)") }
                    q.kinds.insert(k)
                }
            case "status":
                for s in v.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !s.isEmpty {
                    guard let k = ProjectStatus(rawValue: s) else { throw APIError.badRequest("status: unknown status '\(s)'; statuses: \(ProjectStatus.vocabulary)") }
                    q.statuses.insert(k)
                }
            case "district":
                do { q.district = try localities.find(v).code } catch let e as GeoMonitorError {
                    throw APIError.badRequest("district: \(e.message)")
                }
            case "target":
                q.target = v
            case "as_of":
                guard let d = Day(iso: v), v.trimmingCharacters(in: .whitespaces).count == 10 else { throw APIError.badRequest("as_of: '\(v)' is not a date YYYY-MM-DD") }
                q.asOf = d
            default: break
            }
        }
        return q
    }

    /// Does a feature pass every filter (not the paging)?
    func admits(_ f: RenderedFeature, temporal: Bool) -> Bool {
        if !kinds.isEmpty { guard let k = f.kind, kinds.contains(k) else { return false } }
        if !statuses.isEmpty { guard let s = f.status, statuses.contains(s) else { return false } }
        if let district, !f.localityCodes.contains(district) { return false }
        if temporal, let datetime { guard let d = f.date, datetime.contains(d) else { return false } }
        if let bbox { guard let g = f.geometry, BoxFilter.intersects(g, bbox) else { return false } }
        return true
    }

    var hasFilter: Bool { bbox != nil || datetime != nil || !kinds.isEmpty || !statuses.isEmpty || district != nil }
}
