#!/usr/bin/env bash
# The bulk backfill: equal to --truth and to a paged sync, no credential sent
# to the result URL, incremental paging afterwards, and Shopify's failure
# modes (FAILED with ACCESS_DENIED / TIMEOUT and its partialDataUrl, another
# bulk query in progress, an expired result URL).
source "$(dirname "$0")/lib.sh"

ARGS=(--no-throttle --seed 23 --orders 600 --days 50)
# shopify_ini SRC DST KEY=VALUE...: SRC's [shopify] section plus keys.
shopify_ini() {
  local src=$1 dst=$2; shift 2
  awk '/^\[/{on=($0=="[shopify]")} on' "$src" >"$dst"
  local kv
  for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}" >>"$dst"; done
  chmod 600 "$dst"
}
# stop_sim: ends the newest simulator; sets JOBS, SERVED, WITH_CRED from its summary.
stop_sim() {
  local i=$((${#SIM_PIDS[@]} - 1)) name=$1
  kill -TERM "${SIM_PIDS[$i]}"; wait "${SIM_PIDS[$i]}" || true
  unset "SIM_PIDS[$i]"; SIM_PIDS=("${SIM_PIDS[@]}")
  local line
  ! grep -qE 'Sanitizer|runtime error' "$WORK/$name.err" || { cat "$WORK/$name.err" >&2; exit 1; }
  line=$(grep '^okdf-sim: bulk jobs' "$WORK/$name.err") || { cat "$WORK/$name.err" >&2; exit 1; }
  JOBS=$(sed 's/^okdf-sim: bulk jobs \([0-9]*\), results served \([0-9]*\), requests with a credential \([0-9]*\)$/\1/' <<<"$line")
  SERVED=$(sed 's/^okdf-sim: bulk jobs \([0-9]*\), results served \([0-9]*\), requests with a credential \([0-9]*\)$/\2/' <<<"$line")
  WITH_CRED=$(sed 's/^okdf-sim: bulk jobs \([0-9]*\), results served \([0-9]*\), requests with a credential \([0-9]*\)$/\3/' <<<"$line")
}
shopify_truth() {
  jq '{tables: (.tables | {products, orders, line_items, refunds, abandoned_checkouts, customers}),
       shop, days}' "$1" >"$2"
}
shopify_dump() {
  sqlite3 "$1" <<'SQL'
SELECT 'product', * FROM products ORDER BY id;
SELECT 'customer', * FROM customers ORDER BY id;
SELECT 'order', * FROM orders ORDER BY id;
SELECT 'line', * FROM line_items ORDER BY id;
SELECT 'refund', * FROM refunds ORDER BY id;
SELECT 'refund_line', * FROM refund_line_items ORDER BY refund_id, line_item_id;
SELECT 'checkout', * FROM abandoned_checkouts ORDER BY id;
SQL
}
warning() { sqlite3 "$1" "SELECT coalesce(warning, '') FROM connector_health WHERE connector = 'shopify'"; }

# 1. Paged reference.
start_sim paged "${ARGS[@]}" --truth "$WORK/truth.json"
shopify_truth "$WORK/truth.json" "$WORK/st.json"
shopify_ini "$WORK/paged.ini" "$WORK/p.ini" backfill=paged
"$OKDF" --db "$WORK/paged.db" --config "$WORK/p.ini" sync --once >/dev/null
stop_sim paged
[ "$JOBS" = 0 ] || { echo "backfill = paged ran $JOBS bulk jobs" >&2; exit 1; }
shopify_dump "$WORK/paged.db" >"$WORK/paged.txt"

# 2. Bulk with a Dev Dashboard app's granted token: equal to truth and to paging,
#    one job per resource (products, customers, orders, abandoned checkouts),
#    no credential at the result URL; the next pass pages.
start_sim bulk "${ARGS[@]}"
awk '/^\[/{on=($0=="[shopify]")} on' "$WORK/bulk.ini" | grep -v '^access_token' >"$WORK/b.ini"
printf 'client_id = sim-client-id\nclient_secret = shpss_sim\n' >>"$WORK/b.ini"; chmod 600 "$WORK/b.ini"
"$OKDF" --db "$WORK/bulk.db" --config "$WORK/b.ini" sync --once >/dev/null
check_truth "$WORK/bulk.db" "$WORK/st.json"
shopify_dump "$WORK/bulk.db" >"$WORK/bulk.txt"
cmp -s "$WORK/paged.txt" "$WORK/bulk.txt" || { diff "$WORK/paged.txt" "$WORK/bulk.txt" | head >&2; exit 1; }
sqlite3 "$WORK/bulk.db" "SELECT cursor FROM sync_state WHERE connector = 'shopify'" | grep -q '"bulk"' &&
  { echo "a finished backfill left bulk state" >&2; exit 1; }
ls "$WORK"/bulk.db.shopify-* 2>/dev/null && { echo "result files left behind" >&2; exit 1; }
"$OKDF" --db "$WORK/bulk.db" --config "$WORK/b.ini" sync --once >/dev/null
shopify_dump "$WORK/bulk.db" | cmp -s - "$WORK/bulk.txt" || { echo "the incremental pass changed rows" >&2; exit 1; }
stop_sim bulk
[ "$JOBS" = 4 ] && [ "$SERVED" = 4 ] || { echo "bulk: $JOBS jobs, $SERVED results served (want 4, 4)" >&2; exit 1; }
[ "$WITH_CRED" = 0 ] || { echo "a credential was sent to the result URL $WITH_CRED times" >&2; exit 1; }
echo "ok - bulk backfill equals --truth and paging; no credential at the result URL; then paged"

# 3. FAILED ACCESS_DENIED: paged instead, warning in health, data whole.
start_sim denied "${ARGS[@]}" --bulk-fault ACCESS_DENIED
shopify_ini "$WORK/denied.ini" "$WORK/d.ini"
"$OKDF" --db "$WORK/denied.db" --config "$WORK/d.ini" sync --once >"$WORK/out"
stop_sim denied
check_truth "$WORK/denied.db" "$WORK/st.json"
w=$(warning "$WORK/denied.db")
[ "$w" = "bulk query of orders failed (ACCESS_DENIED); synced page by page" ] || { echo "warning: '$w'" >&2; exit 1; }
grep -q 'note:   bulk query of orders failed (ACCESS_DENIED)' "$WORK/out" || { cat "$WORK/out" >&2; exit 1; }
echo "ok - FAILED ACCESS_DENIED: paged, said in health"

# 4. FAILED TIMEOUT with partialDataUrl: the partial result written, then paged.
start_sim timeout "${ARGS[@]}" --bulk-fault TIMEOUT
shopify_ini "$WORK/timeout.ini" "$WORK/t.ini"
"$OKDF" --db "$WORK/timeout.db" --config "$WORK/t.ini" sync --once >/dev/null
stop_sim timeout
[ "$SERVED" = 4 ] || { echo "partial result not downloaded ($SERVED served, want 3 + 1)" >&2; exit 1; }
check_truth "$WORK/timeout.db" "$WORK/st.json"
shopify_dump "$WORK/timeout.db" | cmp -s - "$WORK/paged.txt" || { echo "partial + paging differs from paging" >&2; exit 1; }
w=$(warning "$WORK/timeout.db")
[ "$w" = "bulk query of orders failed (TIMEOUT), its partial result written; synced page by page" ] ||
  { echo "warning: '$w'" >&2; exit 1; }
echo "ok - FAILED TIMEOUT: partialDataUrl written, then paged"

# 5. Another bulk query in progress: waited out, then okdf's own runs.
start_sim busy "${ARGS[@]}" --bulk-fault in-progress
shopify_ini "$WORK/busy.ini" "$WORK/i.ini"
"$OKDF" --db "$WORK/busy.db" --config "$WORK/i.ini" sync --once >/dev/null
stop_sim busy
[ "$JOBS" = 4 ] || { echo "in progress: $JOBS jobs" >&2; exit 1; }
check_truth "$WORK/busy.db" "$WORK/st.json"
[ -z "$(warning "$WORK/busy.db")" ] || { echo "warning after waiting: $(warning "$WORK/busy.db")" >&2; exit 1; }
echo "ok - OPERATION_IN_PROGRESS: waited for the other query"

# 6. An empty store: COMPLETED without url, nothing written, the bound set.
start_sim empty --no-throttle --seed 23 --orders 0 --days 50
shopify_ini "$WORK/empty.ini" "$WORK/e.ini"
"$OKDF" --db "$WORK/empty.db" --config "$WORK/e.ini" sync --once >/dev/null
stop_sim empty
[ "$(sqlite3 "$WORK/empty.db" "SELECT count(*) FROM orders")" = 0 ] || exit 1
sqlite3 "$WORK/empty.db" "SELECT cursor FROM sync_state WHERE resource = 'orders'" | grep -q '"since"' ||
  { echo "no bound after an empty result" >&2; exit 1; }
echo "ok - empty result"

# 7. A result whose URL expired before okdf came back: a new job, once.
start_sim expiry "${ARGS[@]}" --bulk-url-ttl 4 --bulk-rate 2000
shopify_ini "$WORK/expiry.ini" "$WORK/x.ini"
"$OKDF" --db "$WORK/expiry.db" --config "$WORK/x.ini" sync >/dev/null 2>&1 &
pid=$!
for _ in $(seq 400); do
  sqlite3 "$WORK/expiry.db" "SELECT cursor FROM sync_state WHERE resource = 'products'" 2>/dev/null | grep -q '"bulk"' && break
  sleep 0.05
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
sqlite3 "$WORK/expiry.db" "SELECT cursor FROM sync_state WHERE resource = 'products'" | grep -q '"bulk"' ||
  { echo "no bulk job recorded before the kill" >&2; exit 1; }
sleep 6
"$OKDF" --db "$WORK/expiry.db" --config "$WORK/x.ini" sync --once >/dev/null
stop_sim expiry
check_truth "$WORK/expiry.db" "$WORK/st.json"
[ "$JOBS" = 5 ] || { echo "expired result: $JOBS jobs (want 4 + 1)" >&2; exit 1; }
echo "ok - an expired result URL: one new job"

# The downloaded result (and its .part) is as private as the database.
start_sim mode --no-throttle --seed 23 --orders 3000 --days 50
shopify_ini "$WORK/mode.ini" "$WORK/m.ini"
"$OKDF" --db "$WORK/mode.db" --config "$WORK/m.ini" sync --once >/dev/null 2>&1 &
pid=$!
mode=
for _ in $(seq 3000); do
  mode=$(stat -c %a "$WORK/mode.db.shopify-orders.jsonl" "$WORK/mode.db.shopify-orders.jsonl.part" 2>/dev/null || true)
  mode=${mode%%$'\n'*}
  [ -n "$mode" ] && break
  sleep 0.005
done
wait "$pid"
stop_sim mode
[ "$mode" = 600 ] || { echo "result file mode '$mode' (want 600)" >&2; exit 1; }
echo "ok - the result file is mode 0600"

# 8. Killed after Shopify started the job but before its id was committed
#    (the id is taken out of the cursor to stand for that instant): the
#    running job is found by currentBulkOperation and taken over.
start_sim lost "${ARGS[@]}" --bulk-rate 2000
shopify_ini "$WORK/lost.ini" "$WORK/l.ini"
"$OKDF" --db "$WORK/lost.db" --config "$WORK/l.ini" sync >/dev/null 2>&1 &
pid=$!
for _ in $(seq 400); do
  sqlite3 "$WORK/lost.db" "SELECT cursor FROM sync_state WHERE resource = 'orders'" 2>/dev/null | grep -q '"bulk"' && break
  sleep 0.05
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
sqlite3 "$WORK/lost.db" "UPDATE sync_state SET cursor = json_remove(cursor, '$.bulk') WHERE resource = 'orders'"
"$OKDF" --db "$WORK/lost.db" --config "$WORK/l.ini" sync --once >/dev/null
stop_sim lost
check_truth "$WORK/lost.db" "$WORK/st.json"
[ "$JOBS" = 4 ] || { echo "a lost job id: $JOBS jobs (want 4: the running one taken over)" >&2; exit 1; }
echo "ok - okdf's own running job taken over, not started twice"

# 9. A quiet store is not backfilled again two days later (its newest rows
#    are old, its last pass is not); after four days without a pass it is.
start_sim quiet "${ARGS[@]}"
shopify_ini "$WORK/quiet.ini" "$WORK/q.ini"
"$OKDF" --db "$WORK/quiet.db" --config "$WORK/q.ini" sync --once >/dev/null
OKDF_NOW=2026-11-22T15:00:00Z "$OKDF" --db "$WORK/quiet.db" --config "$WORK/q.ini" sync --once >/dev/null
OKDF_NOW=2026-11-26T16:00:00Z "$OKDF" --db "$WORK/quiet.db" --config "$WORK/q.ini" sync --once >/dev/null
stop_sim quiet
[ "$JOBS" = 8 ] || { echo "quiet store: $JOBS jobs (want 4 + 0 after 2 days + 4 after 4 more)" >&2; exit 1; }
check_truth "$WORK/quiet.db" "$WORK/st.json"
echo "ok - a resync by bulk only after days without a pass"
echo "9 passed, 0 failed"
