import ArgumentParser
import GeoMonitor

// The library's format and layer enums as command-line values: `--help` lists their choices and a
// typo is a usage error (exit 64) before anything is read.
extension ProgressOutput.Format: ExpressibleByArgument {}
extension QueryOutput.Format: ExpressibleByArgument {}
extension GeoJSONExport.Layer: ExpressibleByArgument {}

/// `--format` of the commands that print a table for people or JSON for programs.
enum TableOrJSON: String, CaseIterable, ExpressibleByArgument {
    case table, json
}
