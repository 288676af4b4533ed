import Foundation
import GeoMonitor
import Testing

/// Loading only what the requested targets can select must not change their figures.
@Suite struct ProjectFilterTests {
    @Test func filteredLoadGivesTheSameProgress() throws {
        let path = Dataset.defaultManifestPath()
        let ids = [
            "afforestation-2024", "trees-2024", "resettlement-areas-2024", "expressway-tanphu-baoloc-start-2024",
            "dalat-road-widening-2024", "grdp-growth-2024",
        ]
        let full = try Dataset.load(manifest: path)
        let catalog = try ProgressEngine(dataset: full).catalog
        let filter = try #require(ProjectFilter.forTargets(try ids.map { try catalog.target($0) }))
        let small = try Dataset.load(manifest: path, filter: filter)
        #expect(small.projects.count < full.projects.count)
        let day = try Day(iso: "2024-12-31")
        let a = try ProgressEngine(dataset: full).run(asOf: day, targets: ids)
        let b = try ProgressEngine(dataset: small).run(asOf: day, targets: ids)
        for (x, y) in zip(a.targets, b.targets) {
            #expect(x.achieved == y.achieved && x.status == y.status, "\(x.target.id)")
            #expect(x.localities.map(\.achieved) == y.localities.map(\.achieved), "\(x.target.id)")
        }
    }

    @Test func aTargetSelectingEverythingNeedsNoFilter() throws {
        let catalog = try TargetCatalog.parse(
            """
            programme: {id: t, period: {start: 2024-01-01, end: 2024-12-31}}
            targets:
              - {id: all, measure: {kind: count}}
            """, file: "t.yaml")
        #expect(ProjectFilter.forTargets(catalog.targets) == nil)
    }
}
