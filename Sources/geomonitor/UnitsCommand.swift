import ArgumentParser
import GeoMonitor

struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract:
            "The official unit list (embedded): the provinces, districts and communes in force on a day, or find one by name or code."
    )

    @Argument(help: "A name or GSO code to look up (e.g. \"Phu Qui\", \"Đặc khu Phú Quý\", 24846).") var name: String?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The day the units are in force (default today).", valueName: "YYYY-MM-DD")) var asOf:
        String?
    @Option(help: "Only units of this level: province, district or commune.") var level: String?
    @Option(help: ArgumentHelp("Only units of this province (GSO code, e.g. 68).", valueName: "CODE")) var province:
        String?
    @Option(help: "Output: table, json or csv.") var format: String = "table"
    @Option(help: "Country of the list (only VN is embedded).") var country: String = "VN"

    func run() throws {
        try reportingErrors { _ in
            let day = try parseDay(asOf)
            guard let fmt = UnitListOutput.Format(rawValue: format) else {
                throw GeoMonitorError(
                    .usage, key: "--format", "unknown format '\(format)'; use \(UnitListOutput.Format.vocabulary)")
            }
            let lvl = try level.map { s -> AdministrativeUnit.Level in
                guard let l = AdministrativeUnit.Level(rawValue: s) else {
                    throw GeoMonitorError(
                        .usage, key: "--level", "unknown level '\(s)'; use \(AdministrativeUnit.Level.vocabulary)")
                }
                return l
            }
            let list = try UnitList.embedded(country: country)
            let provinces = province.map { Set([$0]) }
            let units =
                try name.map { try list.find($0, on: day, level: lvl, provinces: provinces) }
                ?? list.inForce(on: day, level: lvl, provinces: provinces)
            print(UnitListOutput.render(units, list: list, on: day, as: fmt), terminator: "")
        }
    }
}
