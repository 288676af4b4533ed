import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP connection to a loopback port, for what URLSession will not do: hold a socket
/// idle, send half a request, send a hostile `Host` header, watch the server close it.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    /// Connects to 127.0.0.1:`port`; nil when the connection fails.
    init?(port: Int) {
        #if canImport(Glibc)
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let s = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard s >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else {
            close(s)
            return nil
        }
        fd = s
    }

    deinit { close(fd) }

    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Bytes available within `timeout` seconds: nil when nothing came, empty when the server closed.
    func read(timeout: Double) -> [UInt8]? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n <= 0 ? [] : Array(buf[0..<n])
    }

    /// Has the server closed the connection (seen within `timeout` seconds)? Data read is skipped.
    func isClosed(within timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            guard let got = read(timeout: max(0.01, end.timeIntervalSinceNow)) else { return false }
            if got.isEmpty { return true }
        }
        return false
    }

    /// Sends a whole request and reads the answer until the server closes or `timeout` passes.
    func exchange(_ request: String, timeout: Double = 10) -> String {
        send(request)
        var out: [UInt8] = []
        let end = Date().addingTimeInterval(timeout)
        while Date() < end, let got = read(timeout: end.timeIntervalSinceNow), !got.isEmpty {
            out += got
            if let text = String(bytes: out, encoding: .utf8), let head = text.range(of: "\r\n\r\n"),
                let len = text[..<head.lowerBound].split(separator: "\r\n").first(where: {
                    $0.lowercased().hasPrefix("content-length:")
                })
                .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }),
                text.utf8.count - text[..<head.upperBound].utf8.count >= len
            {
                break
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
