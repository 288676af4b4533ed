import CGDAL

/// A failure in reading or transforming geodata, with where it happened.
///
/// The description is one line: `FILE: layer 'L', feature F: message`.
public struct GDALError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What failed.
    public enum Kind: String, Sendable, Equatable {
        /// The source does not exist, is unreadable, or is not a vector format GDAL reads.
        case cannotOpen
        /// The named layer does not exist, or a source of several layers was opened without a name.
        case noSuchLayer
        /// A column is missing from a layer.
        case noSuchField
        /// A geometry cannot be parsed, built or operated on (GEOS refused it).
        case badGeometry
        /// The source declares no CRS where one is needed.
        case missingCRS
        /// A CRS definition is unknown to PROJ, or no transformation exists between two CRSs.
        case badCRS
        /// Coordinates fall outside what a transformation can handle.
        case transformFailed
        /// Reading features failed part-way (a corrupt file, a driver error).
        case readFailed
        /// Writing an output failed.
        case writeFailed
    }
    /// What failed.
    public var kind: Kind
    /// The path or connection string of the source, when known.
    public var file: String?
    /// The layer name, when the failure concerns one layer.
    public var layer: String?
    /// The feature id (FID, or 1-based position when the source has none), when one feature failed.
    public var feature: Int64?
    /// What went wrong, in one line (GDAL's or PROJ's own message where they gave one).
    public var message: String

    /// An error of `kind` at an optional place.
    public init(_ kind: Kind, file: String? = nil, layer: String? = nil, feature: Int64? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.layer = layer
        self.feature = feature
        self.message = message
    }

    /// One line: `FILE: layer 'L', feature F: message`, omitting the parts that are unknown.
    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        var inner: [String] = []
        if let layer { inner.append("layer '\(layer)'") }
        if let feature { inner.append("feature \(feature)") }
        let head = ([place.joined()] + (inner.isEmpty ? [] : [inner.joined(separator: ", ")])).filter { !$0.isEmpty }
            .joined(separator: ": ")
        return head.isEmpty ? message : "\(head): \(message)"
    }
}

/// Process-wide GDAL set-up: drivers registered once, GDAL's own stderr chatter silenced
/// (errors are turned into `GDALError` values instead).
enum GDALRuntime {
    static let ready: Bool = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
        // Never let a file steer its own encoding into invalid UTF-8 silently; GDAL recodes to UTF-8.
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
        return true
    }()

    static func ensure() { _ = ready }

    /// GDAL's last error message on this thread, cleaned to one line.
    static func lastMessage(or fallback: String) -> String {
        guard let c = CPLGetLastErrorMsg() else { return fallback }
        let s = String(cString: c).split(whereSeparator: \.isNewline).joined(separator: " ")
        return s.isEmpty ? fallback : ConnectionString.redacted(s)
    }

    static func reset() { CPLErrorReset() }
}

extension GDALError {
    /// Reads one feature's geometry with `read`, placing what it throws in `file`'s `layer` and
    /// `feature` (what a read names in its message): a GDAL error as it is, WKB that does not
    /// parse as a `badGeometry` error.
    static func placing<T>(file: String, layer: String, feature: Int64, _ read: () throws -> T) throws -> T {
        do { return try read() } catch var e as GDALError {
            e.file = file
            e.layer = layer
            e.feature = feature
            throw e
        } catch let e as WKB.Malformed {
            throw GDALError(.badGeometry, file: file, layer: layer, feature: feature, e.description)
        }
    }
}
