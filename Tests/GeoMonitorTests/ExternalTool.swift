import Foundation

/// A command-line tool some tests need (rsvg-convert, pdftoppm, pdftotext, pdffonts): its path
/// when installed, so the tests can be `.enabled(if:)` it and show as skipped without it.
enum ExternalTool {
    /// The tool's full path in `/usr/bin` or `/usr/local/bin`, nil when missing.
    static func path(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// True when the tool is installed.
    static func has(_ name: String) -> Bool { path(name) != nil }

    /// Runs the tool; standard output as text, nil when it fails or is missing.
    static func run(_ name: String, _ arguments: [String]) throws -> String? {
        guard let path = path(name) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
