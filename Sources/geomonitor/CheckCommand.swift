import ArgumentParser
import GeoMonitor

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Flag suspicious data: invalid geometries, plots outside every locality, declared vs drawn area, plots planted twice, locality attributes that disagree with the geometry."
    )

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(
        name: .customLong("area-tolerance"),
        help: "Flag declared areas differing from drawn areas by more than this percent.")
    var areaTolerance: Double = 10
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let d = try dataset.load(in: run)
            var opts = CheckOptions()
            opts.areaTolerancePercent = areaTolerance
            let findings = try DataCheck.run(
                d, assignment: SpatialAssignment(projects: d.projects, localities: d.localities, lenient: true),
                options: opts)
            switch format {
            case .json: print(CheckOutput.json(findings), terminator: "")
            case .table: print(CheckOutput.table(findings, language: try language.language(d.manifest)), terminator: "")
            }
        }
    }
}
