import Foundation
import GeoKit
import GeoMonitor

/// Everything the server answers from: the dataset, the assignment, the progress engine and the
/// pre-rendered layers. Built once at start-up; progress layers are rendered on first use per
/// (target, as-of) and cached.
///
/// ```swift
/// let store = try FeatureStore(manifest: Dataset.defaultManifestPath())
/// try await FeatureServer.run(store: store, port: 8080)
/// ```
public final class FeatureStore: Sendable {
    /// The dataset served: its localities and projects are the `localities` and `projects`
    /// collections, its manifest name the landing page's title.
    public let dataset: Dataset
    /// The engine that computes the `progress` collection (its catalog lists the targets served).
    public let engine: ProgressEngine
    let localities: FeatureLayer
    let projects: FeatureLayer
    /// The query engine over the projects: the `projects` layer's box queries search it.
    let projectIndex: ProjectIndex
    /// The target the `progress` collection shows when no `target` is asked for.
    public let defaultTarget: String?
    /// When the data was loaded: the `timeStamp` of every answer (so that answers, and their ETags, are stable).
    public let loadedAt: String
    let writer = GeoJSONWriter(decimals: 7)
    private let cache = ProgressCache()

    /// Loads a manifest, assigns projects to localities and renders the static layers.
    /// - Throws: `GeoMonitorError` from loading the dataset or its target catalog.
    public convenience init(manifest path: String) throws {
        try self.init(dataset: Dataset.load(manifest: path))
    }

    /// A store over a dataset already loaded.
    /// - Parameters:
    ///   - dataset: the dataset to serve.
    ///   - engine: its progress engine when already built (it holds the costly assignment);
    ///     built from the manifest's catalog when nil.
    /// - Throws: `GeoMonitorError` from building the engine (catalog, reports, assignment).
    public init(dataset: Dataset, engine: ProgressEngine? = nil) throws {
        // Outputs name a project's source by its file name, never by a path on this machine.
        let dataset = Self.withSourceNames(dataset)
        self.dataset = dataset
        let engine = try engine ?? ProgressEngine(dataset: dataset)
        self.engine = engine
        let w = writer
        let locs = try GeoJSONExport.localities(dataset)
        localities = FeatureLayer(
            id: "localities", title: "Localities",
            description: "Administrative units of \(dataset.manifest.name): code, name, type, parent, area.",
            features: locs.map { RenderedFeature(locality: $0, writer: w) })
        // Rendered once, in chunks on all cores (200,000 plots: 200,000 documents).
        let rendered = Parallel.map(count: dataset.projects.count) { i in
            let p = dataset.projects[i]
            return RenderedFeature(
                id: p.id,
                bytes: GeoJSONExport.projectFeatureBytes(dataset, assignment: engine.assignment, index: i, writer: w),
                bounds: p.geometry.bounds, geometry: p.geometry,
                date: p.date, kind: p.kind, status: p.status,
                localityCodes: engine.assignment.shares[i].map(\.code))
        }
        projectIndex = ProjectIndex(dataset, assignment: engine.assignment)
        projects = FeatureLayer(
            id: "projects", title: "Projects",
            description: "Projects and forest plots with their attributes, measures and locality shares.",
            features: rendered, index: projectIndex.boxes)
        let ids = engine.catalog.targets.map(\.id)
        defaultTarget =
            ids.contains("afforestation-2024")
            ? "afforestation-2024" : (engine.catalog.targets.first { $0.hasLocalityFigures }?.id ?? ids.first)
        loadedAt = Self.timestamp(Date())
    }

    /// The dataset with each project's `source` cut to the file's name (`plots.gpkg`, not
    /// `/home/…/plots.gpkg`): what the server shows of where a project comes from.
    static func withSourceNames(_ d: Dataset) -> Dataset {
        var names: [String: String] = [:]
        var projects = d.projects
        var changed = false
        for i in projects.indices {
            let path = projects[i].source
            let name: String
            if let hit = names[path] {
                name = hit
            } else {
                name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
                names[path] = name
            }
            if name != path {
                projects[i].source = name
                changed = true
            }
        }
        return changed
            ? Dataset(
                manifest: d.manifest, localities: d.localities, projects: projects, warnings: d.warnings,
                edition: d.edition, editions: d.editions) : d
    }

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    /// Is the `progress` layer of a target at a date computed already?
    func hasProgress(target: String, asOf: Day) -> Bool { cache.get("\(target)|\(asOf)") != nil }

    /// The `progress` layer for a target at a date (rendered once, then cached).
    func progress(target: String, asOf: Day) throws -> FeatureLayer {
        let key = "\(target)|\(asOf)"
        if let hit = cache.get(key) { return hit }
        let report = try engine.run(asOf: asOf, targets: [target])
        let feats = ProgressOutput.localityFeatures(report, localities: dataset.localities)
        let t = report.targets.first?.target
        let layer = FeatureLayer(
            id: "progress", title: "Progress: \(t?.title ?? target)",
            description: "Localities with the progress of target '\(target)' as of \(asOf).",
            features: feats.map { RenderedFeature(locality: $0, writer: writer) })
        cache.put(key, layer)
        return layer
    }
}

extension Target {
    /// Sums and counts have a figure per locality (what a choropleth shows).
    var hasLocalityFigures: Bool {
        switch measurement.kindName {
        case "sum", "count", "milestone": return true
        default: return false
        }
    }
}
