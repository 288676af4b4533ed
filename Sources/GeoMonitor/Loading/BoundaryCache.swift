import Foundation
internal import GDALKit
import GeoKit

/// FlatGeobuf copies of large GeoJSON boundary files, so that the file is parsed once, not on
/// every run.
///
/// GDAL's GeoJSON driver parses a file whole and on one core: the 124 communes of the merged
/// Lâm Đồng (2025; ≈ 446,000 vertices, 12.8 MB) take it about 0.5 s on every command, where
/// the same features in FlatGeobuf read in under 0.01 s (pyogrio, same machine). The first
/// read of such a file writes a copy through GDAL (`GDALVectorTranslate`, as `ogr2ogr` does)
/// and later reads use the copy.
///
/// - Which files: a local `.geojson`/`.json` locality source of at least ``minimumBytes``,
///   read by layer (not through `sql:`).
/// - Same features, same order, same feature ids: the copy has no spatial index (which would
///   reorder features) and carries each feature's original id in a column; a file whose ids
///   are not 0, 1, 2 … in order (GeoJSON `"id"` members) is not copied (a marker remembers it).
///   Reading the copy goes through the same `SourceReader` as the original, so geometry,
///   values, CRS, warnings and outputs are the same; if reading the copy fails for any reason,
///   the original is read instead, so every error names the original file.
/// - When the copy is stale: the key is the file's absolute path, device, inode, size,
///   modification time (to the nanosecond), layer and open options. A file changed in any of
///   those gets a new copy; old copies stay until removed.
/// - Where: `$GEOMONITOR_CACHE_DIR`, else `$XDG_CACHE_HOME/geomonitor`, else
///   `~/.cache/geomonitor`. `GEOMONITOR_CACHE=off` turns copying off. A folder that cannot be
///   written means no copy, never an error.
enum BoundaryCache {
    /// Files smaller than this (bytes) are read directly: GDAL parses them in a few tens of ms.
    static let minimumBytes: Int64 = 1_000_000
    /// Part of every key: a new layout of the copies gets new names.
    static let layoutVersion = "1"
    /// The column of the copy holding each feature's id in the original.
    static let fidColumn = "geomonitor_source_fid"

    /// The folder copies are kept in, or nil when copying is off (see the type's description).
    static var directory: String? {
        let env = ProcessInfo.processInfo.environment
        if let v = env["GEOMONITOR_CACHE"]?.lowercased(), ["off", "0", "no", "false"].contains(v) { return nil }
        if let d = env["GEOMONITOR_CACHE_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/geomonitor" }
        if let h = env["HOME"], !h.isEmpty { return h + "/.cache/geomonitor" }
        return nil
    }

    /// The path of a FlatGeobuf copy of `path` to read instead, made now if needed; nil when the
    /// file is not one to copy, copying is off, or the copy cannot be made (read the original).
    static func copy(
        of path: String, layer: String?, openOptions: [String: String],
        minimumBytes: Int64 = minimumBytes, directory: String? = directory
    ) -> String? {
        guard let directory, let name = key(path, layer: layer, openOptions: openOptions, minimumBytes: minimumBytes)
        else { return nil }
        let copy = directory + "/" + name + ".fgb"
        let refused = directory + "/" + name + ".uncopied"
        let files = FileManager.default
        if files.fileExists(atPath: copy) { return copy }
        if files.fileExists(atPath: refused) { return nil }
        // Written under a name of its own, then renamed: a reader never sees half a copy, and two
        // processes copying at once each finish their own.
        let partial = directory + "/.\(name).\(getpid()).\(UUID().uuidString.prefix(8)).fgb"
        defer { try? files.removeItem(atPath: partial) }
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let source = try VectorDataset(path: path, openOptions: openOptions)
            let layerName = try source.layer(layer).name
            try source.translate(
                to: partial,
                arguments: [
                    "-f", "FlatGeobuf", "-lco", "SPATIAL_INDEX=NO", "-nln", layerName,
                    "-sql", "SELECT FID AS \(fidColumn), * FROM \(VectorLayer.sqlIdentifier(layerName))",
                ])
            guard try keepsFeatureIDs(partial) else {
                _ = files.createFile(atPath: refused, contents: Data())  // a marker: a failed write only costs a retry
                return nil
            }
            guard rename(partial, copy) == 0 else { return nil }
            return copy
        } catch {
            return nil
        }
    }

    /// The copy's name for this file and these reading settings, or nil when the file is not
    /// one to copy (not a local GeoJSON file, or too small).
    static func key(_ path: String, layer: String?, openOptions: [String: String], minimumBytes: Int64) -> String? {
        let suffix = (path as NSString).pathExtension.lowercased()
        guard ["geojson", "json"].contains(suffix), !Manifest.isConnection(path), !path.hasPrefix("/vsi"),
            !path.contains("://")
        else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) >= minimumBytes else {
            return nil
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let options = openOptions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        let text = [
            layoutVersion, absolute, "\(info.st_dev)", "\(info.st_ino)", "\(info.st_size)",
            "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", layer ?? "", options,
        ].joined(separator: "\u{1F}")
        // FNV-1a, 64 bits: a name, not a secret.
        return "boundary-" + String(FNV1a.hash(text.utf8), radix: 16)
    }

    /// Whether the copy's features carry the ids they had in the original (0, 1, 2 … in order).
    static func keepsFeatureIDs(_ copy: String) throws -> Bool {
        let layer = try VectorDataset(path: copy).layer(nil)
        guard let column = layer.field(named: fidColumn) else { return false }
        var same = true
        try layer.forEachFeature(fieldIndices: [column.index], geometry: false) { record in
            if record.values.first != .integer(record.fid) { same = false }
        }
        return same
    }
}
