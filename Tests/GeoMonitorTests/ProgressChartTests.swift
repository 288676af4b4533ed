import Foundation
import GeoMonitor
import TestSupport
import Testing

/// The progress-over-time chart over the fixture province (see ProgressTests for the plots):
/// target `plant` (≥ 400 ha in 2024) gets TR-01's two halves (2 × 120.490167 ha, geographiclib)
/// on 2024-03-15 and TR-03's half inside the province (120.507492 ha) on 2024-05-05.
@Suite struct ProgressChartTests {
    /// The cumulative hectares at the end of each month of 2024, added up by hand from the plots' dates.
    static let byHand: [Double] = {
        let tr01 = 2 * 120.490167
        let tr03 = 120.507492
        return (1...12).map { m in (m >= 3 ? tr01 : 0) + (m >= 5 ? tr03 : 0) }
    }()

    /// Days from 2024-01-01 to the end of each month (2024 is a leap year).
    static let monthEndDays = [31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366]

    @Test func cumulativeByMonthAgainstTheExpectedLine() throws {
        let h = try ProgressHistory.compute(ProgressTests.engine(), target: "plant", through: Day(iso: "2024-12-31"))
        #expect(h.months.count == 12)
        for (i, m) in h.months.enumerated() {
            #expect(m.month == i + 1)
            #expect(
                nearRel(m.achieved, Self.byHand[i], 1e-6) || (Self.byHand[i] == 0 && m.achieved == 0),
                "month \(i + 1): \(m.achieved) vs \(Self.byHand[i])")
            // expected = 400 ha × days elapsed / 366.
            #expect(near(m.expected ?? -1, 400 * Double(Self.monthEndDays[i]) / 366, 1e-9), "month \(i + 1)")
        }
        // Per locality: 672 holds one half of TR-01 from March; quota 100 ha.
        let s672 = h.series(locality: "672")
        #expect(s672[1].achieved == 0 && nearRel(s672[2].achieved, 120.490167, 1e-6))
        #expect(near(s672[11].expected ?? -1, 100, 1e-9))
        // Cut at the as-of date: through 2024-04-10, four months, the last one taken on the 10th.
        let april = try ProgressHistory.compute(
            ProgressTests.engine(), target: "plant", through: Day(iso: "2024-04-10"))
        #expect(try april.months.count == 4 && april.months[3].day == Day(iso: "2024-04-10"))
        // Milestones have no history.
        #expect(throws: GeoMonitorError.self) {
            try ProgressHistory.compute(ProgressTests.engine(), target: "road-start", through: Day(iso: "2024-12-31"))
        }
    }

    @Test func chartSVGCarriesTheFiguresInTheLanguage() throws {
        let h = try ProgressHistory.compute(ProgressTests.engine(), target: "plant", through: Day(iso: "2024-12-31"))
        let vi = try Language.load("vi")
        let svg = ProgressChart(history: h, language: vi).svg()
        let scan = try SVGScan.parse(svg)
        let points = scan.elements.filter { $0.attrs["class"] == "ch-point" }
        #expect(points.count == 12)
        for (i, p) in points.enumerated() {
            let v = try #require(Double(p.attrs["data-achieved"] ?? ""))
            #expect(abs(v - Self.byHand[i]) < 1e-5)
        }
        // The points climb as the figures do: y of May is above (smaller than) y of April.
        let ys = points.compactMap { Double($0.attrs["cy"] ?? "") }
        #expect(ys[4] < ys[3] && ys[3] < ys[1] && ys[1] == ys[0])
        let text = scan.texts.joined(separator: "\n")
        for w in ["01/2024", "12/2024", "Mục tiêu", "Kế hoạch", "ha", "400"] {
            #expect(text.contains(w), "\(w) missing")
        }
        #expect(scan.elements.contains { $0.attrs["id"] == "expected" && $0.attrs["data-goal"] == "400" })
        let en = ProgressChart(history: h, language: .english).svg()
        #expect(en.contains("Jan 2024") && en.contains("Goal"))
    }

    @Test(.enabled(if: ExternalTool.has("rsvg-convert"))) func chartRendersWithRsvgConvert() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let h = try ProgressHistory.compute(ProgressTests.engine(), target: "plant", through: Day(iso: "2024-12-31"))
        let svgPath = dir.appendingPathComponent("c.svg").path
        let png = dir.appendingPathComponent("c.png").path
        try OutputFile.write(ProgressChart(history: h, language: try Language.load("vi")).svg(), to: svgPath)
        #expect(try ExternalTool.run("rsvg-convert", [svgPath, "-o", png]) != nil)
        #expect(((try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0) > 10_000)
    }
}
