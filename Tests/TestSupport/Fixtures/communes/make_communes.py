#!/usr/bin/env python3
"""A test set of ~124 communes over GeoData's province, with detailed, realistic shapes.

A Voronoi partition of the province (seeds denser in three towns, so wards are small and rural
communes large), every shared edge roughened by midpoint displacement (the same on both sides,
so neighbours still meet exactly), clipped to the province's own border. Vietnamese-like names,
some long. Deterministic (seeded). Writes communes-124.geojson beside this script.

    python3 make_communes.py        # needs shapely >= 2 and numpy
"""
import json, math, os, random
import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, LineString, mapping, shape
from shapely.ops import polygonize, unary_union

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
rng = random.Random(124)

with open(os.path.join(ROOT, "GeoData/localities.geojson")) as f:
    districts = [shape(ft["geometry"]) for ft in json.load(f)["features"]]
province = shapely.make_valid(unary_union(districts)).buffer(0)

# Seeds: 86 spread over the province, 40 packed into three towns (Đà Lạt, Bảo Lộc, Đức Trọng).
minx, miny, maxx, maxy = province.bounds
seeds = []
while len(seeds) < 86:
    p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
    if province.contains(p) and all(p.distance(q) > 0.05 for q in seeds):
        seeds.append(p)
for (cx, cy, n, r) in [(108.44, 11.94, 16, 0.05), (107.80, 11.55, 14, 0.045), (108.37, 11.74, 10, 0.04)]:
    k = 0
    while k < n:
        p = Point(cx + rng.gauss(0, r), cy + rng.gauss(0, r))
        if province.contains(p) and all(p.distance(q) > 0.012 for q in seeds):
            seeds.append(p); k += 1

cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=province.envelope.buffer(0.2))
edges = unary_union([c.exterior for c in cells.geoms])   # noded linework, each shared edge once

def roughen(a, b, depth=5, amp=0.16):
    """Midpoint displacement from a to b, the same whichever way the edge is walked."""
    key = tuple(sorted([(round(a[0], 9), round(a[1], 9)), (round(b[0], 9), round(b[1], 9))]))
    r = random.Random(hash(key) & 0xffffffff)
    pts = [key[0], key[1]]
    for level in range(depth):
        out = [pts[0]]
        for p, q in zip(pts, pts[1:]):
            dx, dy = q[0] - p[0], q[1] - p[1]
            L = math.hypot(dx, dy)
            off = r.uniform(-1, 1) * amp * L * (0.62 ** level) * 1.6
            m = ((p[0] + q[0]) / 2 - dy / L * off, (p[1] + q[1]) / 2 + dx / L * off) if L > 0 else p
            out += [m, q]
        pts = out
    return pts if key[0] == (round(a[0], 9), round(a[1], 9)) else pts[::-1]

lines = []
for seg in getattr(edges, "geoms", [edges]):
    c = list(seg.coords)
    for a, b in zip(c, c[1:]):
        lines.append(LineString(roughen(a, b)))
faces = [f for f in polygonize(unary_union(lines))]
# Each face goes to the seed inside it (else the nearest): one unit per seed, whatever the
# province's border cut off.
parts = {}
for f in faces:
    g = shapely.make_valid(f).intersection(province)
    if g.is_empty or g.area < 1e-7:
        continue
    if g.geom_type == "GeometryCollection":
        g = unary_union([x for x in g.geoms if x.geom_type in ("Polygon", "MultiPolygon")])
    inside = [i for i, s in enumerate(seeds) if g.contains(s)]
    owner = inside[0] if inside else min(range(len(seeds)), key=lambda i: g.distance(seeds[i]))
    parts.setdefault(owner, []).append(g)
units = [shapely.make_valid(unary_union(v)) for v in parts.values()]
units.sort(key=lambda g: (-round(g.centroid.y, 3), g.centroid.x))

syll = ["Lâm", "Hà", "Đạ", "Tẻh", "Liêng", "Srônh", "Đinh", "Văn", "Phú", "Sơn", "Tân", "Hội", "Lộc", "Bảo", "Thuận", "Gia",
        "Hiệp", "Ninh", "Lạc", "Xuân", "Trường", "Mỹ", "Đức", "Quảng", "Hòa", "Bắc", "Nam", "Đông", "Tây", "Phước", "Thanh",
        "Kroong", "K'Long", "Rô Men", "Đưng K'Nớ", "Ka Đô", "Pró", "Nhim", "Mê Linh", "Đambri", "Lý", "Hưng", "Yên", "Phát"]
features, used = [], set()
for i, g in enumerate(units):
    small = g.area < 0.004
    kind = "Phường" if small and rng.random() < 0.7 else ("Thị trấn" if rng.random() < 0.08 else "Xã")
    while True:
        n = " ".join(rng.sample(syll, 3 if rng.random() < 0.25 else 2))
        if n not in used:
            used.add(n); break
    coords = shapely.set_precision(g, 1e-5)
    features.append({"type": "Feature", "properties": {"ma_xa": str(24000 + i * 3), "ten_xa": n, "loai": kind, "ma_tinh": "68"},
                     "geometry": mapping(coords)})
with open(os.path.join(HERE, "communes-124.geojson"), "w") as f:
    json.dump({"type": "FeatureCollection", "name": "communes", "features": features}, f, ensure_ascii=False, separators=(",", ":"))
print(len(features), "units;", sum(len(shapely.get_coordinates(shape(ft["geometry"]))) for ft in features), "vertices")
