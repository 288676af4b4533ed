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

Nothing here is official: district outlines are a weighted-Voronoi partition of a hand-drawn
province outline, fitted to the published district areas; plots, roads, areas and sites are
invented but placed plausibly.
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
# 1. Localities: weighted (power) Voronoi partition of the outline, area-balanced, then every
#    shared edge densified and perturbed once (both neighbours reuse the same vertices).
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
def main():
    say("geomonitor GeoData sample — summary (tools/make_sample.py, seed %d)" % SEED)
    say("")
    say("[1] localities")
    loc = build_localities()
    feats = []
    for c in CODES:
        props = {"ma_huyen": c, "ten_huyen": DNAME[c], "loai": DTYPE[c], "ma_tinh": "68",
                 "ten_khong_dau": DASCII[c]}
        feats.append((props, loc[c]))
    write_geojson(os.path.join(GEODATA, "localities.geojson"), "localities", feats, 7)


if __name__ == "__main__":
    main()
