import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// librsvg, cairo and GLib, opened when the first PDF is made, not when geomonitor starts: every
/// other command then starts without them (about 30 shared libraries — pango, harfbuzz, X11 … —
/// that the loader no longer binds: 10 ms of each command's start).
///
/// Only the functions `PDFRenderer` calls are looked up, with the C types of cairo.h,
/// cairo-pdf.h and rsvg.h (librsvg 2.54, cairo 1.16 of Debian 12) written out here; the constants
/// are the headers' enum values.
struct RenderLibraries: @unchecked Sendable {
    // cairo.h
    typealias WriteFunc = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt32) -> Int32
    let pdfSurfaceCreateForStream:
        @convention(c) (WriteFunc?, UnsafeMutableRawPointer?, Double, Double) -> OpaquePointer?
    let pdfSurfaceSetMetadata: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?) -> Void
    let surfaceStatus: @convention(c) (OpaquePointer?) -> Int32
    let surfaceFinish: @convention(c) (OpaquePointer?) -> Void
    let surfaceDestroy: @convention(c) (OpaquePointer?) -> Void
    let create: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let showPage: @convention(c) (OpaquePointer?) -> Void
    let status: @convention(c) (OpaquePointer?) -> Int32
    let destroy: @convention(c) (OpaquePointer?) -> Void
    let statusToString: @convention(c) (Int32) -> UnsafePointer<CChar>?
    // rsvg.h (RsvgHandle * as an opaque pointer; GError ** as a pointer to an opaque pointer)
    let handleNewFromData:
        @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    let handleRenderDocument:
        @convention(c) (
            OpaquePointer?, OpaquePointer?, UnsafePointer<Double>?, UnsafeMutablePointer<OpaquePointer?>?
        ) -> Int32
    // GLib / GObject
    let objectUnref: @convention(c) (OpaquePointer?) -> Void
    let errorFree: @convention(c) (OpaquePointer?) -> Void

    /// `CAIRO_STATUS_SUCCESS`, `CAIRO_STATUS_WRITE_ERROR` (cairo_status_t).
    static let success: Int32 = 0
    static let writeError: Int32 = 11
    /// `CAIRO_PDF_METADATA_TITLE`, `CAIRO_PDF_METADATA_CREATOR` (cairo_pdf_metadata_t).
    static let metadataTitle: Int32 = 0
    static let metadataCreator: Int32 = 4

    /// The libraries, opened once; the error names what is missing and the package to install.
    static let shared: Result<RenderLibraries, PrintError> = {
        do throws(PrintError) { return .success(try RenderLibraries()) } catch { return .failure(error) }
    }()

    private init() throws(PrintError) {
        #if os(macOS)
            let names = ["librsvg-2.2.dylib", "libcairo.2.dylib", "libgobject-2.0.0.dylib", "libglib-2.0.0.dylib"]
        #else
            let names = ["librsvg-2.so.2", "libcairo.so.2", "libgobject-2.0.so.0", "libglib-2.0.so.0"]
        #endif
        var handles: [UnsafeMutableRawPointer] = []
        for name in names {
            guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                let why = dlerror().map { String(cString: $0) } ?? name
                throw PrintError(
                    "cannot open \(name) to make the PDF (\(why)); install librsvg and cairo (Debian: apt-get install librsvg2-2 libcairo2)"
                )
            }
            handles.append(h)
        }
        /// The function `name`, typed as the property it is assigned to.
        func symbol<T>(_ name: String) throws(PrintError) -> T {
            for h in handles {
                if let p = dlsym(h, name) { return unsafeBitCast(p, to: T.self) }
            }
            throw PrintError("\(name) is missing from librsvg/cairo/GLib; the installed versions are too old")
        }
        pdfSurfaceCreateForStream = try symbol("cairo_pdf_surface_create_for_stream")
        pdfSurfaceSetMetadata = try symbol("cairo_pdf_surface_set_metadata")
        surfaceStatus = try symbol("cairo_surface_status")
        surfaceFinish = try symbol("cairo_surface_finish")
        surfaceDestroy = try symbol("cairo_surface_destroy")
        create = try symbol("cairo_create")
        showPage = try symbol("cairo_show_page")
        status = try symbol("cairo_status")
        destroy = try symbol("cairo_destroy")
        statusToString = try symbol("cairo_status_to_string")
        handleNewFromData = try symbol("rsvg_handle_new_from_data")
        handleRenderDocument = try symbol("rsvg_handle_render_document")
        objectUnref = try symbol("g_object_unref")
        errorFree = try symbol("g_error_free")
    }

    /// The message of a GError (`struct { GQuark domain; gint code; gchar *message; }`), freed here.
    func take(_ error: OpaquePointer?) -> String {
        guard let error else { return "unknown error" }
        defer { errorFree(error) }
        let message = UnsafeRawPointer(error).load(
            fromByteOffset: MemoryLayout<UInt32>.size + MemoryLayout<Int32>.size, as: UnsafePointer<CChar>?.self)
        return message.map { String(cString: $0) } ?? "unknown error"
    }

    /// Throws cairo's message for a status other than success, after `what`.
    func check(_ status: Int32, _ what: String) throws(PrintError) {
        guard status == Self.success else {
            throw PrintError(
                "\(what): \(statusToString(status).map { String(cString: $0) } ?? "cairo error \(status)")")
        }
    }
}
