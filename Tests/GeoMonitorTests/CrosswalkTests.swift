import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// Crosswalks of hand-made squares (Fixtures/editions/make_editions.py; areas from pyproj's
/// geodesic polygon area, see expected.txt): A1 = 484.274328 ha, A2 = 479.455677, A3 = 481.865002;
/// B1 = 240.932500, B2 = 481.865002, B3 = 243.341825, B4 = 479.455677.
@Suite("Crosswalk")
struct CrosswalkTests {
    /// (from, to) → (area_ha, share_of_from, share_of_to) by pyproj.
    static let expected: [String: (Double, Double, Double)] = [
        "A1→B1": (240.932500, 0.497512, 1.000000), "A1→B2": (243.341825, 0.502488, 0.505000),
        "A2→B2": (238.523175, 0.497487, 0.495000), "A2→B3": (240.932500, 0.502513, 0.990099),
        "A3→B4": (479.455677, 0.995000, 1.000000),
    ]

    func crosswalk(_ membership: String? = nil, tolerance: Crosswalk.Tolerance = .init()) throws -> Crosswalk {
        try Crosswalk.between(
            manifest: Manifest.load(Fixture.path("editions/editions.yaml")), from: "old", to: "new",
            membership: membership.map { Fixture.path("editions/\($0)") }, tolerance: tolerance
        ).crosswalk
    }

    @Test func pairsAndSliversAgreeWithPyproj() throws {
        let c = try crosswalk()
        #expect(c.pairs.count == 5)
        for p in c.pairs {
            let e = try #require(Self.expected["\(p.fromCode)→\(p.toCode)"])
            #expect(
                nearRel(p.areaHa, e.0, 1e-6) && near(p.shareOfFrom, e.1, 1e-5) && near(p.shareOfTo, e.2, 1e-5), "\(p)")
        }
        // A3 ∩ B3: 2.409325 ha, 0.5 % of A3 and 0.99 % of B3: under 1 % of both and 5 ha.
        #expect(
            c.slivers.count == 1 && c.slivers[0].fromCode == "A3" && c.slivers[0].toCode == "B3"
                && nearRel(c.slivers[0].areaHa, 2.409325, 1e-5))
        // Shares of each old unit (slivers included) add up to 1.
        for code in ["A1", "A2", "A3"] {
            #expect(
                near((c.pairs + c.slivers).filter { $0.fromCode == code }.reduce(0) { $0 + $1.shareOfFrom }, 1, 1e-6))
        }
        // A tighter tolerance keeps the sliver as a pair.
        #expect(try crosswalk(tolerance: .init(share: 0.01, hectares: 1)).pairs.count == 6)
        #expect(try crosswalk().findings.isEmpty)
    }

    @Test func findingsAgainstMembership() throws {
        #expect(try crosswalk("membership.csv").findings.isEmpty)
        let f = try crosswalk("membership_bad.csv").findings
        #expect(
            Set(f.map(\.code)) == [
                "membership-code-not-in-force", "membership-without-overlap", "overlap-without-membership",
                "full-member-split",
            ])
        #expect(f.contains { $0.code == "membership-code-not-in-force" && $0.toCode == "B9" })
        #expect(f.contains { $0.code == "membership-without-overlap" && $0.fromCode == "A1" && $0.toCode == "B4" })
        #expect(
            f.contains {
                $0.code == "overlap-without-membership" && $0.fromCode == "A2" && $0.toCode == "B2"
                    && $0.message.hasPrefix("238.5 ha")
            })
        #expect(
            f.contains { $0.code == "full-member-split" && $0.fromCode == "A1" && $0.message.contains("50.2 % in B2") })
    }

    @Test func outputs() throws {
        let c = try crosswalk("membership_bad.csv")
        let json = CrosswalkOutput.render(c, as: .json)
        for key in [
            "\"from\": \"old\"", "\"to\": \"new\"", "\"pairs\"", "\"slivers\"", "\"findings\"", "\"share_of_from\"",
            "\"share_of_to\"", "\"area_ha\"",
        ] {
            #expect(json.contains(key), "\(key)")
        }
        let csv = CrosswalkOutput.render(c, as: .csv)
        #expect(csv.hasPrefix("kind,from_code,from_name,to_code,to_name,area_ha,share_of_from,share_of_to,message\r\n"))
        #expect(csv.contains("sliver,A3,Old A3,B3,New B3,2.4093,"))
        #expect(CrosswalkOutput.render(c, as: .table).contains("1 sliver(s) of boundary noise, 2.41 ha in all"))
    }

    @Test func badMembershipAndEditions() throws {
        do {
            _ = try crosswalk("membership_unknown_column.csv")
            Issue.record("no error")
        } catch let e as GeoMonitorError {
            #expect(
                e.file?.hasSuffix("membership_unknown_column.csv") == true
                    && e.message.contains("unknown column 'share'"))
        }
        let m = try Manifest.load(Fixture.path("editions/editions.yaml"))
        do {
            _ = try Crosswalk.between(manifest: m, from: "old", to: "newest")
            Issue.record("no error")
        } catch let e as GeoMonitorError {
            #expect(e.key == "--to" && e.message.contains("unknown edition 'newest'"))
        }
    }
}

/// Two editions matched to the VN list (the GADM-style 2024 districts and GeoData's schematic new
/// communes of old Lâm Đồng, both with a gazetteer): compared with the embedded 2025 reform table,
/// its old communes taken as their 2024 districts.
@Suite("Crosswalk against the 2025 reform")
struct ReformCrosswalkTests {
    @Test func reformTableFindings() throws {
        let geodata = (Dataset.defaultManifestPath() as NSString).deletingLastPathComponent
        let yaml = """
            localities:
              - edition: d2024
                from: 2024-01-01
                to: 2025-06-30
                source: gadm_districts.geojson
                fields: {name: NAME_2, type: TYPE_2}
                gazetteer: {country: VN, provinces: ["68"]}
              - edition: c2025
                from: 2025-07-01
                source: \(geodata)/communes-2025-lam-dong.geojson
                fields: {name: ten_xa, type: loai}
                gazetteer: {country: VN, provinces: ["68"]}
            projects: []
            """
        let m = try Manifest.parse(yaml, file: Fixture.path("editions/inline.yaml"))
        let (c, warnings) = try Crosswalk.between(manifest: m, from: "d2024", to: "c2025")
        #expect(c.membership?.hasSuffix("reform-2025-07-01.csv") == true)
        // The schematic file holds 17 of the 124 communes: the others are warned about.
        #expect(warnings.filter { $0.code == "gazetteer-missing" }.count == 124 - 17)
        let f = c.findings
        // The README's stale units under 25159 Cát Tiên: not in force on 2025-06-30.
        for stale in ["25174", "25177", "25186"] {
            #expect(
                f.contains {
                    $0.code == "membership-code-not-in-force" && $0.fromCode == stale && $0.toCode == "25159"
                }, "\(stale)")
        }
        // The four straddling communes are legal members of both districts their geometry covers.
        for (new, olds) in [
            ("24846", ["672", "675"]), ("24853", ["674", "675"]), ("24871", ["676", "678"]), ("24820", ["673", "680"]),
        ] {
            for old in olds {
                #expect(
                    !f.contains { $0.code == "overlap-without-membership" && $0.fromCode == old && $0.toCode == new },
                    "\(old)→\(new)")
            }
        }
        // Di Linh's split is legal: both of its schematic successors are members of 679.
        #expect(!f.contains { $0.fromCode == "679" && $0.code == "overlap-without-membership" })
    }
}
