import Foundation

/// A map series: one SVG per locality, the province map, and an `index.html` showing them all
/// with their figures.
public enum MapSeries {
    /// Writes the series into `dir` (created if missing); returns the files written.
    ///
    /// Files: `province-<target>.svg`, one `locality-<code>.svg` per locality, and `index.html`
    /// linking them with each locality's figure, quota, percent and status. Each file is written
    /// atomically (see ``OutputFile``).
    /// - Returns: the file names written, relative to `dir`.
    /// - Throws: ``GeoMonitorError`` of kind `.output` when the folder cannot be created or a
    ///   file written, `.crs` as ``MapRenderer/provinceMap(_:asOf:)`` does.
    @discardableResult
    public static func write(renderer: MapRenderer, progress: TargetProgress, asOf: Day, to dir: String) throws
        -> [String]
    {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw GeoMonitorError(.output, file: dir, "cannot create the folder: \(error.localizedDescription)")
        }
        var files: [String] = []
        let province = "province-\(XMLText.token(progress.target.id)).svg"
        try OutputFile.write(renderer.provinceMap(progress, asOf: asOf), to: dir + "/" + province)
        files.append(province)
        let lang = renderer.language
        var rows = ""
        for l in renderer.dataset.localities.all {
            let name = "locality-\(XMLText.token(l.code)).svg"
            try OutputFile.write(renderer.localityMap(l, progress: progress, asOf: asOf), to: dir + "/" + name)
            files.append(name)
            let lp = progress.localities.first { $0.code == l.code }
            let fig =
                lp.map { ProgressOutput.figure($0.achieved, unit: progress.target.unit, lang) } ?? "–"
            let quota = lp?.quota.map { lang.number($0, 2) } ?? "–"
            let pct = lang.percent(lp?.percent)
            let status = lp?.status?.rawValue ?? ""
            let statusText = lp?.status.map { lang.status($0).replacingOccurrences(of: "_", with: " ") } ?? ""
            rows += """
                <figure class="card \(XMLText.escape(status))"><a href="\(name)"><img src="\(name)" alt="\(XMLText.escape(l.displayName))" loading="lazy"></a>
                <figcaption><b>\(XMLText.escape(l.displayName))</b> <span>(\(XMLText.escape(l.code)))</span><br>\(XMLText.escape(fig)) · \(XMLText.escape(lang("quota"))) \(XMLText.escape(quota)) · \(XMLText.escape(pct)) <em>\(XMLText.escape(statusText))</em></figcaption></figure>

                """
        }
        let t = progress.target
        let html = """
            <!DOCTYPE html>
            <html lang="\(XMLText.escape(lang.code))"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(XMLText.escape(lang.title(t))) — \(XMLText.escape(lang.date(asOf)))</title>
            <style>
            body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;margin:24px;color:#1a1a1a;background:#fafafa}
            h1{font-size:22px;margin:0 0 4px} p.sub{margin:0 0 16px;color:#444}
            .province img{width:100%;max-width:1000px;border:1px solid #ddd;background:#fff}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px;margin-top:16px}
            .card{margin:0;background:#fff;border:1px solid #ddd;padding:8px} .card img{width:100%}
            .card.achieved{border-color:#253494} .card.behind{border-color:#d55e00} .card.at_risk{border-color:#e69f00}
            figcaption{font-size:13px;line-height:1.5} figcaption span{color:#777}
            </style></head><body>
            <h1>\(XMLText.escape(lang.title(t))) (\(XMLText.escape(t.clause)))</h1>
            <p class="sub">“\(XMLText.escape(t.text))”<br>\(XMLText.escape(lang("Target {1} {2} · achieved {3} {2} ({4}) · {5} · as of {6}", t.goal?.text(lang) ?? "—", lang.unit(t.unit), lang.number(progress.achieved ?? 0, 2), lang.percent(progress.percent ?? 0), lang.status(progress.status).replacingOccurrences(of: "_", with: " "), lang.date(asOf))))</p>
            <div class="province"><a href="\(province)"><img src="\(province)" alt="\(XMLText.escape(lang("Province map")))"></a></div>
            <div class="grid">
            \(rows)</div>
            </body></html>

            """
        try OutputFile.write(html, to: dir + "/index.html")
        files.append("index.html")
        return files
    }
}
