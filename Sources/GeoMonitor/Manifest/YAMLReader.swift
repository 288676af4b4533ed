import Foundation
internal import Yams

/// A YAML node with its key path, for configuration files whose every mistake must be reported
/// with the file and the key. Only this file knows about Yams.
struct YAMLNode {
    let node: Yams.Node
    let path: String
    let file: String

    static func load(file: String) throws -> YAMLNode {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            if !FileManager.default.fileExists(atPath: file) {
                throw GeoMonitorError(.configuration, file: file, "no such file")
            }
            throw GeoMonitorError(.configuration, file: file, "cannot read as UTF-8 text")
        }
        return try parse(text, file: file)
    }

    static func parse(_ text: String, file: String) throws -> YAMLNode {
        guard text.utf8.count < 64 << 20 else {
            throw GeoMonitorError(.configuration, file: file, "file larger than 64 MB")
        }
        // Yams parses recursively: refuse nesting deep enough to exhaust the stack.
        if let line = excessiveNesting(text, limit: 64) {
            throw GeoMonitorError(
                .configuration, file: file,
                "nested more than 64 levels deep (line \(line)); a manifest or catalog never needs that")
        }
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw GeoMonitorError(.configuration, file: file, "the file is empty")
            }
            return YAMLNode(node: n, path: "", file: file)
        } catch let e as GeoMonitorError { throw e } catch let e as YamlError {
            throw GeoMonitorError(
                .configuration, file: file,
                "not valid YAML: \(String(describing: e).split(whereSeparator: \.isNewline).first ?? "")")
        } catch {
            throw GeoMonitorError(.configuration, file: file, "not valid YAML: \(error)")
        }
    }

    /// The line where flow brackets or indentation first nest deeper than `limit`, if they do.
    static func excessiveNesting(_ text: String, limit: Int) -> Int? {
        var depth = 0
        var line = 1
        var quote: UInt8? = nil
        var lineStart = true
        var indent = 0
        for b in text.utf8 {
            if b == 10 {
                line += 1
                lineStart = true
                indent = 0
                quote = nil
                continue
            }
            if lineStart {
                if b == 32 || b == UInt8(ascii: "-") {
                    indent += 1
                    if indent > limit * 4 { return line }
                    continue
                }
                lineStart = false
            }
            if let q = quote {
                if b == q { quote = nil }
                continue
            }
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = b
            case UInt8(ascii: "#"): quote = 10  // comment to end of line
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return line }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    /// The mapping `n` with only the entries whose keys are in `keys` (same path and file).
    static func subset(_ n: YAMLNode, keys: Set<String>) throws -> YAMLNode {
        guard case .mapping(let m) = n.node else {
            throw n.fail("expected a mapping (key: value), found \(n.kindName)")
        }
        let pairs = m.filter { keys.contains($0.key.string ?? "") }
        return YAMLNode(node: .mapping(Yams.Node.Mapping(pairs.map { ($0.key, $0.value) })), path: n.path, file: n.file)
    }

    func fail(_ message: String) -> GeoMonitorError {
        GeoMonitorError(.configuration, file: file, key: path.isEmpty ? nil : path, message)
    }

    func child(_ key: String, _ n: Yams.Node) -> YAMLNode {
        YAMLNode(node: n, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// The mapping's entries, after checking that every key is one of `allowed`.
    func mapping(allowed: Set<String>? = nil) throws -> [String: YAMLNode] {
        guard case .mapping(let m) = node else { throw fail("expected a mapping (key: value), found \(kindName)") }
        var out: [String: YAMLNode] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw fail("keys must be text") }
            if let allowed, !allowed.contains(key) {
                throw child(key, v).fail(
                    "unknown key '\(key)'; allowed here: \(allowed.sorted().joined(separator: ", "))")
            }
            if out[key] != nil { throw child(key, v).fail("key given twice") }
            out[key] = child(key, v)
        }
        return out
    }

    func sequence() throws -> [YAMLNode] {
        guard case .sequence(let s) = node else { throw fail("expected a list, found \(kindName)") }
        return s.enumerated().map { YAMLNode(node: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }

    /// A list, or a single value taken as a list of one.
    func list() throws -> [YAMLNode] {
        if case .sequence = node { return try sequence() }
        return [self]
    }

    var isNull: Bool {
        if case .scalar(let s) = node {
            return s.tag.description.hasSuffix("null")
                || (s.string == "~" || s.string == "null" || s.string.isEmpty) && s.style == .plain
        } else {
            return false
        }
    }

    func string() throws -> String {
        guard case .scalar(let s) = node else { throw fail("expected a text value, found \(kindName)") }
        return s.string
    }

    func double() throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string.replacingOccurrences(of: "_", with: "")), v.isFinite
        else {
            throw fail("expected a number, found '\((try? string()) ?? kindName)'")
        }
        return v
    }

    func int() throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string) else {
            throw fail("expected a whole number, found '\((try? string()) ?? kindName)'")
        }
        return v
    }

    func bool() throws -> Bool {
        guard case .scalar(let s) = node else { throw fail("expected true or false") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false, found '\(s.string)'")
        }
    }

    func day() throws -> Day {
        let s = try string()
        guard let d = Day.parse(iso: s) else { throw fail("expected a date yyyy-mm-dd, found '\(s)'") }
        return d
    }

    /// A mapping of text to text (for `fields`, `values`, `open_options`).
    func stringMap() throws -> [String: String] {
        try mapping().mapValues { try $0.string() }
    }

    var kindName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s): return "'\(s.string)'"
        @unknown default: return "an alias"  // Yams 6 adds `.alias`
        }
    }
}
