/// Renders the findings of ``DataCheck`` as `geomonitor check` prints them.
public enum CheckOutput {
    /// A table (check, project, finding; headers in `language`) and a count line by kind, e.g.
    /// `3 finding(s): 1 invalid-geometry, 2 outside-localities`.
    public static func table(_ findings: [Finding], language l: Language = .english) -> String {
        var t = TextTable(headers: ["check", "project", "finding"].map { l($0) })
        for f in findings { t.add([f.kind.rawValue, f.project, f.message]) }
        var counts: [String: Int] = [:]
        for f in findings { counts[f.kind.rawValue, default: 0] += 1 }
        return t.render() + l("{1} finding(s)", l.number(Double(findings.count), 0))
            + (counts.isEmpty
                ? ""
                : ": "
                    + counts.sorted { $0.key < $1.key }.map { "\(l.number(Double($0.value), 0)) \($0.key)" }.joined(
                        separator: ", "))
            + "\n"
    }

    /// A pretty-printed JSON array of `{kind, project, message, value}` objects (`value` null when
    /// the check measures nothing), with a final newline.
    public static func json(_ findings: [Finding]) -> String {
        JSONValue.array(
            findings.map {
                .object([
                    ("kind", .string($0.kind.rawValue)), ("project", .string($0.project)),
                    ("message", .string($0.message)), ("value", .num($0.value)),
                ])
            }
        )
        .serialized(pretty: true) + "\n"
    }
}
