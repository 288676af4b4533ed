import ArgumentParser
import GeoMonitor

struct LocalitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "localities",
        abstract: "List the localities (code, name, type, parent, area), or find one by name or code.")

    @OptionGroup var dataset: DatasetOptions
    @Argument(help: "A name or code to look up (e.g. \"tp da lat\", 672).") var name: String?

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let localities = try dataset.loadLocalities(in: run)
            let list = try name.map { [try localities.find($0)] } ?? localities.all
            print(LocalityOutput.table(list), terminator: "")
        }
    }
}
