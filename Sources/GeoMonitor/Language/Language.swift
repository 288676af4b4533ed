import Foundation

/// The words and the number and date formats of the outputs written for people — progress tables,
/// Markdown, maps, map series, charts and reports — in one language.
///
/// English is the language of the code: a phrase is looked up by its English text, and a word
/// a language file does not translate stays English. Each other language is one YAML (or JSON)
/// file in the repository's `Languages/` folder (`Languages/vi.yaml`), so a third language is a
/// file, not code:
///
/// ```yaml
/// code: vi
/// name: Tiếng Việt
/// locale: vi_VN          # numbers and dates through Foundation's formatters in this locale
/// date: numeric          # numeric (31/12/2024 in vi_VN) or iso (2024-12-31)
/// target_titles: text    # title targets by the catalog's `text` (the programme's own words)
/// statuses: {behind: "Chậm tiến độ", achieved: "Đạt", …}
/// kinds: {forest_planting: "Trồng rừng", …}
/// project_statuses: {completed: "Hoàn thành", …}
/// units: {trees: "cây", …}
/// phrases: {"As of {1}": "Tính đến ngày {1}", …}
/// ```
///
/// Machine outputs (JSON, CSV, GeoJSON, the OGC API) never go through a language: they stay
/// canonical.
public struct Language: Sendable {
    /// The language's code (`vi`, `en`), as `--lang` and a manifest's `language:` name it.
    public let code: String
    /// The language's own name (`Tiếng Việt`).
    public let name: String
    /// The locale of numbers and dates (`vi_VN`).
    public let locale: Locale
    /// Dates as the locale writes them (`31/12/2024`) rather than ISO 8601.
    let localDates: Bool
    /// Targets are titled by the catalog's `text` (the programme's wording) instead of its `title`.
    let titlesFromText: Bool
    /// The date pattern of a month on a chart axis (`MM/yyyy`), given to Foundation's `DateFormatter`.
    var monthPattern = "MMM yyyy"
    let phrases: [String: String]
    let statuses: [String: String]
    let kinds: [String: String]
    let projectStatuses: [String: String]
    let units: [String: String]

    /// English: the words of the code, numbers as `12,345.6`, dates ISO (`2024-12-31`).
    public static let english = Language(
        code: "en", name: "English", locale: Locale(identifier: "en_US"), localDates: false, titlesFromText: false,
        phrases: [:], statuses: [:], kinds: [:], projectStatuses: [:], units: [:])

    /// True when `code` can name a language file: 1–20 letters, digits, `-` or `_`.
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 20
            && code.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    /// The folder of language files: `$GEOMONITOR_LANGUAGES`; else `Languages/` beside the
    /// running executable or beside a folder above it (a checkout's, for a build in
    /// `.build/release`); else that of the source tree geomonitor was built from, when it still
    /// exists; else `Languages/` of the current folder.
    public static var folder: String {
        if let d = ProcessInfo.processInfo.environment["GEOMONITOR_LANGUAGES"], !d.isEmpty { return d }
        return ShippedFolder.path("Languages")
    }

    /// The codes of the language files in ``folder``, sorted (English always among them).
    public static var available: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let codes = files.compactMap { f -> String? in
            let u = URL(fileURLWithPath: f)
            return ["yaml", "yml", "json"].contains(u.pathExtension) ? u.deletingPathExtension().lastPathComponent : nil
        }
        return Array(Set(codes + ["en"])).sorted()
    }

    /// A language by code (`vi`: `Languages/vi.yaml`) or by the path of a language file.
    /// `en` without a file is ``english``.
    /// - Throws: ``GeoMonitorError`` of kind `.usage` (key `--lang`) for a code without a file,
    ///   naming the languages there are; `.configuration` (file and key) for a malformed file.
    public static func load(_ codeOrFile: String) throws -> Language {
        let isFile =
            ["yaml", "yml", "json"].contains(URL(fileURLWithPath: codeOrFile).pathExtension) || codeOrFile.contains("/")
        if isFile { return try parse(YAMLNode.load(file: codeOrFile)) }
        guard isValidCode(codeOrFile) else {
            throw GeoMonitorError(
                .usage, key: "--lang",
                "'\(codeOrFile)' is not a language code; use one of \(available.joined(separator: ", "))")
        }
        for ext in ["yaml", "yml", "json"] {
            let path = folder + "/" + codeOrFile + "." + ext
            if FileManager.default.fileExists(atPath: path) { return try parse(YAMLNode.load(file: path)) }
        }
        if codeOrFile.lowercased() == "en" { return english }
        throw GeoMonitorError(
            .usage, key: "--lang",
            "no language '\(codeOrFile)' (no file \(codeOrFile).yaml in \(folder)); use one of \(available.joined(separator: ", "))"
        )
    }

    /// The language a command writes in: `choice` (its `--lang`) when given, else the manifest's
    /// `language:`, else English.
    /// - Throws: ``GeoMonitorError`` as ``load(_:)`` does.
    public static func resolve(_ choice: String?, manifest: Manifest?) throws -> Language {
        guard let code = choice ?? manifest?.language else { return english }
        do { return try load(code) } catch let e as GeoMonitorError where choice == nil {
            throw GeoMonitorError(.configuration, file: manifest?.file, key: "language", e.message)
        }
    }

    static func parse(_ root: YAMLNode) throws -> Language {
        let m = try root.mapping(allowed: [
            "code", "name", "locale", "date", "target_titles", "month_format", "statuses", "kinds", "project_statuses",
            "units", "phrases",
        ])
        guard let codeNode = m["code"] else { throw root.fail("missing key 'code' (the language code, like vi)") }
        let code = try codeNode.string()
        guard isValidCode(code) else { throw codeNode.fail("'\(code)' is not a language code") }
        let date = try m["date"]?.string() ?? "numeric"
        guard ["numeric", "iso"].contains(date) else { throw root.fail("date must be numeric or iso, not '\(date)'") }
        let titles = try m["target_titles"]?.string() ?? "title"
        guard ["title", "text"].contains(titles) else {
            throw root.fail("target_titles must be title or text, not '\(titles)'")
        }
        func words(_ key: String, allowed: [String]?) throws -> [String: String] {
            guard let n = m[key] else { return [:] }
            return try n.mapping(allowed: allowed.map(Set.init)).mapValues { try $0.string() }
        }
        var lang = Language(
            code: code, name: try m["name"]?.string() ?? code,
            locale: Locale(identifier: try m["locale"]?.string() ?? code),
            localDates: date == "numeric", titlesFromText: titles == "text",
            phrases: try words("phrases", allowed: nil),
            statuses: try words("statuses", allowed: ProgressStatus.allCases.map(\.rawValue)),
            kinds: try words("kinds", allowed: ProjectKind.allCases.map(\.rawValue)),
            projectStatuses: try words("project_statuses", allowed: ProjectStatus.allCases.map(\.rawValue)),
            units: try words("units", allowed: nil))
        if let p = m["month_format"] { lang.monthPattern = try p.string() }
        return lang
    }

    /// A phrase in this language: `phrase` is the English text with `{1}`, `{2}` … where the
    /// arguments go (`lang("As of {1}", lang.date(day))`); untranslated phrases stay English.
    public func callAsFunction(_ phrase: String, _ arguments: String...) -> String {
        var s = phrases[phrase] ?? phrase
        for (i, a) in arguments.enumerated() { s = s.replacingOccurrences(of: "{\(i + 1)}", with: a) }
        return s
    }

    /// A target status (`behind` → "Chậm tiến độ"); the canonical word when not translated.
    public func status(_ s: ProgressStatus) -> String { statuses[s.rawValue] ?? s.rawValue }
    /// A project kind (`forest_planting` → "Trồng rừng"); the canonical word when not translated.
    public func kind(_ k: ProjectKind) -> String { kinds[k.rawValue] ?? k.rawValue }
    /// A project status (`completed` → "Hoàn thành"); the canonical word when not translated.
    public func projectStatus(_ s: ProjectStatus) -> String { projectStatuses[s.rawValue] ?? s.rawValue }
    /// A catalog unit (`trees` → "cây"); the unit itself when not translated.
    public func unit(_ u: String) -> String { units[u] ?? u }
    /// How a target is titled: its catalog `title`, or its `text` (the programme's wording) in a
    /// language whose file says `target_titles: text`.
    ///
    /// - Parameters:
    ///   - t: the target.
    ///   - distinct: when the title comes from a programme text that several targets share
    ///     (``Target/sharesText``), append the target's id, "Tuyến Quốc lộ 27 (…), 55, 27C
    ///     (ql55-2024)"; false for outputs that show the id themselves.
    public func title(_ t: Target, distinct: Bool = true) -> String {
        guard titlesFromText && !t.text.isEmpty else { return t.title }
        return distinct && t.sharesText ? "\(t.text) (\(t.id))" : t.text
    }

    /// `v` with exactly `decimals` places, grouped as the locale groups (`13.650.000`, `1.208,6`
    /// in vi_VN; `13,650,000`, `1,208.6` in English), through Foundation's number format; "–" for
    /// NaN or infinity; never "-0".
    public func number(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "–" }
        let d = min(max(decimals, 0), 15)
        let p = pow(10.0, Double(d))
        let rounded = (v * p).rounded() / p
        let value = rounded == 0 ? 0 : v
        return value.formatted(
            FloatingPointFormatStyle<Double>.number.locale(locale).precision(.fractionLength(d)).grouping(.automatic))
    }

    /// The fewest decimal places (0–6) that show `v` exactly as JSON would (617.7 → 1, 13650000 → 0).
    public static func decimalsNeeded(_ v: Double) -> Int {
        var d = 0
        while d < 6 && abs(v * pow(10, Double(d)) - (v * pow(10, Double(d))).rounded()) > 1e-9 * max(1, abs(v)) {
            d += 1
        }
        return d
    }

    /// A percentage: the number with one decimal, a space and `%` (`73,2 %`).
    public func percent(_ v: Double?, decimals: Int = 1) -> String { v.map { number($0, decimals) + " %" } ?? "–" }

    /// A day as the language writes it: `31/12/2024` in vi_VN (Foundation's numeric date of the
    /// locale), ISO `2024-12-31` in English.
    public func date(_ d: Day) -> String {
        guard localDates, let date = Self.date(d) else { return d.description }
        return date.formatted(
            Date.FormatStyle(locale: locale, calendar: Self.calendar, timeZone: Self.utc).day(.twoDigits).month(
                .twoDigits
            ).year(.defaultDigits))
    }

    /// A month as the language writes it on a chart axis: the file's `month_format` pattern
    /// through Foundation's `DateFormatter` in the locale (`12/2024` in Vietnamese; English `Dec 2024`).
    public func month(year: Int, month: Int) -> String {
        guard let date = Self.date(Day(year: year, month: month, day: 1) ?? Day.today) else {
            return "\(year)-\(month)"
        }
        let f = DateFormatter()
        f.locale = locale
        f.calendar = Self.calendar
        f.timeZone = Self.utc
        f.dateFormat = monthPattern
        return f.string(from: date)
    }

    static let utc = TimeZone(secondsFromGMT: 0) ?? .current
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = utc
        return c
    }()

    static func date(_ d: Day) -> Date? {
        calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: 12))
    }
}
