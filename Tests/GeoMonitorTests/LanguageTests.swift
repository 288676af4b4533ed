import Foundation
import GeoMonitor
import TestSupport
import Testing

/// Outputs for people in Vietnamese: the words from Languages/vi.yaml, numbers and dates as the
/// vi_VN locale writes them; machine outputs unchanged.
@Suite struct LanguageTests {
    static let vi: Language = { try! Language.load("vi") }()

    @Test func numbersAndDatesFollowTheLocale() throws {
        let vi = Self.vi
        // Written out by hand: '.' groups thousands, ',' marks decimals in Vietnamese.
        #expect(vi.number(13_650_000, 0) == "13.650.000")
        #expect(vi.number(1208.6, 1) == "1.208,6")
        #expect(vi.number(-0.001, 2) == "0,00")
        #expect(try vi.date(Day(iso: "2024-12-31")) == "31/12/2024")
        #expect(try vi.date(Day(iso: "2024-02-05")) == "05/02/2024")
        #expect(vi.month(year: 2024, month: 3) == "03/2024")
        #expect(Language.english.number(13_650_000, 0) == "13,650,000")
        #expect(Language.english.number(1208.6, 1) == "1,208.6")
        #expect(try Language.english.date(Day(iso: "2024-12-31")) == "2024-12-31")
        #expect(Language.english.number(.nan, 2) == "–")
    }

    @Test func wordsComeFromTheLanguageFile() throws {
        let vi = Self.vi
        #expect(vi.status(.behind) == "Chậm tiến độ")
        #expect(vi.status(.achieved) == "Đạt")
        #expect(vi.status(.onTrack) == "Đúng tiến độ")
        #expect(vi.status(.atRisk) == "Có nguy cơ chậm")
        for s in ProgressStatus.allCases { #expect(vi.status(s) != s.rawValue, "\(s) untranslated") }
        for k in ProjectKind.allCases { #expect(vi.kind(k) != k.rawValue, "\(k) untranslated") }
        for s in ProjectStatus.allCases { #expect(vi.projectStatus(s) != s.rawValue, "\(s) untranslated") }
        #expect(vi.kind(.forestPlanting) == "Trồng rừng")
        #expect(vi("As of {1}", "31/12/2024") == "Tính đến ngày 31/12/2024")
        // English is the code's words.
        #expect(Language.english.status(.behind) == "behind")
        #expect(Language.english("As of {1}", "2024-12-31") == "As of 2024-12-31")
    }

    @Test func aThirdLanguageIsAFile() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("fr.yaml")
        try """
        code: fr
        locale: fr_FR
        statuses: {behind: "En retard"}
        phrases: {"As of {1}": "Au {1}"}
        """.write(to: file, atomically: true, encoding: .utf8)
        let fr = try Language.load(file.path)
        #expect(fr.status(.behind) == "En retard")
        #expect(try fr.date(Day(iso: "2024-12-31")) == "31/12/2024")
        #expect(fr("As of {1}", "x") == "Au x")
        // French groups with a (narrow) no-break space: whatever Foundation says, not a comma.
        #expect(!fr.number(13_650_000, 0).contains(","))
        // Unknown keys and unknown languages are one-line errors naming the key.
        try "code: xx\nstatuses: {late: x}".write(to: file, atomically: true, encoding: .utf8)
        #expect { try Language.load(file.path) } throws: {
            ($0 as? GeoMonitorError)?.description.contains("late") == true
        }
        #expect { try Language.load("tlh") } throws: {
            ($0 as? GeoMonitorError)?.description.contains("--lang") == true
        }
    }

    @Test func tablesAndMarkdownInVietnamese() throws {
        let d = try Dataset.load(manifest: Dataset.defaultManifestPath())
        #expect(d.manifest.language == "vi")
        let r = try ProgressEngine(dataset: d).run(
            asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024", "trees-2024"])
        let table = ProgressOutput.render(r, as: .table, localities: d.localities, language: Self.vi)
        for w in ["31/12/2024", "13.650.000", "Chậm tiến độ", "617,7", "toàn tỉnh"] {
            #expect(table.contains(w), "\(w) missing")
        }
        #expect(!table.contains("As of") && !table.contains("Progress as of"))
        // The figure is the engine's, written the Vietnamese way.
        let achieved = try #require(r.targets[0].achieved)
        #expect(table.contains(Self.vi.number(achieved, 1)))
        let md = ProgressOutput.render(r, as: .markdown, localities: d.localities, language: Self.vi)
        #expect(md.contains("# Tiến độ tính đến ngày 31/12/2024"))
        // Machine outputs stay canonical.
        let json = ProgressOutput.render(r, as: .json, localities: d.localities, language: Self.vi)
        #expect(json.contains("\"status\": \"behind\"") && json.contains("\"as_of\": \"2024-12-31\""))
        #expect(
            ProgressOutput.render(r, as: .csv, localities: d.localities, language: Self.vi)
                == ProgressOutput.render(r, as: .csv, localities: d.localities))
    }

    @Test func mapInVietnamese() throws {
        let d = try Dataset.load(manifest: Dataset.defaultManifestPath())
        let p = try ProgressEngine(dataset: d).run(asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"])
            .targets[0]
        let svg = try MapRenderer(dataset: d, language: Self.vi).provinceMap(p, asOf: Day(iso: "2024-12-31"))
        let scan = try SVGScan.parse(svg)
        let text = scan.texts.joined(separator: "\n")
        for w in ["Tính đến ngày 31/12/2024", "617,7", "Chậm tiến độ", "Trồng rừng", "Lâm Đồng"] {
            #expect(text.contains(w), "\(w) missing")
        }
        #expect(!text.contains("As of"))
        #expect(svg.contains("xml:lang=\"vi\""))
    }

    @Test(.enabled(if: CLIBinary.path != nil)) func cliFollowsTheManifestAndLang() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vi = try CLIBinary.run(["progress", "--target", "trees-2024", "--as-of", "2024-12-31"], cwd: dir)
        #expect(vi.status == 0)
        #expect(
            vi.stdout.contains("Tiến độ tính đến ngày 31/12/2024") && vi.stdout.contains("13.650.000")
                && !vi.stdout.contains("As of"))
        let en = try CLIBinary.run(
            ["progress", "--target", "trees-2024", "--as-of", "2024-12-31", "--lang", "en"], cwd: dir)
        #expect(en.stdout.contains("Progress as of 2024-12-31") && en.stdout.contains("13,650,000"))
        let map = dir.appendingPathComponent("m.svg").path
        let m = try CLIBinary.run(
            ["map", "--target", "afforestation-2024", "--as-of", "2024-12-31", "--lang", "vi", "--out", map], cwd: dir)
        #expect(m.status == 0)
        let svg = try String(contentsOfFile: map, encoding: .utf8)
        #expect(svg.contains("Tính đến ngày 31/12/2024") && !svg.contains("As of"))
        let bad = try CLIBinary.run(["progress", "--lang", "klingon"], cwd: dir)
        #expect(bad.status != 0 && bad.stderr.contains("--lang"))
    }
}
