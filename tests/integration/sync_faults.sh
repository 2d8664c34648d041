#!/usr/bin/env bash
# With 30% of answers failing (500s, 429s, vendor throttle bodies) and 5%
# truncated JSON, okdf sync --once still ends with exactly the database a
# clean run gives, and that database matches --truth.
source "$(dirname "$0")/lib.sh"

args=(--no-throttle --seed 23 --orders 150 --days 30)
start_sim clean "${args[@]}" --truth "$WORK/truth.json"
start_sim faulty "${args[@]}" --fault-rate 0.3 --malformed 0.05

"$OKDF" --db "$WORK/clean.db" --config "$WORK/clean.ini" sync --once
"$OKDF" --db "$WORK/faulty.db" --config "$WORK/faulty.ini" sync --once
check_truth "$WORK/faulty.db" "$WORK/truth.json"
canonical_dump "$WORK/clean.db" >"$WORK/clean.txt"
canonical_dump "$WORK/faulty.db" >"$WORK/faulty.txt"
cmp "$WORK/clean.txt" "$WORK/faulty.txt" || { diff "$WORK/clean.txt" "$WORK/faulty.txt" | head -20 >&2; exit 1; }
waits=$(sqlite3 "$WORK/faulty.db" "SELECT sum(throttle_waits) FROM connector_health")
echo "faulty run waited out $waits throttled answers"
echo "1 passed, 0 failed"
