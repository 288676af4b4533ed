import Foundation

/// The folders geomonitor reads beside its code — `GeoData/` (the embedded sample, its target
/// catalog and Vietnam's unit list) and `Languages/` — found wherever the binary runs from,
/// without depending on where it was built.
enum ShippedFolder {
    /// The path of the folder `name` (no trailing `/`), the first of: `name` beside the running
    /// executable or beside a folder above it (a build in `.build/release` of a checkout, an
    /// install that puts `bin/` beside `GeoData/`); `name` of the source tree this binary was
    /// built from, when that still exists; `name` of the current folder (which may not exist:
    /// reading from it then names the missing file). A folder counts only when it holds `marker`
    /// (a file name), or, with no marker, when it exists.
    static func path(_ name: String, marker: String? = nil) -> String {
        let fm = FileManager.default
        func found(in dir: String) -> String? {
            let folder = (dir as NSString).appendingPathComponent(name)
            let probe = marker.map { (folder as NSString).appendingPathComponent($0) } ?? folder
            return fm.fileExists(atPath: probe) ? folder : nil
        }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().path {
            var dir = (exe as NSString).deletingLastPathComponent
            while !dir.isEmpty {
                if let f = found(in: dir) { return f }
                let up = (dir as NSString).deletingLastPathComponent
                if up == dir { break }
                dir = up
            }
        }
        // This file is Sources/GeoMonitor/Core/ShippedFolder.swift of the source tree.
        var source = #filePath
        for _ in 0..<4 { source = (source as NSString).deletingLastPathComponent }
        if let f = found(in: source) { return f }
        return (fm.currentDirectoryPath as NSString).appendingPathComponent(name)
    }
}
