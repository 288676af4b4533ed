/// Renders the projects ``StalledProjects`` finds, as `geomonitor progress --stalled-months` adds them.
public enum StalledProjectsOutput {
    /// A section to append to a progress table: a blank line, a heading naming `months` (clause
    /// III.7), and a table (id, name, kind, status, since, months; `?` when unknown) in `language`.
    public static func section(_ found: [StalledProjects.Finding], months: Int, language lang: Language = .english)
        -> String
    {
        var t = TextTable(headers: ["id", "name", "kind", "status", "since", "months"].map { lang($0) })
        for f in found {
            t.add([
                f.project.id, f.project.name, lang.kind(f.project.kind), lang.projectStatus(f.project.status),
                f.project.date.map(lang.date) ?? "?", f.months.map(String.init) ?? "?",
            ])
        }
        return "\n" + lang("Stalled (no status change for ≥ {1} months, III.7):", String(months)) + "\n" + t.render()
    }
}
