import Foundation
internal import GDALKit
import GeoKit

/// Caps that keep memory and time bounded on hostile inputs (a 2 GB file, a polygon with
/// millions of vertices, ten million rows, a 100 MB name). Set in the manifest's `limits:` block
/// or with `--limit NAME=VALUE`; exceeding one is a `.limit` error naming the file, layer,
/// feature and the cap, and saying how to raise it.
public struct Limits: Sendable, Equatable {
    /// Largest source file GDAL is asked to open (MB of 1,048,576 bytes); checked before opening,
    /// on regular files only (a folder or a URL is not measured; a /vsizip/ path is measured by
    /// its archive).
    public var maxFileSizeMB: Int
    /// Most vertices in one feature's geometry (all parts and rings).
    public var maxVerticesPerFeature: Int
    /// Most features read from one source.
    public var maxFeaturesPerSource: Int
    /// Largest text value (UTF-8 bytes) of a mapped column.
    public var maxPropertyBytes: Int

    /// Caps with the given values; the defaults are those of a manifest without `limits:`.
    public init(
        maxFileSizeMB: Int = 1024, maxVerticesPerFeature: Int = 1_000_000, maxFeaturesPerSource: Int = 5_000_000,
        maxPropertyBytes: Int = 1_048_576
    ) {
        self.maxFileSizeMB = maxFileSizeMB
        self.maxVerticesPerFeature = maxVerticesPerFeature
        self.maxFeaturesPerSource = maxFeaturesPerSource
        self.maxPropertyBytes = maxPropertyBytes
    }

    /// The manifest / command-line names, in the order of the README.
    public static let names = [
        "max_file_size_mb", "max_vertices_per_feature", "max_features_per_source", "max_property_bytes",
    ]

    /// A cap by its manifest name (one of `names`); nil for another name, which setting ignores.
    public subscript(name: String) -> Int? {
        get {
            switch name {
            case "max_file_size_mb": return maxFileSizeMB
            case "max_vertices_per_feature": return maxVerticesPerFeature
            case "max_features_per_source": return maxFeaturesPerSource
            case "max_property_bytes": return maxPropertyBytes
            default: return nil
            }
        }
        set {
            guard let v = newValue else { return }
            switch name {
            case "max_file_size_mb": maxFileSizeMB = v
            case "max_vertices_per_feature": maxVerticesPerFeature = v
            case "max_features_per_source": maxFeaturesPerSource = v
            case "max_property_bytes": maxPropertyBytes = v
            default: break
            }
        }
    }

    /// Applies `NAME=VALUE` settings (from `--limit`); an unknown name or a value that is not a
    /// positive whole number is a usage error.
    /// - Throws: ``GeoMonitorError`` of kind `.usage` naming `--limit`.
    public func applying(_ settings: [String]) throws -> Limits {
        var out = self
        for s in settings {
            let parts = s.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, Limits.names.contains(parts[0]) else {
                throw GeoMonitorError(
                    .usage, key: "--limit",
                    "'\(s)' is not NAME=VALUE with NAME one of \(Limits.names.joined(separator: ", "))")
            }
            guard let v = Limits.parseValue(parts[1]) else {
                throw GeoMonitorError(
                    .usage, key: "--limit", "'\(parts[1])' for \(parts[0]) is not a positive whole number")
            }
            out[parts[0]] = v
        }
        return out
    }

    /// A positive whole number, `_` allowed as a digit separator (1_000_000).
    static func parseValue(_ s: String) -> Int? {
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")), v > 0 else { return nil }
        return v
    }

    /// How to raise a cap, for error messages.
    static func howToRaise(_ name: String) -> String {
        "raise the limit with `limits: {\(name): N}` in the manifest or `--limit \(name)=N`"
    }

    // MARK: - Checks

    /// Refuses a source file larger than `maxFileSizeMB` before GDAL opens it. Only regular files
    /// are measured (following symbolic links): a shapefile with its .dbf, the archive of a
    /// /vsizip/, /vsitar/ or /vsigzip/ path. Folders, URLs and devices are not.
    func checkFileSize(_ path: String, shown: String, key: String) throws {
        // A database connection (`PG:…`) is not a file.
        if Manifest.isConnection(path) { return }
        let limit = Int64(maxFileSizeMB) * 1_048_576
        for file in Limits.regularFiles(behind: path) {
            guard let size = Limits.regularFileSize(file), size > limit else { continue }
            let what = file == path ? "the file" : "\((file as NSString).lastPathComponent)"
            throw GeoMonitorError(
                .limit, file: shown, key: key,
                "\(what) is \(Limits.megabytes(size)) MB, more than the limit of \(NumberText.group(String(maxFileSizeMB))) MB (max_file_size_mb); \(Limits.howToRaise("max_file_size_mb"))"
            )
        }
    }

    /// The size of a regular file (symbolic links followed), nil for anything else.
    static func regularFileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// The local regular files a GDAL path reads: the file itself (with a shapefile's .dbf), or
    /// the archive inside a /vsizip/, /vsitar/, /vsigzip/, /vsi7z/ path.
    static func regularFiles(behind path: String) -> [String] {
        if path.hasPrefix("/vsi") {
            let prefixes = ["/vsizip/", "/vsitar/", "/vsigzip/", "/vsi7z/", "/vsirar/"]
            guard let p = prefixes.first(where: { path.hasPrefix($0) }) else { return [] }
            var rest = String(path.dropFirst(p.count))
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                return [String(rest[rest.index(after: rest.startIndex)..<close])]
            }
            if !rest.hasPrefix("/") { rest = FileManager.default.currentDirectoryPath + "/" + rest }
            // The longest leading part that is a regular file is the archive.
            var candidate = ""
            for component in rest.split(separator: "/", omittingEmptySubsequences: true) {
                candidate += "/" + component
                if regularFileSize(candidate) != nil { return [candidate] }
            }
            return []
        }
        guard path.contains("://") == false, regularFileSize(path) != nil else { return [] }
        var files = [path]
        let url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "shp" {
            let base = url.deletingPathExtension()
            for ext in ["dbf", "DBF"] {
                let dbf = base.appendingPathExtension(ext).path
                if regularFileSize(dbf) != nil {
                    files.append(dbf)
                    break
                }
            }
        }
        return files
    }

    static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1_048_576
        return mb >= 10 ? NumberText.group(String(Int64(mb.rounded()))) : NumberText.fixed(mb, 1)
    }

    /// What the per-feature checks need, gathered once per read so that reading threads never
    /// touch the layer: the caps, where the features come from and the names of the columns read.
    struct FeatureChecks: Sendable {
        let limits: Limits
        let file: String
        let layer: String
        let columns: [String]

        /// Per-feature caps, on the decoded record: the feature count (`index` is the number of
        /// features read before this one, kept or not, so that a filtered read refuses what a full
        /// read refuses), the vertex count and the size of every text value. O(parts + columns).
        @inline(__always)
        func check(_ rec: FeatureRecord, index: Int) throws {
            if index >= limits.maxFeaturesPerSource { throw tooManyFeatures(feature: String(rec.fid)) }
            if let g = rec.geometry {
                let n = g.coordinateCount
                if n > limits.maxVerticesPerFeature {
                    throw GeoMonitorError(
                        .limit, file: file, layer: layer, feature: String(rec.fid),
                        "\(g.typeName) has \(NumberText.group(String(n))) vertices, more than the limit of \(NumberText.group(String(limits.maxVerticesPerFeature))) (max_vertices_per_feature); simplify the geometry (e.g. ogr2ogr -simplify) or \(Limits.howToRaise("max_vertices_per_feature"))"
                    )
                }
            }
            for (k, v) in rec.values.enumerated() {
                guard case .string(let s) = v, s.utf8.count > limits.maxPropertyBytes else { continue }
                let column = k < columns.count ? columns[k] : "#\(k)"
                throw GeoMonitorError(
                    .limit, file: file, layer: layer, feature: String(rec.fid),
                    "the value in column '\(column)' is \(NumberText.group(String(s.utf8.count))) bytes, more than the limit of \(NumberText.group(String(limits.maxPropertyBytes))) (max_property_bytes); \(Limits.howToRaise("max_property_bytes"))"
                )
            }
        }

        /// Before a parallel read: the layer's own count (cheap for the drivers read in parts).
        func check(featureCount: Int64) throws {
            if featureCount > Int64(limits.maxFeaturesPerSource) {
                throw GeoMonitorError(
                    .limit, file: file, layer: layer,
                    "the layer has \(NumberText.group(String(featureCount))) features, more than the limit of \(NumberText.group(String(limits.maxFeaturesPerSource))) (max_features_per_source); split the source or \(Limits.howToRaise("max_features_per_source"))"
                )
            }
        }

        func tooManyFeatures(feature: String) -> GeoMonitorError {
            GeoMonitorError(
                .limit, file: file, layer: layer, feature: feature,
                "more than \(NumberText.group(String(limits.maxFeaturesPerSource))) features in this source (max_features_per_source); split the source or \(Limits.howToRaise("max_features_per_source"))"
            )
        }
    }
}

extension SourceReader {
    /// The per-feature checks of a read of `columns`.
    func featureChecks(_ columns: [Int]) -> Limits.FeatureChecks {
        let fields = layer.fields
        return Limits.FeatureChecks(
            limits: limits, file: displayPath, layer: layer.name,
            columns: columns.map { i in fields.first { $0.index == i }?.name ?? "#\(i)" })
    }
}
