import ArgumentParser
import Foundation
import GeoMonitor

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Select projects by locality, box, polygon, distance, kind and status.",
        discussion: """
            A project that crosses a locality border is listed once for each locality it touches,
            with its share inside and the area (ha) or length (km) inside.

            Examples:
              geomonitor query --district "Da Lat" --format geojson
              geomonitor query --bbox 108.3,11.8,108.6,12.0 --kind forest_planting --status completed
              geomonitor query --near 108.38,11.75 --radius 5km
              geomonitor query --within my-area.gpkg --format csv
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption

    @Option(
        name: [.customLong("district"), .customLong("locality")],
        help: ArgumentHelp("A locality by name or GSO code.", valueName: "NAME|CODE"))
    var district: String?
    @Option(
        help: ArgumentHelp(
            "WGS 84 box (or 6 numbers with heights; minLon > maxLon crosses the antimeridian).",
            valueName: "minLon,minLat,maxLon,maxLat")) var bbox: String?
    @Option(help: ArgumentHelp("Projects meeting the polygons of a file GDAL reads.", valueName: "FILE")) var within:
        String?
    @Option(help: ArgumentHelp("Centre point for --radius.", valueName: "LON,LAT")) var near: String?
    @Option(help: ArgumentHelp("Distance for --near: 500m, 5km, 2.5 (km).", valueName: "DISTANCE")) var radius: String?
    @Option(help: ArgumentHelp("Project kind (repeatable): \(ProjectKind.vocabulary).", valueName: "KIND")) var kind:
        [String] = []
    @Option(help: ArgumentHelp("Status (repeatable): \(ProjectStatus.vocabulary).", valueName: "STATUS")) var status:
        [String] = []
    @Option(help: "Output format.") var format: QueryOutput.Format = .table
    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE")) var out: String?

    func run() throws {
        try reportingErrors(timings: dataset.timings) { run in
            let q = try QueryArguments.query(
                district: district, bbox: bbox, within: within, near: near, radius: radius, kinds: kind,
                statuses: status)
            // Only what the query can return is read: its box goes to GDAL as a spatial filter.
            let d = try dataset.load(filter: ProjectFilter.forQuery(q), in: run)
            let rows = try d.query(q, timings: run.timings)
            try OutputFile.write(
                QueryOutput.render(rows, as: format, language: try language.language(d.manifest)), to: out ?? "-")
        }
    }
}
