import Foundation
internal import GDALKit

/// The project ids of every source of a manifest, for the duplicate check: ids compared after
/// trimming (an integer 1203 and the text "1203 " are the same id), over every feature, whatever
/// a filter keeps, so that every command refuses the same manifest the same way.
struct ProjectIDs {
    /// Where an id was seen.
    struct Place { var source: String; var layer: String; var fid: Int64 }
    private var seen: [String: Place] = [:]
    private var duplicate: (id: String, first: Place, again: Place)?

    private mutating func note(_ id: String, _ place: Place) {
        guard duplicate == nil else { return }
        if let first = seen.updateValue(place, forKey: id) {
            duplicate = (id, first, place)
            seen[id] = first
        }
    }

    /// The ids of a source read whole: its projects and the features skipped for want of a
    /// geometry (they hold ids too), in feature-id order as a scan would see them.
    mutating func add(_ projects: [Project], skipped: [(id: String, fid: Int64)], source: String, layer: String) {
        seen.reserveCapacity(seen.count + projects.count)
        var all = projects.map { ($0.id, $0.fid) } + skipped.map { ($0.id, $0.fid) }
        if !skipped.isEmpty || !all.indices.dropFirst().allSatisfy({ all[$0 - 1].1 <= all[$0].1 }) { all.sort { $0.1 < $1.1 } }
        for (id, fid) in all { note(id, Place(source: source, layer: layer, fid: fid)) }
    }

    /// Reads the id of every feature of a source (the id column only, no geometry), before any
    /// filter applies.
    mutating func scan(_ rules: ProjectDecoder, reader: SourceReader) throws {
        let source = reader.displayPath, layer = reader.layer.name
        var found: [(String, Int64)] = []
        do {
            let columns = rules.idColumn.map { [$0] } ?? []
            // Large GeoPackages and PostGIS tables: in key ranges, each on its own connection, on all cores.
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let parts = cores > 1 ? reader.layer.parts(min(cores, 8)) : [.all]
            if parts.count > 1 {
                let results = LockedBox<[Int: Result<[(String, Int64)], Error>]>([:])
                nonisolated(unsafe) let rules = rules
                let path = reader.path, options = reader.openOptions, name = layer
                DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                    let r = Result { () throws -> [(String, Int64)] in
                        var part: [(String, Int64)] = []
                        let l = try VectorDataset(path: path, openOptions: options).layer(name)
                        try l.forEachFeature(fieldIndices: columns, part: parts[k], geometry: false) { rec in
                            if let id = rules.id(idValue: rec.values.first, fid: rec.fid) { part.append((id, rec.fid)) }
                        }
                        return part
                    }
                    results.mutate { $0[k] = r }
                }
                let all = results.value
                for k in 0..<parts.count { if let r = all[k] { found += try r.get() } }
            } else {
                try reader.layer.forEachFeature(fieldIndices: columns, geometry: false) { rec in
                    if let id = rules.id(idValue: rec.values.first, fid: rec.fid) { found.append((id, rec.fid)) }
                }
            }
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: source)
        }
        found.sort { $0.1 < $1.1 }
        for (id, fid) in found { note(id, Place(source: source, layer: layer, fid: fid)) }
    }

    /// Throws on the first id seen twice, naming both places.
    func check() throws {
        guard let d = duplicate else { return }
        throw GeoMonitorError(.value, file: d.again.source, layer: d.again.layer, feature: String(d.again.fid),
                              "duplicate project id '\(d.id)' (first seen in \(d.first.source), feature \(d.first.fid))")
    }
}
