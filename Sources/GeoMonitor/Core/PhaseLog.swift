import Foundation

/// Wall-clock time per phase of a job (open, read, assign, sum, write …), for `--timings` and
/// benchmarks. Off unless enabled; thread-safe.
public final class PhaseLog: @unchecked Sendable {
    /// The process-wide log every phase of geomonitor reports to.
    public static let shared = PhaseLog()
    private let lock = NSLock()
    private var entries: [(String, Double)] = []
    /// When `enabled` was last turned on: the report's `total` runs from here.
    private var start: UInt64 = 0
    /// Whether phases are timed; off by default, so that timing costs nothing. Set it once,
    /// before the work starts (the command line does so for `--timings`); turning it on starts
    /// the clock of the report's `total` line.
    public var enabled = false {
        didSet { if enabled && !oldValue { start = DispatchTime.now().uptimeNanoseconds } }
    }

    /// Adds `seconds` of wall time to `phase` (phases keep the order they were first seen in).
    /// Does nothing unless ``enabled``.
    public func record(_ phase: String, seconds: Double) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.0 == phase }) { entries[i].1 += seconds } else { entries.append((phase, seconds)) }
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
        lock.lock(); defer { lock.unlock() }
        let total = ("total", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return (entries + [total]).map { "timing: \($0.0.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%.3f", $0.1)) s" }.joined(separator: "\n")
    }
}
