/// One version of an official administrative unit of the unit list (a gazetteer entry): a
/// province, a district-level unit or a commune-level unit, with the days it was in force.
///
/// A code alone does not name a unit (code 682 was Huyện Đạ Tẻh in 2024 and Huyện Đạ Huoai from
/// 2025-01-01): code and date do.
public struct AdministrativeUnit: Sendable, Hashable {
    /// The level of a unit in the hierarchy.
    public enum Level: String, Sendable, CaseIterable, Comparable {
        /// A province or centrally run city (2-digit GSO code).
        case province
        /// A district-level unit: huyện, quận, thị xã, thành phố thuộc tỉnh (3-digit code; abolished 2025-07-01).
        case district
        /// A commune-level unit: xã, phường, thị trấn, đặc khu (5-digit code).
        case commune

        /// Provinces first, communes last.
        public static func < (a: Level, b: Level) -> Bool {
            let order: [Level] = [.province, .district, .commune]
            return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
        }

        /// The words `--level` accepts, comma-separated, for error messages.
        public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    /// The unit's level.
    public var level: Level
    /// The GSO code (2, 3 or 5 digits, leading zeros kept).
    public var code: String
    /// The short name ("Đà Lạt").
    public var name: String
    /// The full name with its type word ("Thành phố Đà Lạt").
    public var fullName: String
    /// The unit type ("Huyện", "Thành phố thuộc tỉnh", "Xã", "Đặc khu").
    public var type: String
    /// The parent's code: the province of a district; the district of a commune before
    /// 2025-07-01, its province after. Nil for a province.
    public var parent: String?
    /// The first day of this version; nil when it was in force at the list's first edition.
    public var validFrom: Day?
    /// The last day of this version (included); nil when still in force at the list's last edition.
    public var validTo: Day?
    /// The decree of the edition where this version starts, if recorded.
    public var decree: String?

    /// A unit version from its parts.
    public init(
        level: Level, code: String, name: String, fullName: String, type: String, parent: String?,
        validFrom: Day?, validTo: Day?, decree: String? = nil
    ) {
        self.level = level
        self.code = code
        self.name = name
        self.fullName = fullName
        self.type = type
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
        self.decree = decree
    }

    /// Whether this version was in force on `day` (both ends included).
    public func inForce(on day: Day) -> Bool {
        if let f = validFrom, day < f { return false }
        if let t = validTo, day > t { return false }
        return true
    }
}
