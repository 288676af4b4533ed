/// Renders units of the official list (``UnitList``) as a table, JSON or CSV.
public enum UnitListOutput {
    /// An output format; the raw value is the command line's `--format` word.
    public enum Format: String, Sendable, CaseIterable {
        /// A terminal table (level, code, full name, type, parent, province, in force) and a count line.
        case table
        /// A JSON array of `{level, code, name, full_name, type, parent_code, province_code,
        /// valid_from, valid_to, decree}` (null for an open end).
        case json
        /// RFC 4180 CSV with the JSON keys as header.
        case csv

        /// The words `--format` accepts.
        public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    /// The units as text in `format`; `list` and `day` give each unit's province.
    public static func render(_ units: [AdministrativeUnit], list: UnitList, on day: Day, as format: Format) -> String {
        let headers = [
            "level", "code", "name", "full_name", "type", "parent_code", "province_code", "valid_from", "valid_to",
            "decree",
        ]
        func fields(_ u: AdministrativeUnit) -> [String?] {
            [
                u.level.rawValue, u.code, u.name, u.fullName, u.type, u.parent, list.provinceCode(of: u, on: day),
                u.validFrom?.description, u.validTo?.description, u.decree,
            ]
        }
        switch format {
        case .json:
            return JSONValue.array(units.map { u in .object(zip(headers, fields(u)).map { ($0, JSONValue.str($1)) }) })
                .serialized(pretty: true) + "\n"
        case .csv:
            return CSV.render(headers: headers, rows: units.map { fields($0).map { $0 ?? "" } })
        case .table:
            var t = TextTable(headers: ["level", "code", "name", "type", "parent", "province", "in force"])
            for u in units {
                let span = "\(u.validFrom?.description ?? "…")–\(u.validTo?.description ?? "")"
                t.add([
                    u.level.rawValue, u.code, u.fullName, u.type, u.parent ?? "",
                    list.provinceCode(of: u, on: day) ?? "", span,
                ])
            }
            return t.render() + "\(units.count) unit(s) in force on \(day)\n"
        }
    }
}
