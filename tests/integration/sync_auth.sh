#!/usr/bin/env bash
# Rejected credentials: okdf sync --once exits non-zero naming shopify, the
# connector's health says unauthorised, no secret leaks, and no retry storm.
source "$(dirname "$0")/lib.sh"

start_sim sim --no-throttle --seed 5 --orders 50 --days 10 --auth-fail shopify
start=$SECONDS
set +e
"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once 2>"$WORK/err.txt"
rc=$?
set -e
elapsed=$((SECONDS - start))
cat "$WORK/err.txt"
[ "$rc" -ne 0 ] || { echo "exit code 0 despite rejected credentials" >&2; exit 1; }
grep -q shopify "$WORK/err.txt" || { echo "message does not name shopify" >&2; exit 1; }
[ "$(sqlite3 "$WORK/t.db" "SELECT state FROM connector_health WHERE connector = 'shopify'")" = unauthorised ]
# The other connectors are not held back by shopify's failure.
[ "$(sqlite3 "$WORK/t.db" "SELECT count(*) FROM connector_health WHERE state = 'ok'")" = 3 ]
[ "$elapsed" -le 5 ] || { echo "took ${elapsed}s: retried rejected credentials?" >&2; exit 1; }
secret=$(sed -n 's/^access_token = //p' "$WORK/sim.ini" | head -1)
if grep -q "$secret" "$WORK/err.txt" || sqlite3 "$WORK/t.db" .dump | grep -q "$secret"; then
  echo "a secret leaked into the message or the database" >&2; exit 1
fi
echo "1 passed, 0 failed"
