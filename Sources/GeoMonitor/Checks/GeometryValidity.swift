import Foundation
internal import GDALKit
import GeoKit

/// Invalid polygons found while loading, so that no figure built on them is silently wrong: a
/// self-intersecting "bowtie" measures 0 ha (its lobes cancel), a ring winding n times measures
/// n times its area. Every polygon project is screened in pure Swift (`PolygonScreen`, bounded
/// work); the few it cannot clear are tested by GEOS, and each invalid one gets an
/// `invalid-geometry` warning with GEOS's reason, the area counted and the area once repaired.
enum GeometryValidity {
    /// Warnings listed one by one; the rest are summed up in one more warning.
    static let listed = 20
    /// Above this many vertices the repaired area is not computed at load (`--repair` does it).
    static let repairVertexLimit = 100_000

    static func warnings(_ projects: [Project], timings: PhaseLog = .off) -> [Warning] {
        let suspects = timings.measure("validate") { screen(projects) }
        guard !suspects.isEmpty else { return [] }
        var collector = Collector()
        for i in suspects { collector.confirm(projects[i]) }
        return collector.warnings
    }

    /// The same warnings gathered one project at a time, holding only the listed ones (for
    /// streamed sources).
    struct Collector {
        private var listedWarnings: [Warning] = []
        private var more = 0, moreHa = 0.0
        private var moreSources = Set<String>()

        /// Screens a project, then asks GEOS when the screen cannot clear it.
        mutating func add(_ p: Project) {
            guard p.geometry.dimension == .area, PolygonScreen.needsValidation(p.geometry) else { return }
            confirm(p)
        }

        /// Asks GEOS; an invalid polygon is listed (or, past `listed`, counted).
        mutating func confirm(_ p: Project) {
            guard let g = try? OGRGeometry(p.geometry), !g.isValid else { return }
            if listedWarnings.count < listed {
                listedWarnings.append(Warning(code: "invalid-geometry", message(p, g)))
            } else {
                more += 1
                moreHa += p.areaHa
                moreSources.insert(p.source)
            }
        }

        var warnings: [Warning] {
            guard more > 0 else { return listedWarnings }
            return listedWarnings + [
                Warning(
                    code: "invalid-geometry",
                    "… and \(more) more invalid polygon(s) in \(moreSources.sorted().joined(separator: ", ")), counted as \(NumberText.fixed(moreHa, 2)) ha in all; `geomonitor check` lists them, --repair repairs them"
                )
            ]
        }
    }

    /// One line: where, what GEOS says, the area counted and once repaired, what to do.
    static func message(_ p: Project, _ g: OGRGeometry) -> String {
        let reason = GeometryRepair.reason(g).map { " (\($0))" } ?? ""
        var line =
            "\(p.source): layer '\(p.layer)', feature \(p.fid): project '\(p.id)' has an invalid \(p.geometry.typeName)\(reason); its area is counted as \(NumberText.fixed(p.areaHa, 2)) ha"
        if p.geometry.coordinateCount <= repairVertexLimit, let fixed = try? GeometryRepair.boundedMakeValid(p.geometry)
        {
            line += ", \(NumberText.fixed(Geodesic.wgs84.area(fixed) / 10_000, 2)) ha once repaired"
        }
        return line + "; fix the source or run with --repair"
    }

    /// The project id a warning of `message(_:_:)` names.
    static func projectID(in message: String) -> String? {
        guard let start = message.range(of: ": project '")?.upperBound,
            let end = message[start...].range(of: "' has an invalid ")?.lowerBound
        else { return nil }
        return String(message[start..<end])
    }

    /// Indices of the polygon projects the Swift screen cannot clear, in order (on all cores).
    static func screen(_ projects: [Project]) -> [Int] {
        Parallel.chunks(count: projects.count, chunk: 2048) { range in
            range.filter {
                projects[$0].geometry.dimension == .area && PolygonScreen.needsValidation(projects[$0].geometry)
            }
        }.flatMap { $0 }
    }
}
