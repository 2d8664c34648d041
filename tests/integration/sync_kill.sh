#!/usr/bin/env bash
# okdf sync killed with SIGKILL in the middle of its passes, many times, then
# resumed with --once: the database is exactly what one clean run gives. Each
# kill is checked to have landed mid-pass (a connector left "syncing") after
# the run had written something, and the kills must leave the store short.
source "$(dirname "$0")/lib.sh"

# The report caps (2/min) would only make this test slow, not stricter.
export OKDF_SIM_KLAVIYO_STRICT=0
args=(--no-throttle --seed 31 --orders 3000 --days 30)
start_sim clean "${args[@]}" --truth "$WORK/truth.json"
# Slow answers stretch a pass over seconds, so a kill can land inside it.
start_sim killed "${args[@]}" --slow 60

"$OKDF" --db "$WORK/clean.db" --config "$WORK/clean.ini" sync --once
want_orders=$(jq '.tables.orders.count' "$WORK/truth.json")

q() { sqlite3 -cmd '.timeout 5000' "$WORK/killed.db" "$1" 2>/dev/null || echo 0; }
written() { q "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM products)
  + (SELECT count(*) FROM email_flows) + (SELECT count(*) FROM ad_insights_daily)
  + (SELECT count(*) FROM conversations)"; }

kills=0 midpass=0 before=0 first_orders=
for i in $(seq 8); do
  "$OKDF" --db "$WORK/killed.db" --config "$WORK/killed.ini" sync >/dev/null 2>&1 &
  pid=$!
  # Wait (30 s at most) until this run has written rows of its own.
  for _ in $(seq 600); do
    [ "$(written)" -gt "$before" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  sleep "0.$(printf '%03d' $((RANDOM % 150)))"
  kill -KILL "$pid" 2>/dev/null || { echo "okdf sync had exited before kill $i" >&2; exit 1; }
  wait "$pid" 2>/dev/null || true
  kills=$((kills + 1))
  syncing=$(q "SELECT count(*) FROM connector_health WHERE state = 'syncing'")
  [ "$syncing" -gt 0 ] && midpass=$((midpass + 1))
  before=$(written)
  [ -n "$first_orders" ] || first_orders=$(q "SELECT count(*) FROM orders")
done
echo "killed okdf sync $kills times, $midpass of them mid-pass; $first_orders of $want_orders orders after the first kill"
[ "$midpass" -ge $((kills / 2)) ] || { echo "too few kills landed mid-pass" >&2; exit 1; }
[ "$first_orders" -lt "$want_orders" ] || { echo "the first kill came after the backfill" >&2; exit 1; }
sqlite3 "$WORK/killed.db" "PRAGMA integrity_check" | grep -qx ok

"$OKDF" --db "$WORK/killed.db" --config "$WORK/killed.ini" sync --once
check_truth "$WORK/killed.db" "$WORK/truth.json"
canonical_dump "$WORK/clean.db" >"$WORK/clean.txt"
canonical_dump "$WORK/killed.db" >"$WORK/killed.txt"
cmp "$WORK/clean.txt" "$WORK/killed.txt" || { diff "$WORK/clean.txt" "$WORK/killed.txt" | head -20 >&2; exit 1; }
echo "1 passed, 0 failed"
