#!/usr/bin/env python3
"""The post-2025 boundary edition of the sample (SCHEMATIC, NOT OFFICIAL): new communes built on the
sample districts of localities.geojson, plus schematic Đắk Nông and Bình Thuận beside them.

    python3 GeoData/tools/make_communes_2025.py      (python3 + shapely + pyproj; deterministic)

Codes and names are real units in force from 2025-07-01 (GeoData/vn-admin/units.csv); the shapes
are not theirs. Every sample district is cut along straight lines and the pieces are put
together into new units, so that:
- 24846 Phường Lang Biang - Đà Lạt straddles Đà Lạt (672) and Lạc Dương (675), 24853 Xã Đam Rông 4
  straddles Đam Rông (674) and Lạc Dương, 24871 Xã Đinh Văn Lâm Hà straddles Lâm Hà (676) and Đức
  Trọng (678), 24820 Phường 2 Bảo Lộc straddles Bảo Lộc (673) and Bảo Lâm (680) — as the real four do;
- Di Linh (679) is split between 25000 Xã Di Linh and 25018 Xã Bảo Thuận;
- the three old provinces are one: communes-2025-dak-nong.geojson and communes-2025-binh-thuan.geojson
  (schematic boxes west and south of the sample, an island for Đặc khu Phú Quý) join the edition
  through `sources:` in manifest.yaml.
"""
import json, os
from shapely.geometry import shape, mapping, box
from shapely.ops import unary_union
from pyproj import Geod

here = os.path.dirname(os.path.abspath(__file__))
geodata = os.path.dirname(here)
geod = Geod(ellps="WGS84")
old = {f["properties"]["ma_huyen"]: shape(f["geometry"]) for f in json.load(open(os.path.join(geodata, "localities.geojson"), encoding="utf-8"))["features"]}

def west(lon): return box(100, 0, lon, 20)
def east(lon): return box(lon, 0, 120, 20)
def south(lat): return box(100, 0, 120, lat)
def north(lat): return box(100, lat, 120, 20)

# new code → (type, name, [(old district, cut)…]); cut None = the whole district.
pieces = {
    "24846": ("Phường", "Lang Biang - Đà Lạt", [("672", north(11.95)), ("675", east(108.40).intersection(south(12.10)))]),
    "24781": ("Phường", "Xuân Hương - Đà Lạt", [("672", south(11.95))]),
    "24853": ("Xã", "Đam Rông 4", [("675", west(108.40)), ("674", east(108.20))]),
    "24848": ("Xã", "Lạc Dương", [("675", east(108.40).intersection(north(12.10)))]),
    "24886": ("Xã", "Đam Rông 1", [("674", west(108.20))]),
    "24820": ("Phường", "2 Bảo Lộc", [("673", north(11.55)), ("680", east(107.85).intersection(south(11.65)))]),
    "24823": ("Phường", "1 Bảo Lộc", [("673", south(11.55))]),
    "25054": ("Xã", "Bảo Lâm 1", [("680", west(107.85).union(north(11.65)))]),
    "24871": ("Xã", "Đinh Văn Lâm Hà", [("676", south(11.82)), ("678", north(11.75).intersection(west(108.30)))]),
    "24868": ("Xã", "Nam Ban Lâm Hà", [("676", north(11.82))]),
    "24958": ("Xã", "Đức Trọng", [("678", south(11.75).union(east(108.30)))]),
    "25000": ("Xã", "Di Linh", [("679", east(108.00))]),
    "25018": ("Xã", "Bảo Thuận", [("679", west(108.00))]),
    "24931": ("Xã", "Đơn Dương", [("677", None)]),
    "25099": ("Xã", "Đạ Huoai", [("681", None)]),
    "25126": ("Xã", "Đạ Tẻh", [("682", None)]),
    "25159": ("Xã", "Cát Tiên", [("683", None)]),
}

def rnd(g, d=7):
    return json.loads(json.dumps(mapping(g)), parse_float=lambda s: round(float(s), d))

def write(name, units, layer):
    feats = [{"type": "Feature", "properties": {"ma_xa": c, "ten_xa": n, "loai": t, "ma_tinh": "68"}, "geometry": rnd(g)} for c, t, n, g in units]
    with open(os.path.join(geodata, name), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": layer, "features": feats}, f, ensure_ascii=False, indent=1)
        f.write("\n")

def area_ha(g): return abs(geod.geometry_area_perimeter(g)[0]) / 1e4

lam_dong = []
for code, (typ, name, parts) in pieces.items():
    g = unary_union([old[d] if cut is None else old[d].intersection(cut) for d, cut in parts])
    lam_dong.append((code, typ, name, g))
write("communes-2025-lam-dong.geojson", lam_dong, "xa_2025")
write("communes-2025-dak-nong.geojson", [
    ("24640", "Xã", "Cư Jút", box(106.90, 12.05, 107.20, 12.30)),
    ("24611", "Phường", "Bắc Gia Nghĩa", box(106.90, 11.80, 107.20, 12.05)),
], "xa_2025")
write("communes-2025-binh-thuan.geojson", [
    ("22945", "Phường", "Phan Thiết", box(107.90, 10.90, 108.35, 11.25)),
    ("22918", "Phường", "Mũi Né", box(108.35, 10.90, 108.80, 11.25)),
    ("23272", "Đặc khu", "Phú Quý", box(108.90, 10.48, 109.00, 10.56)),
], "xa_2025")
# Check: the Lâm Đồng part covers the sample districts exactly; print the crosswalk by pyproj.
total_old = sum(area_ha(g) for g in old.values())
total_new = sum(area_ha(g) for _, _, _, g in lam_dong)
print("old districts %.2f ha, new communes (old Lâm Đồng part) %.2f ha" % (total_old, total_new))
for code, typ, name, g in lam_dong:
    parts = ["%s %.1f%%" % (d, area_ha(old[d].intersection(g)) / area_ha(g) * 100) for d in sorted(old) if area_ha(old[d].intersection(g)) > 1]
    print(code, typ, name, "%.1f ha" % area_ha(g), "←", ", ".join(parts))
