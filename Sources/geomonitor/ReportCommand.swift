import ArgumentParser
import Foundation
import GeoMonitor

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "The progress report on A4: cover, summary, maps, locality tables, charts, stalled projects, warnings.",
        discussion: """
            A PDF (librsvg and cairo: fonts embedded, text extractable) or one self-contained HTML
            file, chosen by the extension of --out; written atomically.

            Examples:
              geomonitor report --as-of 2024-12-31 --lang vi --out bao-cao.pdf
              geomonitor report --as-of 2024-12-31 --target afforestation-2024 --district "Lâm Hà" --out lam-ha.html
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(help: ArgumentHelp("A target id (repeatable); all targets when omitted.", valueName: "ID")) var target:
        [String] = []
    @Option(
        name: [.customLong("district"), .customLong("locality")],
        help: ArgumentHelp("Report on this locality only.", valueName: "NAME|CODE"))
    var district: String?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Date of the assessment (default today).", valueName: "YYYY-MM-DD")) var asOf: String?
    @Option(help: ArgumentHelp("A map style file (YAML); default Styles/default.yaml.", valueName: "FILE")) var style:
        String?
    @Option(help: ArgumentHelp("The report: FILE.pdf or FILE.html.", valueName: "FILE")) var out: String

    func validate() throws {
        let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
        guard ext == "pdf" || ext == "html" || ext == "htm" else {
            throw ValidationError("--out must end in .pdf or .html, not '\(out)'")
        }
    }

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let day = try parseDay(asOf)
            // Every project is needed: the stalled projects (III.7) are listed whatever the targets select.
            let d = try dataset.load(in: run)
            let lang = try language.language(d.manifest)
            let engine = try run.timings.measure("engine") { try ProgressEngine(dataset: d, timings: run.timings) }
            let mapStyle = try style.map { try MapStyle.load($0) } ?? MapStyle.defaultStyle()
            let doc = try run.timings.measure("layout") {
                try ReportDocument.build(
                    engine: engine, renderer: MapRenderer(dataset: d, style: mapStyle, language: lang), asOf: day,
                    targets: target,
                    locality: district.map { try d.localities.find($0) })
            }
            try dataset.enforceStrict(engine.dataset.warnings)
            if URL(fileURLWithPath: out).pathExtension.lowercased() == "pdf" {
                let pdf = try run.timings.measure("pdf") { try doc.pdf() }
                try OutputFile.write(pdf, to: out)
            } else {
                try OutputFile.write(doc.html(), to: out)
            }
            Terminal.warn("wrote \(doc.pages.count) pages to \(out)")
        }
    }
}
