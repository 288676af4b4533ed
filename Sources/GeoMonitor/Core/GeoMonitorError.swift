internal import GDALKit

/// Every failure geomonitor reports: what went wrong and exactly where (file, layer, feature, key).
///
/// `description` is a single line suitable for a terminal: `FILE: layer 'L', feature 7, key 'fields.status': message`.
public struct GeoMonitorError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The family of failure, for callers that react to it.
    public enum Kind: String, Sendable, Equatable {
        /// A manifest or catalog is malformed: unknown key, wrong type, missing value.
        case configuration
        /// A data source cannot be opened or read.
        case source
        /// A mapped field is missing from a source.
        case field
        /// A value in the data is outside the vocabulary or cannot be parsed.
        case value
        /// A CRS is missing, unknown, or coordinates cannot be transformed.
        case crs
        /// A geometry is invalid or unusable.
        case geometry
        /// A locality, target or project name or code could not be resolved.
        case lookup
        /// An output could not be written.
        case output
        /// A command-line argument is wrong.
        case usage
        /// An input exceeds a cap of `limits:` (file size, vertices, features, text size).
        case limit
    }

    /// The family of failure; switch on it to react (e.g. `.lookup` → ask the user again).
    public var kind: Kind
    /// The file concerned (manifest, catalog, data source or output), relative to the current
    /// folder when inside it; nil when no file is involved (a command-line value).
    public var file: String?
    /// The layer of a multi-layer source the failure concerns, when one does.
    public var layer: String?
    /// The feature concerned, as its FID (or 1-based position) in the source, when one feature failed.
    public var feature: String?
    /// The manifest or catalog key path (`projects[0].fields.status`, `localities.crs`) or
    /// command-line option (`--bbox`) whose value is at fault, when there is one.
    public var key: String?
    /// What went wrong and, where possible, what to do: names the column, value or candidates.
    public var message: String

    /// An error of `kind` with as much of its place as is known.
    /// - Parameters:
    ///   - kind: the family of failure.
    ///   - file: the file concerned, as it should be shown to the user.
    ///   - layer: the layer name within the file.
    ///   - feature: the feature id within the layer.
    ///   - key: the manifest key or option at fault.
    ///   - message: the explanation, one line.
    public init(
        _ kind: Kind, file: String? = nil, layer: String? = nil, feature: String? = nil, key: String? = nil,
        _ message: String
    ) {
        self.kind = kind
        self.file = file
        self.layer = layer
        self.feature = feature
        self.key = key
        self.message = message
    }

    /// One terminal line: `FILE: layer 'L', feature 7, key 'K': message` (newlines in the
    /// message are folded into spaces).
    public var description: String {
        var parts: [String] = []
        if let layer { parts.append("layer '\(layer)'") }
        if let feature { parts.append("feature \(feature)") }
        if let key { parts.append("key '\(key)'") }
        var head = file ?? ""
        if !parts.isEmpty { head += (head.isEmpty ? "" : ": ") + parts.joined(separator: ", ") }
        let line = head.isEmpty ? message : "\(head): \(message)"
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Converts a GDAL-level error, keeping its location.
    init(_ e: GDALError, file: String? = nil, key: String? = nil) {
        let kind: Kind
        switch e.kind {
        case .cannotOpen, .noSuchLayer, .readFailed: kind = .source
        case .noSuchField: kind = .field
        case .badGeometry: kind = .geometry
        case .missingCRS, .badCRS, .transformFailed: kind = .crs
        case .writeFailed: kind = .output
        }
        self.init(kind, file: e.file ?? file, layer: e.layer, feature: e.feature.map(String.init), key: key, e.message)
    }

    /// Runs `body`, turning a GDAL-level error into a `GeoMonitorError` (located at `project`'s
    /// file, layer and feature when given), so that no GDALKit error reaches a caller.
    static func converting<T>(at project: Project? = nil, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as GDALError {
            var error = GeoMonitorError(e, file: project?.source)
            if let p = project {
                if e.file == nil {
                    error.file = p.source
                    error.layer = p.layer
                    error.feature = String(p.fid)
                }
                error.message = "project '\(p.id)': \(e.message)"
            }
            throw error
        }
    }
}

/// A non-fatal finding: the run goes on, but the user is told (and `progress` counts them).
public struct Warning: Sendable, Hashable, CustomStringConvertible, Codable {
    /// A short machine-readable code, e.g. `outside-localities`, `quota-unknown-locality`.
    public var code: String
    /// The finding in words, naming the target, project or locality concerned.
    public var message: String
    /// A warning with a machine-readable `code` and a human-readable `message`.
    public init(code: String, _ message: String) {
        self.code = code
        self.message = message
    }
    /// `warning [code]: message`, as the command line prints it.
    public var description: String { "warning [\(code)]: \(message)" }
}
