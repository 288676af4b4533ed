import Foundation

/// A growing UTF-8 buffer that JSON and GeoJSON are written into: bytes, not `String`
/// concatenation, and numbers formatted with integer arithmetic, so that writing a million
/// coordinates takes milliseconds rather than seconds.
struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inline(__always) mutating func append(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        (base + count).update(from: s.utf8Start, count: n)
        count += n
    }

    @inline(__always) mutating func append(byte b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    mutating func append(contentsOf buffer: UnsafeBufferPointer<UInt8>) {
        guard let p = buffer.baseAddress, !buffer.isEmpty else { return }
        reserve(buffer.count)
        (base + count).update(from: p, count: buffer.count)
        count += buffer.count
    }

    mutating func append(raw s: String) {
        var s = s
        s.withUTF8 { append(contentsOf: $0) }
    }

    /// A line break and two spaces per level, for pretty output.
    mutating func newline(indent level: Int) {
        append(byte: 0x0A)
        for _ in 0..<level { append("  ") }
    }

    /// Forgets the bytes written, keeping the memory for the next ones.
    mutating func removeAll() { count = 0 }

    /// Lends the bytes written, without copying them.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The bytes written, copied out.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
    /// The bytes written, copied out.
    var data: Data { Data(bytes: base, count: count) }
    /// The text written.
    var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// A JSON string literal: quotes, backslashes and control characters escaped, and U+2028/2029
    /// (valid JSON, but not JavaScript) escaped too.
    mutating func append(string s: String) {
        append(byte: 0x22)
        var s = s
        s.withUTF8 { u in
            guard let p = u.baseAddress else { return }
            let n = u.count
            var plain = 0  // start of the run of bytes copied as they are
            var i = 0
            while i < n {
                // Eight plain bytes at a time: no control character, quote, backslash or 0xE2.
                while i + 8 <= n, !Self.mayNeedEscape(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) { i += 8 }
                guard i < n else { break }
                let c = u[i]
                guard c < 0x20 || c == 0x22 || c == 0x5C || c == 0xE2 else {
                    i += 1
                    continue
                }
                if c == 0xE2 && !(i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
                    i += 1
                    continue
                }
                append(contentsOf: UnsafeBufferPointer(rebasing: u[plain..<i]))
                switch c {
                case 0x22: append("\\\"")
                case 0x5C: append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0xE2:
                    append(u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 2
                default:
                    append("\\u00")
                    append(byte: Self.hexDigit(c >> 4))
                    append(byte: Self.hexDigit(c & 15))
                }
                i += 1
                plain = i
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: u[plain..<n]))
        }
        append(byte: 0x22)
    }

    /// True when one of the eight bytes of `w` may need escaping: below 0x20, `"`, `\\` or 0xE2
    /// (the lead byte of U+2028/U+2029). Exact for "none": a false answer is never wrong.
    @inline(__always) static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below20 = (w &- ones &* 0x20) & ~w & highs != 0
        return below20 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) || hasZero(w ^ (ones &* 0xE2))
    }

    @inline(__always) static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    /// 10^d for d in 0…15, as an integer.
    @inline(__always) static func pow10i(_ d: Int) -> Int64 { Int64(JSONValue.pow10(d)) }

    /// `v` rounded to `decimals` places, trailing zeros dropped; `null` when not finite.
    mutating func append(number v: Double, decimals: Int) {
        guard v.isFinite else {
            append("null")
            return
        }
        let d = min(max(decimals, 0), 15)
        let scaled = (v * JSONValue.pow10(d)).rounded()
        guard abs(scaled) < 1e15 else {
            append(raw: JSONValue.format(scaled / JSONValue.pow10(d)))
            return
        }
        appendFixed(Int64(scaled), decimals: d)
    }

    /// Shortest text that reads back as `v`: fixed-point when `v` has at most 9 decimals and 15
    /// significant digits (almost always), else Swift's shortest round-trip text.
    mutating func append(number v: Double) {
        guard v.isFinite else {
            append("null")
            return
        }
        if abs(v) < 1e15 {
            for d in 0...9 {
                let scaled = (v * JSONValue.pow10(d)).rounded()
                guard abs(scaled) < 1e15 else { break }
                if scaled / JSONValue.pow10(d) == v {
                    appendFixed(Int64(scaled), decimals: d)
                    return
                }
            }
        }
        append(raw: JSONValue.format(v))
    }

    /// m / 10^d in decimal, trailing fractional zeros dropped.
    private mutating func appendFixed(_ m0: Int64, decimals d: Int) {
        var m = m0
        if m == 0 {
            append(byte: 0x30)
            return
        }
        if m < 0 {
            append(byte: 0x2D)
            m = -m
        }
        let p = Self.pow10i(d)
        let whole = m / p
        var frac = m % p
        appendDigits(whole)
        guard frac != 0 else { return }
        var width = d
        while frac % 10 == 0 {
            frac /= 10
            width -= 1
        }
        append(byte: 0x2E)
        // Leading zeros of the fraction.
        var digits = 1
        while digits < 16 && frac >= Self.pow10i(digits) { digits += 1 }
        for _ in 0..<(width - digits) { append(byte: 0x30) }
        appendDigits(frac)
    }

    /// The decimal digits of `v` (0 ≤ v < 10^15), two at a time.
    private mutating func appendDigits(_ v: Int64) {
        if v < 10 {
            append(byte: 0x30 + UInt8(truncatingIfNeeded: v))
            return
        }
        var digits = 2
        while digits < 16 && v >= Self.pow10i(digits) { digits += 1 }
        reserve(digits)
        var x = v
        var k = count + digits
        while x >= 100 {
            let q = x / 100
            let r = UInt8(truncatingIfNeeded: x - q * 100)
            k -= 2
            base[k] = 0x30 + r / 10
            base[k + 1] = 0x30 + r % 10
            x = q
        }
        let r = UInt8(truncatingIfNeeded: x)
        if r >= 10 {
            k -= 2
            base[k] = 0x30 + r / 10
            base[k + 1] = 0x30 + r % 10
        } else {
            k -= 1
            base[k] = 0x30 + r
        }
        count += digits
    }

}
