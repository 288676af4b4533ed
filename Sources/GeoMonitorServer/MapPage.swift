import GeoMonitor

/// The web map at `/map`: Leaflet (Debian's `libjs-leaflet`, served by the server at
/// `/leaflet/`, so the page works offline) over the server's own collections: the progress
/// choropleth of a target at a date, styled as the SVG maps are (``MapStyle/standard``), and the
/// projects of the current view, fetched by `bbox` requests as the view changes.
enum MapPage {
    /// The page, its text in `language` (`en` or `vi`); `targets` titled in that language in the picker.
    static func html(title: String, language: String, targets: [Target] = []) -> String {
        let style = MapStyle.standard
        let styleJSON = JSONValue.object([
            ("ramp", .array(style.ramp.map { .string($0) })), ("breaks", .array(style.breaks.map { .number($0) })),
            ("noData", .string(style.noData)), ("localityStroke", .string(style.localityStroke)),
            ("provinceStroke", .string(style.provinceStroke)),
            ("kinds", .object(style.kinds.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("status", .object(style.statusEncoding.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]).serialized()
        let lang = language == "vi" ? "vi" : "en"
        // The vocabulary (kinds, project statuses, target statuses) in the language's own words.
        let words = (try? Language.load(lang)) ?? .english
        var pairs = (lang == "vi" ? vietnamese : english).map { ($0.0, JSONValue.string($0.1)) }
        pairs += ProjectKind.allCases.map { ("kind." + $0.rawValue, .string(words.kind($0))) }
        pairs += ProjectStatus.allCases.map { ("pstatus." + $0.rawValue, .string(words.projectStatus($0))) }
        pairs += ProgressStatus.allCases.map { ("status." + $0.rawValue, .string(words.status($0))) }
        pairs += targets.map { ("target." + $0.id, .string(words.title($0))) }
        let text = JSONValue.object(pairs).serialized()
        return
            template
            .replacingOccurrences(of: "{{TITLE}}", with: XMLText.escape(title))
            .replacingOccurrences(of: "{{LANG}}", with: lang)
            // JSON inside <script>: no "</" can close the element early.
            .replacingOccurrences(of: "{{STYLE}}", with: styleJSON.replacingOccurrences(of: "</", with: "<\\/"))
            .replacingOccurrences(of: "{{TEXT}}", with: text.replacingOccurrences(of: "</", with: "<\\/"))
    }

    static let english: [(String, String)] = [
        ("target", "Target"), ("asOf", "As of"), ("projects", "projects"), ("loading", "loading…"),
        ("legend", "Progress"),
        ("legendQuota", "% of locality quota"), ("legendAchieved", "achieved"), ("noData", "no figure"),
        ("kinds", "Project kinds"), ("code", "code"), ("achieved", "achieved"), ("quota", "quota"),
        ("percent", "percent"),
        ("status", "status"), ("count", "projects"), ("id", "id"), ("kind", "kind"), ("date", "date"), ("area", "area"),
        ("length", "length"), ("trees", "trees"), ("localities", "localities"),
        ("zoomIn", "zoom in to see the projects"),
        ("inView", "projects in view"), ("error", "error"),
    ]
    static let vietnamese: [(String, String)] = [
        ("target", "Chỉ tiêu"), ("asOf", "Đến ngày"), ("projects", "dự án"), ("loading", "đang tải…"),
        ("legend", "Tiến độ"),
        ("legendQuota", "% chỉ tiêu của địa phương"), ("legendAchieved", "đã đạt"), ("noData", "không có số liệu"),
        ("kinds", "Loại dự án"), ("code", "mã"), ("achieved", "đã đạt"), ("quota", "chỉ tiêu"), ("percent", "tỷ lệ"),
        ("status", "tình trạng"), ("count", "số dự án"), ("id", "mã"), ("kind", "loại"), ("date", "ngày"),
        ("area", "diện tích"),
        ("length", "chiều dài"), ("trees", "số cây"), ("localities", "địa phương"),
        ("zoomIn", "phóng to để xem các dự án"),
        ("inView", "dự án trong khung nhìn"), ("error", "lỗi"),
    ]

    static let template = #"""
        <!DOCTYPE html>
        <html lang="{{LANG}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{TITLE}} — geomonitor</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="leaflet/leaflet.css">
        <script src="leaflet/leaflet.js"></script>
        <style>
          html, body { margin: 0; height: 100%; }
          body { font: 14px/1.4 'Noto Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; color: #1a1a1a; display: flex; flex-direction: column; }
          header { padding: 6px 12px; background: #23412f; color: #fff; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
          header h1 { font-size: 16px; margin: 0 12px 0 0; font-weight: 600; }
          header label { display: flex; gap: 6px; align-items: center; }
          header select, header input { font: inherit; padding: 2px 4px; }
          #target { max-width: 420px; }
          #status { font-size: 12px; color: #d8e6dc; }
          #status.err { color: #ffb3b3; }
          #map { flex: 1; background: #eef2f4; }
          .legend { background: rgba(255,255,255,.94); padding: 6px 9px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 12px; line-height: 18px; max-width: 230px; }
          .legend h4 { margin: 2px 0 4px; font-size: 12px; }
          .legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px; border: 1px solid #999; }
          .popup td { padding: 0 6px 0 0; vertical-align: top; }
          .popup td:first-child { color: #666; }
        </style>
        </head>
        <body>
        <header>
          <h1>{{TITLE}}</h1>
          <label><span data-t="target"></span> <select id="target"></select></label>
          <label><span data-t="asOf"></span> <input id="asof" type="date"></label>
          <label><input id="showprj" type="checkbox" checked> <span data-t="projects"></span></label>
          <span id="status"></span>
        </header>
        <div id="map"></div>
        <script>
        "use strict";
        const STYLE = {{STYLE}};
        const T = {{TEXT}};
        /** Plots asked for per view; more than this in view: zoom in. */
        const PAGE = 1000;
        document.querySelectorAll("[data-t]").forEach(e => { e.textContent = T[e.dataset.t]; });
        const statusEl = document.getElementById("status"), sel = document.getElementById("target");
        const asof = document.getElementById("asof"), showPrj = document.getElementById("showprj");
        /** What the page has done, for whoever watches it (and its browser test). */
        const gm = window.geomonitor = { bboxRequests: [], plots: 0, localities: 0 };
        statusEl.textContent = T.loading;

        function esc(s) { return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c])); }
        function fmt(v, d) {
          if (v === null || v === undefined) return "–";
          if (typeof v !== "number") return esc(v);
          return v.toLocaleString(document.documentElement.lang, { maximumFractionDigits: d === undefined ? 2 : d });
        }
        function say(text, error) { statusEl.textContent = text; statusEl.className = error ? "err" : ""; }
        async function getJSON(url, signal) {
          const r = await fetch(url, { headers: { "Accept": "application/json" }, signal });
          const body = await r.json();
          if (!r.ok) throw new Error((body && body.description) || ("HTTP " + r.status));
          return body;
        }
        function table(rows) {
          return "<table class=popup>" + rows.map(([k, v]) => "<tr><td>" + esc(k) + "</td><td>" + v + "</td></tr>").join("") + "</table>";
        }

        const map = L.map("map", { zoomSnap: 0.5, preferCanvas: false });
        gm.map = map;
        L.control.scale({ metric: true, imperial: false }).addTo(map);
        const localityLayer = L.geoJSON(null, { style: localityStyle, onEachFeature: bindLocality }).addTo(map);
        const plotLayer = L.geoJSON(null, {
          style: plotStyle, onEachFeature: bindPlot,
          pointToLayer: (f, ll) => L.circleMarker(ll, Object.assign({ radius: 5 }, plotStyle(f))),
        }).addTo(map);
        const legend = L.control({ position: "bottomright" });
        legend.onAdd = () => { const d = L.DomUtil.create("div", "legend"); d.id = "legend"; return d; };
        legend.addTo(map);

        // ---- the choropleth: classes as the SVG maps draw them ----
        let classes = { byQuota: true, step: 0 };
        function classOf(p) {
          if (classes.byQuota) {
            if (p.percent === null || p.percent === undefined) return -1;
            let i = 0; while (i < STYLE.breaks.length && p.percent >= STYLE.breaks[i]) i++;
            return Math.min(i, STYLE.ramp.length - 1);
          }
          if (p.achieved === null || p.achieved === undefined || p.achieved === 0 || !(classes.step > 0)) return p.achieved > 0 ? 0 : -1;
          return Math.min(STYLE.ramp.length - 1, Math.floor(p.achieved / classes.step));
        }
        function localityStyle(f) {
          const c = classOf(f.properties);
          return { color: STYLE.localityStroke, weight: 1.2, fillColor: c < 0 ? STYLE.noData : STYLE.ramp[c], fillOpacity: 0.85 };
        }
        function niceStep(raw) {
          if (!(raw > 0) || !isFinite(raw)) return 0;
          const e = Math.pow(10, Math.floor(Math.log10(raw)));
          for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= raw) return m * e;
          return 10 * e;
        }
        function bindLocality(f, layer) {
          const p = f.properties;
          layer.bindPopup(() => "<b>" + esc(p.name) + "</b>" + table([
            [T.code, esc(p.code)], [T.achieved, fmt(p.achieved) + " " + esc(p.unit || "")], [T.quota, fmt(p.quota)],
            [T.percent, p.percent === null || p.percent === undefined ? "–" : fmt(p.percent, 1) + " %"],
            [T.status, esc(T["status." + p.status] || (p.status || "–").replace(/_/g, " "))], [T.count, fmt(p.projects, 0)]]));
          layer.on("mouseover", () => layer.setStyle({ weight: 3, color: "#1a1a1a" }));
          layer.on("mouseout", () => localityLayer.resetStyle(layer));
        }
        function drawLegend() {
          const el = document.getElementById("legend");
          let rows = "";
          if (classes.byQuota) {
            const b = STYLE.breaks;
            STYLE.ramp.forEach((c, i) => {
              const label = i === 0 ? "< " + b[0] + " %" : i >= b.length ? "≥ " + b[b.length - 1] + " %" : b[i - 1] + "–" + b[i] + " %";
              rows += "<div><i style=\"background:" + c + "\"></i>" + esc(label) + "</div>";
            });
          } else {
            STYLE.ramp.forEach((c, i) => {
              const lo = i * classes.step, hi = (i + 1) * classes.step;
              const label = i === STYLE.ramp.length - 1 ? "≥ " + fmt(lo) : fmt(lo) + "–" + fmt(hi);
              rows += "<div><i style=\"background:" + c + "\"></i>" + label + "</div>";
            });
          }
          rows += "<div><i style=\"background:" + STYLE.noData + "\"></i>" + esc(T.noData) + "</div>";
          const kinds = Object.keys(STYLE.kinds).map(k => "<div><i style=\"background:" + STYLE.kinds[k] + "\"></i>" + esc(T["kind." + k] || k.replace(/_/g, " ")) + "</div>").join("");
          el.innerHTML = "<h4>" + esc(T.legend) + " (" + esc(classes.byQuota ? T.legendQuota : T.legendAchieved) + ")</h4>" + rows + "<h4>" + esc(T.kinds) + "</h4>" + kinds;
        }

        // ---- plots: solid when done, dashed in progress, hollow not started, dotted off track ----
        function plotStyle(f) {
          const p = f.properties, c = STYLE.kinds[p.kind] || "#7f7f7f", enc = STYLE.status[p.status] || "solid";
          const s = { color: c, weight: 1.5, fillColor: c, fillOpacity: 0.75, opacity: 1 };
          if (enc === "dashed") { s.fillOpacity = 0.35; s.dashArray = "4 3"; }
          if (enc === "hollow") { s.fillOpacity = 0; s.weight = 2; }
          if (enc === "crossed") { s.fillOpacity = 0.15; s.dashArray = "1 4"; s.color = "#444"; }
          if (f.geometry && /LineString/.test(f.geometry.type)) { s.weight = 3; s.fillOpacity = 0; }
          return s;
        }
        function bindPlot(f, layer) {
          const p = f.properties;
          layer.bindPopup(() => "<b>" + esc(p.name || p.id) + "</b>" + table([
            [T.id, esc(p.id)], [T.kind, esc(T["kind." + p.kind] || (p.kind || "").replace(/_/g, " "))], [T.status, esc(T["pstatus." + p.status] || (p.status || "").replace(/_/g, " "))],
            [T.date, esc(p.date || "–")], [T.area, p.area_ha === null || p.area_ha === undefined ? "–" : fmt(p.area_ha) + " ha"],
            [T.length, p.length_km === null || p.length_km === undefined ? "–" : fmt(p.length_km) + " km"], [T.trees, fmt(p.trees, 0)],
            [T.localities, esc((p.localities || []).map(l => l.name || l.code).join(", "))]]));
        }

        /** The plots of the current view, through the server's bbox requests; a newer view cancels an older request. */
        let plotRequest = null;
        async function loadPlots() {
          if (plotRequest) plotRequest.abort();
          if (!showPrj.checked) { plotLayer.clearLayers(); gm.plots = 0; return; }
          const b = map.getBounds(), r = v => Math.round(v * 1e6) / 1e6;
          const bbox = [r(Math.max(-180, b.getWest())), r(Math.max(-90, b.getSouth())), r(Math.min(180, b.getEast())), r(Math.min(90, b.getNorth()))].join(",");
          const url = "collections/projects/items?limit=" + PAGE + "&bbox=" + bbox;
          const ctl = plotRequest = new AbortController();
          gm.bboxRequests.push(url);
          try {
            const page = await getJSON(url, ctl.signal);
            if (ctl !== plotRequest) return;
            plotLayer.clearLayers();
            if (page.numberMatched > page.numberReturned) {
              gm.plots = 0;
              say(fmt(page.numberMatched, 0) + " " + T.inView + " — " + T.zoomIn);
            } else {
              plotLayer.addData(page.features);
              gm.plots = page.features.length;
              say(fmt(gm.plots, 0) + " " + T.inView);
            }
          } catch (e) {
            if (e.name !== "AbortError") say(T.error + ": " + e.message, true);
          }
        }

        let fitted = false;
        async function loadProgress() {
          say(T.loading);
          try {
            let url = "collections/progress/items?limit=10000&target=" + encodeURIComponent(sel.value);
            if (asof.value) url += "&as_of=" + encodeURIComponent(asof.value);
            const page = await getJSON(url);
            const props = page.features.map(f => f.properties);
            classes.byQuota = props.some(p => p.quota !== null && p.quota !== undefined);
            classes.step = niceStep(Math.max(0, ...props.map(p => p.achieved || 0)) / STYLE.ramp.length);
            localityLayer.clearLayers();
            localityLayer.addData(page.features);
            gm.localities = page.features.length;
            drawLegend();
            if (!fitted) { fitted = true; map.fitBounds(localityLayer.getBounds()); }
            await loadPlots();
          } catch (e) { say(T.error + ": " + e.message, true); }
        }

        async function start() {
          try {
            const cat = await getJSON("targets");
            for (const t of cat.targets.filter(t => t.byLocality)) {
              const o = document.createElement("option"); o.value = t.id; o.textContent = t.id + " — " + (T["target." + t.id] || t.title); sel.appendChild(o);
            }
            if (cat.defaultTarget) sel.value = cat.defaultTarget;
            // Judge at the programme's end, or today while it runs.
            const today = new Date().toISOString().slice(0, 10), end = cat.programme && cat.programme.period.end;
            if (!asof.value) asof.value = end && end < today ? end : today;
            await loadProgress();
            map.on("moveend", loadPlots);
          } catch (e) { say(T.error + ": " + e.message, true); }
        }
        sel.addEventListener("change", loadProgress);
        asof.addEventListener("change", loadProgress);
        showPrj.addEventListener("change", loadPlots);
        start();
        </script>
        </body>
        </html>
        """#
}
