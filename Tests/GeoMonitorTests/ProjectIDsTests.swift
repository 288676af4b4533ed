import Foundation
import Testing

@testable import GeoMonitor

/// The first repeat among a source's ids, found with an open-addressing table over FNV-1a of the
/// NFC bytes: the same answer as a Swift `Set` (canonical equivalence), checked against one.
@Suite("Project ids: the first repeat")
struct ProjectIDsTests {
    /// The position a `Set` finds: the reference.
    static func bySet(_ ids: [String]) -> Int? {
        var seen = Set<String>()
        return ids.indices.first { !seen.insert(ids[$0]).inserted }
    }

    @Test func smallCases() {
        let cases: [[String]] = [
            [], ["a"], ["a", "b", "c"], ["a", "b", "a", "b"], ["Lô 1", "Lo\u{0302} 1"], ["Lô 1", "Lo 1", "Lô 1"],
            ["x", "x"], ["P-1", "P-10", "P-100", "P-10"],
        ]
        for ids in cases { #expect(ProjectIDs.SourceIDs.firstRepeat(ids) == Self.bySet(ids), "\(ids)") }
        #expect(ProjectIDs.SourceIDs.firstRepeat(["Lô 1", "Lo\u{0302} 1"]) == 1)
    }

    /// 120,000 ids (a tenth decomposed Vietnamese), distinct, then with one repeat placed late,
    /// then with a repeat of a decomposed id in its composed form.
    @Test func manyIDs() {
        var ids = (0..<120_000).map { k in k % 10 == 0 ? "Lo\u{0302} \(k)" : "LR-\(k)" }
        #expect(ProjectIDs.SourceIDs.firstRepeat(ids) == nil)
        ids.append("LR-77777")
        #expect(ProjectIDs.SourceIDs.firstRepeat(ids) == 120_000)
        ids[119_999] = "Lô 500"
        #expect(ProjectIDs.SourceIDs.firstRepeat(ids) == Self.bySet(ids))
        #expect(ProjectIDs.SourceIDs.firstRepeat(ids) == 119_999)
    }
}
