import Foundation
import GDALKit
import GeoMonitor

/// The fixtures folder copied into the test bundle (built by Fixtures/make_fixtures.sh).
public enum Fixture {
    public static let dir: String = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            preconditionFailure("the Fixtures folder is missing from the test bundle")
        }
        return url.standardizedFileURL.path
    }()

    public static func path(_ name: String) -> String {
        URL(fileURLWithPath: dir).appendingPathComponent(name).standardizedFileURL.path
    }

    /// Loads a manifest of the fixtures folder.
    public static func load(_ manifest: String) throws -> Dataset { try Dataset.load(manifest: path(manifest)) }

    /// Loads manifest text as if it were a file named `name` in the fixtures folder (so relative
    /// paths resolve against the fixtures), without writing it anywhere.
    public static func load(yaml: String, as name: String = "inline.yaml") throws -> Dataset {
        try Dataset.load(Manifest.parse(yaml, file: path(name)))
    }
}

/// |a − b| ≤ tol.
public func near(_ a: Double, _ b: Double, _ tol: Double) -> Bool { abs(a - b) <= tol }

/// |a − b| ≤ rel·|b|.
public func nearRel(_ a: Double, _ b: Double, _ rel: Double) -> Bool { abs(a - b) <= rel * abs(b) }

/// Same Unicode scalars (Swift's `==` on String is canonical equivalence, which hides NFC/NFD differences).
public func sameScalars(_ a: String, _ b: String) -> Bool { Array(a.unicodeScalars) == Array(b.unicodeScalars) }

/// One feature read through GDALKit with its values keyed by field name.
public struct ReadFeature {
    public var fid: Int64
    public var values: [String: FieldValue]
    public var geometry: Geometry?
}

/// Reads every feature of a layer through `VectorLayer.forEachFeature`, keyed by the text of `keyField`.
public func readFeatures(_ layer: VectorLayer, fields: [String], keyField: String = "ma") throws -> [String:
    ReadFeature]
{
    var indices: [Int] = []
    for name in fields {
        guard let f = layer.field(named: name) else {
            throw GDALError(.noSuchField, "test: no field \(name) in \(layer.name)")
        }
        indices.append(f.index)
    }
    var out: [String: ReadFeature] = [:]
    try layer.forEachFeature(fieldIndices: indices) { rec in
        var values: [String: FieldValue] = [:]
        for (i, name) in fields.enumerated() { values[name] = rec.values[i] }
        out[values[keyField]?.description ?? String(rec.fid)] = ReadFeature(
            fid: rec.fid, values: values, geometry: rec.geometry)
    }
    return out
}

/// Signed shoelace area of a closed ring, written again here (independently of GeoKit's `Planar`):
/// positive when the ring turns counter-clockwise.
public func shoelace(_ ring: [Coordinate]) -> Double {
    var s = 0.0
    for i in 0..<(ring.count - 1) { s += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
    return s / 2
}

/// A temporary folder removed by the caller.
public func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("geomonitor-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
