import ArgumentParser
import Foundation
import GeoMonitor

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw SVG maps: the province by a target's progress, one locality, or a series.",
        discussion: """
            Examples:
              geomonitor map --target afforestation-2024 --as-of 2024-12-31 --out afforestation.svg
              geomonitor map --district "Lâm Hà" --target afforestation-2024 --out lam-ha.svg
              geomonitor map --each-district --target afforestation-2024 --out-dir maps/
              geomonitor map --target afforestation-2024 --style Styles/print.yaml --out print.svg
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(help: ArgumentHelp("The target whose progress fills the localities.", valueName: "ID")) var target: String?
    @Option(
        name: [.customLong("district"), .customLong("locality")],
        help: ArgumentHelp("Draw this locality with its neighbours.", valueName: "NAME|CODE"))
    var district: String?
    @Flag(
        name: .customLong("each-district"),
        help: "One map per locality, the province map and an index.html, into --out-dir.")
    var eachDistrict = false
    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for --each-district.", valueName: "DIR"))
    var outDir: String?
    @Option(help: ArgumentHelp("SVG file to write ('-' for standard output).", valueName: "FILE")) var out: String?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Date of the assessment (default today).", valueName: "YYYY-MM-DD")) var asOf: String?
    @Option(help: ArgumentHelp("A style file (YAML); default Styles/default.yaml.", valueName: "FILE")) var style:
        String?
    @Option(
        help: ArgumentHelp("Print on a sheet at a true scale: A4 or A3 (the SVG is sized in mm).", valueName: "A4|A3"))
    var page: String?
    @Flag(help: "With --page: the long side horizontal.") var landscape = false
    @Option(
        help: ArgumentHelp(
            "With --page: the scale, e.g. 1:250000 (default: the largest standard scale that fits).", valueName: "1:N"))
    var scale: String?

    func validate() throws {
        if eachDistrict && outDir == nil { throw ValidationError("--each-district needs --out-dir DIR") }
        if !eachDistrict && out == nil { throw ValidationError("give --out FILE (or --each-district --out-dir DIR)") }
        if eachDistrict && district != nil {
            throw ValidationError("--each-district and --district exclude each other")
        }
        if page == nil && (landscape || scale != nil) {
            throw ValidationError("--landscape and --scale need --page A4|A3")
        }
        if let page, MapPaper.Size(rawValue: page.uppercased()) == nil {
            throw ValidationError("--page must be A4 or A3, not '\(page)'")
        }
    }

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let day = try parseDay(asOf)
            // A province map draws only what its target selects; locality maps show every project.
            let d = try dataset.load(
                forTargets: district == nil && !eachDistrict ? [target].compactMap { $0 } : [], in: run)
            let mapStyle = try style.map { try MapStyle.load($0) } ?? MapStyle.defaultStyle()
            let paper = try page.flatMap { MapPaper.Size(rawValue: $0.uppercased()) }.map {
                MapPaper(size: $0, landscape: landscape, scale: try scale.map(MapPaper.parseScale))
            }
            var progress: TargetProgress? = nil
            if let target {
                let engine = try dataset.engine(d, in: run)
                progress = try engine.run(asOf: day, targets: [target]).targets.first
            }
            // Drawn on the localities of the edition the target was judged on.
            let shown = try progress?.edition.map { try d.onEdition($0) } ?? d
            let renderer = MapRenderer(
                dataset: shown, style: mapStyle, language: try language.language(d.manifest), paper: paper)
            if eachDistrict, let outDir {
                guard let progress else {
                    throw GeoMonitorError(.usage, key: "--target", "--each-district needs --target ID")
                }
                let files = try MapSeries.write(renderer: renderer, progress: progress, asOf: day, to: outDir)
                Terminal.warn("wrote \(files.count) files to \(outDir)")
                return
            }
            let svg: String
            if let district {
                svg = try renderer.localityMap(shown.localities.find(district), progress: progress, asOf: day)
            } else {
                guard let progress else {
                    throw GeoMonitorError(
                        .usage, key: "--target", "a province map needs --target ID (or use --district)")
                }
                svg = try renderer.provinceMap(progress, asOf: day)
            }
            try OutputFile.write(svg, to: out ?? "-")
        }
    }
}
