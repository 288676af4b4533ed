import CGDAL
import Foundation

extension VectorDataset {
    /// Writes a new vector file from this source through `GDALVectorTranslate`, the library form
    /// of `ogr2ogr` (GDAL's `gdal_utils.h`).
    ///
    /// - Parameters:
    ///   - destination: the file to create (it must not exist).
    ///   - arguments: `ogr2ogr` arguments without the file names, e.g.
    ///     `["-f", "FlatGeobuf", "-lco", "SPATIAL_INDEX=NO", "-sql", "SELECT …"]`.
    /// - Throws: ``GDALError`` of kind `writeFailed` naming `destination` when GDAL refuses the
    ///   arguments or the copy fails (GDAL's own message carried).
    public func translate(to destination: String, arguments: [String]) throws {
        GDALRuntime.ensure()
        GDALRuntime.reset()
        guard let options = withCSL(arguments, { GDALVectorTranslateOptionsNew($0, nil) }) else {
            throw GDALError(
                .writeFailed, file: destination,
                "ogr2ogr arguments refused: \(GDALRuntime.lastMessage(or: arguments.joined(separator: " ")))")
        }
        defer { GDALVectorTranslateOptionsFree(options) }
        var source: GDALDatasetH? = handle
        var usageError: Int32 = 0
        let written = GDALVectorTranslate(destination, nil, 1, &source, options, &usageError)
        guard let written else {
            throw GDALError(
                .writeFailed, file: destination,
                "copy failed: \(GDALRuntime.lastMessage(or: "GDALVectorTranslate gave no dataset"))")
        }
        GDALClose(written)
    }
}
