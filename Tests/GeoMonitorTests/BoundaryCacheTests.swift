import Foundation
import GeoKit
import TestSupport
import Testing

@testable import GeoMonitor

/// Large GeoJSON boundary files are read from a FlatGeobuf copy (issue 15): the copy must give
/// exactly what the original gives, be remade when the file changes, and be refused when it
/// could not keep the features' ids.
@Suite("Boundary copies: large GeoJSON boundaries read once")
struct BoundaryCacheTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let geoData = repo.appendingPathComponent("GeoData")

    static func tempFolder() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geomonitor-cache-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// GeoData's 12 districts, each with a long note so that the file passes the 1 MB floor;
    /// `ids` gives the features GeoJSON `"id"` members; `rename` changes one district's name.
    static func bigBoundaries(_ file: URL, ids: [Int]? = nil, rename: (String, String)? = nil) throws {
        let data = try Data(contentsOf: geoData.appendingPathComponent("localities.geojson"))
        var doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var features = try #require(doc["features"] as? [[String: Any]])
        for i in features.indices {
            var p = features[i]["properties"] as? [String: Any] ?? [:]
            p["ghi_chu"] = String(repeating: "Rừng phòng hộ đầu nguồn. ", count: 8_000)
            if let (from, to) = rename, p["ten_huyen"] as? String == from { p["ten_huyen"] = to }
            features[i]["properties"] = p
            if let ids { features[i]["id"] = ids[i] }
        }
        doc["features"] = features
        try JSONSerialization.data(withJSONObject: doc).write(to: file)
    }

    static func manifest(_ folder: URL, boundaries: URL) throws -> URL {
        let g = geoData.path
        let text = """
            name: "copy test"
            province: {code: "68", name: "Lâm Đồng", type: "Tỉnh"}
            working_crs: EPSG:5899
            localities:
              source: \(boundaries.path)
              fields: {code: ma_huyen, name: ten_huyen, type: loai, parent: ma_tinh}
            projects:
              - source: \(g)/forest-plots.gpkg
                layer: lo_rung
                kind: forest_planting
                fields: {id: ma_lo, status: trang_thai, date: ngay, trees: so_cay, area_ha: dt_khai_bao}
                values:
                  status: {"hoàn thành": completed, "đang trồng": under_construction, "kế hoạch": planned, "đã phê duyệt": approved}
            targets: \(g)/targets-2024.yaml
            """
        let m = folder.appendingPathComponent("manifest.yaml")
        try text.write(to: m, atomically: true, encoding: .utf8)
        return m
    }

    static func files(_ folder: URL, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            $0.hasSuffix(suffix) && !$0.hasPrefix(".")
        }.sorted()
    }

    @Test("the copy gives the same localities, exactly: codes, names, ids, vertices and areas")
    func copyReadsAsTheOriginal() throws {
        let folder = try Self.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Manifest.load(Self.geoData.appendingPathComponent("manifest.yaml").path)
        let spec = try #require(manifest.editions.first?.sources.first)
        let original = manifest.resolve(spec.source)
        let copy = try #require(
            BoundaryCache.copy(
                of: original, layer: spec.layer, openOptions: spec.openOptions,
                minimumBytes: 0, directory: folder.path))
        #expect(copy.hasSuffix(".fgb"))
        // Asked again: the same copy, not made anew.
        let made = try FileManager.default.attributesOfItem(atPath: copy)[.modificationDate] as? Date
        #expect(
            BoundaryCache.copy(
                of: original, layer: spec.layer, openOptions: spec.openOptions, minimumBytes: 0, directory: folder.path)
                == copy)
        #expect(try FileManager.default.attributesOfItem(atPath: copy)[.modificationDate] as? Date == made)

        var w1: [Warning] = []
        var w2: [Warning] = []
        let a = try LocalityLoader.readFile(
            original, openOptions: spec.openOptions, shown: "b.geojson", spec, manifest: manifest, warnings: &w1)
        let b = try LocalityLoader.readFile(
            copy, openOptions: [:], shown: "b.geojson", spec, manifest: manifest, warnings: &w2)
        #expect(a.count == 12 && b.count == a.count)
        for (x, y) in zip(a, b) {
            #expect(
                x.code == y.code && x.name == y.name && x.type == y.type && x.parent == y.parent && x.fid == y.fid
                    && x.layer == y.layer)
            #expect(x.polys == y.polys, "\(x.code): vertices differ")
            #expect(x.areaHa == y.areaHa, "\(x.code): \(x.areaHa) ha vs \(y.areaHa) ha")
        }
        #expect(w1.map(\.description) == w2.map(\.description))
    }

    @Test("a file whose features carry their own ids is not copied (a marker remembers it)")
    func ownIDsAreNotCopied() throws {
        let folder = try Self.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("huyen.geojson")
        try Self.bigBoundaries(file, ids: (0..<12).map { 660 + $0 * 2 })
        let cache = folder.appendingPathComponent("cache")
        #expect(BoundaryCache.copy(of: file.path, layer: nil, openOptions: [:], directory: cache.path) == nil)
        #expect(Self.files(cache, suffix: ".fgb").isEmpty)
        #expect(Self.files(cache, suffix: ".uncopied").count == 1)
        // Small files are never copied.
        #expect(
            BoundaryCache.copy(
                of: Self.geoData.appendingPathComponent("localities.geojson").path, layer: nil, openOptions: [:],
                directory: cache.path) == nil)
    }

    @Test(
        "geomonitor gives the same progress with the copy, without it, and remakes it when the file changes",
        .enabled(if: CLIBinary.path != nil, "needs the geomonitor binary built next to the tests"))
    func cliSameWithAndWithoutCopy() throws {
        let folder = try Self.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("huyen.geojson")
        try Self.bigBoundaries(file)
        let m = try Self.manifest(folder, boundaries: file)
        let cache = folder.appendingPathComponent("cache")
        let args = [
            "progress", "--manifest", m.path, "--format", "json", "--as-of", "2024-12-31", "--target",
            "afforestation-2024",
        ]
        let off = try CLIBinary.run(
            args, cwd: folder, environment: ["GEOMONITOR_CACHE": "off", "GEOMONITOR_CACHE_DIR": cache.path])
        #expect(off.status == 0, "\(off.stderr.prefix(400))")
        #expect(Self.files(cache, suffix: ".fgb").isEmpty)
        let first = try CLIBinary.run(args, cwd: folder, environment: ["GEOMONITOR_CACHE_DIR": cache.path])
        #expect(Self.files(cache, suffix: ".fgb").count == 1)
        let second = try CLIBinary.run(args, cwd: folder, environment: ["GEOMONITOR_CACHE_DIR": cache.path])
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == off.stdout && second.stdout == off.stdout)
        #expect(first.stderr == off.stderr && second.stderr == off.stderr)
        #expect(off.stdout.contains("\"Đức Trọng\"") || off.stdout.contains("Đức Trọng"))

        // The file changes (one name): a new copy, and the new name in the output.
        try Self.bigBoundaries(file, rename: ("Đức Trọng", "Đức Trọng Mới"))
        let changed = try CLIBinary.run(args, cwd: folder, environment: ["GEOMONITOR_CACHE_DIR": cache.path])
        #expect(changed.status == 0)
        #expect(changed.stdout.contains("Đức Trọng Mới"))
        #expect(Self.files(cache, suffix: ".fgb").count == 2)
    }
}
