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

# Hand-drawn province outline (lon, lat), clockwise from the west; rescaled to the summed
# district areas, then every edge is densified and perturbed.  Roughly the real shape:
# a band from Cát Tiên (SW, ~107.25 E) to Lạc Dương (NE, ~108.75 E), 11.2–12.35 N.
OUTLINE = [
    (107.24, 11.60), (107.26, 11.70), (107.34, 11.77), (107.44, 11.75), (107.55, 11.80),
    (107.62, 11.88), (107.72, 11.90), (107.84, 11.90), (107.92, 11.95), (107.97, 12.04),
    (108.02, 12.14), (108.12, 12.20), (108.24, 12.18), (108.32, 12.27), (108.44, 12.33),
    (108.56, 12.32), (108.66, 12.24), (108.72, 12.12), (108.70, 12.00), (108.76, 11.90),
    (108.74, 11.76), (108.66, 11.66), (108.54, 11.64), (108.44, 11.57), (108.30, 11.50),
    (108.20, 11.42), (108.06, 11.35), (107.94, 11.34), (107.86, 11.42), (107.76, 11.33),
    (107.64, 11.23), (107.52, 11.22), (107.43, 11.27), (107.36, 11.31), (107.31, 11.42),
    (107.27, 11.50),
]

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
def power_cells(S, w, outline):
    n = len(S)
    ctr = np.array(outline.centroid.coords[0])
    minx, miny, maxx, maxy = outline.bounds
    R = 4 * max(maxx - minx, maxy - miny)
    cells = []
    for i in range(n):
        cell = outline
        for j in range(n):
            if i == j:
                continue
            a = 2 * (S[j] - S[i])
            c = S[j] @ S[j] - S[i] @ S[i] - w[j] + w[i]
            na = np.linalg.norm(a)
            nv = a / na
            x0 = ctr - nv * (ctr @ nv - c / na)          # foot of ctr on the line a·x = c
            d = np.array([-nv[1], nv[0]])
            hp = Polygon([x0 + d * R, x0 - d * R, x0 - d * R - nv * R, x0 + d * R - nv * R])
            cell = cell.intersection(hp)
            if cell.is_empty:
                break
        cells.append(cell)
    return cells


def build_localities():
    # outline in metres, scaled (about its centroid) to the sum of the true areas
    outline = ll2m(Polygon(OUTLINE))
    total = sum(DAREA.values()) * 1e6
    f = math.sqrt(total / outline.area)
    outline = shapely.affinity.scale(outline, f, f, origin="centroid")
    # pre-perturb the outline itself (coarse wiggles, scale ~ a few km)
    rng = rng_for("outline")
    ring = np.array(outline.exterior.coords)
    wig = densify_perturb(ring, 1500.0, 2200.0, rng, kmax=24, beta=1.3)
    outline = Polygon(wig).buffer(0)
    outline = shapely.affinity.scale(outline, math.sqrt(total / outline.area),
                                     math.sqrt(total / outline.area), origin="centroid")
    assert outline.is_valid and outline.geom_type == "Polygon"

    # Sites start at the true centres; weights balance the areas while the sites drift so
    # that every cell's centroid lands on its true centre (inverse Lloyd iteration).
    P = np.array([pt_m(*DCENTRE[c]) for c in CODES])
    S = P.copy()
    T = np.array([DAREA[c] * 1e6 for c in CODES])
    T *= outline.area / T.sum()
    w = np.zeros(len(S))
    for it in range(4000):
        cells = power_cells(S, w, outline)
        A = np.array([c.area for c in cells])
        C = np.array([c.centroid.coords[0] if not c.is_empty else S[k] for k, c in enumerate(cells)])
        err = (T - A) / T
        off = np.hypot(*(P - C).T)
        if np.max(np.abs(err)) < 5e-4 and np.max(off) < 300:
            break
        w += 0.35 * (T - A)
        S += 0.25 * (P - C)
    say(f"  power diagram: {it} iterations, max area error {np.max(np.abs(err)) * 100:.3f} %, "
        f"max centroid offset {np.max(off) / 1000:.2f} km")
    for k, (c, cell) in enumerate(zip(CODES, cells)):
        if cell.geom_type != "Polygon":
            raise SystemExit(f"cell {c} is {cell.geom_type}")
        if not cell.contains(Point(P[k])):
            say(f"  WARNING: true centre of {c} outside its cell")

    # exact shared topology: snap each cell to a 1 cm grid, node all boundaries together
    cells = [shapely.set_precision(c, 0.01) for c in cells]
    pieces = list(shapely.get_parts(unary_union([c.boundary for c in cells])))

    def owner(x, y):
        for k, c in enumerate(cells):
            if shapely.contains_xy(c, x, y):
                return k
        return -1
    arcs = []
    for ln in shapely.get_parts(linemerge(pieces)):
        cc = np.array(ln.coords)
        a, b = cc[0], cc[1]
        m = (a + b) / 2
        t = (b - a) / np.hypot(*(b - a))
        nrm = np.array([-t[1], t[0]])
        o1, o2 = owner(*(m + nrm * 0.5)), owner(*(m - nrm * 0.5))
        assert o1 != o2, "arc with the same owner on both sides"
        arcs.append((min(o1, o2), max(o1, o2), cc))
    arcs.sort(key=lambda a: (a[0], a[1], round(a[2][0][0], 1), round(a[2][0][1], 1)))

    # densify + perturb every arc once; arcs that self-intersect or cross another arc are
    # redrawn with a smaller amplitude until the linework is clean
    perim = [c.length for c in cells]
    specs = []
    for o1, o2, cc in arcs:
        L = LineString(cc).length
        owners = [o for o in (o1, o2) if o >= 0]
        spacing = float(np.clip(min(perim[o] for o in owners) / 240.0, 250.0, 900.0))
        amp = min(0.045 * L, 2200.0) * (0.6 if o1 < 0 else 1.0)
        kmax = int(np.clip(L / (3 * spacing), 2, 40))
        specs.append([spacing, amp, kmax])
    ends = shapely.MultiPoint([p for _, _, cc in arcs for p in (cc[0], cc[-1])])
    attempt = [0] * len(arcs)
    pert = [None] * len(arcs)
    todo = list(range(len(arcs)))
    for rnd in range(12):
        for i in todo:
            spacing, amp, kmax = specs[i]
            r = rng_for(f"arc-{i}-{attempt[i]}")
            pert[i] = LineString(densify_perturb(arcs[i][2], spacing, amp * 0.6 ** attempt[i], r, kmax=kmax))
        bad = set()
        tree = shapely.STRtree(pert)
        for i, li in enumerate(pert):
            if not li.is_simple:
                bad.add(i)
            for j in tree.query(li):
                if j <= i:
                    continue
                x = li.intersection(pert[j])
                if not x.is_empty and not x.difference(ends).is_empty:
                    bad.update((i, int(j)))
        if not bad:
            break
        todo = sorted(bad)
        for i in todo:
            attempt[i] += 1
    else:
        raise SystemExit("could not perturb arcs cleanly")
    if any(attempt):
        say(f"  {sum(1 for a in attempt if a)} of {len(arcs)} arcs redrawn with a smaller amplitude")
    faces = list(polygonize(pert))
    assert len(faces) == len(cells), (len(faces), len(cells))
    out = {}
    for fpoly in faces:
        k = int(np.argmax([fpoly.intersection(c).area for c in cells]))
        assert CODES[k] not in out
        out[CODES[k]] = fpoly
    # to lon/lat, RFC 7946 orientation, 7 decimals
    res = {}
    for c in CODES:
        g = rounded(rfc7946(m2ll(out[c])), 7)
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
