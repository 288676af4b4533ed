#!/usr/bin/env bash
# postgis_bench.sh — the afforestation-2024 progress of a synthetic register held in PostGIS,
# side by side with the same register as a GeoPackage and with an expert's PostGIS SQL.
#
#     bash Tests/Benchmarks/postgis_bench.sh            # 1,000,000 plots
#     N=200000 bash Tests/Benchmarks/postgis_bench.sh
#
# 1. the register bench-data/plots-N.gpkg (make_register.py N bench-data, when missing);
# 2. a database geomonitor_bench_N (created when missing; libpq's environment — PGHOST, PGUSER,
#    ~/.pgpass … — says which server) with PostGIS, the plots loaded by the README's ogr2ogr line
#    (table lo_rung, EPSG:5899 as in the file, GiST index) and the district boundaries (districts,
#    EPSG:4326), then VACUUM ANALYZE;
# 3. times (/usr/bin/time: wall, max RSS), RUNS times each, best kept:
#    - geomonitor progress --target afforestation-2024 --as-of 2024-12-31 --format json over the
#      GeoPackage manifest and over the PG: manifest (release binary, .build-bench/);
#    - the expert SQL: completed plots dated 2024 joined to the districts through the GiST index
#      (districts transformed once to the plots' CRS), a plot wholly inside a district counted
#      whole, a border-crosser cut with ST_Intersection; areas with ST_Area on geography;
# 4. checks the three agree per district (0.01 % for the SQL, which gives slivers where
#    boundaries overlap to both sides; 1e-6 ha between geomonitor's two runs) and prints a
#    Markdown table (also bench-data/postgis-N.md).
# Environment: N, RUNS (default 2), SKIP_BUILD=1, GEOMONITOR_BIN=PATH, PGDB (database name).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$ROOT/bench-data"
N="${N:-1000000}"
RUNS="${RUNS:-2}"
DB="${PGDB:-geomonitor_bench_$N}"
OUT="$DATA/out"
mkdir -p "$DATA" "$OUT"
cd "$ROOT"
say() { printf '%s\n' "$*" >&2; }

if [ -n "${GEOMONITOR_BIN:-}" ]; then BIN="$GEOMONITOR_BIN"; else
    if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x .build-bench/release/geomonitor ]; then
        say "== swift build -c release --product geomonitor --scratch-path .build-bench"
        swift build -c release --product geomonitor --scratch-path .build-bench >&2
    fi
    BIN="$ROOT/.build-bench/release/geomonitor"
fi

# 1. data
[ -f "$DATA/plots-$N.gpkg" ] || python3 Tests/Benchmarks/make_register.py "$N" "$DATA"

# 2. database
LOAD_S="(already loaded)"
if ! psql -X -qAt -d "$DB" -c "SELECT 1 FROM lo_rung LIMIT 1" >/dev/null 2>&1; then
    psql -X -q -d postgres -c "CREATE DATABASE $DB" 2>/dev/null || true
    psql -X -q -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
    t0=$(date +%s.%N)
    ogr2ogr -f PostgreSQL "PG:dbname=$DB" "$DATA/plots-$N.gpkg" lo_rung -nln lo_rung -lco GEOMETRY_NAME=geom
    LOAD_S=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$t0" "$(date +%s.%N)")
    ogr2ogr -f PostgreSQL "PG:dbname=$DB" GeoData/localities.geojson -nln districts -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI -overwrite
    psql -X -q -d "$DB" -c "VACUUM ANALYZE"
fi
sed -e "s#source: \"plots-$N.gpkg\"#source: \"PG:dbname=$DB\"#" -e "s#layer: lo_rung#layer: public.lo_rung#" \
    -e "s#source: \"../GeoData/localities.geojson\"#source: \"PG:dbname=$DB\"\n  layer: districts#" \
    -e "s#(gpkg)#(PostGIS)#" "$DATA/manifest-$N-gpkg.yaml" > "$DATA/manifest-$N-pg.yaml"

# 3. runs
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
run_geomonitor() {  # NAME MANIFEST
    local walls=() rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$OUT/pg-time" "$BIN" progress --target afforestation-2024 --as-of 2024-12-31 --format json \
            --manifest "$2" --timings > "$OUT/pg-$1-$N.json" 2> "$OUT/pg-$1-$N.err"
        read -r w m < "$OUT/pg-time"; walls+=("$w"); rss=$m
    done
    echo "$(best "${walls[@]}") $((rss / 1024))"
}
say "== geomonitor over the GeoPackage"; read -r GPKG_S GPKG_MB < <(run_geomonitor gpkg "$DATA/manifest-$N-gpkg.yaml")
say "== geomonitor over PostGIS";       read -r PG_S PG_MB < <(run_geomonitor pg "$DATA/manifest-$N-pg.yaml")

SQL="
WITH d AS (SELECT ma_huyen AS code, geom AS g4326, ST_Transform(geom, 5899) AS g FROM districts)
SELECT d.code, sum(CASE WHEN ST_CoveredBy(p.geom, d.g) THEN ST_Area(ST_Transform(p.geom, 4326)::geography)
                        ELSE ST_Area(ST_Intersection(ST_Transform(p.geom, 4326), d.g4326)::geography) END) / 10000
FROM lo_rung p JOIN d ON p.geom && d.g AND ST_Intersects(p.geom, d.g)
WHERE p.trang_thai = 'hoàn thành' AND p.ngay BETWEEN '2024-01-01' AND '2024-12-31'
GROUP BY d.code ORDER BY d.code;"
say "== expert PostGIS SQL"
walls=()
for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e" -o "$OUT/pg-time" psql -X -qAt -F, -d "$DB" -c "$SQL" > "$OUT/pg-sql-$N.csv"
    walls+=("$(cat "$OUT/pg-time")")
done
SQL_S=$(best "${walls[@]}")
PLAN=$(psql -X -qAt -d "$DB" -c "EXPLAIN $SQL" | grep -c "Index Scan using lo_rung_geom_geom_idx" || true)

# 4. check and table
set +e
python3 - "$OUT/pg-gpkg-$N.json" "$OUT/pg-pg-$N.json" "$OUT/pg-sql-$N.csv" <<'PY'
import json, sys
def ha(path):
    t = json.load(open(path))["targets"][0]
    return {l["code"]: l["achieved"] for l in t["localities"]}
g, p = ha(sys.argv[1]), ha(sys.argv[2])
s = {c: float(v) for c, v in (line.strip().split(",") for line in open(sys.argv[3]) if line.strip())}
bad = [c for c in g if abs(g[c] - p.get(c, -1)) > 1e-6]
far = [c for c in g if abs(g[c] - s.get(c, 0)) > 1e-4 * max(1.0, g[c])]
print(f"districts: {len(g)}; GeoPackage vs PostGIS differ in {len(bad)}; SQL differs by more than 0.01 % in {len(far)}", file=sys.stderr)
for c in sorted(g): print(f"  {c}: gpkg {g[c]:.6f} ha, PG: {p.get(c, float('nan')):.6f} ha, SQL {s.get(c, float('nan')):.6f} ha", file=sys.stderr)
sys.exit(1 if bad or far else 0)
PY
CHECK=$?
set -e
{
    echo "| $(printf "%'d" "$N") plots, afforestation-2024 by district | wall | max RSS |"
    echo "|---|---:|---:|"
    echo "| geomonitor progress, GeoPackage | ${GPKG_S} s | ${GPKG_MB} MB |"
    echo "| geomonitor progress, PostGIS (\`PG:\` manifest) | ${PG_S} s | ${PG_MB} MB |"
    echo "| expert PostGIS SQL (GiST join, ST_Intersection on border-crossers, ST_Area on geography) | ${SQL_S} s | (server) |"
    echo "| ogr2ogr load of the register into PostGIS | ${LOAD_S} | |"
    echo
    echo "GiST index used by the SQL: $([ "$PLAN" -gt 0 ] && echo yes || echo no); per-district figures agree: $([ $CHECK -eq 0 ] && echo yes || echo NO)"
} | tee "$DATA/postgis-$N.md"
exit $CHECK
