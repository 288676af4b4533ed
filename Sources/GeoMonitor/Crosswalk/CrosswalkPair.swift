/// One pair of a crosswalk: the part of a unit of the `from` edition lying in a unit of the `to` edition.
public struct CrosswalkPair: Sendable, Hashable {
    /// The unit of the `from` edition: code and name.
    public var fromCode: String
    /// The name of the `from` unit.
    public var fromName: String
    /// The unit of the `to` edition: code.
    public var toCode: String
    /// The name of the `to` unit.
    public var toName: String
    /// Geodesic area of the intersection (GEOS), hectares.
    public var areaHa: Double
    /// areaHa / the `from` unit's area (0–1).
    public var shareOfFrom: Double
    /// areaHa / the `to` unit's area (0–1).
    public var shareOfTo: Double

    /// A pair from its parts.
    public init(
        fromCode: String, fromName: String, toCode: String, toName: String, areaHa: Double, shareOfFrom: Double,
        shareOfTo: Double
    ) {
        self.fromCode = fromCode
        self.fromName = fromName
        self.toCode = toCode
        self.toName = toName
        self.areaHa = areaHa
        self.shareOfFrom = shareOfFrom
        self.shareOfTo = shareOfTo
    }
}
