/// Where a table keeps its geometry (a project source's `geometry:` key): coordinate columns or a
/// Well-Known Text column, for spreadsheets and CSV files alike (XLSX, ODS, CSV …).
///
/// ```yaml
/// geometry: {lon: kinh_do, lat: vi_do}          # longitude/latitude (crs defaults to EPSG:4326)
/// geometry: {x: X, y: Y, order: survey}         # VN-2000 survey table: X = northing, Y = easting
/// geometry: {x: dong, y: bac}                   # GIS order: x = easting, y = northing
/// geometry: {wkt: hinh_hoc}                     # POLYGON ((…)) text in the source's crs
/// ```
///
/// A row whose coordinate cells are empty has no geometry: it is skipped with a `no-geometry`
/// warning naming its id. Coordinates written as text are read in the source's ``NumberFormat``.
public enum TableGeometry: Sendable, Equatable {
    /// A point from longitude and latitude columns (degrees).
    case lonLat(lon: String, lat: String)
    /// A point from easting and northing columns of a projected CRS. `survey` is true for survey
    /// tables, whose column named `x` holds the northing and `y` the easting.
    case xy(x: String, y: String, survey: Bool)
    /// Any geometry from a column of Well-Known Text.
    case wkt(String)

    /// The columns read, in order.
    public var columns: [String] {
        switch self {
        case .lonLat(let lon, let lat): return [lon, lat]
        case .xy(let x, let y, _): return [x, y]
        case .wkt(let c): return [c]
        }
    }

    /// The columns as the user wrote them, for messages (`kinh_do/vi_do`).
    var columnText: String { columns.joined(separator: "/") }
}
