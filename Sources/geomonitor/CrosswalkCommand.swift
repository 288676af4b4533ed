import ArgumentParser
import GeoMonitor

struct CrosswalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk",
        abstract: "Overlay two boundary editions (GEOS, geodesic hectares) and compare with the legal membership.")

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("The earlier edition (its id in the manifest).", valueName: "EDITION")) var from: String
    @Option(help: ArgumentHelp("The later edition.", valueName: "EDITION")) var to: String
    @Option(
        help: ArgumentHelp(
            "Legal membership CSV (new_code, old_code, part …); default: Vietnam's 2025 reform table for editions matched to the VN list.",
            valueName: "FILE"))
    var membership: String?
    @Option(name: .customLong("sliver-percent"), help: "A pair under this percentage of both units …")
    var sliverPercent: Double = 1
    @Option(name: .customLong("sliver-ha"), help: "… and under this many hectares is boundary noise, reported apart.")
    var sliverHa: Double = 5
    @Option(help: "Output: table, csv or json.") var format: String = "table"

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            guard let fmt = CrosswalkOutput.Format(rawValue: format) else {
                throw GeoMonitorError(
                    .usage, key: "--format", "unknown format '\(format)'; use \(CrosswalkOutput.Format.vocabulary)")
            }
            guard sliverPercent >= 0, sliverPercent.isFinite, sliverHa >= 0, sliverHa.isFinite else {
                throw GeoMonitorError(.usage, key: "--sliver-ha", "sliver tolerances must be numbers ≥ 0")
            }
            let (c, warnings) = try Crosswalk.between(
                manifest: dataset.loadManifest(), from: from, to: to, membership: membership,
                tolerance: .init(share: sliverPercent / 100, hectares: sliverHa), timings: run.timings)
            for w in warnings { Terminal.warn(w.description) }
            try dataset.enforceStrict(warnings)
            print(CrosswalkOutput.render(c, as: fmt), terminator: "")
        }
    }
}
