import ArgumentParser
import Foundation
import GeoMonitor

/// The root command. Async-capable so that `serve` awaits its server (an `AsyncParsableCommand`);
/// the other commands are synchronous and run as they are.
@main
struct GeoMonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geomonitor",
        abstract: "Monitor the spatial targets of a provincial action programme, district by district.",
        discussion: """
            Every command reads a dataset manifest (--manifest PATH); without one it uses the embedded
            Lâm Đồng 2024 sample in GeoData/. Names of localities may be typed with or without
            diacritics or type words ("tp da lat", "Huyện Di Linh", "DI LINH") or as GSO codes ("672").
            """,
        subcommands: [
            LayersCommand.self, LocalitiesCommand.self, UnitsCommand.self, CrosswalkCommand.self, QueryCommand.self,
            TargetsCommand.self,
            ProgressCommand.self, MapCommand.self, ChartCommand.self, ReportCommand.self, ExportCommand.self,
            CheckCommand.self, ServeCommand.self,
        ]
    )

    /// Tunes the allocator (``AllocatorTuning``), then parses the arguments and runs the command.
    static func main() async {
        AllocatorTuning.apply()
        await main(nil)
    }
}

/// Options every command shares.
struct DatasetOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Dataset manifest (YAML). Default: GeoData/manifest.yaml.", valueName: "PATH"))
    var manifest: String?

    @Flag(help: "Repair invalid polygons with GEOS MakeValid before use, reporting each one and its area change.")
    var repair = false

    @Flag(help: "Print the wall time of each phase (read, assign, sum, write …) to standard error.")
    var timings = false

    @Flag(
        help:
            "Treat every warning (features left out, boundary overlaps, legacy text …) as an error: exit 1 before writing any output."
    )
    var strict = false

    @Option(
        name: .customLong("limit"),
        help: ArgumentHelp(
            "Set a cap of the manifest's `limits:` for this run (repeatable): max_file_size_mb, max_vertices_per_feature, max_features_per_source, max_property_bytes.",
            valueName: "NAME=N"))
    var limit: [String] = []

    @Option(
        help: ArgumentHelp(
            "Count and show by the localities of this boundary edition of the manifest (re-aggregated by geometry), instead of the edition in force for each target.",
            valueName: "EDITION"))
    var boundaries: String?

    var manifestPath: String { manifest ?? Dataset.defaultManifestPath() }

    /// A progress engine over `d`: with `--boundaries`, every target is judged on that edition.
    /// Kept until the run ends, as the dataset is (its assignment holds every plot's shares).
    func engine(_ d: Dataset, in run: CommandRun) throws -> ProgressEngine {
        var e = try run.timings.measure("engine") { try ProgressEngine(dataset: d, timings: run.timings) }
        e.fixedEdition = boundaries != nil
        run.keep(e)
        return e
    }

    /// The manifest, with the `--limit` settings applied.
    func loadManifest() throws -> Manifest {
        var m = try Manifest.load(manifestPath)
        m.limits = try m.limits.applying(limit)
        return m
    }

    /// Loads the dataset; with `targets`, only the projects those targets can select.
    func load(forTargets targets: [String] = [], in run: CommandRun) throws -> Dataset {
        var filter: ProjectFilter? = nil
        if !targets.isEmpty {
            filter = try run.timings.measure("catalog") {
                let m = try loadManifest()
                let catalog = try TargetCatalog.load(m.targets.map(m.resolve) ?? ProgressEngine.defaultCatalogPath)
                return ProjectFilter.forTargets(try targets.map { try catalog.target($0) })
            }
        }
        return try load(filter: filter, in: run)
    }

    /// Loads the manifest's localities only (no project source is read).
    func loadLocalities(in run: CommandRun) throws -> LocalityDirectory {
        let m = try loadManifest()
        let (localities, warnings) =
            try boundaries.map { try LocalityDirectory.load(m, edition: try m.edition($0), timings: run.timings) }
            ?? LocalityDirectory.load(m, timings: run.timings)
        for w in warnings { Terminal.warn(w.description) }
        try enforceStrict(warnings)
        return localities
    }

    /// Loads the manifest's sources (with the `--limit` settings), reading only the projects `filter`
    /// admits; the dataset is kept until the run ends (see ``CommandRun/keep(_:)``).
    func load(filter: ProjectFilter?, in run: CommandRun) throws -> Dataset {
        var d = try Dataset.load(loadManifest(), filter: filter, timings: run.timings)
        if let b = boundaries { d = try d.onEdition(b) }
        if repair {
            // Each repair is a `repaired` warning of the dataset, printed below with the others.
            d = try GeometryRepair.repair(d).0
        }
        for w in d.warnings { Terminal.warn(w.description) }
        try enforceStrict(d.warnings)
        run.keep(d)
        return d
    }

    /// With `--strict`, any warning stops the run (exit 1) before an output is written.
    func enforceStrict(_ warnings: [Warning]) throws {
        guard strict, let first = warnings.first else { return }
        throw GeoMonitorError(
            .value, key: "--strict", "\(warnings.count) warning(s), the first [\(first.code)]: \(first.message)")
    }
}

enum Terminal {
    static func warn(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// One run of a command body (see ``reportingErrors(timings:exitWhenDone:_:)``): the phase log
/// its work is timed in, and the large values it keeps until the process exits.
final class CommandRun {
    /// The run's phase log: enabled by `--timings`, reported on standard error when the body ends.
    let timings: PhaseLog
    /// Values the run keeps: when the body succeeds the process exits with them still held, which
    /// returns all memory at once; otherwise a dataset of 200,000 plots would first be freed value
    /// by value when the body returns (≈ 0.4 s).
    private var kept: [Any] = []

    init(timings: Bool) { self.timings = PhaseLog(enabled: timings) }

    /// Keeps `value` alive until the process exits (or, for a body that does not exit, until the
    /// run ends).
    func keep(_ value: Any) { kept.append(value) }
}

/// Runs a command body, turning geomonitor errors into one line on stderr and exit code 1; with
/// `timings` (`--timings`), the wall time of each phase of the body's ``CommandRun`` follows on stderr.
/// When the body succeeds the process exits at once, without freeing what the run kept (unless
/// `exitWhenDone` is false: a server goes on serving what the body loaded).
func reportingErrors(timings: Bool = false, exitWhenDone: Bool = true, _ body: (CommandRun) throws -> Void) throws {
    let run = CommandRun(timings: timings)
    do { try body(run) } catch let e as GeoMonitorError {
        if run.timings.enabled { Terminal.warn(run.timings.report()) }
        FileHandle.standardError.write(Data(("geomonitor: error: \(e.description)\n").utf8))
        throw ExitCode(e.kind == .usage ? 64 : 1)
    }
    if run.timings.enabled { Terminal.warn(run.timings.report()) }
    guard exitWhenDone else { return }
    // Done: skip tearing down hundreds of thousands of values one by one; the OS frees the memory.
    fflush(nil)
    withExtendedLifetime(run) { exit(0) }
}
