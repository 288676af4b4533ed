import Foundation
import GeoMonitor
import TestSupport
import Testing

/// Progress over the fixture province (three 0.1° squares: 672 west of 108.5° E, 677 east of it,
/// 675 north of 12° N) with hand-made plots and a road. Expected figures:
/// - TR-01, completed 2024-03-15, the square 108.49–108.51 × 11.95–11.96, half in 672 and half in
///   677; each half 120.490167 ha (geographiclib 2.0, Geodesic.WGS84 polygon area); 2,000 trees.
/// - TR-03, completed 2024-05-05, 108.59–108.61 × 11.91–11.92: the half west of 108.6° lies in 677
///   (120.507492 ha by geographiclib), the other half is outside the province; 1,000 trees.
/// - DG-01, a road from (108.45, 11.99) to (108.45, 12.03): 1.106223 km in 672 and 3.318672 km in
///   675 (geographiclib Inverse), under construction since 2023-12-20.
/// - CH-01, a market, stalled.
@Suite struct ProgressTests {
    static func engine() throws -> ProgressEngine {
        let d = try Fixture.load("province.yaml")
        let catalog = try TargetCatalog.load(Fixture.path("progress-catalog.yaml"))
        let reports = try IndicatorReports.load(Fixture.path("progress-reports.yaml"), catalog: catalog)
        return try ProgressEngine(dataset: d, catalog: catalog, reports: reports)
    }

    static func day(_ s: String) -> Day { try! Day(iso: s) }

    static func loc(_ t: TargetProgress, _ code: String) -> LocalityProgress? { t.localities.first { $0.code == code } }

    @Test func areaSplitAtBordersAndTotalsAddUp() throws {
        let r = try Self.engine().run(asOf: Self.day("2024-12-31"), targets: ["plant"])
        let t = try #require(r.targets.first)
        #expect(nearRel(Self.loc(t, "672")!.achieved, 120.490167, 1e-6))
        #expect(nearRel(Self.loc(t, "677")!.achieved, 120.490167 + 120.507492, 1e-6))
        #expect(Self.loc(t, "675")!.achieved == 0)
        // Province total = sum over localities; the half of TR-03 outside is not counted but reported.
        let sum = t.localities.reduce(0) { $0 + $1.achieved }
        #expect(t.achieved == sum)
        #expect(nearRel(t.achieved!, 361.487826, 1e-6))
        #expect(nearRel(t.outside, 120.507492, 1e-5))
        // Quotas: 672 100 ha → 120.49 % achieved; 677 250 ha → 96.4 %, behind at the end of the period.
        #expect(nearRel(Self.loc(t, "672")!.percent!, 120.490167, 1e-6))
        #expect(Self.loc(t, "672")!.status == .achieved)
        #expect(nearRel(Self.loc(t, "677")!.percent!, 240.997659 / 250 * 100, 1e-6))
        #expect(Self.loc(t, "677")!.status == .behind)
        #expect(Self.loc(t, "675")!.quota == nil && Self.loc(t, "675")!.percent == nil)
        // 361.49 of 400 at the end of the period: behind.
        #expect(t.status == .behind)
        // Quota codes: 999 is unknown (warning, not error); quotas add to 360 ≠ 400 (reported).
        #expect(t.warnings.contains { $0.code == "quota-unknown-locality" && $0.message.contains("999") })
        #expect(t.warnings.contains { $0.code == "quota-sum" && $0.message.contains("360") })
    }

    @Test func asOfDatesBeforeInsideAndAfterThePeriod() throws {
        let e = try Self.engine()
        // Before the period: nothing counts, nothing is due yet.
        let before = try #require(e.run(asOf: Self.day("2023-12-31"), targets: ["plant"]).targets.first)
        #expect(before.achieved == 0 && before.elapsed == 0 && before.status == .onTrack)
        // 2024-04-30: TR-01 only (TR-03 is dated 2024-05-05). Elapsed = 121/366 days (leap year).
        let april = try #require(e.run(asOf: Self.day("2024-04-30"), targets: ["plant"]).targets.first)
        #expect(nearRel(april.achieved!, 2 * 120.490167, 1e-6))
        #expect(near(april.elapsed, 121.0 / 366.0, 1e-12))
        // expected = 400 × 121/366 = 132.24 ha; 240.98 ≥ that → on track.
        #expect(nearRel(april.expected!, 400 * 121.0 / 366.0, 1e-12))
        #expect(april.status == .onTrack)
        // After the period: clamped to its end; both plots count; the goal is missed → behind.
        let after = try #require(e.run(asOf: Self.day("2025-06-30"), targets: ["plant"]).targets.first)
        #expect(nearRel(after.achieved!, 361.487826, 1e-6) && after.elapsed == 1 && after.status == .behind)
    }

    @Test func attributeSplitBySameShareAsArea() throws {
        let t = try #require(Self.engine().run(asOf: Self.day("2024-12-31"), targets: ["trees"]).targets.first)
        // TR-01: 2,000 trees, half each side; TR-03: 1,000 trees, half in 677, half outside.
        #expect(near(Self.loc(t, "672")!.achieved, 1000, 1e-3))
        #expect(near(Self.loc(t, "677")!.achieved, 1500, 1e-3))
        #expect(near(t.achieved!, 2500, 1e-3))
        #expect(near(t.outside, 500, 1e-3))
    }

    @Test func linesSplitByLength() throws {
        let t = try #require(Self.engine().run(asOf: Self.day("2024-12-31"), targets: ["road-km"]).targets.first)
        #expect(nearRel(Self.loc(t, "672")!.achieved, 1.106223, 1e-5))
        #expect(nearRel(Self.loc(t, "675")!.achieved, 3.318672, 1e-5))
        #expect(nearRel(t.achieved!, 4.424895, 1e-5))
        // 4.42 km ≥ 4 km.
        #expect(t.status == .achieved)
    }

    @Test func countsEachProjectOnceInItsMainLocality() throws {
        let t = try #require(Self.engine().run(asOf: Self.day("2024-12-31"), targets: ["roads-started"]).targets.first)
        #expect(t.achieved == 1)
        // 75 % of DG-01 lies in 675.
        #expect(Self.loc(t, "675")!.achieved == 1 && Self.loc(t, "672")!.achieved == 0)
    }

    @Test func milestones() throws {
        let e = try Self.engine()
        let start = try #require(e.run(asOf: Self.day("2024-03-01"), targets: ["road-start"]).targets.first)
        #expect(start.status == .achieved && start.achieved == 1)
        // A stalled project cannot reach its milestone: behind.
        let market = try #require(e.run(asOf: Self.day("2024-03-01"), targets: ["market-done"]).targets.first)
        #expect(market.status == .behind && market.achieved == 0)
        // Before the road's status date it had not started yet.
        let early = try #require(e.run(asOf: Self.day("2023-06-01"), targets: ["road-start"]).targets.first)
        #expect(early.achieved == 0)
    }

    @Test func indicatorsAndReductionsUseTheLatestReport() throws {
        let e = try Self.engine()
        // Mid-year 6.9 % is outside 7.2–7.8 → at risk; year-end 7.4 % inside → achieved.
        let mid = try #require(e.run(asOf: Self.day("2024-07-15"), targets: ["growth"]).targets.first)
        #expect(mid.achieved == 6.9 && mid.status == .atRisk)
        let end = try #require(e.run(asOf: Self.day("2025-01-10"), targets: ["growth"]).targets.first)
        #expect(end.achieved == 7.4 && end.status == .achieved)
        // Reduction: limit 100 × (1 − 20 %) = 80 cases for the year; 85 reported → behind.
        let v = try #require(e.run(asOf: Self.day("2024-12-31"), targets: ["violations"]).targets.first)
        #expect(v.value == 80 && v.achieved == 85 && v.status == .behind)
        // Mid-year: 45 cases against a pro-rated limit of 80 × 182/366 = 39.78 → at risk.
        let vm = try #require(e.run(asOf: Self.day("2024-06-30"), targets: ["violations"]).targets.first)
        #expect(nearRel(vm.expected!, 80 * 182.0 / 366.0, 1e-12) && vm.status == .atRisk)
    }

    @Test func progressJSONShape() throws {
        let e = try Self.engine()
        let r = try e.run(asOf: Self.day("2024-12-31"), targets: ["plant"])
        let text = ProgressOutput.render(r, as: .json, localities: e.dataset.localities)
        let obj = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(obj["as_of"] as? String == "2024-12-31")
        let t = try #require((obj["targets"] as? [[String: Any]])?.first)
        for key in ["id", "unit", "value", "achieved", "percent", "status", "localities"] {
            #expect(t[key] != nil, "missing \(key)")
        }
        let locs = try #require(t["localities"] as? [[String: Any]])
        let l675 = try #require(locs.first { $0["code"] as? String == "675" })
        #expect(l675["quota"] is NSNull && l675["percent"] is NSNull)
        for key in ["code", "name", "achieved", "quota", "percent", "status"] {
            #expect(l675[key] != nil, "missing \(key)")
        }
    }

    @Test func unknownSelectionValuesAreErrors() throws {
        let bad = """
            programme: {id: x, period: {start: 2024-01-01, end: 2024-12-31}}
            targets:
              - id: a
                measure: {kind: sum, of: area, select: {kind: [forest], status: [completed]}}
            """
        #expect { try TargetCatalog.parse(bad, file: "bad.yaml") } throws: { e in
            (e as? GeoMonitorError).map {
                $0.description.contains("unknown kind 'forest'")
                    && $0.description.contains("targets[0].measure.select.kind")
            } ?? false
        }
        let badField = bad.replacingOccurrences(
            of: "kind: [forest], status: [completed]", with: "where: [{field: height, op: '>', value: 1}]")
        #expect { try TargetCatalog.parse(badField, file: "bad.yaml") } throws: { e in
            (e as? GeoMonitorError)?.description.contains("unknown field 'height'") ?? false
        }
    }

    @Test func stalledProjectsAreListed() throws {
        let d = try Fixture.load("province.yaml")
        let found = StalledProjects.find(in: d, asOf: Self.day("2024-12-31"), months: 12)
        // CH-01 is marked stalled; DG-01 has been under construction since 2023-12-20 (12 months and 11 days).
        #expect(Set(found.map(\.project.id)) == ["CH-01", "DG-01"])
    }
}
