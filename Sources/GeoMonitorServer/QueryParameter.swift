import GeoMonitor

/// One query parameter a route takes: its name, its description and its JSON schema, as `/api`
/// states them. ``ParameterRules`` checks every request against the same values.
struct QueryParameter: Sendable {
    let name: String
    let description: String
    /// The OpenAPI 3.0 schema object.
    let schema: JSONValue
    /// Comma-separated lists (`bbox`, `kind`, `status`): OpenAPI `style: form, explode: false`.
    var isList = false
    /// The longest value accepted, in bytes (longer: 400, and the value is not echoed).
    var maxLength = 256
    /// Values the parameter takes (compared in lower case); nil when any value of the schema.
    var allowedValues: [String]? = nil

    /// The OpenAPI parameter object.
    var openAPI: JSONValue {
        var o: [(String, JSONValue)] = [
            ("name", .string(name)), ("in", .string("query")), ("required", .bool(false)),
            ("description", .string(description)),
        ]
        if isList { o += [("style", .string("form")), ("explode", .bool(false))] }
        o.append(("schema", schema))
        return .object(o)
    }
}
