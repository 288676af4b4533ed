import Foundation
@testable import GeoMonitor
import Testing

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
        #expect(m.edition(on: Day(iso: "2024-12-31")!)?.id == "old" && m.edition(on: Day(iso: "2025-07-01")!)?.id == "new")
        #expect(m.localities.source == "squares_a.geojson")
        // A single mapping stays one edition, always in force.
        let single = try Manifest.load(Fixture.path("province.yaml"))
        #expect(single.editions.map(\.id) == ["default"] && !single.hasEditions)
    }

    /// Each target is judged on the edition in force at the end of its period; JSON says which.
    @Test func targetsJudgedOnTheirEdition() throws {
        let d = try load()
        #expect(d.edition == "old" && Set(d.editions.keys) == ["old", "new"])
        let r = try ProgressEngine(dataset: d).run(asOf: Day(iso: "2026-12-31")!)
        let t24 = r.targets[0], t26 = r.targets[1]
        #expect(t24.edition == "old" && t26.edition == "new")
        #expect(t24.localities.map(\.code) == ["A1", "A2", "A3"] && near(t24.localities[0].achieved, Self.s1, 1e-3))
        let b = Dictionary(uniqueKeysWithValues: t26.localities.map { ($0.code, $0) })
        #expect(near(b["B1"]?.achieved ?? 0, Self.half, 1e-3) && near(b["B2"]?.achieved ?? 0, Self.half, 1e-3))
        #expect(near(b["B4"]?.achieved ?? 0, Self.s1, 1e-3) && b["B4"]?.quota == 50)
        let json = ProgressOutput.render(r, as: .json, localities: d.localities)
        #expect(json.contains("\"edition\": \"old\"") && json.contains("\"edition\": \"new\""))
        // A manifest without editions writes no `edition` key (outputs unchanged).
        let plain = try Fixture.load("province.yaml")
        #expect(!ProgressOutput.render(try ProgressEngine(dataset: plain).run(asOf: Day(iso: "2024-12-31")!), as: .json, localities: plain.localities).contains("\"edition\""))
    }

    /// `--boundaries new`: the 2024 planting re-aggregated by geometry onto the new units.
    @Test func reaggregatedOnAnotherEdition() throws {
        let d = try load().onEdition("new")
        var e = try ProgressEngine(dataset: d)
        e.fixedEdition = true
        let t = try e.run(asOf: Day(iso: "2024-12-31")!, targets: ["planting-2024"]).targets[0]
        #expect(t.edition == "new")
        let b = Dictionary(uniqueKeysWithValues: t.localities.map { ($0.code, $0.achieved) })
        #expect(near(b["B1"] ?? 0, Self.half, 1e-3) && near(b["B2"] ?? 0, Self.half, 1e-3) && near(t.achieved ?? 0, Self.s1, 1e-3))
        #expect(try d.query(ProjectQuery(locality: "B2")).map(\.project.id) == ["S1"])
        #expect(throws: GeoMonitorError.self) { try load().onEdition("newest") }
        do { _ = try load().onEdition("newest") } catch let e as GeoMonitorError {
            #expect(e.key == "--boundaries" && e.message.contains("unknown edition 'newest'; editions: old, new"))
        }
    }

    /// Bad edition lists: one-line errors naming the key.
    @Test func badEditionLists() {
        func error(_ localities: String) -> GeoMonitorError? {
            do { _ = try Manifest.parse("localities:\n\(localities)\nprojects: []\n", file: Fixture.path("editions/inline.yaml")) }
            catch let e as GeoMonitorError { return e } catch { return nil }
            return nil
        }
        let src = "source: squares_a.geojson, fields: {code: code, name: name}"
        let overlap = error("  - {edition: a, from: 2024-01-01, to: 2025-07-01, \(src)}\n  - {edition: b, from: 2025-07-01, \(src)}")
        #expect(overlap?.key == "localities[1]" && overlap?.message.contains("overlaps edition 'a'") == true)
        #expect(error("  - {edition: a, from: 2024-01-01, \(src)}\n  - {edition: a, from: 2026-01-01, \(src)}")?.key == "localities[1].edition")
        #expect(error("  - {edition: a, from: 2025-01-01, to: 2024-01-01, \(src)}")?.key == "localities[0].to")
        #expect(error("  - {from: 2025-01-01, \(src)}")?.message.contains("missing key 'edition'") == true)
        #expect(error("  - {edition: a, sources: [{\(src)}], source: x.geojson}")?.message.contains("not both") == true)
        #expect(error("  - {edition: a, \(src), gazetteer: {country: XX}}")?.key == "localities[0].gazetteer.country")
        #expect(error("  - {edition: a, source: squares_a.geojson, fields: {name: name}}")?.key == "localities[0].fields")
    }
}
