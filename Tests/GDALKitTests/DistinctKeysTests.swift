import Foundation
import GDALKit
import GeoKit
import TestSupport
import Testing

/// `VectorLayer.valuesAreDistinctKeys(column:)`: the database vouches for a key column only when
/// its SQL answer cannot differ from what a reader makes of the values (trimmed text, Unicode
/// comparison, integers as their digits). Each case is a GeoPackage written here, then altered
/// with SQL where a value must have a type or spelling the writer would not give it.
@Suite("Key columns vouched for by the database")
struct DistinctKeysTests {
    /// A GeoPackage with one layer `t` of three points, a text column `ma` and an integer `n`.
    func package(_ ma: [String?], _ n: [Int64?], alter: [String] = []) throws -> (VectorLayer, URL) {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("keys.gpkg").path
        do {
            let ds = try VectorDataset(creating: path, driver: "GPKG")
            let w = try LayerWriter(
                dataset: ds, name: "t", fields: [.init(name: "ma", type: .string), .init(name: "n", type: .integer64)],
                geometry: .any)
            for (k, (a, b)) in zip(ma, n).enumerated() {
                try w.add(
                    values: [a.map(FieldValue.string) ?? .null, b.map(FieldValue.integer) ?? .null],
                    geometry: .point(Coordinate(x: 108 + Double(k) * 0.01, y: 11.9)))
            }
            try w.finish()
        }
        if !alter.isEmpty {
            let ds = try VectorDataset(path: path, update: true)
            for sql in alter { try ds.execute(sql) }
        }
        return (try VectorDataset(path: path).layer("t"), folder)
    }

    @Test func plainDistinctValuesAreVouchedFor() throws {
        let (layer, folder) = try package(["LR-1", "LR 2", "LR-3"], [1, 2, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(layer.valuesAreDistinctKeys(column: "ma"))
        #expect(layer.valuesAreDistinctKeys(column: "n"))
    }

    @Test func repeatsAndGapsAreNot() throws {
        let (layer, folder) = try package(["LR-1", "LR-1", "LR-3"], [1, nil, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!layer.valuesAreDistinctKeys(column: "ma"))
        #expect(!layer.valuesAreDistinctKeys(column: "n"))
    }

    /// Distinct to SQL, the same id to a reader (trimmed "1203 " = "1203"; NFC "Lô" = NFD "Lô"),
    /// or not plain enough to tell (an empty text, a tab at the end).
    @Test(arguments: [
        ["1203", "1203 ", "LR-3"], ["Lô 1", "Lo\u{0302} 1", "LR-3"], ["", "LR-2", "LR-3"], ["LR-1\t", "LR-2", "LR-3"],
    ])
    func valuesAReaderWouldMergeAreNot(_ ma: [String]) throws {
        let (layer, folder) = try package(ma, [1, 2, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!layer.valuesAreDistinctKeys(column: "ma"))
    }

    /// SQLite stores what it is given: the text "2" in the integer column, a blob in the text column.
    @Test func valuesOfAnotherTypeAreNot() throws {
        let (layer, folder) = try package(
            ["LR-1", "LR-2", "LR-3"], [1, 2, 3],
            alter: ["UPDATE t SET n = 'A2' WHERE fid = 2", "UPDATE t SET ma = X'4C522D39' WHERE fid = 3"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!layer.valuesAreDistinctKeys(column: "n"))
        #expect(!layer.valuesAreDistinctKeys(column: "ma"))
    }

    @Test func otherDriversAndUnknownColumnsAreNot() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("keys.geojson").path
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ma":"A"},"geometry":null}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(!(try VectorDataset(path: path).layer(nil)).valuesAreDistinctKeys(column: "ma"))
        let (layer, f2) = try package(["A", "B", "C"], [1, 2, 3])
        defer { try? FileManager.default.removeItem(at: f2) }
        #expect(!layer.valuesAreDistinctKeys(column: "nope"))
    }
}
