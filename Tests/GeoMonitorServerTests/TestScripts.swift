import Foundation
import TestSupport

/// The scripts in `Tests/GeoMonitorServerTests/Scripts/`, found from this file's place in the tree.
enum TestScripts {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/\(name)").path
    }

    /// Can `python3` import these modules?
    static func python(has modules: [String]) -> Bool {
        guard let py = which("python3") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = ["-c", "import " + modules.joined(separator: ", ")]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    static var chromium: String? { which("chromium") ?? which("chromium-browser") }
    static let leaflet = FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js")
}
