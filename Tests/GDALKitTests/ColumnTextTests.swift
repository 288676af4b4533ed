import Foundation
import GDALKit
import GeoKit
import TestSupport
import Testing

/// `VectorLayer.columnText(_:)`: the (feature id, text) pairs of a whole column in one query must
/// be what reading the layer feature by feature gives (`FieldValue.description`, "" for NULL),
/// whatever the values hold: surrounding spaces, composed and decomposed Vietnamese, NULLs, a
/// text that SQLite keeps in an integer column (OGR reads it as 0). Each case is a GeoPackage
/// written here, altered with SQL where a value must be one the writer would not store.
@Suite("A whole column in one query")
struct ColumnTextTests {
    /// A GeoPackage with one layer `t`: a text column `ma`, an integer `n`, one point per row.
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

    /// The pairs as `forEachFeature` reads them.
    func featureByFeature(_ layer: VectorLayer, _ column: String) throws -> [(Int64, String)] {
        let i = try #require(layer.field(named: column)).index
        var out: [(Int64, String)] = []
        try layer.forEachFeature(fieldIndices: [i], geometry: false) { out.append(($0.fid, $0.values[0].description)) }
        return out
    }

    @Test func sameAsReadingFeatureByFeature() throws {
        let (layer, folder) = try package(
            ["LR-1", " LR-2 ", "Lô 3", "Lo\u{0302} 3", nil, "", "a,b;\"c\"'"],
            [1, nil, 3, -4, 5, 9_007_199_254_740_993, 0],
            alter: ["UPDATE t SET n = 'A2' WHERE fid = 7"])
        defer { try? FileManager.default.removeItem(at: folder) }
        for column in ["ma", "n"] {
            let pairs = try #require(layer.columnText(column))
            let expected = try featureByFeature(layer, column)
            #expect(pairs.map(\.fid) == expected.map(\.0), "\(column)")
            // Byte for byte: "Lô 3" composed and decomposed stay two spellings.
            #expect(pairs.map { Array($0.text.utf8) } == expected.map { Array($0.1.utf8) }, "\(column)")
        }
        #expect(layer.columnText("n")?.last?.text == "0")
        #expect(layer.columnText("ma")?[1].text == " LR-2 ")
    }

    /// Ids without gaps are read as texts alone, in rowid order even where an index on the
    /// column would order a scan otherwise; ids with gaps come with their texts. Either way the
    /// pairs are what reading feature by feature gives.
    @Test func indexedColumnAndGaps() throws {
        let values = (0..<300).map { "LR-\(String(format: "%03d", (300 - $0) * 7 % 301))" }
        let (layer, folder) = try package(
            values, (0..<300).map { Int64($0) },
            alter: ["CREATE INDEX t_ma ON t (ma)", "CREATE INDEX t_n ON t (n DESC)"])
        defer { try? FileManager.default.removeItem(at: folder) }
        for column in ["ma", "n"] {
            let pairs = try #require(layer.columnText(column))
            let expected = try featureByFeature(layer, column).sorted { $0.0 < $1.0 }
            #expect(pairs.map(\.fid) == expected.map(\.0) && pairs.map(\.text) == expected.map(\.1), "\(column)")
            #expect(pairs.first?.fid == 1 && pairs.count == 300)
        }
        #expect(layer.columnText("ma")?.first?.text == values[0])
        let path = folder.appendingPathComponent("keys.gpkg").path
        do {
            let ds = try VectorDataset(path: path, update: true)
            try ds.execute("DELETE FROM t WHERE fid IN (2, 150)")
        }
        let gapped = try VectorDataset(path: path).layer("t")
        let pairs = try #require(gapped.columnText("ma"))
        // SQLite may hand the rows over in the index's order (a covering index on `ma`).
        let expected = try featureByFeature(gapped, "ma").sorted { $0.0 < $1.0 }
        #expect(pairs.count == 298)
        #expect(pairs.map(\.fid) == expected.map(\.0) && pairs.map(\.text) == expected.map(\.1))
        #expect(!pairs.contains { $0.fid == 2 || $0.fid == 150 })
    }

    @Test func emptyLayer() throws {
        let (layer, folder) = try package([], [])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(layer.columnText("ma")?.isEmpty == true)
    }

    /// Values holding the separators of the query, other drivers, unknown columns: nil (the
    /// caller reads feature by feature).
    @Test func whereItCannotAnswer() throws {
        let (layer, folder) = try package(["A\u{1F}B", "C"], [1, 2])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(layer.columnText("ma") == nil)
        #expect(layer.columnText("n")?.map(\.text) == ["1", "2"])
        #expect(layer.columnText("nope") == nil)
        let path = folder.appendingPathComponent("keys.geojson").path
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ma":"A"},"geometry":null}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try VectorDataset(path: path).layer(nil).columnText("ma") == nil)
    }
}
