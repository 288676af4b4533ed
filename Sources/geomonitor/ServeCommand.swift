import ArgumentParser
import Foundation
import GeoMonitor
import GeoMonitorServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dataset as OGC API – Features (GeoJSON) with a web map at /map.",
        discussion: """
            Loads the dataset and assigns projects to localities once, then answers:
              /  /conformance  /api  /collections  /collections/{localities|projects|progress}[/items[/{id}]]
              /targets  /map (Leaflet, from Debian's libjs-leaflet, served at /leaflet/)
            Items take bbox (4 or 6 numbers; west > east crosses the antimeridian), limit (≤ 10000),
            offset, datetime, district; projects also kind and status; progress also target and as_of.
            /api states every parameter's rules.

            Facing a network: links are built from --public-url (or are paths from the root), never
            from the request's Host header; a client must send a whole request within
            --header-timeout seconds and a kept-alive connection is closed after --idle-timeout idle
            seconds; past --max-connections open connections the longest-idle ones are closed.

            Example:
              geomonitor serve --port 8080   # then open http://127.0.0.1:8080/map
              ogrinfo OAPIF:http://127.0.0.1:8080
              geomonitor serve --host 0.0.0.0 --public-url https://maps.example.org/geomonitor
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080
    @Option(
        name: .customLong("public-url"),
        help: "The URL clients reach the server at (http[s]://host[:port][/prefix]); links are built from it.")
    var publicURL: String?
    @Option(name: .customLong("header-timeout"), help: "Seconds a client has to send a whole request.")
    var headerTimeout: Double = 10
    @Option(name: .customLong("idle-timeout"), help: "Seconds a kept-alive connection may wait for its next request.")
    var idleTimeout: Double = 30
    @Option(
        name: .customLong("max-connections"),
        help: "Connections kept open at once (the longest-idle are closed past it).") var maxConnections: Int = 1024
    @Option(
        help: ArgumentHelp(
            "For a register in PostGIS: seconds between two checks for changes (0: never reload).", valueName: "SECONDS"
        )) var poll: Double = 5

    func validate() throws {
        if let publicURL, ServerOptions.normalizedPublicURL(publicURL) == nil {
            throw ValidationError(
                "--public-url: '\(publicURL.prefix(80))' is not an http(s) URL with a host and no query (e.g. https://maps.example.org/geomonitor)"
            )
        }
        guard headerTimeout > 0, headerTimeout <= 3600 else {
            throw ValidationError("--header-timeout: give seconds in (0, 3600]")
        }
        guard idleTimeout > 0, idleTimeout <= 3600 else {
            throw ValidationError("--idle-timeout: give seconds in (0, 3600]")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections: give at least 1") }
        guard poll >= 0, poll <= 86_400 else { throw ValidationError("--poll: give seconds in [0, 86400]") }
    }

    var repairing: Bool { dataset.repair }

    func run() async throws {
        var store: FeatureStore?
        var pageLanguage = "en"
        var manifest: Manifest?
        try reportingErrors(timings: dataset.timings, exitWhenDone: false) { run in
            manifest = try dataset.loadManifest()
            let d = try dataset.load(in: run)
            // The map page's language: --lang, else the manifest's (the API itself stays canonical).
            pageLanguage = try language.language(d.manifest).code == "vi" ? "vi" : "en"
            store = try FeatureStore(dataset: d)
        }
        guard let store, let manifest else { return }
        let register = LiveRegister(store)
        // A register in PostGIS: watch it, and serve its changes without a restart.
        let signal = RegisterSignal(manifest: manifest)
        if signal.isLive && poll > 0 {
            let repair = repairing
            register.watch(
                every: poll, signal: { try signal.read() },
                reload: {
                    var d = try Dataset.load(manifest)
                    if repair { d = try GeometryRepair.repair(d).0 }
                    return try FeatureStore(dataset: d)
                }, log: { Terminal.warn($0) })
        }
        // Each connection holds a file descriptor: make room for the cap (and say when there is none).
        let files = OpenFileLimit.raise()
        var options = ServerOptions(
            host: host, port: port, publicURL: publicURL.flatMap(ServerOptions.normalizedPublicURL),
            headerTimeout: headerTimeout, idleTimeout: idleTimeout, maxConnections: maxConnections,
            language: pageLanguage)
        if files - 64 < maxConnections {
            options.maxConnections = max(16, files - 64)
            Terminal.warn(
                "geomonitor: warning: the open-file limit is \(files); --max-connections lowered to \(options.maxConnections)"
            )
        }
        let shown = options.publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host)"
        let host = host
        let settled = options
        do {
            try await FeatureServer.run(register: register, options: settled) { bound in
                let url = settled.publicURL.map { $0 + "/" } ?? "\(shown):\(bound)/"
                Terminal.warn(
                    "geomonitor: serving \(store.dataset.manifest.name) on http://\(host.contains(":") ? "[\(host)]" : host):\(bound)/ (\(url)map)"
                )
            }
        } catch {
            Terminal.warn("geomonitor: error: \(error)")
            throw ExitCode(1)
        }
    }
}
