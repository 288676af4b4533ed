import GeoKit
import GeoMonitor

/// The one set of rules every query parameter of every route is checked by, and the table
/// `/api` is written from: which parameters a route takes, and what each accepts.
///
/// Rules for every value: percent-encoding must be valid UTF-8; no control character
/// (U+0000–U+001F, U+007F, so an encoded NUL is refused wherever it stands); at most
/// ``QueryParameter/maxLength`` bytes; a parameter not listed for the route is refused; a
/// parameter may be given once (`kind` and `status` may repeat, their values adding up).
enum ParameterRules {
    static func f(_ formats: [String]) -> QueryParameter {
        QueryParameter(
            name: "f", description: "The format of the answer: \(formats.joined(separator: ", "))",
            schema: .object([("type", .string("string")), ("enum", .array(formats.map { .string($0) }))]),
            maxLength: 16, allowedValues: formats)
    }

    static let limit = QueryParameter(
        name: "limit", description: "Features per page: a decimal integer 1…\(ItemsQuery.maxLimit)",
        schema: .object([
            ("type", .string("integer")), ("minimum", .number(1)), ("maximum", .number(Double(ItemsQuery.maxLimit))),
            ("default", .number(Double(ItemsQuery.defaultLimit))),
        ]), maxLength: 16)
    static let offset = QueryParameter(
        name: "offset", description: "Features to skip: a decimal integer 0…\(ItemsQuery.maxOffset)",
        schema: .object([
            ("type", .string("integer")), ("minimum", .number(0)), ("maximum", .number(Double(ItemsQuery.maxOffset))),
            ("default", .number(0)),
        ]), maxLength: 16)
    static let bbox = QueryParameter(
        name: "bbox",
        description:
            "minLon,minLat,maxLon,maxLat or minLon,minLat,minHeight,maxLon,maxLat,maxHeight in CRS84 degrees (heights are ignored: the data is 2-D). minLon > maxLon is a box crossing the antimeridian. Numbers are plain decimals (e.g. -12.5, 1e-3).",
        schema: .object([
            ("type", .string("array")), ("minItems", .number(4)), ("maxItems", .number(6)),
            ("items", .object([("type", .string("number"))])),
        ]), isList: true)
    static let bboxCRS = QueryParameter(
        name: "bbox-crs", description: "The CRS of bbox: only CRS84",
        schema: .object([("type", .string("string")), ("enum", .array([.string(FeaturesAPI.crs84)]))]),
        allowedValues: [FeaturesAPI.crs84.lowercased()])
    static let datetime = QueryParameter(
        name: "datetime", description: DayInterval.rule,
        schema: .object([("type", .string("string"))]), maxLength: 80)
    static let kind = QueryParameter(
        name: "kind", description: "Project kinds, comma-separated (or repeated)",
        schema: .object([
            ("type", .string("array")),
            (
                "items",
                .object([
                    ("type", .string("string")),
                    ("enum", .array(ProjectKind.allCases.map { .string($0.rawValue) })),
                ])
            ),
        ]),
        isList: true)
    static let status = QueryParameter(
        name: "status", description: "Project statuses, comma-separated (or repeated)",
        schema: .object([
            ("type", .string("array")),
            (
                "items",
                .object([
                    ("type", .string("string")),
                    ("enum", .array(ProjectStatus.allCases.map { .string($0.rawValue) })),
                ])
            ),
        ]),
        isList: true)
    static let district = QueryParameter(
        name: "district",
        description:
            "A locality as users type it: a GSO code or a name, with or without diacritics or type word (at most 100 bytes)",
        schema: .object([("type", .string("string")), ("maxLength", .number(100))]), maxLength: 100)
    static func target(_ ids: [String]) -> QueryParameter {
        QueryParameter(
            name: "target", description: "progress: the target id",
            schema: .object([("type", .string("string")), ("enum", .array(ids.map { .string($0) }))]), maxLength: 100)
    }
    static let asOf = QueryParameter(
        name: "as_of", description: "progress: the day of the assessment, YYYY-MM-DD (default today)",
        schema: .object([("type", .string("string")), ("format", .string("date"))]), maxLength: 10)

    /// The parameters of `/collections/{collection}/items`.
    static func items(_ collection: String, targets: [String]) -> [QueryParameter] {
        var s = [f(["json", "geojson"]), limit, offset, bbox, bboxCRS, datetime, district]
        switch collection {
        case "projects": s += [kind, status]
        case "progress": s += [target(targets), asOf]
        default: break
        }
        return s
    }

    /// The parameters of `/collections/{collection}/items/{featureId}`.
    static func item(_ collection: String, targets: [String]) -> [QueryParameter] {
        collection == "progress" ? [f(["json", "geojson"]), target(targets), asOf] : [f(["json", "geojson"])]
    }

    /// Checks every parameter of a request against the route's list (see the type's rules).
    /// - Returns: the parameters in request order.
    static func check(_ params: [(String, String)], allowed: [QueryParameter], route: String) throws -> [(
        String, String
    )] {
        var seen = Set<String>()
        for (k, v) in params {
            guard let p = allowed.first(where: { $0.name == k }) else {
                let names = allowed.map(\.name).sorted()
                throw APIError.badRequest(
                    "unknown query parameter '\(APIError.echo(k))' for \(route); "
                        + (names.isEmpty ? "it takes none" : "allowed: \(names.joined(separator: ", "))"))
            }
            if seen.contains(k) && !(k == "kind" || k == "status") {
                throw APIError.badRequest("parameter '\(k)' given more than once")
            }
            seen.insert(k)
            guard v.utf8.count <= p.maxLength else {
                throw APIError.badRequest(
                    "\(k): the value is \(v.utf8.count) bytes long, more than the limit of \(p.maxLength)")
            }
            if let bad = v.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw APIError.badRequest(
                    "\(k): the value contains the control character U+\(String(format: "%04X", bad.value))")
            }
            if let values = p.allowedValues, !values.contains(v.lowercased()) {
                throw APIError.badRequest(
                    "\(k): '\(APIError.echo(v))' is not supported here; use \(values.joined(separator: " or "))")
            }
        }
        return params
    }

    /// A decimal integer (digits only: no sign, space or hex) within `range`.
    static func integer(_ name: String, _ v: String, _ range: ClosedRange<Int>) throws -> Int {
        guard !v.isEmpty, v.utf8.count <= 12, v.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(v) else {
            throw APIError.badRequest("\(name): '\(APIError.echo(v))' is not a decimal integer")
        }
        guard range.contains(n) else {
            throw APIError.badRequest("\(name): \(n) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return n
    }

    /// A `bbox` value by the rules of ``LonLatBox/init(parsing:)`` (4 or 6 numbers; minLon >
    /// maxLon crosses the antimeridian; heights checked and ignored), refused with a 400 naming the rule.
    static func bbox(_ v: String) throws -> LonLatBox {
        do {
            return try LonLatBox(parsing: v)
        } catch {
            switch error {
            case .notNumbers:
                throw APIError.badRequest(
                    "bbox: expected 4 numbers minLon,minLat,maxLon,maxLat (or 6 with heights), got '\(APIError.echo(v))'"
                )
            case .heightsReversed:
                throw APIError.badRequest("bbox: minHeight exceeds maxHeight in '\(APIError.echo(v))'")
            case .notDegrees:
                throw APIError.badRequest(
                    "bbox: '\(APIError.echo(v))' is not longitude/latitude in degrees (lon −180…180, lat −90…90)")
            case .latitudesReversed: throw APIError.badRequest("bbox: minLat exceeds maxLat in '\(APIError.echo(v))'")
            }
        }
    }
}
