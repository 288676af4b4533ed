/// A librsvg or cairo failure, in one line (the page and what failed).
public struct PrintError: Error, CustomStringConvertible, Sendable {
    /// What failed, e.g. "page 3: librsvg cannot read the SVG: …".
    public let message: String
    /// The failure in one line.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
