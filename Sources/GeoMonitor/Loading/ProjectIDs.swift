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

    /// The ids of projects already read (a source read whole).
    mutating func add(_ projects: [Project]) {
        seen.reserveCapacity(seen.count + projects.count)
        for p in projects { note(p.id, Place(source: p.source, layer: p.layer, fid: p.fid)) }
    }

    /// Reads the id of every feature of a source (the id column only, no geometry), before any
    /// filter applies.
    mutating func scan(_ rules: ProjectDecoder, reader: SourceReader) throws {
        let source = reader.displayPath, layer = reader.layer.name
        var found: [(String, Int64)] = []
        do {
            let column = rules.idColumn
            try reader.layer.forEachFeature(fieldIndices: column.map { [$0] } ?? [], geometry: false) { rec in
                if let id = rules.id(idValue: rec.values.first, fid: rec.fid) { found.append((id, rec.fid)) }
            }
        } catch let e as GDALError {
            throw GeoMonitorError(e, file: source)
        }
        for (id, fid) in found { note(id, Place(source: source, layer: layer, fid: fid)) }
    }

    /// Throws on the first id seen twice, naming both places.
    func check() throws {
        guard let d = duplicate else { return }
        throw GeoMonitorError(.value, file: d.again.source, layer: d.again.layer, feature: String(d.again.fid),
                              "duplicate project id '\(d.id)' (first seen in \(d.first.source), feature \(d.first.fid))")
    }
}
