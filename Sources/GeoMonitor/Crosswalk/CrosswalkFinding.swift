/// A disagreement between a crosswalk's geometry and the legal membership.
public struct CrosswalkFinding: Sendable, Hashable {
    /// What disagrees: `membership-without-overlap`, `overlap-without-membership`, `full-member-split`
    /// or `membership-code-not-in-force`.
    public var code: String
    /// The `from` unit concerned, if one is.
    public var fromCode: String?
    /// The `to` unit concerned, if one is.
    public var toCode: String?
    /// The finding in words, naming the units and the hectares.
    public var message: String

    /// A finding from its parts.
    public init(code: String, fromCode: String?, toCode: String?, message: String) {
        self.code = code
        self.fromCode = fromCode
        self.toCode = toCode
        self.message = message
    }
}
