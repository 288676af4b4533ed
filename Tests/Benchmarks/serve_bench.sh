#!/usr/bin/env bash
# Load benchmark of `geomonitor serve` over a large register, on loopback only (127.0.0.1):
#   1. 100-item pages at random offsets, 64 connections (wrk)
#   2. single items by random id, 64 connections (wrk)
#   3. cheap requests (/conformance, single items, a filtered 10-item page) on 4 connections,
#      their p99, while 8 connections send expensive ones (a new as_of each time: a progress run;
#      10,000-item pages; every filter at once)
#   4. (when chromium and libjs-leaflet are installed) the Leaflet map over the register in headless
#      Chromium: console errors, bbox requests after a zoom, screenshot bench-data/map-<N>.png
# Bounded: DURATION seconds per run (default 10). Prints a Markdown table and exits non-zero when
# a figure falls below MIN_RATIO (default 0.7) of the README's, or the cheap p99 exceeds 50 ms.
#
# Env: MANIFEST (default bench-data/manifest-200000-gpkg.yaml; make it with
#      `python3 Tests/Benchmarks/make_register.py 200000 bench-data`), GEOMONITOR_BIN (default
#      .build/release/geomonitor), DURATION, CONNECTIONS (64), THREADS (2), MIN_RATIO.
set -euo pipefail
cd "$(dirname "$0")/../.."
MANIFEST=${MANIFEST:-bench-data/manifest-200000-gpkg.yaml}
BIN=${GEOMONITOR_BIN:-.build/release/geomonitor}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
MIN_RATIO=${MIN_RATIO:-0.7}
# The README's figures (req/s) this benchmark holds.
PAGES_TARGET=3192
ITEMS_TARGET=11299
command -v wrk >/dev/null || { echo "serve_bench: wrk not found (apt-get install wrk)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "serve_bench: $BIN not built (swift build -c release --product geomonitor)" >&2; exit 2; }
[ -f "$MANIFEST" ] || { echo "serve_bench: $MANIFEST not found (python3 Tests/Benchmarks/make_register.py 200000 bench-data)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

start=$(date +%s.%N)
"$BIN" serve --manifest "$MANIFEST" --host 127.0.0.1 --port 0 2>"$work/serve.log" >/dev/null &
server=$!
base=""
for _ in $(seq 1 1200); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 || true)
  [ -n "$base" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "serve_bench: the server did not start" >&2; exit 1; }
ready=$(echo "$(date +%s.%N) - $start" | bc)
rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$server/status)
count=$(curl -s "$base/collections/projects/items?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberMatched"])')

# 1,000 project ids for the single-item run, as a Lua table.
curl -s "$base/collections/projects/items?limit=1000&offset=$((count / 3))" | python3 -c '
import json, sys, urllib.parse
ids = [urllib.parse.quote(f["id"], safe="") for f in json.load(sys.stdin)["features"]]
print("ids = {" + ",".join(json.dumps(i) for i in ids) + "}")' > "$work/ids.lua"
cat > "$work/pages.lua" <<LUA
math.randomseed(7)
request = function() return wrk.format("GET", "/collections/projects/items?limit=100&offset=" .. math.random(0, $count - 100)) end
LUA
cat "$work/ids.lua" - > "$work/items.lua" <<'LUA'
math.randomseed(11)
request = function() return wrk.format("GET", "/collections/projects/items/" .. ids[math.random(1, #ids)]) end
LUA
cat "$work/ids.lua" - > "$work/cheap.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  if n % 3 == 0 then return wrk.format("GET", "/conformance") end
  if n % 3 == 1 then return wrk.format("GET", "/collections/projects/items/" .. ids[1 + n % #ids]) end
  return wrk.format("GET", "/collections/projects/items?limit=10&status=completed&offset=" .. (n % 1000))
end
LUA
cat > "$work/expensive.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  if n % 3 == 0 then
    local day = n % 700
    return wrk.format("GET", string.format("/collections/progress/items?as_of=%04d-%02d-%02d", 2023 + math.floor(day / 336), 1 + math.floor(day / 28) % 12, 1 + day % 28))
  end
  if n % 3 == 1 then return wrk.format("GET", "/collections/projects/items?limit=10000&offset=" .. ((n * 7919) % 150000)) end
  return wrk.format("GET", "/collections/projects/items?limit=1000&status=completed,planned&kind=forest_planting&datetime=2020-01-01/..&offset=" .. (n % 20) * 1000)
end
LUA

rate() { awk '/Requests\/sec/ {print int($2)}' "$1"; }
ms() {  # the latency percentile $2 (e.g. 99%) of a wrk --latency report, in ms
  awk -v p="$2" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.1f", v }' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1" | tr '\n' ' '; }

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/pages.lua" "$base" > "$work/pages.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/items.lua" "$base" > "$work/items.txt"
wrk -t1 -c4 -d"${DURATION}s" --latency -s "$work/cheap.lua" "$base" > "$work/cheap-alone.txt"
wrk -t1 -c8 -d"$((DURATION + 2))s" --timeout 30s -s "$work/expensive.lua" "$base" > "$work/expensive.txt" &
heavy=$!
sleep 1
wrk -t1 -c4 -d"${DURATION}s" --latency -s "$work/cheap.lua" "$base" > "$work/cheap.txt"
wait "$heavy"
rss_after=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$server/status)

map="not run (chromium or libjs-leaflet missing)"
if command -v chromium >/dev/null && [ -f /usr/share/javascript/leaflet/leaflet.js ]; then
  mkdir -p bench-data
  shot="bench-data/map-$count.png"
  python3 Tests/GeoMonitorServerTests/Scripts/map_check.py "$(command -v chromium)" "$base/map" "$shot" 4 > "$work/map.json" || true
  map=$(python3 - "$work/map.json" "$shot" <<'PY'
import json, sys, urllib.parse
r = json.load(open(sys.argv[1]))
def box(u): return urllib.parse.parse_qs(urllib.parse.urlparse(u).query).get("bbox", ["?"])[0]
print("loaded %s, %s console errors, %d localities, %s plots in the first view, %d bbox requests after the zoom (last bbox %s), %s plots drawn after it; screenshot %s%s" % (
    r.get("loaded"), len(r.get("errors", [])), r.get("localities") or 0, r.get("plotsBefore"), len(r.get("after", [])),
    box(r["after"][-1]) if r.get("after") else "-", r.get("plotsAfter"), sys.argv[2], (" FAILURE " + r["failure"]) if "failure" in r else ""))
PY
)
fi

pages=$(rate "$work/pages.txt"); items=$(rate "$work/items.txt")
cheap_p99=$(ms "$work/cheap.txt" 99%); cheap_p50=$(ms "$work/cheap.txt" 50%)
alone_p99=$(ms "$work/cheap-alone.txt" 99%)
heavy_rate=$(awk '/Requests\/sec/ {print $2}' "$work/expensive.txt")
cat <<TABLE
| over $count plots ($MANIFEST) | figure |
|---|---:|
| ready after | ${ready%.*} s, ${rss} MB |
| 100-item pages, $CONNECTIONS connections | $pages req/s (p50 $(ms "$work/pages.txt" 50%) ms, p99 $(ms "$work/pages.txt" 99%) ms) $(errors "$work/pages.txt") |
| single items, $CONNECTIONS connections | $items req/s (p50 $(ms "$work/items.txt" 50%) ms, p99 $(ms "$work/items.txt" 99%) ms) $(errors "$work/items.txt") |
| cheap requests alone, 4 connections | p50 $(ms "$work/cheap-alone.txt" 50%) ms, p99 $alone_p99 ms |
| cheap requests while 8 connections send expensive ones | p50 $cheap_p50 ms, p99 $cheap_p99 ms ($heavy_rate expensive req/s $(errors "$work/expensive.txt")) |
| memory after the runs | ${rss_after} MB |
| web map | $map |
TABLE
ok=1
awk -v a="$pages" -v t="$PAGES_TARGET" -v r="$MIN_RATIO" 'BEGIN { exit !(a >= t * r) }' || { echo "BELOW: 100-item pages $pages req/s < $MIN_RATIO × $PAGES_TARGET"; ok=0; }
awk -v a="$items" -v t="$ITEMS_TARGET" -v r="$MIN_RATIO" 'BEGIN { exit !(a >= t * r) }' || { echo "BELOW: single items $items req/s < $MIN_RATIO × $ITEMS_TARGET"; ok=0; }
awk -v a="$cheap_p99" 'BEGIN { exit !(a <= 50) }' || { echo "ABOVE: cheap p99 $cheap_p99 ms > 50 ms"; ok=0; }
[ "$ok" = 1 ]
