import Testing

/// A run of the geomonitor binary on a folder of the BadInputs corpus that must fail cleanly:
/// run by CLITests, and counted by the corpus check of RobustnessTests (moved here from
/// RobustnessTests, unchanged but for `public`).
public struct CLICase: Sendable, CustomTestStringConvertible {
    public var folder: String
    public var arguments: [String]
    public var fragment: String
    public var testDescription: String { "\(folder): geomonitor \(arguments.joined(separator: " "))" }

    public static let all: [CLICase] = [
        CLICase(folder: "source-missing-file", arguments: ["query", "--format", "geojson"], fragment: "no such file"),
        CLICase(
            folder: "manifest-unknown-key-top", arguments: ["progress", "--as-of", "2024-12-31", "--format", "json"],
            fragment: "unknown key 'projets'"),
        CLICase(folder: "crs-shapefile-no-prj", arguments: ["query", "--format", "csv"], fragment: "projects[0].crs"),
        CLICase(
            folder: "targets-duplicate-id", arguments: ["progress", "--as-of", "2024-12-31", "--format", "csv"],
            fragment: "duplicate target id 'roads'"),
        CLICase(
            folder: "limits-vertices", arguments: ["query", "--format", "csv"],
            fragment: "more than the limit of 100 (max_vertices_per_feature)"),
        // --limit overrides the manifest's cap for one run.
        CLICase(
            folder: "limits-vertices",
            arguments: [
                "progress", "--as-of", "2024-12-31", "--format", "json", "--limit", "max_vertices_per_feature=150",
            ],
            fragment: "Polygon has 200 vertices, more than the limit of 150 (max_vertices_per_feature)"),
    ]
}
