import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// Boundary editions (Fixtures/editions/editions.yaml): `old` = squares A1–A3 (2024-01-01 –
/// 2025-06-30), `new` = B1–B4 (from 2025-07-01). Figures from pyproj (make_editions.py,
/// expected.txt): plot S1 = 120.466250 ha, all in A1, 60.233125 ha in each of B1 and B2; plot S2 =
/// 120.466250 ha in A3 and B4.
@Suite("Boundary editions")
struct EditionsTests {
    static let s1 = 120.466250, half = 60.233125

    func load() throws -> Dataset { try Fixture.load("editions/editions.yaml") }

    @Test func manifestListsEditions() throws {
        let m = try Manifest.load(Fixture.path("editions/editions.yaml"))
        #expect(m.editions.map(\.id) == ["old", "new"] && m.hasEditions)
        #expect(
            try m.edition(on: Day(iso: "2024-12-31"))?.id == "old" && m.edition(on: Day(iso: "2025-07-01"))?.id == "new"
        )
        #expect(m.localities.source == "squares_a.geojson")
        // A single mapping stays one edition, always in force.
        let single = try Manifest.load(Fixture.path("province.yaml"))
        #expect(single.editions.map(\.id) == ["default"] && !single.hasEditions)
    }

    /// Each target is judged on the edition in force at the end of its period; JSON says which.
    @Test func targetsJudgedOnTheirEdition() throws {
        let d = try load()
        #expect(d.edition == "old" && Set(d.editions.keys) == ["old", "new"])
        let r = try ProgressEngine(dataset: d).run(asOf: Day(iso: "2026-12-31"))
        let t24 = r.targets[0]
        let t26 = r.targets[1]
        #expect(t24.edition == "old" && t26.edition == "new")
        #expect(t24.localities.map(\.code) == ["A1", "A2", "A3"] && near(t24.localities[0].achieved, Self.s1, 1e-3))
        let b = Dictionary(uniqueKeysWithValues: t26.localities.map { ($0.code, $0) })
        #expect(near(b["B1"]?.achieved ?? 0, Self.half, 1e-3) && near(b["B2"]?.achieved ?? 0, Self.half, 1e-3))
        #expect(near(b["B4"]?.achieved ?? 0, Self.s1, 1e-3) && b["B4"]?.quota == 50)
        let json = ProgressOutput.render(r, as: .json, localities: d.localities)
        #expect(json.contains("\"edition\": \"old\"") && json.contains("\"edition\": \"new\""))
        // A manifest without editions writes no `edition` key (outputs unchanged).
        let plain = try Fixture.load("province.yaml")
        #expect(
            !ProgressOutput.render(
                try ProgressEngine(dataset: plain).run(asOf: Day(iso: "2024-12-31")), as: .json,
                localities: plain.localities
            ).contains("\"edition\""))
    }

    /// `--boundaries new`: the 2024 planting re-aggregated by geometry onto the new units.
    @Test func reaggregatedOnAnotherEdition() throws {
        let d = try load().onEdition("new")
        var e = try ProgressEngine(dataset: d)
        e.fixedEdition = true
        let t = try e.run(asOf: Day(iso: "2024-12-31"), targets: ["planting-2024"]).targets[0]
        #expect(t.edition == "new")
        let b = Dictionary(uniqueKeysWithValues: t.localities.map { ($0.code, $0.achieved) })
        #expect(
            near(b["B1"] ?? 0, Self.half, 1e-3) && near(b["B2"] ?? 0, Self.half, 1e-3)
                && near(t.achieved ?? 0, Self.s1, 1e-3))
        #expect(try d.query(ProjectQuery(locality: "B2")).map(\.project.id) == ["S1"])
        #expect(throws: GeoMonitorError.self) { try load().onEdition("newest") }
        do { _ = try load().onEdition("newest") } catch let e as GeoMonitorError {
            #expect(e.key == "--boundaries" && e.message.contains("unknown edition 'newest'; editions: old, new"))
        }
    }

    /// Bad edition lists: one-line errors naming the key.
    @Test func badEditionLists() {
        func error(_ localities: String) -> GeoMonitorError? {
            do {
                _ = try Manifest.parse(
                    "localities:\n\(localities)\nprojects: []\n", file: Fixture.path("editions/inline.yaml"))
            } catch let e as GeoMonitorError { return e } catch { return nil }
            return nil
        }
        let src = "source: squares_a.geojson, fields: {code: code, name: name}"
        let overlap = error(
            "  - {edition: a, from: 2024-01-01, to: 2025-07-01, \(src)}\n  - {edition: b, from: 2025-07-01, \(src)}")
        #expect(overlap?.key == "localities[1]" && overlap?.message.contains("overlaps edition 'a'") == true)
        #expect(
            error("  - {edition: a, from: 2024-01-01, \(src)}\n  - {edition: a, from: 2026-01-01, \(src)}")?.key
                == "localities[1].edition")
        #expect(error("  - {edition: a, from: 2025-01-01, to: 2024-01-01, \(src)}")?.key == "localities[0].to")
        #expect(error("  - {from: 2025-01-01, \(src)}")?.message.contains("missing key 'edition'") == true)
        #expect(error("  - {edition: a, sources: [{\(src)}], source: x.geojson}")?.message.contains("not both") == true)
        #expect(error("  - {edition: a, \(src), gazetteer: {country: XX}}")?.key == "localities[0].gazetteer.country")
        #expect(
            error("  - {edition: a, source: squares_a.geojson, fields: {name: name}}")?.key == "localities[0].fields")
    }
}

/// Quotas defined on one edition, carried to another only by a stated rule; a project's locality
/// text checked against the edition in force at its date.
@Suite("Carrying across editions")
struct CarryTests {
    func run() throws -> ProgressReport {
        try ProgressEngine(dataset: Fixture.load("editions/editions.yaml")).run(asOf: Day(iso: "2026-12-31"))
    }

    /// area_share: B1 = 100 × 0.497512; B2 = 100 × 0.502488 + 50 × 0.497487; B3 = 50 × 0.502513
    /// (shares of A1 and A2 from pyproj, expected.txt).
    @Test func areaShare() throws {
        let r = try run()
        let t = try #require(r.targets.first { $0.target.id == "carried-area-share" })
        #expect(t.edition == "new" && t.quotasCarried?.from == "old" && t.quotasCarried?.rule == "area_share")
        let q = Dictionary(uniqueKeysWithValues: t.localities.map { ($0.code, $0.quota ?? -1) })
        #expect(
            near(q["B1"] ?? 0, 49.7512, 1e-3) && near(q["B2"] ?? 0, 50.2488 + 24.87435, 1e-3)
                && near(q["B3"] ?? 0, 25.12565, 1e-3))
        #expect(q["B4"] == -1)
        let dir = try Fixture.load("editions/editions.yaml").localities
        #expect(ProgressOutput.render(r, as: .json, localities: dir).contains("\"quotas_carried\""))
    }

    /// membership: A3 is a full member of B4 (its 40 go there); A1 is split (partial): not carried, warned.
    @Test func membershipAndNoRule() throws {
        let r = try run()
        let m = try #require(r.targets.first { $0.target.id == "carried-membership" })
        #expect(
            m.localities.first { $0.code == "B4" }?.quota == 40 && m.localities.filter { $0.quota != nil }.count == 1)
        #expect(
            m.warnings.contains {
                $0.code == "quota-edition" && $0.message.contains("quotas of A1 (edition old) are not carried")
            })
        let n = try #require(r.targets.first { $0.target.id == "not-carried" })
        #expect(n.quotasCarried == nil && n.localities.allSatisfy { $0.quota == nil })
        #expect(
            r.warnings.contains {
                $0.code == "quota-edition" && $0.message.contains("'not-carried'")
                    && $0.message.contains("not carried without a stated rule")
            })
    }

    /// S2 (2025-09-01) names "Old A3", a unit of the old edition: the warning names its successor B4
    /// (B3 holds only a sliver of it).
    @Test func outdatedLocalityText() throws {
        let d = try Fixture.load("editions/editions.yaml")
        let w = d.warnings.filter { $0.code == "locality-outdated" }
        #expect(w.count == 1)
        #expect(
            w.first?.message.contains(
                "name 'Old A3', Old A3 (A3) of edition old, not a unit of new: its successors are B4 New B4 (100 %) (S2)"
            ) == true)
    }
}
