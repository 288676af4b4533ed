import Foundation
internal import GDALKit
import GeoKit

/// The overlay of two boundary editions: for each pair of units that overlap, the geodesic
/// hectares in common (GEOS intersections) and the share of each; pairs under the sliver
/// tolerance apart, as boundary noise; and, compared with a legal membership, the findings.
///
/// ```swift
/// var cw = try Crosswalk(from: data.editions["districts-2024"]!, to: data.editions["communes-2025"]!,
///                        fromEdition: "districts-2024", toEdition: "communes-2025")
/// cw.compare(with: try Membership.load("membership.csv"))
/// ```
public struct Crosswalk: Sendable {
    /// The `from` edition's id.
    public var from: String
    /// The `to` edition's id.
    public var to: String
    /// Overlaps above the sliver tolerance, by `from` unit then largest area.
    public var pairs: [CrosswalkPair]
    /// Overlaps under the sliver tolerance (boundary noise), in the same order.
    public var slivers: [CrosswalkPair]
    /// Disagreements with the legal membership (empty until ``compare(with:fromCodes:toCodes:fromInForce:toInForce:)``).
    public var findings: [CrosswalkFinding] = []
    /// The membership compared with (its file), if any.
    public var membership: String? = nil

    /// The sliver tolerance: a pair is noise when its area is under `share` of both units and under `hectares`.
    public struct Tolerance: Sendable, Hashable {
        /// Share of both units (default 0.01 = 1 %).
        public var share: Double
        /// Hectares (default 5).
        public var hectares: Double
        /// A tolerance from its parts.
        public init(share: Double = 0.01, hectares: Double = 5) {
            self.share = share
            self.hectares = hectares
        }
    }

    /// Overlays two editions' localities.
    /// - Throws: ``GeoMonitorError`` of kind `.geometry` when GEOS cannot intersect two units.
    public init(
        from a: LocalityDirectory, to b: LocalityDirectory, fromEdition: String, toEdition: String,
        tolerance: Tolerance = Tolerance()
    ) throws {
        from = fromEdition
        to = toEdition
        var pairs: [CrosswalkPair] = []
        var slivers: [CrosswalkPair] = []
        let bGeoms = try b.all.map { try OGRGeometry($0.geometry) }
        let bBoxes = b.all.map { $0.geometry.bounds }
        for l in a.all {
            let g = try OGRGeometry(l.geometry)
            guard let box = l.geometry.bounds else { continue }
            var here: [CrosswalkPair] = []
            for (j, m) in b.all.enumerated() {
                guard let mb = bBoxes[j], box.intersects(mb), g.intersects(bGeoms[j]) else { continue }
                let piece: Geometry
                do { piece = try g.intersection(bGeoms[j]).value() } catch {
                    throw GeoMonitorError(
                        .geometry,
                        "crosswalk \(fromEdition) → \(toEdition): GEOS cannot intersect \(l.code) \(l.name) with \(m.code) \(m.name): \(error); repair the boundaries (`check --repair`)"
                    )
                }
                let ha = Geodesic.wgs84.area(piece) / 10_000
                guard ha >= 1e-4 else { continue }  // under 1 m²: touching borders, numerical noise
                here.append(
                    CrosswalkPair(
                        fromCode: l.code, fromName: l.name, toCode: m.code, toName: m.name, areaHa: ha,
                        shareOfFrom: l.areaHa > 0 ? ha / l.areaHa : 0, shareOfTo: m.areaHa > 0 ? ha / m.areaHa : 0))
            }
            here.sort { $0.areaHa > $1.areaHa }
            for p in here {
                if p.areaHa < tolerance.hectares && p.shareOfFrom < tolerance.share && p.shareOfTo < tolerance.share {
                    slivers.append(p)
                } else {
                    pairs.append(p)
                }
            }
        }
        self.pairs = pairs
        self.slivers = slivers
    }

    /// Compares the overlay with a legal membership: rows whose codes are not units of the
    /// editions (or, for an official list, not in force at the dates), membership without
    /// overlap, overlap without membership, and `full` members the geometry splits.
    /// - Parameters:
    ///   - membership: the legal membership (new ← old rows).
    ///   - fromCodes: the codes of the `from` edition's units.
    ///   - toCodes: the codes of the `to` edition's units.
    ///   - fromInForce: whether an old code was in force the day before the change by the
    ///     official list; nil to check against the edition's units only.
    ///   - toInForce: whether a new code was in force the day of the change by the official list;
    ///     nil to check against the edition's units only.
    public mutating func compare(
        with membership: Membership, fromCodes: Set<String>, toCodes: Set<String>,
        fromInForce: ((String) -> Bool)? = nil, toInForce: ((String) -> Bool)? = nil
    ) {
        self.membership = membership.file
        var out: [CrosswalkFinding] = []
        // Only rows about these editions: a national table holds every province.
        let rows = membership.rows.filter { fromCodes.contains($0.oldCode) || toCodes.contains($0.newCode) }
        var legal = Set<String>()
        for r in rows {
            legal.insert(r.oldCode + "→" + r.newCode)
            /// A membership row naming a code the edition or the official list does not have.
            func notInForce(_ why: String) {
                out.append(
                    CrosswalkFinding(
                        code: "membership-code-not-in-force", fromCode: r.oldCode, toCode: r.newCode,
                        message: "\(membership.file): \(r.newCode) \(r.newName) ← \(r.oldCode) \(r.oldName): \(why)"))
            }
            if let inForce = fromInForce, !inForce(r.oldCode) {
                notInForce("\(r.oldCode) is not in force before the change by the official list")
            } else if !fromCodes.contains(r.oldCode) {
                notInForce("edition \(from) has no unit \(r.oldCode)")
            }
            if let inForce = toInForce, !inForce(r.newCode) {
                notInForce("\(r.newCode) is not in force after the change by the official list")
            } else if !toCodes.contains(r.newCode) {
                notInForce("edition \(to) has no unit \(r.newCode)")
            }
        }
        var overlapping = Set<String>()
        for p in pairs { overlapping.insert(p.fromCode + "→" + p.toCode) }
        let sliverKeys = Set(slivers.map { $0.fromCode + "→" + $0.toCode })
        var seen = Set<String>()
        for r in rows where fromCodes.contains(r.oldCode) && toCodes.contains(r.newCode) {
            let k = r.oldCode + "→" + r.newCode
            guard seen.insert(k).inserted, !overlapping.contains(k) else { continue }
            out.append(
                CrosswalkFinding(
                    code: "membership-without-overlap", fromCode: r.oldCode, toCode: r.newCode,
                    message:
                        "\(r.newCode) \(r.newName) ← \(r.oldCode) \(r.oldName) by \(membership.file), but their boundaries \(sliverKeys.contains(k) ? "share only a sliver" : "do not overlap")"
                ))
        }
        for p in pairs where !legal.contains(p.fromCode + "→" + p.toCode) {
            out.append(
                CrosswalkFinding(
                    code: "overlap-without-membership", fromCode: p.fromCode, toCode: p.toCode,
                    message:
                        "\(NumberText.fixed(p.areaHa, 1)) ha of \(p.fromCode) \(p.fromName) (\(NumberText.fixed(p.shareOfFrom * 100, 1)) %) lie in \(p.toCode) \(p.toName), which \(membership.file) does not make a successor of it"
                ))
        }
        var fullSeen = Set<String>()
        for r in rows
        where r.full && fromCodes.contains(r.oldCode) && fullSeen.insert(r.oldCode + "→" + r.newCode).inserted {
            let elsewhere = pairs.filter { $0.fromCode == r.oldCode && $0.toCode != r.newCode }
            guard !elsewhere.isEmpty else { continue }
            let list = elsewhere.map { "\(NumberText.fixed($0.shareOfFrom * 100, 1)) % in \($0.toCode) \($0.toName)" }
                .joined(separator: ", ")
            out.append(
                CrosswalkFinding(
                    code: "full-member-split", fromCode: r.oldCode, toCode: r.newCode,
                    message:
                        "\(r.oldCode) \(r.oldName) is a full member of \(r.newCode) \(r.newName) by \(membership.file), but the boundaries put \(list)"
                ))
        }
        findings = out
    }

    /// The crosswalk between two editions of a loaded dataset, compared with `membership` (a CSV
    /// path), or — when both editions are matched to Vietnam's list by a gazetteer, one before and
    /// one from 2025-07-01 — with the embedded reform table (old communes taken as their districts
    /// when the `from` edition is of districts), codes checked against the list on both dates.
    /// - Throws: ``GeoMonitorError`` `.lookup` for an unknown edition id, `.configuration` or
    ///   `.source` for a bad membership file, `.geometry` when GEOS fails.
    public static func between(
        _ d: Dataset, from: String, to: String, membership path: String? = nil,
        tolerance: Tolerance = Tolerance()
    ) throws -> Crosswalk {
        let m = d.manifest
        let fromEdition = try m.edition(from, key: "--from")
        let toEdition = try m.edition(to, key: "--to")
        guard let a = d.editions[fromEdition.id], let b = d.editions[toEdition.id] else {
            throw GeoMonitorError(.lookup, key: "--from", "the editions were not loaded")
        }
        return try between(a, b, fromEdition: fromEdition, toEdition: toEdition, membership: path, tolerance: tolerance)
    }

    /// The crosswalk between two editions of a manifest, reading only their boundaries (no
    /// project source), with the warnings reading them gave; as ``between(_:from:to:membership:tolerance:)``.
    /// Reading the boundaries is timed in `timings`.
    /// - Throws: ``GeoMonitorError`` as ``between(_:from:to:membership:tolerance:)`` does, and as
    ///   reading the boundaries does.
    public static func between(
        manifest m: Manifest, from: String, to: String, membership path: String? = nil,
        tolerance: Tolerance = Tolerance(), timings: PhaseLog = .off
    ) throws -> (crosswalk: Crosswalk, warnings: [Warning]) {
        let fromEdition = try m.edition(from, key: "--from")
        let toEdition = try m.edition(to, key: "--to")
        let (a, wa) = try LocalityDirectory.load(m, edition: fromEdition, timings: timings)
        let (b, wb) = try LocalityDirectory.load(m, edition: toEdition, timings: timings)
        return (
            try between(a, b, fromEdition: fromEdition, toEdition: toEdition, membership: path, tolerance: tolerance),
            wa + wb
        )
    }

    static func between(
        _ a: LocalityDirectory, _ b: LocalityDirectory, fromEdition: BoundaryEdition, toEdition: BoundaryEdition,
        membership path: String?, tolerance: Tolerance
    ) throws -> Crosswalk {
        let from = fromEdition.id
        let to = toEdition.id
        var cw = try Crosswalk(from: a, to: b, fromEdition: from, toEdition: to, tolerance: tolerance)
        let fromCodes = Set(a.all.map(\.code))
        let toCodes = Set(b.all.map(\.code))
        if let path {
            cw.compare(with: try Membership.load(path), fromCodes: fromCodes, toCodes: toCodes)
        } else if fromEdition.gazetteer?.country == "VN", toEdition.gazetteer?.country == "VN",
            let before = fromEdition.gazetteerDay, let after = toEdition.gazetteerDay,
            let change = Day.parse(iso: "2025-07-01"), let eve = Day.parse(iso: "2025-06-30"), before < change,
            after >= change
        {
            let list = try UnitList.embedded()
            var membership = try Membership.vietnam2025()
            let districts = a.all.contains { list.unit(code: $0.code, on: before, level: .district) != nil }
            var stale: [CrosswalkFinding] = []
            if districts {
                // Old communes of the table not in force the day before the change, checked before
                // they are taken as their districts (of the `from` edition's day).
                for r in membership.rows
                where toCodes.contains(r.newCode) && list.unit(code: r.oldCode, on: eve, level: .commune) == nil {
                    stale.append(
                        CrosswalkFinding(
                            code: "membership-code-not-in-force", fromCode: r.oldCode, toCode: r.newCode,
                            message:
                                "\(membership.file): \(r.newCode) \(r.newName) ← \(r.oldCode) \(r.oldName): \(r.oldCode) is not in force on \(eve) by the official list"
                        ))
                }
                membership = membership.oldCommunesAsDistricts(list, on: before)
            }
            cw.compare(
                with: membership, fromCodes: fromCodes, toCodes: toCodes,
                fromInForce: {
                    list.unit(code: $0, on: districts ? before : eve, level: districts ? .district : .commune) != nil
                },
                toInForce: { list.unit(code: $0, on: change, level: .commune) != nil })
            cw.findings = stale + cw.findings
        }
        return cw
    }
}
