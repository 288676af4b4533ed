import GeoMonitor

/// The web map: one self-contained HTML page (inline CSS and JS, nothing fetched from elsewhere)
/// that reads the server's own collections and draws them as SVG.
enum MapPage {
    /// The page with its title, and its `lang` and fixed labels in `language` (the data it shows
    /// stays canonical: it reads the OGC API).
    static func html(title: String, language: Language = .english) -> String {
        var page = template.replacingOccurrences(of: "{{TITLE}}", with: XMLText.escape(title))
            .replacingOccurrences(of: "{{LANG}}", with: XMLText.escape(language.code))
        for word in ["Target", "As of", "projects", "Progress", "Legend", "Projects"] {
            page = page.replacingOccurrences(of: "{{\(word)}}", with: XMLText.escape(language(word)))
        }
        return page
    }

    static let template = #"""
<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} — geomonitor map</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #f4f5f2; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 8px 14px; background: #23412f; color: #fff; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; font-weight: 600; }
  header label { display: flex; gap: 6px; align-items: center; }
  header select, header input { font: inherit; padding: 2px 4px; }
  main { flex: 1; display: flex; min-height: 0; }
  #mapbox { flex: 1; position: relative; min-width: 0; }
  svg { width: 100%; height: 100%; display: block; background: #dfe9ef; }
  aside { width: 290px; padding: 10px 14px; overflow: auto; background: #fff; border-left: 1px solid #ccc; }
  aside h2 { font-size: 14px; margin: 8px 0 4px; }
  .loc { stroke: #fff; stroke-width: 1.2; vector-effect: non-scaling-stroke; }
  .loc:hover, .prj:hover { stroke: #000; stroke-width: 2.5; }
  .prj { vector-effect: non-scaling-stroke; stroke-width: 1; }
  .prj.line { fill: none; stroke-width: 3; }
  #tip { position: absolute; pointer-events: none; background: rgba(255,255,255,.96); border: 1px solid #888; border-radius: 4px; padding: 6px 8px; font-size: 12px; max-width: 320px; display: none; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  #tip table { border-collapse: collapse; }
  #tip td { padding: 0 6px 0 0; vertical-align: top; }
  #tip td:first-child { color: #666; }
  .sw { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: middle; border: 1px solid #999; }
  .legend div { margin: 2px 0; }
  #status { font-size: 12px; color: #d8e6dc; }
  #status.err { color: #ffb3b3; }
  #target { max-width: 420px; }
</style>
</head>
<body>
<header>
  <h1>{{TITLE}}</h1>
  <label>{{Target}} <select id="target"></select></label>
  <label>{{As of}} <input id="asof" type="date"></label>
  <label><input id="showprj" type="checkbox" checked> {{projects}}</label>
  <span id="status">loading…</span>
</header>
<main>
  <div id="mapbox"><svg id="map" xmlns="http://www.w3.org/2000/svg"></svg><div id="tip"></div></div>
  <aside>
    <h2 id="ttitle">{{Progress}}</h2>
    <div id="tinfo"></div>
    <h2>{{Legend}}</h2>
    <div class="legend" id="legend"></div>
    <h2>{{Projects}}</h2>
    <div class="legend" id="kinds"></div>
  </aside>
</main>
<script>
"use strict";
const SVGNS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("map"), tip = document.getElementById("tip"), statusEl = document.getElementById("status");
const sel = document.getElementById("target"), asof = document.getElementById("asof"), showPrj = document.getElementById("showprj");
const STATUS_COLORS = { achieved: "#1a9850", on_track: "#91cf60", at_risk: "#fee08b", behind: "#d73027", no_data: "#bbbbbb", monitoring: "#cccccc" };
const KIND_COLORS = { forest_planting: "#1b7837", road: "#542788", urban_upgrade: "#b35806", resettlement_area: "#e08214", market: "#c51b7d",
  public_facility: "#2166ac", energy: "#fdb863", tourism: "#35978f", other: "#666666" };
const RAMP = ["#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c"];
let targets = [], projects = [], progress = [], view = null;

function esc(s) { return String(s).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c])); }
function fmt(v, d) { if (v === null || v === undefined) return "–"; if (typeof v !== "number") return esc(v); return v.toLocaleString(undefined, { maximumFractionDigits: d === undefined ? 2 : d }); }

async function getJSON(url) {
  const r = await fetch(url, { headers: { "Accept": "application/json" } });
  const body = await r.json();
  if (!r.ok) throw new Error((body && body.description) || ("HTTP " + r.status));
  return body;
}
/** All features of an items URL, following next links. */
async function allFeatures(url) {
  let out = [];
  while (url) {
    const page = await getJSON(url);
    out = out.concat(page.features || []);
    const next = (page.links || []).find(l => l.rel === "next");
    url = next ? next.href : null;
  }
  return out;
}

function eachCoord(g, f) {
  if (!g) return;
  const walk = (c, depth) => { if (depth === 0) f(c); else c.forEach(x => walk(x, depth - 1)); };
  switch (g.type) {
    case "Point": walk(g.coordinates, 0); break;
    case "MultiPoint": case "LineString": walk(g.coordinates, 1); break;
    case "MultiLineString": case "Polygon": walk(g.coordinates, 2); break;
    case "MultiPolygon": walk(g.coordinates, 3); break;
    case "GeometryCollection": g.geometries.forEach(x => eachCoord(x, f)); break;
  }
}
/** Equirectangular at the mid latitude, fitted to the SVG. */
function makeView(features) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  features.forEach(ft => eachCoord(ft.geometry, c => { minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]); minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]); }));
  if (!isFinite(minX)) { minX = 0; maxX = 1; minY = 0; maxY = 1; }
  const k = Math.cos((minY + maxY) / 2 * Math.PI / 180);
  const w = (maxX - minX) * k || 1, h = (maxY - minY) || 1, W = 1000, H = 1000 * h / w;
  svg.setAttribute("viewBox", "-10 -10 " + (W + 20) + " " + (H + 20));
  return { p: c => [((c[0] - minX) * k / w * W).toFixed(2), ((maxY - c[1]) / h * H).toFixed(2)], scale: W / w };
}
function ringPath(r) { return "M" + r.map(c => view.p(c).join(",")).join("L") + "Z"; }
function linePath(l) { return "M" + l.map(c => view.p(c).join(",")).join("L"); }
function shape(g, cls) {
  if (!g) return [];
  const mk = (tag, attrs) => { const e = document.createElementNS(SVGNS, tag); for (const k in attrs) e.setAttribute(k, attrs[k]); e.setAttribute("class", cls); return e; };
  switch (g.type) {
    case "Polygon": return [mk("path", { d: g.coordinates.map(ringPath).join(""), "fill-rule": "evenodd" })];
    case "MultiPolygon": return [mk("path", { d: g.coordinates.map(p => p.map(ringPath).join("")).join(""), "fill-rule": "evenodd" })];
    case "LineString": return [mk("path", { d: linePath(g.coordinates) })].map(e => (e.classList.add("line"), e));
    case "MultiLineString": return [mk("path", { d: g.coordinates.map(linePath).join("") })].map(e => (e.classList.add("line"), e));
    case "Point": { const [x, y] = view.p(g.coordinates); return [mk("circle", { cx: x, cy: y, r: 5 })]; }
    case "MultiPoint": return g.coordinates.map(c => { const [x, y] = view.p(c); return mk("circle", { cx: x, cy: y, r: 5 }); });
    case "GeometryCollection": return g.geometries.flatMap(x => shape(x, cls));
  }
  return [];
}

function showTip(ev, rows, title) {
  tip.innerHTML = "<b>" + esc(title) + "</b><table>" + rows.map(([k, v]) => "<tr><td>" + esc(k) + "</td><td>" + v + "</td></tr>").join("") + "</table>";
  tip.style.display = "block";
  const box = svg.getBoundingClientRect();
  let x = ev.clientX - box.left + 14, y = ev.clientY - box.top + 14;
  if (x + tip.offsetWidth > box.width) x = ev.clientX - box.left - tip.offsetWidth - 10;
  if (y + tip.offsetHeight > box.height) y = ev.clientY - box.top - tip.offsetHeight - 10;
  tip.style.left = x + "px"; tip.style.top = y + "px";
}
function hideTip() { tip.style.display = "none"; }

function localityColor(p, maxAchieved) {
  if (p.status) return STATUS_COLORS[p.status] || "#ccc";
  if (p.achieved === null || p.achieved === undefined) return "#e0e0e0";
  const t = maxAchieved > 0 ? p.achieved / maxAchieved : 0;
  return RAMP[Math.min(RAMP.length - 1, Math.floor(t * (RAMP.length - 1) + 0.0001))];
}

function draw() {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  if (!view) view = makeView(progress.length ? progress : projects);
  const gl = document.createElementNS(SVGNS, "g"), gp = document.createElementNS(SVGNS, "g");
  const maxA = Math.max(0, ...progress.map(f => f.properties.achieved || 0));
  const withStatus = progress.some(f => f.properties.status);
  for (const f of progress) {
    const p = f.properties;
    for (const e of shape(f.geometry, "loc")) {
      e.setAttribute("fill", localityColor(p, maxA));
      e.addEventListener("mousemove", ev => showTip(ev, [["code", esc(p.code)], ["achieved", fmt(p.achieved) + " " + esc(p.unit || "")],
        ["quota", fmt(p.quota)], ["percent", p.percent === null || p.percent === undefined ? "–" : fmt(p.percent, 1) + " %"],
        ["status", esc(p.status || "–")], ["projects", fmt(p.projects, 0)]], p.name));
      e.addEventListener("mouseleave", hideTip);
      gl.appendChild(e);
    }
  }
  if (showPrj.checked) {
    for (const f of projects) {
      const p = f.properties, c = KIND_COLORS[p.kind] || "#444";
      for (const e of shape(f.geometry, "prj")) {
        if (e.classList.contains("line")) e.setAttribute("stroke", c); else { e.setAttribute("fill", c); e.setAttribute("fill-opacity", "0.75"); e.setAttribute("stroke", "#222"); }
        e.addEventListener("mousemove", ev => showTip(ev, [["id", esc(p.id)], ["kind", esc(p.kind)], ["status", esc(p.status)], ["date", esc(p.date || "–")],
          ["area", p.area_ha === null ? "–" : fmt(p.area_ha) + " ha"], ["length", p.length_km === null ? "–" : fmt(p.length_km) + " km"],
          ["trees", fmt(p.trees, 0)], ["localities", esc((p.localities || []).map(l => l.name || l.code).join(", "))]], p.name));
        e.addEventListener("mouseleave", hideTip);
        gp.appendChild(e);
      }
    }
  }
  svg.appendChild(gl); svg.appendChild(gp);
  const legend = document.getElementById("legend");
  if (withStatus) legend.innerHTML = Object.keys(STATUS_COLORS).map(s => "<div><span class=sw style=\"background:" + STATUS_COLORS[s] + "\"></span>" + s.replace("_", " ") + "</div>").join("") + "<div><span class=sw style=\"background:#e0e0e0\"></span>no quota</div>";
  else legend.innerHTML = RAMP.map((c, i) => "<div><span class=sw style=\"background:" + c + "\"></span>" + (i === 0 ? "0" : "≤ " + fmt(maxA * i / (RAMP.length - 1))) + "</div>").join("");
  const used = [...new Set(projects.map(f => f.properties.kind))].sort();
  document.getElementById("kinds").innerHTML = used.map(k => "<div><span class=sw style=\"background:" + (KIND_COLORS[k] || "#444") + "\"></span>" + esc(k.replace("_", " ")) + "</div>").join("");
}

async function loadProgress() {
  const t = sel.value;
  statusEl.textContent = "loading " + t + "…"; statusEl.className = "";
  try {
    let url = "collections/progress/items?limit=10000&target=" + encodeURIComponent(t);
    if (asof.value) url += "&as_of=" + encodeURIComponent(asof.value);
    progress = await allFeatures(url);
    const info = targets.find(x => x.id === t) || {};
    document.getElementById("ttitle").textContent = info.title || t;
    document.getElementById("tinfo").innerHTML = "<div>" + esc(info.clause || "") + " · goal " + esc(info.goal || "–") + " " + esc(info.unit || "") + "</div><div>period " + esc(info.period ? info.period.start + " – " + info.period.end : "") + "</div>";
    draw();
    statusEl.textContent = progress.length + " localities, " + projects.length + " projects";
  } catch (e) { statusEl.textContent = "error: " + e.message; statusEl.className = "err"; }
}

async function start() {
  try {
    const cat = await getJSON("targets");
    targets = cat.targets;
    for (const t of targets.filter(t => t.byLocality)) {
      const o = document.createElement("option"); o.value = t.id; o.textContent = t.id + " — " + t.title; sel.appendChild(o);
    }
    if (cat.defaultTarget) sel.value = cat.defaultTarget;
    // Judge at the programme's end, or today while it runs.
    const today = new Date().toISOString().slice(0, 10), end = cat.programme && cat.programme.period.end;
    if (!asof.value) asof.value = end && end < today ? end : today;
    projects = await allFeatures("collections/projects/items?limit=10000");
    await loadProgress();
  } catch (e) { statusEl.textContent = "error: " + e.message; statusEl.className = "err"; }
}
sel.addEventListener("change", loadProgress);
asof.addEventListener("change", loadProgress);
showPrj.addEventListener("change", draw);
start();
</script>
</body>
</html>
"""#
}
