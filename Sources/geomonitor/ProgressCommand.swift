import ArgumentParser
import Foundation
import GeoMonitor

struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "How far each target has come, province-wide and by locality, at a date.",
        discussion: """
            A project crossing a border counts in each locality by its share (polygons by area,
            lines by length, points by containment); attribute measures such as trees are split
            by the same share. Status rule: see `ProgressStatus` in the README.

            Examples:
              geomonitor progress --target afforestation-2024 --as-of 2024-09-30
              geomonitor progress --district "Lâm Hà" --format markdown
              geomonitor progress --target afforestation-2024 --format geojson --out progress.geojson
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(help: ArgumentHelp("A target id (repeatable); all targets when omitted.", valueName: "ID")) var target:
        [String] = []
    @Option(
        name: [.customLong("district"), .customLong("locality")],
        help: ArgumentHelp("Only this locality's rows.", valueName: "NAME|CODE"))
    var district: String?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Date of the assessment (default today, clamped to each target's period).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "Output format (json, csv and geojson are canonical, whatever --lang says).") var format:
        ProgressOutput.Format = .table
    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE")) var out: String?
    @Option(
        name: .customLong("stalled-months"),
        help: "Also list projects without a status change for this many months (III.7).")
    var stalledMonths: Int?

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let fmt = format
            let day = try parseDay(asOf)
            let lang = try language.language(dataset.loadManifest())
            // With --stalled-months every project is needed; otherwise only what the targets select.
            let d = try dataset.load(forTargets: stalledMonths == nil ? target : [], in: run)
            let engine = try dataset.engine(d, in: run)
            let report = try engine.run(
                asOf: day, targets: target, locality: district.map { try d.localities.find($0) })
            try dataset.enforceStrict(report.warnings)
            // The localities of the edition the targets were judged on (GeoJSON geometries).
            let used = Set(report.targets.compactMap(\.edition))
            let shown = used.count == 1 ? (used.first.flatMap { d.editions[$0] } ?? d.localities) : d.localities
            var text = run.timings.measure("render") {
                ProgressOutput.render(report, as: fmt, localities: shown, language: lang)
            }
            if let months = stalledMonths, fmt == .table {
                text += StalledProjectsOutput.section(
                    StalledProjects.find(in: d, asOf: day, months: months), months: months, language: lang)
            }
            try run.timings.measure("write") { try OutputFile.write(text, to: out ?? "-") }
            // Load warnings the report repeats were printed by `load` already; the report's own go
            // to standard error too, unless a table on the terminal shows them already.
            if out != nil || fmt != .table || isatty(STDOUT_FILENO) == 0 {
                for w in report.warnings where !d.warnings.contains(w) { Terminal.warn(w.description) }
            }
        }
    }
}

/// `--as-of` as typed: ISO or dd/mm/yyyy; today when absent.
func parseDay(_ s: String?) throws -> Day {
    guard let s else { return Day.today }
    guard let d = (try? Day(iso: s)) ?? Day(dmy: s) else {
        throw GeoMonitorError(.usage, key: "--as-of", "'\(s)' is not a date (use YYYY-MM-DD)")
    }
    return d
}
