/// Renders query rows as a table, JSON, CSV or GeoJSON.
public enum QueryOutput {
    /// An output format; the raw value is the command line's `--format` word.
    public enum Format: String, Sendable, CaseIterable {
        /// A terminal table (id, name, kind, status, date, locality, share, measure) and a count line.
        case table
        /// A JSON array of row objects: id, name, kind, status, date, locality {code, name},
        /// share, area_ha or length_km inside (lines: on_border_km, the part of it on a shared border), trees × share, declared figures, targets, source.
        case json
        /// RFC 4180 CSV, one line per row (formula injection neutralised).
        case csv
        /// An RFC 7946 FeatureCollection, one feature per row with the whole project geometry;
        /// ids are `project@locality` for rows of a locality.
        case geojson
    }

    /// The rows as text in `format`.
    /// - Parameters:
    ///   - rows: rows from ``Dataset/query(_:assignment:timings:)``.
    ///   - format: the output format.
    ///   - decimals: decimal places of GeoJSON coordinates (7 ≈ 1 cm); other formats ignore it.
    ///   - language: the words, numbers and dates of the table (the other formats are canonical).
    public static func render(_ rows: [QueryRow], as format: Format, decimals: Int = 7, language: Language = .english)
        -> String
    {
        switch format {
        case .table: return table(rows, language)
        case .json: return JSONValue.array(rows.map { .object(properties($0)) }).serialized(pretty: true) + "\n"
        case .csv:
            let headers = [
                "id", "name", "kind", "status", "date", "locality_code", "locality_name", "share", "area_ha",
                "length_km", "on_border_km",
            ]
            return CSV.render(
                headers: headers,
                rows: rows.map { r in
                    [
                        r.project.id, r.project.name, r.project.kind.rawValue, r.project.status.rawValue,
                        r.project.date?.description ?? "",
                        r.locality?.code ?? "", r.locality?.name ?? "", JSONValue.format(r.share, decimals: 4),
                        r.project.geometry.dimension == .area ? JSONValue.format(r.areaHa, decimals: 4) : "",
                        r.project.geometry.dimension == .line ? JSONValue.format(r.lengthKm, decimals: 4) : "",
                        r.project.geometry.dimension == .line ? JSONValue.format(r.onBorderKm, decimals: 4) : "",
                    ]
                })
        case .geojson:
            let features = rows.map { r in
                GeoJSONFeature(
                    id: r.locality.map { "\(r.project.id)@\($0.code)" } ?? r.project.id, geometry: r.project.geometry,
                    properties: properties(r))
            }
            return GeoJSONWriter(decimals: decimals).collection(features, name: "projects")
        }
    }

    /// The documented JSON shape of one row.
    static func properties(_ r: QueryRow) -> [(String, JSONValue)] {
        let p = r.project
        var o: [(String, JSONValue)] = [
            ("id", .string(p.id)), ("name", .string(p.name)), ("kind", .string(p.kind.rawValue)),
            ("status", .string(p.status.rawValue)),
            ("date", .str(p.date?.description)),
            (
                "locality",
                r.locality.map { .object([("code", .string($0.code)), ("name", .string($0.name))]) } ?? .null
            ),
            ("share", .number(round6(r.share))),
        ]
        switch p.geometry.dimension {
        case .area: o.append(("area_ha", .number(round6(r.areaHa))))
        case .line:
            o.append(("length_km", .number(round6(r.lengthKm))))
            o.append(("on_border_km", .number(round6(r.onBorderKm))))
        case .point: break
        }
        if let t = p.trees { o.append(("trees", .number(round6(t * r.share)))) }
        if let a = p.declaredAreaHa { o.append(("declared_area_ha", .number(a))) }
        if let b = p.budget { o.append(("budget", .number(b))) }
        if !p.targets.isEmpty { o.append(("targets", .array(p.targets.map { .string($0) }))) }
        o.append(("source", .string(p.source)))
        return o
    }

    static func round6(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }

    static func table(_ rows: [QueryRow], _ l: Language) -> String {
        var t = TextTable(
            headers: ["id", "name", "kind", "project status", "date", "locality", "share", "size"].map { l($0) },
            alignments: [.left, .left, .left, .left, .left, .left, .right, .right])
        for r in rows {
            let p = r.project
            let measure: String
            switch p.geometry.dimension {
            case .area: measure = l.number(r.areaHa, 2) + " ha"
            case .line:
                measure =
                    l.number(r.lengthKm, 2) + " km"
                    + (r.onBorderKm > 0 ? " (" + l("{1} on border", l.number(r.onBorderKm, 2) + " km") + ")" : "")
            case .point: measure = l("point")
            }
            t.add([
                p.id, String(p.name.prefix(40)), l.kind(p.kind), l.projectStatus(p.status),
                p.date.map { l.date($0) } ?? "",
                r.locality.map { $0.displayName } ?? l("(outside)"), l.percent(r.share * 100), measure,
            ])
        }
        return t.render()
            + l(
                "{1} row(s), {2} project(s)", l.number(Double(rows.count), 0),
                l.number(Double(Set(rows.map(\.project.id)).count), 0)) + "\n"
    }
}
