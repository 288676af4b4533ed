#!/usr/bin/env bash
# Builds the DocC documentation of the library modules and fails on any DocC warning (unresolved
# symbol links, undocumented parameters …) or any public symbol without a doc comment.
#
#   Tests/Docs/check-docs.sh                 # scratch path .build
#   SCRATCH=.build-docs Tests/Docs/check-docs.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH="${SCRATCH:-.build}"
TARGETS=(GeoMonitor GeoKit GDALKit PrintKit GeoMonitorServer)
args=()
for t in "${TARGETS[@]}"; do args+=(--target "$t"); done
swift package --scratch-path "$SCRATCH" generate-documentation "${args[@]}" \
    --experimental-skip-synthesized-symbols \
    --experimental-documentation-coverage --coverage-summary-level brief \
    --warnings-as-errors
archives=()
for t in "${TARGETS[@]}"; do archives+=("$SCRATCH/plugins/Swift-DocC/outputs/$t.doccarchive"); done
swift Tests/Docs/doc-coverage.swift "${archives[@]}"
