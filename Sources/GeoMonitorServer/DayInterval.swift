import GeoMonitor

/// A `datetime` parameter: a day or an interval with open (`..` or empty) ends.
///
/// Each end is an RFC 3339 `full-date` (`2024-05-30`) or `date-time`
/// (`2024-05-30T10:00:00Z`, `2024-05-30T10:00:00.5+07:00`): hours 00–23, minutes 00–59,
/// seconds 00–60 and a zone (`Z` or `±hh:mm`) are required, so `2024-05-30T25:61:61Z` and a
/// local time without zone are refused. An instant is taken at its calendar date as written.
struct DayInterval: Sendable, Equatable {
    var start: Day?
    var end: Day?

    /// The rule as `/api` states it.
    static let rule =
        "A day (RFC 3339 full-date, YYYY-MM-DD) or instant (RFC 3339 date-time with a zone, e.g. 2024-05-30T10:00:00Z or 2024-05-30T10:00:00+07:00; an instant is taken at its calendar date as written), or an interval a/b of them where '..' or an empty string is an open end"

    static func parse(_ s: String) throws -> DayInterval {
        func end(_ t: Substring) throws -> Day? {
            if t.isEmpty || t == ".." { return nil }
            guard let d = day(String(t)) else {
                throw APIError.badRequest(
                    "datetime: '\(APIError.echo(String(t)))' is not an RFC 3339 date (YYYY-MM-DD) or date-time with a zone (YYYY-MM-DDThh:mm:ssZ)"
                )
            }
            return d
        }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let d = try end(parts[0]) else {
                throw APIError.badRequest("datetime: '\(APIError.echo(s))' is not a date or an interval")
            }
            return DayInterval(start: d, end: d)
        case 2:
            let a = try end(parts[0])
            let b = try end(parts[1])
            if a == nil && b == nil && !(parts[0] == ".." || parts[1] == "..") {
                throw APIError.badRequest("datetime: '\(APIError.echo(s))' has no bound")
            }
            if let a, let b, a > b { throw APIError.badRequest("datetime: start \(a) is after end \(b)") }
            return DayInterval(start: a, end: b)
        default:
            throw APIError.badRequest("datetime: '\(APIError.echo(s))' is not a date or an interval a/b")
        }
    }

    /// An RFC 3339 full-date or date-time (with zone), as its calendar day; nil when malformed.
    static func day(_ s: String) -> Day? {
        let b = Array(s.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 10, let y = digits(0, 4), b[4] == 0x2D, let m = digits(5, 2), b[7] == 0x2D,
            let d = digits(8, 2),
            let date = Day(year: y, month: m, day: d)
        else { return nil }
        if b.count == 10 { return date }
        // date-time: T hh:mm:ss [.frac] (Z | ±hh:mm)
        guard b[10] == 0x54 || b[10] == 0x74, let hh = digits(11, 2), hh <= 23, b.count > 13, b[13] == 0x3A,
            let mm = digits(14, 2), mm <= 59, b.count > 16, b[16] == 0x3A, let ss = digits(17, 2), ss <= 60
        else { return nil }
        var i = 19
        if i < b.count, b[i] == 0x2E {
            i += 1
            let first = i
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            guard i > first else { return nil }
        }
        guard i < b.count else { return nil }  // no zone: a local time is ambiguous
        if b[i] == 0x5A || b[i] == 0x7A { return i + 1 == b.count ? date : nil }
        guard b[i] == 0x2B || b[i] == 0x2D, i + 6 == b.count, let oh = digits(i + 1, 2), oh <= 23, b[i + 3] == 0x3A,
            let om = digits(i + 4, 2), om <= 59
        else { return nil }
        return date
    }

    func contains(_ d: Day) -> Bool {
        if let start, d < start { return false }
        if let end, d > end { return false }
        return true
    }
}
