import GDALKit

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

    public var kind: Kind
    public var file: String?
    public var layer: String?
    public var feature: String?
    public var key: String?
    public var message: String

    public init(_ kind: Kind, file: String? = nil, layer: String? = nil, feature: String? = nil, key: String? = nil, _ message: String) {
        self.kind = kind; self.file = file; self.layer = layer; self.feature = feature; self.key = key; self.message = message
    }

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
}

/// A non-fatal finding: the run goes on, but the user is told (and `progress` counts them).
public struct Warning: Sendable, Hashable, CustomStringConvertible, Codable {
    /// A short machine-readable code, e.g. `outside-localities`, `quota-unknown-locality`.
    public var code: String
    public var message: String
    public init(code: String, _ message: String) { self.code = code; self.message = message }
    public var description: String { "warning [\(code)]: \(message)" }
}
