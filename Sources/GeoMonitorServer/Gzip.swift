import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// gzip (RFC 1952) through the system's zlib, loaded at run time with `dlopen` — the package
/// has no zlib module of its own and hummingbird-compression is not available here. `nil`
/// when zlib cannot be loaded; the server then answers uncompressed.
///
/// `z_stream` is laid out by hand for LP64 (112 bytes): next_in 0, avail_in 8, total_in 16,
/// next_out 24, avail_out 32, total_out 40, msg 48, state 56, zalloc 64, zfree 72, opaque 80,
/// data_type 88, adler 96, reserved 104.
final class Gzip: @unchecked Sendable {
    typealias DeflateInit2 = @convention(c) (UnsafeMutableRawPointer, Int32, Int32, Int32, Int32, Int32, UnsafePointer<CChar>, Int32) -> Int32
    typealias Deflate = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32
    typealias DeflateEnd = @convention(c) (UnsafeMutableRawPointer) -> Int32
    typealias DeflateBound = @convention(c) (UnsafeMutableRawPointer, UInt) -> UInt
    typealias Version = @convention(c) () -> UnsafePointer<CChar>

    let initFn: DeflateInit2
    let deflateFn: Deflate
    let endFn: DeflateEnd
    let boundFn: DeflateBound
    let version: UnsafePointer<CChar>
    static let streamSize = 112

    /// The process-wide instance, nil when zlib is not found.
    static let shared: Gzip? = Gzip()

    init?() {
        guard MemoryLayout<Int>.size == 8 else { return nil }
        #if os(macOS)
        let names = ["libz.dylib", "/usr/lib/libz.dylib"]
        #else
        let names = ["libz.so.1", "libz.so"]
        #endif
        var handle: UnsafeMutableRawPointer?
        for n in names { handle = dlopen(n, RTLD_NOW | RTLD_LOCAL); if handle != nil { break } }
        guard let handle,
              let i = dlsym(handle, "deflateInit2_"), let d = dlsym(handle, "deflate"),
              let e = dlsym(handle, "deflateEnd"), let b = dlsym(handle, "deflateBound"), let v = dlsym(handle, "zlibVersion")
        else { return nil }
        initFn = unsafeBitCast(i, to: DeflateInit2.self)
        deflateFn = unsafeBitCast(d, to: Deflate.self)
        endFn = unsafeBitCast(e, to: DeflateEnd.self)
        boundFn = unsafeBitCast(b, to: DeflateBound.self)
        version = unsafeBitCast(v, to: Version.self)()
    }

    /// The gzip member of `input`, or nil on a zlib error.
    func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8]? {
        let strm = UnsafeMutableRawPointer.allocate(byteCount: Self.streamSize, alignment: 8)
        defer { strm.deallocate() }
        strm.initializeMemory(as: UInt8.self, repeating: 0, count: Self.streamSize)
        // method Z_DEFLATED = 8; windowBits 15 + 16 = gzip wrapper; memLevel 8; strategy default.
        guard initFn(strm, level, 8, 31, 8, 0, version, Int32(Self.streamSize)) == 0 else { return nil }
        defer { _ = endFn(strm) }
        let bound = Int(boundFn(strm, UInt(input.count))) + 32
        var out = [UInt8](repeating: 0, count: bound)
        let produced: Int? = out.withUnsafeMutableBytes { o -> Int? in
            strm.storeBytes(of: input.baseAddress, toByteOffset: 0, as: UnsafeRawPointer?.self)
            strm.storeBytes(of: UInt32(input.count), toByteOffset: 8, as: UInt32.self)
            strm.storeBytes(of: o.baseAddress, toByteOffset: 24, as: UnsafeMutableRawPointer?.self)
            strm.storeBytes(of: UInt32(o.count), toByteOffset: 32, as: UInt32.self)
            let rc = deflateFn(strm, 4)   // Z_FINISH
            guard rc == 1 else { return nil }   // Z_STREAM_END
            return Int(strm.load(fromByteOffset: 40, as: UInt.self))
        }
        guard let produced else { return nil }
        out.removeSubrange(produced...)
        return out
    }

    func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8]? {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }
}
