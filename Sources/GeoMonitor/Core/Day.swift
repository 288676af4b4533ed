import Foundation

/// A calendar day (no time zone): the unit of every date in the programme.
///
/// Proleptic Gregorian, years 1–9999. `description` is ISO `yyyy-mm-dd`.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The year, 1–9999.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, 1–31 (checked against the month and leap years on creation).
    public var day: Int

    /// A day from its parts, or nil when they name no real day (31 April, 29 February 2023, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Day.daysIn(year, month)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses ISO `yyyy-mm-dd` (a time part after it is ignored).
    /// - Throws: ``GeoMonitorError`` of kind `.value` when `s` is not such a date or names no
    ///   real day (`2023-02-29`).
    public init(iso s: String) throws {
        guard let d = Day.parse(iso: s) else { throw GeoMonitorError(.value, "'\(s)' is not a date (use YYYY-MM-DD)") }
        self = d
    }

    /// ISO `yyyy-mm-dd` (a time part after it is ignored) as a day, nil when it is none: for
    /// readers that report a bad date in their own words (the manifest, a source's date column).
    static func parse(iso s: String) -> Day? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let parts = t.prefix(10).split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// Parses `dd/mm/yyyy` (also with `-` or `.` separators), the Vietnamese habit.
    public init?(dmy s: String) {
        let parts = s.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }
        )
        guard parts.count == 3, parts[2].count == 4, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2])
        else { return nil }
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

    /// Chronological order.
    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// ISO `yyyy-mm-dd`, zero-padded.
    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            let y = String(year)
            let m = month < 10 ? "0\(month)" : "\(month)"
            let d = day < 10 ? "0\(day)" : "\(day)"
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
        }
        // Ten ASCII digits and dashes, written in place (a date per feature in large outputs).
        let (y, m, d) = (year, month, day)
        return String(unsafeUninitializedCapacity: 10) { b in
            func digit(_ v: Int) -> UInt8 { 0x30 + UInt8(truncatingIfNeeded: v) }
            b[0] = digit(y / 1000)
            b[1] = digit(y / 100 % 10)
            b[2] = digit(y / 10 % 10)
            b[3] = digit(y % 10)
            b[4] = 0x2D
            b[5] = digit(m / 10)
            b[6] = digit(m % 10)
            b[7] = 0x2D
            b[8] = digit(d / 10)
            b[9] = digit(d % 10)
            return 10
        }
    }

    /// Today in the local calendar.
    public static var today: Day {
        let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? Day(year: 1970, month: 1, day: 1)!
    }
}
