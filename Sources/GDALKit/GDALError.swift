import CGDAL

/// A failure in reading or transforming geodata, with where it happened.
///
/// The description is one line: `FILE: layer 'L', feature F: message`.
public struct GDALError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case cannotOpen, noSuchLayer, noSuchField, badGeometry, missingCRS, badCRS, transformFailed, readFailed, writeFailed
    }
    public var kind: Kind
    public var file: String?
    public var layer: String?
    public var feature: Int64?
    public var message: String

    public init(_ kind: Kind, file: String? = nil, layer: String? = nil, feature: Int64? = nil, _ message: String) {
        self.kind = kind; self.file = file; self.layer = layer; self.feature = feature; self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        var inner: [String] = []
        if let layer { inner.append("layer '\(layer)'") }
        if let feature { inner.append("feature \(feature)") }
        let head = ([place.joined()] + (inner.isEmpty ? [] : [inner.joined(separator: ", ")])).filter { !$0.isEmpty }.joined(separator: ": ")
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
        return s.isEmpty ? fallback : s
    }

    static func reset() { CPLErrorReset() }
}
