import Foundation
import GDALKit
import GeoKit
import TestSupport
import Testing

/// `VectorLayer.parts(_:minimumFeatures:overlapping:)` on a FlatGeobuf with a spatial index: the
/// strips (`LayerPart.box`) must each give their features in feature-id order, together every
/// feature of the layer, each with the fields and geometry a whole read gives it; features
/// crossing a strip's edge come in both strips, a feature spanning the extent in all of them.
@Suite("Parts of a layer read in parallel")
struct LayerPartTests {
    /// 2,000 small squares on a 50 × 40 grid, every fifth one 30 times wider (crossing strip
    /// edges), and one rectangle over the whole extent; field `k` holds the position written.
    func flatGeobuf(spatialIndex: Bool = true) throws -> (VectorLayer, URL) {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("plots.fgb").path
        do {
            let ds = try VectorDataset(creating: path, driver: "FlatGeobuf")
            let w = try LayerWriter(
                dataset: ds, name: "lo", fields: [.init(name: "k", type: .integer64)], geometry: .any,
                options: spatialIndex ? [:] : ["SPATIAL_INDEX": "NO"])
            func square(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> Geometry {
                .polygon(
                    Polygon(exterior: [
                        Coordinate(x: x, y: y), Coordinate(x: x + w, y: y), Coordinate(x: x + w, y: y + h),
                        Coordinate(x: x, y: y + h), Coordinate(x: x, y: y),
                    ]))
            }
            for k in 0..<2000 {
                let x = 108.0 + Double(k % 50) * 0.01
                let y = 11.7 + Double(k / 50) * 0.01
                try w.add(values: [.integer(Int64(k))], geometry: square(x, y, k % 5 == 0 ? 0.15 : 0.005, 0.005))
            }
            try w.add(values: [.integer(2000)], geometry: square(108.0, 11.7, 0.7, 0.4))
            try w.finish()
        }
        return (try VectorDataset(path: path).layer("lo"), folder)
    }

    /// (fid, k, geometry) of every feature the pass gives, in its order.
    func read(_ layer: VectorLayer, _ part: LayerPart = .all) throws -> [(Int64, String, Geometry?)] {
        var out: [(Int64, String, Geometry?)] = []
        try layer.forEachFeature(fieldIndices: [0], part: part) { rec in
            out.append((rec.fid, rec.values[0].description, rec.geometry))
        }
        return out
    }

    @Test("Strips of a FlatGeobuf hold every feature once or more, in feature-id order, as a whole read has them")
    func stripsCoverTheLayer() throws {
        let (layer, folder) = try flatGeobuf()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try read(layer)
        #expect(whole.count == 2001)
        let byFid = Dictionary(uniqueKeysWithValues: whole.map { ($0.0, ($0.1, $0.2)) })

        let parts = layer.parts(2, minimumFeatures: 100, overlapping: true)
        #expect(parts.count == 8)
        var seen: [Int64: Int] = [:]
        for part in parts {
            guard case .box = part else {
                Issue.record("not a box: \(part)")
                continue
            }
            let rows = try read(layer, part)
            #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.0 < $1.0 }, "not in feature-id order")
            for (fid, k, g) in rows {
                seen[fid, default: 0] += 1
                #expect(byFid[fid]?.0 == k && byFid[fid]?.1 == g, "feature \(fid)")
            }
        }
        #expect(Set(seen.keys) == Set(byFid.keys))
        // The rectangle over the whole grid meets all 8 strips; wide squares cross strip edges.
        let spanning = try #require(whole.first { $0.1 == "2000" }).0
        #expect(seen[spanning] == 8)
        #expect(seen.values.filter { $0 > 1 }.count > 1)
        // The pass leaves no spatial filter behind.
        #expect(try read(layer).count == 2001)
    }

    @Test("Without `overlapping`, without a spatial index or with few features, a FlatGeobuf is read whole")
    func wholeOtherwise() throws {
        let (layer, folder) = try flatGeobuf()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(layer.parts(2, minimumFeatures: 100) == [.all])
        #expect(layer.parts(2, minimumFeatures: 5000, overlapping: true) == [.all])
        #expect(layer.parts(1, minimumFeatures: 100, overlapping: true) == [.all])
        let (plain, other) = try flatGeobuf(spatialIndex: false)
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(plain.parts(2, minimumFeatures: 100, overlapping: true) == [.all])
    }
}
