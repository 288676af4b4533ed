import Foundation
import Testing

// Helpers the test targets share for running programs: `which`, `seconds`, the geomonitor
// binary built next to the test bundle and the BadInputs corpus it is run on (moved here from
// ServerTests, HostileInputTests and RobustnessTests, unchanged but for `public` and the path).

/// The full path of a program on `PATH`, nil when it is not installed.
public func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// Seconds taken by `body`.
public func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

/// The geomonitor binary built next to the test bundle.
public enum CLIBinary {
    public static let path: String? = {
        var dirs: [URL] = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        dirs += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for d in dirs {
            let p = d.appendingPathComponent("geomonitor").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    public struct Run {
        public var status: Int32
        public var signalled: Bool
        public var stdout: String
        public var stderr: String
    }

    /// Runs the binary in `cwd` (with `environment` added to this process's), killing it after
    /// `timeout` seconds.
    public static func run(
        _ arguments: [String], cwd: URL, timeout: TimeInterval = 120, environment: [String: String] = [:]
    ) throws -> Run {
        guard let path else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "geomonitor binary not found next to the test bundle"])
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        env.merge(environment) { $1 }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Drain both pipes while the child runs (a full pipe would block it).
        final class Sink: @unchecked Sendable { var data = Data() }
        let outSink = Sink()
        let errSink = Sink()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outSink.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errSink.data = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        group.wait()
        return Run(
            status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
            stdout: String(decoding: outSink.data, as: UTF8.self), stderr: String(decoding: errSink.data, as: UTF8.self)
        )
    }

    /// Asserts the contract of a failed run: non-zero exit, exactly one stderr line starting
    /// `geomonitor: error:`, and nothing left in `outDir`.
    public static func expectCleanFailure(_ r: Run, fragment: String, outDir: URL, _ what: String) throws {
        #expect(!r.signalled, "\(what): killed by signal \(r.status)")
        #expect(r.status == 1, "\(what): exit status \(r.status)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(what): stderr has \(lines.count) lines: \(r.stderr.prefix(2000))")
        #expect(lines.first?.hasPrefix("geomonitor: error:") == true, "\(what): \(r.stderr.prefix(500))")
        #expect(r.stderr.contains(fragment), "\(what): '\(fragment)' missing from \(r.stderr.prefix(500))")
        let left = try FileManager.default.contentsOfDirectory(atPath: outDir.path)
        #expect(left.isEmpty, "\(what): left behind \(left)")
    }
}

/// The BadInputs corpus of GeoMonitorTests in the source tree (not a bundle resource: only
/// Fixtures are copied), read by its robustness tests and by the CLI's.
public enum BadInputsFolder {
    public static let path: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("GeoMonitorTests/BadInputs").standardizedFileURL.path
    public static func manifest(_ folder: String) -> String { "\(path)/\(folder)/manifest.yaml" }
}
