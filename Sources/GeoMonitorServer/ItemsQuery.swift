import GeoKit
import GeoMonitor

/// The query of `/collections/{id}/items`, parsed and checked by ``ParameterRules``.
struct ItemsQuery: Sendable {
    static let defaultLimit = 100
    static let maxLimit = 10_000
    static let maxOffset = 1_000_000_000

    var limit = defaultLimit
    var offset = 0
    /// The box asked for (it may cross the antimeridian).
    var bbox: LonLatBox?
    var datetime: DayInterval?
    var kinds: Set<ProjectKind> = []
    var statuses: Set<ProjectStatus> = []
    /// The locality asked for, resolved to its code.
    var district: String?
    var target: String?
    var asOf: Day?

    /// Parses parameters already checked by ``ParameterRules/check(_:allowed:route:)``.
    static func parse(_ params: [(String, String)], localities: LocalityDirectory, targets: [String]) throws
        -> ItemsQuery
    {
        var q = ItemsQuery()
        for (k, v) in params {
            switch k {
            case "limit": q.limit = try ParameterRules.integer("limit", v, 1...maxLimit)
            case "offset": q.offset = try ParameterRules.integer("offset", v, 0...maxOffset)
            case "bbox": q.bbox = try ParameterRules.bbox(v)
            case "datetime": q.datetime = try DayInterval.parse(v)
            case "kind":
                for s in v.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let k = ProjectKind(rawValue: String(s)) else {
                        throw APIError.badRequest(
                            "kind: unknown kind '\(APIError.echo(String(s)))'; kinds: \(ProjectKind.vocabulary)")
                    }
                    q.kinds.insert(k)
                }
            case "status":
                for s in v.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let k = ProjectStatus(rawValue: String(s)) else {
                        throw APIError.badRequest(
                            "status: unknown status '\(APIError.echo(String(s)))'; statuses: \(ProjectStatus.vocabulary)"
                        )
                    }
                    q.statuses.insert(k)
                }
            case "district":
                do { q.district = try localities.find(v).code } catch let e as GeoMonitorError {
                    // The lookup's message quotes the value whole: quote it cut.
                    throw APIError.badRequest(
                        "district: " + e.message.replacingOccurrences(of: "'\(v)'", with: "'\(APIError.echo(v))'"))
                }
            case "target":
                guard targets.contains(v) else {
                    throw APIError.badRequest(
                        "target: unknown target '\(APIError.echo(v))'; targets: \(targets.joined(separator: ", "))")
                }
                q.target = v
            case "as_of":
                guard v.utf8.count == 10, let d = DayInterval.day(v) else {
                    throw APIError.badRequest("as_of: '\(APIError.echo(v))' is not a date YYYY-MM-DD")
                }
                q.asOf = d
            default: break
            }
        }
        return q
    }

    /// Any filter on the features' attributes (not the box)?
    var hasAttributeFilter: Bool { datetime != nil || !kinds.isEmpty || !statuses.isEmpty || district != nil }
}
