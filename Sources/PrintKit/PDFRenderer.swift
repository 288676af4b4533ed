import Foundation

/// Renders SVG pages into one PDF with librsvg and cairo — the same renderer `rsvg-convert` is —
/// so text stays text (fonts embedded as subsets, extractable), and vectors stay vectors.
///
/// ```swift
/// let pdf = try PDFRenderer.pdf(pages: [svgPage1, svgPage2], widthMM: 210, heightMM: 297, title: "Báo cáo")
/// ```
public enum PDFRenderer {
    /// A PDF of `pages`, one page each, every page `widthMM` × `heightMM`; each SVG is scaled to
    /// fill its page (keeping its aspect ratio).
    /// - Parameters:
    ///   - pages: standalone SVG documents (UTF-8 text).
    ///   - widthMM: page width in millimetres (A4: 210).
    ///   - heightMM: page height in millimetres (A4: 297).
    ///   - title: the PDF's document title (its metadata), if any.
    /// - Returns: the PDF file's bytes.
    /// - Throws: ``PrintError`` naming the page librsvg could not read or render, or cairo's
    ///   status when the PDF cannot be written.
    public static func pdf(pages: [String], widthMM: Double, heightMM: Double, title: String? = nil) throws -> Data {
        let lib = try RenderLibraries.shared.get()
        let wpt = widthMM / 25.4 * 72
        let hpt = heightMM / 25.4 * 72
        let sink = ByteSink()
        let closure = Unmanaged.passRetained(sink)
        defer { closure.release() }
        guard
            let surface = lib.pdfSurfaceCreateForStream(
                { context, bytes, length in
                    guard let context, let bytes else { return RenderLibraries.writeError }
                    Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue().data.append(bytes, count: Int(length))
                    return RenderLibraries.success
                }, closure.toOpaque(), wpt, hpt)
        else { throw PrintError("cairo cannot create a PDF surface") }
        defer { lib.surfaceDestroy(surface) }
        try lib.check(lib.surfaceStatus(surface), "cannot create a PDF surface")
        if let title { lib.pdfSurfaceSetMetadata(surface, RenderLibraries.metadataTitle, title) }
        lib.pdfSurfaceSetMetadata(surface, RenderLibraries.metadataCreator, "geomonitor (librsvg, cairo)")
        guard let cr = lib.create(surface) else { throw PrintError("cairo cannot draw on the PDF surface") }
        do {
            for (i, svg) in pages.enumerated() {
                try render(svg, page: i + 1, into: cr, width: wpt, height: hpt, with: lib)
                lib.showPage(cr)
                try lib.check(lib.status(cr), "page \(i + 1)")
            }
        } catch {
            lib.destroy(cr)
            throw error
        }
        lib.destroy(cr)
        lib.surfaceFinish(surface)
        try lib.check(lib.surfaceStatus(surface), "cannot finish the PDF")
        return sink.data
    }

    /// Draws one SVG document onto the current page, fitted to `width` × `height` points.
    static func render(
        _ svg: String, page: Int, into cr: OpaquePointer, width: Double, height: Double, with lib: RenderLibraries
    ) throws {
        var error: OpaquePointer? = nil
        let bytes = Array(svg.utf8)
        let made = bytes.withUnsafeBufferPointer { lib.handleNewFromData($0.baseAddress, $0.count, &error) }
        guard let handle = made else {
            throw PrintError("page \(page): librsvg cannot read the SVG: \(lib.take(error))")
        }
        defer { lib.objectUnref(handle) }
        // RsvgRectangle: x, y, width, height.
        let viewport: [Double] = [0, 0, width, height]
        let drawn = viewport.withUnsafeBufferPointer { lib.handleRenderDocument(handle, cr, $0.baseAddress, &error) }
        guard drawn != 0 else {
            throw PrintError("page \(page): librsvg cannot render the SVG: \(lib.take(error))")
        }
    }

    /// Where cairo's PDF stream goes.
    final class ByteSink {
        var data = Data()
    }
}
