import Foundation

/// The official list of administrative units with their history (a gazetteer): every version
/// of every province, district and commune, with GSO codes and the days each was in force.
///
/// The embedded list is Vietnam's, 2024-02-01 to 2026-04-30 (`GeoData/vn-admin/units.csv`,
/// MIT-licensed; see its README). A code alone does not name a unit: code and date do.
///
/// ```swift
/// let list = try UnitList.embedded()
/// let dalat = try list.unit(code: "672", on: Day(iso: "2024-12-31"))   // Thành phố Đà Lạt
/// let found = try list.find("Phu Qui", on: Day(iso: "2025-07-01"))    // Đặc khu Phú Quý
/// ```
public struct UnitList: Sendable {
    /// Every unit version, in file order.
    public let units: [AdministrativeUnit]
    /// The country the list is for (`VN`).
    public let country: String
    /// The folder it was read from.
    public let folder: String
    private let byCode: [String: [Int]]

    /// A list from unit versions already in memory.
    public init(_ units: [AdministrativeUnit], country: String = "VN", folder: String = "") {
        self.units = units
        self.country = country
        self.folder = folder
        var m: [String: [Int]] = [:]
        for (i, u) in units.enumerated() { m[u.code, default: []].append(i) }
        byCode = m
    }

    /// The countries whose unit lists are embedded.
    public static let countries = ["VN"]

    /// The embedded folder of Vietnam's list: `vn-admin/` beside the default manifest
    /// (``Dataset/defaultManifestPath()``; `$GEOMONITOR_DATA/vn-admin` when that is set).
    public static var embeddedFolder: String {
        (Dataset.defaultManifestPath() as NSString).deletingLastPathComponent + "/vn-admin"
    }

    private static let cache = LockedBox<UnitList?>(nil)

    /// The embedded list of `country` (read once per process).
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` for a country without a list, `.source`
    ///   when the embedded files are missing or malformed.
    public static func embedded(country: String = "VN") throws -> UnitList {
        guard country.uppercased() == "VN" else {
            throw GeoMonitorError(
                .lookup, "no unit list for country '\(country)'; embedded: \(countries.joined(separator: ", "))")
        }
        if let l = cache.value { return l }
        let l = try load(folder: embeddedFolder)
        cache.mutate { $0 = l }
        return l
    }

    /// Reads `units.csv` of a folder laid out as `GeoData/vn-admin/`.
    /// - Throws: ``GeoMonitorError`` of kind `.source` or `.field` naming the file, line and column.
    public static func load(folder: String) throws -> UnitList { try load(folder: folder, keeping: nil) }

    /// The versions of a few codes only (every row of the embedded list whose code is one of
    /// `codes`), read without making the other rows: what checking a boundary file's codes needs
    /// (``versions(of:)``), a fraction of the whole list's cost. Not cached.
    /// - Throws: as ``embedded(country:)``.
    static func embedded(codes: Set<String>) throws -> UnitList {
        try load(folder: embeddedFolder, keeping: ("code", { codes.contains($0) }))
    }

    /// The units of the embedded list, any level and any time, whose name has one of these
    /// comparison keys (``VietnameseNames/key(_:)``): the namesakes of a few names. Not cached.
    /// - Throws: as ``embedded(country:)``.
    static func embedded(nameKeys: Set<String>) throws -> UnitList {
        try load(folder: embeddedFolder, keeping: ("name", { nameKeys.contains(VietnameseNames.key($0)) }))
    }

    static func load(folder: String, keeping: CSVTable.RowFilter?) throws -> UnitList {
        let path = folder + "/units.csv"
        let shown = displayPath(path)
        let t = try CSVTable(path: path, file: shown, keeping: keeping)
        let c = try t.columns([
            "level", "code", "name", "full_name", "type", "parent_code", "valid_from", "valid_to", "decree",
        ])
        var units: [AdministrativeUnit] = []
        units.reserveCapacity(t.rows.count)
        for (i, r) in t.rows.enumerated() {
            func day(_ col: Int, _ name: String) throws -> Day? {
                let s = CSVTable.trimmed(r[c[col]])
                if s.isEmpty { return nil }
                guard let d = Day.parse(iso: s) else {
                    throw GeoMonitorError(
                        .value, file: shown, feature: "line \(i + 2)", key: name, "'\(s)' is not a yyyy-mm-dd date")
                }
                return d
            }
            guard let level = AdministrativeUnit.Level(rawValue: r[c[0]]) else {
                throw GeoMonitorError(
                    .value, file: shown, feature: "line \(i + 2)", key: "level",
                    "unknown level '\(r[c[0]])'; levels: \(AdministrativeUnit.Level.vocabulary)")
            }
            let parent = CSVTable.trimmed(r[c[5]])
            let decree = CSVTable.trimmed(r[c[8]])
            units.append(
                AdministrativeUnit(
                    level: level, code: r[c[1]], name: r[c[2]].nfc,
                    fullName: r[c[3]].nfc,
                    type: r[c[4]].nfc,
                    parent: parent.isEmpty ? nil : parent, validFrom: try day(6, "valid_from"),
                    validTo: try day(7, "valid_to"),
                    decree: decree.isEmpty ? nil : decree))
        }
        return UnitList(units, folder: folder)
    }

    /// Every version of a code, oldest first.
    public func versions(of code: String) -> [AdministrativeUnit] { (byCode[code] ?? []).map { units[$0] } }

    /// The unit with this code in force on `day` (of `level`, when given), or nil.
    public func unit(code: String, on day: Day, level: AdministrativeUnit.Level? = nil) -> AdministrativeUnit? {
        versions(of: code).first { $0.inForce(on: day) && (level == nil || $0.level == level) }
    }

    /// The province a unit belonged to on `day` (its own code for a province), following parents
    /// in force that day; the last parent known when the chain breaks.
    public func provinceCode(of unit: AdministrativeUnit, on day: Day) -> String? {
        var u = unit
        for _ in 0..<3 {
            if u.level == .province { return u.code }
            guard let p = u.parent else { return nil }
            guard let next = self.unit(code: p, on: day) ?? versions(of: p).last else { return p }
            u = next
        }
        return nil
    }

    /// The units in force on `day`, optionally of one level and within some provinces, in file order.
    public func inForce(on day: Day, level: AdministrativeUnit.Level? = nil, provinces: Set<String>? = nil)
        -> [AdministrativeUnit]
    {
        units.filter { u in
            u.inForce(on: day) && (level == nil || u.level == level)
                && (provinces.map { $0.contains(provinceCode(of: u, on: day) ?? "") } ?? true)
        }
    }

    /// Finds units in force on `day` from what a user typed: a code, or a name with or without
    /// diacritics and type word, in any of the spellings real files use ("Phú Quí" / "Phú Quý",
    /// "Thuỷ" / "Thủy", "Dak" / "Đắk", "Cu Jút"). A typed type word narrows the matches. Every
    /// match is returned (a district and a commune often share a name).
    /// - Throws: ``GeoMonitorError`` of kind `.lookup` naming the closest units when none matches.
    public func find(
        _ query: String, on day: Day, level: AdministrativeUnit.Level? = nil, provinces: Set<String>? = nil
    ) throws -> [AdministrativeUnit] {
        let pool = inForce(on: day, level: level, provinces: provinces)
        let q = query.trimmingCharacters(in: .whitespaces)
        let byCode = pool.filter { $0.code == q }
        if !byCode.isEmpty { return byCode }
        let matches = Self.match(name: q, type: VietnameseNames.typeWord(q), in: pool)
        if !matches.isEmpty { return matches }
        // The same name or code in force on other days (a unit the 2025 reform abolished, one not
        // yet created): say when, rather than only offering unrelated close names.
        let outOfForce = units.filter { !$0.inForce(on: day) && (level == nil || $0.level == level) }
        let other = (outOfForce.filter { $0.code == q } + Self.match(name: q, type: nil, in: outOfForce)).uniqued()
        let when = other.prefix(3).map { u in
            "\(u.fullName) (\(u.code)) was in force \(u.validFrom.map { "from \($0) " } ?? "")\(u.validTo.map { "until \($0)" } ?? "onwards")"
        }
        let close = Self.closest(to: q, in: pool).map { "\($0.fullName) (\($0.code))" }.joined(separator: ", ")
        throw GeoMonitorError(
            .lookup,
            "no unit in force on \(day) matches '\(query)'\(when.isEmpty ? "" : "; " + when.joined(separator: "; ")); closest in force: \(close)"
        )
    }

    /// The units of `pool` a name (and type category, when given) designates: those whose name
    /// matches precisely (vowels and tones, wherever the tone mark sits) when any does, else those
    /// whose folded name matches; narrowed to the type when that leaves at least one.
    ///
    /// A compound name of the 2025 reform ("Cam Ly - Đà Lạt", "Lâm Viên - Đà Lạt") also answers
    /// to its first part, as people and public files write it; the whole name goes first, and a
    /// precise match of the first part before a folded match of another whole name ("Cam Ly" is
    /// Phường Cam Ly - Đà Lạt, not Xã Cẩm Lý of another province).
    static func match(name: String, type: String?, in pool: [AdministrativeUnit]) -> [AdministrativeUnit] {
        let precise = VietnameseNames.preciseKey(name)
        let folded = VietnameseNames.key(name)
        func firstPart(_ u: AdministrativeUnit) -> String? { VietnameseNames.firstPart(u.name) }
        var found = pool.filter { VietnameseNames.preciseKey($0.name) == precise }
        if found.isEmpty { found = pool.filter { firstPart($0).map(VietnameseNames.preciseKey) == precise } }
        if found.isEmpty { found = pool.filter { VietnameseNames.key($0.name) == folded } }
        if found.isEmpty { found = pool.filter { firstPart($0).map(VietnameseNames.key) == folded } }
        if found.count > 1, let type {
            let same = found.filter { VietnameseNames.typeCategory($0.type) == type }
            if !same.isEmpty { found = same }
        }
        return found
    }

    /// Up to `limit` units of `pool` whose names are closest to `query`.
    static func closest(to query: String, in pool: [AdministrativeUnit], limit: Int = 3) -> [AdministrativeUnit] {
        let key = VietnameseNames.key(query)
        return pool.map { u -> (Int, AdministrativeUnit) in
            let k = VietnameseNames.key(u.name)
            return (VietnameseNames.distance(key, k) - ((k.hasPrefix(key) || key.hasPrefix(k)) ? 2 : 0), u)
        }.sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1.code < b.1.code }.prefix(limit).map { $0.1 }
    }
}
