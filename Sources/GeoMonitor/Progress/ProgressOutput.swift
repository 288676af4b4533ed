/// Renders a progress report as a table, JSON (documented, stable), CSV, Markdown or GeoJSON.
public enum ProgressOutput {
    /// An output format; the raw value is the command line's `--format` word.
    public enum Format: String, Sendable, CaseIterable {
        /// A terminal table: one row per target, then per-locality tables when three targets or
        /// fewer are shown, then the warnings.
        case table
        /// Stable JSON: `as_of`, `programme`, `targets` (with `localities`), `warnings`; numbers
        /// rounded to 6 decimals, absent figures `null`.
        case json
        /// RFC 4180 CSV, one row per target and per target × locality (formula injection
        /// neutralised), then one row per warning of the run: `target` is `warning`,
        /// `locality_code` the warning's code and `locality_name` its message.
        case csv
        /// Markdown tables for reports and issues.
        case markdown
        /// An RFC 7946 FeatureCollection of the localities with each target's locality figures as
        /// properties (prefixed `target-id.` when several targets), and the run's warnings as a
        /// `warnings` property (`[{code, message}]`) of every feature.
        case geojson
    }

    /// The report as text in `format`.
    /// - Parameters:
    ///   - r: the report from ``ProgressEngine/run(asOf:targets:locality:)``.
    ///   - format: the output format.
    ///   - localities: the dataset's localities (needed for the GeoJSON geometries).
    ///   - decimals: decimal places of GeoJSON coordinates (7 ≈ 1 cm); other formats ignore it.
    ///   - language: the language of the table and Markdown (numbers, dates, words); JSON, CSV
    ///     and GeoJSON are canonical whatever it is.
    public static func render(
        _ r: ProgressReport, as format: Format, localities: LocalityDirectory, decimals: Int = 7,
        language: Language = .english
    ) -> String {
        switch format {
        case .json: return json(r).serialized(pretty: true) + "\n"
        case .table: return table(r, language)
        case .markdown: return markdown(r, language)
        case .csv: return csv(r)
        case .geojson: return geojson(r, localities: localities, decimals: decimals)
        }
    }

    static func r6(_ v: Double?) -> JSONValue {
        guard let v, v.isFinite else { return .null }
        return .number((v * 1e6).rounded() / 1e6)
    }

    static func goalJSON(_ g: Goal?) -> JSONValue {
        guard let g else { return .null }
        switch g {
        case .atLeast(let v): return .object([("at_least", .number(v))])
        case .atMost(let v): return .object([("at_most", .number(v))])
        case .below(let v): return .object([("below", .number(v))])
        case .above(let v): return .object([("above", .number(v))])
        case .about(let v): return .object([("about", .number(v))])
        case .range(let lo, let hi): return .object([("range", .array([.number(lo), .number(hi)]))])
        case .reach(let s): return .object([("reach", .string(s.rawValue))])
        }
    }

    /// The JSON of one locality row: code, name, achieved, quota, percent, status, projects.
    static func localityJSON(_ l: LocalityProgress) -> [(String, JSONValue)] {
        [
            ("code", .string(l.code)), ("name", .string(l.name)), ("achieved", r6(l.achieved)), ("quota", r6(l.quota)),
            ("percent", r6(l.percent)), ("status", .str(l.status?.rawValue)), ("projects", .number(Double(l.projects))),
        ]
    }

    static func targetJSON(_ t: TargetProgress) -> JSONValue {
        var o: [(String, JSONValue)] = [
            ("id", .string(t.target.id)), ("clause", .string(t.target.clause)), ("title", .string(t.target.title)),
            ("text", .string(t.target.text)), ("measure", .string(t.target.measurement.kindName)),
            ("unit", .string(t.target.unit)), ("value", r6(t.value)), ("target", goalJSON(t.target.goal)),
            ("achieved", r6(t.achieved)), ("percent", r6(t.percent)), ("expected", r6(t.expected)),
            ("status", .string(t.status.rawValue)), ("elapsed", r6(t.elapsed)),
            (
                "period",
                .object([
                    ("start", .string(t.target.period.start.description)),
                    ("end", .string(t.target.period.end.description)),
                ])
            ),
            ("scope", .string(t.target.scope ?? "province")),
            ("outside", r6(t.outside)),
            ("localities", .array(t.localities.map { .object(localityJSON($0)) })),
        ]
        if let r = t.report {
            o.append(
                (
                    "report",
                    .object([
                        ("date", .string(r.date.description)), ("value", .number(r.value)), ("source", .str(r.source)),
                    ])
                ))
        }
        o.append(("projects", .number(Double(t.projectIDs.count))))
        o.append(("warnings", .array(t.warnings.map { .string($0.message) })))
        if let e = t.edition { o.append(("edition", .string(e))) }
        if let c = t.quotasCarried {
            o.append(("quotas_carried", .object([("from", .string(c.from)), ("rule", .string(c.rule))])))
        }
        return .object(o)
    }

    static func json(_ r: ProgressReport) -> JSONValue {
        .object([
            ("as_of", .string(r.asOf.description)),
            (
                "programme",
                .object([
                    ("id", .string(r.programme.id)), ("title", .string(r.programme.title)),
                    (
                        "period",
                        .object([
                            ("start", .string(r.programme.period.start.description)),
                            ("end", .string(r.programme.period.end.description)),
                        ])
                    ),
                ])
            ),
            ("targets", .array(r.targets.map(targetJSON))),
            (
                "warnings",
                .array(r.warnings.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) })
            ),
        ])
    }

    /// Whether figures of `unit` are whole numbers (counts, trees, milestones, cases).
    static func isWhole(unit: String) -> Bool { ["count", "trees", "milestone", "cases"].contains(unit) }

    /// Decimal places a figure of `unit` is shown with: none for counts, one from 100 up, else two.
    static func decimals(_ v: Double, unit: String) -> Int { isWhole(unit: unit) ? 0 : (abs(v) >= 100 ? 1 : 2) }

    /// A figure with its unit word in `lang`, with the decimals of ``decimals(_:unit:)``: "3 số lượng",
    /// "451,8 ha".
    static func figure(_ v: Double, unit: String, _ lang: Language) -> String {
        lang.number(v, decimals(v, unit: unit)) + " " + lang.unit(unit)
    }

    static func fmt(_ v: Double?, unit: String, _ lang: Language = .english) -> String {
        guard let v else { return "–" }
        return lang.number(v, decimals(v, unit: unit))
    }

    static func pct(_ v: Double?, _ lang: Language = .english) -> String { lang.percent(v) }

    /// The goal as shown in tables: a reduction's limit, "(monitor)" for targets without a figure.
    static func goalText(_ p: TargetProgress, _ lang: Language = .english) -> String {
        if let g = p.target.goal { return g.text(lang) }
        if case .reduction = p.target.measurement, let v = p.value {
            return "≤ " + lang.number(v, v == v.rounded() ? 0 : 2)
        }
        return lang("(monitor)")
    }

    static func table(_ r: ProgressReport, _ lang: Language) -> String {
        var out = lang("Progress as of {1} — {2}", lang.date(r.asOf), r.programme.id) + "\n\n"
        var t = TextTable(
            headers: ["target", "clause", "measure", "unit", "goal", "achieved", "percent", "status"].map { lang($0) },
            alignments: [.left, .left, .left, .left, .right, .right, .right, .left])
        for p in r.targets {
            t.add([
                p.target.id, p.target.clause, lang(p.target.measurement.kindName), lang.unit(p.target.unit),
                goalText(p, lang),
                fmt(p.achieved, unit: p.target.unit, lang), pct(p.percent, lang), lang.status(p.status),
            ])
        }
        out += t.render()
        for p in r.targets
        where r.targets.count <= 3 && !p.localities.isEmpty && p.target.measurement.kindName != "milestone" {
            out += "\n" + lang("{1} by locality ({2}):", p.target.id, lang.unit(p.target.unit)) + "\n"
            var lt = TextTable(
                headers: ["code", "locality", "achieved", "quota", "percent", "status", "projects"].map { lang($0) },
                alignments: [.left, .left, .right, .right, .right, .left, .right])
            for l in p.localities {
                lt.add([
                    l.code, l.name, fmt(l.achieved, unit: p.target.unit, lang), fmt(l.quota, unit: p.target.unit, lang),
                    pct(l.percent, lang),
                    l.status.map(lang.status) ?? "", lang.number(Double(l.projects), 0),
                ])
            }
            lt.add([
                "", lang("province"), fmt(p.achieved, unit: p.target.unit, lang),
                fmt(p.value, unit: p.target.unit, lang), pct(p.percent, lang), lang.status(p.status),
                lang.number(Double(p.projectIDs.count), 0),
            ])
            out += lt.render()
        }
        if !r.warnings.isEmpty {
            out +=
                "\n" + lang("{1} warning(s):", lang.number(Double(r.warnings.count), 0)) + "\n"
                + r.warnings.map { "  - [\($0.code)] \($0.message)" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func markdown(_ r: ProgressReport, _ lang: Language) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        let head = ["target", "clause", "unit", "goal", "achieved", "%", "status"].map { lang($0) }.joined(
            separator: " | ")
        var out =
            "# " + lang("Progress as of {1}", lang.date(r.asOf)) + "\n\n| \(head) |\n|---|---|---|---:|---:|---:|---|\n"
        for p in r.targets {
            out +=
                "| \(esc(lang.title(p.target, distinct: false))) (`\(p.target.id)`) | \(p.target.clause) | \(esc(lang.unit(p.target.unit))) | \(esc(goalText(p, lang))) | \(fmt(p.achieved, unit: p.target.unit, lang)) | \(pct(p.percent, lang)) | \(lang.status(p.status)) |\n"
        }
        let locHead = ["code", "locality", "achieved", "quota", "%", "status"].map { lang($0) }.joined(separator: " | ")
        for p in r.targets
        where !p.localities.isEmpty && p.target.measurement.kindName != "milestone" && p.localities.count > 1 {
            out +=
                "\n## " + lang("{1} by locality", esc(lang.title(p.target)))
                + "\n\n| \(locHead) |\n|---|---|---:|---:|---:|---|\n"
            for l in p.localities {
                out +=
                    "| \(l.code) | \(esc(l.name)) | \(fmt(l.achieved, unit: p.target.unit, lang)) | \(fmt(l.quota, unit: p.target.unit, lang)) | \(pct(l.percent, lang)) | \(l.status.map(lang.status) ?? "") |\n"
            }
        }
        if !r.warnings.isEmpty {
            out +=
                "\n## " + lang("Warnings") + "\n\n" + r.warnings.map { "- \(esc($0.message))" }.joined(separator: "\n")
                + "\n"
        }
        return out
    }

    static func csv(_ r: ProgressReport) -> String {
        var rows: [[String]] = []
        func n(_ v: Double?) -> String { v.map { JSONValue.format($0, decimals: 6) } ?? "" }
        for p in r.targets {
            rows.append([
                r.asOf.description, p.target.id, "", "province", p.target.unit, n(p.value), n(p.achieved), n(p.percent),
                p.status.rawValue,
            ])
            for l in p.localities {
                rows.append([
                    r.asOf.description, p.target.id, l.code, l.name, p.target.unit, n(l.quota), n(l.achieved),
                    n(l.percent), l.status?.rawValue ?? "",
                ])
            }
        }
        for w in r.warnings { rows.append([r.asOf.description, "warning", w.code, w.message, "", "", "", "", ""]) }
        return CSV.render(
            headers: [
                "as_of", "target", "locality_code", "locality_name", "unit", "quota_or_value", "achieved", "percent",
                "status",
            ], rows: rows)
    }

    /// Localities with the figures of the first target as properties (one feature per locality).
    static func geojson(_ r: ProgressReport, localities: LocalityDirectory, decimals: Int) -> String {
        GeoJSONWriter(decimals: decimals).collection(localityFeatures(r, localities: localities), name: "progress")
    }

    /// One feature per locality with the report's figures as properties (prefixed by target id when several).
    ///
    /// Each feature's id is the locality code and its geometry the boundary in WGS 84; write them
    /// with ``GeoJSONWriter``, or swap in simplified geometries first.
    public static func localityFeatures(_ r: ProgressReport, localities: LocalityDirectory) -> [GeoJSONFeature] {
        var features: [GeoJSONFeature] = []
        let warnings = JSONValue.array(
            r.warnings.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) })
        for l in localities.all {
            var props: [(String, JSONValue)] = [
                ("code", .string(l.code)), ("name", .string(l.name)), ("type", .str(l.type)),
                ("as_of", .string(r.asOf.description)),
            ]
            for p in r.targets {
                let prefix = r.targets.count == 1 ? "" : p.target.id + "."
                if r.targets.count == 1 {
                    props.append(("target", .string(p.target.id)))
                    props.append(("unit", .string(p.target.unit)))
                }
                if let lp = p.localities.first(where: { $0.code == l.code }) {
                    for (k, v) in localityJSON(lp) where k != "code" && k != "name" { props.append((prefix + k, v)) }
                } else {
                    props.append((prefix + "achieved", .null))
                }
            }
            props.append(("warnings", warnings))
            features.append(GeoJSONFeature(id: l.code, geometry: l.geometry, properties: props))
        }
        return features
    }
}
