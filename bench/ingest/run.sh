#!/usr/bin/env bash
# Ingest benchmark (not a test). Usage: bench/ingest/run.sh [--smoke] [BUILD_DIR] [ORDERS]
# --smoke: 2,000 orders and a 30-order budget run, in seconds; it checks that
# every figure below was produced, not the targets (meaningless at that size).
#
# 1. okdf sync --once (Shopify only) from okdf-sim --no-throttle into an
#    empty database, against two baselines over the same orders:
#    (a) the order nodes okdf-sim dumps (--dump-orders-json), loaded by the
#        sqlite3 shell's own JSON functions into the same tables okdf fills
#        (orders, line_items, refunds, refund_line_items);
#    (b) the floor: the order rows already parsed (--dump-orders-csv),
#        imported by the sqlite3 shell's .import.
#    Prints orders/s for each, the ratios and okdf's peak RSS (VmHWM, read
#    from /proc while it runs; /usr/bin/time -v from Debian's `time` package
#    is used instead when installed).
# 2. API budget: okdf against okdf-sim with throttling on; Shopify cost
#    points spent per second over the 100/s restore rate, and THROTTLED
#    answers provoked.
# Targets: >= 4x (a), within 2x of (b), peak RSS < 32 MB, >= 90% of the
# restore rate with no THROTTLED answer. A missed target is said plainly.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
build=${1:-$root/build}
orders=${2:-$([ $smoke = 1 ] && echo 2000 || echo 200000)}
days=120
sim_sections="[shopify] [sync]"
. "$root/bench/lib_sim.sh"
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }

echo "okdf-sim: $orders orders over $days days, seed $seed"
"$sim" --now "$now" --seed $seed --days $days --orders "$orders" \
  --dump-orders-json "$work/orders.json" --dump-orders-csv "$work/orders.csv"

# --- okdf ---------------------------------------------------------------
start_sim "$orders" --no-throttle
peak_kb=0
t0=$(now_ns)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$okdf" --db "$work/okdf.db" --config "$work/sim.ini" sync --once 2>"$work/time.txt"
  peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
else
  "$okdf" --db "$work/okdf.db" --config "$work/sim.ini" sync --once &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$peak_kb" ] && peak_kb=$kb
    sleep 0.05
  done
  wait "$pid"
fi
t_okdf=$(( $(now_ns) - t0 ))
stop_sim
got=$(sqlite3 "$work/okdf.db" "SELECT count(*) FROM orders")
[ "$got" -eq "$orders" ] || { echo "okdf synced $got orders, expected $orders" >&2; exit 1; }

# --- (a) sqlite3 JSON functions over the same order nodes ---------------
# The whole schema okdf made (triggers and the rollups they keep included),
# so the baseline does the same work and cannot fall behind a migration.
schema=$(sqlite3 "$work/okdf.db" ".schema --nosys")
sqlite3 "$work/json.db" "$schema"
# Money: the decimal string split at '.', scaled to cents in integer SQL.
cat >"$work/load.sql" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TEMP TABLE raw(doc TEXT);
INSERT INTO raw VALUES (readfile('$work/orders.json'));
CREATE TEMP VIEW cents(amount, minor) AS SELECT NULL, NULL;
BEGIN;
INSERT INTO orders (id, name, created_at, processed_at, updated_at, cancelled_at, test,
  total_minor, currency, presentment_total_minor, presentment_currency, customer_id,
  shipping_country, financial_status, shop_day)
SELECT o.value->>'id', o.value->>'name',
  unixepoch(o.value->>'createdAt'), unixepoch(o.value->>'processedAt'),
  unixepoch(o.value->>'updatedAt'), unixepoch(o.value->>'cancelledAt'),
  o.value->>'test',
  CAST(replace(printf('%.2f', o.value->>'$.totalPriceSet.shopMoney.amount'), '.', '') AS INTEGER),
  o.value->>'$.totalPriceSet.shopMoney.currencyCode',
  CAST(replace(o.value->>'$.totalPriceSet.presentmentMoney.amount', '.', '') AS INTEGER),
  o.value->>'$.totalPriceSet.presentmentMoney.currencyCode',
  o.value->>'$.customer.id', o.value->>'$.shippingAddress.countryCodeV2',
  lower(o.value->>'displayFinancialStatus'),
  date(o.value->>'processedAt', '-5 hours')
FROM raw, json_each(raw.doc) o;
INSERT INTO line_items (id, order_id, product_id, title, quantity, price_minor, currency)
SELECT l.value->>'id', o.value->>'id', l.value->>'$.product.id', l.value->>'title',
  l.value->>'quantity',
  CAST(replace(printf('%.2f', l.value->>'$.originalUnitPriceSet.shopMoney.amount'), '.', '') AS INTEGER),
  l.value->>'$.originalUnitPriceSet.shopMoney.currencyCode'
FROM raw, json_each(raw.doc) o, json_each(o.value, '$.lineItems.nodes') l;
INSERT INTO refunds (id, order_id, created_at, amount_minor, currency, note, shop_day)
SELECT r.value->>'id', o.value->>'id', unixepoch(r.value->>'createdAt'),
  CAST(replace(printf('%.2f', r.value->>'$.totalRefundedSet.shopMoney.amount'), '.', '') AS INTEGER),
  r.value->>'$.totalRefundedSet.shopMoney.currencyCode', r.value->>'note',
  date(r.value->>'createdAt', '-5 hours')
FROM raw, json_each(raw.doc) o, json_each(o.value, '$.refunds') r;
INSERT INTO refund_line_items (refund_id, line_item_id, product_id, quantity, subtotal_minor)
SELECT r.value->>'id', x.value->>'$.lineItem.id', x.value->>'$.lineItem.product.id',
  x.value->>'quantity',
  CAST(replace(printf('%.2f', x.value->>'$.subtotalSet.shopMoney.amount'), '.', '') AS INTEGER)
FROM raw, json_each(raw.doc) o, json_each(o.value, '$.refunds') r,
  json_each(r.value, '$.refundLineItems.nodes') x;
COMMIT;
SQL
t0=$(now_ns)
sqlite3 "$work/json.db" <"$work/load.sql" >/dev/null
t_json=$(( $(now_ns) - t0 ))
got=$(sqlite3 "$work/json.db" "SELECT count(*) FROM orders")
[ "$got" -eq "$orders" ] || { echo "JSON baseline loaded $got orders" >&2; exit 1; }

# --- (b) sqlite3 .import of the parsed rows -------------------------------
# The same columns the CSV holds, typed as okdf's orders table types them.
sqlite3 "$work/csv.db" "PRAGMA journal_mode=WAL" "CREATE TABLE orders (id TEXT PRIMARY KEY,
  name TEXT, created_at INTEGER NOT NULL, processed_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, cancelled_at INTEGER, test INTEGER NOT NULL,
  total_minor INTEGER NOT NULL, currency TEXT NOT NULL, presentment_total_minor INTEGER,
  presentment_currency TEXT, customer_id TEXT, shipping_country TEXT)" >/dev/null
t0=$(now_ns)
sqlite3 "$work/csv.db" -cmd "PRAGMA synchronous=NORMAL" ".import --csv --skip 1 $work/orders.csv orders"
t_csv=$(( $(now_ns) - t0 ))

r_okdf=$(rate "$orders" "$t_okdf"); r_json=$(rate "$orders" "$t_json"); r_csv=$(rate "$orders" "$t_csv")
ra=$(awk -v a="$t_json" -v b="$t_okdf" 'BEGIN { printf "%.2f", a / b }')
rb=$(awk -v a="$t_okdf" -v b="$t_csv" 'BEGIN { printf "%.2f", a / b }')
echo
echo "ingest of $orders orders"
printf '  %-44s %10s orders/s  (%.2f s)\n' "okdf sync --once (HTTP+JSON+SQLite)" "$r_okdf" "$(awk -v n=$t_okdf 'BEGIN{print n/1e9}')"
printf '  %-44s %10s orders/s  (%.2f s)\n' "(a) sqlite3 JSON functions over the pages" "$r_json" "$(awk -v n=$t_json 'BEGIN{print n/1e9}')"
printf '  %-44s %10s orders/s  (%.2f s)\n' "(b) sqlite3 .import of parsed rows" "$r_csv" "$(awk -v n=$t_csv 'BEGIN{print n/1e9}')"
echo "  okdf vs (a): ${ra}x faster (target >= 4x): $(awk -v r=$ra 'BEGIN{print (r >= 4) ? "met" : "MISSED"}')"
echo "  okdf vs (b): ${rb}x slower (target <= 2x): $(awk -v r=$rb 'BEGIN{print (r <= 2) ? "met" : "MISSED"}')"
echo "  okdf peak RSS: $((peak_kb / 1024)) MB (target < 32 MB): $([ "$peak_kb" -lt 32768 ] && echo met || echo MISSED)"

# --- API budget with throttling on ----------------------------------------
# At 100 points/s this takes about 100 s: long enough that the initial full
# bucket and the last partial pages do not decide the figure.
orders=${BUDGET_ORDERS:-$([ $smoke = 1 ] && echo 30 || echo 600)}
days=60
start_sim "$orders"
t0=$(now_ns)
"$okdf" --db "$work/budget.db" --config "$work/sim.ini" sync --once
t_budget=$(( $(now_ns) - t0 ))
stop_sim
line=$(grep 'shopify cost spent' "$work/sim.err")
spent=$(sed -n 's/.*cost spent \([0-9]*\) points.*/\1/p' <<<"$line")
throttled=$(sed -n 's/.*THROTTLED answers \([0-9]*\).*/\1/p' <<<"$line")
secs=$(awk -v n="$t_budget" 'BEGIN { printf "%.1f", n / 1e9 }')
# The bucket starts full (2000 points): the steady rate leaves that burst out.
pps=$(awk -v p="$spent" -v s="$secs" 'BEGIN { printf "%.1f", p / s }')
steady=$(awk -v p="$spent" -v s="$secs" 'BEGIN { v = (p - 2000) / s; printf "%.1f", v < 0 ? 0 : v }')
echo
echo "API budget ($orders orders, throttling on, restore rate 100 points/s)"
echo "  cost points spent: $spent in $secs s = $pps points/s; $steady points/s beyond the initial full bucket"
echo "  THROTTLED answers provoked: $throttled (target 0)"
if awk -v r="$steady" 'BEGIN { exit !(r >= 90) }' && [ "$throttled" -eq 0 ]; then
  echo "  budget target (>= 90% of the restore rate, no THROTTLED): met"
else
  echo "  budget target (>= 90% of the restore rate, no THROTTLED): MISSED"
fi

if [ $smoke = 1 ]; then
  # Every figure is a number, and the runs measured did real work.
  for v in "$r_okdf" "$r_json" "$r_csv" "$peak_kb" "$spent" "$throttled"; do
    [[ $v =~ ^[0-9]+$ ]] || { echo "smoke: a figure is missing or not a number: '$v'" >&2; exit 1; }
  done
  [ "$r_okdf" -gt 0 ] && [ "$r_json" -gt 0 ] && [ "$r_csv" -gt 0 ] && [ "$peak_kb" -gt 0 ] &&
    [ "$spent" -gt 0 ] || { echo "smoke: a figure is zero" >&2; exit 1; }
  echo "smoke: every figure produced"
fi
