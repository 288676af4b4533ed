import Foundation
import Testing

@testable import GeoMonitor

/// The embedded official unit list (GeoData/vn-admin): counts its README states (the check anyone
/// can repeat), and lookups in the spellings real files use.
@Suite("Official unit list")
struct UnitListTests {
    let list: UnitList
    init() throws { list = try UnitList.embedded() }

    func day(_ s: String) -> Day { try! Day(iso: s) }

    /// vn-admin's README: Lâm Đồng has 12 districts and 142 communes on 2024-12-31, 10 districts on
    /// 2025-03-01, 124 communes (103 xã, 20 phường, 1 đặc khu) from 2025-07-01; 63 provinces before, 34 after.
    @Test func countsOfTheReadme() {
        #expect(list.inForce(on: day("2024-12-31"), level: .district, provinces: ["68"]).count == 12)
        #expect(list.inForce(on: day("2024-12-31"), level: .commune, provinces: ["68"]).count == 142)
        #expect(list.inForce(on: day("2025-03-01"), level: .district, provinces: ["68"]).count == 10)
        let communes = list.inForce(on: day("2025-07-01"), level: .commune, provinces: ["68"])
        #expect(communes.count == 124)
        #expect(communes.filter { $0.type == "Xã" }.count == 103)
        #expect(communes.filter { $0.type == "Phường" }.count == 20)
        #expect(communes.filter { $0.type.hasPrefix("Đặc khu") }.count == 1)
        #expect(list.inForce(on: day("2025-06-30"), level: .province).count == 63)
        #expect(list.inForce(on: day("2025-07-01"), level: .province).count == 34)
        #expect(list.inForce(on: day("2026-04-30"), level: .commune, provinces: ["68"]).count == 124)
    }

    /// Code + date name a unit: 682 is Đạ Tẻh in 2024 and Đạ Huoai from 2025-01-01.
    @Test func codesAreReused() {
        #expect(list.unit(code: "682", on: day("2024-12-31"))?.name == "Đạ Tẻh")
        #expect(list.unit(code: "682", on: day("2025-01-01"))?.name == "Đạ Huoai")
        #expect(list.unit(code: "681", on: day("2025-01-01")) == nil)
        #expect(list.unit(code: "24846", on: day("2024-12-31"))?.fullName == "Thị trấn Lạc Dương")
        #expect(list.unit(code: "24846", on: day("2025-07-01"))?.fullName == "Phường Lang Biang - Đà Lạt")
        // A commune's province through its district before the reform, directly after.
        let old = list.unit(code: "25036", on: day("2024-12-31"))!
        #expect(old.parent == "679" && list.provinceCode(of: old, on: day("2024-12-31")) == "68")
    }

    func codes(_ q: String, _ d: String, _ level: AdministrativeUnit.Level? = nil, _ provinces: Set<String>? = nil)
        throws -> [String]
    {
        try list.find(q, on: day(d), level: level, provinces: provinces).map(\.code)
    }

    /// i/y after q and k: the list writes "Phú Quí" (district, 2024) and "Phú Quý" (đặc khu, 2025).
    @Test func iAndYVariants() throws {
        #expect(try codes("Phú Quý", "2024-12-31", .district) == ["602"])
        #expect(try codes("Huyện Phú Quí", "2024-12-31") == ["602"])
        #expect(try codes("Phu Qui", "2025-07-01", .commune, ["68"]) == ["23272"])
        #expect(try codes("Đặc khu Phú Quí", "2025-07-01") == ["23272"])
        #expect(try codes("Kì Anh", "2024-12-31", .district) == ["447", "449"])
        #expect(try codes("Thị xã Kì Anh", "2024-12-31", .district) == ["449"])
        #expect(try codes("Huyện Kỳ Anh", "2024-12-31", .district) == ["447"])
        // "Thủy"/"Huy" keep their y: a vowel before it.
        #expect(
            VietnameseNames.key("Phú Thủy") == "phu thuy" && VietnameseNames.key("Lý") == "li"
                && VietnameseNames.key("Huy") == "huy")
    }

    /// Tone-mark placement: Thủy/Thuỷ, Hòa/Hoà are the same name, precisely.
    @Test func toneMarkPlacement() throws {
        #expect(VietnameseNames.preciseKey("Phú Thủy") == VietnameseNames.preciseKey("Phú Thuỷ"))
        #expect(VietnameseNames.preciseKey("Hòa Ninh") == VietnameseNames.preciseKey("Hoà Ninh"))
        #expect(VietnameseNames.preciseKey("Hòa Ninh") != VietnameseNames.preciseKey("Hóa Ninh"))
        #expect(try codes("Phú Thuỷ", "2025-08-01", .commune, ["68"]) == ["22924"])
        #expect(try codes("Phú Thủy", "2026-04-30", .commune, ["68"]) == ["22924"])
        #expect(try codes("Xã Hoà Ninh", "2025-08-01", nil, ["68"]) == ["25036"])
        #expect(try codes("Hòa Ninh", "2026-05-01", nil, ["68"]) == ["25036"])
    }

    /// Đăk / Đắk / Dak / Ðak (U+00D0), and "Cu Jút" for Cư Jút.
    @Test func dakAndCuJut() throws {
        for spelling in ["Đăk Glong", "Đắk Glong", "Dak Glong", "\u{00D0}ak Glong", "huyen dak glong"] {
            #expect(try codes(spelling, "2024-12-31", .district) == ["661"], "\(spelling)")
        }
        #expect(try codes("Cu Jút", "2024-12-31", .district) == ["662"])
        #expect(try codes("Cu Jut", "2025-07-01", .commune) == ["24640"])
    }

    @Test func unknownNameNamesCandidates() {
        #expect(throws: GeoMonitorError.self) {
            try list.find("Lam Haa", on: day("2024-12-31"), level: .district, provinces: ["68"])
        }
        do { _ = try list.find("Lam Haa", on: day("2024-12-31"), level: .district, provinces: ["68"]) } catch let e
            as GeoMonitorError
        {
            #expect(e.kind == .lookup && e.message.contains("Huyện Lâm Hà (676)"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: GeoMonitorError.self) { try UnitList.embedded(country: "TH") }
    }

    /// The 2025 wards' compound names answer to their first part, before a folded match of
    /// another province's unit (the trial: "Cam Ly" gave Xã Cẩm Lý, province 24); a name no
    /// longer in force says when it was.
    @Test func compoundNamesAndNamesOutOfForce() throws {
        #expect(try codes("Cam Ly", "2025-07-01") == ["24787"])
        #expect(try codes("Cẩm Lý", "2025-07-01") == ["07519"])
        #expect(try codes("Lâm Viên", "2025-07-01", .commune, ["68"]) == ["24778"])
        #expect(try codes("Lâm Viên - Đà Lạt", "2025-07-01") == ["24778"])
        do {
            _ = try list.find("Bảo Lộc", on: day("2025-07-01"), level: .district)
            Issue.record("Bảo Lộc found as a district on 2025-07-01")
        } catch let e as GeoMonitorError {
            #expect(e.message.contains("Thành phố Bảo Lộc (673) was in force until 2025-06-30"), "\(e.message)")
        }
    }

    /// The three output formats; CSV and JSON carry every field.
    @Test func outputs() throws {
        let units = try list.find("Di Linh", on: day("2024-12-31"), provinces: ["68"])
        #expect(units.map(\.code) == ["679", "25000"])
        let csv = UnitListOutput.render(units, list: list, on: day("2024-12-31"), as: .csv)
        #expect(
            csv.hasPrefix("level,code,name,full_name,type,parent_code,province_code,valid_from,valid_to,decree\r\n"))
        #expect(csv.contains("district,679,Di Linh,Huyện Di Linh,Huyện,68,68,,2025-06-30,"))
        let json = UnitListOutput.render(units, list: list, on: day("2024-12-31"), as: .json)
        #expect(json.contains("\"province_code\": \"68\""))
        #expect(UnitListOutput.render(units, list: list, on: day("2024-12-31"), as: .table).contains("Huyện Di Linh"))
    }

    /// The shortcuts of `String.nfc` and `VietnameseNames.fold` (no Foundation round trip for
    /// composed Latin text) give what Foundation gives: for every name of the list (15,500 units,
    /// composed as the file stores them and decomposed), and for every scalar of the ranges the
    /// shortcuts cover. Python's unicodedata agrees on the ranges: no scalar below U+0300 or in
    /// U+1E00–U+1EFF is a mark or changes under NFC, alone or beside another. `key` gives what its
    /// word-by-word definition gives.
    @Test func normalizationShortcutsAgreeWithFoundation() {
        var texts = list.units.flatMap { [$0.name, $0.fullName, $0.type] }
        texts += (Array(0x20..<0x300) + Array(0x1E00...0x1EFF)).compactMap { Unicode.Scalar($0).map { "x\($0)y" } }
        texts += ["Đắk R'Lấp", "Thị trấn Nam Ban", "ĐẮK GLONG", "Phú Quí", "Ð ð Ɖ", "Ω café"]
        var checked = 0
        for t in texts {
            for form in [t, t.decomposedStringWithCanonicalMapping] {
                #expect(
                    form.nfc.unicodeScalars.elementsEqual(form.precomposedStringWithCanonicalMapping.unicodeScalars))
                // The decomposed form has marks (U+0300…), so it takes Foundation's path.
                #expect(
                    VietnameseNames.fold(form)
                        == VietnameseNames.fold(t.decomposedStringWithCanonicalMapping + "\u{0300}"))
                checked += 1
            }
        }
        #expect(checked > 30_000)
        // `key`'s shortcut (the folded name itself when no word is a type word or ends in y) is
        // the key word by word: type word dropped, each word through `iy`.
        for t in texts + ["Xã Lộc Bảo", "Thành phố Bảo Lộc", "Phú Quí", "Phú Quý", "Thị trấn Ky", "xã", "Đạ Huoai"] {
            let words = VietnameseNames.fold(t).split(separator: " ").map(String.init)
            let expected = words.dropFirst(VietnameseNames.typePrefix(words)).map(VietnameseNames.iy).joined(
                separator: " ")
            #expect(VietnameseNames.key(t) == expected, "\(t)")
        }
        #expect(VietnameseNames.key("Xã Phú Quý") == "phu qui")
        #expect(VietnameseNames.fold("Đắk R'Lấp") == "dak rlap")
        #expect("Lâm Đồng".nfc.unicodeScalars.count == 8)
        #expect("La\u{0302}m Đo\u{0302}\u{0300}ng".nfc == "Lâm Đồng")
    }
}
