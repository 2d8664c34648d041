#!/usr/bin/env bash
# okdf sync SIGKILLed at random instants while bulk jobs run, while their
# results download and while they are written, then resumed: the database
# equals a clean run's, and at most one bulk job more than a clean run ran.
source "$(dirname "$0")/lib.sh"

# The orders job takes about 5 s (--bulk-rate), its result is a few MB.
ARGS=(--no-throttle --seed 41 --orders 8000 --days 60 --bulk-rate 4000)
shopify_ini() {
  awk '/^\[/{on=($0=="[shopify]")} on' "$1" >"$2"
  chmod 600 "$2"
}
jobs_of() {
  sed -n 's/^okdf-sim: bulk jobs \([0-9]*\),.*/\1/p' "$WORK/$1.err"
}
start_sim clean "${ARGS[@]}" --truth "$WORK/truth.json"
shopify_ini "$WORK/clean.ini" "$WORK/c.ini"
start_sim killed "${ARGS[@]}"
shopify_ini "$WORK/killed.ini" "$WORK/k.ini"

"$OKDF" --db "$WORK/clean.db" --config "$WORK/c.ini" sync --once >/dev/null

kills=0 phases=""
for i in $(seq 30); do
  "$OKDF" --db "$WORK/killed.db" --config "$WORK/k.ini" sync >/dev/null 2>&1 &
  pid=$!
  sleep "$((RANDOM % 2)).$(printf '%03d' $((50 + RANDOM % 500)))"
  if kill -KILL "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
  # Where it died: a job recorded (waiting or downloading) or rows half written.
  phases+=$(sqlite3 "$WORK/killed.db" "SELECT group_concat(resource || ':' ||
      CASE WHEN CAST(json_extract(cursor, '$.bulk.offset') AS INTEGER) > 0 THEN 'ingest'
           WHEN json_extract(cursor, '$.bulk.id') IS NOT NULL THEN 'job' ELSE 'none' END)
      FROM sync_state WHERE resource IN ('orders', 'products', 'customers', 'abandoned_checkouts')" 2>/dev/null || true)" "
done
echo "killed okdf sync $kills times; states seen: $phases"
sqlite3 "$WORK/killed.db" "PRAGMA integrity_check" | grep -qx ok

"$OKDF" --db "$WORK/killed.db" --config "$WORK/k.ini" sync --once >/dev/null
kill -TERM "${SIM_PIDS[@]}"; wait "${SIM_PIDS[@]}" || true; SIM_PIDS=()
! grep -qE 'Sanitizer|runtime error' "$WORK/clean.err" "$WORK/killed.err" ||
  { cat "$WORK/clean.err" "$WORK/killed.err" >&2; exit 1; }
clean_jobs=$(jobs_of clean) killed_jobs=$(jobs_of killed)
echo "bulk jobs: clean $clean_jobs, killed $killed_jobs"
[ "$killed_jobs" -le $((clean_jobs + 1)) ] || { echo "$killed_jobs jobs for $clean_jobs" >&2; exit 1; }
jq '{tables: (.tables | {products, orders, line_items, refunds, abandoned_checkouts, customers}),
     shop, days}' "$WORK/truth.json" >"$WORK/st.json"
check_truth "$WORK/killed.db" "$WORK/st.json"
dump() {
  sqlite3 "$1" <<'SQL'
SELECT 'product', * FROM products ORDER BY id;
SELECT 'customer', * FROM customers ORDER BY id;
SELECT 'order', * FROM orders ORDER BY id;
SELECT 'line', * FROM line_items ORDER BY id;
SELECT 'refund', * FROM refunds ORDER BY id;
SELECT 'refund_line', * FROM refund_line_items ORDER BY refund_id, line_item_id;
SELECT 'checkout', * FROM abandoned_checkouts ORDER BY id;
SELECT 'first_sale', * FROM product_first_sale ORDER BY product_id;
SQL
}
dump "$WORK/clean.db" >"$WORK/clean.txt"
dump "$WORK/killed.db" >"$WORK/killed.txt"
cmp "$WORK/clean.txt" "$WORK/killed.txt" || { diff "$WORK/clean.txt" "$WORK/killed.txt" | head -20 >&2; exit 1; }
ls "$WORK"/killed.db.shopify-* 2>/dev/null && { echo "result files left behind" >&2; exit 1; }
echo "1 passed, 0 failed"
