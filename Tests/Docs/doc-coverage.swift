// Reads the documentation-coverage.json that `swift package generate-documentation
// --experimental-documentation-coverage` writes into each .doccarchive and prints, per archive,
// the number of public symbols, how many have a summary (a doc comment, or a documentation
// extension file for compiler-synthesized members), and every symbol that has none.
// Exits 1 when any symbol is undocumented.
//
//   swift Tests/Docs/doc-coverage.swift .build/plugins/Swift-DocC/outputs/GeoMonitor.doccarchive …
import Foundation

var undocumentedTotal = 0
for archive in CommandLine.arguments.dropFirst() {
    let url = URL(fileURLWithPath: archive).appendingPathComponent("documentation-coverage.json")
    guard let data = try? Data(contentsOf: url),
        let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else {
        print("\(archive): no documentation-coverage.json (build it with --experimental-documentation-coverage)")
        exit(2)
    }
    var symbols = 0
    var missing: [String] = []
    for e in entries {
        guard let kind = e["kind"] as? [String: Any], kind["isSymbol"] as? Bool == true else { continue }
        symbols += 1
        if e["hasAbstract"] as? Bool != true {
            let path = (e["referencePath"] as? String ?? "?").replacingOccurrences(of: "doc://", with: "")
            missing.append("  \(kind["name"] as? String ?? "?"): \(path)")
        }
    }
    let name = URL(fileURLWithPath: archive).deletingPathExtension().lastPathComponent
    print("\(name): \(symbols) public symbols, \(symbols - missing.count) documented, \(missing.count) undocumented")
    for m in missing.sorted() { print(m) }
    undocumentedTotal += missing.count
}
exit(undocumentedTotal == 0 ? 0 : 1)
