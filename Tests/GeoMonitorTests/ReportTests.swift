import Foundation
import GeoMonitor
import TestSupport
import Testing

/// The A4 report on GeoData in Vietnamese: pages, fonts, extractable NFC text, HTML.
@Suite(.serialized) struct ReportTests {
    static let asOf = try! Day(iso: "2024-12-31")

    static func build(targets: [String] = [], district: String? = nil) throws -> ReportDocument {
        let d = MapTests.data
        let engine = try ProgressEngine(dataset: d)
        return try ReportDocument.build(
            engine: engine, renderer: MapRenderer(dataset: d, language: try Language.load("vi")), asOf: asOf,
            targets: targets,
            locality: district.map { try d.localities.find($0) })
    }

    @Test func pagesAreA4SVGWithEveryPart() throws {
        let doc = try Self.build()
        // Cover, summary, 2 per spatial target (13 on GeoData), stalled, annex.
        let spatial = try ProgressEngine(dataset: MapTests.data).run(asOf: Self.asOf).targets.filter {
            ($0.target.measurement.kindName == "sum" || $0.target.measurement.kindName == "count")
                && !$0.localities.isEmpty
        }
        #expect(doc.pages.count >= 4 + spatial.count)
        for p in doc.pages {
            #expect(p.contains("width=\"210mm\" height=\"297mm\""))
            _ = try SVGScan.parse(p)
            #expect(p == p.precomposedStringWithCanonicalMapping)
        }
        let all = doc.pages.joined()
        for w in [
            "Tính đến ngày 31/12/2024", "Chậm tiến độ", "Trồng rừng", "13.650.000", "LÂM ĐỒNG", "III.7", "Phụ lục",
        ] { #expect(all.contains(w), "\(w) missing") }
        #expect(!all.contains("As of"))
        // Each spatial target's chart is there with its figures.
        #expect(all.components(separatedBy: "id=\"chart-legend\"").count - 1 == spatial.count)
    }

    @Test(.enabled(if: ExternalTool.has("pdftotext") && ExternalTool.has("pdffonts") && ExternalTool.has("pdfinfo")))
    func pdfHasEmbeddedFontsAndVietnameseText() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("bao-cao.pdf").path
        let doc = try Self.build()
        try OutputFile.write(try doc.pdf(), to: pdf)
        let info = try #require(try ExternalTool.run("pdfinfo", [pdf]))
        let pages =
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap {
                Int($0.split(separator: " ").last ?? "")
            } ?? 0
        #expect(pages == doc.pages.count && pages >= 5)
        #expect(info.contains("595.276 x 841.89 pts (A4)"))
        // pdffonts: every font row says emb = yes.
        let fonts = try #require(try ExternalTool.run("pdffonts", [pdf])).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for f in fonts {
            let cols = f.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cols.count >= 5 && cols[cols.count - 5] == "yes", "not embedded: \(f)")
        }
        let text = try #require(try ExternalTool.run("pdftotext", [pdf, "-"]))
        for w in ["Lâm Đồng", "31/12/2024", "13.650.000", "Chậm tiến độ", "Trồng rừng"] {
            #expect(
                text.contains(w) && sameScalars(text, text.precomposedStringWithCanonicalMapping),
                "\(w) missing or not NFC")
        }
        #expect(!text.contains("As of"))
    }

    @Test func htmlIsOneSelfContainedFile() throws {
        let doc = try Self.build(targets: ["afforestation-2024"], district: "Lâm Hà")
        let html = doc.html()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"vi\">"))
        #expect(
            !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link")
                && !html.contains("<script"))
        #expect(html.components(separatedBy: "<section class=\"page\"").count - 1 == doc.pages.count)
        // Ids stay unique across pages.
        #expect(html.contains("id=\"p3-map\"") || html.contains("id=\"p3-"))
        #expect(html.contains("Lâm Hà"))
    }

    @Test(.enabled(if: CLIBinary.path != nil)) func cliWritesAtomicallyAndRefusesOtherExtensions() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("r.html").path
        let ok = try CLIBinary.run(
            ["report", "--as-of", "2024-12-31", "--target", "trees-2024", "--out", html], cwd: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.html"])
        let bad = try CLIBinary.run(["report", "--out", dir.appendingPathComponent("r.docx").path], cwd: dir)
        #expect(bad.status != 0)
        let missing = try CLIBinary.run(
            [
                "report", "--as-of", "2024-12-31", "--target", "trees-2024", "--out",
                dir.appendingPathComponent("no/r.pdf").path,
            ], cwd: dir)
        #expect(missing.status == 1 && missing.stderr.hasPrefix("geomonitor: error:"))
    }
}
