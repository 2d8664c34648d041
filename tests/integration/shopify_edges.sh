#!/usr/bin/env bash
# Real-data edges: an app without read_all_orders (Shopify shows 60 days of
# orders: said in health and in phase 3's history check), and an answer with
# both data and errors (ACCESS_DENIED on the customer field: data kept,
# error in health).
source "$(dirname "$0")/lib.sh"

shopify_ini() {
  local src=$1 dst=$2; shift 2
  awk '/^\[/{on=($0=="[shopify]")} on' "$src" >"$dst"
  local kv
  for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}" >>"$dst"; done
  chmod 600 "$dst"
}
warning() { sqlite3 "$1" "SELECT state || '|' || coalesce(warning, '') FROM connector_health WHERE connector = 'shopify'"; }

# 1. No read_all_orders: 120 days of history, 60 visible.
start_sim scope --no-throttle --seed 7 --orders 600 --days 120 \
  --scopes read_products,read_customers,read_orders
shopify_ini "$WORK/scope.ini" "$WORK/s.ini"
"$OKDF" --db "$WORK/s.db" --config "$WORK/s.ini" sync --once >"$WORK/out"
w=$(warning "$WORK/s.db")
[ "$w" = "ok|the app lacks the read_all_orders scope: Shopify shows only the last 60 days of orders" ] ||
  { echo "health: $w" >&2; exit 1; }
grep -q 'note:   the app lacks the read_all_orders scope' "$WORK/out" || { cat "$WORK/out" >&2; exit 1; }
oldest=$(sqlite3 "$WORK/s.db" "SELECT (strftime('%s', '$SIM_NOW') - min(created_at)) / 86400 FROM orders")
[ "$oldest" -le 60 ] || { echo "an order $oldest days old was visible" >&2; exit 1; }
"$OKDF" --db "$WORK/s.db" phase show warehouse >"$WORK/phase" 2>&1 || true
tr -s ' \n' ' ' <"$WORK/phase" |
  grep -q 'days of order history; the Shopify app lacks read_all_orders, so Shopify shows only the last 60 days of orders' ||
  { echo "phase 3 check does not say so:" >&2; cat "$WORK/phase" >&2; exit 1; }
echo "ok - without read_all_orders: said in health, okdf sync and phase 3"

# With the scope the warning and the note go away.
start_sim full --no-throttle --seed 7 --orders 600 --days 120
shopify_ini "$WORK/full.ini" "$WORK/f.ini"
"$OKDF" --db "$WORK/s.db" --config "$WORK/f.ini" sync --once >/dev/null
[ "$(warning "$WORK/s.db")" = "ok|" ] || { echo "health with the scope: $(warning "$WORK/s.db")" >&2; exit 1; }
"$OKDF" --db "$WORK/s.db" phase show warehouse >"$WORK/phase" 2>&1 || true
! grep -q 'read_all_orders' "$WORK/phase" || { cat "$WORK/phase" >&2; exit 1; }
echo "ok - with read_all_orders: no warning"

# 2. data + errors: the orders are kept (customers withheld), the error is in health.
start_sim partial --no-throttle --seed 7 --orders 200 --days 30 --partial-errors --truth "$WORK/truth.json"
shopify_ini "$WORK/partial.ini" "$WORK/p.ini" backfill=paged
"$OKDF" --db "$WORK/p.db" --config "$WORK/p.ini" sync --once >"$WORK/out"
[ "$(sqlite3 "$WORK/p.db" "SELECT count(*) FROM orders")" = "$(jq .tables.orders.count "$WORK/truth.json")" ] ||
  { echo "orders lost with a partial answer" >&2; exit 1; }
[ "$(sqlite3 "$WORK/p.db" "SELECT count(*) FROM orders WHERE customer_id IS NOT NULL")" = 0 ] || exit 1
w=$(warning "$WORK/p.db")
[ "$w" = "ok|Shopify withheld the field customer (ACCESS_DENIED); the rest of the answer was kept" ] ||
  { echo "health: $w" >&2; exit 1; }
echo "ok - data + errors: data kept, ACCESS_DENIED in health"
kill -TERM "${SIM_PIDS[@]}"; wait "${SIM_PIDS[@]}" || true; SIM_PIDS=()
! grep -qE 'Sanitizer|runtime error' "$WORK"/*.err || { cat "$WORK"/*.err >&2; exit 1; }
echo "3 passed, 0 failed"
