import Foundation
internal import GDALKit
import GeoKit

/// The project ids of every source of a manifest, for the duplicate check: ids compared after
/// trimming (an integer 1203 and the text "1203 " are the same id), over every feature, whatever
/// a filter keeps, so that every command refuses the same manifest the same way.
struct ProjectIDs {
    /// Where an id was seen.
    struct Place {
        var source: String
        var layer: String
        var fid: Int64
    }
    /// Every id of the sources noted after the first (a set: the places are looked up only for
    /// a duplicate); the first source's ids join it only when a second source comes.
    private var seen: Set<String> = []
    /// The ids of each source, in the order they were noted, to find where a duplicate was first seen.
    private var sources: [(source: String, layer: String, ids: [(String, Int64)])] = []
    private var duplicate: (id: String, first: Place, again: Place)?

    /// The ids of one source in feature-id order and the first repeat among them, found on
    /// whichever thread read them (a scan beside the main read finds it there).
    struct SourceIDs: Sendable {
        /// (id, feature id), in feature-id order.
        let ids: [(String, Int64)]
        /// The position in `ids` of the first id seen earlier in `ids`, if any.
        let firstRepeat: Int?

        init(_ ids: [(String, Int64)]) {
            self.ids = ids
            firstRepeat = Self.firstRepeat(ids.map(\.0))
        }

        /// The position of the first id equal (as Swift compares strings: canonical
        /// equivalence) to an earlier one, by an open-addressing table hashed with FNV-1a over
        /// the NFC bytes (the hashes made on all cores): a Swift `Set` seeds a hasher per
        /// insertion, which was most of the check's time over 200,000 ids. Each slot holds the
        /// position and the hash's upper half, so only ids of equal hashes are compared.
        static func firstRepeat(_ ids: [String]) -> Int? {
            let hashes = Parallel.map(count: ids.count, chunk: 8192) { fnv1a(ids[$0]) }
            var size = 16
            while size < 2 * ids.count { size <<= 1 }
            let mask = size - 1
            // 0: empty; else the hash's upper 32 bits, then the position + 1.
            var table = [UInt64](repeating: 0, count: size)
            for k in ids.indices {
                let h = hashes[k]
                let tag = h >> 32
                var slot = Int(truncatingIfNeeded: h) & mask
                while table[slot] != 0 {
                    let e = table[slot]
                    if e >> 32 == tag && ids[Int(e & 0xFFFF_FFFF) - 1] == ids[k] { return k }
                    slot = (slot + 1) & mask
                }
                table[slot] = tag << 32 | UInt64(k + 1)
            }
            return nil
        }

        /// FNV-1a of the UTF-8 of the text in NFC, so canonically equal texts hash alike.
        static func fnv1a(_ s: String) -> UInt64 { FNV1a.hash(s.nfc.utf8) }
    }

    /// Notes the ids of one source (in feature-id order); stops at the first id seen before.
    private mutating func note(_ found: SourceIDs, source: String, layer: String) {
        guard duplicate == nil else { return }
        let ids = found.ids
        sources.append((source, layer, ids))
        func first(_ id: String, before k: Int) -> Place? {
            for s in sources {
                let limit = s.source == source && s.layer == layer ? k : s.ids.count
                if let hit = s.ids.prefix(limit).first(where: { $0.0 == id }) {
                    return Place(source: s.source, layer: s.layer, fid: hit.1)
                }
            }
            return nil
        }
        if sources.count == 1 {
            // The first source: its own repeat, found where it was read.
            if let k = found.firstRepeat {
                let again = Place(source: source, layer: layer, fid: ids[k].1)
                duplicate = (ids[k].0, first(ids[k].0, before: k) ?? again, again)
            }
            return
        }
        if sources.count == 2 { seen = Set(sources[0].ids.map(\.0)) }
        seen.reserveCapacity(seen.count + ids.count)
        for (k, (id, fid)) in ids.enumerated() where !seen.insert(id).inserted {
            // The first place: an earlier source, or earlier in this one.
            let again = Place(source: source, layer: layer, fid: fid)
            duplicate = (id, first(id, before: k) ?? again, again)
            return
        }
    }

    /// The ids of a source read whole: its projects and the features skipped for want of a
    /// geometry (they hold ids too), in feature-id order as a scan would see them.
    mutating func add(_ projects: [Project], skipped: [(id: String, fid: Int64)], source: String, layer: String) {
        var all = projects.map { ($0.id, $0.fid) } + skipped.map { ($0.id, $0.fid) }
        if !skipped.isEmpty || !all.indices.dropFirst().allSatisfy({ all[$0 - 1].1 <= all[$0].1 }) {
            all.sort { $0.1 < $1.1 }
        }
        note(SourceIDs(all), source: source, layer: layer)
    }

    /// Reads the id of every feature of a source (the id column only, no geometry), before any
    /// filter applies.
    mutating func scan(_ rules: ProjectDecoder, reader: SourceReader) throws {
        let found = try Self.read(
            rules, layer: reader.layer, path: reader.path, openOptions: reader.openOptions, shown: reader.displayPath)
        add(scanned: SourceIDs(found), source: reader.displayPath, layer: reader.layer.name)
    }

    /// Notes the ids a scan read (``read(_:layer:path:openOptions:shown:)``).
    mutating func add(scanned found: SourceIDs, source: String, layer: String) {
        note(found, source: source, layer: layer)
    }

    /// The id and feature id of every feature of `layer` (the layer of the source at `path`, or
    /// the same source opened again for a scan beside the main read), in feature-id order. Large
    /// sources are read in parts, each through its own connection to `path` (with `openOptions`);
    /// errors name the file as `shown`.
    static func read(
        _ rules: ProjectDecoder, layer l: VectorLayer, path: String, openOptions options: [String: String],
        shown source: String
    ) throws -> [(String, Int64)] {
        let layer = l.name
        // A GeoPackage, SQLite or PostGIS source gives the whole id column in one query.
        if let i = rules.idColumn, let c = l.fields.first(where: { $0.index == i })?.name, let all = l.columnText(c) {
            return all.compactMap { p in rules.id(idValue: .string(p.text), fid: p.fid).map { ($0, p.fid) } }
        }
        var found: [(String, Int64)] = []
        do {
            let columns = rules.idColumn.map { [$0] } ?? []
            // Large GeoPackages and PostGIS tables: in key ranges, each on its own connection, on all cores.
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let parts = cores > 1 ? l.parts(min(cores, 8)) : [.all]
            if parts.count > 1 {
                let name = layer
                let results = Parallel.map(count: parts.count, chunk: 1) { k in
                    Result { () throws -> [(String, Int64)] in
                        var part: [(String, Int64)] = []
                        let l = try VectorDataset(path: path, openOptions: options).layer(name)
                        try l.forEachFeature(fieldIndices: columns, part: parts[k], geometry: false) { rec in
                            if let id = rules.id(idValue: rec.values.first, fid: rec.fid) { part.append((id, rec.fid)) }
                        }
                        return part
                    }
                }
                for r in results { found += try r.get() }
            } else {
                try l.forEachFeature(fieldIndices: columns, geometry: false) { rec in
                    if let id = rules.id(idValue: rec.values.first, fid: rec.fid) { found.append((id, rec.fid)) }
                }
            }
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: source)
        }
        if !found.indices.dropFirst().allSatisfy({ found[$0 - 1].1 <= found[$0].1 }) { found.sort { $0.1 < $1.1 } }
        return found
    }

    /// Throws on the first id seen twice, naming both places.
    func check() throws {
        guard let d = duplicate else { return }
        throw GeoMonitorError(
            .value, file: d.again.source, layer: d.again.layer, feature: String(d.again.fid),
            "duplicate project id '\(d.id)' (first seen in \(d.first.source), feature \(d.first.fid))")
    }
}
