import GeoKit

/// Reading and writing (ISO) Well-Known Binary: the one format crossing the GDAL boundary,
/// one memory copy per geometry.
enum WKB {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses ISO or extended (EWKB-style high-bit) WKB; Z and M values are dropped.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> Geometry {
        var r = Reader(bytes: bytes)
        return try r.geometry(depth: 0)
    }

    static func parse(_ bytes: [UInt8]) throws -> Geometry {
        try bytes.withUnsafeBytes { try parse($0) }
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var pos = 0
        var little = true

        mutating func u8() throws -> UInt8 {
            guard pos < bytes.count else { throw Malformed(description: "truncated WKB") }
            defer { pos += 1 }
            return bytes[pos]
        }
        mutating func u32() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw Malformed(description: "truncated WKB") }
            let v = bytes.loadUnaligned(fromByteOffset: pos, as: UInt32.self)
            pos += 4
            return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }
        mutating func f64() throws -> Double {
            guard pos + 8 <= bytes.count else { throw Malformed(description: "truncated WKB") }
            let v = bytes.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
            pos += 8
            return Double(bitPattern: little ? UInt64(littleEndian: v) : UInt64(bigEndian: v))
        }
        mutating func count() throws -> Int {
            let n = Int(try u32())
            // Each element needs at least 8 bytes: refuse counts the buffer cannot hold.
            guard n <= (bytes.count - pos) / 8 + 1 else {
                throw Malformed(description: "WKB count \(n) exceeds the data")
            }
            return n
        }
        mutating func coords(dims: Int) throws -> [Coordinate] {
            let n = try count()
            var out = [Coordinate]()
            out.reserveCapacity(n)
            for _ in 0..<n {
                let x = try f64()
                let y = try f64()
                for _ in 2..<dims { _ = try f64() }
                out.append(Coordinate(x, y))
            }
            return out
        }
        mutating func polygon(dims: Int) throws -> Polygon {
            let nr = try count()
            var rings: [[Coordinate]] = []
            for _ in 0..<nr { rings.append(try coords(dims: dims)) }
            guard let ext = rings.first else { return Polygon(exterior: []) }
            return Polygon(exterior: ext, holes: Array(rings.dropFirst()))
        }
        mutating func geometry(depth: Int) throws -> Geometry {
            guard depth < 64 else { throw Malformed(description: "WKB nested too deeply") }
            little = try u8() == 1
            var t = try u32()
            var dims = 2
            // EWKB flags
            if t & 0x8000_0000 != 0 { dims += 1 }
            if t & 0x4000_0000 != 0 { dims += 1 }
            t &= 0x0FFF_FFFF
            // ISO: 1000s = Z, 2000s = M, 3000s = ZM
            switch t / 1000 {
            case 1, 2: dims += 1
            case 3: dims += 2
            default: break
            }
            switch t % 1000 {
            case 1:
                let x = try f64()
                let y = try f64()
                for _ in 2..<dims { _ = try f64() }
                return .point(Coordinate(x, y))
            case 2: return .lineString(try coords(dims: dims))
            case 3: return .polygon(try polygon(dims: dims))
            case 4:
                let n = try count()
                var pts: [Coordinate] = []
                for _ in 0..<n { if case .point(let c) = try geometry(depth: depth + 1) { pts.append(c) } }
                return .multiPoint(pts)
            case 5:
                let n = try count()
                var ls: [[Coordinate]] = []
                for _ in 0..<n { ls.append(contentsOf: try geometry(depth: depth + 1).lines) }
                return .multiLineString(ls)
            case 6:
                let n = try count()
                var ps: [Polygon] = []
                for _ in 0..<n { ps.append(contentsOf: try geometry(depth: depth + 1).polygons) }
                return .multiPolygon(ps)
            case 7:
                let n = try count()
                var gs: [Geometry] = []
                for _ in 0..<n { gs.append(try geometry(depth: depth + 1)) }
                return .collection(gs)
            default:
                throw Malformed(
                    description: "unsupported WKB geometry type \(t) (curves and surfaces must be linearised first)")
            }
        }
    }

    /// ISO WKB, little-endian, 2D.
    static func encode(_ g: Geometry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(9 + g.coordinateCount * 16)
        write(g, into: &out)
        return out
    }

    static func write(_ g: Geometry, into out: inout [UInt8]) {
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        func header(_ t: UInt32) {
            out.append(1)
            u32(t)
        }
        func coords(_ cs: [Coordinate]) {
            u32(UInt32(cs.count))
            for c in cs {
                f64(c.x)
                f64(c.y)
            }
        }
        func polygon(_ p: Polygon) {
            header(3)
            if p.exterior.isEmpty {
                u32(0)
                return
            }
            u32(UInt32(1 + p.holes.count))
            coords(p.exterior)
            p.holes.forEach(coords)
        }
        switch g {
        case .point(let c):
            header(1)
            f64(c.x)
            f64(c.y)
        case .lineString(let cs):
            header(2)
            coords(cs)
        case .polygon(let p): polygon(p)
        case .multiPoint(let cs):
            header(4)
            u32(UInt32(cs.count))
            for c in cs {
                header(1)
                f64(c.x)
                f64(c.y)
            }
        case .multiLineString(let ls):
            header(5)
            u32(UInt32(ls.count))
            for l in ls {
                header(2)
                coords(l)
            }
        case .multiPolygon(let ps):
            header(6)
            u32(UInt32(ps.count))
            ps.forEach(polygon)
        case .collection(let gs):
            header(7)
            u32(UInt32(gs.count))
            for sub in gs { write(sub, into: &out) }
        }
    }
}
