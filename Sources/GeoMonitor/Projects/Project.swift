import GeoKit

/// What a project is, in the programme's canonical vocabulary.
public enum ProjectKind: String, Sendable, CaseIterable, Codable, Comparable {
    case forestPlanting = "forest_planting"
    case road
    case urbanUpgrade = "urban_upgrade"
    case resettlementArea = "resettlement_area"
    case market
    case publicFacility = "public_facility"
    case energy
    case tourism
    case other

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    /// The canonical names, for error messages.
    public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Where a project stands. The first five are a lifecycle in order; `stalled` and `cancelled` are off it.
public enum ProjectStatus: String, Sendable, CaseIterable, Codable, Comparable {
    case planned, approved
    case siteClearance = "site_clearance"
    case underConstruction = "under_construction"
    case completed, stalled, cancelled

    /// Position in the lifecycle (stalled counts as approved, cancelled as nothing).
    public var rank: Int {
        switch self {
        case .planned: return 0
        case .approved, .stalled: return 1
        case .siteClearance: return 2
        case .underConstruction: return 3
        case .completed: return 4
        case .cancelled: return -1
        }
    }

    /// True when this status is at or past `other` in the lifecycle.
    public func hasReached(_ other: ProjectStatus) -> Bool {
        if self == other { return true }
        if self == .cancelled || self == .stalled { return false }
        return rank >= other.rank
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A calendar day (no time zone): the unit of every date in the programme.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Day.daysIn(year, month)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses ISO `yyyy-mm-dd` (a time part after it is ignored).
    public init?(iso s: String) {
        let t = s.trimmingCharacters(in: .whitespaces)
        let parts = t.prefix(10).split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `dd/mm/yyyy` (also with `-` or `.` separators), the Vietnamese habit.
    public init?(dmy s: String) {
        let parts = s.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, parts[2].count == 4, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    /// Today in the local calendar.
    public static var today: Day {
        let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? Day(year: 1970, month: 1, day: 1)!
    }
}

import Foundation

/// A project or forest plot: a geometry with the attributes the programme's targets are measured on.
public struct Project: Sendable, Identifiable, Hashable {
    public var id: String
    public var name: String
    public var kind: ProjectKind
    public var status: ProjectStatus
    /// The day the current status was reached.
    public var date: Day?
    /// The geometry in WGS 84 longitude/latitude.
    public var geometry: Geometry
    /// Declared figures from attributes (nil where the source has none).
    public var trees: Double?
    public var declaredAreaHa: Double?
    public var declaredLengthKm: Double?
    public var budget: Double?
    /// Locality named by an attribute (free text), to cross-check against the geometry.
    public var localityAttribute: String?
    /// Target ids the project is linked to explicitly.
    public var targets: [String]
    /// Measured from the geometry: geodesic area (ha) for polygons, length (km) for lines.
    public var areaHa: Double
    public var lengthKm: Double
    /// Where it came from: source file, layer and feature id.
    public var source: String
    public var layer: String
    public var fid: Int64

    public init(id: String, name: String, kind: ProjectKind, status: ProjectStatus, date: Day?, geometry: Geometry,
                trees: Double? = nil, declaredAreaHa: Double? = nil, declaredLengthKm: Double? = nil, budget: Double? = nil,
                localityAttribute: String? = nil, targets: [String] = [], areaHa: Double = 0, lengthKm: Double = 0,
                source: String = "", layer: String = "", fid: Int64 = 0) {
        self.id = id; self.name = name; self.kind = kind; self.status = status; self.date = date; self.geometry = geometry
        self.trees = trees; self.declaredAreaHa = declaredAreaHa; self.declaredLengthKm = declaredLengthKm; self.budget = budget
        self.localityAttribute = localityAttribute; self.targets = targets; self.areaHa = areaHa; self.lengthKm = lengthKm
        self.source = source; self.layer = layer; self.fid = fid
    }
}
