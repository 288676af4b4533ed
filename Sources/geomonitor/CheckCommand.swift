import ArgumentParser
import GeoMonitor

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Flag suspicious data: invalid geometries, plots outside every locality, declared vs drawn area, plots planted twice, locality attributes that disagree with the geometry.")

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(name: .customLong("area-tolerance"), help: "Flag declared areas differing from drawn areas by more than this percent.")
    var areaTolerance: Double = 10
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let d = try dataset.load(in: run)
            var opts = CheckOptions()
            opts.areaTolerancePercent = areaTolerance
            let findings = try DataCheck.run(d, assignment: SpatialAssignment(projects: d.projects, localities: d.localities, lenient: true), options: opts)
            if format == .json {
                print(JSONValue.array(findings.map { .object([("kind", .string($0.kind.rawValue)), ("project", .string($0.project)), ("message", .string($0.message)), ("value", .num($0.value))]) }).serialized(pretty: true))
            } else {
                let l = try language.language(d.manifest)
                var t = TextTable(headers: ["check", "project", "finding"].map { l($0) })
                for f in findings { t.add([f.kind.rawValue, f.project, f.message]) }
                print(t.render(), terminator: "")
                var counts: [String: Int] = [:]
                for f in findings { counts[f.kind.rawValue, default: 0] += 1 }
                print(l("{1} finding(s)", l.number(Double(findings.count), 0))
                      + (counts.isEmpty ? "" : ": " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
            }
        }
    }
}
