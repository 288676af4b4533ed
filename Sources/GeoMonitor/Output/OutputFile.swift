import Foundation

/// Writes outputs safely: to a temporary file beside the target, then renamed into place, so an
/// interrupted run never leaves a half-written file. `-` means standard output; a device or a
/// pipe (`/dev/null`, a FIFO) is written directly, never replaced.
public enum OutputFile {
    /// Writes `text` as UTF-8 to `path` (or standard output for `-`), replacing any existing file.
    /// - Throws: ``GeoMonitorError`` of kind `.output`, naming the path, when the folder does not
    ///   exist or the file cannot be written or renamed into place.
    public static func write(_ text: String, to path: String) throws {
        var text = text
        try write(to: path) { sink in try text.withUTF8 { try sink.write(UnsafeRawBufferPointer($0)) } }
    }

    /// Writes bytes to `path` (or standard output for `-`), atomically, as the text overload does.
    /// - Throws: ``GeoMonitorError`` of kind `.output` naming the path.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { sink in try data.withUnsafeBytes { try sink.write($0) } }
    }

    /// Streams an output: `body` hands its bytes to the sink piece by piece; the file is renamed
    /// into place only when `body` returns, and removed when it throws. Large outputs (a GeoJSON
    /// of 200,000 plots) are thus never held whole in memory.
    static func write(to path: String, _ body: (Sink) throws -> Void) throws {
        if path == "-" {
            try body(Sink(fd: STDOUT_FILENO, path: path))
            return
        }
        // A device or pipe (/dev/null, a FIFO, /dev/stderr) is written as it is: renaming a
        // temporary file over it would replace the device with a plain file (as root, /dev/null).
        var info = stat()
        let kind = stat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
        if kind == S_IFDIR { throw GeoMonitorError(.output, file: path, "is a folder: name a file in it") }
        if [S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].contains(kind) {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw GeoMonitorError(.output, file: path, "cannot write: \(String(cString: strerror(errno)))")
            }
            defer { _ = close(fd) }
            try body(Sink(fd: fd, path: path))
            return
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw GeoMonitorError(.output, file: path, "folder \(dir.path) does not exist")
        }
        let tmp = dir.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
        ).path
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw GeoMonitorError(.output, file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        do {
            try body(Sink(fd: fd, path: path))
            guard close(fd) == 0 else {
                throw GeoMonitorError(.output, file: path, "cannot write: \(String(cString: strerror(errno)))")
            }
            // POSIX rename: atomic, replaces an existing file.
            if rename(tmp, url.path) != 0 {
                throw GeoMonitorError(
                    .output, file: path, "cannot rename into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            _ = close(fd)
            unlink(tmp)
            throw error
        }
    }

    /// Where a streamed output's bytes go: a file descriptor, written in full.
    struct Sink {
        let fd: Int32
        let path: String

        /// Writes every byte, retrying short writes and interruptions.
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var p = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = Foundation.write(fd, p, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw GeoMonitorError(
                        .output, file: path == "-" ? "standard output" : path,
                        "cannot write: \(String(cString: strerror(errno)))")
                }
                p += n
                left -= n
            }
        }
    }
}
