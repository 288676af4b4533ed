import ArgumentParser
import Foundation
import GeoMonitor

struct ExportGDAL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdal",
        abstract: "Localities, projects or progress to any format GDAL writes, or to a PostGIS table.",
        discussion: """
            DEST is a file (GeoPackage, FlatGeobuf, Shapefile, GeoJSONSeq …; the driver is chosen
            from the extension unless --driver names one), written under a temporary name and renamed
            when complete; or a PostgreSQL/PostGIS connection "PG:dbname=… host=… user=…", where the
            layer becomes a table named after it (or --table): typed columns, primary key `fid`,
            geometry `geom` in EPSG:4326 with a GiST index, replacing the old table in one transaction.
            Passwords are best kept in ~/.pgpass, PGPASSWORD or a service file (PG:service=NAME).

            Examples:
              geomonitor export gdal --layer progress --as-of 2024-12-31 --out "PG:dbname=dashboards"
              geomonitor export gdal --layer projects --out projects.fgb
              geomonitor export gdal --layer localities --out districts.shp
            """)

    @OptionGroup var dataset: DatasetOptions
    @Option(help: "localities, projects or progress.") var layer: String
    @Option(help: ArgumentHelp("Output file or PG: connection string.", valueName: "DEST")) var out: String
    @Option(
        help: ArgumentHelp(
            "GDAL driver short name (default: from the file's extension; PostgreSQL for PG:).", valueName: "NAME"))
    var driver: String?
    @Option(
        help: ArgumentHelp(
            "Layer or table name (default: the layer's, e.g. progress; schema.table on PostGIS).", valueName: "NAME"))
    var table: String?
    @Option(
        help: ArgumentHelp(
            "Target for --layer progress (repeatable; default: every target, columns prefixed by target id).",
            valueName: "ID")) var target: [String] = []
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Date for --layer progress (default: today).", valueName: "YYYY-MM-DD")) var asOf: String?

    func validate() throws {
        guard GeoJSONExport.Layer(rawValue: layer) != nil else {
            throw ValidationError("unknown layer '\(layer)'; use localities, projects or progress")
        }
        if let table, table.isEmpty || table.contains(where: { $0 == "\"" || $0.isNewline }) {
            throw ValidationError("--table: give a name without quotes or newlines")
        }
        if out.isEmpty || out == "-" {
            throw ValidationError("--out: give a file or a PG: connection (standard output is not a GDAL destination)")
        }
    }

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            guard let which = GeoJSONExport.Layer(rawValue: layer) else {
                throw GeoMonitorError(
                    .usage, key: "--layer", "unknown layer '\(layer)'; use localities, projects or progress")
            }
            let day = try parseDay(asOf)
            let d = try dataset.load(forTargets: which == .progress ? target : [], in: run)
            var warnings: [Warning] = []
            let features = try GDALExport.features(d, layer: which, targets: target, asOf: day, warnings: &warnings)
            for w in warnings { Terminal.warn(w.description) }
            try dataset.enforceStrict(warnings)
            let summary = try run.timings.measure("write") {
                try GDALExport.write(
                    features, name: table ?? which.rawValue, polygons: which != .projects, to: out, driver: driver)
            }
            Terminal.warn(
                "geomonitor: wrote \(summary.count) \(which.rawValue) to \(summary.destination) (\(summary.driver), layer '\(summary.table)')"
            )
        }
    }
}
