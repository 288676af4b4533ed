import Foundation
internal import GDALKit

/// Suspicious data, listed by `geomonitor check` and counted as warnings in `progress`.
public struct Finding: Sendable, Hashable {
    /// Which check found it; the raw value is the code `geomonitor check` prints.
    public enum Kind: String, Sendable, CaseIterable {
        /// The geometry is invalid for GEOS (self-intersection, bad ring …).
        case invalidGeometry = "invalid-geometry"
        /// The project lies outside every locality (wholly or partly).
        case outsideLocalities = "outside-localities"
        /// Declared area differs from the drawn (geodesic) area by more than the tolerance.
        case areaMismatch = "area-mismatch"
        /// Two completed plots overlap: the same ground planted twice.
        case overlap = "overlap"
        /// The locality attribute names another locality than the one the geometry lies in.
        case localityMismatch = "locality-mismatch"
        /// The locality attribute names no known locality.
        case unknownLocality = "unknown-locality"
        /// A warning of the run (features left out or without geometry, text in a legacy
        /// encoding, overlapping or gapped boundaries, repairs …): the message starts with its code.
        case warning = "warning"
    }
    /// Which check found it.
    public var kind: Kind
    /// The id of the project concerned (for an overlap, the first plot of the pair).
    public var project: String
    /// The finding in words, with its figures (area difference, overlap, locality names).
    public var message: String
    /// A figure for sorting and reporting (area difference in %, overlap in ha …).
    public var value: Double?
}

/// Options of the data checks.
public struct CheckOptions: Sendable {
    /// Percent difference between declared and drawn area that is flagged.
    public var areaTolerancePercent = 10.0
    /// Overlap (ha) between completed forest plots below which nothing is flagged.
    public var minOverlapHa = 0.01
    /// The defaults: 10 % area tolerance, 0.01 ha minimum overlap.
    public init() {}
}

/// Runs every data check over a dataset.
public enum DataCheck {
    /// Every finding over the dataset, project by project, then the overlaps of completed plots.
    /// - Parameters:
    ///   - d: the dataset to check.
    ///   - assignment: its assignment, preferably computed with `lenient: true` so that a project
    ///     GEOS cannot split is reported (as an invalid geometry) rather than stopping the check.
    ///   - options: tolerances.
    /// - Throws: ``GeoMonitorError`` of kind `.geometry`, naming the project, when GEOS cannot
    ///   build a project's geometry at all.
    public static func run(_ d: Dataset, assignment: SpatialAssignment, options: CheckOptions = CheckOptions()) throws
        -> [Finding]
    {
        var out: [Finding] = []
        let geod = Geodesic.wgs84
        let unsplittable = Set(assignment.unsplittable)
        let swapHints = AxisSwap.hints(
            d, outside: d.projects.indices.filter { !unsplittable.contains($0) && assignment.shares[$0].isEmpty })
        for (i, p) in d.projects.enumerated() {
            // Validity (GEOS), for areas and lines.
            if p.geometry.dimension != .point {
                let g = try GeoMonitorError.converting(at: p) { try OGRGeometry(p.geometry) }
                if !g.isValid {
                    out.append(
                        Finding(
                            kind: .invalidGeometry, project: p.id,
                            message:
                                "\(p.source) feature \(p.fid): invalid \(p.geometry.typeName)\(GeometryRepair.reason(g).map { " (\($0))" } ?? "")",
                            value: nil))
                }
            }
            let outside = assignment.outside[i]
            if !unsplittable.contains(i) && (outside > 1e-6 || assignment.shares[i].isEmpty) {
                let pct = assignment.shares[i].isEmpty ? 100 : outside * 100
                let hint = assignment.shares[i].isEmpty ? swapHints[p.source].map { "; \($0)" } ?? "" : ""
                out.append(
                    Finding(
                        kind: .outsideLocalities, project: p.id,
                        message: "\(NumberText.fixed(pct, 1)) % of it lies outside every locality\(hint)", value: pct))
            }
            if let declared = p.declaredAreaHa, p.geometry.dimension == .area, p.areaHa > 0 {
                let diff = (declared - p.areaHa) / p.areaHa * 100
                if !diff.isFinite || abs(diff) > options.areaTolerancePercent {
                    out.append(
                        Finding(
                            kind: .areaMismatch, project: p.id,
                            message:
                                "declared \(NumberText.fixed(declared, 2)) ha, drawn \(NumberText.fixed(p.areaHa, 2)) ha: the declared area is \(NumberText.fixed(abs(diff), 1)) % \(diff > 0 ? "more" : "less") than the drawn one",
                            value: diff))
                }
            }
            // A line or point declaring an area it does not have (0 ha declared is consistent).
            if let declared = p.declaredAreaHa, declared != 0, p.geometry.dimension != .area {
                let what = p.geometry.dimension == .line ? "a line" : "a point"
                out.append(
                    Finding(
                        kind: .areaMismatch, project: p.id,
                        message:
                            "declared \(NumberText.fixed(declared, 2)) ha, but the geometry is \(what) (\(p.geometry.typeName)) and has no area",
                        value: nil))
            }
            if let attr = p.localityAttribute, let home = assignment.shares[i].max(by: { $0.share < $1.share }) {
                if let named = try? d.localities.find(attr) {
                    if named.code != home.code {
                        let place = d.localities[code: home.code]?.name ?? home.code
                        out.append(
                            Finding(
                                kind: .localityMismatch, project: p.id,
                                message:
                                    "attribute says '\(attr)' (\(named.code)) but \(NumberText.fixed(home.share * 100, 0)) % of the geometry lies in \(place) (\(home.code))",
                                value: nil))
                    }
                } else {
                    out.append(
                        Finding(
                            kind: .unknownLocality, project: p.id,
                            message: "locality attribute '\(attr)' matches no locality", value: nil))
                }
            }
        }
        out += try overlaps(d, minHa: options.minOverlapHa, geod: geod)
        // The run's other warnings are findings too (invalid geometries and projects outside every
        // locality are the checks' own, above).
        for w in d.warnings where w.code != "invalid-geometry" && w.code != "outside-localities" {
            out.append(Finding(kind: .warning, project: "", message: "[\(w.code)] \(w.message)", value: nil))
        }
        return out
    }

    /// Completed forest plots that overlap each other (sweep over sorted bounding boxes, GEOS for candidates).
    static func overlaps(_ d: Dataset, minHa: Double, geod: Geodesic) throws -> [Finding] {
        let plots = d.projects.indices.filter {
            d.projects[$0].kind == .forestPlanting && d.projects[$0].status == .completed
                && d.projects[$0].geometry.dimension == .area
        }
        let boxes = plots.map { d.projects[$0].geometry.bounds ?? .empty }
        let order = plots.indices.sorted { boxes[$0].minX < boxes[$1].minX }
        var cache: [Int: OGRGeometry] = [:]
        func ogr(_ k: Int) throws -> OGRGeometry {
            if let g = cache[k] { return g }
            let p = d.projects[plots[k]]
            let g = try GeoMonitorError.converting(at: p) { try OGRGeometry(p.geometry) }
            cache[k] = g
            return g
        }
        var out: [Finding] = []
        var active: [Int] = []
        for k in order {
            let b = boxes[k]
            active.removeAll { boxes[$0].maxX < b.minX }
            for j in active where boxes[j].intersects(b) {
                let a = try ogr(j)
                let c = try ogr(k)
                guard a.intersects(c) else { continue }
                // An invalid geometry (already reported) cannot be intersected: skip the pair.
                guard let inter = try? a.intersection(c).value() else { continue }
                let ha = geod.area(inter) / 10_000
                if ha >= minHa {
                    let p = d.projects[plots[j]]
                    let q = d.projects[plots[k]]
                    out.append(
                        Finding(
                            kind: .overlap, project: p.id,
                            message:
                                "overlaps completed plot '\(q.id)' by \(NumberText.fixed(ha, 2)) ha (planted twice?)",
                            value: ha))
                }
            }
            active.append(k)
        }
        return out
    }
}

/// Geometry repair with GEOS MakeValid, through GDAL.
public enum GeometryRepair {
    /// Why GEOS finds a geometry invalid, when it can say.
    static func reason(_ g: OGRGeometry) -> String? { g.invalidityReason.map(tidy) }

    /// GEOS's words without the exception class, its coordinates to 7 decimals
    /// ("Self-intersection at or near point 108.425 11.925").
    static func tidy(_ reason: String) -> String {
        var out = reason.replacingOccurrences(of: "IllegalArgumentException: ", with: "")
        guard let re = try? NSRegularExpression(pattern: "-?[0-9]+\\.[0-9]{8,}") else { return out }
        for m in re.matches(in: out, range: NSRange(out.startIndex..., in: out)).reversed() {
            guard let r = Range(m.range, in: out), let v = Double(out[r]) else { continue }
            var t = String(format: "%.7f", v)
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            out.replaceSubrange(r, with: t)
        }
        return out
    }

    /// Repairs the invalid polygon projects of a dataset; returns the repaired dataset and, per
    /// repaired project, its id and the area before and after (ha). A polygon too tangled to
    /// repair in bounded time (see `RepairPreparation`) is left as it is, with a warning.
    /// - Throws: ``GeoMonitorError`` of kind `.geometry`, naming the project, when GEOS cannot
    ///   build or repair a geometry.
    public static func repair(_ d: Dataset) throws -> (Dataset, [(id: String, before: Double, after: Double)]) {
        var projects = d.projects
        var changes: [(String, Double, Double)] = []
        var unrepaired: [Warning] = []
        var repaired: [Warning] = []
        var repairedIDs = Set<String>()
        let geod = Geodesic.wgs84
        // The Swift screen clears almost every polygon; GEOS decides for the rest.
        for i in GeometryValidity.screen(projects) {
            let p = projects[i]
            let g = try GeoMonitorError.converting(at: p) { try OGRGeometry(p.geometry) }
            guard !g.isValid else { continue }
            guard let newGeom = try GeoMonitorError.converting(at: p, { try boundedMakeValid(p.geometry) }) else {
                unrepaired.append(
                    Warning(
                        code: "invalid-geometry",
                        "\(p.source): layer '\(p.layer)', feature \(p.fid): project '\(p.id)' not repaired: its edges cross more than \(NumberText.group(String(RepairPreparation.crossingLimit))) times, too many to repair in bounded time; redraw or simplify it (its area stays counted as \(NumberText.fixed(p.areaHa, 2)) ha)"
                    ))
                continue
            }
            let before = projects[i].areaHa
            projects[i].geometry = newGeom
            projects[i].areaHa = geod.area(newGeom) / 10_000
            changes.append((projects[i].id, before, projects[i].areaHa))
            repairedIDs.insert(projects[i].id)
            repaired.append(
                Warning(
                    code: "repaired",
                    "\(p.source): layer '\(p.layer)', feature \(p.fid): project '\(p.id)' repaired with GEOS MakeValid: \(NumberText.fixed(before, 4)) ha → \(NumberText.fixed(projects[i].areaHa, 4)) ha"
                ))
        }
        // The load warnings about repaired polygons (and their summary line) no longer hold: the
        // repair lines replace them; those about polygons left as they are stay.
        let kept = d.warnings.filter { w in
            guard w.code == "invalid-geometry", !repairedIDs.isEmpty else { return true }
            guard let id = GeometryValidity.projectID(in: w.message) else { return false }
            return !repairedIDs.contains(id)
        }
        return (
            Dataset(
                manifest: d.manifest, localities: d.localities, projects: projects,
                warnings: kept + unrepaired + repaired, edition: d.edition, editions: d.editions), changes
        )
    }

    /// GEOS MakeValid in bounded time: each polygon is first rebuilt from its distinct edges
    /// (a ring winding many times becomes one), and nothing is run when the edges cross more than
    /// `RepairPreparation.crossingLimit` times. The polygons of the result, or nil.
    static func boundedMakeValid(_ g: Geometry) throws -> Geometry? {
        var parts: [Polygon] = []
        for p in g.polygons {
            let q = RepairPreparation.prepared(p) ?? p
            guard RepairPreparation.isTractable(q) else { return nil }
            parts.append(q)
        }
        guard !parts.isEmpty else { return nil }
        let input: Geometry = parts.count == 1 ? .polygon(parts[0]) : .multiPolygon(parts)
        let polys = try OGRGeometry(input).makeValid().value().polygons
        return polys.count == 1 ? .polygon(polys[0]) : .multiPolygon(polys)
    }
}
