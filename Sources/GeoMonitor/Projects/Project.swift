import Foundation
import GeoKit

/// What a project is, in the programme's canonical vocabulary.
///
/// The raw value is the canonical word a source or a manifest's `values.kind` mapping uses.
public enum ProjectKind: String, Sendable, CaseIterable, Codable, Comparable {
    /// New forest planted (a plot, usually a polygon measured in hectares): `forest_planting`.
    case forestPlanting = "forest_planting"
    /// A road or expressway section (usually a line measured in kilometres): `road`.
    case road
    /// Upgrading of an urban area or street network: `urban_upgrade`.
    case urbanUpgrade = "urban_upgrade"
    /// A resettlement area for households moved by other projects: `resettlement_area`.
    case resettlementArea = "resettlement_area"
    /// A market (new or rebuilt): `market`.
    case market
    /// A school, clinic, office or other public building: `public_facility`.
    case publicFacility = "public_facility"
    /// Power lines, plants and other energy works: `energy`.
    case energy
    /// Tourism areas and facilities: `tourism`.
    case tourism
    /// Anything else: `other`.
    case other

    /// Orders kinds by their canonical name, for stable listings.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    /// The canonical names, for error messages.
    public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Where a project stands. The first five are a lifecycle in order; `stalled` and `cancelled` are off it.
///
/// The raw value is the canonical word a source or a manifest's `values.status` mapping uses.
public enum ProjectStatus: String, Sendable, CaseIterable, Codable, Comparable {
    /// In a plan, not yet approved: `planned`.
    case planned
    /// Approved (investment decision taken), work not started: `approved`.
    case approved
    /// Land being cleared and compensated: `site_clearance`.
    case siteClearance = "site_clearance"
    /// Being built or planted: `under_construction`.
    case underConstruction = "under_construction"
    /// Finished (for forest plots: planted): `completed`. Only completed projects count towards most targets.
    case completed
    /// Started or approved, then stopped: `stalled` (ranks with `approved`, never reaches anything further).
    case stalled
    /// Abandoned: `cancelled` (off the lifecycle).
    case cancelled

    /// Position in the lifecycle (stalled counts as approved, cancelled as nothing).
    public var rank: Int {
        switch self {
        case .planned: return 0
        case .approved, .stalled: return 1
        case .siteClearance: return 2
        case .underConstruction: return 3
        case .completed: return 4
        case .cancelled: return -1
        }
    }

    /// True when this status is at or past `other` in the lifecycle.
    public func hasReached(_ other: ProjectStatus) -> Bool {
        if self == other { return true }
        if self == .cancelled || self == .stalled { return false }
        return rank >= other.rank
    }

    /// Orders statuses by ``rank`` (lifecycle position).
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    /// The canonical names, comma-separated, for error messages.
    public static var vocabulary: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A project or forest plot: a geometry with the attributes the programme's targets are measured on.
///
/// Projects come from a manifest's project sources: every mapped column becomes a field here,
/// with kind and status mapped onto the canonical vocabulary, the geometry transformed to
/// WGS 84 and measured on the ellipsoid.
public struct Project: Sendable, Identifiable, Hashable {
    /// The project's id from the source's `id` column; unique within a dataset.
    public var id: String
    /// The project's name (the id when the source has no name column).
    public var name: String
    /// What the project is, in the canonical vocabulary.
    public var kind: ProjectKind
    /// Where the project stands (its current status).
    public var status: ProjectStatus
    /// The day the current status was reached.
    public var date: Day?
    /// The geometry in WGS 84 longitude/latitude.
    public var geometry: Geometry
    /// Trees planted, from the `trees` column (nil where the source has none).
    public var trees: Double?
    /// The area the source declares in its `area_ha` column, in hectares (nil where none);
    /// compare with ``areaHa``, the area measured from the geometry.
    public var declaredAreaHa: Double?
    /// The length the source declares in its `length_km` column, in kilometres (nil where none).
    public var declaredLengthKm: Double?
    /// The budget from the `budget` column, in the source's currency unit (nil where none).
    public var budget: Double?
    /// Locality named by an attribute (free text), to cross-check against the geometry.
    public var localityAttribute: String?
    /// Target ids the project is linked to explicitly.
    public var targets: [String]
    /// Geodesic area of the geometry on the WGS 84 ellipsoid, in hectares (0 for points and lines).
    public var areaHa: Double
    /// Geodesic length of the geometry on the WGS 84 ellipsoid, in kilometres (0 for points and polygons).
    public var lengthKm: Double
    /// The source file it was read from, as shown to users.
    public var source: String
    /// The layer of that source.
    public var layer: String
    /// The feature id in that layer (FID, or 1-based position when the source has none).
    public var fid: Int64

    /// A project from its parts; measures and provenance are taken as given (loading fills
    /// them in), so a hand-made project with `areaHa: 0` counts 0 ha in area sums.
    public init(
        id: String, name: String, kind: ProjectKind, status: ProjectStatus, date: Day?, geometry: Geometry,
        trees: Double? = nil, declaredAreaHa: Double? = nil, declaredLengthKm: Double? = nil, budget: Double? = nil,
        localityAttribute: String? = nil, targets: [String] = [], areaHa: Double = 0, lengthKm: Double = 0,
        source: String = "", layer: String = "", fid: Int64 = 0
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.status = status
        self.date = date
        self.geometry = geometry
        self.trees = trees
        self.declaredAreaHa = declaredAreaHa
        self.declaredLengthKm = declaredLengthKm
        self.budget = budget
        self.localityAttribute = localityAttribute
        self.targets = targets
        self.areaHa = areaHa
        self.lengthKm = lengthKm
        self.source = source
        self.layer = layer
        self.fid = fid
    }
}
