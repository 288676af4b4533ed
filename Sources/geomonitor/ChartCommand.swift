import ArgumentParser
import GeoMonitor

struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Chart a sum or count target over time: cumulative achieved by month against the expected line.",
        discussion: """
            Each month's figure is the target's progress at the month's end (projects count from
            their status date); the expected line is goal × elapsed share of the period (a
            locality's quota with --district).

            Examples:
              geomonitor chart --target afforestation-2024 --as-of 2024-12-31 --out afforestation.svg
              geomonitor chart --target afforestation-2024 --district "Lâm Hà" --lang vi --out lam-ha.svg
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(help: ArgumentHelp("The target (a sum or a count).", valueName: "ID")) var target: String
    @Option(
        name: [.customLong("district"), .customLong("locality")],
        help: ArgumentHelp("Chart this locality against its quota.", valueName: "NAME|CODE"))
    var district: String?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Last day charted (default today, clamped to the target's period).", valueName: "YYYY-MM-DD")
    )
    var asOf: String?
    @Option(help: ArgumentHelp("SVG file to write ('-' for standard output).", valueName: "FILE")) var out: String

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let day = try parseDay(asOf)
            let d = try dataset.load(forTargets: [target], in: run)
            let lang = try language.language(d.manifest)
            let engine = try ProgressEngine(dataset: d, timings: run.timings)
            let history = try ProgressHistory.compute(engine, target: target, through: day)
            let locality = try district.map { try d.localities.find($0) }
            let chart = ProgressChart(history: history, locality: locality.map { ($0.code, $0.name) }, language: lang)
            try OutputFile.write(chart.svg(), to: out)
        }
    }
}
