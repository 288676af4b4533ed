import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// A GADM-style district file of Lâm Đồng (Fixtures/editions/gadm_districts.geojson: ids 663–674 of
/// its own, Di Linh numbered 672 — the GSO code of Đà Lạt —, "Ðon Duong", "Lạc Duong", Bảo Lộc still
/// a "Thị xã") read as it is, with a gazetteer, and with quotas naming their unit.
/// Plot areas from pyproj (make_editions.py): P1 in Đà Lạt 97.603882 ha, P2 in Di Linh 97.731776 ha,
/// P3 in Lạc Dương 97.537906 ha.
@Suite("Gazetteer and codes that lie")
struct GazetteerTests {
    static let p1 = 97.603882, p2 = 97.731776, p3 = 97.537906

    func progress(_ manifest: String) throws -> (Dataset, ProgressReport) {
        let d = try Fixture.load("editions/\(manifest)")
        let r = try ProgressEngine(dataset: d).run(asOf: Day(iso: "2024-12-31"))
        return (d, r)
    }

    /// Read as it is, the file's 672 is Di Linh: a warning names both; quotas naming their unit
    /// land on the unit they name, not on the code.
    @Test func codesThatLie() throws {
        let (d, r) = try progress("gadm.yaml")
        #expect(d.localities[code: "672"]?.name == "Di Linh")
        let mismatch = d.warnings.filter { $0.code == "code-name-mismatch" }
        #expect(
            mismatch.contains {
                $0.message.contains("code 672 is 'Di Linh'") && $0.message.contains("Thành phố Đà Lạt")
                    && $0.message.contains("Huyện Di Linh is 679")
            })
        #expect(
            mismatch.contains {
                $0.message.contains("code 673 is 'Lạc Duong'") && $0.message.contains("Thành phố Bảo Lộc")
            })
        let t = r.targets[0]
        let byName = Dictionary(uniqueKeysWithValues: t.localities.map { ($0.name, $0) })
        // Đà Lạt (the file's 667) gets the quota the catalog keys 672 and names Đà Lạt; Di Linh (the file's 672) gets Di Linh's.
        #expect(byName["\u{00D0}à Lạt"]?.quota == 100 && near(byName["\u{00D0}à Lạt"]?.percent ?? 0, Self.p1, 1e-3))
        #expect(byName["Di Linh"]?.quota == 100 && near(byName["Di Linh"]?.percent ?? 0, Self.p2, 1e-3))
        #expect(
            r.warnings.contains {
                $0.code == "quota-name"
                    && $0.message.contains(
                        "names Đà Lạt, but the boundaries' 672 is Huyện Di Linh; the quota is counted on Thành phố \u{00D0}à Lạt (667)"
                    )
            })
        #expect(
            r.warnings.contains {
                $0.code == "quota-name"
                    && $0.message.contains(
                        "'679' names Di Linh, but the boundaries have no 679; the quota is counted on Huyện Di Linh (672)"
                    )
            })
        // The plain quota "675" finds no unit in this file.
        #expect(r.warnings.contains { $0.code == "quota-unknown-locality" && $0.message.contains("'675'") })
        // Every warning reaches the JSON.
        #expect(ProgressOutput.render(r, as: .json, localities: d.localities).contains("code-name-mismatch"))
    }

    /// With the gazetteer every district gets its official code, name and type; the file's
    /// spelling and id stay as source_name / source_code; quotas land by code.
    @Test func gazetteerGivesOfficialCodes() throws {
        let (d, r) = try progress("gadm_gazetteer.yaml")
        #expect(
            d.localities.all.map(\.code).sorted() == [
                "672", "673", "674", "675", "676", "677", "678", "679", "680", "681", "682", "683",
            ])
        let dalat = try #require(d.localities[code: "672"])
        #expect(
            dalat.name == "Đà Lạt" && dalat.type == "Thành phố" && dalat.sourceName == "\u{00D0}à Lạt"
                && dalat.sourceCode == "667")
        #expect(
            d.localities[code: "677"]?.name == "Đơn Dương"
                && d.localities[code: "677"]?.sourceName == "\u{00D0}on Duong")
        #expect(d.localities[code: "675"]?.sourceName == "Lạc Duong" && d.localities[code: "679"]?.sourceCode == "672")
        #expect(d.localities[code: "673"]?.type == "Thành phố")
        #expect(
            d.warnings.contains {
                $0.code == "gazetteer-type" && $0.message.contains("'Thị xã Bảo Lộc' is Thành phố Bảo Lộc (673)")
            })
        #expect(!d.warnings.contains { $0.code == "code-name-mismatch" || $0.code == "gazetteer-missing" })
        let t = r.targets[0]
        let q = Dictionary(uniqueKeysWithValues: t.localities.map { ($0.code, $0) })
        #expect(near(q["672"]?.achieved ?? 0, Self.p1, 1e-3) && q["672"]?.quota == 100)
        #expect(near(q["679"]?.achieved ?? 0, Self.p2, 1e-3) && q["679"]?.quota == 100)
        #expect(near(q["675"]?.achieved ?? 0, Self.p3, 1e-3) && q["675"]?.quota == 100)
        #expect(!r.warnings.contains { $0.code.hasPrefix("quota") })
        // The locality export carries source_name.
        let feature = try #require(try GeoJSONExport.localities(d).first { $0.id == "672" })
        #expect(feature.properties.contains { $0.0 == "source_name" && $0.1 == .string("\u{00D0}à Lạt") })
        #expect(feature.properties.contains { $0.0 == "source_code" && $0.1 == .string("667") })
        #expect(feature.properties.contains { $0.0 == "name" && $0.1 == .string("Đà Lạt") })
    }

    /// A unit of the list without a feature is a warning naming it; `fields.code` is optional.
    @Test func missingUnitIsWarned() throws {
        let d = try Fixture.load("editions/gadm_missing.yaml")
        #expect(d.localities.all.count == 11 && d.localities[code: "683"] == nil)
        #expect(d.localities[code: "672"]?.sourceCode == nil)
        #expect(d.warnings.contains { $0.code == "gazetteer-missing" && $0.message.contains("Huyện Cát Tiên (683)") })
    }

    /// A feature that matches nothing, or several units, is an error listing candidates.
    @Test func unmatchedAndAmbiguousFeatures() throws {
        func fails(_ provinces: String, asOf: String = "2024-12-31", level: String = "", _ expected: [String]) {
            let yaml = """
                localities:
                  source: gadm_districts.geojson
                  fields: {name: NAME_2}
                  gazetteer: {country: VN, provinces: [\(provinces)], as_of: \(asOf)\(level)}
                projects:
                  - {source: plots.geojson, kind: forest_planting, fields: {id: id, status: status, date: date}}
                """
            do {
                _ = try Fixture.load(yaml: yaml, as: "editions/inline.yaml")
                Issue.record("no error")
            } catch let e as GeoMonitorError {
                #expect(e.kind == .lookup && e.key == "localities.gazetteer", "\(e)")
                for s in expected { #expect(e.description.contains(s), "\(e.description)") }
                #expect(!e.description.contains("\n"))
            } catch { Issue.record("unexpected \(error)") }
        }
        // Đắk Nông's districts only: "Bảo Lâm" is not one.
        fails(
            "\"67\"",
            [
                "gadm_districts.geojson", "feature 0",
                "'Bảo Lâm' matches no district in force on 2024-12-31 in province(s) 67; closest:",
            ])
        // Communes of 2024: "Di Linh" names no commune... but Lâm Hà? "Đạ Huoai"... matches a thị trấn; the first that fails is reported.
        fails("\"68\"", level: ", level: commune", ["matches no commune in force on 2024-12-31"])
    }

    /// Bad gazetteer settings: unknown country, single mapping without a date.
    @Test func badSettings() {
        func error(_ gazetteer: String) -> GeoMonitorError? {
            let yaml =
                "localities: {source: gadm_districts.geojson, fields: {name: NAME_2}, gazetteer: \(gazetteer)}\nprojects: []\n"
            do { _ = try Manifest.parse(yaml, file: Fixture.path("editions/inline.yaml")) } catch let e
                as GeoMonitorError
            { return e } catch { return nil }
            return nil
        }
        let country = error("{country: TH, provinces: [\"10\"], as_of: 2024-12-31}")
        #expect(
            country?.key == "localities.gazetteer.country"
                && country?.message.contains("no unit list for country 'TH'") == true)
        let date = error("{country: VN, provinces: [\"68\"]}")
        #expect(date?.key == "localities.gazetteer" && date?.message.contains("as_of") == true)
        #expect(
            error("{country: VN, provinces: [\"68\"], as_of: 2024-12-31, level: hamlet}")?.key
                == "localities.gazetteer.level")
    }
}
