#!/usr/bin/env bash
# Builds the small, hand-made test fixtures (TestSupport, shared by the test targets) from two source GeoJSONs.
#
#   bash Tests/TestSupport/Fixtures/make_fixtures.sh      (from anywhere)
#
# Needs: python3 (standard library only) and ogr2ogr (gdal-bin). Deterministic: running it twice
# gives the same files (the GeoPackage timestamps are pinned with OGR_CURRENT_DATE).
#
# Every coordinate below is chosen by hand so that the tests can compute shares and fractions on
# paper; the expected measures quoted in the tests come from independent references (geographiclib,
# pyproj, shapely), not from these files.
set -euo pipefail
cd "$(dirname "$0")"
export OGR_CURRENT_DATE="2024-01-01T00:00:00Z"

rm -rf sample.geojson sample.gpkg sample.kml sample.fgb sample_wkt.csv sample_wkt.csvt sample_wkt.prj sample_lonlat.csv \
       sample_shp noprj axis_4326.gpkg province.geojson lookup_localities.geojson projects.geojson \
       projects_dup.geojson province.yaml lookup.yaml axis.yaml noprj.yaml duplicates.yaml

python3 - <<'PY'
import json, unicodedata

def write(path, features, name):
    doc = {"type": "FeatureCollection", "name": name, "features": features}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")

def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geom}

def box(x0, y0, x1, y1):
    """Closed counter-clockwise ring of a lon/lat rectangle."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]

# ---------------------------------------------------------------------------------------------
# 1. The sample layer (source GeoJSON #1): one polygon with a hole, one multipolygon, one line,
#    two points; typed attributes: ma (text id), so_cay (integer), dien_tich (real),
#    ten (Vietnamese text, NFC), ngay (date).
# ---------------------------------------------------------------------------------------------
hole_cw = [[108.4325, 11.9325], [108.4325, 11.9375], [108.4375, 11.9375], [108.4375, 11.9325], [108.4325, 11.9325]]
sample = [
    feature({"ma": "P1", "so_cay": 1200, "dien_tich": 1.25, "ten": "Rừng thông Đà Lạt", "ngay": "2024-03-15"},
            {"type": "Polygon", "coordinates": [box(108.43, 11.93, 108.44, 11.94), hole_cw]}),
    feature({"ma": "P2", "so_cay": 800, "dien_tich": 0.5, "ten": "Khoảnh 12, lô 3 – Lâm Hà", "ngay": "2024-06-30"},
            {"type": "MultiPolygon", "coordinates": [[box(108.45, 11.93, 108.455, 11.935)],
                                                      [box(108.46, 11.93, 108.465, 11.935)]]}),
    feature({"ma": "R1", "so_cay": 0, "dien_tich": 0.0, "ten": "Đường Trần Hưng Đạo", "ngay": "2023-12-29"},
            {"type": "LineString", "coordinates": [[108.43, 11.95], [108.44, 11.955], [108.45, 11.95]]}),
    feature({"ma": "S1", "so_cay": 25, "dien_tich": 0.02, "ten": "Chợ Đà Lạt", "ngay": "2024-01-01"},
            {"type": "Point", "coordinates": [108.4583, 11.9404]}),
    feature({"ma": "S2", "so_cay": 7, "dien_tich": 0.125, "ten": "Hồ Xuân Hương \"cũ\"", "ngay": "2024-02-29"},
            {"type": "Point", "coordinates": [108.44, 11.96]}),
]
write("sample.geojson", sample, "sample")

# The lon/lat survey table: the point features only (a CSV row has one position), dates dd/mm/yyyy.
with open("sample_lonlat.csv", "w", encoding="utf-8", newline="") as f:
    f.write("ma,ten,so_cay,dien_tich,ngay,lon,lat\r\n")
    for ft in sample:
        if ft["geometry"]["type"] != "Point":
            continue
        p = ft["properties"]; lon, lat = ft["geometry"]["coordinates"]
        y, m, d = p["ngay"].split("-")
        ten = '"' + p["ten"].replace('"', '""') + '"'
        f.write(f'{p["ma"]},{ten},{p["so_cay"]},{p["dien_tich"]},{d}/{m}/{y},{lon},{lat}\r\n')

# ---------------------------------------------------------------------------------------------
# 2. A tiny "province" (source GeoJSON #2): three 0.1° squares in EPSG:4326
#       C 675 [108.40,108.50]x[12.00,12.10]
#       A 672 [108.40,108.50]x[11.90,12.00]   B 677 [108.50,108.60]x[11.90,12.00]
#    with the naming traps of real boundary files: Ð (U+00D0) for Đ, syllables without
#    diacritics, NFD text, the type word in its own column, an ASCII name in a second column.
# ---------------------------------------------------------------------------------------------
NFD = lambda s: unicodedata.normalize("NFD", s)
province = [
    feature({"ma": "672", "ten": "\u00D0à Lạt", "ten_ascii": "Da Lat", "loai": "Thành phố", "tinh": "68"},
            {"type": "Polygon", "coordinates": [box(108.40, 11.90, 108.50, 12.00)]}),
    feature({"ma": "677", "ten": "\u00D0on Duong", "ten_ascii": "Don Duong", "loai": "Huyện", "tinh": "68"},
            {"type": "Polygon", "coordinates": [box(108.50, 11.90, 108.60, 12.00)]}),
    feature({"ma": "675", "ten": NFD("Lạc Duong"), "ten_ascii": "Lac Duong", "loai": NFD("Huyện"), "tinh": "68"},
            {"type": "Polygon", "coordinates": [box(108.40, 12.00, 108.50, 12.10)]}),
]
write("province.geojson", province, "province")

# Localities for name lookups only: tiny separate squares, names spelt as real files spell them.
# 99001 and 99002 are made-up codes (a commune named like the city, and the Đạ M'ri town).
names = [
    ("672", "\u00D0à Lạt", "Thành phố"), ("673", "Bảo Lộc", "Thành phố"), ("677", "\u00D0on Duong", "Huyện"),
    ("675", NFD("Lạc Duong"), NFD("Huyện")), ("679", NFD("Di Linh"), NFD("Huyện")),
    ("99001", "Bảo Lộc", "Xã"), ("99002", "Đạ M\u2019ri", "Thị trấn"),
]
lookup = []
for i, (code, name, kind) in enumerate(names):
    x = 108.0 + 0.01 * i
    lookup.append(feature({"ma": code, "ten": name, "loai": kind, "tinh": "68"},
                          {"type": "Polygon", "coordinates": [box(x, 11.0, x + 0.005, 11.005)]}))
write("lookup_localities.geojson", lookup, "lookup_localities")

# Projects of the province, with border crossers whose shares are known by construction.
projects = [
    # exactly half in A (lon 108.49–108.50) and half in B (108.50–108.51): mirror images about 108.50
    feature({"ma": "TR-01", "ten": "Trồng rừng ranh giới", "loai": "trồng rừng", "trang_thai": "hoàn thành",
             "ngay": "15/03/2024", "so_cay": 2000, "dien_tich_kk": 240.5},
            {"type": "Polygon", "coordinates": [box(108.49, 11.95, 108.51, 11.96)]}),
    # wholly inside A
    feature({"ma": "TR-02", "ten": "Trồng rừng Đà Lạt", "loai": "trồng rừng", "trang_thai": "đang thi công",
             "ngay": "01/02/2024", "so_cay": 500, "dien_tich_kk": 120.0},
            {"type": "Polygon", "coordinates": [box(108.42, 11.92, 108.43, 11.93)]}),
    # a meridian road, lat 11.99 → 12.03: 0.01° in A, 0.03° in C
    feature({"ma": "DG-01", "ten": "Đường Lạc Dương", "loai": "đường", "trang_thai": "đã khởi công",
             "ngay": "20/12/2023", "so_cay": None, "dien_tich_kk": None},
            {"type": "LineString", "coordinates": [[108.45, 11.99], [108.45, 12.03]]}),
    # a market point in B
    feature({"ma": "CH-01", "ten": "Chợ Đơn Dương", "loai": "chợ", "trang_thai": "chậm tiến độ",
             "ngay": "10/10/2023", "so_cay": None, "dien_tich_kk": None},
            {"type": "Point", "coordinates": [108.55, 11.95]}),
    # half in B (108.59–108.60), half outside the province (108.60–108.61)
    feature({"ma": "TR-03", "ten": "Trồng rừng biên", "loai": "trồng rừng", "trang_thai": "hoàn thành",
             "ngay": "05/05/2024", "so_cay": 1000, "dien_tich_kk": 240.0},
            {"type": "Polygon", "coordinates": [box(108.59, 11.91, 108.61, 11.92)]}),
    # a multipolygon: one part in A, one in C
    feature({"ma": "TR-04", "ten": "Trồng rừng hai khoảnh", "loai": "trồng rừng", "trang_thai": "đang thi công",
             "ngay": "2024-04-01", "so_cay": 300, "dien_tich_kk": 240.0},
            {"type": "MultiPolygon", "coordinates": [[box(108.41, 11.98, 108.42, 11.99)],
                                                      [box(108.41, 12.01, 108.42, 12.02)]]}),
]
write("projects.geojson", projects, "projects")

dup = [
    feature({"ma": "X-1", "ten": "Một", "loai": "road", "trang_thai": "planned"},
            {"type": "Point", "coordinates": [108.45, 11.95]}),
    feature({"ma": "X-1", "ten": "Hai", "loai": "road", "trang_thai": "planned"},
            {"type": "Point", "coordinates": [108.46, 11.95]}),
]
write("projects_dup.geojson", dup, "projects_dup")
PY

# --- The sample layer in every driver -------------------------------------------------------
ogr2ogr -f GPKG sample.gpkg sample.geojson -nln sample -t_srs EPSG:5899 -lco SPATIAL_INDEX=NO
ogr2ogr -f LIBKML sample.kml sample.geojson -nln sample -oo DATE_AS_STRING=YES   # KML has no date type
ogr2ogr -f FlatGeobuf sample.fgb sample.geojson -nln sample
ogr2ogr -f CSV sample_wkt.csv sample.geojson -nln sample_wkt -lco GEOMETRY=AS_WKT -lco CREATE_CSVT=YES

# A shapefile holds one geometry type: a folder of three (areas, lines, points), each .prj + .cpg.
mkdir -p sample_shp
ogr2ogr -f "ESRI Shapefile" sample_shp/areas.shp sample.geojson -lco ENCODING=UTF-8 -lco DBF_DATE_LAST_UPDATE=2024-01-01 -nlt MULTIPOLYGON \
        -where "ma IN ('P1','P2')" -nln areas
ogr2ogr -f "ESRI Shapefile" sample_shp/lines.shp sample.geojson -lco ENCODING=UTF-8 -lco DBF_DATE_LAST_UPDATE=2024-01-01 -where "ma = 'R1'" -nln lines
ogr2ogr -f "ESRI Shapefile" sample_shp/points.shp sample.geojson -lco ENCODING=UTF-8 -lco DBF_DATE_LAST_UPDATE=2024-01-01 -where "ma IN ('S1','S2')" -nln points

# A shapefile that arrived without its .prj.
mkdir -p noprj
for ext in shp shx dbf cpg; do cp "sample_shp/lines.$ext" "noprj/lines.$ext"; done

# The axis-order trap: a GeoPackage in EPSG:4326, whose authority axis order is lat, lon.
ogr2ogr -f GPKG axis_4326.gpkg sample.geojson -nln sites -a_srs EPSG:4326 -lco SPATIAL_INDEX=NO \
        -where "ma IN ('S1','S2')"

# Compact the GeoPackages (512-byte pages): about 25 KB each instead of 90 KB.
python3 - <<'PY'
import sqlite3
for path in ("sample.gpkg", "axis_4326.gpkg"):
    c = sqlite3.connect(path)
    c.isolation_level = None
    c.execute("PRAGMA page_size=512")
    c.execute("VACUUM")
    c.close()
PY

# --- Manifests -----------------------------------------------------------------------------
cat > province.yaml <<'YAML'
name: fixture province
province: {code: "68", name: "Lâm Đồng", type: "Tỉnh"}
localities:
  source: province.geojson
  fields: {code: ma, name: ten, type: loai, parent: tinh}
projects:
  - source: projects.geojson
    fields: {id: ma, name: ten, kind: loai, status: trang_thai, date: ngay, trees: so_cay, area_ha: dien_tich_kk}
    values:
      kind: {"trồng rừng": forest_planting, "đường": road, "chợ": market}
      status: {"hoàn thành": completed, "đang thi công": under_construction, "đã khởi công": under_construction,
               "chậm tiến độ": stalled}
YAML

cat > lookup.yaml <<'YAML'
name: name lookups
localities:
  source: lookup_localities.geojson
  fields: {code: ma, name: ten, type: loai, parent: tinh}
projects: []
YAML

cat > axis.yaml <<'YAML'
name: axis order
localities:
  source: province.geojson
  fields: {code: ma, name: ten, type: loai}
projects:
  - source: axis_4326.gpkg
    layer: sites
    kind: market
    status: planned
    fields: {id: ma, name: ten}
YAML

cat > noprj.yaml <<'YAML'
name: shapefile without prj
localities:
  source: province.geojson
  fields: {code: ma, name: ten}
projects:
  - source: noprj/lines.shp
    kind: road
    status: planned
    fields: {id: ma, name: ten}
YAML

cat > duplicates.yaml <<'YAML'
name: duplicate ids
localities:
  source: province.geojson
  fields: {code: ma, name: ten}
projects:
  - source: projects_dup.geojson
    fields: {id: ma, name: ten, kind: loai, status: trang_thai}
YAML

du -ch . | tail -1
