import Foundation

/// Writes outputs safely: to a temporary file beside the target, then renamed into place, so an
/// interrupted run never leaves a half-written file. `-` means standard output.
public enum OutputFile {
    /// Writes `text` as UTF-8 to `path` (or standard output for `-`), replacing any existing file.
    /// - Throws: ``GeoMonitorError`` of kind `.output`, naming the path, when the folder does not
    ///   exist or the file cannot be written or renamed into place.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes bytes to `path` (or standard output for `-`), atomically, as the text overload does.
    /// - Throws: ``GeoMonitorError`` of kind `.output` naming the path.
    public static func write(_ data: Data, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw GeoMonitorError(.output, file: path, "folder \(dir.path) does not exist")
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: tmp)
            // POSIX rename: atomic, replaces an existing file.
            if rename(tmp.path, url.path) != 0 {
                throw GeoMonitorError(.output, file: path, "cannot rename into place: \(String(cString: strerror(errno)))")
            }
        } catch let e as GeoMonitorError {
            try? FileManager.default.removeItem(at: tmp)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw GeoMonitorError(.output, file: path, "cannot write: \((error as NSError).localizedDescription)")
        }
    }
}
