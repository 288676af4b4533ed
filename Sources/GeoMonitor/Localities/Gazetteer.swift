/// A locality source's `gazetteer:` key: match every feature by name (and type, where the file
/// gives one) to the official unit in force at the edition's date within some provinces, and use
/// the official code, name and type (the file's stay as `source_name` / `source_code`).
///
/// ```yaml
/// gazetteer: {country: VN, provinces: ["68", "67", "60"]}   # level, as_of: optional
/// ```
public struct Gazetteer: Sendable, Hashable {
    /// The country whose embedded unit list is used (``UnitList/countries``).
    public var country: String
    /// The provinces (GSO codes) whose units the features are matched to; empty for the whole country.
    public var provinces: [String]
    /// The level the features are units of; nil: districts when any are in force in those
    /// provinces on the date, else communes.
    public var level: AdministrativeUnit.Level?
    /// The date the units are taken in force (`as_of:`); nil: the edition's first day.
    public var asOf: Day?

    /// A gazetteer setting from its parts.
    public init(country: String, provinces: [String], level: AdministrativeUnit.Level? = nil, asOf: Day? = nil) {
        self.country = country
        self.provinces = provinces
        self.level = level
        self.asOf = asOf
    }
}
