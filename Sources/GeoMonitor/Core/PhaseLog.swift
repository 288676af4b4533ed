import Foundation

/// Wall-clock time per phase of a job (open, read, assign, sum, write …), for `--timings` and
/// benchmarks. Thread-safe.
///
/// A log is made for one job and handed to the calls that do its work (``Dataset/load(_:filter:timings:)``,
/// ``ProgressEngine/init(dataset:timings:)`` …), which add their phases to it; a disabled log
/// (``off``, what those calls take by default) records nothing and costs nothing.
///
/// ```swift
/// let timings = PhaseLog()
/// let data = try Dataset.load(manifest: Dataset.defaultManifestPath(), timings: timings)
/// print(timings.report())   // timing: localities 0.081 s …
/// ```
public final class PhaseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(String, Double)] = []
    /// When the log was made: the report's `total` runs from here.
    private let start: UInt64
    /// Whether phases are timed; a disabled log records nothing.
    public let enabled: Bool

    /// A log whose clock (the report's `total` line) starts now.
    /// - Parameter enabled: false for a log that records nothing (as ``off``).
    public init(enabled: Bool = true) {
        self.enabled = enabled
        start = enabled ? DispatchTime.now().uptimeNanoseconds : 0
    }

    /// A disabled log: timing costs nothing and nothing is reported. A new one each time, so no
    /// state is shared between jobs.
    public static var off: PhaseLog { PhaseLog(enabled: false) }

    /// Adds `seconds` of wall time to `phase` (phases keep the order they were first seen in).
    /// Does nothing unless ``enabled``.
    public func record(_ phase: String, seconds: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.0 == phase }) {
            entries[i].1 += seconds
        } else {
            entries.append((phase, seconds))
        }
    }

    /// Runs `body`, adding its wall time to `phase`.
    @discardableResult
    public func measure<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let t0 = DispatchTime.now().uptimeNanoseconds
        defer { record(phase, seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9) }
        return try body()
    }

    /// One line per phase: `phase  0.123 s`.
    public func report() -> String {
        lock.lock()
        defer { lock.unlock() }
        let total = ("total", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return (entries + [total]).map {
            "timing: \($0.0.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%.3f", $0.1)) s"
        }.joined(separator: "\n")
    }
}
