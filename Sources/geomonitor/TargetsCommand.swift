import ArgumentParser
import GeoMonitor

struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "List the target catalog: id, clause, measurement, unit, goal.")

    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() throws {
        try reportingErrors { _ in
            let m = try Manifest.load(dataset.manifestPath)
            let catalog = try TargetCatalog.load(m.targets.map(m.resolve) ?? ProgressEngine.defaultCatalogPath)
            switch format {
            case .table: print(TargetCatalogOutput.table(catalog), terminator: "")
            case .json: print(TargetCatalogOutput.json(catalog), terminator: "")
            }
        }
    }
}
