// Moved here from FuzzTests (GeoMonitorTests) for CRSTests (GDALKitTests) too; unchanged but for `public`.

/// xorshift64* — small, fast, good enough for mutation choices.
public struct XorShift: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    /// A generator for input `index` of target `target`: independent streams by splitmix64.
    public init(seed: UInt64, target: UInt64, index: UInt64) {
        var z = seed &+ target &* 0x9E37_79B9_7F4A_7C15 &+ index &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        self.init(seed: z ^ (z >> 31))
    }
    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
    /// Uniform in 0..<n (n > 0).
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    /// Uniform in [0, 1).
    public var unit: Double { mutating get { Double(next() >> 11) / Double(1 << 53) } }
    public mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}
