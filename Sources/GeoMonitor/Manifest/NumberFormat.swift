/// How numbers written as text are read (a project source's `number_format:`, by default the
/// manifest's `language:`): which character groups thousands and which marks the decimals.
///
/// Cells that are numbers in the file (a numeric XLSX cell, a real DBF field) are taken as they
/// are; only text is read by notation.
public enum NumberFormat: String, Sendable, CaseIterable {
    /// Vietnamese notation: `1.250,5` (dot groups thousands, comma marks decimals).
    case vi
    /// English notation: `1,250.5` (comma groups thousands, dot marks decimals).
    case en

    /// The notation's name for messages, with an example.
    public var displayName: String { self == .vi ? "Vietnamese notation (1.250,5)" : "English notation (1,250.5)" }

    /// The number `text` writes in this notation: digits with an optional sign, thousands grouped
    /// by threes or not grouped at all, and an optional decimal part. Nil when it does not fit.
    public func parse(_ text: String) -> Double? {
        let group: Character = self == .vi ? "." : ","
        let decimal: Character = self == .vi ? "," : "."
        var t = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var sign = ""
        if let f = t.first, f == "-" || f == "+" {
            sign = f == "-" ? "-" : ""
            t = t.dropFirst()
        }
        let halves = t.split(separator: decimal, omittingEmptySubsequences: false)
        guard halves.count <= 2, var whole = halves.first else { return nil }
        var digits = ""
        if halves.count == 2 {
            // ".5" and "1." as well as "1.5".
            let fraction = halves[1]
            guard !(whole.isEmpty && fraction.isEmpty), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            if !fraction.isEmpty { digits = "." + fraction }
            if whole.isEmpty { whole = "0" }
        }
        let groups = whole.split(separator: group, omittingEmptySubsequences: false)
        guard let lead = groups.first, !lead.isEmpty, lead.allSatisfy(\.isASCIIDigit) else { return nil }
        if groups.count > 1 {
            // Grouped: 1–3 leading digits (not a lone zero), then groups of exactly three.
            guard lead.count <= 3, lead.first != "0" else { return nil }
            for g in groups.dropFirst() { guard g.count == 3, g.allSatisfy(\.isASCIIDigit) else { return nil } }
        }
        return Double(sign + groups.joined() + digits)
    }

    /// Reads text whose notation the source does not declare: the value when both notations
    /// read it the same or only one reads it; `.ambiguous` when they read it differently
    /// ("1,250": 1250 in English, 1.25 in Vietnamese); `.none` when neither does.
    static func undeclared(_ text: String) -> Undeclared {
        let en = NumberFormat.en.parse(text)
        let vi = NumberFormat.vi.parse(text)
        switch (en, vi) {
        case (nil, nil): return .none
        case (let a?, nil): return .value(a, .en)
        case (nil, let b?): return .value(b, .vi)
        case (let a?, let b?): return a == b ? .value(a, nil) : .ambiguous(en: a, vi: b)
        }
    }

    /// What ``undeclared(_:)`` found.
    enum Undeclared: Equatable {
        /// The value, and the notation it was read in when only one fits.
        case value(Double, NumberFormat?)
        /// Both notations read it, differently.
        case ambiguous(en: Double, vi: Double)
        /// Neither reads it.
        case none
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
