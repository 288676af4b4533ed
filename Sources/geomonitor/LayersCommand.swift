import ArgumentParser
import GeoMonitor

struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List the manifest's sources: layers, feature counts, CRS and extent.")

    @OptionGroup var dataset: DatasetOptions

    func run() throws {
        try reportingErrors { _ in
            let infos = try SourceInventory.describe(manifest: dataset.loadManifest())
            print(SourceInventory.table(infos), terminator: "")
        }
    }
}
