import GeoKit

extension Day {
    /// The day `ordinal` days after 1970-01-01 (negative before), proleptic Gregorian; nil
    /// outside years 1–9999.
    init?(ordinal: Int) {
        let (y, m, d) = CivilCalendar.date(daysSince1970: ordinal)
        self.init(year: y, month: m, day: d)
    }

    /// An Excel serial day number (1900 date system: 1 = 1900-01-01, 45458 = 2024-06-15); a
    /// fraction (the time of day) is ignored. Nil for 60 (Excel's fictitious 1900-02-29) and
    /// numbers outside 1…2,958,465 (9999-12-31).
    init?(excelSerial value: Double) {
        guard value.isFinite, value >= 1, value < 2_958_466 else { return nil }
        let n = Int(value.rounded(.down))
        guard n != 60 else { return nil }
        // Excel counts 1900 as a leap year: serials from 61 on are one day ahead of the calendar.
        self.init(ordinal: (n < 60 ? -25568 : -25569) + n)
    }

    /// The forms GDAL gives dates in whatever the source's declared format: `yyyy/mm/dd` (a date
    /// cell of a spreadsheet column that also holds text) and ISO `yyyy-mm-dd`, each optionally
    /// followed by a time (` 00:00:00`, `T…`).
    init?(gdalText s: String) {
        let t = s.trimmingCharacters(in: .whitespaces)
        let date = t.prefix { $0 != " " && $0 != "T" }
        let rest = t.dropFirst(date.count)
        guard rest.isEmpty || rest.first == "T" || rest.dropFirst().first?.isASCIIDigit == true else { return nil }
        let parts = date.split(separator: date.contains("/") ? "/" : "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }
}
