/// Projects' own `locality` text checked against the boundary edition in force at each project's
/// date: a 2026 register still naming "huyện Lâm Hà" (a unit of the 2024 edition only) gets a
/// `locality-outdated` warning naming the units that succeeded it (by geometry, slivers left out).
enum LocalityTextCheck {
    static func warnings(_ projects: [Project], manifest: Manifest, editions: [String: LocalityDirectory]) -> [Warning]
    {
        guard manifest.hasEditions, editions.count > 1 else { return [] }
        // (edition in force, text key) → projects, in first-seen order.
        var groups: [String: (edition: String, text: String, ids: [String])] = [:]
        var order: [String] = []
        var resolves: [String: Bool] = [:]
        for p in projects {
            guard let text = p.localityAttribute, !text.isEmpty, let day = p.date, let e = manifest.edition(on: day),
                let dir = editions[e.id]
            else { continue }
            let k = e.id + "|" + VietnameseNames.key(text)
            if resolves[k] == nil { resolves[k] = (try? dir.find(text)) != nil }
            guard resolves[k] == false else { continue }
            if groups[k] == nil {
                order.append(k)
                groups[k] = (e.id, text, [])
            }
            groups[k]?.ids.append(p.id)
        }
        var out: [Warning] = []
        for k in order {
            guard let g = groups[k], let dir = editions[g.edition] else { continue }
            // The unit the text names in another edition, and its successors in the one in force.
            for other in manifest.editions where other.id != g.edition {
                guard let od = editions[other.id], let unit = try? od.find(g.text) else { continue }
                let successors =
                    (try? Crosswalk(
                        from: LocalityDirectory([unit]), to: dir, fromEdition: other.id, toEdition: g.edition
                    ).pairs) ?? []
                let names = successors.map {
                    "\($0.toCode) \(dir[code: $0.toCode]?.displayName ?? $0.toName) (\(NumberText.fixed($0.shareOfFrom * 100, 0)) %)"
                }
                let ids = g.ids.prefix(5).joined(separator: ", ") + (g.ids.count > 5 ? ", …" : "")
                out.append(
                    Warning(
                        code: "locality-outdated",
                        "\(g.ids.count) project(s) dated in edition \(g.edition) name '\(g.text)', \(unit.displayName) (\(unit.code)) of edition \(other.id), not a unit of \(g.edition): its successors are \(names.isEmpty ? "none (no overlap)" : names.joined(separator: ", ")) (\(ids))"
                    ))
                break
            }
        }
        return out
    }
}
