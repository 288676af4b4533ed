import ArgumentParser
import GeoMonitor

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data for web maps, GIS files and PostGIS.",
        subcommands: [ExportGeoJSON.self, ExportGDAL.self])
}

struct ExportGeoJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geojson",
        abstract: "RFC 7946 GeoJSON of localities, projects or progress, for Leaflet, MapLibre and QGIS.",
        discussion: """
            WGS 84 longitude/latitude; exterior rings counter-clockwise, holes clockwise; no `crs`
            member; a bbox; an id on every feature.

            Examples:
              geomonitor export geojson --layer localities --simplify 50 --out localities.geojson
              geomonitor export geojson --layer progress --target afforestation-2024 --as-of 2024-12-31 --out -
              geomonitor export geojson --layer projects --seq --out projects.geojsons
            """)

    @OptionGroup var dataset: DatasetOptions
    @Option(help: "The layer to write.") var layer: GeoJSONExport.Layer
    @Option(help: ArgumentHelp("Target for --layer progress.", valueName: "ID")) var target: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Date for --layer progress.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(
        help: ArgumentHelp(
            "Simplify locality borders to this tolerance (shared borders stay shared).", valueName: "METRES"))
    var simplify: Double?
    @Option(
        help: ArgumentHelp(
            "Decimals kept in coordinates (default 7). One unit of the last decimal is, in latitude (longitude: × cos latitude, 0.98 at 12° N): 3 → 111 m, 4 → 11 m, 5 → 1.1 m, 6 → 11 cm, 7 → 1.1 cm (RFC 7946 §11.2: 6 is about 10 cm). A feature that would collapse, grow by more than 1 % or self-intersect at this precision is written with the decimals it needs, with an export-precision warning naming it.",
            valueName: "N")) var decimals: Int = 7
    @Flag(help: "Write a GeoJSON Text Sequence (RFC 8142), one feature per record.") var seq = false
    @Option(help: ArgumentHelp("Output file, or - for standard output.", valueName: "FILE")) var out: String

    func validate() throws {
        guard (0...15).contains(decimals) else { throw ValidationError("--decimals must be 0 to 15") }
        if layer == .progress && target == nil {
            throw ValidationError("--layer progress needs --target ID")
        }
    }

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let which = layer
            let d = try dataset.load(forTargets: which == .progress ? [target].compactMap { $0 } : [], in: run)
            var warnings: [Warning] = []
            var features: [GeoJSONFeature]
            switch which {
            case .localities:
                features = try GeoJSONExport.localities(d, simplifyMetres: simplify, warnings: &warnings)
            case .projects:
                let assignment = try SpatialAssignment(d, timings: run.timings)
                run.keep(assignment)
                let (writer, warning) = GeoJSONWriter(decimals: decimals).keepingShapes(
                    count: d.projects.count, layer: "projects"
                ) {
                    (d.projects[$0].id, d.projects[$0].geometry)
                }
                try finish(warnings + [warning].compactMap { $0 })
                try run.timings.measure("write") {
                    try GeoJSONExport.writeProjects(d, assignment: assignment, writer: writer, sequence: seq, to: out)
                }
                return
            case .progress:
                guard let target else {
                    throw GeoMonitorError(.usage, key: "--target", "--layer progress needs --target ID")
                }
                let report = try dataset.engine(d, in: run).run(asOf: try parseDay(asOf), targets: [target])
                try dataset.enforceStrict(report.warnings)
                // The localities of the edition the target was judged on.
                let shown = try report.targets.first?.edition.map { try d.onEdition($0) } ?? d
                features = try GeoJSONExport.localities(shown, simplifyMetres: simplify, warnings: &warnings)
                let props = ProgressOutput.localityFeatures(report, localities: shown.localities)
                for i in features.indices { features[i].properties = props[i].properties }
            }
            let (writer, warning) = GeoJSONWriter(decimals: decimals).keepingShapes(
                count: features.count, layer: which.rawValue
            ) { [features] in
                (features[$0].id, features[$0].geometry)
            }
            try finish(warnings + [warning].compactMap { $0 })
            try run.timings.measure("write") {
                try writer.write(features, name: which.rawValue, sequence: seq, to: out)
            }
        }
    }

    /// Warnings of the export itself: printed, and under `--strict` an error before anything is written.
    func finish(_ warnings: [Warning]) throws {
        for w in warnings { Terminal.warn(w.description) }
        try dataset.enforceStrict(warnings)
    }
}
