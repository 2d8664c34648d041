#!/usr/bin/env bash
# Dashboard refresh benchmark over 1,000,000 generated orders.
# usage: bench/metrics/run.sh [--smoke] [BUILD_DIR] [RUNS]
# The store is generated once into $OKDF_BENCH_DB (default
# /tmp/okdf-bench-metrics.db) and reused; delete it to regenerate.
# --smoke: 20,000 orders in a scratch store, 3 runs, in seconds; checks the
# refresh, baseline and 30-day figures were all printed.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=${1:-$here/build}
runs=${2:-20}
db=${OKDF_BENCH_DB:-/tmp/okdf-bench-metrics.db}
command -v sqlite3 >/dev/null || { echo "run.sh: needs the sqlite3 shell" >&2; exit 2; }
meson compile -C "$build" bench_metrics >/dev/null
if [ $smoke = 0 ]; then
	exec "$build/bench/bench_metrics" "$db" "$runs"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/bench_metrics" "$work/smoke.db" 3 20000 | tee "$work/out"
num='[0-9]+\.[0-9]+'
grep -Eq "^metrics_dashboard_compute: median $num ms over 3 runs" "$work/out" &&
	grep -Eq "^baseline \(sqlite3 shell, plain SQL\): median $num ms" "$work/out" &&
	grep -Eq '^30d: net [1-9][0-9]* minor, [1-9][0-9]* orders' "$work/out" &&
	grep -Eq '^store: 20000 orders' "$work/out" ||
	{ echo "smoke: a figure is missing" >&2; exit 1; }
echo "smoke: every figure produced"
