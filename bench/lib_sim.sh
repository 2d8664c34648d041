# Shared by bench/bulk and bench/ingest: the binaries, a scratch directory
# removed on exit, a fixed clock, and okdf-sim started on a free port.
# The caller sets build, days and sim_sections (the config sections kept in
# $work/sim.ini, e.g. "[shopify]") before sourcing this.
okdf=$build/src/okdf
sim=$build/src/sim/okdf-sim
for t in "$okdf" "$sim"; do [ -x "$t" ] || { echo "missing $t: build first" >&2; exit 1; }; done
command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 1; }

work=$(mktemp -d)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
now=2026-11-20T15:00:00Z
export OKDF_NOW=$now
seed=42
now_ns() { date +%s%N; }

start_sim() { # N ARGS...: okdf-sim with N orders; $work/sim.ini holds $sim_sections
  local n=$1; shift
  "$sim" --port 0 --print-config --now "$now" --seed $seed --days $days --orders "$n" "$@" \
    >"$work/sim.out" 2>"$work/sim.err" &
  sim_pid=$!
  for _ in $(seq 1200); do grep -q '^\[sync\]' "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
  grep -q '^\[sync\]' "$work/sim.out" || { cat "$work/sim.err" >&2; exit 1; }
  awk -v keep_list=" $sim_sections " '/^\[/ { keep = index(keep_list, " " $0 " ") > 0 } keep' \
    "$work/sim.out" >"$work/sim.ini"
  chmod 600 "$work/sim.ini"
}
stop_sim() { kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=; }
