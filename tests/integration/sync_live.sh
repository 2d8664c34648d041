#!/usr/bin/env bash
# Incremental sync against a live store: orders placed after the first pass
# arrive in the next one (updated_at cursor), nothing is duplicated, and the
# second pass reads far fewer rows than the backfill did.
source "$(dirname "$0")/lib.sh"

start_sim sim --no-throttle --seed 8 --orders 300 --days 10 --live
"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once
before=$(sqlite3 "$WORK/t.db" "SELECT count(*) FROM orders")
backfill_rows=$(sqlite3 "$WORK/t.db" "SELECT rows FROM connector_health WHERE connector = 'shopify'")
for _ in $(seq 40); do
  sleep 0.5
  "$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once
  after=$(sqlite3 "$WORK/t.db" "SELECT count(*) FROM orders")
  [ "$after" -gt "$before" ] && break
done
echo "orders: $before after the backfill, $after later"
[ "$after" -gt "$before" ] || { echo "no new order arrived" >&2; exit 1; }
incr_rows=$(sqlite3 "$WORK/t.db" "SELECT rows FROM connector_health WHERE connector = 'shopify'")
echo "rows written: backfill $backfill_rows, last incremental pass $incr_rows"
[ "$incr_rows" -lt $((backfill_rows / 4)) ] || { echo "incremental pass re-read too much" >&2; exit 1; }
[ "$(sqlite3 "$WORK/t.db" "SELECT count(*) FROM line_items l LEFT JOIN orders o ON o.id = l.order_id WHERE o.id IS NULL")" = 0 ]
[ "$(sqlite3 "$WORK/t.db" "SELECT count(*) FROM orders WHERE id NOT IN (SELECT order_id FROM line_items)")" = 0 ]
echo "1 passed, 0 failed"
