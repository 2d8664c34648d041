#!/usr/bin/env bash
# Dashboard refresh benchmark over 1,000,000 generated orders.
# usage: bench/metrics/run.sh [BUILD_DIR] [RUNS]
# The store is generated once into $OKDF_BENCH_DB (default
# /tmp/okdf-bench-metrics.db) and reused; delete it to regenerate.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
runs=${2:-20}
db=${OKDF_BENCH_DB:-/tmp/okdf-bench-metrics.db}
command -v sqlite3 >/dev/null || { echo "run.sh: needs the sqlite3 shell" >&2; exit 2; }
meson compile -C "$build" bench_metrics >/dev/null
exec "$build/bench/bench_metrics" "$db" "$runs"
