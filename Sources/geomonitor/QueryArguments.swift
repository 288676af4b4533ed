import Foundation
import GeoMonitor

/// The text of `geomonitor query`'s options, parsed into a ``ProjectQuery``.
enum QueryArguments {
    /// A query from the options as typed.
    /// - Parameters:
    ///   - district: a locality name or code, kept as typed (resolved when the query runs).
    ///   - bbox: `minLon,minLat,maxLon,maxLat` (or with heights) in WGS 84 degrees; minLon > maxLon crosses the antimeridian.
    ///   - within: the path of a file GDAL reads whose polygons (in any declared CRS) the projects must meet.
    ///   - near: `LON,LAT` in WGS 84 degrees; needs `radius`.
    ///   - radius: a distance: `500m`, `5km`, `5 km`, or a bare number of kilometres.
    ///   - kinds: canonical kind names (`ProjectKind` raw values).
    ///   - statuses: canonical status names (`ProjectStatus` raw values).
    /// - Throws: `GeoMonitorError` of kind `.usage` with the option as key (`--bbox`, `--radius` …)
    ///   for malformed or out-of-range text; `.source`, `.crs` or `.geometry` (with the file) when
    ///   the `within` file cannot be read or holds no polygon.
    static func query(
        district: String?, bbox: String?, within: String?, near: String?, radius: String?,
        kinds: [String], statuses: [String]
    ) throws -> ProjectQuery {
        var q = ProjectQuery(locality: district)
        if let bbox { q.bbox = try parseBBox(bbox, key: "--bbox") }
        if let within { q.within = try ProjectQuery.polygons(inFile: within) }
        if let near {
            let c = try parsePoint(near, key: "--near")
            guard let radius else { throw GeoMonitorError(.usage, key: "--radius", "--near needs --radius (e.g. 5km)") }
            q.near = (c, try parseDistance(radius))
        } else if radius != nil {
            throw GeoMonitorError(.usage, key: "--radius", "--radius needs --near LON,LAT")
        }
        q.kinds = try Self.values(kinds, key: "--kind", word: "kind", plural: "kinds", ProjectKind.vocabulary)
        q.statuses = try Self.values(
            statuses, key: "--status", word: "status", plural: "statuses", ProjectStatus.vocabulary)
        return q
    }

    /// The canonical values named on the command line, or a usage error naming the option and
    /// listing the vocabulary (`unknown kind 'x'; kinds: …`).
    static func values<T: RawRepresentable & Hashable>(
        _ raw: [String], key: String, word: String, plural: String, _ vocabulary: String
    ) throws -> Set<T> where T.RawValue == String {
        Set(
            try raw.map { s in
                guard let v = T(rawValue: s) else {
                    throw GeoMonitorError(.usage, key: key, "unknown \(word) '\(s)'; \(plural): \(vocabulary)")
                }
                return v
            })
    }

    /// A box by the rules of OGC API – Features' `bbox` (`LonLatBox(parsing:)`: 4 or 6
    /// numbers, west > east crosses the antimeridian); spaces around the numbers are allowed.
    static func parseBBox(_ s: String, key: String) throws -> LonLatBox {
        let text = s.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.joined(separator: ",")
        let box: LonLatBox
        do {
            box = try LonLatBox(parsing: text)
        } catch {
            switch error {
            case .notNumbers:
                throw GeoMonitorError(
                    .usage, key: key, "expected minLon,minLat,maxLon,maxLat (or 6 numbers with heights), got '\(s)'")
            case .heightsReversed:
                throw GeoMonitorError(.usage, key: key, "minHeight must not exceed maxHeight in '\(s)'")
            case .notDegrees:
                throw GeoMonitorError(
                    .usage, key: key, "'\(s)' is not longitude/latitude in degrees (lon −180…180, lat −90…90)")
            case .latitudesReversed: throw GeoMonitorError(.usage, key: key, "min must not exceed max in '\(s)'")
            }
        }
        // West > east is a box across the antimeridian (OGC API's rule, kept); one wider than
        // half the Earth is nearly always two longitudes typed the wrong way round.
        if box.west > box.east, 360 - (box.west - box.east) > 180 {
            let wide = NumberText.fixed(360 - (box.west - box.east), 1)
            throw GeoMonitorError(
                .usage, key: key,
                "'\(s)': minLon \(box.west) > maxLon \(box.east) makes a box across the antimeridian \(wide)° wide; swap the longitudes for \(box.east)…\(box.west) (a box that really crosses 180° is narrower than half the Earth)"
            )
        }
        return box
    }

    /// `LON,LAT` in degrees.
    static func parsePoint(_ s: String, key: String) throws -> Coordinate {
        let parts = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lon = parts[0], let lat = parts[1], lon.isFinite, lat.isFinite else {
            throw GeoMonitorError(.usage, key: key, "expected LON,LAT, got '\(s)'")
        }
        guard (-180...180).contains(lon), (-90...90).contains(lat) else {
            throw GeoMonitorError(.usage, key: key, "'\(s)' is not LON,LAT in degrees")
        }
        return Coordinate(lon, lat)
    }

    /// "500m", "5km", "5 km", "2.5" (kilometres), in metres.
    static func parseDistance(_ s: String) throws -> Double {
        let t = s.lowercased().replacingOccurrences(of: " ", with: "")
        let (num, factor): (String, Double) =
            t.hasSuffix("km") ? (String(t.dropLast(2)), 1000) : t.hasSuffix("m") ? (String(t.dropLast()), 1) : (t, 1000)
        guard let v = Double(num), v.isFinite, v >= 0 else {
            throw GeoMonitorError(.usage, key: "--radius", "'\(s)' is not a distance (e.g. 500m, 5km)")
        }
        return v * factor
    }
}
