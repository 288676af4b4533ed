import CompressNIO
import NIOCore

/// gzip (RFC 1952) of response bodies, through CompressNIO (zlib): no C pointer in this module.
enum Gzip {
    /// The gzip member of `bytes`, or nil on a zlib error (the server then answers uncompressed).
    static func compress(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var input = ByteBufferAllocator().buffer(capacity: bytes.count)
        input.writeBytes(bytes)
        let compressor = CompressionAlgorithm.gzip().compressor
        do {
            try compressor.startStream()
            defer { try? compressor.finishStream() }
            var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
            try compressor.streamDeflate(from: &input, to: &output, flush: .finish)
            return output.readBytes(length: output.readableBytes)
        } catch {
            return nil
        }
    }

    /// The gzip member of `bytes`, or nil on a zlib error.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBytes { compress($0) }
    }
}
