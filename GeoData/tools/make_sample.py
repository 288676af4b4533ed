#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""
make_sample.py — deterministic generator of geomonitor's SAMPLE dataset for Lâm Đồng 2024.

    python3 GeoData/tools/make_sample.py        (from anywhere; writes next to this tools/ folder)

Writes, in GeoData/:
    localities.geojson   12 district-level units (2023), EPSG:4326, schematic but topologically clean
    forest-plots.gpkg    layer lo_rung, EPSG:5899 (VN-2000 / TM-3 107-45), ~600 afforestation plots
    roads.geojson        lines, stored in EPSG:5899 (GeoJSON "crs" member)
    areas.geojson        polygons / multipolygons, EPSG:4326
    sites.csv            project register (spreadsheet export, Vietnamese vocabulary, dd/mm/yyyy)
    manifest.yaml        dataset manifest (see spec/data-contract.md)
    README.md            what this is (SAMPLE, NOT OFFICIAL) and how it was made
    tools/summary.txt    the summary printed at the end

Requirements (generator only, never a runtime dependency of geomonitor):
    python3, numpy, shapely >= 2, pyproj; GDAL command-line tools (ogr2ogr, ogrinfo) on PATH.

Everything is derived from SEED: running the script twice gives identical files
(the GeoPackage timestamp is pinned with OGR_CURRENT_DATE).

Nothing here is official: district outlines are a hand-drawn schematic layout whose key nodes
are fitted (least squares) to the published district areas, with shared, wiggled borders;
plots, roads, areas and sites are invented but placed plausibly.
"""
import csv
import hashlib
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import unicodedata
from datetime import date, timedelta

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point, Polygon,
                              mapping, shape)
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, polygonize, unary_union

SEED = 20231229  # date of the action programme
TOOLS = os.path.dirname(os.path.abspath(__file__))
GEODATA = os.path.dirname(TOOLS)

# ----------------------------------------------------------------------------------------------
# Reference data
# ----------------------------------------------------------------------------------------------
# code, name (NFC, no type word), type word, ASCII name, true-ish centre (lon, lat), area km²
DISTRICTS = [
    ("672", "Đà Lạt", "Thành phố", "Da Lat", 108.44, 11.94, 394.6),
    ("673", "Bảo Lộc", "Thành phố", "Bao Loc", 107.82, 11.53, 232.6),
    ("674", "Đam Rông", "Huyện", "Dam Rong", 108.15, 12.08, 872.6),
    ("675", "Lạc Dương", "Huyện", "Lac Duong", 108.50, 12.12, 1230.9),
    ("676", "Lâm Hà", "Huyện", "Lam Ha", 108.18, 11.83, 978.5),
    ("677", "Đơn Dương", "Huyện", "Don Duong", 108.58, 11.78, 610.4),
    ("678", "Đức Trọng", "Huyện", "Duc Trong", 108.33, 11.70, 901.8),
    ("679", "Di Linh", "Huyện", "Di Linh", 108.03, 11.55, 1628.5),
    ("680", "Bảo Lâm", "Huyện", "Bao Lam", 107.75, 11.72, 1463.4),
    ("681", "Đạ Huoai", "Huyện", "Da Huoai", 107.62, 11.40, 495.6),
    ("682", "Đạ Tẻh", "Huyện", "Da Teh", 107.50, 11.55, 524.6),
    ("683", "Cát Tiên", "Huyện", "Cat Tien", 107.35, 11.63, 427.0),
]
CODES = [d[0] for d in DISTRICTS]
DNAME = {d[0]: d[1] for d in DISTRICTS}
DTYPE = {d[0]: d[2] for d in DISTRICTS}
DASCII = {d[0]: d[3] for d in DISTRICTS}
DCENTRE = {d[0]: (d[4], d[5]) for d in DISTRICTS}
DAREA = {d[0]: d[6] for d in DISTRICTS}

# Hand-drawn schematic layout (lon, lat): key nodes of the district boundaries (outline
# vertices O/N/E/S/W*, triple points J_*, intermediate bends M*), the province outline split by
# owner (OUTER, clockwise) and the internal boundaries (INNER: left owner, right owner, nodes).
# The key nodes are then moved by a least-squares fit so that every district gets its true
# area (and its centroid comes close to its true centre); every boundary segment carries a fixed
# random wiggle so that both neighbours share exactly the same vertices.
NODES = {
    "W0": (107.24, 11.60), "W1": (107.26, 11.70), "W2": (107.34, 11.77), "N_ct_bl": (107.44, 11.75),
    "N1": (107.56, 11.78), "N2": (107.64, 11.85), "N3": (107.73, 11.88), "N4": (107.84, 11.90),
    "N_bl_lh": (107.92, 11.95), "N_lh_dr": (107.96, 11.99), "N5": (108.01, 12.14), "N6": (108.12, 12.19),
    "N7": (108.24, 12.18), "N_dr_ld": (108.32, 12.27), "N8": (108.44, 12.31), "N9": (108.56, 12.30),
    "N10": (108.66, 12.24), "E1": (108.72, 12.12), "E_ld_dd": (108.69, 11.96), "E2": (108.72, 11.90),
    "E3": (108.70, 11.76), "E4": (108.64, 11.65), "S_dd_dt": (108.52, 11.64), "S1": (108.44, 11.57),
    "S_dt_dl": (108.30, 11.50), "S2": (108.20, 11.42), "S3": (108.06, 11.35), "S4": (107.94, 11.34),
    "S_dl_dh": (107.78, 11.38), "S5": (107.72, 11.34), "S6": (107.65, 11.31), "S7": (107.57, 11.32),
    "S8": (107.50, 11.34), "S9": (107.42, 11.40), "S_dh_dt": (107.46, 11.37), "W3": (107.37, 11.46),
    "S_dt_ct": (107.31, 11.52),
    "J_ct_dt_bl": (107.48, 11.72), "J_dt_dh_bl": (107.63, 11.55), "J_blc_bl_dh": (107.72, 11.54),
    "J_blc_bl_dl": (107.90, 11.60), "J_blc_dl_dh": (107.80, 11.45), "J_bl_dl_lh": (107.99, 11.78),
    "J_lh_dl_dt": (108.17, 11.71), "J_lh_dt_dlat": (108.36, 11.85), "J_lh_dlat_ld": (108.35, 12.03),
    "J_lh_ld_dr": (108.31, 12.00), "J_dlat_ld_dd": (108.54, 11.96), "J_dlat_dd_dt": (108.52, 11.85),
    "M1": (108.12, 11.93), "M2": (108.33, 12.15), "M3": (107.94, 11.70), "M4": (107.81, 11.61),
    "M5": (107.90, 11.52), "M6": (107.76, 11.48), "M7": (107.52, 11.42), "M8": (107.39, 11.57),
    "M9": (108.23, 11.60), "M10": (108.30, 11.80), "M11": (108.45, 12.06), "M12": (108.44, 11.81),
    "M13": (108.61, 11.95), "M14": (108.52, 11.74),
}
OUTER = [("683", "S_dt_ct W0 W1 W2 N_ct_bl"), ("680", "N_ct_bl N1 N2 N3 N4 N_bl_lh"),
    ("676", "N_bl_lh N_lh_dr"), ("674", "N_lh_dr N5 N6 N7 N_dr_ld"), ("675", "N_dr_ld N8 N9 N10 E1 E_ld_dd"),
    ("677", "E_ld_dd E2 E3 E4 S_dd_dt"), ("678", "S_dd_dt S1 S_dt_dl"), ("679", "S_dt_dl S2 S3 S4 S_dl_dh"),
    ("681", "S_dl_dh S5 S6 S7 S8 S_dh_dt"), ("682", "S_dh_dt S9 W3 S_dt_ct")]
INNER = [("676","674","N_lh_dr M1 J_lh_ld_dr"), ("674","675","J_lh_ld_dr M2 N_dr_ld"),
    ("680","679","J_blc_bl_dl M3 J_bl_dl_lh"), ("679","681","J_blc_dl_dh S_dl_dh"),
    ("673","680","J_blc_bl_dh M4 J_blc_bl_dl"), ("673","679","J_blc_bl_dl M5 J_blc_dl_dh"),
    ("673","681","J_blc_dl_dh M6 J_blc_bl_dh"), ("681","680","J_dt_dh_bl J_blc_bl_dh"),
    ("682","681","S_dh_dt M7 J_dt_dh_bl"), ("682","680","J_ct_dt_bl J_dt_dh_bl"),
    ("683","682","S_dt_ct M8 J_ct_dt_bl"), ("683","680","J_ct_dt_bl N_ct_bl"),
    ("680","676","J_bl_dl_lh N_bl_lh"), ("676","679","J_bl_dl_lh J_lh_dl_dt"),
    ("679","678","J_lh_dl_dt M9 S_dt_dl"), ("676","678","J_lh_dl_dt M10 J_lh_dt_dlat"),
    ("676","672","J_lh_dt_dlat J_lh_dlat_ld"), ("676","675","J_lh_dlat_ld J_lh_ld_dr"),
    ("672","675","J_lh_dlat_ld M11 J_dlat_ld_dd"), ("672","677","J_dlat_ld_dd J_dlat_dd_dt"),
    ("672","678","J_dlat_dd_dt M12 J_lh_dt_dlat"), ("675","677","J_dlat_ld_dd M13 E_ld_dd"),
    ("677","678","J_dlat_dd_dt M14 S_dd_dt")]

# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------
T_FWD = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True)
T_INV = Transformer.from_crs("EPSG:5899", "EPSG:4326", always_xy=True)
GEOD = Geod(ellps="WGS84")
LOG = []


def say(*a):
    s = " ".join(str(x) for x in a)
    print(s)
    LOG.append(s)


def nfc(s):
    return unicodedata.normalize("NFC", s)


def rng_for(name):
    """Independent deterministic random stream per stage."""
    h = hashlib.sha256(f"{SEED}:{name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "big"))


def ll2m(g):
    return shapely.transform(g, lambda c: np.column_stack(T_FWD.transform(c[:, 0], c[:, 1])))


def m2ll(g):
    return shapely.transform(g, lambda c: np.column_stack(T_INV.transform(c[:, 0], c[:, 1])))


def pt_m(lon, lat):
    x, y = T_FWD.transform(lon, lat)
    return np.array([x, y])


def pt_ll(x, y):
    lon, lat = T_INV.transform(x, y)
    return float(lon), float(lat)


def garea_ha(g_ll):
    return abs(GEOD.geometry_area_perimeter(g_ll)[0]) / 1e4


def glen_km(g_ll):
    return GEOD.geometry_length(g_ll) / 1e3


def rounded(g, nd):
    """Round every coordinate (python round → shortest repr when dumped)."""
    def r(c):
        return np.array([[round(float(x), nd), round(float(y), nd)] for x, y in c])
    return shapely.transform(g, r)


def coords_json(g, nd):
    m = mapping(g)

    def fix(o):
        if isinstance(o, (list, tuple)):
            if len(o) and isinstance(o[0], (int, float)):
                return [round(float(o[0]), nd), round(float(o[1]), nd)]
            return [fix(x) for x in o]
        return o
    return {"type": m["type"], "coordinates": fix(m["coordinates"])}


def write_geojson(path, name, feats, nd, crs=None):
    """One feature per line: small, diffable, deterministic."""
    head = {"type": "FeatureCollection", "name": name}
    if crs:
        head["crs"] = {"type": "name", "properties": {"name": crs}}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[']
    for i, (props, geom) in enumerate(feats):
        f = {"type": "Feature", "properties": props, "geometry": coords_json(geom, nd)}
        s = json.dumps(f, ensure_ascii=False, separators=(",", ":"))
        lines.append(s + ("," if i < len(feats) - 1 else ""))
    lines.append("]}")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(nfc("\n".join(lines)) + "\n")


def rfc7946(g):
    """Exterior rings counter-clockwise, holes clockwise."""
    if g.geom_type == "Polygon":
        return orient(g, 1.0)
    return MultiPolygon([orient(p, 1.0) for p in g.geoms])


def sine_displacement(rng, s, L, amp, kmax=48, beta=1.1):
    """Random smooth-to-rough displacement d(s) vanishing at both ends."""
    k = np.arange(1, kmax + 1)
    a = rng.normal(0.0, 1.0, kmax) * amp / k ** beta
    return np.sin(np.outer(s / L, k * np.pi)) @ a


def densify_perturb(coords, spacing, amp, rng, kmax=48, beta=1.1):
    line = shapely.segmentize(LineString(coords), spacing)
    p = np.array(line.coords)
    seg = np.diff(p, axis=0)
    sl = np.hypot(seg[:, 0], seg[:, 1])
    s = np.concatenate([[0.0], np.cumsum(sl)])
    L = s[-1]
    u = seg / sl[:, None]
    t = np.zeros_like(p)
    t[:-1] += u
    t[1:] += u
    t /= np.hypot(t[:, 0], t[:, 1])[:, None]
    n = np.column_stack([-t[:, 1], t[:, 0]])
    d = sine_displacement(rng, s, L, amp, kmax, beta)
    q = p + n * d[:, None]
    q[0], q[-1] = p[0], p[-1]
    return q


def star_polygon(rng, cx, cy, area_m2, nv=(8, 15), noise=0.22, stretch=(1.0, 2.0), jitter=0.10):
    """Irregular, always-simple polygon (star-shaped around its centre, then affinely
    stretched and rotated), scaled to area_m2."""
    n = int(rng.integers(nv[0], nv[1] + 1))
    base = np.linspace(0, 2 * np.pi, n, endpoint=False)
    th = base + rng.uniform(-0.35, 0.35, n) * (2 * np.pi / n)
    r = np.ones(n)
    for m in (1, 2, 3):
        r += rng.uniform(0, noise) / m * np.cos(m * th + rng.uniform(0, 2 * np.pi))
    r *= 1 + rng.uniform(-jitter, jitter, n)
    r = np.clip(r, 0.35, None)
    x, y = r * np.cos(th), r * np.sin(th)
    sx = rng.uniform(*stretch)
    x = x * sx
    y = y / sx ** 0.3
    a = rng.uniform(0, np.pi)
    xr, yr = x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)
    poly = Polygon(np.column_stack([xr, yr]))
    f = math.sqrt(area_m2 / poly.area)
    return shapely.affinity.translate(shapely.affinity.scale(poly, f, f, origin=(0, 0)), cx, cy)


def rand_date(rng, start, end):
    d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
    return (d0 + timedelta(days=int(rng.integers(0, (d1 - d0).days + 1)))).isoformat()


def dmy(iso):
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


# ----------------------------------------------------------------------------------------------
# 1. Localities: schematic layout fitted to the true areas (see NODES / OUTER / INNER)
# ----------------------------------------------------------------------------------------------
def build_localities():
    names = list(NODES)
    nid = {n: i for i, n in enumerate(names)}
    N = len(names)
    X0 = np.array([pt_m(*NODES[n]) for n in names])
    origin = X0.mean(axis=0)
    X0 = X0 - origin
    arcs = [(o, None, [nid[n] for n in s.split()]) for o, s in OUTER]
    arcs += [(l, r, [nid[n] for n in s.split()]) for l, r, s in INNER]
    # unique key segments
    segs, seg_of, seg_owners = [], {}, []
    for o1, o2, seq in arcs:
        for i, j in zip(seq[:-1], seq[1:]):
            key = (min(i, j), max(i, j))
            assert key not in seg_of, ("segment used twice", names[i], names[j])
            seg_of[key] = len(segs)
            segs.append((i, j))
            seg_owners.append([o for o in (o1, o2) if o])
    # rings of (segment, forward) per district, chained from its arcs
    rings = {}
    for c in CODES:
        pieces = [seq for o1, o2, seq in arcs if c in (o1, o2)]
        ring = list(pieces.pop(0))
        while ring[-1] != ring[0]:
            for k, seq in enumerate(pieces):
                if seq[0] == ring[-1]:
                    ring += seq[1:]
                elif seq[-1] == ring[-1]:
                    ring += seq[::-1][1:]
                else:
                    continue
                pieces.pop(k)
                break
            else:
                raise SystemExit(f"cannot close ring of {c}")
        assert not pieces, c
        rings[c] = ring
    # perimeters (for vertex spacing) from the initial layout
    perim = {c: sum(np.hypot(*(X0[a] - X0[b])) for a, b in zip(rings[c][:-1], rings[c][1:])) for c in CODES}

    def wiggles(amp_scale):
        """Fixed interior vertices of each key segment: parameter t along the chord and normal
        offset d (metres)."""
        seg_t, seg_d = [], []
        for k, (i, j) in enumerate(segs):
            L0 = float(np.hypot(*(X0[j] - X0[i])))
            spacing = float(np.clip(min(perim[o] for o in seg_owners[k]) / 235.0, 250.0, 900.0))
            n = max(2, int(math.ceil(L0 / spacing)))
            t = np.arange(1, n) / n
            outline = len(seg_owners[k]) == 1
            amp = min(0.05 * L0, 1500.0) * (0.75 if outline else 1.0) * amp_scale[k]
            kmax = int(np.clip(n / 3, 2, 40))
            r = rng_for(f"segment-{names[i]}-{names[j]}")
            kk = np.arange(1, kmax + 1)
            a = r.normal(0.0, 1.0, kmax) * amp / kk ** 1.1
            d = np.sin(np.outer(t, kk * np.pi)) @ a
            seg_t.append(t)
            seg_d.append(d)
        return seg_t, seg_d

    def vertex_index(seg_t):
        """Global vertex numbering: key nodes first, then each segment's interior vertices."""
        start, off = [], N
        for t in seg_t:
            start.append(off)
            off += len(t)
        ring_idx = {}
        for c in CODES:
            idx = []
            ring = rings[c]
            for a, b in zip(ring[:-1], ring[1:]):
                k = seg_of[(min(a, b), max(a, b))]
                inner = list(range(start[k], start[k] + len(seg_t[k])))
                idx.append(a)
                idx += inner if segs[k][0] == a else inner[::-1]
            ring_idx[c] = np.array(idx)
        sv = np.concatenate([[k] * len(t) for k, t in enumerate(seg_t)]).astype(int)
        return ring_idx, sv

    P = np.array([pt_m(*DCENTRE[c]) for c in CODES]) - origin
    T = np.array([DAREA[c] * 1e6 for c in CODES])
    si = np.array([s[0] for s in segs])
    sj = np.array([s[1] for s in segs])

    def solve(amp_scale):
        seg_t, seg_d = wiggles(amp_scale)
        ring_idx, sv = vertex_index(seg_t)
        tt = np.concatenate(seg_t)
        dd = np.concatenate(seg_d)

        def verts(X):
            A, B = X[si[sv]], X[sj[sv]]
            D = B - A
            L = np.hypot(D[:, 0], D[:, 1])[:, None]
            nrm = np.column_stack([-D[:, 1], D[:, 0]]) / L
            return np.vstack([X, A + D * tt[:, None] + nrm * dd[:, None]])

        def area_centroid(V):
            out_a, out_c = [], []
            for c in CODES:
                p = V[ring_idx[c]]
                q = np.roll(p, -1, axis=0)
                cr = p[:, 0] * q[:, 1] - q[:, 0] * p[:, 1]
                a = cr.sum() / 2
                out_a.append(abs(a))
                out_c.append([((p[:, 0] + q[:, 0]) * cr).sum() / (6 * a), ((p[:, 1] + q[:, 1]) * cr).sum() / (6 * a)])
            return np.array(out_a), np.array(out_c)

        def resid(x):
            X = x.reshape(-1, 2)
            A, C = area_centroid(verts(X))
            return np.concatenate([100.0 * (A - T) / T, 0.6 * ((C - P) / 10000.0).ravel(),
                                   0.25 * ((X - X0) / 5000.0).ravel()])
        x = X0.ravel().copy()
        lam = 1e-3
        r = resid(x)
        for it in range(60):
            J = np.empty((len(r), len(x)))
            for k in range(len(x)):
                xk = x.copy()
                xk[k] += 1.0
                J[:, k] = resid(xk) - r
            H = J.T @ J
            g = J.T @ r
            step = np.linalg.solve(H + lam * np.diag(np.diag(H) + 1e-9), -g)
            r2 = resid(x + step)
            if r2 @ r2 < r @ r:
                x, r, lam = x + step, r2, lam * 0.3
            else:
                lam *= 10
            if np.max(np.abs(r[:12])) < 0.005:   # 0.005 % area error
                break
        X = x.reshape(-1, 2)
        V = verts(X)
        A, C = area_centroid(V)
        polys = {c: Polygon(V[ring_idx[c]]) for c in CODES}
        # the boundary pieces, for the topology check
        lines = []
        for k, (i, j) in enumerate(segs):
            lines.append(LineString(V[[i] + [v for v in range(N + sum(len(t) for t in seg_t[:k]),
                                                            N + sum(len(t) for t in seg_t[:k + 1]))] + [j]]))
        return polys, lines, A, C, X

    amp_scale = np.ones(len(segs))
    for attempt in range(10):
        polys, lines, A, C, X = solve(amp_scale)
        bad = set()
        for k, ln in enumerate(lines):
            if not ln.is_simple:
                bad.add(k)
        tree = shapely.STRtree(lines)
        for k, ln in enumerate(lines):
            for j in tree.query(ln):
                j = int(j)
                if j <= k:
                    continue
                x = ln.intersection(lines[j])
                ends = shapely.MultiPoint([ln.coords[0], ln.coords[-1]])
                if not x.is_empty and not x.difference(ends).is_empty:
                    bad.update((k, j))
        if not bad and all(p.is_valid for p in polys.values()):
            break
        say(f"  attempt {attempt}: {len(bad)} crossing boundary segments, damping their wiggles")
        for k in bad:
            amp_scale[k] *= 0.6
        if not bad:
            amp_scale *= 0.8
    else:
        raise SystemExit("could not build a clean partition")
    moved = np.hypot(*(X - X0).T)
    say(f"  layout fit: key nodes moved median {np.median(moved) / 1000:.1f} km, max {moved.max() / 1000:.1f} km; "
        f"planar area error max {np.max(np.abs(A - T) / T) * 100:.3f} %")
    faces = list(polygonize(lines))
    assert len(faces) == 12, len(faces)
    res = {}
    for c in CODES:
        g = shapely.affinity.translate(polys[c], *origin)
        g = rounded(rfc7946(m2ll(g)), 7)
        assert g.is_valid, c
        res[c] = g
    return res


# ----------------------------------------------------------------------------------------------
# 2. Roads — stored in EPSG:5899 (metres), GeoJSON with a "crs" member
# ----------------------------------------------------------------------------------------------
# parts: list of waypoint lists (lon, lat); waypoints outside the province are clipped away
# at the border.  amp: lateral meander (m).
ROADS = [
    dict(id="cao-toc-tan-phu-bao-loc", ten="Đường bộ cao tốc Tân Phú – Bảo Lộc (đoạn qua Lâm Đồng)",
         loai="road", trang_thai="under_construction", ngay="2024-06-17", von_ty=17200.0,
         muc_tieu="expressway-tanphu-baoloc-start-2024", amp=450.0,
         parts=[[(107.36, 11.27), (107.45, 11.33), (107.53, 11.40), (107.62, 11.46), (107.70, 11.50),
                 (107.76, 11.535), (107.82, 11.57), (107.87, 11.60)]]),
    dict(id="cao-toc-bao-loc-lien-khuong", ten="Đường bộ cao tốc Bảo Lộc – Liên Khương",
         loai="road", trang_thai="site_clearance", ngay="2024-09-01", von_ty=19000.0,
         muc_tieu="expressway-baoloc-lienkhuong-start-2024", amp=450.0,
         parts=[[(107.87, 11.60), (107.95, 11.63), (108.04, 11.63), (108.12, 11.655), (108.20, 11.69),
                 (108.28, 11.72), (108.34, 11.74), (108.375, 11.748)]]),
    dict(id="ql27", ten="Quốc lộ 27, đoạn K’Rông Nô – Phi Nôm (nâng cấp, mở rộng)",
         loai="road", trang_thai="approved", ngay="2024-04-12", von_ty=2150.0, muc_tieu="", amp=350.0,
         parts=[[(107.99, 12.17), (108.04, 12.10), (108.09, 12.03), (108.14, 11.95), (108.19, 11.87),
                 (108.25, 11.82), (108.32, 11.81), (108.39, 11.80)]]),
    dict(id="ql55", ten="Quốc lộ 55, đoạn qua tỉnh Lâm Đồng (nâng cấp)",
         loai="road", trang_thai="planned", ngay="2024-02-20", von_ty=1450.0, muc_tieu="", amp=300.0,
         parts=[[(107.815, 11.545), (107.85, 11.49), (107.89, 11.43), (107.93, 11.37), (107.96, 11.28)]]),
    dict(id="ql27c", ten="Quốc lộ 27C, đoạn Đà Lạt – ranh giới tỉnh Khánh Hòa (hai gói thầu)",
         loai="road", trang_thai="under_construction", ngay="2023-08-15", von_ty=1280.0, muc_tieu="", amp=250.0,
         parts=[[(108.462, 11.955), (108.49, 11.985), (108.53, 12.01), (108.565, 12.025)],
                [(108.60, 12.04), (108.64, 12.055), (108.68, 12.07), (108.78, 12.09)]]),
    dict(id="duong-sat-thap-cham-da-lat", ten="Đường sắt Tháp Chàm – Đà Lạt (khôi phục), đoạn qua Lâm Đồng",
         loai="other", trang_thai="planned", ngay="2024-01-25", von_ty=27000.0, muc_tieu="", amp=250.0,
         parts=[[(108.4475, 11.9410), (108.47, 11.945), (108.49, 11.935), (108.51, 11.905), (108.535, 11.87),
                 (108.555, 11.835), (108.58, 11.80), (108.62, 11.77), (108.67, 11.74), (108.78, 11.70)]]),
    dict(id="mo-rong-duong-da-lat-1", ten="Mở rộng đường Hoàng Văn Thụ – Ankroet (Đà Lạt)",
         loai="road", trang_thai="completed", ngay="2024-10-15", von_ty=185.0, muc_tieu="dalat-road-widening-2024", amp=25.0,
         parts=[[(108.436, 11.946), (108.428, 11.951), (108.420, 11.955), (108.412, 11.959), (108.404, 11.962)]]),
    dict(id="mo-rong-duong-da-lat-2", ten="Mở rộng đường Mai Anh Đào và đường Hùng Vương (Đà Lạt)",
         loai="road", trang_thai="under_construction", ngay="2024-05-20", von_ty=320.0, muc_tieu="dalat-road-widening-2024", amp=20.0,
         parts=[[(108.445, 11.952), (108.452, 11.960), (108.458, 11.968)],
                [(108.452, 11.935), (108.462, 11.929), (108.472, 11.925)]]),
    dict(id="cao-toc-nha-trang-da-lat", ten="Đường bộ cao tốc Nha Trang – Đà Lạt, đoạn qua Lâm Đồng",
         loai="road", trang_thai="planned", ngay="2024-07-11", von_ty=21000.0, muc_tieu="", amp=400.0,
         parts=[[(108.80, 12.06), (108.70, 12.03), (108.62, 11.99), (108.56, 11.94), (108.50, 11.88),
                 (108.45, 11.84), (108.41, 11.81)]]),
]


def catmull_rom(P, step):
    P = np.asarray(P, float)
    Q = np.vstack([2 * P[0] - P[1], P, 2 * P[-1] - P[-2]])
    out = []
    for i in range(1, len(Q) - 2):
        p0, p1, p2, p3 = Q[i - 1], Q[i], Q[i + 1], Q[i + 2]
        n = max(2, int(math.ceil(np.hypot(*(p2 - p1)) / step)))
        for t in np.arange(n) / n:
            out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(Q[-2])
    return np.array(out)


def road_part(rng, pts_ll, amp, prov_in):
    P = np.array([pt_m(*p) for p in pts_ll])
    L0 = LineString(P).length
    step = float(np.clip(L0 / 150, 40.0, 250.0))
    c = catmull_rom(P, step)
    L = LineString(c).length
    q = densify_perturb(c, step, amp, rng, kmax=int(np.clip(L / (6 * step), 2, 30)), beta=1.3)
    g = LineString(q).intersection(prov_in)
    parts = [p for p in shapely.get_parts(g) if p.geom_type == "LineString"]
    return max(parts, key=lambda p: p.length)


def build_roads(prov_m):
    prov_in = prov_m.buffer(-30)
    out = []
    for spec in ROADS:
        rng = rng_for("road-" + spec["id"])
        parts = [road_part(rng, p, spec["amp"], prov_in) for p in spec["parts"]]
        g = parts[0] if len(parts) == 1 else MultiLineString(parts)
        g = rounded(g, 2)
        km = glen_km(m2ll(g))
        props = {"id": spec["id"], "ten": spec["ten"], "loai": spec["loai"], "trang_thai": spec["trang_thai"],
                 "ngay": spec["ngay"], "chieu_dai_km": round(km * float(rng.uniform(0.97, 1.04)), 1),
                 "von_ty": spec["von_ty"], "muc_tieu": spec["muc_tieu"]}
        out.append((props, g))
    return out


# ----------------------------------------------------------------------------------------------
# 3. Areas — EPSG:4326 polygons / multipolygons
# ----------------------------------------------------------------------------------------------
# parts: [(lon, lat, ha)], hole: (lon, lat, ha) inside the first part
AREAS = [
    dict(id="do-thi-duc-trong", ten="Đô thị Liên Nghĩa – Đức Trọng (đô thị loại IV)", loai="urban_upgrade",
         trang_thai="completed", ngay="2024-11-20", von_ty=850.0, muc_tieu="duc-trong-urban-type-iv-2024",
         district="678", parts=[(108.372, 11.742, 4300)], hole=(108.380, 11.750, 260)),
    dict(id="do-thi-hoa-ninh", ten="Đô thị Hòa Ninh (xã Hòa Ninh, huyện Di Linh) – đô thị loại V",
         loai="urban_upgrade", trang_thai="under_construction", ngay="2024-04-15", von_ty=120.0,
         muc_tieu="hoa-ninh-urban-type-v-2024", district="679", parts=[(108.125, 11.595, 900)]),
    dict(id="do-thi-da-mri", ten="Đô thị Đạ M’ri (thị trấn Đạ M’ri, huyện Đạ Huoai) – đô thị loại V",
         loai="urban_upgrade", trang_thai="completed", ngay="2024-12-05", von_ty=95.0,
         muc_tieu="da-mri-urban-type-v-2024", district="681", parts=[(107.605, 11.405, 620)]),
    dict(id="trung-tam-hanh-chinh-moi", ten="Trung tâm chính trị – hành chính mới của tỉnh Lâm Đồng",
         loai="public_facility", trang_thai="approved", ngay="2024-06-28", von_ty=3500.0, muc_tieu="",
         district="672", parts=[(108.478, 11.903, 95)]),
    dict(id="nha-kinh-da-lat-1", ten="Vùng nhà kính Thái Phiên – Xuân Thọ (quy hoạch lại, giảm nhà kính)",
         loai="other", trang_thai="under_construction", ngay="2024-04-10", von_ty=0.0, muc_tieu="greenhouse-reduction-dalat-2024",
         district="672", parts=[(108.470, 11.985, 45), (108.486, 11.975, 35), (108.480, 11.998, 55)]),
    dict(id="nha-kinh-da-lat-2", ten="Vùng nhà kính Vạn Thành (quy hoạch lại, giảm nhà kính)",
         loai="other", trang_thai="planned", ngay="2024-02-01", von_ty=0.0, muc_tieu="greenhouse-reduction-dalat-2024",
         district="672", parts=[(108.398, 11.936, 120)]),
    dict(id="nha-kinh-da-lat-3", ten="Vùng nhà kính phường 7 – Tà Nung (quy hoạch lại, giảm nhà kính)",
         loai="other", trang_thai="completed", ngay="2024-09-30", von_ty=0.0, muc_tieu="greenhouse-reduction-dalat-2024",
         district="672", parts=[(108.445, 12.012, 80)]),
    dict(id="khu-chan-nuoi-don-duong", ten="Vùng chăn nuôi bò sữa tập trung Đơn Dương",
         loai="other", trang_thai="approved", ngay="2024-04-22", von_ty=210.0, muc_tieu="livestock-zones-2024",
         district="677", parts=[(108.598, 11.745, 320)]),
    dict(id="khu-chan-nuoi-duc-trong", ten="Vùng chăn nuôi tập trung Ninh Gia (Đức Trọng)",
         loai="other", trang_thai="under_construction", ngay="2024-07-08", von_ty=160.0, muc_tieu="livestock-zones-2024",
         district="678", parts=[(108.405, 11.635, 260)]),
    dict(id="khu-do-thi-da-lat", ten="Khu đô thị mới Đồi Thông – phường 7 (Đà Lạt)",
         loai="urban_upgrade", trang_thai="under_construction", ngay="2023-11-06", von_ty=1150.0, muc_tieu="new-urban-areas-2024",
         district="672", parts=[(108.422, 11.985, 70)]),
    dict(id="khu-do-thi-bao-loc", ten="Khu dân cư và nhà ở xã hội Lộc Phát (Bảo Lộc)",
         loai="urban_upgrade", trang_thai="completed", ngay="2024-08-30", von_ty=620.0, muc_tieu="new-urban-areas-2024",
         district="673", parts=[(107.832, 11.515, 45)]),
    dict(id="khu-do-thi-di-linh", ten="Khu đô thị mới thị trấn Di Linh",
         loai="urban_upgrade", trang_thai="approved", ngay="2024-05-16", von_ty=540.0, muc_tieu="new-urban-areas-2024",
         district="679", parts=[(108.068, 11.572, 60)]),
    dict(id="du-an-treo-1", ten="Khu du lịch sinh thái nghỉ dưỡng Đạ Sar (dự án chậm triển khai)",
         loai="tourism", trang_thai="approved", ngay="2021-03-10", von_ty=1350.0, muc_tieu="",
         district="675", parts=[(108.560, 12.085, 180)]),
    dict(id="khu-du-lich-tuyen-lam", ten="Khu du lịch quốc gia hồ Tuyền Lâm",
         loai="tourism", trang_thai="under_construction", ngay="2022-05-01", von_ty=9800.0, muc_tieu="",
         district="672", parts=[(108.425, 11.887, 2200)], hole=(108.428, 11.889, 330)),
]
# 8 resettlement areas along the expressways: (road, fraction along it, side, status, date)
TDC = [
    ("cao-toc-tan-phu-bao-loc", 0.22, 1, "under_construction", "2024-06-20"),
    ("cao-toc-tan-phu-bao-loc", 0.55, -1, "completed", "2024-11-28"),
    ("cao-toc-tan-phu-bao-loc", 0.86, 1, "under_construction", "2024-05-15"),
    ("cao-toc-bao-loc-lien-khuong", 0.10, -1, "under_construction", "2024-07-02"),
    ("cao-toc-bao-loc-lien-khuong", 0.30, 1, "site_clearance", "2024-09-10"),
    ("cao-toc-bao-loc-lien-khuong", 0.47, -1, "under_construction", "2024-08-19"),
    ("cao-toc-bao-loc-lien-khuong", 0.64, 1, "site_clearance", "2024-10-05"),
    ("cao-toc-bao-loc-lien-khuong", 0.78, -1, "under_construction", "2024-09-25"),
]
COMMUNES = {"681": ["Đạ Oai", "Hà Lâm", "Phước Lộc"], "682": ["Quốc Oai", "Mỹ Đức"],
            "673": ["Lộc Châu", "Đại Lào", "Lộc Nga"], "680": ["Lộc An", "Lộc Đức", "Lộc Thành"],
            "679": ["Tân Châu", "Gia Hiệp", "Liên Đầm", "Tân Thượng"], "678": ["Tân Hội", "Hiệp An", "Ninh Gia"],
            "676": ["Tân Hà", "Đan Phượng"]}
ROAD_SHORT = {"cao-toc-tan-phu-bao-loc": "cao tốc Tân Phú – Bảo Lộc",
              "cao-toc-bao-loc-lien-khuong": "cao tốc Bảo Lộc – Liên Khương"}


def blob_m(rng, x, y, ha, nv=(26, 40)):
    return star_polygon(rng, x, y, ha * 1e4, nv=nv, noise=0.25, stretch=(1.0, 1.5), jitter=0.04)


def district_of(g_m, dist_m):
    best = max(CODES, key=lambda c: dist_m[c].intersection(g_m).area)
    return best


def build_areas(dist_m, roads_m):
    rng = rng_for("areas")
    placed = []   # (id, geometry in metres)
    out = []

    def clear(g):
        return all(not g.buffer(100).intersects(o) for _, o in placed)

    def fit(g, code, name):
        """Move g toward its district's centre until it lies inside the district."""
        inner = dist_m[code].buffer(-150)
        cx, cy = pt_m(*DCENTRE[code])
        for k in range(60):
            if inner.contains(g):
                if k:
                    say(f"  note: {name} moved {k * 250} m toward the centre of {DNAME[code]}")
                return g
            c = np.array(g.centroid.coords[0])
            v = np.array([cx, cy]) - c
            v = v / np.hypot(*v) * 250
            g = shapely.affinity.translate(g, *v)
        raise SystemExit(f"cannot fit {name} into {code}")

    for spec in AREAS:
        for attempt in range(30):
            polys = []
            for lon, lat, ha in spec["parts"]:
                x, y = pt_m(lon, lat)
                polys.append(blob_m(rng, x, y, ha))
            if not spec.get("hole"):
                break
            lon, lat, ha = spec["hole"]
            hx, hy = pt_m(lon, lat)
            hole = blob_m(rng, hx, hy, ha, nv=(18, 26))
            if polys[0].buffer(-250).contains(hole):
                polys[0] = Polygon(polys[0].exterior.coords, [hole.exterior.coords])
                break
        else:
            raise SystemExit(f"hole of {spec['id']} does not fit")
        g = polys[0] if len(polys) == 1 else MultiPolygon(polys)
        g = fit(g, spec["district"], spec["id"])
        if not clear(g):
            raise SystemExit(f"area {spec['id']} overlaps another area")
        placed.append((spec["id"], g))
        out.append((spec, g))

    # resettlement areas beside the expressways
    used = {}
    for n, (road, frac, side, status, day) in enumerate(TDC, 1):
        line = roads_m[road]
        ok = None
        for off in (700, 900, 1100, 1400, -700, -900, -1100):
            p = np.array(line.interpolate(frac, normalized=True).coords[0])
            q = np.array(line.interpolate(min(frac + 0.002, 1), normalized=True).coords[0])
            t = (q - p) / np.hypot(*(q - p))
            c = p + np.array([-t[1], t[0]]) * side * off
            ha = float(rng.uniform(8, 24))
            g = blob_m(rng, c[0], c[1], ha, nv=(16, 24))
            code = district_of(g, dist_m)
            if dist_m[code].buffer(-100).contains(g) and clear(g) and not g.buffer(150).intersects(line):
                ok = (g, code, ha)
                break
        if not ok:
            raise SystemExit(f"cannot place tdc-{n:02d}")
        g, code, ha = ok
        k = used.get(code, 0)
        used[code] = k + 1
        commune = COMMUNES[code][k % len(COMMUNES[code])]
        spec = dict(id=f"tdc-{n:02d}", ten=f"Khu tái định cư {commune} ({ROAD_SHORT[road]})",
                    loai="resettlement_area", trang_thai=status, ngay=day,
                    von_ty=round(float(rng.uniform(25, 120)), 1), muc_tieu="resettlement-areas-2024",
                    district=code)
        placed.append((spec["id"], g))
        out.append((spec, g))

    feats = []
    order = {s["id"]: i for i, s in enumerate(AREAS)}
    # contract order: the three urban upgrades, the resettlement areas, then the rest
    out.sort(key=lambda sg: (order[sg[0]["id"]] if sg[0]["id"] in order else 2.5, sg[0]["id"]))
    for spec, g in out:
        gl = rounded(rfc7946(m2ll(g)), 7)
        assert gl.is_valid, spec["id"]
        ha = garea_ha(gl)
        props = {"id": spec["id"], "ten": spec["ten"], "loai": spec["loai"], "trang_thai": spec["trang_thai"],
                 "ngay": spec["ngay"], "dien_tich_ha": round(ha * float(rng.uniform(0.97, 1.03)), 2),
                 "von_ty": spec["von_ty"], "muc_tieu": spec["muc_tieu"]}
        feats.append((props, gl, spec["district"]))
    return feats


# ----------------------------------------------------------------------------------------------
# 4. Sites — the project register (CSV, Vietnamese vocabulary, dd/mm/yyyy, lon/lat)
# ----------------------------------------------------------------------------------------------
# id, name, loai_hinh, tinh_trang, date (ISO), lon, lat, budget (billion VND), district
SITES = [
    ("cho-dau-moi-nong-san-duc-trong", "Chợ đầu mối nông sản Đức Trọng", "chợ", "đang thi công", "2024-03-15", 108.352, 11.712, 280.0, "678"),
    ("cho-dau-moi-rau-hoa-don-duong", "Chợ đầu mối rau – hoa Đơn Dương", "chợ", "đã phê duyệt", "2024-05-09", 108.556, 11.772, 150.0, "677"),
    ("cho-da-lat", "Chợ Đà Lạt (cải tạo, nâng cấp chợ hạng 1)", "chợ", "kế hoạch", "2024-02-26", 108.4370, 11.9440, 95.0, "672"),
    ("cho-bao-loc", "Chợ Bảo Lộc (chợ hạng 1)", "chợ", "hoàn thành", "2024-09-12", 107.8080, 11.5460, 210.0, "673"),
    ("cho-lien-nghia", "Chợ Liên Nghĩa (chợ hạng 1)", "chợ", "đang thi công", "2024-01-18", 108.3700, 11.7300, 160.0, "678"),
    ("cho-di-linh", "Chợ Di Linh (chợ hạng 2)", "chợ", "đã khởi công", "2024-07-25", 108.0760, 11.5830, 75.0, "679"),
    ("cho-dinh-van", "Chợ Đinh Văn (chợ hạng 2)", "chợ", "hoàn thành", "2024-06-28", 108.2450, 11.7880, 48.0, "676"),
    ("cho-thanh-my", "Chợ Thạnh Mỹ (cải tạo chợ truyền thống)", "chợ", "giải phóng mặt bằng", "2024-08-14", 108.5450, 11.7900, 32.0, "677"),
    ("cho-madaguoi", "Chợ Madaguôi (cải tạo chợ truyền thống)", "chợ", "hoàn thành", "2024-04-03", 107.5650, 11.3950, 18.0, "681"),
    ("cho-cat-tien", "Chợ thị trấn Cát Tiên (cải tạo chợ truyền thống)", "chợ", "kế hoạch", "2024-03-30", 107.3600, 11.6000, 22.0, "683"),
    ("cho-loc-thang", "Chợ Lộc Thắng (chợ hạng 2)", "chợ", "đã phê duyệt", "2024-04-17", 107.8250, 11.6750, 40.0, "680"),
    ("trung-tam-hoa-da-lat", "Trung tâm giao dịch hoa Đà Lạt", "chợ", "đang thi công", "2024-02-05", 108.4620, 11.9560, 320.0, "672"),
    ("san-bay-lien-khuong", "Nâng cấp Cảng hàng không Liên Khương thành cảng hàng không quốc tế", "giao thông", "đã phê duyệt", "2024-08-22", 108.3800, 11.7500, 1500.0, "678"),
    ("ga-da-lat", "Cải tạo, nâng cấp ga Đà Lạt", "giao thông", "kế hoạch", "2024-01-25", 108.4475, 11.9410, 210.0, "672"),
    ("ben-xe-bao-loc", "Bến xe khách liên tỉnh Bảo Lộc (di dời)", "giao thông", "giải phóng mặt bằng", "2024-06-11", 107.8450, 11.5350, 85.0, "673"),
    ("bauxit-tan-rai", "Tổ hợp bô xít – alumin – nhôm Tân Rai (nhà máy điện phân nhôm)", "năng lượng", "đang thi công", "2023-10-12", 107.8000, 11.6600, 8900.0, "680"),
    ("thuy-dien-dai-nga-2", "Thủy điện Đại Nga 2", "năng lượng", "hoàn thành", "2024-04-26", 107.8600, 11.6600, 320.0, "680"),
    ("dien-gio-cau-dat", "Nhà máy điện gió Cầu Đất", "năng lượng", "đang thi công", "2023-10-20", 108.5150, 11.8850, 2100.0, "672"),
    ("dien-gio-lac-duong", "Nhà máy điện gió Lạc Dương", "năng lượng", "đã phê duyệt", "2024-07-19", 108.6200, 12.1700, 3200.0, "675"),
    ("kinh-te-dem-da-lat", "Thí điểm phát triển kinh tế ban đêm – khu phố đêm trung tâm Đà Lạt", "du lịch", "đã khởi công", "2024-03-29", 108.4375, 11.9420, 60.0, "672"),
    ("nha-thi-dau-duc-trong", "Nhà thi đấu đa năng huyện Đức Trọng", "công trình công cộng", "hoàn thành", "2024-10-30", 108.3600, 11.7250, 62.0, "678"),
    ("benh-vien-lam-dong-2", "Bệnh viện đa khoa tỉnh Lâm Đồng – cơ sở 2", "công trình công cộng", "đang thi công", "2023-12-01", 108.4550, 11.9250, 980.0, "672"),
    ("du-an-cham-1", "Khu du lịch sinh thái thác Đambri (giai đoạn 2)", "du lịch", "chậm tiến độ", "2022-04-18", 107.7730, 11.5820, 450.0, "673"),
    ("du-an-cham-2", "Mở rộng Bệnh viện đa khoa huyện Lâm Hà", "công trình công cộng", "chậm tiến độ", "2022-08-15", 108.1900, 11.8200, 85.0, "676"),
    ("san-golf-da-huoai", "Sân golf và khu nghỉ dưỡng Đạ Huoai", "du lịch", "hủy", "2023-11-20", 107.6600, 11.3700, 1200.0, "681"),
]
SITE_KINDS = {"chợ": "market", "công trình công cộng": "public_facility", "năng lượng": "energy",
              "du lịch": "tourism", "giao thông": "other"}
SITE_STATUS = {"kế hoạch": "planned", "đã phê duyệt": "approved", "giải phóng mặt bằng": "site_clearance",
               "đã khởi công": "under_construction", "đang thi công": "under_construction",
               "hoàn thành": "completed", "chậm tiến độ": "stalled", "hủy": "cancelled"}


def district_label(code, style):
    if style == "type":
        return f"{DTYPE[code]} {DNAME[code]}"
    if style == "ascii":
        return DASCII[code]
    return DNAME[code]


def build_sites(dist_m):
    rng = rng_for("sites")
    rows = []
    for sid, name, kind, status, day, lon, lat, budget, code in SITES:
        p = pt_m(lon, lat)
        inner = dist_m[code].buffer(-300)
        c = pt_m(*DCENTRE[code])
        for k in range(41):
            q = p + (c - p) * (k / 40)
            if inner.contains(Point(q)):
                break
        else:
            raise SystemExit(f"cannot place site {sid}")
        if k:
            say(f"  note: site {sid} moved {np.hypot(*(q - p)) / 1000:.1f} km into {DNAME[code]}")
        lon2, lat2 = pt_ll(*q)
        style = "type" if rng.random() < 0.35 else "plain"
        rows.append({"ma_du_an": sid, "ten_du_an": name, "loai_hinh": kind, "tinh_trang": status,
                     "ngay": dmy(day), "kinh_do": f"{lon2:.6f}", "vi_do": f"{lat2:.6f}",
                     "von_ty_dong": f"{budget:.1f}", "huyen": district_label(code, style), "_code": code})
    return rows


# ----------------------------------------------------------------------------------------------
# 5. Forest plots — GeoPackage layer lo_rung, EPSG:5899
# ----------------------------------------------------------------------------------------------
PLOT_PLAN = {"676": 85, "674": 85, "679": 85, "680": 85, "675": 65, "681": 45, "682": 30, "683": 20,
             "678": 25, "677": 15, "672": 15, "673": 5}
N_BORDER = 40
FOREST_CORE = {"676", "674", "679", "680", "675", "681", "682", "683"}
# status buckets filled in random order of planting units: (status, year, cap in ha of drawn area)
BUCKETS = [("hoàn thành", 2024, 452.0), ("hoàn thành", 2023, 125.0), ("đang trồng", 2024, 115.0),
           ("đã phê duyệt", 2024, 95.0), ("kế hoạch", 2024, float("inf"))]
DATE_RANGE = {("hoàn thành", 2024): ("2024-05-20", "2024-11-30"), ("hoàn thành", 2023): ("2023-06-01", "2023-12-20"),
              ("đang trồng", 2024): ("2024-07-01", "2024-12-10"), ("đã phê duyệt", 2024): ("2024-03-01", "2024-10-31"),
              ("kế hoạch", 2024): ("2024-01-10", "2024-06-30")}


class PlotIndex:
    def __init__(self, cell=2000.0):
        self.cell, self.grid, self.geoms = cell, {}, []

    def _keys(self, g):
        x0, y0, x1, y1 = g.bounds
        for i in range(int(x0 // self.cell), int(x1 // self.cell) + 1):
            for j in range(int(y0 // self.cell), int(y1 // self.cell) + 1):
                yield (i, j)

    def free(self, g, gap=15.0):
        gb = g.buffer(gap)
        for k in self._keys(gb):
            for idx in self.grid.get(k, ()):
                if self.geoms[idx].intersects(gb):
                    return False
        return True

    def add(self, g):
        self.geoms.append(g)
        for k in self._keys(g):
            self.grid.setdefault(k, []).append(len(self.geoms) - 1)


def plot_area_ha(rng):
    return float(np.clip(rng.lognormal(math.log(1.25), 0.55), 0.36, 4.7))


def build_plots(dist_m, prov_m, excl_m):
    rng = rng_for("plots")
    prov_in = prov_m.buffer(-40)
    index = PlotIndex()
    plots = []   # dict(geom, code, unit, style)
    excl_prep = excl_m
    shapely.prepare(excl_prep)

    # (a) plots straddling a district border
    pairs = []
    for i, a in enumerate(CODES):
        for b in CODES[i + 1:]:
            sh = dist_m[a].boundary.intersection(dist_m[b].boundary)
            if sh.length > 0:
                w = sh.length * (1.0 if (a in FOREST_CORE and b in FOREST_CORE) else 0.25)
                pairs.append((a, b, linemerge(sh) if sh.geom_type != "LineString" else sh, w))
    wts = np.array([p[3] for p in pairs])
    wts /= wts.sum()
    prov_edge = prov_m.boundary
    tries = 0
    while sum(1 for p in plots if p["border"]) < N_BORDER:
        tries += 1
        assert tries < 20000, "border plots"
        a, b, line, _ = pairs[int(rng.choice(len(pairs), p=wts))]
        pt = line.interpolate(float(rng.uniform(0, line.length)))
        if pt.distance(prov_edge) < 1500:
            continue
        ha = float(rng.uniform(1.0, 4.0))
        g = star_polygon(rng, pt.x + rng.uniform(-150, 150), pt.y + rng.uniform(-150, 150), ha * 1e4,
                         nv=(8, 14), noise=0.3, stretch=(1.0, 2.0), jitter=0.18)
        g = rounded(g, 2)
        if not g.is_valid or not prov_in.contains(g) or excl_prep.intersects(g) or not index.free(g):
            continue
        shares = sorted(((dist_m[c].intersection(g).area / g.area, c) for c in (a, b)), reverse=True)
        if abs(shares[0][0] + shares[1][0] - 1) > 1e-6 or not (0.12 <= shares[1][0] <= 0.45):
            continue
        index.add(g)
        plots.append(dict(geom=g, code=shares[0][1], unit=f"B{len(plots)}", border=True,
                          style=["plain", "type", "ascii"][int(rng.choice(3, p=[0.5, 0.3, 0.2]))]))

    # (b) clusters of plots inside one district
    centres = []
    units = {}
    for code, n in PLOT_PLAN.items():
        inner = dist_m[code].buffer(-2500).difference(excl_m.buffer(800))
        ncl = max(1, round(n / 12))
        counts = rng.multinomial(n, rng.dirichlet(np.full(ncl, 4.0)))
        x0, y0, x1, y1 = inner.bounds
        inside = dist_m[code].buffer(-25)
        shapely.prepare(inside)
        for ci in range(ncl):
            for _ in range(5000):
                cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
                if shapely.contains_xy(inner, cx, cy) and all(np.hypot(cx - a, cy - b) > 4000 for a, b in centres):
                    break
            else:
                raise SystemExit(f"no cluster centre in {code}")
            centres.append((cx, cy))
            style = ["plain", "type", "ascii"][int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
            sigma = 450.0 + 90.0 * math.sqrt(counts[ci])
            members = []
            for _ in range(int(counts[ci])):
                for _t in range(400):
                    ha = plot_area_ha(rng)
                    g = star_polygon(rng, cx + rng.normal(0, sigma), cy + rng.normal(0, sigma), ha * 1e4,
                                     nv=(7, 14), noise=0.3, stretch=(1.0, 2.2), jitter=0.18)
                    g = rounded(g, 2)
                    if g.is_valid and inside.contains(g) and not excl_prep.intersects(g) and index.free(g):
                        break
                else:
                    say(f"  note: a plot in {DNAME[code]} could not be placed")
                    continue
                index.add(g)
                members.append(len(plots))
                plots.append(dict(geom=g, code=code, unit=None, border=False, style=style))
            # split the cluster into planting units of 4–8 neighbouring plots (by angle)
            ang = sorted(members, key=lambda k: math.atan2(plots[k]["geom"].centroid.y - cy,
                                                          plots[k]["geom"].centroid.x - cx))
            pos = 0
            while pos < len(ang):
                size = int(rng.integers(4, 9))
                uid = f"C{len(centres)}-{pos}"
                for k in ang[pos:pos + size]:
                    plots[k]["unit"] = uid
                pos += size

    # statuses by planting unit
    for p in plots:
        p["ha"] = garea_ha(m2ll(p["geom"]))
    unit_ids = []
    for p in plots:
        if p["unit"] not in unit_ids:
            unit_ids.append(p["unit"])
    unit_area = {u: 0.0 for u in unit_ids}
    for p in plots:
        unit_area[p["unit"]] += p["ha"]
    totals = [0.0] * len(BUCKETS)
    unit_status = {}
    for ui in rng.permutation(len(unit_ids)):
        u = unit_ids[int(ui)]
        for bi, (st, yr, cap) in enumerate(BUCKETS):
            if totals[bi] + unit_area[u] <= cap:
                totals[bi] += unit_area[u]
                unit_status[u] = bi
                break
    unit_info = {}
    for u in unit_ids:
        st, yr, _ = BUCKETS[unit_status[u]]
        d0, d1 = DATE_RANGE[(st, yr)]
        start = rand_date(rng, d0, d1)
        unit_info[u] = (st, start, float(rng.uniform(1600, 2500)))
    for p in plots:
        st, start, dens = unit_info[p["unit"]]
        st_, yr, _ = BUCKETS[unit_status[p["unit"]]]
        d0, d1 = DATE_RANGE[(st_, yr)]
        day = date.fromisoformat(start) + timedelta(days=int(rng.integers(0, 21)))
        day = min(day, date.fromisoformat(d1)).isoformat()
        declared = round(p["ha"] * float(1 + np.clip(rng.normal(0, 0.02), -0.04, 0.04)), 2)
        if st == "hoàn thành":
            trees = int(round(declared * dens * float(rng.uniform(0.97, 1.03))))
        elif st == "đang trồng":
            trees = int(round(declared * dens * float(rng.uniform(0.3, 0.8))))
        else:
            trees = 0
        p.update(status=st, day=day, trees=trees, declared=declared)

    # compartment (tiểu khu, 3.2 km grid), sub-compartment (khoảnh, 3×3) and lô numbers
    G = 3200.0
    x0, y0, x1, y1 = prov_m.bounds
    gx0, gy1 = math.floor(x0 / G) * G, math.ceil(y1 / G) * G
    tk_no, n = {}, 0
    for j in range(int((gy1 - y0) // G) + 1):
        for i in range(int((x1 - gx0) // G) + 1):
            cell = shapely.box(gx0 + i * G, gy1 - (j + 1) * G, gx0 + (i + 1) * G, gy1 - j * G)
            if cell.intersects(prov_m):
                n += 1
                tk_no[(i, j)] = n
    for p in plots:
        c = p["geom"].centroid
        i, j = int((c.x - gx0) // G), int((gy1 - c.y) // G)
        p["tieu_khu"] = tk_no[(i, j)]
        si = int((c.x - gx0 - i * G) // (G / 3))
        sj = int((gy1 - c.y - j * G) // (G / 3))
        p["khoanh"] = sj * 3 + si + 1
    groups = {}
    for k, p in enumerate(plots):
        groups.setdefault((p["tieu_khu"], p["khoanh"]), []).append(k)
    for key in groups:
        ks = sorted(groups[key], key=lambda k: (-round(plots[k]["geom"].centroid.y), round(plots[k]["geom"].centroid.x)))
        for n, k in enumerate(ks, 1):
            plots[k]["lo"] = str(n)
    plots.sort(key=lambda p: (p["tieu_khu"], p["khoanh"], int(p["lo"])))
    for n, p in enumerate(plots, 1):
        p["ma_lo"] = f"LR-{n:04d}"
    return plots


def write_gpkg(plots, path):
    feats = []
    for p in plots:
        props = {"ma_lo": p["ma_lo"], "tieu_khu": p["tieu_khu"], "khoanh": p["khoanh"], "lo": p["lo"],
                 "huyen": district_label(p["code"], p["style"]), "trang_thai": p["status"], "ngay": p["day"],
                 "so_cay": p["trees"], "dt_khai_bao": p["declared"]}
        feats.append((props, p["geom"]))
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "lo_rung.geojson")
        write_geojson(src, "lo_rung", feats, 2, crs="urn:ogc:def:crs:EPSG::5899")
        if os.path.exists(path):
            os.remove(path)
        subprocess.run(["ogr2ogr", "--config", "OGR_CURRENT_DATE", "2024-12-31T00:00:00.000Z",
                        "-f", "GPKG", path, src, "-nln", "lo_rung", "-a_srs", "EPSG:5899",
                        "-nlt", "POLYGON", "-lco", "FID=fid", "-lco", "GEOMETRY_NAME=geom"], check=True)


# ----------------------------------------------------------------------------------------------
# 6/7. Manifest and README
# ----------------------------------------------------------------------------------------------
def yaml_map(d):
    return "{" + ", ".join(f'"{k}": {v}' for k, v in d.items()) + "}"


def write_manifest(path):
    forest_status = {"hoàn thành": "completed", "đang trồng": "under_construction", "kế hoạch": "planned",
                     "đã phê duyệt": "approved"}
    text = f"""# geomonitor dataset manifest — Lâm Đồng 2024 SAMPLE data (not official; see README.md).
# Generated by tools/make_sample.py — edit the generator, not this file.
name: "Lâm Đồng 2024 — sample data"
province: {{code: "68", name: "Lâm Đồng", type: "Tỉnh"}}
language: vi                      # tables, maps, charts and reports in Vietnamese (--lang en for English)
working_crs: EPSG:5899            # VN-2000 / TM-3 107-45, for maps & planar work
localities:
  # Two boundary editions: the 2024 districts, and the communes of the merged province from
  # 2025-07-01 (SCHEMATIC, see README "What changed in 2025"; tools/make_communes_2025.py).
  - edition: districts-2024
    to: 2025-06-30
    source: localities.geojson
    fields: {{code: ma_huyen, name: ten_huyen, type: loai, parent: ma_tinh}}
  - edition: communes-2025
    from: 2025-07-01
    sources:
      - {{source: communes-2025-lam-dong.geojson, fields: {{code: ma_xa, name: ten_xa, type: loai, parent: ma_tinh}}}
      - {{source: communes-2025-dak-nong.geojson, fields: {{code: ma_xa, name: ten_xa, type: loai, parent: ma_tinh}}}
      - {{source: communes-2025-binh-thuan.geojson, fields: {{code: ma_xa, name: ten_xa, type: loai, parent: ma_tinh}}}
projects:
  - source: forest-plots.gpkg
    layer: lo_rung
    kind: forest_planting
    fields: {{id: ma_lo, status: trang_thai, date: ngay, trees: so_cay, area_ha: dt_khai_bao, locality: huyen}}
    values:
      status: {yaml_map(forest_status)}
  - source: roads.geojson
    fields: {{id: id, name: ten, kind: loai, status: trang_thai, date: ngay, length_km: chieu_dai_km, budget: von_ty, targets: muc_tieu}}
  - source: areas.geojson
    fields: {{id: id, name: ten, kind: loai, status: trang_thai, date: ngay, area_ha: dien_tich_ha, budget: von_ty, targets: muc_tieu}}
  - source: sites.csv
    open_options: {{X_POSSIBLE_NAMES: kinh_do, Y_POSSIBLE_NAMES: vi_do}}
    crs: EPSG:4326
    date_format: dd/MM/yyyy
    number_format: en                # the export writes decimal points (280.0)
    fields: {{id: ma_du_an, name: ten_du_an, kind: loai_hinh, status: tinh_trang, date: ngay, budget: von_ty_dong, locality: huyen}}
    values:
      kind: {yaml_map(SITE_KINDS)}
      status: {yaml_map(SITE_STATUS)}
targets: targets-2024.yaml
indicators: indicators-2024.yaml
"""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(nfc(text))


README = """# GeoData — Lâm Đồng 2024 (SAMPLE DATA)

**SAMPLE, NOT OFFICIAL.** Nothing in this folder is an official boundary, plan, register or
statistic. The district outlines are schematic; the forest plots, roads, areas and project
sites are invented (placed plausibly, named after real places and real programme items so that
the monitor has something realistic to work on). Do not use them for any decision, map or
report about the real province.

This is the embedded default dataset of geomonitor. It exercises the action programme of the
Lâm Đồng Provincial Party Committee for 2024 (29 Dec 2023), see `targets-2024.yaml`.

| file | content | CRS |
|---|---|---|
| `localities.geojson` | 12 district-level units (2023), GSO codes 672–683 | EPSG:4326 |
| `forest-plots.gpkg` | layer `lo_rung`: ~600 afforestation plots (tiểu khu / khoảnh / lô) | EPSG:5899 (VN-2000 / TM-3 107-45) |
| `roads.geojson` | expressways, national roads, railway, Đà Lạt road widenings | EPSG:5899 (GeoJSON `crs` member) |
| `areas.geojson` | urban upgrades, resettlement areas, greenhouse / livestock zones, tourism | EPSG:4326 |
| `sites.csv` | project register (spreadsheet export, Vietnamese statuses, dd/mm/yyyy) | lon/lat (EPSG:4326) |
| `manifest.yaml` | how geomonitor reads the files (fields, vocabularies) | — |
| `targets-2024.yaml`, `indicators-2024.yaml` | target catalogue and reported indicator values (written separately) | — |

## How it was generated

Everything except the targets/indicators files is produced by `tools/make_sample.py`
(python3 + numpy + shapely + pyproj, GDAL's `ogr2ogr` for the GeoPackage; these are needed
only to regenerate, never at runtime). The script is deterministic (fixed seed):

    pip install shapely pyproj
    python3 GeoData/tools/make_sample.py

It prints a summary, also saved as `tools/summary.txt`.

- **Localities**: a hand-drawn schematic layout of the province outline and the district
  borders (key nodes in lon/lat) is fitted by least squares so that each district has its
  published area (km²: 672 394.6, 673 232.6, 674 872.6, 675 1230.9, 676 978.5, 677 610.4,
  678 901.8, 679 1628.5, 680 1463.4, 681 495.6, 682 524.6, 683 427.0) and its centroid lies
  near the real one. Every border segment is densified and given a fixed random wiggle once,
  so neighbouring districts share exactly the same vertices (no gaps, no overlaps).
- **Forest plots**: irregular polygons of 0.3–5 ha in clusters, mostly in Lâm Hà, Đam Rông,
  Di Linh, Bảo Lâm, Lạc Dương and Đạ Huoai; about 40 straddle a district border. The declared
  area (`dt_khai_bao`) differs from the drawn area by a few per cent, as in real registers,
  and `huyen` is written the way foresters write it ("Lâm Hà", "Huyện Lâm Hà", "Lam Ha").
  Statuses are in Vietnamese; some plots were completed in 2023 and must not count for 2024.
- **Roads / areas / sites**: routes and places follow the real geography roughly
  (Tân Phú – Bảo Lộc – Liên Khương expressways, QL27/QL55/QL27C, the Tháp Chàm – Đà Lạt railway,
  Đức Trọng / Hòa Ninh / Đạ M’ri urban areas, resettlement areas along the expressways, …);
  dates, budgets and statuses are made up.

## Licence

Generated data, no third-party geometry: dedicated to the public domain under
CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/). Place and unit names and GSO
codes are public facts.
"""


# ----------------------------------------------------------------------------------------------
# Verification (reads the written files back) and summary
# ----------------------------------------------------------------------------------------------
def ogr_json(path, layer=None):
    cmd = ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path] + ([layer] if layer else [])
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def ogrinfo_lines(path, layer, keys):
    out = subprocess.run(["ogrinfo", "-so", path, layer], check=True, capture_output=True, text=True).stdout
    return [ln.strip() for ln in out.splitlines() if any(ln.strip().startswith(k) for k in keys)]


def verify_and_summarise():
    fail = []

    def check(ok, msg):
        if not ok:
            fail.append(msg)
            say("  CHECK FAILED: " + msg)

    # localities
    say("")
    say("== localities.geojson ==")
    loc = json.load(open(os.path.join(GEODATA, "localities.geojson"), encoding="utf-8"))
    gs = {f["properties"]["ma_huyen"]: shape(f["geometry"]) for f in loc["features"]}
    check(len(gs) == 12, "12 localities")
    say(f"  {'code':4} {'name':10} {'true km2':>9} {'drawn km2':>9} {'diff %':>7} {'vertices':>8} {'centroid→true centre km':>24} centre inside")
    for f in loc["features"]:
        c = f["properties"]["ma_huyen"]
        g = gs[c]
        a = garea_ha(g) / 100
        lon, lat = DCENTRE[c]
        d = GEOD.inv(g.centroid.x, g.centroid.y, lon, lat)[2] / 1000
        inside = g.contains(Point(lon, lat))
        nv = len(g.exterior.coords) - 1
        say(f"  {c:4} {DNAME[c]:10} {DAREA[c]:9.1f} {a:9.1f} {(a / DAREA[c] - 1) * 100:+7.2f} {nv:8d} {d:24.1f} {inside}")
        check(g.is_valid and g.geom_type == "Polygon", f"{c} valid polygon")
        check(abs(a / DAREA[c] - 1) < 0.10, f"{c} area within 10 %")
        check(inside, f"{c} true centre inside")
        check(100 <= nv <= 400, f"{c} vertex count")
        check(unicodedata.is_normalized("NFC", f["properties"]["ten_huyen"]), f"{c} NFC")
    geoms = list(gs.values())
    u = unary_union(geoms)
    s = sum(g.area for g in geoms)
    overl = max(geoms[i].intersection(geoms[j]).area for i in range(12) for j in range(i + 1, 12))
    say(f"  topology: union/sum of areas = {u.area / s:.8f}, max pairwise overlap {overl:.2e} deg², "
        f"union is one {u.geom_type} with {len(getattr(u, 'interiors', []))} holes; province area "
        f"{garea_ha(u) / 100:.1f} km², bbox {', '.join(f'{v:.3f}' for v in u.bounds)}")
    check(abs(u.area / s - 1) < 1e-4 and overl < 1e-10 and u.geom_type == "Polygon" and not u.interiors, "topology")
    check(shapely.coverage_is_valid(shapely.GeometryCollection(geoms)), "coverage valid")
    dist_m = {c: ll2m(g) for c, g in gs.items()}
    prov_ll = u

    # forest plots
    say("")
    say("== forest-plots.gpkg ==")
    gp = os.path.join(GEODATA, "forest-plots.gpkg")
    for ln in ogrinfo_lines(gp, "lo_rung", ("Geometry:", "Feature Count", "PROJCRS", "ID[\"EPSG\",5899]", "ma_lo", "tieu_khu",
                                           "khoanh", "lo:", "huyen", "trang_thai", "ngay", "so_cay", "dt_khai_bao")):
        say("  ogrinfo: " + ln)
    fj = ogr_json(gp, "lo_rung")
    recs = [(f["properties"], shape(f["geometry"])) for f in fj["features"]]
    check(len(recs) >= 550, "~600 plots")
    pg = [g for _, g in recs]
    check(all(g.is_valid for g in pg), "plots valid")
    tree = shapely.STRtree(pg)
    ov = 0
    for i, g in enumerate(pg):
        for j in tree.query(g, predicate="intersects"):
            if j > i and g.intersection(pg[j]).area > 0.01:
                ov += 1
    check(ov == 0, "plots overlap")
    has = [garea_ha(m2ll(g)) for g in pg]
    crossing = 0
    comp = {c: 0.0 for c in CODES}
    comp_decl = 0.0
    by_status = {}
    dev = []
    huyen_forms = set()
    trees_2024 = 0
    for (pr, g), ha in zip(recs, has):
        parts = [(dist_m[c].intersection(g).area, c) for c in CODES if dist_m[c].intersects(g)]
        parts = [(a, c) for a, c in parts if a > 1.0]
        if len(parts) > 1:
            crossing += 1
        major = max(parts)[1]
        lab = pr["huyen"]
        huyen_forms.add("type" if lab.startswith(("Huyện", "Thành phố")) else ("ascii" if lab.isascii() else "plain"))
        check(lab in (DNAME[major], f"{DTYPE[major]} {DNAME[major]}", DASCII[major]), f"{pr['ma_lo']} huyen = majority district")
        key = (pr["trang_thai"], pr["ngay"][:4])
        n, a = by_status.get(key, (0, 0.0))
        by_status[key] = (n + 1, a + ha)
        dev.append(pr["dt_khai_bao"] / ha - 1)
        if pr["trang_thai"] == "hoàn thành" and pr["ngay"].startswith("2024"):
            comp[major] += ha
            comp_decl += pr["dt_khai_bao"]
            trees_2024 += pr["so_cay"]
    say(f"  {len(recs)} plots, drawn area {min(has):.2f}–{max(has):.2f} ha (geodesic), all valid, {ov} overlaps; "
        f"declared vs drawn {min(dev) * 100:+.1f} % … {max(dev) * 100:+.1f} %")
    say(f"  border-crossing plots: {crossing}; huyen written as: {', '.join(sorted(huyen_forms))}")
    for (st, yr), (n, a) in sorted(by_status.items()):
        say(f"    {st:14} {yr}: {n:4d} plots, {a:7.1f} ha drawn")
    tot = sum(comp.values())
    say(f"  completed in 2024: {tot:.1f} ha drawn (geodesic), {comp_decl:.2f} ha declared, {trees_2024:,} trees")
    say("  completed-2024 drawn ha per district:")
    for c in CODES:
        say(f"    {c} {DNAME[c]:10} {comp[c]:7.1f}")
    check(420 <= tot <= 480, "completed-2024 area 420–480 ha")
    check(0.3 <= min(has) and max(has) <= 5.0, "plot sizes 0.3–5 ha")
    check(30 <= crossing <= 50, "~40 border plots")

    # roads
    say("")
    say("== roads.geojson ==")
    rp = os.path.join(GEODATA, "roads.geojson")
    for ln in ogrinfo_lines(rp, "roads", ("Geometry:", "Feature Count", "PROJCRS", "ID[\"EPSG\",5899]")):
        say("  ogrinfo: " + ln)
    rj = json.load(open(rp, encoding="utf-8"))
    prov_m = unary_union(list(dist_m.values()))
    types = set()
    for f in rj["features"]:
        pr, g = f["properties"], shape(f["geometry"])
        types.add(g.geom_type)
        km = glen_km(m2ll(g))
        ds = [DNAME[c] for c in CODES if dist_m[c].intersects(g)]
        check(prov_m.buffer(1).contains(g), f"{pr['id']} inside the province")
        say(f"  {pr['id']:28} {g.geom_type:15} {pr['trang_thai']:18} {pr['ngay']} {km:6.1f} km drawn / {pr['chieu_dai_km']:6.1f} declared; {', '.join(ds)}")
    check("MultiLineString" in types, "a MultiLineString road")
    for rid in ("mo-rong-duong-da-lat-1", "mo-rong-duong-da-lat-2"):
        g = shape(next(f for f in rj["features"] if f["properties"]["id"] == rid)["geometry"])
        check(dist_m["672"].contains(g), f"{rid} inside Đà Lạt")

    # areas
    say("")
    say("== areas.geojson ==")
    aj = json.load(open(os.path.join(GEODATA, "areas.geojson"), encoding="utf-8"))
    ag = []
    holes = multis = 0
    for f in aj["features"]:
        pr, g = f["properties"], shape(f["geometry"])
        ag.append(g)
        check(g.is_valid, f"{pr['id']} valid")
        check(prov_ll.contains(g), f"{pr['id']} inside the province")
        ha = garea_ha(g)
        ds = [DNAME[c] for c in CODES if gs[c].intersects(g)]
        hole = any(len(p.interiors) for p in shapely.get_parts(g))
        holes += hole
        multis += g.geom_type == "MultiPolygon"
        say(f"  {pr['id']:26} {pr['loai']:17} {pr['trang_thai']:18} {pr['ngay']} {ha:8.1f} ha drawn / {pr['dien_tich_ha']:8.1f} declared; "
            f"{', '.join(ds)}{' (hole)' if hole else ''}{' (multi)' if g.geom_type == 'MultiPolygon' else ''}")
    check(holes >= 1 and multis >= 1, "a hole and a MultiPolygon")
    check(max(ag[i].intersection(ag[j]).area for i in range(len(ag)) for j in range(i + 1, len(ag))) == 0, "areas overlap")
    ns = sum(1 for f in aj["features"] if f["properties"]["loai"] == "resettlement_area"
             and f["properties"]["trang_thai"] in ("under_construction", "completed"))
    say(f"  resettlement areas started (under_construction|completed): {ns} of 8")

    # sites
    say("")
    say("== sites.csv ==")
    with open(os.path.join(GEODATA, "sites.csv"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kinds, stats = {}, {}
    for r in rows:
        kinds[r["loai_hinh"]] = kinds.get(r["loai_hinh"], 0) + 1
        stats[r["tinh_trang"]] = stats.get(r["tinh_trang"], 0) + 1
        p = Point(float(r["kinh_do"]), float(r["vi_do"]))
        c = next((c for c in CODES if gs[c].contains(p)), None)
        check(c is not None and r["huyen"] in (DNAME[c], f"{DTYPE[c]} {DNAME[c]}"), f"site {r['ma_du_an']} in its huyen")
        check(r["loai_hinh"] in SITE_KINDS and r["tinh_trang"] in SITE_STATUS, f"site {r['ma_du_an']} vocabulary")
    say(f"  {len(rows)} sites; loai_hinh: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    say("  tinh_trang: " + ", ".join(f"{k} {v}" for k, v in stats.items()))

    say("")
    say("== counts ==")
    say(f"  localities.geojson {len(gs)} | forest-plots.gpkg {len(recs)} | roads.geojson {len(rj['features'])} | "
        f"areas.geojson {len(aj['features'])} | sites.csv {len(rows)}")
    for fn in ("localities.geojson", "forest-plots.gpkg", "roads.geojson", "areas.geojson", "sites.csv", "manifest.yaml"):
        say(f"  {fn:20} {os.path.getsize(os.path.join(GEODATA, fn)):8d} bytes")
    say("")
    say("ALL CHECKS PASSED" if not fail else f"{len(fail)} CHECKS FAILED")
    return not fail


# ----------------------------------------------------------------------------------------------
def main():
    say("geomonitor GeoData sample — summary (tools/make_sample.py, seed %d)" % SEED)
    say("")
    say("[generate]")
    loc = build_localities()
    feats = []
    for c in CODES:
        props = {"ma_huyen": c, "ten_huyen": DNAME[c], "loai": DTYPE[c], "ma_tinh": "68",
                 "ten_khong_dau": DASCII[c]}
        feats.append((props, loc[c]))
    write_geojson(os.path.join(GEODATA, "localities.geojson"), "localities", feats, 7)
    dist_m = {c: ll2m(loc[c]) for c in CODES}
    prov_m = unary_union(list(dist_m.values()))

    roads = build_roads(prov_m)
    write_geojson(os.path.join(GEODATA, "roads.geojson"), "roads", [(p, g) for p, g in roads], 2,
                  crs="urn:ogc:def:crs:EPSG::5899")
    roads_m = {p["id"]: g for p, g in roads}

    areas = build_areas(dist_m, roads_m)
    write_geojson(os.path.join(GEODATA, "areas.geojson"), "areas", [(p, g) for p, g, _ in areas], 7)

    sites = build_sites(dist_m)
    cols = ["ma_du_an", "ten_du_an", "loai_hinh", "tinh_trang", "ngay", "kinh_do", "vi_do", "von_ty_dong", "huyen"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(sites)
    with open(os.path.join(GEODATA, "sites.csv"), "w", encoding="utf-8", newline="") as fh:
        fh.write(nfc(buf.getvalue()))

    # forest plots keep clear of towns, project areas, roads and sites
    excl = [ll2m(g) for _, g, _ in areas] + [g.buffer(60) for g in roads_m.values()]
    excl += [Point(pt_m(float(r["kinh_do"]), float(r["vi_do"]))).buffer(400) for r in sites]
    excl += [Point(pt_m(*DCENTRE[c])).buffer(5000 if c == "672" else 2500) for c in CODES]
    excl_m = unary_union([g.buffer(150) for g in excl])
    plots = build_plots(dist_m, prov_m, excl_m)
    write_gpkg(plots, os.path.join(GEODATA, "forest-plots.gpkg"))

    write_manifest(os.path.join(GEODATA, "manifest.yaml"))
    with open(os.path.join(GEODATA, "README.md"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(nfc(README))

    ok = verify_and_summarise()
    with open(os.path.join(TOOLS, "summary.txt"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(LOG) + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
