/// One boundary edition of a manifest's `localities:`: the units as drawn for a span of dates,
/// read from one or more boundary files (`sources:` gathers several files, e.g. three old
/// provinces' district files into the merged province).
///
/// ```yaml
/// localities:
///   - {edition: districts-2024, from: 2024-01-01, to: 2025-06-30, source: localities.geojson, fields: {…}}
///   - edition: communes-2025
///     from: 2025-07-01
///     sources: [{source: communes.geojson, fields: {name: ten_xa}}]
///     gazetteer: {country: VN, provinces: ["68"]}
/// ```
/// A single mapping (`localities: {source: …}`) is one edition, id `default`, always in force.
public struct BoundaryEdition: Sendable {
    /// The edition's id (`edition:`), as `--boundaries` names it.
    public var id: String
    /// The first day it is in force (`from:`); nil: always before `to`.
    public var from: Day?
    /// The last day it is in force (`to:`, included); nil: open-ended.
    public var to: Day?
    /// The boundary files of the edition, read in order; their units make one directory.
    public var sources: [Manifest.LocalitySource]
    /// Match the features to the official unit list (`gazetteer:`), if given.
    public var gazetteer: Gazetteer?
    /// Overlaps and gaps below this many hectares are boundary noise (`sliver_ha:`, default 5).
    public var sliverHa: Double = 5
    /// The manifest key of the edition (`localities`, `localities[1]`), for errors.
    public var key: String = "localities"

    /// Whether the edition is in force on `day`.
    public func inForce(on day: Day) -> Bool {
        if let from, day < from { return false }
        if let to, day > to { return false }
        return true
    }

    /// The day the gazetteer takes units in force: its `as_of`, else `from`.
    public var gazetteerDay: Day? { gazetteer?.asOf ?? from }
}
