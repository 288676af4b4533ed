#!/usr/bin/env python3
"""Builds the boundary-edition fixtures of the tests (deterministic; python3 + shapely + pyproj).

    python3 Tests/TestSupport/Fixtures/editions/make_editions.py

- gadm_districts.geojson: GeoData's 12 sample districts of Lâm Đồng renumbered and misspelt the way
  a widely used public (GADM-style) file does: ids 663–674 of its own (Di Linh is 672, the GSO code
  of Đà Lạt), "Ðà Lạt" with U+00D0, "Ðon Duong", "Lạc Duong", Bảo Lộc still a "Thị xã", no GSO codes.
- gadm_no_cattien.geojson: the same without Cát Tiên.
- plots.geojson: three 1 km × 1 km squares inside Đà Lạt, Di Linh and Lạc Dương (areas printed
  by pyproj below, quoted in the tests).
- squares_a.geojson / squares_b.geojson: two editions of small hand-made shapes for crosswalk tests.
"""
import json, os
from shapely.geometry import shape, mapping, Polygon, box
from pyproj import Geod

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "../../../.."))
geod = Geod(ellps="WGS84")

def write(name, features, layer):
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": layer, "features": features}, f, ensure_ascii=False, indent=1)
        f.write("\n")

def area_ha(g):
    return abs(geod.geometry_area_perimeter(g)[0]) / 1e4

src = json.load(open(os.path.join(root, "GeoData/localities.geojson"), encoding="utf-8"))
by_code = {f["properties"]["ma_huyen"]: f for f in src["features"]}
# GSO code → (GADM-style id, name as the public file spells it, type as it gives it)
gadm = {
    "680": ("663", "Bảo Lâm", "Huyện"), "673": ("664", "Bảo Lộc", "Thị xã"), "683": ("665", "Cát Tiên", "Huyện"),
    "681": ("666", "Đạ Huoai", "Huyện"), "672": ("667", "\u00d0à Lạt", "Thành phố"), "682": ("668", "Đạ Tẻh", "Huyện"),
    "674": ("669", "Đam Rông", "Huyện"), "677": ("670", "\u00d0on Duong", "Huyện"), "678": ("671", "Đức Trọng", "Huyện"),
    "679": ("672", "Di Linh", "Huyện"), "675": ("673", "Lạc Duong", "Huyện"), "676": ("674", "Lâm Hà", "Huyện"),
}
feats = []
for gso, (gid, name, typ) in sorted(gadm.items(), key=lambda kv: kv[1][0]):
    feats.append({"type": "Feature", "properties": {"ID_2": gid, "NAME_2": name, "TYPE_2": typ, "NAME_1": "Lâm Đồng"},
                  "geometry": by_code[gso]["geometry"]})
write("gadm_districts.geojson", feats, "gadm36_VNM_2")
write("gadm_no_cattien.geojson", [f for f in feats if f["properties"]["ID_2"] != "665"], "gadm36_VNM_2")

plots = []
for pid, gso in [("P1", "672"), ("P2", "679"), ("P3", "675")]:
    pt = shape(by_code[gso]["geometry"]).representative_point()
    d = 0.0045  # ≈ 0.5 km
    sq = box(round(pt.x - d, 4), round(pt.y - d, 4), round(pt.x + d, 4), round(pt.y + d, 4))
    assert shape(by_code[gso]["geometry"]).contains(sq)
    plots.append({"type": "Feature", "properties": {"id": pid, "status": "completed", "date": "2024-06-01"}, "geometry": mapping(sq)})
    print(pid, gso, "%.6f ha" % area_ha(sq))
write("plots.geojson", plots, "plots")

# Crosswalk shapes (lon/lat rectangles between 12.00° and 12.02° N):
#   edition A: A1 = [108.00, 108.0201], A2 = [108.0201, 108.04], A3 = [108.04, 108.06]
#   edition B: B1 = [108.00, 108.01] (inside A1), B2 = [108.01, 108.03] (straddles A1 and A2),
#              B3 = [108.03, 108.0401] (in A2 but for a 0.0001°-wide sliver of A3), B4 = [108.0401, 108.06]
A = {"A1": box(108.00, 12.00, 108.0201, 12.02), "A2": box(108.0201, 12.00, 108.04, 12.02), "A3": box(108.04, 12.00, 108.06, 12.02)}
B = {"B1": box(108.00, 12.00, 108.01, 12.02), "B2": box(108.01, 12.00, 108.03, 12.02),
     "B3": box(108.03, 12.00, 108.0401, 12.02), "B4": box(108.0401, 12.00, 108.06, 12.02)}
write("squares_a.geojson", [{"type": "Feature", "properties": {"code": k, "name": "Old " + k}, "geometry": mapping(g)} for k, g in A.items()], "a")
write("squares_b.geojson", [{"type": "Feature", "properties": {"code": k, "name": "New " + k}, "geometry": mapping(g)} for k, g in B.items()], "b")
for a, ga in A.items():
    for b, gb in B.items():
        i = ga.intersection(gb)
        if not i.is_empty and i.area > 0:
            print("pair", a, b, "%.6f ha" % area_ha(i), "share_of_from %.6f" % (area_ha(i) / area_ha(ga)), "share_of_to %.6f" % (area_ha(i) / area_ha(gb)))
for k, g in list(A.items()) + list(B.items()):
    print(k, "%.6f ha" % area_ha(g))

# One plot on the squares: [108.005, 108.015] × [12.005, 12.015], all in A1, half in B1 and half in B2.
plot = box(108.005, 12.005, 108.015, 12.015)
write("square_plots.geojson", [{"type": "Feature", "properties": {"id": "S1", "status": "completed", "date": "2024-06-01"}, "geometry": mapping(plot)},
                               {"type": "Feature", "properties": {"id": "S2", "status": "completed", "date": "2025-09-01", "locality": "Old A3"},
                                "geometry": mapping(box(108.045, 12.005, 108.055, 12.015))}], "plots")
for k, g in B.items():
    i = plot.intersection(g)
    if not i.is_empty and i.area > 0:
        print("S1 in", k, "%.6f ha" % area_ha(i))
print("S1 %.6f ha" % area_ha(plot), "S2 %.6f ha" % area_ha(box(108.045, 12.005, 108.055, 12.015)))
