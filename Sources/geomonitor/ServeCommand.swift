import ArgumentParser
import Dispatch
import Foundation
import GeoMonitor
import GeoMonitorServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dataset as OGC API – Features (GeoJSON) with a web map at /map.",
        discussion: """
        Loads the dataset and assigns projects to localities once, then answers:
          /  /conformance  /api  /collections  /collections/{localities|projects|progress}[/items[/{id}]]
          /targets  /map
        Items take bbox, limit (≤ 10000), offset, datetime, kind, status, district; progress also
        target and as_of.

        Example:
          geomonitor serve --port 8080   # then open http://127.0.0.1:8080/map
          ogrinfo OAPIF:http://127.0.0.1:8080
        """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080

    func run() throws {
        var store: FeatureStore?
        try reportingErrors(exitWhenDone: false) {
            var d = try dataset.load()
            // The map page's language: --lang, else the manifest's (the API itself stays canonical).
            if let lang = language.lang {
                _ = try Language.load(lang)
                var m = d.manifest
                m.language = lang
                d = Dataset(manifest: m, localities: d.localities, projects: d.projects, warnings: d.warnings)
            }
            store = try FeatureStore(dataset: d)
        }
        guard let store else { return }
        let host = host, port = port
        let failure = FailureBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await FeatureServer.run(store: store, host: host, port: port) { bound in
                    Terminal.warn("geomonitor: serving \(store.dataset.manifest.name) on http://\(host):\(bound)/ (map: /map)")
                }
            } catch {
                failure.set(error)
            }
            done.signal()
        }
        done.wait()
        if let e = failure.get() {
            Terminal.warn("geomonitor: error: \(e)")
            throw ExitCode(1)
        }
    }
}

final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func set(_ e: Error) { lock.lock(); error = e; lock.unlock() }
    func get() -> Error? { lock.lock(); defer { lock.unlock() }; return error }
}
