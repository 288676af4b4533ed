import CRsvg
import Foundation
import TestSupport
import Testing

@testable import PrintKit

/// PrintKit opens librsvg and cairo when the first PDF is made, with the C declarations written
/// out in `RenderLibraries`: they are checked here against the libraries' own headers, a PDF is
/// made through them, and the geomonitor binary is checked not to load the libraries at start.
@Suite("Rendering libraries opened on demand")
struct RenderLibrariesTests {
    @Test func declarationsMatchTheHeaders() {
        #expect(RenderLibraries.success == Int32(CAIRO_STATUS_SUCCESS.rawValue))
        #expect(RenderLibraries.writeError == Int32(CAIRO_STATUS_WRITE_ERROR.rawValue))
        #expect(RenderLibraries.metadataTitle == Int32(CAIRO_PDF_METADATA_TITLE.rawValue))
        #expect(RenderLibraries.metadataCreator == Int32(CAIRO_PDF_METADATA_CREATOR.rawValue))
        // RsvgRectangle is four doubles; GError's message follows two 32-bit fields.
        #expect(MemoryLayout<RsvgRectangle>.size == 4 * MemoryLayout<Double>.size)
        #expect(MemoryLayout<GError>.offset(of: \GError.message) == 8)
        #expect(MemoryLayout<gsize>.size == MemoryLayout<Int>.size)
    }

    /// Two A4 pages: a PDF of two pages, its title in the metadata; a broken SVG names its page.
    @Test func aPDFThroughTheOpenedLibraries() throws {
        let svg =
            #"<svg xmlns="http://www.w3.org/2000/svg" width="210" height="297"><text x="20" y="40">Lâm Đồng</text></svg>"#
        let pdf = try PDFRenderer.pdf(pages: [svg, svg], widthMM: 210, heightMM: 297, title: "Báo cáo")
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        #expect(text.components(separatedBy: "/Type /Page\n").count - 1 == 2 || text.contains("/Count 2"))
        let e = #expect(throws: PrintError.self) {
            _ = try PDFRenderer.pdf(pages: [svg, "<svg"], widthMM: 210, heightMM: 297)
        }
        #expect(e?.message.hasPrefix("page 2: librsvg cannot read the SVG") == true, "\(String(describing: e))")
    }

    /// The binary links neither librsvg nor cairo: the loader no longer binds them at every start.
    @Test(.enabled(if: CLIBinary.path != nil && which("ldd") != nil, "no geomonitor binary or no ldd"))
    func theBinaryDoesNotLoadThemAtStart() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(which("ldd")))
        p.arguments = [try #require(CLIBinary.path)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let listed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(listed.contains("libgdal"), "\(listed)")
        #expect(!listed.contains("librsvg") && !listed.contains("libcairo"), "\(listed)")
    }
}
