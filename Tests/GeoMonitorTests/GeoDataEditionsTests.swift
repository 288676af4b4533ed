import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// GeoData's two boundary editions: the 2024 districts and the SCHEMATIC communes of 2025
/// (GeoData/tools/make_communes_2025.py; areas by pyproj in tools/communes-2025-summary.txt:
/// 25000 Di Linh 99,275.2 ha and 25018 Bảo Thuận 63,602.3 ha, both wholly in district 679;
/// 24846 is 30.8 % Đà Lạt (672) and 69.2 % Lạc Dương (675)).
@Suite("GeoData editions")
struct GeoDataEditionsTests {
    let data: Dataset
    init() throws { data = try Dataset.load(manifest: Dataset.defaultManifestPath()) }

    @Test func bothEditionsLoadWithoutWarnings() throws {
        #expect(data.edition == "districts-2024" && data.localities.all.count == 12)
        let communes = try #require(data.editions["communes-2025"])
        #expect(communes.all.count == 22)  // 17 on the old Lâm Đồng, 2 Đắk Nông, 3 Bình Thuận
        #expect(
            !data.warnings.contains {
                $0.code.hasPrefix("boundary") || $0.code == "code-name-mismatch" || $0.code == "locality-outdated"
            })
    }

    /// The 2024 afforestation by today's communes: the province total is the same as by district
    /// (the new edition covers the old province), and no plot is lost.
    @Test func afforestationByCommunes() throws {
        let byDistrict = try ProgressEngine(dataset: data).run(
            asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"]
        ).targets[0]
        var e = try ProgressEngine(dataset: data.onEdition("communes-2025"))
        e.fixedEdition = true
        let report = try e.run(asOf: Day(iso: "2024-12-31"), targets: ["afforestation-2024"])
        let byCommune = report.targets[0]
        #expect(byDistrict.edition == "districts-2024" && byCommune.edition == "communes-2025")
        #expect(nearRel(byCommune.achieved ?? 0, byDistrict.achieved ?? -1, 1e-9))
        #expect(
            nearRel(
                byCommune.localities.reduce(0) { $0 + $1.achieved },
                byDistrict.localities.reduce(0) { $0 + $1.achieved }, 1e-9))
        // Di Linh's planting is the sum of its two successors'.
        let d679 = byDistrict.localities.first { $0.code == "679" }?.achieved ?? -1
        let split = byCommune.localities.filter { ["25000", "25018"].contains($0.code) }.reduce(0) { $0 + $1.achieved }
        #expect(nearRel(split, d679, 1e-9))
        // The district quotas are not carried silently.
        #expect(
            report.warnings.contains {
                $0.code == "quota-edition" && $0.message.contains("defined on edition districts-2024")
            })
        #expect(!report.warnings.contains { $0.code == "quota-unknown-locality" })
    }

    @Test func crosswalkOfTheSample() throws {
        let c = try Crosswalk.between(data, from: "districts-2024", to: "communes-2025")
        func pair(_ a: String, _ b: String) -> CrosswalkPair? { c.pairs.first { $0.fromCode == a && $0.toCode == b } }
        #expect(
            near(pair("679", "25000")?.areaHa ?? 0, 99_275.2, 0.1)
                && near(pair("679", "25018")?.areaHa ?? 0, 63_602.3, 0.1))
        #expect(
            near(pair("672", "24846")?.shareOfTo ?? 0, 0.308, 0.001)
                && near(pair("675", "24846")?.shareOfTo ?? 0, 0.692, 0.001))
        for (code, olds) in [
            ("24846", ["672", "675"]), ("24853", ["674", "675"]), ("24871", ["676", "678"]), ("24820", ["673", "680"]),
        ] {
            #expect(c.pairs.filter { $0.toCode == code }.map(\.fromCode).sorted() == olds, "\(code)")
        }
        // Shares of every district add up to 1 (the new edition covers the old one).
        for l in data.localities.all {
            #expect(
                near((c.pairs + c.slivers).filter { $0.fromCode == l.code }.reduce(0) { $0 + $1.shareOfFrom }, 1, 1e-6),
                "\(l.code)")
        }
    }

    /// The 2025–2026 catalog on new commune codes, with the 2024 quotas carried by area share.
    @Test func catalogOnNewCommunes() throws {
        let path = (Dataset.defaultManifestPath() as NSString).deletingLastPathComponent + "/manifest-2025.yaml"
        let d = try Dataset.load(manifest: path)
        let r = try ProgressEngine(dataset: d).run(asOf: Day(iso: "2026-12-31"))
        #expect(r.targets.allSatisfy { $0.edition == "communes-2025" })
        let carried = try #require(r.targets.first { $0.target.id == "afforestation-2024-by-commune" })
        #expect(carried.quotasCarried?.rule == "area_share")
        #expect(near(carried.localities.compactMap(\.quota).reduce(0, +), 617.7, 1e-6))
        #expect(!r.warnings.contains { $0.code.hasPrefix("quota") })
    }
}
