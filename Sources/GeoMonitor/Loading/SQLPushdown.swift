internal import GDALKit

/// The attribute pre-filter of a `ProjectFilter` as an SQL condition that a GeoPackage (or
/// SQLite) source or a PostGIS table evaluates itself, so features no target selects are never turned into OGR
/// features, parsed or reprojected. Status and kind columns are compared with the spellings the
/// manifest maps (and the canonical names); any other spelling is let through for the full pass
/// to decide or report; date windows become ISO text ranges on date columns.
///
/// Never stricter than the pre-filter, which still runs on every feature read.
enum SQLPushdown {
    static func condition(for f: ProjectFilter, spec: Manifest.ProjectSource, layer: VectorLayer) -> String? {
        guard layer.filtersNatively, f.ids.isEmpty else { return nil }
        func column(_ key: String) -> FieldDefinition? { spec.fields[key].flatMap { layer.field(named: $0) } }
        func q(_ c: FieldDefinition) -> String { VectorLayer.sqlIdentifier(c.name) }
        func list(_ values: Set<String>) -> String {
            values.sorted().map(VectorLayer.sqlLiteral).joined(separator: ", ")
        }
        var alternatives: [String] = []
        // Features the full pass must see whatever the selection: no id.
        if let id = column("id") { alternatives.append("\(q(id)) IS NULL") }
        if spec.fields["kind"] != nil && column("kind")?.type != .string { return nil }
        if spec.fields["status"] != nil && column("status")?.type != .string { return nil }
        // Linked projects: any with a non-empty targets column.
        if !f.linkedTargets.isEmpty, let t = column("targets") {
            alternatives.append("(\(q(t)) IS NOT NULL AND \(q(t)) <> '')")
        }
        /// The rows of a vocabulary column a set of values admits: the spellings known to map to
        /// them, every spelling not known at all, and NULL when the source's default is admitted.
        func term<T: RawRepresentable & Hashable & CaseIterable>(
            _ c: FieldDefinition?, mapping: [String: T], constant: T, admitted: Set<T>
        ) -> String?? where T.RawValue == String {
            guard let c else { return admitted.contains(constant) ? .some(nil) : nil }
            var known = Set(mapping.keys)
            var yes = Set(mapping.filter { admitted.contains($0.value) }.keys)
            for v in T.allCases {
                known.insert(v.rawValue)
                if admitted.contains(v) { yes.insert(v.rawValue) }
            }
            var parts: [String] = []
            if !yes.isEmpty { parts.append("\(q(c)) IN (\(list(yes)))") }
            parts.append("\(q(c)) NOT IN (\(list(known)))")
            if admitted.contains(constant) { parts.append("\(q(c)) IS NULL") }
            return .some("(" + parts.joined(separator: " OR ") + ")")
        }
        let postgres = layer.dataset.driverName == "PostgreSQL"
        let date = column("date").flatMap { $0.type == .date || $0.type == .dateTime ? $0 : nil }
        for s in f.selections {
            var terms: [String] = []
            if !s.kinds.isEmpty {
                guard
                    let t = term(
                        column("kind"), mapping: spec.kindValues, constant: spec.kind ?? .other, admitted: s.kinds)
                else { continue }
                if let t { terms.append(t) }
            }
            if !s.statuses.isEmpty {
                guard
                    let t = term(
                        column("status"), mapping: spec.statusValues, constant: spec.status ?? .planned,
                        admitted: s.statuses)
                else { continue }
                if let t { terms.append(t) }
            }
            // PostgreSQL compares dates and timestamps as dates; GeoPackage stores them as ISO 8601 text.
            if let d = date, postgres {
                if let a = s.dateFrom { terms.append("CAST(\(q(d)) AS date) >= '\(a)'") }
                if let b = s.dateTo { terms.append("CAST(\(q(d)) AS date) <= '\(b)'") }
            } else if let d = date {
                if let a = s.dateFrom { terms.append("\(q(d)) >= '\(a)'") }
                if let b = s.dateTo { terms.append("\(q(d)) <= '\(b)~'") }
            }
            alternatives.append(terms.isEmpty ? "1 = 1" : terms.joined(separator: " AND "))
        }
        return alternatives.isEmpty ? "0 = 1" : alternatives.map { "(\($0))" }.joined(separator: " OR ")
    }
}
