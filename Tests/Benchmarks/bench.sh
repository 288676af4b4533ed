#!/usr/bin/env bash
# bench.sh — geomonitor's afforestation benchmark, in one command (from anywhere):
#
#     bash Tests/Benchmarks/bench.sh              # 10k, 200k, 1M plots (GPKG) + 200k GeoJSON
#     SIZES="10000 200000" bash Tests/Benchmarks/bench.sh
#
# 1. builds geomonitor in release into .build-bench/ (git-ignored), with the Swift runtime linked
#    in (`--static-swift-stdlib`, as the README's quick start builds it);
# 2. generates the synthetic registers into bench-data/ (git-ignored) when missing
#    (make_register.py; needs python3 with numpy, shapely 2, pyproj, pyogrio);
# 3. times `geomonitor progress --target afforestation-2024 --as-of 2024-12-31 --format json
#    --manifest …` with /usr/bin/time -v (wall time, max RSS), and with --timings when the binary
#    has it (its phase lines are printed after the table);
# 4. times `ogrinfo -al -so` and a GDAL read floor: `ogrinfo -al -q FILE >/dev/null` reads and
#    prints every feature (its time is mostly WKT formatting), and the same with -geom=SUMMARY
#    (every geometry still parsed, no WKT), the tighter floor;
# 5. when geopandas is importable, runs compare_geopandas.py --check on geomonitor's JSON
#    (per-district geodesic hectares to 0.1 %) and reports its planar job's wall time;
# 6. prints a Markdown table (also written to bench-data/results.md).
#
# Environment: SIZES (GPKG sizes, default "10000 200000 1000000"), GEOJSON_SIZES (default
# "200000"), SKIP_BUILD=1 (use the existing .build-bench binary), GEOMONITOR_BIN=PATH (time that
# binary, no build), SKIP_GEOPANDAS=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/Tests/Benchmarks"
DATA="$ROOT/bench-data"
SIZES="${SIZES-10000 200000 1000000}"
GEOJSON_SIZES="${GEOJSON_SIZES-200000}"
BIN="$ROOT/.build-bench/release/geomonitor"
OUT="$DATA/out"
mkdir -p "$DATA" "$OUT"
cd "$ROOT"

say() { printf '%s\n' "$*" >&2; }

[ -x /usr/bin/time ] || { say "bench.sh: /usr/bin/time is missing (apt-get install time)"; exit 1; }

# 1. build ------------------------------------------------------------------------------------
if [ -n "${GEOMONITOR_BIN:-}" ]; then
    BIN="$GEOMONITOR_BIN"                       # a binary built elsewhere: no build
else
    if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$BIN" ]; then
        say "== swift build -c release --static-swift-stdlib --product geomonitor --scratch-path .build-bench"
        swift build -c release --static-swift-stdlib --product geomonitor --scratch-path .build-bench >&2
    fi
    BIN="$(swift build -c release --static-swift-stdlib --product geomonitor --scratch-path .build-bench --show-bin-path)/geomonitor"
fi
[ -x "$BIN" ] || { say "bench.sh: no binary at $BIN"; exit 1; }

TIMINGS=""
if "$BIN" progress --help 2>&1 | grep -q -- '--timings'; then TIMINGS="--timings"; fi

HAVE_GPD=0
if [ "${SKIP_GEOPANDAS:-0}" != 1 ] && python3 -c 'import geopandas, pyogrio, shapely, pyproj' 2>/dev/null; then
    HAVE_GPD=1
fi

# 2. data -------------------------------------------------------------------------------------
need=""
for n in $SIZES $GEOJSON_SIZES; do
    case " $need " in *" $n "*) ;; *) need="$need $n";; esac
done
for n in $need; do
    if [ ! -s "$DATA/plots-$n.gpkg" ] || [ ! -s "$DATA/plots-$n.geojson" ] \
       || [ ! -s "$DATA/manifest-$n-gpkg.yaml" ] || [ ! -s "$DATA/manifest-$n-geojson.yaml" ]; then
        say "== make_register.py $n"
        python3 "$HERE/make_register.py" "$n" "$DATA" >/dev/null
    fi
done

# helpers ---------------------------------------------------------------------------------------
# timed LOG CMD...: runs CMD under /usr/bin/time -v, stdout to LOG.stdout, stderr (with time's
# report) to LOG.stderr; sets WALL (s) and RSS (MB). Returns the command's status.
timed() {
    local log="$1"; shift
    local rc=0
    /usr/bin/time -v "$@" >"$log.stdout" 2>"$log.stderr" || rc=$?
    WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$log.stderr")"
    RSS="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.stderr")"
    return $rc
}

fmt_count() { printf "%'d" "$1" 2>/dev/null || printf "%d" "$1"; }

ROWS=()
NOTES=()
run_case() {
    local n="$1" fmt="$2"
    local manifest="$DATA/manifest-$n-$fmt.yaml" file="$DATA/plots-$n.$fmt"
    local tag="$n-$fmt" log="$OUT/$n-$fmt"
    say "== $tag: geomonitor progress"
    local gm_wall="fail" gm_rss="" gm_ok=1
    if timed "$log.geomonitor" "$BIN" progress --target afforestation-2024 --as-of 2024-12-31 \
            --format json --manifest "$manifest" $TIMINGS; then
        gm_wall="$WALL"; gm_rss="$RSS"
        cp "$log.geomonitor.stdout" "$OUT/geomonitor-$tag.json"
    else
        gm_ok=0; gm_rss="$RSS"
        NOTES+=("$tag: geomonitor failed: $(grep -v -E '^\s|Command being timed|^$' "$log.geomonitor.stderr" | head -3 | tr '\n' ' ')")
    fi
    if [ -n "$TIMINGS" ] && [ $gm_ok = 1 ]; then
        # geomonitor's own stderr: every line but /usr/bin/time's report (tab-indented)
        local t
        t="$(grep -v -P '^\t' "$log.geomonitor.stderr" | grep -v '^$' || true)"
        [ -n "$t" ] && NOTES+=("" "$tag, geomonitor stderr with --timings:" "$(printf '%s\n' "$t" | sed 's/^/    /')")
    fi

    # The other outputs over the same register: the province map, the GeoJSON export of every
    # plot, and a box query (its `query` phase is the answer time once the index is built).
    local map_wall="–" exp_wall="–" q_ms="–"
    if [ "$fmt" = gpkg ]; then
        say "== $tag: geomonitor map / export geojson / query --bbox"
        if timed "$log.map" "$BIN" map --target afforestation-2024 --as-of 2024-12-31 --manifest "$manifest" \
                --out "$OUT/map-$tag.svg"; then map_wall="$WALL"; fi
        if timed "$log.export" "$BIN" export geojson --layer projects --manifest "$manifest" \
                --out "$OUT/projects-$tag.geojson"; then exp_wall="$WALL"; fi
        rm -f "$OUT/projects-$tag.geojson"
        if timed "$log.query" "$BIN" query --bbox 108.30,11.80,108.45,11.95 --format csv --manifest "$manifest" $TIMINGS; then
            q_ms="$(awk '/timing: query/ { printf "%.1f", $3 * 1000 }' "$log.query.stderr")"
            local idx
            idx="$(awk '/timing: index/ { printf "%.0f", $3 * 1000 }' "$log.query.stderr")"
            [ -n "$idx" ] && q_ms="$q_ms (index $idx ms)"
        fi
    fi

    say "== $tag: ogrinfo -al -so"
    timed "$log.ogrinfo-so" ogrinfo -al -so "$file" || true
    local so_wall="$WALL"
    say "== $tag: ogrinfo -al -q (reads every feature)"
    timed "$log.ogrinfo-read" ogrinfo -al -q "$file" || true
    local rd_wall="$WALL" rd_rss="$RSS"
    rm -f "$log.ogrinfo-read.stdout"
    say "== $tag: ogrinfo -al -q -geom=SUMMARY (reads every feature, prints no WKT)"
    timed "$log.ogrinfo-summary" ogrinfo -al -q -geom=SUMMARY "$file" || true
    local sm_wall="$WALL"
    rm -f "$log.ogrinfo-summary.stdout"

    local gp_wall="" check=""
    if [ $HAVE_GPD = 1 ] && [ $gm_ok = 1 ]; then
        say "== $tag: compare_geopandas.py --check"
        local rc=0
        python3 "$HERE/compare_geopandas.py" "$manifest" --check "$OUT/geomonitor-$tag.json" \
            --geomonitor-seconds "$gm_wall" >"$log.geopandas.txt" 2>&1 || rc=$?
        gp_wall="$(awk '/total \(planar job\)/ { print $NF }' "$log.geopandas.txt")"
        local gp_geod
        gp_geod="$(awk '/total with geodesic areas/ { print $NF }' "$log.geopandas.txt")"
        [ -n "$gp_geod" ] && gp_wall="$gp_wall ($gp_geod)"
        if [ $rc = 0 ]; then check="ok"
        elif grep -q "districts agree" "$log.geopandas.txt"; then
            check="$(grep "districts agree" "$log.geopandas.txt" | sed 's/check: //; s/ districts agree.*//') agree"
            NOTES+=("$tag: check failed, see $log.geopandas.txt")
        else
            check="error"; NOTES+=("$tag: compare_geopandas failed, see $log.geopandas.txt")
        fi
    fi
    ROWS+=("| $(fmt_count "$n") | $fmt | $(du -m "$file" | cut -f1) | $gm_wall | $gm_rss | ${gp_wall:-–} | ${check:-–} | $map_wall | $exp_wall | $q_ms | $so_wall | $rd_wall | $sm_wall | $rd_rss |")
}

for n in $SIZES; do run_case "$n" gpkg; done
for n in $GEOJSON_SIZES; do run_case "$n" geojson; done

# 5b. realistic boundaries ------------------------------------------------------------------------
# Detailed borders (make_boundaries.py: 12 districts of ~5,000 vertices, 124 communes of ~3,600,
# 446,000 vertices in all, WGS 84 GeoJSON) over the same register stored in WGS 84 (GeoPackage and
# FlatGeobuf) and in VN-2000 (GeoPackage): geomonitor, the expert GeoPandas script (planar, the fair
# anchor) and the GDAL read floor (read_floor.c: one core, every feature, every vertex), as ratios
# from the same run: each the median of REPEAT runs (default 3). REAL_SIZES (default "200000"; ""
# to skip).
REAL_ROWS=()
FLOOR="$OUT/read_floor"
REPEAT="${REPEAT:-3}"
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
real_case() {
    local n="$1" bounds="$2" tag="$3" file="$4"
    local manifest="$DATA/real-$bounds-$n-$tag.yaml" log="$OUT/real-$bounds-$n-$tag"
    say "== real $bounds $n $tag: geomonitor progress ($REPEAT runs, then one with --timings)"
    local gm="fail" rss="" gp="" gp2="" gps2="" floor="" check="–" nocopy="–" walls="" gps="" floors="" k
    # Without the boundary copy (README "Boundary copies"): GDAL parses the GeoJSON every time.
    GEOMONITOR_CACHE=off timed "$log.nocopy" "$BIN" progress --target afforestation-2024 --as-of 2024-12-31 --format json \
        --manifest "$manifest" && nocopy="$WALL"
    for k in $(seq 1 "$REPEAT"); do
        if timed "$log.geomonitor" "$BIN" progress --target afforestation-2024 --as-of 2024-12-31 --format json \
                --manifest "$manifest"; then
            walls="$walls $WALL"; rss="$RSS"; cp "$log.geomonitor.stdout" "$log.json"
        else
            NOTES+=("real $bounds $n $tag: geomonitor failed: $(grep -v -E '^\s|Command being timed|^$' "$log.geomonitor.stderr" | head -3 | tr '\n' ' ')")
            walls=""; break
        fi
    done
    if [ -n "$walls" ]; then
        gm="$(echo "$walls" | median)"
        if [ -n "$TIMINGS" ] && timed "$log.timings" "$BIN" progress --target afforestation-2024 --as-of 2024-12-31 \
                --format json --manifest "$manifest" $TIMINGS; then
            local t; t="$(grep '^timing:' "$log.timings.stderr" | tr -s ' ' | tr '\n' ';' || true)"
            [ -n "$t" ] && NOTES+=("real $bounds $n $tag: runs$walls s; with --timings $WALL s: $t")
        fi
    fi
    for k in $(seq 1 "$REPEAT"); do floors="$floors $("$FLOOR" "$DATA/$file" lo_rung | awk '{ print $5 }')"; done
    floor="$(echo "$floors" | median)"
    if [ $HAVE_GPD = 1 ] && [ "$gm" != fail ]; then
        say "== real $bounds $n $tag: compare_geopandas.py --check ($REPEAT runs)"
        local rc=0
        python3 "$HERE/compare_geopandas.py" "$manifest" --check "$log.json" --geomonitor-seconds "$gm" >"$log.geopandas.txt" 2>&1 || rc=$?
        gps="$(awk '/total \(planar job\)/ { print $NF }' "$log.geopandas.txt")"
        for k in $(seq 2 "$REPEAT"); do
            gps="$gps $(python3 "$HERE/compare_geopandas.py" "$manifest" 2>/dev/null | awk '/total \(planar job\)/ { print $NF }')"
        done
        gp="$(echo "$gps" | median)"
        # The same script reading the boundaries from a FlatGeobuf, as geomonitor reads its
        # boundary copy: the same boundary input on both sides.
        local variant="$DATA/real-$bounds-$n-$tag-fgb-boundaries.yaml"
        sed -e "s#source: \"$bounds-detailed.geojson\"#source: \"$bounds-detailed.fgb\"#" "$manifest" >"$variant"
        for k in $(seq 1 "$REPEAT"); do
            gps2="$gps2 $(python3 "$HERE/compare_geopandas.py" "$variant" 2>/dev/null | awk '/total \(planar job\)/ { print $NF }')"
        done
        gp2="$(echo "$gps2" | median)"
        NOTES+=("real $bounds $n $tag: GeoPandas planar runs $gps s (GeoJSON boundaries),$gps2 s (FlatGeobuf boundaries); read floor runs$floors s")
        if [ $rc = 0 ]; then check="ok"; else check="$(grep -o '[0-9]*/[0-9]* [a-z]* agree' "$log.geopandas.txt" | head -1)"; check="${check:-fail}"; fi
    fi
    local r_gp="–" r_fl="–" r_gp2="–"
    [ -n "$gp" ] && [ "$gm" != fail ] && r_gp="$(awk -v a="$gm" -v b="$gp" 'BEGIN { printf "%.2f", a / b }')"
    [ -n "$gp2" ] && [ "$gm" != fail ] && r_gp2="$(awk -v a="$gm" -v b="$gp2" 'BEGIN { printf "%.2f", a / b }')"
    [ -n "$floor" ] && [ "$gm" != fail ] && r_fl="$(awk -v a="$gm" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')"
    REAL_ROWS+=("| $bounds | $(fmt_count "$n") | $tag | $gm | $nocopy | $rss | ${gp:-–} | $r_gp | ${gp2:-–} | $r_gp2 | ${floor:-–} | $r_fl | $check |")
}
REAL_SIZES="${REAL_SIZES-200000}"
if [ -n "$REAL_SIZES" ]; then
    if [ ! -s "$DATA/communes-detailed.geojson" ] || [ ! -s "$DATA/districts-detailed.geojson" ]; then
        say "== make_boundaries.py"; python3 "$HERE/make_boundaries.py" "$DATA" >&2
    fi
    cc -O2 "$HERE/ReadFloor/read_floor.c" $(gdal-config --cflags) $(gdal-config --libs) -o "$FLOOR"
    # Boundary copies (README "Boundary copies") in a folder of this run's own, made here once
    # (the time to make them is reported) so every timed run below reads them.
    export GEOMONITOR_CACHE_DIR="$OUT/boundary-copies"
    rm -rf "$GEOMONITOR_CACHE_DIR"
    for bounds in districts communes; do
        [ -s "$DATA/$bounds-detailed.fgb" ] \
            || ogr2ogr -f FlatGeobuf "$DATA/$bounds-detailed.fgb" "$DATA/$bounds-detailed.geojson" >&2
        printf 'name: copy\nlocalities:\n  source: "%s"\n  fields: %s\nprojects: []\n' "$DATA/$bounds-detailed.geojson" \
            "$([ $bounds = districts ] && echo '{code: ma_huyen, name: ten_huyen}' || echo '{code: ma_xa, name: ten_xa}')" >"$OUT/copy-$bounds.yaml"
        timed "$OUT/copy-$bounds" "$BIN" localities --manifest "$OUT/copy-$bounds.yaml" \
            && NOTES+=("boundary copy of $bounds-detailed.geojson made (with the localities command) in $WALL s")
    done
    for n in $REAL_SIZES; do
        [ -s "$DATA/plots-$n.gpkg" ] || python3 "$HERE/make_register.py" "$n" "$DATA" >/dev/null
        [ -s "$DATA/plots-$n-wgs84.gpkg" ] || ogr2ogr -f GPKG -t_srs EPSG:4326 -nln lo_rung "$DATA/plots-$n-wgs84.gpkg" "$DATA/plots-$n.gpkg"
        [ -s "$DATA/plots-$n-wgs84.fgb" ] || ogr2ogr -f FlatGeobuf -t_srs EPSG:4326 -nln lo_rung "$DATA/plots-$n-wgs84.fgb" "$DATA/plots-$n.gpkg"
        for bounds in districts communes; do
            if [ "$bounds" = districts ]; then fields='{code: ma_huyen, name: ten_huyen, type: loai, parent: ma_tinh}'; else fields='{code: ma_xa, name: ten_xa, type: loai}'; fi
            for pair in "wgs84-gpkg:plots-$n-wgs84.gpkg" "vn2000-gpkg:plots-$n.gpkg" "wgs84-fgb:plots-$n-wgs84.fgb"; do
                tag="${pair%%:*}"; file="${pair#*:}"
                cat >"$DATA/real-$bounds-$n-$tag.yaml" <<YAML
name: "Synthetic register, $n plots, detailed $bounds ($tag) — benchmark data, not real"
working_crs: EPSG:5899
localities:
  source: "$bounds-detailed.geojson"
  fields: $fields
projects:
  - source: "$file"
    layer: lo_rung
    kind: forest_planting
    fields: {id: ma_lo, status: trang_thai, date: ngay, trees: so_cay}
    values:
      status: {"hoàn thành": completed, "đang trồng": under_construction, "kế hoạch": planned}
targets: "../GeoData/targets-2024.yaml"
YAML
                real_case "$n" "$bounds" "$tag" "$file"
            done
        done
        # The other jobs on the communes, WGS 84 GeoPackage.
        m="$DATA/real-communes-$n-wgs84-gpkg.yaml"
        timed "$OUT/real-map" "$BIN" map --target afforestation-2024 --as-of 2024-12-31 --manifest "$m" --out "$OUT/real-map.svg" \
            && NOTES+=("real communes $n wgs84-gpkg: map ${WALL} s, ${RSS} MB, $(du -k "$OUT/real-map.svg" | cut -f1) KB SVG")
        timed "$OUT/real-export" "$BIN" export geojson --layer progress --target afforestation-2024 --as-of 2024-12-31 --manifest "$m" --out "$OUT/real-progress.geojson" \
            && NOTES+=("real communes $n wgs84-gpkg: export geojson --layer progress ${WALL} s")
        start=$(date +%s.%N)
        "$BIN" serve --manifest "$m" --port 0 >"$OUT/real-serve.log" 2>&1 &
        spid=$!
        for _ in $(seq 1 600); do grep -q -i 'http://' "$OUT/real-serve.log" && break; sleep 0.1; done
        ready=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
        kill $spid 2>/dev/null; wait $spid 2>/dev/null || true
        NOTES+=("real communes $n wgs84-gpkg: serve ready in $ready s")
    done
fi

# 6. report -----------------------------------------------------------------------------------
{
    echo "### geomonitor progress --target afforestation-2024 --as-of 2024-12-31 --format json"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), $(ogrinfo --version | cut -d, -f1), binary $BIN${TIMINGS:+ (with --timings)}"
    echo
    echo "| plots | format | MB | geomonitor s | geomonitor max RSS MB | GeoPandas s planar (+geodesic) | per-district check | map s | export geojson (all plots) s | query --bbox ms | ogrinfo -al -so s | GDAL read floor s: ogrinfo -al -q | same, -geom=SUMMARY | floor RSS MB |"
    echo "|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    if [ ${#REAL_ROWS[@]} -gt 0 ]; then
        echo
        echo "### Realistic boundaries (make_boundaries.py), same command, medians of $REPEAT runs"
        echo
        echo "| boundaries | plots | register | geomonitor s | same, no boundary copy s | max RSS MB | GeoPandas planar s | ÷ GeoPandas | GeoPandas, FlatGeobuf boundaries s | ÷ that | GDAL read floor s | ÷ floor | per-unit check |"
        echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
        printf '%s\n' "${REAL_ROWS[@]}"
    fi
    if [ ${#NOTES[@]} -gt 0 ]; then
        echo
        printf '%s\n' "${NOTES[@]}"
    fi
} | tee "$DATA/results.md"
