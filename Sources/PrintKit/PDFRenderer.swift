import CRsvg
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
        let wpt = widthMM / 25.4 * 72
        let hpt = heightMM / 25.4 * 72
        let sink = ByteSink()
        let closure = Unmanaged.passRetained(sink)
        defer { closure.release() }
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                { context, bytes, length in
                    guard let context, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                    Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue().data.append(bytes, count: Int(length))
                    return CAIRO_STATUS_SUCCESS
                }, closure.toOpaque(), wpt, hpt)
        else { throw PrintError("cairo cannot create a PDF surface") }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "cannot create a PDF surface")
        if let title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "geomonitor (librsvg, cairo)")
        guard let cr = cairo_create(surface) else { throw PrintError("cairo cannot draw on the PDF surface") }
        do {
            for (i, svg) in pages.enumerated() {
                try render(svg, page: i + 1, into: cr, width: wpt, height: hpt)
                cairo_show_page(cr)
                try check(cairo_status(cr), "page \(i + 1)")
            }
        } catch {
            cairo_destroy(cr)
            throw error
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), "cannot finish the PDF")
        return sink.data
    }

    /// Draws one SVG document onto the current page, fitted to `width` × `height` points.
    static func render(_ svg: String, page: Int, into cr: OpaquePointer, width: Double, height: Double) throws {
        var error: UnsafeMutablePointer<GError>? = nil
        let bytes = Array(svg.utf8)
        let made = bytes.withUnsafeBufferPointer { rsvg_handle_new_from_data($0.baseAddress, gsize($0.count), &error) }
        guard let handle = made else { throw PrintError("page \(page): librsvg cannot read the SVG: \(take(error))") }
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }
        var viewport = RsvgRectangle(x: 0, y: 0, width: width, height: height)
        guard rsvg_handle_render_document(handle, cr, &viewport, &error) != 0 else {
            throw PrintError("page \(page): librsvg cannot render the SVG: \(take(error))")
        }
    }

    /// The message of a GError (freed here).
    static func take(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error else { return "unknown error" }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }

    static func check(_ status: cairo_status_t, _ what: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PrintError(
                "\(what): \(cairo_status_to_string(status).map { String(cString: $0) } ?? "cairo error \(status.rawValue)")"
            )
        }
    }

    /// Where cairo's PDF stream goes.
    final class ByteSink {
        var data = Data()
    }
}
