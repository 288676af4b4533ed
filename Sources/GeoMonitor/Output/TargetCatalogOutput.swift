/// Renders a ``TargetCatalog`` as `geomonitor targets` prints it.
public enum TargetCatalogOutput {
    /// A table (id, clause, measure, unit, goal or `(monitor)`, scope, title) and a count line.
    public static func table(_ catalog: TargetCatalog) -> String {
        var t = TextTable(headers: ["id", "clause", "measure", "unit", "goal", "scope", "title"])
        for x in catalog.targets {
            t.add([
                x.id, x.clause, x.measurement.kindName, x.unit, x.goal?.text ?? "(monitor)", x.scope ?? "province",
                x.title,
            ])
        }
        return t.render() + "\(catalog.targets.count) targets\n"
    }

    /// A pretty-printed JSON array of `{id, clause, title, text, measure, unit, value, scope}`
    /// objects (`value`: the goal's figure, null when the target only monitors), with a final newline.
    public static func json(_ catalog: TargetCatalog) -> String {
        JSONValue.array(
            catalog.targets.map { x in
                .object([
                    ("id", .string(x.id)), ("clause", .string(x.clause)), ("title", .string(x.title)),
                    ("text", .string(x.text)),
                    ("measure", .string(x.measurement.kindName)), ("unit", .string(x.unit)),
                    ("value", .num(x.goal?.figure)),
                    ("scope", .string(x.scope ?? "province")),
                ])
            }
        ).serialized(pretty: true) + "\n"
    }
}
