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
            case .table:
                var t = TextTable(headers: ["id", "clause", "measure", "unit", "goal", "scope", "title"])
                for x in catalog.targets {
                    t.add([x.id, x.clause, x.measurement.kindName, x.unit, x.goal?.text ?? "(monitor)", x.scope ?? "province", x.title])
                }
                print(t.render() + "\(catalog.targets.count) targets", terminator: "\n")
            case .json:
                let arr = JSONValue.array(catalog.targets.map { x in
                    .object([("id", .string(x.id)), ("clause", .string(x.clause)), ("title", .string(x.title)), ("text", .string(x.text)),
                             ("measure", .string(x.measurement.kindName)), ("unit", .string(x.unit)), ("value", .num(x.goal?.figure)),
                             ("scope", .string(x.scope ?? "province"))])
                })
                print(arr.serialized(pretty: true))
            }
        }
    }
}
