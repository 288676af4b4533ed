import Foundation
import TestSupport
import Testing

// The CLI on the corpus of bad inputs (Tests/GeoMonitorTests/BadInputs, see RobustnessTests):
// each case runs the geomonitor binary built next to the test bundle in a child process.

// MARK: - The CLI on bad inputs: exit code, one error line, no output file left behind

@Suite("Robustness: the CLI on bad inputs", .serialized)
struct RobustnessCLITests {
    @Test(arguments: CLICase.all)
    func failsCleanly(_ c: CLICase) throws {
        let work = try temporaryFolder()
        let outDir = work.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        let r = try CLIBinary.run(
            c.arguments + [
                "--manifest", BadInputsFolder.manifest(c.folder), "--out",
                outDir.appendingPathComponent("result.out").path,
            ], cwd: work)
        try CLIBinary.expectCleanFailure(r, fragment: c.fragment, outDir: outDir, c.testDescription)
    }

    /// A manifest of 100,000 nested flow sequences must fail like any bad manifest.
    @Test func deeplyNestedManifest() throws {
        let work = try temporaryFolder()
        let outDir = work.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        let n = 100_000
        let manifest = work.appendingPathComponent("deep.yaml")
        try (String(repeating: "[", count: n) + String(repeating: "]", count: n)).write(
            to: manifest, atomically: true, encoding: .utf8)
        let r = try CLIBinary.run(
            ["query", "--manifest", manifest.path, "--out", outDir.appendingPathComponent("q.csv").path], cwd: work)
        try CLIBinary.expectCleanFailure(r, fragment: "deep.yaml", outDir: outDir, "deep manifest")

    }

    /// 1e19 trees and a declared area of 1e308 ha: a table or a check shows them (exit 0), never crashes.
    @Test(arguments: [["progress", "--as-of", "2024-12-31"], ["check"]])
    func hugeNumbersInTables(_ arguments: [String]) throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try CLIBinary.run(
            arguments + ["--manifest", BadInputsFolder.manifest("value-huge-numbers")], cwd: work)
        #expect(
            !r.signalled,
            "geomonitor \(arguments.joined(separator: " ")): killed by signal \(r.status): \(r.stderr.prefix(300))")
        // Both run through: the table shows 10,000,000,000,000,000,000 trees, the check an area mismatch.
        #expect(r.status == 0, "exit \(r.status): \(r.stderr.prefix(300))")
        #expect(!r.stdout.isEmpty)
    }

    /// A NaN vertex in a locality boundary must be an error naming the feature.
    @Test func nanInLocalityBoundary() throws {
        let work = try temporaryFolder()
        let outDir = work.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        let r = try CLIBinary.run(
            [
                "query", "--manifest", BadInputsFolder.manifest("geometry-nan-locality"), "--out",
                outDir.appendingPathComponent("q.csv").path,
            ], cwd: work)
        try CLIBinary.expectCleanFailure(r, fragment: "localities.geojson", outDir: outDir, "NaN locality")

    }
}
