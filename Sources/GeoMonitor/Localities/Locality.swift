import GeoKit

/// An administrative unit: a province, a district-level unit (huyện, thành phố, thị xã) or a commune.
public struct Locality: Sendable, Hashable, Identifiable {
    /// The GSO code, e.g. "672" for Thành phố Đà Lạt.
    public var code: String
    /// The name as the source spells it, without normalisation.
    public var name: String
    /// The unit type as the source gives it ("Huyện", "Thành phố"), if it does.
    public var type: String?
    /// The parent unit's code (the province for a district), if known.
    public var parent: String?
    /// The boundary in WGS 84 longitude/latitude.
    public var geometry: Geometry
    /// Geodesic area in hectares.
    public var areaHa: Double
    /// The name as the boundary file spells it, when a gazetteer replaced it with the official one.
    public var sourceName: String? = nil
    /// The file's own code, when a gazetteer replaced it with the official one (nil when the file has none).
    public var sourceCode: String? = nil

    /// The GSO code: a locality's identity (its `Identifiable` id).
    public var id: String { code }

    /// "Huyện Lâm Hà" when the type is known and not already part of the name, else the name.
    public var displayName: String {
        guard let type, !type.isEmpty, VietnameseNames.typeWord(name) == nil else { return name }
        return "\(type) \(name)"
    }

    /// A locality from its parts. `geometry` is WGS 84 longitude/latitude; `areaHa` is taken as
    /// given (loading computes it geodesically).
    /// `sourceName` / `sourceCode`: the file's own spelling and code, when they were replaced by official ones.
    public init(
        code: String, name: String, type: String? = nil, parent: String? = nil, geometry: Geometry, areaHa: Double,
        sourceName: String? = nil, sourceCode: String? = nil
    ) {
        self.code = code
        self.name = name
        self.type = type
        self.parent = parent
        self.geometry = geometry
        self.areaHa = areaHa
        self.sourceName = sourceName
        self.sourceCode = sourceCode
    }
}

/// The localities of a dataset, with the lookups users need: by GSO code, or by name typed
/// any way a Vietnamese user types it.
public struct LocalityDirectory: Sendable {
    /// The localities, in the source's order.
    public let all: [Locality]
    /// The province the localities belong to, when the manifest names it.
    public let province: Province?
    private let byCode: [String: Int]
    /// The assignment's grid of these localities, built on first use.
    let gridCache = LocalityGrid()

    /// A province: the root of the hierarchy.
    public struct Province: Sendable, Hashable {
        /// The province's GSO code, e.g. "68" for Lâm Đồng.
        public var code: String
        /// The province's name, e.g. "Lâm Đồng".
        public var name: String
        /// Its type word ("Tỉnh", or "Thành phố" for a centrally run city), if given.
        public var type: String?
        /// A province as a manifest's `province:` key gives it.
        public init(code: String, name: String, type: String? = nil) {
            self.code = code
            self.name = name
            self.type = type
        }
    }

    /// A directory of localities in the given order; when two share a code, lookups by code
    /// find the first.
    public init(_ localities: [Locality], province: Province? = nil) {
        all = localities
        self.province = province
        var m: [String: Int] = [:]
        for (i, l) in localities.enumerated() where m[l.code] == nil { m[l.code] = i }
        byCode = m
    }

    /// The locality with exactly this GSO code, or nil (no name matching; see ``find(_:)``).
    public subscript(code code: String) -> Locality? { byCode[code].map { all[$0] } }

    /// The index of a locality in `all`.
    public func index(ofCode code: String) -> Int? { byCode[code] }

    /// Children of a unit (the districts of a province, the communes of a district).
    public func children(of code: String) -> [Locality] { all.filter { $0.parent == code } }

    /// Finds one locality from what a user typed: a GSO code, or a name in any case, with or
    /// without diacritics or its type word. Throws a `lookup` error naming the closest candidates
    /// when nothing or more than one unit matches.
    public func find(_ query: String) throws -> Locality {
        let q = query.trimmingCharacters(in: .whitespaces)
        if let l = self[code: q] { return l }
        if let n = Int(q), let l = all.first(where: { Int($0.code) == n }) { return l }
        let key = VietnameseNames.key(q)
        let folded = VietnameseNames.fold(q)
        var matches = all.filter { VietnameseNames.key($0.name) == key }
        if matches.isEmpty {
            // A compound name of the 2025 reform answers to its first part: "Xuân Hương" is
            // Phường Xuân Hương - Đà Lạt.
            matches = all.filter { VietnameseNames.firstPart($0.name).map(VietnameseNames.key) == key }
        }
        if matches.count > 1 {
            // "Thành phố Bảo Lộc" vs a commune "Bảo Lộc": the typed type word decides.
            // "TP Bảo Lộc", "Thành phố Bảo Lộc", "Huyện Bảo Lâm": the type word typed (abbreviated or not) decides.
            if let typed = VietnameseNames.typeWord(q) {
                let same = matches.filter { l in
                    let stored =
                        l.type.map { VietnameseNames.typeWord($0 + " x") ?? VietnameseNames.fold($0) }
                        ?? VietnameseNames.typeWord(l.name)
                    return stored == typed
                }
                if same.count == 1 { matches = same }
            }
            _ = folded
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            let list = matches.map { "\($0.displayName) (\($0.code))" }.joined(separator: ", ")
            throw GeoMonitorError(.lookup, "'\(query)' is ambiguous: \(list); give the code")
        }
        throw GeoMonitorError(
            .lookup,
            "no locality matches '\(query)'; closest: \(closest(to: query).map { "\($0.displayName) (\($0.code))" }.joined(separator: ", "))"
        )
    }

    /// Up to `limit` localities whose names are closest to `query`.
    public func closest(to query: String, limit: Int = 3) -> [Locality] {
        let key = VietnameseNames.key(query)
        var scored: [(distance: Int, locality: Locality)] = []
        for l in all {
            let k = VietnameseNames.key(l.name)
            let bonus = (k.hasPrefix(key) || key.hasPrefix(k)) ? 2 : 0
            scored.append((VietnameseNames.distance(key, k) - bonus, l))
        }
        scored.sort { a, b in a.distance != b.distance ? a.distance < b.distance : a.locality.code < b.locality.code }
        return scored.prefix(limit).map { $0.locality }
    }

    /// The bounding box of all localities (WGS 84).
    public var bounds: BoundingBox {
        all.reduce(into: BoundingBox.empty) { box, l in if let b = l.geometry.bounds { box.extend(b) } }
    }
}
