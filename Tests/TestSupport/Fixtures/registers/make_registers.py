#!/usr/bin/env python3
"""Builds the registers of RegisterTests (issue 17): files as commune and district offices keep
them — an Excel and an ODS register, a CSV, MapInfo MIF/MID and TAB in Windows-1258 and TCVN3, a
MicroStation v7 DGN sheet, GPX perimeters, a layer mixing points, lines and polygons.

    python3 Tests/TestSupport/Fixtures/registers/make_registers.py

Needs python3 with openpyxl and pyproj, and ogr2ogr (gdal-bin) for the ODS, TAB and DGN.
The expected figures the tests assert are printed at the end (computed here with pyproj, not
with geomonitor): budget total 3,481; 45458 = 2024-06-15; DGN 5.01 ha; GPX 2.38 ha.
"""
import datetime, json, os, subprocess
import openpyxl
from pyproj import Geod, Transformer

os.chdir(os.path.dirname(os.path.abspath(__file__)))
geod = Geod(ellps="WGS84")

def fc(features):
    return {"type": "FeatureCollection", "features": features}

def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geom}

def rect(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}

def dump(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")

# Two districts as rectangles: Lâm Hà (676) west, Đà Lạt (672) east.
dump("districts.geojson", fc([
    feature({"ma": "676", "ten": "Lâm Hà"}, rect(108.0, 11.7, 108.35, 12.05)),
    feature({"ma": "672", "ten": "Đà Lạt"}, rect(108.35, 11.7, 108.6, 12.05)),
]))

# 1–3. A spreadsheet register: coordinates in kinh_do/vi_do, a date column holding a real date
# cell, text and an Excel serial number (General cell), budgets as numbers and English text.
header = ["ma_du_an", "ten", "tinh_trang", "ngay", "kinh_do", "vi_do", "kinh_phi"]
rows = [
    ["S1", "Chợ Đà Lạt", "hoàn thành", datetime.datetime(2024, 6, 20), 108.44, 11.94, 1200],
    ["S2", "Chợ Lâm Hà", "hoàn thành", "15/03/2024", 108.30, 11.90, "1,250.5"],
    ["S3", "Trạm y tế", "đang thi công", 45458, 108.45, 11.95, "1,030.5"],
    ["S4", "Nhà văn hóa", "kế hoạch", "01/02/2024", None, None, None],
]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "du_an"
ws.append(header)
for r in rows:
    ws.append(r)
# The same register in Vietnamese notation.
vi = wb.create_sheet("du_an_vi")
vi.append(header)
for r, budget in zip(rows, [1200, "1.250,5", "1,5", None]):
    vi.append(r[:6] + [budget])
# An ambiguous figure ("1,250": 1250 in English, 1.25 in Vietnamese).
amb = wb.create_sheet("mo_ho")
amb.append(header)
amb.append(rows[0][:6] + ["1,250"])
# VN-2000 survey table: X = northing, Y = easting (EPSG:5899), the points of S1–S3.
to5899 = Transformer.from_crs(4326, 5899, always_xy=True)
survey = wb.create_sheet("khao_sat")
survey.append(["so_hieu", "X", "Y"])
for r in rows[:3]:
    e, n = to5899.transform(r[4], r[5])
    survey.append([r[0], round(n, 3), round(e, 3)])
# Plots as WKT in VN-2000 metres, and the plot of 1203 the 2024 register repeats as text "1203 ".
wkt = wb.create_sheet("lo_2024")
wkt.append(["ma_lo", "trang_thai", "ngay", "wkt"])
e0, n0 = to5899.transform(108.10, 11.75)
e0, n0 = round(e0), round(n0)
wkt.append(["1203 ", "hoàn thành", datetime.datetime(2024, 5, 10), f"POLYGON (({e0} {n0},{e0+200} {n0},{e0+200} {n0+100},{e0} {n0+100},{e0} {n0}))"])
wkt.append(["1301", "hoàn thành", datetime.datetime(2024, 5, 12), f"POLYGON (({e0+300} {n0},{e0+400} {n0},{e0+400} {n0+100},{e0+300} {n0+100},{e0+300} {n0}))"])
# Legacy text typed with an ABC (TCVN3) font, as Excel keeps it: the bytes shown as Windows-1252.
abc = wb.create_sheet("abc")
abc.append(header)
abc.append(["A1", b"L\xa9m H\xb5".decode("cp1252"), b"ho\xb5n th\xb5nh".decode("cp1252"), "01/02/2024", 108.30, 11.90, 1])
# Pinned document times, so that running the script twice gives the same file.
wb.properties.created = wb.properties.modified = datetime.datetime(2024, 1, 1)
wb.save("register.xlsx")

# The same register as ODS (GDAL writes it) and as CSV.
subprocess.run(["ogr2ogr", "-f", "ODS", "register.ods", "register.xlsx", "du_an"], check=True)
with open("register.csv", "w", encoding="utf-8") as f:
    f.write(",".join(header) + "\n")
    for r in rows:
        cells = ["2024-06-20" if isinstance(c, datetime.datetime) else "" if c is None else str(c) for c in r]
        f.write(",".join('"' + c + '"' if "," in c else c for c in cells) + "\n")

# The 2023 register, holding plot 1203 as an integer.
dump("lo_2023.geojson", fc([feature({"ma_lo": 1203, "trang_thai": "hoàn thành", "ngay": "2023-06-01"}, rect(108.05, 11.75, 108.051, 11.751))]))

# 4. MapInfo: a MIF/MID declaring its Vietnamese Windows charset (Windows-1258: base letters and
# combining tone bytes) and a TAB in TCVN3 with no declaration (charset Neutral).
def mif(name, charset, records):
    head = (f'Version 300\nCharset "{charset}"\nDelimiter ","\nCoordSys Earth Projection 1, 104\n'
            "Columns 4\n  ma Char(10)\n  ten Char(40)\n  trang_thai Char(30)\n  huyen Char(30)\nData\n\n")
    body, mid = "", b""
    for ma, ten, status, huyen, (x, y) in records:
        body += f"Region 1\n  5\n{x} {y}\n{x + 0.001} {y}\n{x + 0.001} {y + 0.001}\n{x} {y + 0.001}\n{x} {y}\n"
        mid += b'"' + ma.encode() + b'","' + ten + b'","' + status + b'","' + huyen + b'"\r\n'
    with open(name + ".mif", "w", encoding="ascii") as f:
        f.write(head + body)
    with open(name + ".mid", "wb") as f:
        f.write(mid)

# Windows-1258: "Lâm Hà" = L â m H a + 0xCC (combining grave); "hoàn thành" the same way.
mif("lo_cp1258", "WindowsVietnamese", [("M1", b"L\xe2m Ha\xcc", b"hoa\xccn tha\xccnh", b"L\xe2m Ha\xcc", (108.2, 11.8))])
# TCVN3: "Lâm Hà" = L 0xA9 m H 0xB5; "hoàn thành" = ho 0xB5 n th 0xB5 nh; "đang trồng" = 0xAE ang tr 0xE5 ng.
mif("tcvn_src", "Neutral", [("T1", b"L\xa9m H\xb5", b"ho\xb5n th\xb5nh", b"L\xa9m H\xb5", (108.2, 11.8)),
                             ("T2", b"\xaeang tr\xe5ng", b"\xaeang tr\xe5ng", b"L\xa9m H\xb5", (108.21, 11.8))])
for ext in ("tab", "dat", "map", "id"):
    for name in ("lo_tcvn3", "lo_cp1258_tab"):
        if os.path.exists(f"{name}.{ext}"):
            os.remove(f"{name}.{ext}")
# The Windows-1258 table as a TAB: GDAL writes it as "Neutral"; MapInfo Professional would write
# its Vietnamese charset, which the .tab (a text file) then declares.
subprocess.run(["ogr2ogr", "-f", "MapInfo File", "lo_cp1258_tab.tab", "lo_cp1258.mif", "-nln", "lo_cp1258_tab"], check=True)
with open("lo_cp1258_tab.tab", encoding="ascii") as f:
    tab = f.read()
with open("lo_cp1258_tab.tab", "w", encoding="ascii") as f:
    f.write(tab.replace("Neutral", "WindowsVietnamese"))
subprocess.run(["ogr2ogr", "-f", "MapInfo File", "lo_tcvn3.tab", "tcvn_src.mif", "-nln", "lo_tcvn3"], check=True)
for ext in ("mif", "mid"):
    os.remove("tcvn_src." + ext)

# 5–6. A cadastral DGN sheet (v7) in VN-2000 / TM-3 107-45: two parcels drawn as shapes and one as
# a closed line string. Whole metres, so the DGN's integer coordinates hold them exactly.
e1, n1 = to5899.transform(108.2, 11.8)
e1, n1 = round(e1), round(n1)
def ring(x, y, w, h):
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
parcels = [ring(e1, n1, 150, 100), ring(e1 + 200, n1, 151, 100), ring(e1 + 400, n1, 200, 100)]
dump("dgn_src.geojson", fc([
    feature({}, {"type": "Polygon", "coordinates": [parcels[0]]}),
    feature({}, {"type": "Polygon", "coordinates": [parcels[1]]}),
    feature({}, {"type": "LineString", "coordinates": parcels[2]}),
]))
if os.path.exists("parcels.dgn"):
    os.remove("parcels.dgn")
subprocess.run(["ogr2ogr", "-f", "DGN", "parcels.dgn", "dgn_src.geojson",
                "-dsco", f"ORIGIN={e1 - 1000},{n1 - 1000},0", "-dsco", "UOR_PER_SUB_UNIT=100",
                "-dsco", "SUB_UNITS_PER_MASTER_UNIT=1", "-dsco", "MASTER_UNIT_NAME=m", "-dsco", "SUB_UNIT_NAME=cm"], check=True)
os.remove("dgn_src.geojson")
to4326 = Transformer.from_crs(5899, 4326, always_xy=True)
dgn_ha = 0.0
for r in parcels:
    lon, lat = zip(*[to4326.transform(x, y) for x, y in r])
    dgn_ha += abs(geod.polygon_area_perimeter(lon, lat)[0]) / 1e4

# GPX perimeters walked with a handheld: lô A closed, lô B ending 12 m from its start.
def walk(lon0, lat0, steps):
    out = []
    for e, n in steps:
        lon, lat, _ = geod.fwd(lon0, lat0, 90, e)
        lon, lat, _ = geod.fwd(lon, lat, 0, n)
        out.append((round(lon, 8), round(lat, 8)))
    return out
A = walk(108.25, 11.82, [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)])
B = walk(108.26, 11.82, [(0, 0), (120, 0), (120, 115), (0, 115), (0, 12)])
def trk(name, pts):
    return f"<trk><name>{name}</name><trkseg>" + "".join(f'<trkpt lat="{la:.8f}" lon="{lo:.8f}"/>' for lo, la in pts) + "</trkseg></trk>"
with open("perimeters.gpx", "w") as f:
    f.write('<?xml version="1.0"?>\n<gpx version="1.1" creator="make_registers.py" xmlns="http://www.topografix.com/GPX/1/1">\n'
            + trk("lo A", A) + "\n" + trk("lo B", B) + "\n</gpx>\n")
gpx_ha = sum(abs(geod.polygon_area_perimeter([p[0] for p in P + [P[0]]], [p[1] for p in P + [P[0]]])[0]) for P in (A, B)) / 1e4
gap_b = geod.line_length([B[-1][0], B[0][0]], [B[-1][1], B[0][1]])

# A layer mixing a point plot, a line and a polygon, each declaring an area.
dump("mixed.geojson", fc([
    feature({"ma": "X1", "dt": 2.5}, {"type": "Point", "coordinates": [108.15, 11.85]}),
    feature({"ma": "X2", "dt": 1.0}, {"type": "LineString", "coordinates": [[108.15, 11.86], [108.16, 11.86]]}),
    feature({"ma": "X3", "dt": 1.0}, rect(108.15, 11.87, 108.151, 11.871)),
]))
x3 = abs(geod.polygon_area_perimeter([108.15, 108.151, 108.151, 108.15], [11.87, 11.87, 11.871, 11.871])[0]) / 1e4

# A KML whose names were typed with a VNI font (the bytes shown as Windows-1252 characters):
# "Lâm Hà" = L a 0xE2 m H a 0xF8 and "hoàn thành" = h o a 0xF8 n t h a 0xF8 n h in VNI Windows.
def vni(b):
    return b.decode("cp1252")
placemarks = "".join(
    f'<Placemark><name>{ma}</name><ExtendedData><Data name="ten"><value>{vni(ten)}</value></Data>'
    f'<Data name="trang_thai"><value>{vni(status)}</value></Data></ExtendedData>'
    f"<Point><coordinates>{x},{y}</coordinates></Point></Placemark>"
    for ma, ten, status, (x, y) in [("K1", b"La\xe2m Ha\xf8", b"hoa\xf8n tha\xf8nh", (108.3, 11.9))])
with open("vni.kml", "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>lo</name>'
            + placemarks + "</Folder></Document></kml>\n")

serial = datetime.date(1899, 12, 30) + datetime.timedelta(days=45458)
print(f"budget en: {1200 + 1250.5 + 1030.5}; vi: {1200 + 1250.5 + 1.5}")
print(f"45458 = {serial}")
print(f"DGN: {dgn_ha:.7f} ha; GPX: {gpx_ha:.7f} ha (gap of lô B {gap_b:.2f} m); X3 {x3:.6f} ha")

# Workbooks as offices fill them: a number cell in a column of Vietnamese text (GDAL types the
# column as text and writes the cell "108.45"), and a sheet whose every cell is text (GDAL takes
# its header row for data).
for name, rows in (("mixed-cells.xlsx", [["X-01", "market", "completed", 108.45, "11,95"],
                                         ["X-02", "market", "completed", "108,55", "11,95"],
                                         ["X-03", "market", "completed", "108,45", "12,05"]]),
                   ("all-text.xlsx", [["T-01", "market", "completed", "108,45", "11,95"]])):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "sites"
    sheet.append(["ma", "loai", "trang_thai", "kinh_do", "vi_do"])
    for r in rows:
        sheet.append(r)
    book.properties.created = book.properties.modified = datetime.datetime(2024, 1, 1)
    book.save(name)
