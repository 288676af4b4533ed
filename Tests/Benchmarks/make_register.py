#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""
make_register.py N OUTDIR — a synthetic forest register of N plots for benchmarking geomonitor.

    python3 Tests/Benchmarks/make_register.py 200000 bench-data

Writes (OUTDIR is created):
    plots-N.geojson          FeatureCollection in EPSG:5899 (VN-2000 / TM-3 107-45) with a "crs" member
    plots-N.gpkg             the same features, layer `lo_rung`, spatial index (written with pyogrio)
    manifest-N-gpkg.yaml     geomonitor manifests pointing at the plots, GeoData/localities.geojson
    manifest-N-geojson.yaml  and GeoData/targets-2024.yaml by paths relative to OUTDIR

Plots are star-convex polygons of 6–12 vertices and 0.3–5 ha (planar, EPSG:5899), spread over
the 12 districts of GeoData/localities.geojson (weighted to forest districts). About 4 % are
placed on a shared district border (and cross it); the rest lie wholly inside one district,
and no plot reaches outside the province. At large N plots overlap each other (1M plots cover
more than the province): irrelevant for summing, which is what is measured.

Attributes: ma_lo ("LR-0000001"), trang_thai ("hoàn thành" | "đang trồng" | "kế hoạch"),
ngay (ISO date in 2023 or 2024), so_cay (int, 1,600–2,500 trees/ha).

Deterministic for a given N. Streams in chunks of 100,000 plots (memory stays well under 1 GB
for N = 1,000,000). Benchmark tooling only: python3 + numpy + shapely 2 + pyproj + pyogrio
(pip install shapely pyproj pyogrio) — never a runtime dependency of geomonitor.

Waits for GeoData/localities.geojson to hold 12 districts with ma_huyen/ten_huyen (polls every
30 s, up to 15 min) since that file may be being regenerated; GEOMONITOR_LOCALITIES overrides
its path.
"""
import json
import multiprocessing as mp
import queue as mp_queue
import math
import os
import sys
import time

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyproj import Transformer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GEODATA = os.path.join(REPO, "GeoData")
LOCALITIES = os.environ.get("GEOMONITOR_LOCALITIES", os.path.join(GEODATA, "localities.geojson"))
TARGETS = os.path.join(GEODATA, "targets-2024.yaml")

CHUNK = 100_000
CROSS_FRACTION = 0.04
AREA_HA = (0.301, 4.99)
RHO = (0.75, 1.25)            # radius spread of a star polygon (max extent = 1.25 R)
STATUSES = ["hoàn thành", "đang trồng", "kế hoạch"]
STATUS_P = [0.60, 0.25, 0.15]
STATUS_MAP = {"hoàn thành": "completed", "đang trồng": "under_construction", "kế hoạch": "planned"}
# weight of a district per km²: forest districts get more plots
FOREST_WEIGHT = {"674": 3.0, "675": 2.5, "676": 3.0, "679": 3.0, "680": 3.0, "681": 2.5,
                 "682": 2.0, "683": 2.0, "677": 1.0, "678": 1.0, "672": 0.4, "673": 0.4}
DAY0 = np.datetime64("2023-01-01")
NDAYS = 731  # 2023-01-01 .. 2024-12-31


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Districts
# ------------------------------------------------------------------------------------------
def localities_ready(path):
    try:
        with open(path, encoding="utf-8") as fh:
            fc = json.load(fh)
        feats = fc.get("features", [])
        return len(feats) == 12 and all(
            f.get("properties", {}).get("ma_huyen") and f.get("properties", {}).get("ten_huyen")
            for f in feats), fc
    except (OSError, ValueError):
        return False, None


def wait_for_localities(path, every=30, limit=15 * 60):
    t0 = time.time()
    while True:
        ok, fc = localities_ready(path)
        if ok:
            return fc
        if time.time() - t0 >= limit:
            sys.exit(f"make_register: {path} still lacks 12 features with ma_huyen/ten_huyen after "
                     f"{limit // 60} min; giving up")
        log(f"make_register: {path} not ready (need 12 features with ma_huyen/ten_huyen); "
            f"retrying in {every} s")
        time.sleep(every)


def load_districts(fc):
    """District polygons projected to EPSG:5899 with pyproj, keyed by code."""
    tf = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True)
    codes, geoms = [], []
    for f in fc["features"]:
        g = shapely.from_geojson(json.dumps(f["geometry"]))
        g = shapely.transform(g, lambda xy: np.column_stack(tf.transform(xy[:, 0], xy[:, 1])))
        if not g.is_valid:
            g = shapely.make_valid(g)
        codes.append(str(f["properties"]["ma_huyen"]))
        geoms.append(g)
    return codes, np.array(geoms, dtype=object), sorted(fc["features"][0]["properties"].keys())


def shared_borders(geoms):
    """Lines shared by two districts (internal borders only, never the province outline)."""
    lines = []
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            if not shapely.intersects(geoms[i], geoms[j]):
                continue
            x = shapely.intersection(shapely.boundary(geoms[i]), shapely.boundary(geoms[j]))
            x = shapely.line_merge(x) if x.geom_type in ("MultiLineString", "GeometryCollection") else x
            for part in shapely.get_parts(x):
                if part.geom_type in ("LineString", "LinearRing") and part.length > 0:
                    lines.append(part)
    return np.array(lines, dtype=object)


# ------------------------------------------------------------------------------------------
# Plots
# ------------------------------------------------------------------------------------------
def star_shapes(rng, area_m2):
    """Star-convex shapes (6–12 vertices, counter-clockwise) of the given planar areas, as
    vertex offsets from their centre: [(indices, offsets (m, k, 2))], and each one's reach."""
    n = len(area_m2)
    k_all = rng.integers(6, 13, n)
    groups, reach = [], np.empty(n)
    for k in range(6, 13):
        idx = np.nonzero(k_all == k)[0]
        if len(idx) == 0:
            continue
        m = len(idx)
        step = 2 * math.pi / k
        theta = (rng.uniform(0, 2 * math.pi, (m, 1)) + step * np.arange(k)[None, :]
                 + rng.uniform(-0.35, 0.35, (m, k)) * step)
        rho = rng.uniform(*RHO, (m, k))
        dth = np.diff(np.concatenate([theta, theta[:, :1] + 2 * math.pi], axis=1), axis=1)
        unit = 0.5 * np.sum(rho * np.roll(rho, -1, axis=1) * np.sin(dth), axis=1)
        r = np.sqrt(area_m2[idx] / unit)[:, None] * rho
        groups.append((idx, np.stack([r * np.cos(theta), r * np.sin(theta)], axis=2)))
        reach[idx] = r.max(axis=1)
    return groups, reach


def place(groups, cx, cy):
    """Polygons from star shapes and centres (coordinates rounded to the centimetre)."""
    out = np.empty(len(cx), dtype=object)
    for idx, off in groups:
        ring = np.round(off + np.stack([cx[idx], cy[idx]], axis=1)[:, None, :], 2)
        ring = np.concatenate([ring, ring[:, :1, :]], axis=1)
        out[idx] = shapely.polygons(ring)
    return out


TIERS = np.array([40.0, 60.0, 80.0, 100.0, 125.0, 150.0, 175.0, 200.0, 250.0, 300.0, 400.0])


def sample_inside(rng, inner, bounds, reach):
    """Points whose disc of radius `reach` lies inside the district: each point is drawn in
    the district shrunk by the smallest tier >= reach (inner[t], prepared)."""
    n = len(reach)
    xs, ys = np.empty(n), np.empty(n)
    tier = np.searchsorted(TIERS, reach)
    if (tier >= len(TIERS)).any():
        raise ValueError("plot larger than the largest tier")
    minx, miny, maxx, maxy = bounds
    for t in np.unique(tier):
        todo = np.nonzero(tier == t)[0]
        geom = inner[t]
        while len(todo):
            k = max(2 * len(todo), 64)
            px = rng.uniform(minx, maxx, k)
            py = rng.uniform(miny, maxy, k)
            ok = shapely.contains_xy(geom, px, py)
            px, py = px[ok][:len(todo)], py[ok][:len(todo)]
            got, todo = todo[:len(px)], todo[len(px):]
            xs[got], ys[got] = px, py
    return xs, ys


class Generator:
    def __init__(self, n, codes, geoms):
        self.rng = np.random.default_rng(20240101 + n)
        self.codes, self.geoms = codes, geoms
        self.bounds = [g.bounds for g in geoms]
        self.inner_geoms = []   # per district, shrunk by each tier (prepared)
        for g in geoms:
            shrunk = shapely.buffer(g, -TIERS, quad_segs=4)
            shapely.prepare(shrunk)
            self.inner_geoms.append(shrunk)
        areas = shapely.area(geoms)
        w = np.array([FOREST_WEIGHT.get(c, 1.0) for c in codes]) * areas
        self.p = w / w.sum()
        self.borders = shared_borders(geoms)
        self.border_len = shapely.length(self.borders)
        self.province = shapely.union_all(geoms)
        shapely.prepare(self.province)
        self.tree = shapely.STRtree(geoms)

    def areas(self, m):
        # log-uniform 0.3–5 ha: many small plots, some large (mean ≈ 1.7 ha)
        lo, hi = np.log(AREA_HA[0] * 1e4), np.log(AREA_HA[1] * 1e4)
        return np.exp(self.rng.uniform(lo, hi, m))

    def inner(self, m):
        """m plots wholly inside one district."""
        rng = self.rng
        area = self.areas(m)
        district = rng.choice(len(self.codes), m, p=self.p)
        groups, reach = star_shapes(rng, area)
        cx, cy = np.empty(m), np.empty(m)
        for d in range(len(self.codes)):
            idx = np.nonzero(district == d)[0]
            if len(idx):
                cx[idx], cy[idx] = sample_inside(rng, self.inner_geoms[d], self.bounds[d], reach[idx] + 1.0)
        return place(groups, cx, cy)

    def crossers(self, m):
        """m plots centred near a shared border: each crosses it and stays in the province."""
        rng = self.rng
        out = []
        need = m
        while need > 0:
            k = int(need * 1.3) + 8
            area = self.areas(k)
            line = rng.choice(len(self.borders), k, p=self.border_len / self.border_len.sum())
            t = rng.uniform(0, 1, k)
            pts = shapely.line_interpolate_point(self.borders[line], t, normalized=True)
            r = np.sqrt(area / math.pi)
            off = rng.uniform(0, 0.3, k) * r
            ang = rng.uniform(0, 2 * math.pi, k)
            cx = shapely.get_x(pts) + off * np.cos(ang)
            cy = shapely.get_y(pts) + off * np.sin(ang)
            polys = place(star_shapes(rng, area)[0], cx, cy)
            inside = shapely.covered_by(polys, self.province)
            pi, _ = self.tree.query(polys, predicate="intersects")
            cnt = np.bincount(pi, minlength=k)
            ok = inside & (cnt >= 2)
            good = polys[ok][:need]
            out.append(good)
            need -= len(good)
        return np.concatenate(out)

    def chunk(self, m):
        rng = self.rng
        nc = int(rng.binomial(m, CROSS_FRACTION))
        polys = np.concatenate([self.inner(m - nc), self.crossers(nc)])
        cross = np.zeros(m, bool)
        cross[m - nc:] = True
        order = rng.permutation(m)
        polys, cross = polys[order], cross[order]
        bad = ~shapely.is_valid(polys)
        if bad.any():  # not expected (star-convex, cm rounding); repair to be safe
            polys[bad] = shapely.make_valid(polys[bad])
        status = rng.choice(3, m, p=STATUS_P)
        day = DAY0 + rng.integers(0, NDAYS, m).astype("timedelta64[D]")
        ha = shapely.area(polys) / 1e4
        trees = np.round(ha * rng.uniform(1600, 2500, m)).astype(np.int64)
        return polys, cross, status, day, trees, ha


# ------------------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------------------
def manifest(outdir, n, fmt, loc_props):
    def rel(p):
        return os.path.relpath(p, os.path.abspath(outdir))
    fields = {"code": "ma_huyen", "name": "ten_huyen"}
    if "loai" in loc_props:
        fields["type"] = "loai"
    if "ma_tinh" in loc_props:
        fields["parent"] = "ma_tinh"
    lines = [
        f'name: "Synthetic forest register, {n:,} plots ({fmt}) — benchmark data, not real"',
        "working_crs: EPSG:5899",
        "localities:",
        f'  source: "{rel(LOCALITIES)}"',
        "  fields: {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}",
        "projects:",
        f'  - source: "plots-{n}.{fmt}"',
    ]
    if fmt == "gpkg":
        lines.append("    layer: lo_rung")
    lines += [
        "    kind: forest_planting",
        "    fields: {id: ma_lo, status: trang_thai, date: ngay, trees: so_cay}",
        "    values:",
        "      status: {" + ", ".join(f'"{k}": {v}' for k, v in STATUS_MAP.items()) + "}",
        f'targets: "{rel(TARGETS)}"',
    ]
    path = os.path.join(outdir, f"manifest-{n}-{fmt}.yaml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def gpkg_writer(path, queue):
    """Appends chunks to the GeoPackage with pyogrio (WKB, no pandas round trip)."""
    first = True
    while (item := queue.get()) is not None:
        wkb, ids, st, day, trees = item
        pyogrio.raw.write(
            path, wkb, [ids, st, day, trees], ["ma_lo", "trang_thai", "ngay", "so_cay"],
            layer="lo_rung", driver="GPKG", geometry_type="Polygon", crs="EPSG:5899",
            encoding="UTF-8", append=not first,
            dataset_options={"VERSION": "1.3"} if first else None,  # no 1.4 warning from GDAL < 3.7
            layer_options={"SPATIAL_INDEX": "YES", "FID": "fid"} if first else None)
        first = False


def hand_over(queue, writer, item):
    while True:
        try:
            return queue.put(item, timeout=1.0)
        except mp_queue.Full:
            if not writer.is_alive():
                sys.exit("make_register: the GeoPackage writer died")


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) <= 0:
        sys.exit(__doc__.strip().splitlines()[0] + "\nusage: make_register.py N OUTDIR")
    n, outdir = int(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    t0 = time.time()
    fc = wait_for_localities(LOCALITIES)
    codes, geoms, loc_props = load_districts(fc)
    gen = Generator(n, codes, geoms)
    log(f"make_register: {len(codes)} districts, {len(gen.borders)} shared border lines")

    gj = os.path.join(outdir, f"plots-{n}.geojson")
    gpkg = os.path.join(outdir, f"plots-{n}.gpkg")
    gj_tmp, gpkg_tmp = gj + ".part", gpkg[:-5] + ".part.gpkg"
    for p in (gj_tmp, gpkg_tmp):
        if os.path.exists(p):
            os.remove(p)
    n_cross, tot_ha, t_gen, t_gj, t_gpkg = 0, 0.0, 0.0, 0.0, 0.0
    queue = mp.get_context("fork").Queue(maxsize=2)
    writer = mp.get_context("fork").Process(target=gpkg_writer, args=(gpkg_tmp, queue))
    writer.start()
    with open(gj_tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"type":"FeatureCollection","name":"lo_rung",'
                 '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5899"}},'
                 '"features":[\n')
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            ta = time.time()
            polys, cross, status, day, trees, ha = gen.chunk(m)
            n_cross += int(cross.sum())
            tot_ha += float(ha.sum())
            ids = np.array([f"LR-{i:07d}" for i in range(start + 1, start + m + 1)], dtype=object)
            st = np.array(STATUSES, dtype=object)[status]
            tb = time.time()
            # GeoJSON: one feature per line, streamed
            geo = shapely.to_geojson(polys)
            days = day.astype(str)
            parts = [f'{{"type":"Feature","properties":{{"ma_lo":"{ids[i]}","trang_thai":"{st[i]}",'
                     f'"ngay":"{days[i]}","so_cay":{trees[i]}}},"geometry":{geo[i]}}}'
                     for i in range(m)]
            if start:
                fh.write(",\n")
            fh.write(",\n".join(parts))
            del parts, geo
            tc = time.time()
            # GeoPackage: the same chunk, appended by a writer process (overlaps the work here)
            hand_over(queue, writer, (shapely.to_wkb(polys), ids, st, day, trees.astype(np.int32)))
            td = time.time()
            t_gen, t_gj, t_gpkg = t_gen + tb - ta, t_gj + tc - tb, t_gpkg + td - tc
            log(f"make_register: {start + m:,}/{n:,} plots ({time.time() - t0:.1f} s)")
        fh.write("\n]}\n")
    tw = time.time()
    hand_over(queue, writer, None)
    writer.join()
    if writer.exitcode != 0:
        sys.exit(f"make_register: writing {gpkg} failed")
    t_gpkg += time.time() - tw
    os.replace(gj_tmp, gj)
    os.replace(gpkg_tmp, gpkg)

    m1 = manifest(outdir, n, "gpkg", loc_props)
    m2 = manifest(outdir, n, "geojson", loc_props)
    log(f"make_register: {n:,} plots, {n_cross:,} crossing a district border "
        f"({100 * n_cross / n:.1f} %), {tot_ha:,.0f} ha in total; "
        f"generate {t_gen:.1f} s, GeoJSON {t_gj:.1f} s, GPKG wait {t_gpkg:.1f} s, total {time.time() - t0:.1f} s")
    print(gj)
    print(gpkg)
    print(m1)
    print(m2)


if __name__ == "__main__":
    main()
