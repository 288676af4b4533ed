import Foundation
import GDALKit
import GeoKit
import GeoMonitor
import TestSupport
import Testing

/// Registers as commune and district offices keep them (issue 17): the files under
/// Fixtures/registers, built by make_registers.py. Every expected figure was computed there with
/// pyproj / by hand, not with geomonitor: budget 1,200 + 1,250.5 + 1,030.5 = 3,481; Excel serial
/// 45458 = 2024-06-15; DGN parcels 1.5002 + 1.5102 (+ 2.0003 as a closed line) = 5.0107 ha;
/// GPX perimeters 1.0000034 + 1.3799997 = 2.38 ha (lô B's ends 12.00 m apart).
enum Registers {
    static let localities = """
        localities:
          source: registers/districts.geojson
          fields: {code: ma, name: ten}
        targets: registers/targets.yaml
        """

    /// A manifest over one project source (the YAML lines of the entry, indented by four).
    static func manifest(_ source: String, header: String = "") -> String {
        header + localities + "\nprojects:\n  - "
            + source.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ") + "\n"
    }

    static func load(_ source: String, header: String = "", filter: ProjectFilter? = nil) throws -> Dataset {
        try Dataset.load(
            Manifest.parse(manifest(source, header: header), file: Fixture.path("registers.yaml")), filter: filter)
    }

    static func progress(_ d: Dataset, _ targets: [String]) throws -> ProgressReport {
        let catalog = try TargetCatalog.load(Fixture.path("registers/targets.yaml"))
        return try ProgressEngine(dataset: d, catalog: catalog).run(asOf: Day(iso: "2024-12-31"), targets: targets)
    }

    /// The message of the GeoMonitorError `body` throws (a failure is recorded when it throws none).
    static func error(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> GeoMonitorError?
    {
        do { try body() } catch let e as GeoMonitorError { return e } catch {
            Issue.record("not a GeoMonitorError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
        Issue.record("no error thrown", sourceLocation: sourceLocation)
        return nil
    }

    /// The site register of register.xlsx / .ods / .csv, as its manifest entry.
    static func sites(_ file: String, layer: String? = "du_an", extra: String = "number_format: en\ndate_serial: excel")
        -> String
    {
        """
        source: registers/\(file)\(layer.map { "\nlayer: \($0)" } ?? "")
        geometry: {lon: kinh_do, lat: vi_do}
        kind: public_facility
        date_format: dd/MM/yyyy
        \(extra)
        fields: {id: ma_du_an, name: ten, status: tinh_trang, date: ngay, budget: kinh_phi}
        values: {status: {"hoàn thành": completed, "đang thi công": under_construction, "kế hoạch": planned}}
        """
    }
}

@Suite("Registers: coordinates in any table")
struct RegisterTableGeometryTests {
    @Test("XLSX, ODS and CSV registers place the same three sites and name the row without coordinates")
    func sameForEveryTable() throws {
        for (file, layer) in [("register.xlsx", "du_an"), ("register.ods", "du_an"), ("register.csv", nil)]
            as [(String, String?)]
        {
            let d = try Registers.load(Registers.sites(file, layer: layer))
            #expect(d.projects.map(\.id) == ["S1", "S2", "S3"], "\(file)")
            let want: [String: (Double, Double)] = [
                "S1": (108.44, 11.94), "S2": (108.30, 11.90), "S3": (108.45, 11.95),
            ]
            for p in d.projects {
                guard case .point(let c) = p.geometry, let w = want[p.id] else {
                    Issue.record("\(file) \(p.id): \(p.geometry)")
                    continue
                }
                #expect(near(c.x, w.0, 1e-12) && near(c.y, w.1, 1e-12), "\(file) \(p.id): \(c)")
            }
            let w = d.warnings.first { $0.code == "no-geometry" }
            #expect(
                w?.message.contains("without coordinates in kinh_do/vi_do") == true
                    && w?.message.contains("S4") == true, "\(file): \(d.warnings)")
            // Budget: 1,200 + "1,250.5" + "1,030.5" in English notation = 3,481.
            #expect(near(d.projects.compactMap(\.budget).reduce(0, +), 3481, 1e-9), "\(file)")
            // Dates: a date cell (GDAL's "2024/06/20" in a text column, ISO in the CSV), dd/mm/yyyy, Excel serial 45458.
            #expect(
                d.projects.map { $0.date?.description ?? "-" } == ["2024-06-20", "2024-03-15", "2024-06-15"], "\(file)")
        }
    }

    @Test("The row without coordinates reaches the progress report's warnings in JSON, table and markdown")
    func warningInEveryOutput() throws {
        let d = try Registers.load(Registers.sites("register.xlsx"))
        let report = try Registers.progress(d, ["budget"])
        #expect(near(report.targets[0].achieved ?? 0, 3481, 1e-9))
        #expect(report.warnings.contains { $0.code == "no-geometry" && $0.message.contains("S4") })
        for format in [ProgressOutput.Format.json, .table, .markdown] {
            let text = ProgressOutput.render(report, as: format, localities: d.localities)
            #expect(text.contains("without coordinates") && text.contains("S4"), "\(format)")
        }
    }

    @Test("An open option the driver does not know is an error naming it")
    func unknownOpenOption() {
        let e = Registers.error {
            _ = try Registers.load(
                """
                source: registers/register.xlsx
                layer: du_an
                open_options: {X_POSSIBLE_NAMES: kinh_do, Y_POSSIBLE_NAMES: vi_do}
                crs: EPSG:4326
                kind: public_facility
                fields: {id: ma_du_an, status: tinh_trang}
                """)
        }
        #expect(e?.kind == .configuration)
        #expect(e?.key == "projects[0].open_options")
        #expect(
            e?.message.contains("XLSX driver has no open option 'X_POSSIBLE_NAMES'") == true, "\(String(describing: e))"
        )
        #expect(e?.message.contains("geometry: {lon: COLUMN, lat: COLUMN}") == true)
    }

    @Test("VN-2000 survey table: X = northing, Y = easting, lands on the sites' longitude/latitude")
    func surveyOrder() throws {
        let d = try Registers.load(
            """
            source: registers/register.xlsx
            layer: khao_sat
            crs: EPSG:5899
            geometry: {x: X, y: Y, order: survey}
            kind: other
            status: planned
            fields: {id: so_hieu}
            """)
        let want: [String: (Double, Double)] = ["S1": (108.44, 11.94), "S2": (108.30, 11.90), "S3": (108.45, 11.95)]
        #expect(d.projects.count == 3)
        for p in d.projects {
            guard case .point(let c) = p.geometry, let w = want[p.id] else {
                Issue.record("\(p.id): \(p.geometry)")
                continue
            }
            // Coordinates written to the millimetre: within 1e-7° (≈ 1 cm).
            #expect(near(c.x, w.0, 1e-7) && near(c.y, w.1, 1e-7), "\(p.id): \(c)")
        }
    }

    @Test("A survey table read in GIS order falls outside, and the warning says to read it in survey order")
    func surveyReadAsGIS() throws {
        let d = try Registers.load(
            """
            source: registers/register.xlsx
            layer: khao_sat
            crs: EPSG:5899
            geometry: {x: X, y: Y}
            kind: other
            status: planned
            fields: {id: so_hieu}
            """)
        let r = try Registers.progress(d, ["budget"])
        let w = r.warnings.first { $0.code == "outside-localities" }?.message ?? ""
        #expect(
            w.contains("coordinates look swapped (X/Y)") && w.contains("geometry: {x: X, y: Y, order: survey}"),
            "\(r.warnings)")
    }

    @Test("A WKT column in VN-2000 metres gives the plots' areas (pyproj: 2.00033 and 1.00016 ha)")
    func wktColumn() throws {
        let d = try Registers.load(
            """
            source: registers/register.xlsx
            layer: lo_2024
            crs: EPSG:5899
            geometry: {wkt: wkt}
            kind: forest_planting
            fields: {id: ma_lo, status: trang_thai, date: ngay}
            values: {status: {"hoàn thành": completed}}
            """)
        #expect(d.projects.map(\.id) == ["1203", "1301"])
        #expect(
            near(d.projects[0].areaHa, 2.0003289700, 1e-6) && near(d.projects[1].areaHa, 1.0001640103, 1e-6),
            "\(d.projects.map(\.areaHa))")
    }
}

@Suite("Registers: numbers and dates as written")
struct RegisterNumberDateTests {
    @Test("Vietnamese notation: 1.250,5 and 1,5 (1,200 + 1,250.5 + 1.5 = 2,452)")
    func vietnamese() throws {
        let d = try Registers.load(
            Registers.sites("register.xlsx", layer: "du_an_vi", extra: "number_format: vi\ndate_serial: excel"))
        #expect(d.projects.map { $0.budget ?? -1 } == [1200, 1250.5, 1.5])
    }

    @Test("The manifest's language sets the notation: language: en reads 3,481")
    func language() throws {
        let d = try Registers.load(
            Registers.sites("register.xlsx", extra: "date_serial: excel"), header: "language: en\n")
        #expect(near(d.projects.compactMap(\.budget).reduce(0, +), 3481, 1e-9))
    }

    @Test("English text under a Vietnamese declaration is an error naming value, column and project")
    func misfit() {
        let e = Registers.error {
            _ = try Registers.load(Registers.sites("register.xlsx", extra: "number_format: vi\ndate_serial: excel"))
        }
        #expect(e?.key == "projects[0].fields.budget")
        #expect(
            e?.message.contains("'1,250.5' in column 'kinh_phi' of project 'S2'") == true, "\(String(describing: e))")
        #expect(e?.message.contains("English notation") == true)
    }

    @Test("Undeclared, '1,250' is ambiguous: an error naming value, column and project")
    func ambiguous() {
        let e = Registers.error {
            _ = try Registers.load(Registers.sites("register.xlsx", layer: "mo_ho", extra: "date_serial: excel"))
        }
        #expect(
            e?.message.contains(
                "'1,250' in column 'kinh_phi' of project 'S1' is ambiguous: 1250 in English notation, 1.25 in Vietnamese"
            ) == true, "\(String(describing: e))")
    }

    @Test("Without date_serial an Excel serial is refused, naming value, project and what it would be")
    func serialRefused() {
        let e = Registers.error { _ = try Registers.load(Registers.sites("register.xlsx", extra: "number_format: en")) }
        #expect(e?.key == "projects[0].fields.date")
        #expect(
            e?.message.contains("'45458' in column 'ngay' of project 'S3' is not a date") == true,
            "\(String(describing: e))")
        #expect(e?.message.contains("45458 = 2024-06-15") == true && e?.message.contains("date_serial: excel") == true)
    }

    @Test("Number notations and Excel serials, value by value")
    func notations() {
        #expect(NumberFormat.en.parse("1,250.5") == 1250.5 && NumberFormat.vi.parse("1,250.5") == nil)
        #expect(NumberFormat.vi.parse("1.250,5") == 1250.5 && NumberFormat.en.parse("1.250,5") == nil)
        #expect(NumberFormat.vi.parse("1,5") == 1.5 && NumberFormat.en.parse("1,5") == nil)
        #expect(NumberFormat.en.parse("-12.5") == -12.5 && NumberFormat.vi.parse("0.125") == nil)
        #expect(NumberFormat.vi.parse("1.234.567") == 1_234_567 && NumberFormat.en.parse("1,234,567") == 1_234_567)
        #expect(
            NumberFormat.en.parse("12,34") == nil && NumberFormat.en.parse("") == nil
                && NumberFormat.en.parse("1.2.3") == nil)
        #expect(
            NumberFormat.en.parse(".5") == 0.5 && NumberFormat.vi.parse(",5") == 0.5 && NumberFormat.en.parse("3.") == 3
                && NumberFormat.en.parse(".") == nil)
        #expect(
            NumberFormat.en.parse("1e5") == nil && NumberFormat.en.parse("0,250") == nil
                && NumberFormat.en.parse("1,2345") == nil)
    }
}

@Suite("Registers: legacy text, diagnosed before the vocabulary")
struct RegisterLegacyTextTests {
    static let mapInfo = """
        kind: forest_planting
        fields: {id: ma, name: ten, status: trang_thai, locality: huyen}
        values: {status: {"hoàn thành": completed, "đang trồng": under_construction}}
        """

    @Test("A MIF/MID declaring Charset \"WindowsVietnamese\" is read as Windows-1258")
    func mifCharset() throws {
        let d = try Registers.load("source: registers/lo_cp1258.mif\n" + Self.mapInfo)
        #expect(d.projects.count == 1)
        #expect(
            sameScalars(d.projects[0].name, "Lâm Hà"),
            "\(d.projects[0].name.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(d.projects[0].status == .completed)
        #expect(try d.localities.find(d.projects[0].localityAttribute ?? "").code == "676")
        #expect(!d.warnings.contains { $0.code == "text-encoding" }, "\(d.warnings)")
    }

    @Test("A TAB declaring !charset WindowsVietnamese is read as Windows-1258")
    func tabCharset() throws {
        let d = try Registers.load("source: registers/lo_cp1258_tab.tab\n" + Self.mapInfo)
        #expect(d.projects.first.map { sameScalars($0.name, "Lâm Hà") } == true, "\(d.projects.first?.name ?? "")")
        #expect(d.projects.first?.status == .completed)
        #expect(!d.warnings.contains { $0.code == "text-encoding" }, "\(d.warnings)")
    }

    @Test("An undeclared TCVN3 TAB stops on the encoding, not on the unmapped status")
    func tabTCVN3() throws {
        let e = Registers.error { _ = try Registers.load("source: registers/lo_tcvn3.tab\n" + Self.mapInfo) }
        #expect(e?.key == "projects[0].encoding", "\(String(describing: e))")
        #expect(
            e?.message.contains("TCVN3 (ABC)") == true && e?.message.contains("encoding: TCVN3") == true,
            "\(String(describing: e))")
        #expect(e?.message.contains("'hoàn thành'") == true || e?.message.contains("'Lâm Hà'") == true)
        let d = try Registers.load("source: registers/lo_tcvn3.tab\nencoding: TCVN3\n" + Self.mapInfo)
        #expect(d.projects.map(\.status) == [.completed, .underConstruction])
        #expect(sameScalars(d.projects[0].name, "Lâm Hà") && sameScalars(d.projects[1].name, "đang trồng"))
    }

    @Test("ABC-font text in an XLSX (valid UTF-8 showing TCVN3 bytes) is diagnosed and decodes when declared")
    func xlsxABC() throws {
        let entry = """
            source: registers/register.xlsx
            layer: abc
            geometry: {lon: kinh_do, lat: vi_do}
            kind: public_facility
            fields: {id: ma_du_an, name: ten, status: tinh_trang}
            values: {status: {"hoàn thành": completed}}
            """
        let e = Registers.error { _ = try Registers.load(entry) }
        #expect(
            e?.message.contains("TCVN3 (ABC)") == true && e?.message.contains("encoding: TCVN3") == true,
            "\(String(describing: e))")
        let d = try Registers.load(entry + "\nencoding: TCVN3")
        #expect(d.projects.first?.status == .completed)
        #expect(d.projects.first.map { sameScalars($0.name, "Lâm Hà") } == true, "\(d.projects.first?.name ?? "")")
    }
}

extension RegisterLegacyTextTests {
    @Test("VNI-font text in a KML is diagnosed as VNI and decodes when declared")
    func kmlVNI() throws {
        let entry = """
            source: registers/vni.kml
            kind: public_facility
            fields: {id: Name, name: ten, status: trang_thai}
            values: {status: {"hoàn thành": completed}}
            """
        let e = Registers.error { _ = try Registers.load(entry) }
        #expect(
            e?.message.contains("VNI") == true && e?.message.contains("encoding: VNI") == true,
            "\(String(describing: e))")
        let d = try Registers.load(entry + "\nencoding: VNI")
        #expect(d.projects.first?.status == .completed)
        #expect(d.projects.first.map { sameScalars($0.name, "Lâm Hà") } == true, "\(d.projects.first?.name ?? "")")
    }
}

extension RegisterLegacyTextTests {
    @Test("Unicode Vietnamese and look-alikes in a Unicode container are not legacy text")
    func notLegacy() {
        #expect(LegacyEncoding.legacyBytes(shownIn: "Lâm Hà") == nil)
        #expect(LegacyEncoding.legacyBytes(shownIn: "Ðon Duong") == nil)
        #expect(LegacyEncoding.legacyBytes(shownIn: "Trồng rừng") == nil)
        #expect(
            LegacyEncoding.legacyBytes(shownIn: "hoµn thµnh") == [
                0x68, 0x6F, 0xB5, 0x6E, 0x20, 0x74, 0x68, 0xB5, 0x6E, 0x68,
            ])
    }
}

@Suite("Registers: lines that mean polygons, ids from feature ids")
struct RegisterLinesTests {
    static let dgn = """
        source: registers/parcels.dgn
        crs: EPSG:5899
        kind: forest_planting
        status: completed
        fields: {id: FID}
        """

    @Test(
        "DGN sheet: the parcel drawn as a closed line string is counted once asked (5.01 ha), warned about otherwise (3.01 ha)"
    )
    func dgn() throws {
        let plain = try Registers.load(Self.dgn)
        #expect(plain.projects.count == 3)
        let r = try Registers.progress(plain, ["plot-area"])
        // pyproj: 1.50021 + 1.51021 ha; the line counts nothing.
        #expect(near(r.targets[0].achieved ?? 0, 3.0104237648, 1e-6), "\(r.targets[0].achieved ?? 0)")
        #expect(
            r.warnings.contains {
                $0.code == "no-area" && $0.message.contains("1 of 3 selected project(s) are lines and have no area")
            }, "\(r.warnings)")

        let closed = try Registers.load(Self.dgn + "\nlines_as_polygons: {tolerance_m: 1}")
        let r2 = try Registers.progress(closed, ["plot-area"])
        #expect(near(r2.targets[0].achieved ?? 0, 5.0107037, 1e-6), "\(r2.targets[0].achieved ?? 0)")
        #expect(NumberText.fixed(r2.targets[0].achieved ?? 0, 2) == "5.01")
        let lineID = plain.projects.first { $0.geometry.dimension == .line }?.id ?? "?"
        #expect(
            closed.warnings.contains { $0.code == "lines-as-polygons" && $0.message.contains("\(lineID) (closed)") },
            "\(closed.warnings)")
        #expect(!r2.warnings.contains { $0.code == "no-area" })
    }

    @Test("GPX perimeters: one closed, one 12 m short, give 2.38 ha; the gap is reported per project")
    func gpx() throws {
        let entry = """
            source: registers/perimeters.gpx
            layer: tracks
            kind: forest_planting
            status: completed
            id_prefix: "gps-"
            fields: {id: FID, name: name}
            """
        let d = try Registers.load(entry + "\nlines_as_polygons: {tolerance_m: 15}")
        #expect(d.projects.map(\.id) == ["gps-0", "gps-1"])
        // pyproj over the file's coordinates: 1.0000034 + 1.3799997 ha.
        #expect(near(d.projects.map(\.areaHa).reduce(0, +), 2.3800031451, 1e-7), "\(d.projects.map(\.areaHa))")
        #expect(NumberText.fixed(d.projects.map(\.areaHa).reduce(0, +), 2) == "2.38")
        let w = d.warnings.first { $0.code == "lines-as-polygons" }?.message ?? ""
        #expect(w.contains("gps-0 (closed)") && w.contains("gps-1 (gap of 12.0 m closed)"), "\(w)")
        // A tolerance under the gap keeps lô B a line, and says so.
        let strict = try Registers.load(entry + "\nlines_as_polygons: {tolerance_m: 5}")
        #expect(near(strict.projects.map(\.areaHa).reduce(0, +), 1.0000034135, 1e-7))
        #expect(strict.warnings.contains { $0.message.contains("gps-1 (ends 12.0 m apart)") })
    }

    @Test("A layer mixing a point, a line and a polygon: progress warns, check compares declared area with none")
    func mixed() throws {
        let d = try Registers.load(
            """
            source: registers/mixed.geojson
            kind: forest_planting
            status: completed
            fields: {id: ma, area_ha: dt}
            """)
        let r = try Registers.progress(d, ["plot-area"])
        #expect(near(r.targets[0].achieved ?? 0, 1.2052669906, 1e-6))
        let w = r.warnings.first { $0.code == "no-area" }?.message ?? ""
        #expect(
            w.contains("1 of 3 selected project(s) are lines and have no area (X2)")
                && w.contains("1 of 3 selected project(s) are points and have no area (X1)"), "\(w)")
        let findings = try DataCheck.run(
            d, assignment: SpatialAssignment(projects: d.projects, localities: d.localities, lenient: true))
        let x1 = findings.first { $0.project == "X1" && $0.kind == .areaMismatch }
        #expect(x1?.message == "declared 2.50 ha, but the geometry is a point (Point) and has no area", "\(findings)")
        #expect(findings.contains { $0.project == "X2" && $0.kind == .areaMismatch })
    }
}

@Suite("Registers: duplicate ids, whatever the target")
struct RegisterDuplicateTests {
    static let sources = """
        localities:
          source: registers/districts.geojson
          fields: {code: ma, name: ten}
        targets: registers/targets.yaml
        projects:
          - source: registers/lo_2023.geojson
            kind: forest_planting
            fields: {id: ma_lo, status: trang_thai, date: ngay}
            values: {status: {"hoàn thành": completed}}
          - source: registers/register.xlsx
            layer: lo_2024
            crs: EPSG:5899
            geometry: {wkt: wkt}
            kind: forest_planting
            fields: {id: ma_lo, status: trang_thai, date: ngay}
            values: {status: {"hoàn thành": completed}}
        """

    @Test(
        "Every command refuses the manifest the same way, naming both files",
        .enabled(if: CLIBinary.path != nil, "the geomonitor binary is not built next to the tests"))
    func everyCommand() throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let manifest = Fixture.path("registers/duplicates.yaml")
        let commands: [[String]] = [
            ["query"], ["query", "--bbox", "108.0,11.7,108.2,11.8"], ["progress", "--as-of", "2024-12-31"],
            ["progress", "--target", "plots-2024", "--as-of", "2024-12-31", "--format", "json"], ["check"],
            ["export", "geojson", "--layer", "projects", "--out", work.appendingPathComponent("p.geojson").path],
            [
                "map", "--target", "plots-2024", "--as-of", "2024-12-31", "--out",
                work.appendingPathComponent("m.svg").path,
            ],
        ]
        var lines = Set<String>()
        for c in commands {
            let r = try CLIBinary.run(c + ["--manifest", manifest], cwd: work)
            #expect(r.status == 1, "\(c): exit \(r.status)")
            let line = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(
                line.contains("duplicate project id '1203'") && line.contains("register.xlsx")
                    && line.contains("lo_2023.geojson"), "\(c): \(r.stderr)")
            lines.insert(line)
        }
        #expect(lines.count == 1, "\(lines)")
    }

    @Test(
        "progress --format json carries the row without coordinates in its warnings",
        .enabled(if: CLIBinary.path != nil, "the geomonitor binary is not built next to the tests"))
    func progressJSON() throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try CLIBinary.run(
            [
                "progress", "--manifest", Fixture.path("registers/manifest.yaml"), "--target", "budget", "--as-of",
                "2024-12-31", "--format", "json",
            ], cwd: work)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let warnings = (json?["warnings"] as? [[String: Any]]) ?? []
        #expect(
            warnings.contains {
                ($0["code"] as? String) == "no-geometry" && (($0["message"] as? String)?.contains("S4") ?? false)
            }, "\(r.stdout)")
        let achieved = ((json?["targets"] as? [[String: Any]])?.first?["achieved"] as? Double) ?? 0
        #expect(achieved == 3481)
    }

    /// A GeoPackage read through a target filter: the ids of every feature come from one query
    /// (`VectorLayer.columnText`) instead of a read feature by feature, and are compared as
    /// before: trimmed ("P-2 " = "P-2"), composed = decomposed ("Lô 2"). Five plots in Lâm Hà
    /// (108.0–108.35, 11.7–12.05), completed in 2024. Read by layer, and through `sql:` (its ids
    /// scanned before the filtered read, once).
    @Test(
        arguments: [
            (["P-1", "P-2", "P-3", "P-4", "P-5"], nil),
            (["P-1", "P-2", "P-3", "P-2", "P-5"], "P-2"),
            (["P-1", "P-2 ", "P-3", "P-2", "P-5"], "P-2"),
            (["P-1", "Lô 2", "P-3", "Lo\u{0302} 2", "P-5"], "Lô 2"),
        ] as [([String], String?)], [false, true])
    func idsOfAGeoPackageInOneQuery(_ plots: ([String], String?), sql: Bool) throws {
        let (ids, repeated) = plots
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let path = work.appendingPathComponent("plots.gpkg").path
        do {
            let ds = try VectorDataset(creating: path, driver: "GPKG")
            let w = try LayerWriter(
                dataset: ds, name: "lo",
                fields: [
                    .init(name: "ma_lo", type: .string), .init(name: "tt", type: .string),
                    .init(name: "ngay", type: .string),
                ],
                geometry: .any)
            for (k, id) in ids.enumerated() {
                let x = 108.05 + Double(k) * 0.01
                let ring = [
                    Coordinate(x: x, y: 11.8), Coordinate(x: x + 0.005, y: 11.8), Coordinate(x: x + 0.005, y: 11.805),
                    Coordinate(x: x, y: 11.805), Coordinate(x: x, y: 11.8),
                ]
                try w.add(
                    values: [.string(id), .string("hoàn thành"), .string("2024-06-1\(k)")],
                    geometry: .polygon(Polygon(exterior: ring)))
            }
            try w.finish()
        }
        let source = """
            source: \(path)\(sql ? "\nsql: SELECT * FROM lo" : "")
            kind: forest_planting
            fields: {id: ma_lo, status: tt, date: ngay}
            values: {status: {"hoàn thành": completed}}
            """
        let catalog = try TargetCatalog.load(Fixture.path("registers/targets.yaml"))
        let filter = try #require(ProjectFilter.forTargets([try catalog.target("plots-2024")]))
        if let repeated {
            let e = Registers.error { _ = try Registers.load(source, filter: filter) }
            #expect(e?.message.contains("duplicate project id '\(repeated)'") == true, "\(String(describing: e))")
            // Both places by feature id (the GeoPackage numbers its rows from 1): 2 first, 4 again.
            #expect(e?.message.contains("feature 2)") == true && e?.feature == "4", "\(String(describing: e))")
        } else {
            let d = try Registers.load(source, filter: filter)
            #expect(d.projects.map(\.id) == ids)
        }
    }

    /// A FlatGeobuf register large enough to be read in strips on all cores (24,000 plots, over
    /// 20,000: `VectorLayer.parts`), through a target filter: the read sees every feature, so it
    /// notes every id itself (no second pass). Plots are 0.002° squares on a 200 × 120 grid over
    /// Lâm Hà, every seventh 0.03° wide (crossing strip edges, so read by two strips); even
    /// positions completed in 2024, odd ones planned. Expected: each completed plot once, in
    /// feature-id order, the same plots and hectares as the same register in a GeoPackage; a
    /// repeated id between a completed and a planned plot far apart refused, naming both features.
    @Test(arguments: [false, true])
    func flatGeobufReadInStrips(repeated: Bool) throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        func write(_ file: String, driver: String) throws -> String {
            let path = work.appendingPathComponent(file).path
            let ds = try VectorDataset(creating: path, driver: driver)
            let w = try LayerWriter(
                dataset: ds, name: "lo",
                fields: [
                    .init(name: "ma_lo", type: .string), .init(name: "tt", type: .string),
                    .init(name: "ngay", type: .string),
                ], geometry: .any)
            for k in 0..<24_000 {
                let x = 108.02 + Double(k % 200) * 0.0015
                let y = 11.75 + Double(k / 200) * 0.0025
                let width = k % 7 == 0 ? 0.03 : 0.002
                let ring = [
                    Coordinate(x: x, y: y), Coordinate(x: x + width, y: y), Coordinate(x: x + width, y: y + 0.002),
                    Coordinate(x: x, y: y + 0.002), Coordinate(x: x, y: y),
                ]
                // The last plot (planned) repeats the first one's id (completed) when asked.
                let id = repeated && k == 23_999 ? "P-0" : "P-\(k)"
                try w.add(
                    values: [.string(id), .string(k % 2 == 0 ? "hoàn thành" : "kế hoạch"), .string("2024-06-15")],
                    geometry: .polygon(Polygon(exterior: ring)))
            }
            try w.finish()
            return path
        }
        func source(_ path: String) -> String {
            """
            source: \(path)
            kind: forest_planting
            fields: {id: ma_lo, status: tt, date: ngay}
            values: {status: {"hoàn thành": completed, "kế hoạch": planned}}
            """
        }
        let fgb = try write("plots.fgb", driver: "FlatGeobuf")
        let catalog = try TargetCatalog.load(Fixture.path("registers/targets.yaml"))
        let filter = try #require(ProjectFilter.forTargets([try catalog.target("plots-2024")]))
        if repeated {
            // Where GDAL put the two plots (a FlatGeobuf with an index is stored in Hilbert order).
            var fids: [String: [Int64]] = [:]
            try VectorDataset(path: fgb).layer("lo").forEachFeature(fieldIndices: [0], geometry: false) { rec in
                if rec.values[0].description == "P-0" { fids["P-0", default: []].append(rec.fid) }
            }
            let both = try #require(fids["P-0"]).sorted()
            #expect(both.count == 2)
            let e = Registers.error { _ = try Registers.load(source(fgb), filter: filter) }
            #expect(e?.message.contains("duplicate project id 'P-0'") == true, "\(String(describing: e))")
            #expect(
                e?.message.contains("feature \(both[0]))") == true && e?.feature == String(both[1]),
                "\(String(describing: e))")
            return
        }
        let d = try Registers.load(source(fgb), filter: filter)
        let fids = d.projects.map(\.fid)
        #expect(zip(fids, fids.dropFirst()).allSatisfy { $0 < $1 }, "not in feature-id order, or a plot twice")
        #expect(Set(d.projects.map(\.id)) == Set(stride(from: 0, to: 24_000, by: 2).map { "P-\($0)" }))
        let gpkg = try Registers.load(source(try write("plots.gpkg", driver: "GPKG")), filter: filter)
        #expect(d.projects.count == gpkg.projects.count)
        let area = Dictionary(uniqueKeysWithValues: gpkg.projects.map { ($0.id, $0.areaHa) })
        #expect(d.projects.allSatisfy { area[$0.id] == $0.areaHa })
    }

    @Test(
        "Integer 1203 (2023) and text \"1203 \" (2024) are one id: refused with and without a target filter, naming both files"
    )
    func duplicates() throws {
        let manifest = try Manifest.parse(Self.sources, file: Fixture.path("registers.yaml"))
        let catalog = try TargetCatalog.load(Fixture.path("registers/targets.yaml"))
        let filter = ProjectFilter.forTargets([try catalog.target("plots-2024")])
        #expect(filter != nil)
        for f in [nil, filter] {
            let e = Registers.error { _ = try Dataset.load(manifest, filter: f) }
            #expect(e?.message.contains("duplicate project id '1203'") == true, "\(String(describing: e))")
            #expect(
                e?.file?.hasSuffix("register.xlsx") == true && e?.message.contains("lo_2023.geojson") == true,
                "\(String(describing: e))")
        }
    }
}

@Suite("Registers: the README's manifest")
struct RegisterReadmeTests {
    @Test("The README's spreadsheet, MapInfo, DGN and GPX entries run as written")
    func readmeManifest() throws {
        let path = Fixture.path("registers/manifest.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = text.range(of: "language: vi") else {
            Issue.record("no language line")
            return
        }
        #expect(readme.contains(String(text[start.lowerBound...])), "README and registers/manifest.yaml differ")
        let d = try Dataset.load(manifest: path)
        #expect(d.projects.map(\.id) == ["S1", "S2", "S3", "T1", "T2", "dgn-12", "dgn-13", "dgn-14", "gps-0", "gps-1"])
        let plots = d.projects.filter { $0.id.hasPrefix("dgn-") || $0.id.hasPrefix("gps-") }
        // pyproj: DGN 5.0107038 ha, GPX 2.3800031 ha.
        #expect(near(plots.map(\.areaHa).reduce(0, +), 5.0107038 + 2.3800031, 1e-6))
        #expect(d.projects.filter { $0.id.hasPrefix("S") }.compactMap(\.budget).reduce(0, +) == 3481)
    }
}

/// Workbooks as offices fill them (found by a new-user trial): a number cell in a column of text,
/// and a sheet whose every cell is text.
@Suite("Registers: workbook cells")
struct RegisterWorkbookCellTests {
    static let source = """
        source: registers/mixed-cells.xlsx
        geometry: {lon: kinh_do, lat: vi_do}
        number_format: vi
        fields: {id: ma, kind: loai, status: trang_thai}
        """

    /// X-01's longitude is a number cell (108.45) among Vietnamese text ("108,55"): GDAL types the
    /// column as text and writes the cell "108.45". Under `number_format: vi` it is read as that
    /// cell, the others by their notation, and a warning names it.
    @Test func aNumberCellAmongText() throws {
        let d = try Registers.load(Self.source)
        let byID = Dictionary(uniqueKeysWithValues: d.projects.map { ($0.id, $0.geometry.points.first) })
        #expect(byID["X-01"]??.x == 108.45)
        #expect(byID["X-01"]??.y == 11.95)
        #expect(byID["X-02"]??.x == 108.55)
        #expect(byID["X-03"]??.y == 12.05)
        let w = try #require(d.warnings.first { $0.code == "number-cells" })
        #expect(w.message.contains("X-01 '108.45'") && w.message.contains("'kinh_do'"))
        #expect(!w.message.contains("X-02"))
    }

    /// Every cell text: GDAL reads the header row as data (Field1 …); the error says so and how to fix it.
    @Test func anAllTextSheetSaysWhyItsColumnsAreMissing() throws {
        let e = Registers.error {
            _ = try Registers.load(Self.source.replacingOccurrences(of: "mixed-cells.xlsx", with: "all-text.xlsx"))
        }
        #expect(e?.message.contains("column 'ma' not found") == true)
        #expect(e?.message.contains("OGR_XLSX_HEADERS=FORCE") == true)
    }
}
