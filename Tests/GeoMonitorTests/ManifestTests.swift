import Foundation
import GeoMonitor
import TestSupport
import Testing

@Suite("Manifest validation")
struct ManifestTests {
    static let localities = "localities: {source: province.geojson, fields: {code: ma, name: ten, type: loai}}"

    /// The manifest of the fixture province, with the `values:` block replaced.
    static func provinceYAML(
        fields: String = "{id: ma, name: ten, kind: loai, status: trang_thai, date: ngay}",
        status: String =
            #"{"hoàn thành": completed, "đang thi công": under_construction, "đã khởi công": under_construction, "chậm tiến độ": stalled}"#
    ) -> String {
        """
        \(localities)
        projects:
          - source: projects.geojson
            fields: \(fields)
            values:
              kind: {"trồng rừng": forest_planting, "đường": road, "chợ": market}
              status: \(status)
        """
    }

    @Test func fixtureManifestLoads() throws {
        let m = try Manifest.load(Fixture.path("province.yaml"))
        #expect(m.name == "fixture province")
        #expect(m.province == LocalityDirectory.Province(code: "68", name: "Lâm Đồng", type: "Tỉnh"))
        #expect(m.projects.count == 1)
        #expect(m.projects[0].statusValues["chậm tiến độ"] == .stalled)
        let d = try Dataset.load(m)
        #expect(d.localities.all.count == 3)
        #expect(d.projects.map(\.id) == ["TR-01", "TR-02", "DG-01", "CH-01", "TR-03", "TR-04"])
        // Vietnamese vocabulary mapped; dd/mm/yyyy and ISO dates both read.
        #expect(d.project("CH-01")?.status == .stalled)
        #expect(d.project("DG-01")?.status == .underConstruction)
        #expect(d.project("DG-01")?.kind == .road)
        #expect(d.project("TR-01")?.date == Day(year: 2024, month: 3, day: 15))
        #expect(d.project("TR-04")?.date == Day(year: 2024, month: 4, day: 1))
        #expect(d.project("TR-01")?.trees == 2000)
        #expect(d.project("TR-01")?.declaredAreaHa == 240.5)
        #expect(d.project("DG-01")?.trees == nil)
    }

    // MARK: - Unknown keys

    @Test func unknownTopLevelKeyNamesKeyAndFile() throws {
        let file = Fixture.path("typo.yaml")
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Manifest.parse("\(Self.localities)\nprojects: []\nprojets: []\n", file: file)
        }
        #expect(e?.kind == .configuration)
        #expect(e?.key == "projets")
        #expect(e?.file == file)
        let text = e?.description ?? ""
        #expect(text.contains("typo.yaml") && text.contains("projets"), "\(text)")
    }

    @Test func unknownNestedKeyNamesItsPath() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Manifest.parse(
                """
                \(Self.localities)
                projects:
                  - source: projects.geojson
                    kind: road
                    status: planned
                    feilds: {id: ma}
                """, file: Fixture.path("typo.yaml"))
        }
        #expect(e?.kind == .configuration)
        #expect(e?.key == "projects[0].feilds")
        #expect(e?.description.contains("feilds") == true)
    }

    @Test func unknownFieldNameIsRejected() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Manifest.parse(
                Self.provinceYAML(fields: "{id: ma, colour: ten, kind: loai, status: trang_thai}"),
                file: Fixture.path("m.yaml"))
        }
        #expect(e?.key == "projects[0].fields.colour")
    }

    @Test func unknownCanonicalValueIsRejected() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Manifest.parse(
                Self.provinceYAML(status: #"{"hoàn thành": finished}"#), file: Fixture.path("m.yaml"))
        }
        #expect(e?.kind == .configuration)
        #expect(e?.description.contains("finished") == true)
    }

    @Test func missingRequiredKeys() throws {
        let e1 = #expect(throws: GeoMonitorError.self) {
            _ = try Manifest.parse("projects: []\n", file: Fixture.path("m.yaml"))
        }
        #expect(e1?.description.contains("localities") == true)
        let e2 = #expect(throws: GeoMonitorError.self) {
            _ = try Manifest.parse(
                "\(Self.localities)\nprojects:\n  - {source: projects.geojson, fields: {id: ma}}\n",
                file: Fixture.path("m.yaml"))
        }
        #expect(e2?.key == "projects[0]")
        #expect(e2?.description.contains("kind") == true)
    }

    @Test func missingManifestFile() throws {
        let e = #expect(throws: GeoMonitorError.self) { _ = try Manifest.load(Fixture.path("absent.yaml")) }
        #expect(e?.kind == .configuration)
        #expect(e?.description.contains("absent.yaml") == true)
    }

    // MARK: - Columns and values

    @Test func missingMappedColumnNamesTheColumn() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: Self.provinceYAML(fields: "{id: ma, name: ten_du_an, kind: loai, status: trang_thai}"))
        }
        #expect(e?.kind == .field)
        #expect(e?.key == "projects[0].fields.name")
        let text = e?.description ?? ""
        #expect(text.contains("'ten_du_an'"), "\(text)")
        #expect(text.contains("projects.geojson"), "\(text)")
        // It lists the columns there are.
        #expect(text.contains("trang_thai"), "\(text)")
    }

    @Test func missingLocalityColumnNamesTheColumn() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: "localities: {source: province.geojson, fields: {code: ma_huyen, name: ten}}\nprojects: []\n")
        }
        #expect(e?.kind == .field)
        #expect(e?.key == "localities.fields.code")
        #expect(e?.description.contains("'ma_huyen'") == true)
    }

    /// "chậm tiến độ" (CH-01) is neither canonical nor mapped.
    @Test func unmappedStatusNamesTheValue() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: Self.provinceYAML(
                    status:
                        #"{"hoàn thành": completed, "đang thi công": under_construction, "đã khởi công": under_construction}"#
                ))
        }
        #expect(e?.kind == .value)
        #expect(e?.key == "projects[0].values.status")
        let text = e?.description ?? ""
        #expect(text.contains("'chậm tiến độ'"), "\(text)")
        #expect(text.contains("trang_thai"), "\(text)")
    }

    /// Mappings compare without regard to case, diacritics or normalisation: keys typed in ASCII
    /// capitals still match the Vietnamese values of the file.
    @Test func statusMappingIsDiacriticInsensitive() throws {
        let d = try Fixture.load(
            yaml: Self.provinceYAML(
                status:
                    "{HOAN THANH: completed, dang thi cong: under_construction, da khoi cong: under_construction, cham tien do: stalled}"
            ))
        #expect(d.project("CH-01")?.status == .stalled)
        #expect(d.project("TR-01")?.status == .completed)
    }

    @Test func unparseableDateNamesTheValue() throws {
        // ISO only: "15/03/2024" (TR-01) is not a date in that format.
        let yaml = Self.provinceYAML().replacingOccurrences(
            of: "    values:", with: "    date_format: yyyy-MM-dd\n    values:")
        let e = #expect(throws: GeoMonitorError.self) { _ = try Fixture.load(yaml: yaml) }
        #expect(e?.kind == .value)
        #expect(e?.key == "projects[0].fields.date")
        #expect(e?.description.contains("15/03/2024") == true)
    }

    // MARK: - Paths

    /// Sources are found next to the manifest, wherever the process runs.
    @Test func pathsAreRelativeToTheManifest() throws {
        #expect(FileManager.default.currentDirectoryPath != Fixture.dir)
        let m = try Manifest.load(Fixture.path("province.yaml"))
        #expect(m.localities.source == "province.geojson")
        #expect(m.resolve("province.geojson") == Fixture.path("province.geojson"))
        #expect(m.resolve("noprj/lines.shp") == Fixture.path("noprj/lines.shp"))
        #expect(FileManager.default.fileExists(atPath: m.resolve(m.projects[0].source)))
        // By hand: /data/lam-dong/manifest.yaml + ../shared/x.gpkg = /data/shared/x.gpkg; absolute paths stay.
        let other = try Manifest.parse("\(Self.localities)\nprojects: []\n", file: "/data/lam-dong/manifest.yaml")
        #expect(other.resolve("../shared/x.gpkg") == "/data/shared/x.gpkg")
        #expect(other.resolve("./a/b.shp") == "/data/lam-dong/a/b.shp")
        #expect(other.resolve("/srv/b.gpkg") == "/srv/b.gpkg")
    }

    // MARK: - Duplicate ids

    @Test func duplicateIDsInOneSource() throws {
        let e = #expect(throws: GeoMonitorError.self) { _ = try Fixture.load("duplicates.yaml") }
        #expect(e?.kind == .value)
        let text = e?.description ?? ""
        #expect(text.contains("'X-1'"), "\(text)")
        #expect(text.contains("projects_dup.geojson"), "\(text)")
    }

    /// sample_lonlat.csv repeats S1 and S2 of sample.geojson; CSV rows keep their order, so S1 is the first clash.
    @Test func duplicateIDsAcrossSources() throws {
        let e = #expect(throws: GeoMonitorError.self) {
            _ = try Fixture.load(
                yaml: """
                    \(Self.localities)
                    projects:
                      - {source: sample.geojson, kind: other, status: planned, fields: {id: ma}}
                      - source: sample_lonlat.csv
                        crs: "EPSG:4326"
                        open_options: {X_POSSIBLE_NAMES: lon, Y_POSSIBLE_NAMES: lat}
                        kind: other
                        status: planned
                        fields: {id: ma}
                    """)
        }
        #expect(e?.kind == .value)
        let text = e?.description ?? ""
        #expect(text.contains("'S1'"), "\(text)")
        #expect(text.contains("sample_lonlat.csv") && text.contains("sample.geojson"), "\(text)")
    }
}
