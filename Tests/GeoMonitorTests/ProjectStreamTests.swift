import Foundation
import GeoMonitor
import Testing

/// Streaming a project source (Dataset.forEachProject / Dataset.streamProjects) gives exactly the
/// projects Dataset.load gives for that source, without loading the source whole.
@Suite struct ProjectStreamTests {
    static let manifest: Manifest = try! Manifest.load(Dataset.defaultManifestPath())
    static let loaded: Dataset = try! Dataset.load(manifest: Dataset.defaultManifestPath())

    /// The projects `Dataset.load` read from source `i` of the manifest.
    static func loadedProjects(ofSource i: Int) -> [Project] {
        let file = URL(fileURLWithPath: manifest.resolve(manifest.projects[i].source)).lastPathComponent
        return loaded.projects.filter { URL(fileURLWithPath: $0.source).lastPathComponent == file }
    }

    @Test func streamingTheForestPlotsGivesWhatLoadGives() async throws {
        // Source 0 of GeoData's manifest is forest-plots.gpkg, layer lo_rung.
        #expect(Self.manifest.projects[0].source == "forest-plots.gpkg")
        let expected = Self.loadedProjects(ofSource: 0)
        #expect(expected.count > 100)
        let expectedHa = expected.reduce(0) { $0 + $1.areaHa }

        var count = 0
        var hectares = 0.0
        let stream = Dataset.streamProjects(manifest: Self.manifest, source: "forest-plots.gpkg")
        for try await plot in stream {
            count += 1
            hectares += plot.areaHa
        }
        #expect(count == expected.count)
        #expect(abs(hectares - expectedHa) < 1e-6 * expectedHa, "streamed \(hectares) ha, loaded \(expectedHa) ha")
    }

    @Test func everySourceStreamsTheSameProjectsInTheSameOrder() throws {
        for i in Self.manifest.projects.indices {
            var streamed: [Project] = []
            let warnings = try Dataset.forEachProject(manifest: Self.manifest, source: Self.manifest.projects[i].source)
            { streamed.append($0) }
            let expected = Self.loadedProjects(ofSource: i)
            #expect(streamed.count == expected.count, "source \(i)")
            // Every field: ids, attributes, WGS 84 geometry, geodesic measures, provenance.
            #expect(streamed == expected, "source \(i): \(Self.manifest.projects[i].source)")
            #expect(warnings.isEmpty, "source \(i): \(warnings)")
        }
    }

    @Test func aFilterSkipsTheSameProjectsAsLoad() throws {
        let catalog = try ProgressEngine(dataset: Self.loaded).catalog
        let byTarget = try #require(ProjectFilter.forTargets([try catalog.target("afforestation-2024")]))
        // A spatial filter too: the region is pushed down to GDAL.
        let byBox = try #require(
            ProjectFilter.forQuery(ProjectQuery(bbox: LonLatBox(west: 108.3, south: 11.8, east: 108.6, north: 12.0))))
        #expect(byBox.region != nil)
        for filter in [byTarget, byBox] {
            let filtered = try Dataset.load(Self.manifest, filter: filter)
            var streamed: [Project] = []
            for i in Self.manifest.projects.indices {
                try Dataset.forEachProject(
                    manifest: Self.manifest, source: Self.manifest.projects[i].source, filter: filter
                ) { streamed.append($0) }
            }
            #expect(streamed == filtered.projects)
            #expect(!streamed.isEmpty && streamed.count < Self.loaded.projects.count)
        }
    }

    @Test func leavingTheLoopEarlyStopsTheReading() async throws {
        // The reading thread is told to stop when the stream goes away; doing it many times in a
        // row must neither hang nor fail.
        for _ in 0..<20 {
            var seen = 0
            for try await _ in Dataset.streamProjects(manifest: Self.manifest) {
                seen += 1
                if seen == 5 { break }
            }
            #expect(seen == 5)
        }
    }

    @Test func cancellingTheConsumingTaskEndsTheLoop() async throws {
        let task = Task {
            var seen = 0
            for try await _ in Dataset.streamProjects(manifest: Self.manifest) {
                seen += 1
                if seen == 3 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return seen
        }
        #expect(try await task.value == 3)
    }

    @Test func errorsCarryTheSourceAndKey() async throws {
        // An unknown source name is a configuration error naming the key, from either entry point.
        do {
            try Dataset.forEachProject(manifest: Self.manifest, source: "no-such-source.gpkg") { _ in }
            Issue.record("no error for an unknown source")
        } catch let e as GeoMonitorError {
            #expect(e.kind == .configuration && e.key == "projects")
            #expect(
                e.message.contains("'no-such-source.gpkg'") && e.message.contains("'forest-plots.gpkg (layer lo_rung)'")
            )
        }
        do {
            for try await _ in Dataset.streamProjects(manifest: Self.manifest, source: "no-such-source.gpkg") {}
            Issue.record("no error for an unknown source")
        } catch let e as GeoMonitorError {
            #expect(e.kind == .configuration && e.key == "projects")
        }
        // A source is found by its file name or its layer too.
        var byLayer = 0
        try Dataset.forEachProject(manifest: Self.manifest, source: "lo_rung") { _ in byLayer += 1 }
        #expect(byLayer == Self.loadedProjects(ofSource: 0).count)
        // A mapped column the source lacks: a field error with file, layer and manifest key,
        // thrown by the stream's first next().
        var broken = Self.manifest
        broken.projects[0].fields["trees"] = "no_such_column"
        do {
            for try await _ in Dataset.streamProjects(manifest: broken, source: "forest-plots.gpkg") {}
            Issue.record("no error for a missing column")
        } catch let e as GeoMonitorError {
            #expect(e.kind == .field)
            #expect(e.key == "projects[0].fields.trees")
            #expect(e.file?.hasSuffix("forest-plots.gpkg") == true && e.layer == "lo_rung")
        }
    }
}
