/// The 64-bit FNV-1a hash of a byte sequence (Fowler–Noll–Vo, offset basis 0xcbf29ce484222325,
/// prime 0x100000001b3): a fast, unseeded hash for tables of the program's own making, where a
/// Swift `Hasher` (seeded per insertion, fed element by element) costs more than the lookups.
public enum FNV1a {
    /// The hash of `bytes`.
    @inlinable public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
