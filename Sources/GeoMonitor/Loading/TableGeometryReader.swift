import Foundation
internal import GDALKit

/// Builds a feature's geometry from the columns a project source's ``TableGeometry`` names,
/// while the source is read (before reprojection), the same way for every driver: XLSX, ODS,
/// CSV and any other table.
struct TableGeometryReader: Sendable {
    let spec: TableGeometry
    /// Position of the first geometry column in a feature's values (they follow the mapped fields).
    let first: Int
    /// Position of the id among the values (nil when the id is the feature id).
    let idSlot: Int?
    let idPrefix: String
    let notation: NumberFormat?
    let shown: String
    let layerName: String
    let key: String
    /// The source is an XLSX or ODS workbook; its number cells read as text are logged in `cells`.
    var spreadsheet = false
    var cells = NumberCellLog()

    /// The geometry of one row in the source's CRS; nil when its coordinate cells are empty
    /// (reported as a row without coordinates).
    /// - Throws: ``GeoMonitorError`` of kind `.value` naming the value, column and project id
    ///   when a coordinate is not a number or the text is not Well-Known Text.
    func geometry(_ values: [FieldValue], fid: Int64) throws -> Geometry? {
        func id() -> String {
            guard let s = idSlot else { return idPrefix + String(fid) }
            return idPrefix + values[s].description.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func fail(_ value: FieldValue, _ column: String, _ why: String) -> GeoMonitorError {
            GeoMonitorError(
                .value, file: shown, layer: layerName, feature: String(fid), key: "\(key).geometry",
                "'\(value)' in column '\(column)' of project '\(id())' \(why)")
        }
        let columns = spec.columns
        switch spec {
        case .wkt:
            let v = values[first]
            let text = v.description.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { return nil }
            do { return try OGRGeometry.parseWKT(text) } catch {
                throw fail(
                    FieldValue.string(TextEncodingCheck.sample(text)), columns[0],
                    "is not Well-Known Text (e.g. POINT (108.44 11.94), POLYGON ((…)))")
            }
        case .lonLat, .xy:
            var xy: [Double] = []
            for k in 0..<2 {
                switch NumberReading.read(values[first + k], notation: notation, spreadsheet: spreadsheet) {
                case .blank: return nil
                case .value(let x): xy.append(x)
                case .cell(let x):
                    cells.add(id: id(), column: columns[k], text: values[first + k].description)
                    xy.append(x)
                case .refused(let why): throw fail(values[first + k], columns[k], why)
                }
            }
            if case .xy(_, _, true) = spec { return .point(Coordinate(xy[1], xy[0])) }
            return .point(Coordinate(xy[0], xy[1]))
        }
    }
}
