import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// Queries over the fixture province (see AssignmentTests for the layout and the shares).
@Suite("Query")
struct QueryTests {
    let data: Dataset
    let assignment: SpatialAssignment

    init() throws {
        data = try Fixture.load("province.yaml")
        assignment = try SpatialAssignment(data)
    }

    func run(_ q: ProjectQuery) throws -> [QueryRow] { try data.query(q, assignment: assignment) }

    /// (project id, locality code or "-" for outside)
    func keys(_ rows: [QueryRow]) -> [String] { rows.map { "\($0.project.id)@\($0.locality?.code ?? "-")" } }

    @Test func everything() throws {
        let rows = try run(ProjectQuery())
        // One row per (project, locality) plus TR-03's outside part: 2 + 1 + 2 + 1 + 2 + 2 = 10.
        #expect(
            keys(rows) == [
                "TR-01@672", "TR-01@677", "TR-02@672", "DG-01@672", "DG-01@675", "CH-01@677",
                "TR-03@677", "TR-03@-", "TR-04@672", "TR-04@675",
            ])
        let out = try #require(rows.first { $0.locality == nil })
        #expect(near(out.share, 0.5, 1e-6))
        // the outside half of TR-03: 2410149.8572711945 − 1205074.9205749035 m² (geographiclib) ≈ 120.5075 ha
        #expect(nearRel(out.areaHa, 120.5074936696291, 1e-4))
    }

    /// By district, typed with Đ (U+0110) while the file says Ð (U+00D0): only the parts inside.
    @Test func byDistrict() throws {
        let rows = try run(ProjectQuery(locality: "Đà Lạt"))
        #expect(keys(rows) == ["TR-01@672", "TR-02@672", "DG-01@672", "TR-04@672"])
        #expect(near(rows[0].share, 0.5, 1e-6))
        #expect(near(rows[2].share, 0.25, 1e-6))
        #expect(keys(try run(ProjectQuery(locality: "675"))) == ["DG-01@675", "TR-04@675"])
        #expect(keys(try run(ProjectQuery(locality: "huyen don duong"))) == ["TR-01@677", "CH-01@677", "TR-03@677"])
        let e = #expect(throws: GeoMonitorError.self) { _ = try run(ProjectQuery(locality: "Bảo Lộc")) }
        #expect(e?.kind == .lookup)
    }

    /// A box around TR-03 only: [108.585, 11.905] – [108.62, 11.925]. TR-01 stops at 108.51 and
    /// CH-01 is at (108.55, 11.95), both outside it.
    @Test func byBBox() throws {
        #expect(
            keys(try run(ProjectQuery(bbox: LonLatBox(west: 108.585, south: 11.905, east: 108.62, north: 11.925)))) == [
                "TR-03@677", "TR-03@-",
            ])
        // A box that meets only the corner of TR-01 [108.49,108.51]×[11.95,11.96].
        let corner = ProjectQuery(bbox: LonLatBox(west: 108.505, south: 11.955, east: 108.52, north: 11.97))
        #expect(keys(try run(corner)) == ["TR-01@672", "TR-01@677"])
    }

    /// The box rules of OGC API – Features, as the server's `bbox` and the CLI's `--bbox` share them:
    /// 6 numbers carry heights (ignored), west > east crosses the antimeridian.
    @Test func bboxWithHeightsAndAcrossTheAntimeridian() throws {
        let four = try LonLatBox(parsing: "108.585,11.905,108.62,11.925")
        #expect(try LonLatBox(parsing: "108.585,11.905,-5,108.62,11.925,3000") == four)
        #expect(keys(try run(ProjectQuery(bbox: four))) == ["TR-03@677", "TR-03@-"])
        // 100°E eastwards round to 170°W: the whole province.
        let across = try LonLatBox(parsing: "100,-10,-170,20")
        #expect(across.parts.count == 2)
        #expect(keys(try run(ProjectQuery(bbox: across))) == keys(try run(ProjectQuery())))
        #expect(try run(ProjectQuery(bbox: LonLatBox(parsing: "110,-10,-170,20"))).isEmpty)
        #expect(throws: LonLatBox.SyntaxError.notNumbers) { try LonLatBox(parsing: "1, 2,3,4") }
        #expect(throws: LonLatBox.SyntaxError.notNumbers) { try LonLatBox(parsing: "1,2,3,4,5") }
        #expect(throws: LonLatBox.SyntaxError.heightsReversed) { try LonLatBox(parsing: "1,2,9,3,4,5") }
        #expect(throws: LonLatBox.SyntaxError.notDegrees) { try LonLatBox(parsing: "200,0,210,10") }
        #expect(throws: LonLatBox.SyntaxError.latitudesReversed) { try LonLatBox(parsing: "1,20,3,10") }
    }

    /// CH-01 at (108.55, 11.95) is 2212.4395023783504 m from (108.55, 11.97) (geographiclib Inverse).
    /// The nearest other project, TR-01, is ≥ 0.04° of longitude ≈ 4.36 km away.
    @Test func byDistance() throws {
        #expect(keys(try run(ProjectQuery(near: (Coordinate(108.55, 11.97), 2300)))) == ["CH-01@677"])
        #expect(try run(ProjectQuery(near: (Coordinate(108.55, 11.97), 2200))).isEmpty)
        // Inside a polygon the distance is 0: a point in the middle of TR-02 finds it with a 1 m radius.
        #expect(keys(try run(ProjectQuery(near: (Coordinate(108.425, 11.925), 1)))) == ["TR-02@672"])
    }

    @Test func byKindAndStatus() throws {
        #expect(keys(try run(ProjectQuery(kinds: [.road]))) == ["DG-01@672", "DG-01@675"])
        #expect(keys(try run(ProjectQuery(kinds: [.market]))) == ["CH-01@677"])
        #expect(keys(try run(ProjectQuery(statuses: [.stalled]))) == ["CH-01@677"])
        #expect(
            keys(try run(ProjectQuery(statuses: [.completed]))) == ["TR-01@672", "TR-01@677", "TR-03@677", "TR-03@-"])
        #expect(
            keys(try run(ProjectQuery(statuses: [.underConstruction]))) == [
                "TR-02@672", "DG-01@672", "DG-01@675", "TR-04@672", "TR-04@675",
            ])
        // All conditions hold together.
        #expect(
            keys(try run(ProjectQuery(locality: "677", kinds: [.forestPlanting], statuses: [.completed]))) == [
                "TR-01@677", "TR-03@677",
            ])
    }

    /// The options as typed on the command line (parsed by the CLI): units of `--radius`, the
    /// box rules, and usage errors (exit 64) naming the option.
    @Test(.enabled(if: CLIBinary.path != nil, "needs the geomonitor binary next to the tests"))
    func commandLineText() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        func ids(_ args: [String]) throws -> [String] {
            let r = try CLIBinary.run(
                ["query", "--manifest", Fixture.path("province.yaml"), "--format", "csv"] + args, cwd: dir)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return r.stdout.split(whereSeparator: \.isNewline).dropFirst().map {
                String($0.prefix { $0 != "," }) + "@"
                    + String($0.split(separator: ",", omittingEmptySubsequences: false)[5])
            }
        }
        #expect(try ids(["--near", "108.55,11.97", "--radius", "2.3km"]) == ["CH-01@677"])
        #expect(try ids(["--near", "108.55,11.97", "--radius", "2200m"]).isEmpty)
        #expect(try ids(["--near", "108.55,11.97", "--radius", "2.3"]) == ["CH-01@677"])
        #expect(try ids(["--near", "108.55,11.97", "--radius", "2300 m"]) == ["CH-01@677"])
        #expect(try ids(["--bbox", "108.585, 11.905, 108.62, 11.925"]) == ["TR-03@677", "TR-03@"])
        #expect(try ids(["--bbox", "108.585,11.905,0,108.62,11.925,10"]) == ["TR-03@677", "TR-03@"])
        #expect(
            try ids(["--district", "677", "--kind", "forest_planting", "--status", "completed"]) == [
                "TR-01@677", "TR-03@677",
            ])
        func usage(_ args: [String]) throws -> String {
            let r = try CLIBinary.run(["query", "--manifest", Fixture.path("province.yaml")] + args, cwd: dir)
            #expect(r.status == 64, "\(args): \(r.status)")
            return r.stderr
        }
        // Latitude 108.4 is impossible: axes swapped.
        #expect(try usage(["--bbox", "11.9,108.4,12.0,108.5"]).contains("is not longitude/latitude in degrees"))
        #expect(try usage(["--near", "108.5,11.9"]).contains("--radius"))
        #expect(try usage(["--kind", "forest"]).contains("forest_planting"))  // lists the canonical kinds
        #expect(try usage(["--near", "108.5,11.9", "--radius", "far"]).contains("is not a distance"))
    }

    // MARK: - JSON shape

    /// Rows for Đơn Dương: a polygon part (area_ha), a point (no measure); and DG-01 in Lạc Dương (length_km).
    @Test func jsonShape() throws {
        let rows = try run(ProjectQuery(locality: "677")) + run(ProjectQuery(locality: "675", kinds: [.road]))
        let text = QueryOutput.render(rows, as: .json)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 4)
        let byID = Dictionary(uniqueKeysWithValues: parsed.map { ($0["id"] as? String ?? "?", $0) })
        #expect(Set(byID.keys) == ["TR-01", "CH-01", "TR-03", "DG-01"])
        for o in parsed {
            for key in ["id", "name", "kind", "status", "locality", "share"] {
                #expect(o[key] != nil, "missing \(key) in \(o)")
            }
        }
        let tr01 = try #require(byID["TR-01"])
        #expect(tr01["name"] as? String == "Trồng rừng ranh giới")
        #expect(tr01["kind"] as? String == "forest_planting")
        #expect(tr01["status"] as? String == "completed")
        let loc = try #require(tr01["locality"] as? [String: Any])
        #expect(loc["code"] as? String == "677")
        #expect(sameScalars(loc["name"] as? String ?? "", "\u{00D0}on Duong"))
        #expect(near(tr01["share"] as? Double ?? 0, 0.5, 1e-6))
        #expect(nearRel(tr01["area_ha"] as? Double ?? 0, 120.49016656985283, 1e-4))
        #expect(tr01["length_km"] == nil)
        let ch01 = try #require(byID["CH-01"])
        #expect(ch01["status"] as? String == "stalled")
        #expect(ch01["share"] as? Double == 1)
        #expect(ch01["area_ha"] == nil && ch01["length_km"] == nil)
        let dg01 = try #require(byID["DG-01"])
        #expect(near(dg01["share"] as? Double ?? 0, 0.75, 1e-6))
        #expect(nearRel(dg01["length_km"] as? Double ?? 0, 3.3186722561882084, 1e-4))
        #expect(dg01["area_ha"] == nil)
        #expect((dg01["locality"] as? [String: Any])?["code"] as? String == "675")
    }

    @Test func jsonOutsideRowHasNullLocality() throws {
        let rows = try run(ProjectQuery(statuses: [.completed])).filter { $0.project.id == "TR-03" }
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(QueryOutput.render(rows, as: .json).utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed.contains { $0["locality"] is NSNull })
        #expect(parsed.contains { ($0["locality"] as? [String: Any])?["code"] as? String == "677" })
    }
}
