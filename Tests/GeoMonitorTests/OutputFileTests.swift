import Foundation
import GeoMonitor
import Testing

/// Outputs are written to a temporary file and renamed into place, except where the path is a
/// device or a pipe: `--out /dev/null` run as root once replaced /dev/null with a plain file.
/// (Tested on a FIFO, the same path through the code, so that a regression cannot break the
/// machine's /dev/null.)
@Suite("Output files: devices and pipes are written, never replaced")
struct OutputFileTests {
    @Test("a FIFO stays a FIFO and its reader gets every byte")
    func fifoIsWrittenInPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "geomonitor-fifo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("out.geojson").path
        #expect(mkfifo(fifo, 0o644) == 0)
        // The reader on a thread of its own (opening a FIFO blocks until both ends are open).
        final class Received: @unchecked Sendable { var data = Data() }
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) {
                received.data = h.readDataToEndOfFile()
                try? h.close()
            }
            done.signal()
        }
        reader.start()
        let text = String(repeating: "Lâm Đồng 1.208,6 ha; ", count: 10_000)
        try OutputFile.write(text, to: fifo)
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(String(decoding: received.data, as: UTF8.self) == text)
        var info = stat()
        #expect(stat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO was replaced by a plain file")
        // Nothing left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.geojson"])
    }
}
