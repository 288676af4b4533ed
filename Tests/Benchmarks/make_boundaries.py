#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""
make_boundaries.py OUTDIR — boundaries with real-world vertex density, for benchmarking.

    python3 Tests/Benchmarks/make_boundaries.py bench-data

Writes, in WGS 84 (as public boundary files are):
    districts-detailed.geojson  GeoData's 12 schematic districts, every border replaced by a
                                fractal line through the same end points (~25 m between vertices:
                                ~4,000–6,000 vertices per district), same codes and fields
                                (ma_huyen, ten_huyen, loai, ma_tinh)
    communes-detailed.geojson   124 communes: a Voronoi partition of the province (seeded,
                                weighted like districts) clipped to its outline, every border
                                fractal (~10 m between vertices: ~2,000–8,000 per commune,
                                ~500,000 in all); fields ma_xa (5-digit code), ten_xa, loai

Shared borders stay shared: each border segment is densified once (its fractal is keyed by its
end points) and reused, reversed, by the unit on the other side, so neighbours meet exactly with
no gap or overlap. Fractals are midpoint displacement (roughness 0.6, amplitude 6 % of the
segment, tapering to 0 at its ends), generated in EPSG:5899 metres; every unit is checked valid
(shapely), and a segment whose fractal would make a unit invalid is drawn at half amplitude.
Deterministic. Benchmark tooling only (numpy, shapely 2, pyproj): never a runtime dependency.
"""
import json
import math
import os
import sys

import numpy as np
import shapely
from pyproj import Transformer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TO_M = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True)
TO_LL = Transformer.from_crs("EPSG:5899", "EPSG:4326", always_xy=True)


def fractal(a, b, spacing, amplitude, seed):
    """Points from a to b (both included), ~spacing apart, displaced perpendicular to ab."""
    a = np.asarray(a, float); b = np.asarray(b, float)
    length = float(np.hypot(*(b - a)))
    n = max(1, int(math.ceil(length / spacing)))
    if n == 1 or amplitude == 0:
        t = np.linspace(0, 1, n + 1)
        return a + np.outer(t, b - a)
    levels = max(1, int(math.ceil(math.log2(n))))
    m = 2 ** levels
    rng = np.random.default_rng(seed)
    h = np.zeros(m + 1)
    step, amp = m, amplitude * length
    while step > 1:
        half = step // 2
        mids = np.arange(half, m, step)
        h[mids] = (h[mids - half] + h[mids + half]) / 2 + rng.uniform(-amp, amp, len(mids))
        step, amp = half, amp * 0.5 ** 0.6
    t = np.linspace(0, 1, m + 1)
    ts = np.linspace(0, 1, n + 1)
    hs = np.interp(ts, t, h) * np.sin(np.pi * ts) ** 0.25   # taper to the end points
    d = (b - a) / length
    normal = np.array([-d[1], d[0]])
    return a + np.outer(ts, b - a) + np.outer(hs, normal)


class Densifier:
    """Densifies rings segment by segment; a segment shared by two rings is densified once."""

    def __init__(self, spacing, amplitude):
        self.spacing, self.amplitude, self.cache, self.calm = spacing, amplitude, {}, set()

    @staticmethod
    def key(a, b):
        ka, kb = (round(a[0], 3), round(a[1], 3)), (round(b[0], 3), round(b[1], 3))
        return (ka, kb, False) if ka <= kb else (kb, ka, True)

    def segment(self, a, b):
        k0, k1, flipped = self.key(a, b)
        k = (k0, k1)
        if k not in self.cache:
            amp = self.amplitude * (0.5 if k in self.calm else 1)
            seed = abs(hash((k0, k1))) % (2 ** 32)
            self.cache[k] = fractal(k0, k1, self.spacing, amp, seed)
        pts = self.cache[k]
        return pts[::-1] if flipped else pts

    def ring(self, coords):
        out = []
        for a, b in zip(coords[:-1], coords[1:]):
            if a == b:
                continue
            pts = self.segment(a, b)
            out.extend(map(tuple, pts[:-1]))
        out.append(out[0])
        return out

    def polygon(self, poly):
        ext = self.ring(list(poly.exterior.coords))
        holes = [self.ring(list(r.coords)) for r in poly.interiors]
        return shapely.Polygon(ext, holes)

    def segments_of(self, poly):
        rings = [poly.exterior] + list(poly.interiors)
        return [self.key(a, b)[:2] for r in rings for a, b in zip(list(r.coords)[:-1], list(r.coords)[1:]) if a != b]


def densify_all(polys, spacing, amplitude):
    """Densified polygons, all valid, borders shared."""
    d = Densifier(spacing, amplitude)
    for attempt in range(6):
        out = [d.polygon(p) for p in polys]
        bad = [i for i, g in enumerate(out) if not g.is_valid]
        if not bad:
            return out
        for i in bad:
            for k in d.segments_of(polys[i]):
                d.calm.add(k)
                d.cache.pop(k, None)
        if attempt == 4:
            d.amplitude = 0
            d.cache.clear()
    raise SystemExit(f"make_boundaries: {len(bad)} unit(s) still invalid")


def to_ll(poly):
    def ring(r):
        x, y = TO_LL.transform(*np.asarray(r.coords).T)
        return list(zip(np.round(x, 8), np.round(y, 8)))
    return shapely.Polygon(ring(poly.exterior), [ring(r) for r in poly.interiors])


def write(path, features):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)


def feature(props, poly):
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(poly)}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    src = json.load(open(os.path.join(REPO, "GeoData", "localities.geojson"), encoding="utf-8"))
    polys, props = [], []
    for f in src["features"]:
        g = shapely.geometry.shape(f["geometry"])
        g = shapely.transform(g, lambda c: np.column_stack(TO_M.transform(c[:, 0], c[:, 1])))
        polys.append(g)
        props.append(f["properties"])
    # 1. districts: the schematic borders, fractal (~25 m between vertices).
    dense = densify_all(polys, 25.0, 0.06)
    write(os.path.join(out, "districts-detailed.geojson"), [feature(p, to_ll(g)) for p, g in zip(props, dense)])
    counts = [len(g.exterior.coords) + sum(len(r.coords) for r in g.interiors) for g in dense]
    print(f"districts-detailed.geojson: {len(dense)} districts, {sum(counts):,} vertices ({min(counts):,}–{max(counts):,})")
    # 2. communes: Voronoi cells of 124 seeded points in the province, clipped to its outline.
    province = shapely.union_all(polys).buffer(0)
    rng = np.random.default_rng(124)
    minx, miny, maxx, maxy = province.bounds
    seeds = []
    while len(seeds) < 124:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if province.contains(shapely.Point(x, y)) and all(math.hypot(x - a, y - b) > 5_000 for a, b in seeds):
            seeds.append((x, y))
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=province.envelope.buffer(10_000))
    communes = []
    for cell in cells.geoms:
        piece = cell.intersection(province)
        parts = [piece] if piece.geom_type == "Polygon" else [p for p in piece.geoms if p.geom_type == "Polygon"]
        communes.append(max(parts, key=lambda p: p.area))
    # Snap shared vertices so that neighbours' segments key alike.
    communes = [shapely.set_precision(c, 0.001) for c in communes]
    dense = densify_all(communes, 10.0, 0.06)
    feats = []
    for i, g in enumerate(dense):
        code = f"{24800 + i * 3:05d}"
        kind = "Phường" if i % 6 == 0 else "Xã"
        feats.append(feature({"ma_xa": code, "ten_xa": f"{kind} Số {i + 1}", "loai": kind}, to_ll(g)))
    write(os.path.join(out, "communes-detailed.geojson"), feats)
    counts = [len(g.exterior.coords) + sum(len(r.coords) for r in g.interiors) for g in dense]
    print(f"communes-detailed.geojson: {len(dense)} communes, {sum(counts):,} vertices ({min(counts):,}–{max(counts):,}, median {int(np.median(counts)):,})")


if __name__ == "__main__":
    main()
