import Foundation
import TestSupport
import Testing

@testable import GeoMonitor

/// Finding a locality the way users type it, in names spelt the way boundary files spell them
/// (Fixtures/lookup_localities.geojson):
///   672 "Ðà Lạt" (U+00D0)   673 "Bảo Lộc" (Thành phố)   677 "Ðon Duong" (U+00D0, no diacritics on "Duong")
///   675 "Lạc Duong" (NFD)   679 "Di Linh" (NFD, type "Huyện" in NFD)
///   99001 "Bảo Lộc" (Xã, a made-up commune named like the city)   99002 "Đạ M’ri" (U+2019, Thị trấn)
@Suite("Locality lookup")
struct LocalityLookupTests {
    let dir: LocalityDirectory

    init() throws { dir = try Fixture.load("lookup.yaml").localities }

    func code(_ q: String) throws -> String { try dir.find(q).code }

    @Test func loadsAllSeven() {
        #expect(dir.all.map(\.code) == ["672", "673", "677", "675", "679", "99001", "99002"])
        #expect(dir[code: "679"]?.parent == "68")
    }

    /// `geomonitor localities` reads the boundaries alone: the same localities as a full load,
    /// even when a project source cannot be read.
    @Test func localitiesLoadWithoutProjects() throws {
        let manifest = try Manifest.load(Fixture.path("province.yaml"))
        let full = try Dataset.load(manifest).localities
        let (alone, warnings) = try LocalityDirectory.load(manifest)
        #expect(alone.all.map(\.code) == full.all.map(\.code) && alone.all.map(\.name) == full.all.map(\.name))
        #expect(alone.all.map(\.areaHa) == full.all.map(\.areaHa))
        #expect(warnings.isEmpty)
        var broken = manifest
        #expect(!broken.projects.isEmpty)
        for i in broken.projects.indices { broken.projects[i].source = "no-such-file.gpkg" }
        #expect(throws: GeoMonitorError.self) { try Dataset.load(broken) }
        #expect(try LocalityDirectory.load(broken).localities.all.count == full.all.count)
    }

    @Test func byCode() throws {
        #expect(try code("672") == "672")
        #expect(try code(" 679 ") == "679")
        #expect(try code("99002") == "99002")
    }

    @Test func typedWithoutDiacriticsAndTypeWord() throws {
        #expect(try code("tp da lat") == "672")
        #expect(try code("TP. Đà Lạt") == "672")
        #expect(try code("Thành phố Đà Lạt") == "672")
        #expect(try code("Huyện Di Linh") == "679")
        #expect(try code("DI LINH") == "679")
        #expect(try code("huyen di linh") == "679")
    }

    /// Input in NFD (as macOS file names and some keyboards give it) matches NFC and NFD names alike.
    @Test func nfdInput() throws {
        #expect(try code("Lạc Dương".decomposedStringWithCanonicalMapping) == "675")
        #expect(try code("Di Linh".decomposedStringWithCanonicalMapping) == "679")
        #expect(try code("Đà Lạt".decomposedStringWithCanonicalMapping) == "672")
    }

    /// The stored name uses Ð (U+00D0, Icelandic eth); users type Đ (U+0110) or its look-alike.
    @Test func ethAndDStroke() throws {
        let dStroke = "\u{0110}à Lạt"
        let eth = "\u{00D0}à Lạt"
        #expect(!sameScalars(dStroke, eth))
        #expect(try code(dStroke) == "672")
        #expect(try code(eth) == "672")
        #expect(try code("đà lạt") == "672")
        #expect(VietnameseNames.fold(dStroke) == "da lat")
        #expect(VietnameseNames.fold(eth) == "da lat")
    }

    /// Stored "Ðon Duong" (eth, dropped diacritics) is found from the proper "Đơn Dương"; stored
    /// "Lạc Duong" (one syllable without its horn) from "Lạc Dương".
    @Test func partlyStrippedStoredNames() throws {
        #expect(try code("Đơn Dương") == "677")
        #expect(try code("Huyện Đơn Dương") == "677")
        #expect(try code("Lạc Dương") == "675")
        #expect(try code("lac duong") == "675")
    }

    /// "Đạ M’ri" stored with U+2019; typed with an ASCII apostrophe, a modifier letter apostrophe, or none.
    @Test func apostrophes() throws {
        #expect(try code("Đạ M'ri") == "99002")
        #expect(try code("Đạ M\u{02BC}ri") == "99002")
        #expect(try code("da mri") == "99002")
        #expect(try code("Thị trấn Đạ M'ri") == "99002")
    }

    /// Levenshtein distances of folded keys, by hand: "bao lam" → "bao loc" 2 (a→o, m→c);
    /// → "da lat" 3 (b→d, drop o, m→t); → "da mri" 5; → "di linh" 6; → "lac duong" 7; → "don duong" 8.
    /// So the two Bảo Lộc (673, 99001) come first.
    @Test func unknownNameListsCandidates() throws {
        let e = #expect(throws: GeoMonitorError.self) { _ = try dir.find("Bảo Lâm") }
        #expect(e?.kind == .lookup)
        let text = e?.description ?? ""
        #expect(text.contains("Bảo Lâm"), "\(text)")
        #expect(text.contains("673") && text.contains("99001"), "\(text)")
        #expect(dir.closest(to: "Bảo Lâm", limit: 2).map(\.code).sorted() == ["673", "99001"])
    }

    @Test func ambiguousNameIsAnError() throws {
        let e = #expect(throws: GeoMonitorError.self) { _ = try dir.find("Bao Loc") }
        #expect(e?.kind == .lookup)
        let text = e?.description ?? ""
        #expect(text.contains("ambiguous"), "\(text)")
        #expect(text.contains("673") && text.contains("99001"), "\(text)")
    }

    /// The type word decides between the city and the commune of the same name.
    @Test func typeWordDisambiguates() throws {
        #expect(try code("Thành phố Bảo Lộc") == "673")
        #expect(try code("Xã Bảo Lộc") == "99001")
        #expect(try code("xa bao loc") == "99001")
    }

    /// "TP" is how people abbreviate "Thành phố" ("tp da lat" works above); it must decide as well.
    @Test
    func abbreviatedTypeWordDisambiguates() throws {
        #expect(try code("TP Bảo Lộc") == "673")
        #expect(try code("tp. bao loc") == "673")
    }

    /// Display names put the type word back in front when the name lacks one.
    @Test func displayName() throws {
        let l = try dir.find("673")
        #expect(l.displayName == "Thành phố Bảo Lộc")
    }
}
