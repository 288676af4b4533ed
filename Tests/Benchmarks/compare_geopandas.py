#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""
compare_geopandas.py MANIFEST_OR_GPKG [--check geomonitor.json] [--geomonitor-seconds S]

The "expert GeoPandas" way to compute afforestation-2024 by district, timed phase by phase:
  1. read the plots with pyogrio, the filter pushed down to GDAL (completed, dated in 2024)
  2. read the districts with pyogrio and reproject them to EPSG:5899
  3. assign with a shapely 2 STRtree: plots wholly within one district (prepared district
     `contains`) are summed directly; only the others are intersected with the districts
  4. sum planar hectares by district code
and prints the table and the wall time of each phase and in total.

With --check JSON (the output of
    geomonitor progress --target afforestation-2024 --as-of 2024-12-31 --format json --manifest M)
it also computes geodesic areas (WGS 84 ellipsoid, pyproj.Geod, after reprojecting to
EPSG:4326, as geomonitor does) and compares targets[0].localities[].achieved per district,
geodesic to geodesic, to 0.1 % (or 0.05 ha, the JSON's rounding, whichever is larger). Planar
vs geodesic is reported as well (TM-3 near the central meridian: about -2e-4, k0 = 0.9999).
--geomonitor-seconds S prints the ratio of wall times. Exit status 1 when a district disagrees.

MANIFEST_OR_GPKG: a manifest written by make_register.py (its first project source, its
localities and its status mapping are used) or a plots GeoPackage (layer lo_rung; districts
from GeoData/localities.geojson, code ma_huyen, name ten_huyen).

Benchmark tooling only (pip: geopandas, shapely, pyproj, pyogrio): never a runtime dependency.
"""
import argparse
import json
import os
import re
import sys
import time
import unicodedata

import numpy as np
import pyogrio
import shapely
from pyproj import Geod, Transformer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_LOCALITIES = os.path.join(REPO, "GeoData", "localities.geojson")
WORKING_CRS = "EPSG:5899"
YEAR = ("2024-01-01", "2024-12-31")


def norm(s):
    return unicodedata.normalize("NFC", s).casefold()


def load_manifest(path):
    """What this job needs from a manifest: plots source/layer/fields, completed status values,
    localities source/fields/CRS."""
    try:
        import yaml
        with open(path, encoding="utf-8") as fh:
            m = yaml.safe_load(fh)
    except ImportError:
        sys.exit("compare_geopandas: reading a manifest needs PyYAML (pip install pyyaml), "
                 "or pass the GeoPackage itself")
    base = os.path.dirname(os.path.abspath(path))
    src = m["projects"][0]
    loc = m["localities"]
    fields = src.get("fields", {})
    statuses = [k for k, v in (src.get("values", {}).get("status", {}) or {}).items() if v == "completed"]
    return {
        "plots": os.path.join(base, src["source"]), "layer": src.get("layer"),
        "status_field": fields.get("status", "trang_thai"), "date_field": fields.get("date", "ngay"),
        "completed": statuses or ["completed"],
        "localities": os.path.join(base, loc["source"]), "loc_layer": loc.get("layer"),
        "loc_crs": loc.get("crs"),
        "code": loc.get("fields", {}).get("code", "ma_huyen"),
        "name": loc.get("fields", {}).get("name", "ten_huyen"),
    }


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def geodesic_ha(geoms_4326):
    """Geodesic areas (ha) on the WGS 84 ellipsoid of lon/lat geometries.
    Simple polygons (no holes, the bulk) go through polygon_area_perimeter on coordinate
    slices without building Python geometry objects; anything else through
    geometry_area_perimeter."""
    geod = Geod(ellps="WGS84")
    out = np.zeros(len(geoms_4326))
    if len(geoms_4326) == 0:
        return out
    simple = (shapely.get_type_id(geoms_4326) == 3) & (shapely.get_num_interior_rings(geoms_4326) == 0)
    idx = np.nonzero(simple)[0]
    if len(idx):
        rings = shapely.get_exterior_ring(geoms_4326[idx])
        xy, which = shapely.get_coordinates(rings, return_index=True)
        cuts = np.flatnonzero(np.diff(which)) + 1
        starts = np.concatenate([[0], cuts])
        ends = np.concatenate([cuts, [len(which)]])
        lon, lat = xy[:, 0], xy[:, 1]
        pa = geod.polygon_area_perimeter
        vals = np.empty(len(idx))
        for j, (a, b) in enumerate(zip(starts, ends)):
            vals[j] = pa(lon[a:b - 1], lat[a:b - 1])[0]   # ring closed: drop the repeat
        out[idx] = np.abs(vals) / 1e4
    for i in np.nonzero(~simple)[0]:
        out[i] = abs(geod.geometry_area_perimeter(geoms_4326[i])[0]) / 1e4
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("source", metavar="MANIFEST_OR_GPKG")
    ap.add_argument("--check", metavar="GEOMONITOR_JSON")
    ap.add_argument("--geomonitor-seconds", type=float, metavar="S")
    ap.add_argument("--no-pushdown", action="store_true",
                    help="read every plot and filter in pandas instead of in GDAL's SQL")
    a = ap.parse_args()

    if a.source.lower().endswith((".yaml", ".yml", ".json")):
        cfg = load_manifest(a.source)
    else:
        cfg = {"plots": a.source, "layer": "lo_rung", "status_field": "trang_thai", "date_field": "ngay",
               "completed": ["hoàn thành"], "localities": DEFAULT_LOCALITIES, "loc_layer": None,
               "loc_crs": None, "code": "ma_huyen", "name": "ten_huyen"}
    t = {}
    T0 = time.perf_counter()

    # 1. plots ---------------------------------------------------------------------------------
    t0 = time.perf_counter()
    sf, df_ = cfg["status_field"], cfg["date_field"]
    if a.no_pushdown:
        plots = pyogrio.read_dataframe(cfg["plots"], layer=cfg["layer"], columns=[sf, df_])
        st = plots[sf].astype(str).map(norm)
        day = plots[df_].astype(str).str[:10]
        keep = st.isin([norm(s) for s in cfg["completed"]]) & (day >= YEAR[0]) & (day <= YEAR[1])
        n_all = len(plots)
        plots = plots[keep.to_numpy()]
    else:
        values = set()
        for s in cfg["completed"]:
            values |= {unicodedata.normalize("NFC", s), unicodedata.normalize("NFD", s)}
        where = (f'"{sf}" IN ({", ".join(sql_str(v) for v in sorted(values))}) '
                 f'AND "{df_}" >= {sql_str(YEAR[0])} AND "{df_}" <= {sql_str(YEAR[1])}')
        plots = pyogrio.read_dataframe(cfg["plots"], layer=cfg["layer"], columns=[sf, df_], where=where)
        n_all = None
    plots_crs = plots.crs
    pg = plots.geometry.to_numpy()
    if plots_crs is not None and not plots_crs.equals(WORKING_CRS):
        pg = plots.to_crs(WORKING_CRS).geometry.to_numpy()
    t["read plots"] = time.perf_counter() - t0

    # 2. districts -----------------------------------------------------------------------------
    t0 = time.perf_counter()
    dist = pyogrio.read_dataframe(cfg["localities"], layer=cfg["loc_layer"], columns=[cfg["code"], cfg["name"]])
    if dist.crs is None:
        dist = dist.set_crs(cfg["loc_crs"] or "EPSG:4326")
    dist = dist.to_crs(WORKING_CRS)
    dg = dist.geometry.to_numpy()
    codes = dist[cfg["code"]].astype(str).to_numpy()
    names = dist[cfg["name"]].astype(str).to_numpy()
    t["read + reproject districts"] = time.perf_counter() - t0

    # 3. assignment ----------------------------------------------------------------------------
    t0 = time.perf_counter()
    tree = shapely.STRtree(pg)
    shapely.prepare(dg)
    d_in, p_in = tree.query(dg, predicate="contains")         # prepared district ∋ plot
    inside = np.zeros(len(pg), bool)
    inside[p_in] = True
    rest = np.nonzero(~inside)[0]
    d_x, j = shapely.STRtree(pg[rest]).query(dg, predicate="intersects")
    p_x = rest[j]
    pieces = shapely.intersection(pg[p_x], dg[d_x])
    t["assign (STRtree, intersect crossers)"] = time.perf_counter() - t0

    # 4. sums ----------------------------------------------------------------------------------
    t0 = time.perf_counter()
    nd = len(dg)
    ha_planar = (np.bincount(d_in, weights=shapely.area(pg[p_in]), minlength=nd)
                 + np.bincount(d_x, weights=shapely.area(pieces), minlength=nd)) / 1e4
    n_plots = np.bincount(d_in, minlength=nd) + np.bincount(d_x, minlength=nd)
    outside_ha = (shapely.area(pg[rest]).sum() - shapely.area(pieces).sum()) / 1e4
    t["sum by district"] = time.perf_counter() - t0
    total = time.perf_counter() - T0

    # geodesic (only for --check) ----------------------------------------------------------------
    ha_geod = None
    if a.check:
        t0 = time.perf_counter()
        tf = Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)

        def to_ll(g):
            return shapely.transform(g, lambda xy: np.column_stack(tf.transform(xy[:, 0], xy[:, 1])))
        ga_in = geodesic_ha(to_ll(pg[p_in]))
        ga_x = geodesic_ha(to_ll(pieces))
        ha_geod = np.bincount(d_in, weights=ga_in, minlength=nd) + np.bincount(d_x, weights=ga_x, minlength=nd)
        t_geod = time.perf_counter() - t0

    # report -----------------------------------------------------------------------------------
    print(f"# GeoPandas job: {cfg['plots']}")
    sel = f"{len(pg):,} completed plots dated 2024" + (f" of {n_all:,}" if n_all else " (filter pushed down to GDAL)")
    print(f"{sel}; {len(p_in):,} wholly within one district, {len(rest):,} intersected "
          f"({len(p_x):,} pieces); outside every district {max(outside_ha, 0.0):.3f} ha")
    print()
    gm = {}
    if a.check:
        with open(a.check, encoding="utf-8") as fh:
            rep = json.load(fh)
        tg = rep["targets"][0]
        gm = {str(l["code"]): float(l["achieved"]) for l in tg["localities"]}
    hdr = ["code", "name", "plots", "ha planar"]
    if a.check:
        hdr += ["ha geodesic", "geomonitor", "gm/geod - 1", "geod/planar - 1", "ok"]
    rows = []
    bad = 0
    order = np.argsort(codes)
    for i in order:
        r = [codes[i], names[i], f"{n_plots[i]:,}", f"{ha_planar[i]:,.2f}"]
        if a.check:
            g = gm.get(codes[i])
            if g is None:
                r += [f"{ha_geod[i]:,.2f}", "missing", "", "", "NO"]
                bad += 1
            else:
                rel = g / ha_geod[i] - 1 if ha_geod[i] else (0.0 if g == 0 else float("inf"))
                ok = abs(g - ha_geod[i]) <= max(1e-3 * abs(ha_geod[i]), 0.051)
                bad += not ok
                gp = ha_geod[i] / ha_planar[i] - 1 if ha_planar[i] else 0.0
                r += [f"{ha_geod[i]:,.2f}", f"{g:,.2f}", f"{rel:+.2e}", f"{gp:+.2e}", "yes" if ok else "NO"]
        rows.append(r)
    tot = ["", "total", f"{n_plots.sum():,}", f"{ha_planar.sum():,.2f}"]
    if a.check:
        gsum = sum(gm.get(c, 0.0) for c in codes)
        tot += [f"{ha_geod.sum():,.2f}", f"{gsum:,.2f}", f"{gsum / ha_geod.sum() - 1:+.2e}",
                f"{ha_geod.sum() / ha_planar.sum() - 1:+.2e}", ""]
        extra = sorted(set(gm) - set(codes))
        if extra:
            print(f"geomonitor has localities not in the districts file: {', '.join(extra)}")
    rows.append(tot)
    w = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(hdr)]
    print("| " + " | ".join(h.ljust(w[k]) for k, h in enumerate(hdr)) + " |")
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w[k]) if k >= 2 else c.ljust(w[k]) for k, c in enumerate(r)) + " |")
    print()
    print("Wall time (s):")
    for k, v in t.items():
        print(f"  {k:<40} {v:8.3f}")
    print(f"  {'total (planar job)':<40} {total:8.3f}")
    if a.check:
        print(f"  {'geodesic areas (check only)':<40} {t_geod:8.3f}")
        print(f"  {'total with geodesic areas':<40} {total + t_geod:8.3f}")
    if a.geomonitor_seconds:
        s = a.geomonitor_seconds
        print(f"geomonitor {s:.3f} s: {s / total:.2f}x the GeoPandas planar job"
              + (f", {s / (total + t_geod):.2f}x the job with geodesic areas" if a.check else ""))
    if a.check:
        print(f"check: {len(codes) - bad}/{len(codes)} districts agree with geomonitor (geodesic, 0.1 %)")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
