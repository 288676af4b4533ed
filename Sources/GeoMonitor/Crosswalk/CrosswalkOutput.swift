/// Renders a ``Crosswalk`` as a table, CSV or JSON.
public enum CrosswalkOutput {
    /// An output format; the raw value is the command line's `--format` word.
    public enum Format: String, Sendable, CaseIterable {
        /// Terminal tables: pairs, slivers (count and hectares), findings.
        case table
        /// RFC 4180 CSV: one row per pair and sliver (`kind` = pair or sliver), then one per finding.
        case csv
        /// `{from, to, membership, pairs: [...], slivers: [...], findings: [...]}`; a pair is
        /// `{from: {code, name}, to: {code, name}, area_ha, share_of_from, share_of_to}`.
        case json

        /// The words `--format` accepts.
        public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    /// The crosswalk as text in `format`.
    public static func render(_ c: Crosswalk, as format: Format) -> String {
        func r6(_ v: Double) -> JSONValue { .number((v * 1e6).rounded() / 1e6) }
        func pairJSON(_ p: CrosswalkPair) -> JSONValue {
            .object([
                ("from", .object([("code", .string(p.fromCode)), ("name", .string(p.fromName))])),
                ("to", .object([("code", .string(p.toCode)), ("name", .string(p.toName))])),
                ("area_ha", r6(p.areaHa)), ("share_of_from", r6(p.shareOfFrom)), ("share_of_to", r6(p.shareOfTo)),
            ])
        }
        switch format {
        case .json:
            return JSONValue.object([
                ("from", .string(c.from)), ("to", .string(c.to)), ("membership", .str(c.membership)),
                ("pairs", .array(c.pairs.map(pairJSON))), ("slivers", .array(c.slivers.map(pairJSON))),
                (
                    "findings",
                    .array(
                        c.findings.map {
                            .object([
                                ("code", .string($0.code)), ("from", .str($0.fromCode)), ("to", .str($0.toCode)),
                                ("message", .string($0.message)),
                            ])
                        })
                ),
            ]).serialized(pretty: true) + "\n"
        case .csv:
            var rows: [[String]] = []
            for (kind, list) in [("pair", c.pairs), ("sliver", c.slivers)] {
                for p in list {
                    rows.append([
                        kind, p.fromCode, p.fromName, p.toCode, p.toName, JSONValue.format(p.areaHa, decimals: 4),
                        JSONValue.format(p.shareOfFrom, decimals: 6), JSONValue.format(p.shareOfTo, decimals: 6), "",
                    ])
                }
            }
            for f in c.findings {
                rows.append([f.code, f.fromCode ?? "", "", f.toCode ?? "", "", "", "", "", f.message])
            }
            return CSV.render(
                headers: [
                    "kind", "from_code", "from_name", "to_code", "to_name", "area_ha", "share_of_from", "share_of_to",
                    "message",
                ], rows: rows)
        case .table:
            var t = TextTable(
                headers: ["from", "to", "area_ha", "% of from", "% of to"],
                alignments: [.left, .left, .right, .right, .right])
            for p in c.pairs {
                t.add([
                    "\(p.fromCode) \(p.fromName)", "\(p.toCode) \(p.toName)", NumberText.fixed(p.areaHa, 1),
                    NumberText.fixed(p.shareOfFrom * 100, 1), NumberText.fixed(p.shareOfTo * 100, 1),
                ])
            }
            var out = "Crosswalk \(c.from) → \(c.to)\n\n" + t.render()
            let sliverHa = c.slivers.reduce(0) { $0 + $1.areaHa }
            out +=
                "\(c.pairs.count) pair(s); \(c.slivers.count) sliver(s) of boundary noise, \(NumberText.fixed(sliverHa, 2)) ha in all\n"
            if let m = c.membership {
                out += "\nCompared with \(m): \(c.findings.count) finding(s)\n"
                for f in c.findings { out += "  [\(f.code)] \(f.message)\n" }
            }
            return out
        }
    }
}
