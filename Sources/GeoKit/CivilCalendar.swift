/// Days counted from 1970-01-01 in the proleptic Gregorian calendar (the count GDAL's
/// `CPLYMDHMSToUnixTime` and Arrow's `date32` use), turned into calendar dates.
public enum CivilCalendar {
    /// The year, month (1–12) and day (1–31) `days` days after 1970-01-01 (before it when
    /// negative); years before 1 come as 0 or negative.
    ///
    /// Civil-from-days after H. Hinnant, "chrono-Compatible Low-Level Date Algorithms": eras of
    /// 400 years (146,097 days), years starting on 1 March.
    public static func date(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
