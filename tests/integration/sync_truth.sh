#!/usr/bin/env bash
# okdf sync --once into an empty database matches okdf-sim's --truth exactly;
# a second --once changes nothing.
source "$(dirname "$0")/lib.sh"

start_sim sim --no-throttle --seed 11 --orders 400 --days 40 --truth "$WORK/truth.json"
"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once
check_truth "$WORK/t.db" "$WORK/truth.json"
canonical_dump "$WORK/t.db" >"$WORK/first.txt"
[ "$(sqlite3 "$WORK/t.db" "SELECT group_concat(state) FROM connector_health")" = "ok,ok,ok,ok" ] || {
  sqlite3 "$WORK/t.db" "SELECT * FROM connector_health" >&2; exit 1; }

"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once
canonical_dump "$WORK/t.db" >"$WORK/second.txt"
cmp "$WORK/first.txt" "$WORK/second.txt" || { diff "$WORK/first.txt" "$WORK/second.txt" | head -20 >&2; exit 1; }
echo "1 passed, 0 failed"
