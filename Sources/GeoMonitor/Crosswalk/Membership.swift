import Foundation

/// The legal membership of two editions (who became whom): rows `new ← old`, each `full` (the
/// whole old unit) or `partial` (the old unit split between several new ones). Vietnam's reform of
/// 2025-07-01 is embedded (`GeoData/vn-admin/reform-2025-07-01.csv`); any CSV with the columns
/// `new_code, old_code` (and optionally `level, new_name, old_name, part`) can be given.
public struct Membership: Sendable {
    /// One row of the table.
    public struct Row: Sendable, Hashable {
        /// The unit of the later edition.
        public var newCode: String
        /// Its name, as the table gives it.
        public var newName: String
        /// The unit of the earlier edition.
        public var oldCode: String
        /// Its name, as the table gives it.
        public var oldName: String
        /// True for `full` (the whole old unit went to the new one).
        public var full: Bool
        /// The level (`commune`, `province`), when the table gives it.
        public var level: String?
    }

    /// The rows, in file order.
    public var rows: [Row]
    /// The file, as shown in findings and errors.
    public var file: String

    /// Columns a membership CSV may have.
    public static let columns = ["level", "new_code", "new_name", "old_code", "old_name", "part"]

    /// Reads a membership CSV.
    /// - Throws: ``GeoMonitorError`` of kind `.configuration` naming the file for an unknown column,
    ///   a missing `new_code`/`old_code` column or a `part` other than full/partial; `.source` when unreadable.
    public static func load(_ path: String) throws -> Membership {
        let shown = displayPath(path)
        let t = try CSVTable(path: path, file: shown)
        if let bad = t.header.first(where: { !columns.contains($0) }) {
            throw GeoMonitorError(
                .configuration, file: shown, key: bad,
                "unknown column '\(bad)' in a membership table; columns: \(columns.joined(separator: ", ")) (new_code and old_code required)"
            )
        }
        let c = try t.columns(["new_code", "old_code"])
        func col(_ n: String) -> Int? { t.header.firstIndex(of: n) }
        var rows: [Row] = []
        for (i, r) in t.rows.enumerated() {
            var full = false
            if let p = col("part") {
                switch r[p].trimmingCharacters(in: .whitespaces).lowercased() {
                case "full": full = true
                case "partial", "": full = false
                default:
                    throw GeoMonitorError(
                        .configuration, file: shown, feature: "line \(i + 2)", key: "part",
                        "part must be full or partial, found '\(r[p])'")
                }
            }
            rows.append(
                Row(
                    newCode: r[c[0]].trimmingCharacters(in: .whitespaces), newName: col("new_name").map { r[$0] } ?? "",
                    oldCode: r[c[1]].trimmingCharacters(in: .whitespaces), oldName: col("old_name").map { r[$0] } ?? "",
                    full: full, level: col("level").map { r[$0] }))
        }
        return Membership(rows: rows, file: shown)
    }

    /// Vietnam's reform of 2025-07-01 (commune rows), embedded.
    /// - Throws: ``GeoMonitorError`` when the embedded file is missing or malformed.
    public static func vietnam2025() throws -> Membership {
        var m = try load(UnitList.embeddedFolder + "/reform-2025-07-01.csv")
        m.rows = m.rows.filter { $0.level == nil || $0.level == "commune" }
        return m
    }

    /// The same membership one level up on the old side: each old commune replaced by its district
    /// on `day` (the district level of the old edition), `full` only when every commune of the
    /// district went whole into that one new unit.
    public func oldCommunesAsDistricts(_ list: UnitList, on day: Day) -> Membership {
        var district: [String: String] = [:]
        for r in rows where district[r.oldCode] == nil {
            if let u = list.unit(code: r.oldCode, on: day, level: .commune)
                ?? list.versions(of: r.oldCode).last(where: { $0.level == .commune }),
                let p = u.parent
            {
                district[r.oldCode] = p
            }
        }
        var out: [String: Row] = [:]
        var order: [String] = []
        var allFull: [String: Bool] = [:]
        for r in rows {
            guard let d = district[r.oldCode] else { continue }
            let key = r.newCode + "←" + d
            if out[key] == nil {
                order.append(key)
                out[key] = Row(
                    newCode: r.newCode, newName: r.newName, oldCode: d,
                    oldName: list.unit(code: d, on: day)?.fullName ?? d, full: false, level: "district")
            }
            allFull[key] = (allFull[key] ?? true) && r.full
        }
        // A district is a full member only when no other new unit holds any of its communes.
        var newUnitsOfDistrict: [String: Set<String>] = [:]
        for k in order { if let r = out[k] { newUnitsOfDistrict[r.oldCode, default: []].insert(r.newCode) } }
        return Membership(
            rows: order.compactMap { k in
                guard var r = out[k] else { return nil }
                r.full = (allFull[k] ?? false) && newUnitsOfDistrict[r.oldCode]?.count == 1
                return r
            }, file: file)
    }
}
