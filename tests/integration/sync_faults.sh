#!/usr/bin/env bash
# With 30% of answers failing (500s, 429s, vendor throttle bodies) and
# truncated JSON (15%: a bulk backfill makes few requests, and each kind must
# show up), okdf sync --once still ends with exactly the database a
# clean run gives, and that database matches --truth. The simulator's own
# count proves every kind of fault was injected, and okdf's health counts
# the throttled answers it waited out.
source "$(dirname "$0")/lib.sh"

args=(--no-throttle --seed 23 --orders 150 --days 30)
start_sim clean "${args[@]}" --truth "$WORK/truth.json"
start_sim faulty "${args[@]}" --fault-rate 0.3 --malformed 0.15

"$OKDF" --db "$WORK/clean.db" --config "$WORK/clean.ini" sync --once
"$OKDF" --db "$WORK/faulty.db" --config "$WORK/faulty.ini" sync --once
check_truth "$WORK/faulty.db" "$WORK/truth.json"
canonical_dump "$WORK/clean.db" >"$WORK/clean.txt"
canonical_dump "$WORK/faulty.db" >"$WORK/faulty.txt"
cmp "$WORK/clean.txt" "$WORK/faulty.txt" || { diff "$WORK/clean.txt" "$WORK/faulty.txt" | head -20 >&2; exit 1; }

kill -TERM "${SIM_PIDS[1]}"
wait "${SIM_PIDS[1]}"
line=$(grep '^okdf-sim: injected faults:' "$WORK/faulty.err") || {
  echo "okdf-sim reported no injected faults" >&2; cat "$WORK/faulty.err" >&2; exit 1; }
echo "$line"
for kind in server_error rate_limited throttle_body truncated; do
  n=$(sed -n "s/.* $kind \([0-9]*\).*/\1/p" <<<"$line")
  [ "${n:-0}" -gt 0 ] || { echo "no $kind fault was injected" >&2; exit 1; }
done
waits=$(sqlite3 "$WORK/faulty.db" "SELECT sum(throttle_waits) FROM connector_health")
echo "faulty run waited out $waits throttled answers"
[ "$waits" -gt 0 ] || { echo "okdf counted no throttled answer" >&2; exit 1; }
echo "1 passed, 0 failed"
