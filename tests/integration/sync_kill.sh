#!/usr/bin/env bash
# okdf sync killed with SIGKILL at random instants, many times, then resumed
# with --once: the database is exactly what one clean run gives.
source "$(dirname "$0")/lib.sh"

# The report caps (2/min) would only make this test slow, not stricter.
export OKDF_SIM_KLAVIYO_STRICT=0
args=(--no-throttle --seed 31 --orders 3000 --days 30)
start_sim clean "${args[@]}" --truth "$WORK/truth.json"
start_sim killed "${args[@]}"

"$OKDF" --db "$WORK/clean.db" --config "$WORK/clean.ini" sync --once

kills=0
for i in $(seq 15); do
  "$OKDF" --db "$WORK/killed.db" --config "$WORK/killed.ini" sync >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((50 + RANDOM % 350)))"
  if kill -KILL "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
done
echo "killed okdf sync $kills times"
sqlite3 "$WORK/killed.db" "PRAGMA integrity_check" | grep -qx ok

"$OKDF" --db "$WORK/killed.db" --config "$WORK/killed.ini" sync --once
check_truth "$WORK/killed.db" "$WORK/truth.json"
canonical_dump "$WORK/clean.db" >"$WORK/clean.txt"
canonical_dump "$WORK/killed.db" >"$WORK/killed.txt"
cmp "$WORK/clean.txt" "$WORK/killed.txt" || { diff "$WORK/clean.txt" "$WORK/killed.txt" | head -20 >&2; exit 1; }
echo "1 passed, 0 failed"
