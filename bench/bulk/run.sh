#!/usr/bin/env bash
# Bulk backfill benchmark (not a test).
# Usage: bench/bulk/run.sh [--smoke] [BUILD_DIR] [ORDERS] [PAGED_ORDERS]
#
# 1. Time to a complete first Shopify sync of ORDERS (default 200,000)
#    orders with okdf-sim's cost bucket ON (2000 points, 100/s restore):
#    the bulk backfill against today's paged path. Paging that many orders
#    takes many hours, so the paged path is measured on PAGED_ORDERS
#    (default 1,000) orders of the same store shape and extrapolated per
#    order; the output says so.
# 2. The JSONL ingest alone (from the downloaded result file appearing to
#    its removal after the last line is written), in orders/s, against the
#    sqlite3 shell's .import of the same orders already parsed (the floor).
# 3. okdf's peak RSS during the bulk sync.
# Targets: bulk >= 50x faster than paging; ingest within 2x of .import; peak
# RSS < 32 MB. Missed targets are said plainly; --smoke (tiny sizes, for CI)
# only checks that every step runs and prints the figures.
set -euo pipefail
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
orders=${2:-200000}
paged_orders=${3:-1000}
if [ $smoke = 1 ]; then orders=${2:-300}; paged_orders=${3:-60}; fi
days=365
sim_sections="[shopify]"
. "$root/bench/lib_sim.sh"
secs() { awk -v n="$1" 'BEGIN { printf "%.2f", n / 1e9 }'; }

# run_sync DB: okdf sync --once; sets T_SYNC (ns), PEAK_KB, T_INGEST (ns, the
# orders JSONL window; 0 when there was none).
run_sync() {
  local db=$1 pid t0 kb seen=0 t_in=0
  PEAK_KB=0 T_INGEST=0
  t0=$(now_ns)
  "$okdf" --db "$db" --config "$work/sim.ini" sync --once >"$work/sync.out" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$PEAK_KB" ] && PEAK_KB=$kb
    if [ $seen = 0 ] && [ -e "$db.shopify-orders.jsonl" ]; then seen=1; t_in=$(now_ns); fi
    if [ $seen = 1 ] && [ ! -e "$db.shopify-orders.jsonl" ]; then seen=2; T_INGEST=$(( $(now_ns) - t_in )); fi
    sleep 0.02
  done
  wait "$pid"
  T_SYNC=$(( $(now_ns) - t0 ))
  [ $seen = 1 ] && T_INGEST=$(( $(now_ns) - t_in ))
  return 0
}

echo "okdf-sim: $orders orders over $days days, seed $seed; cost bucket on"
# --- 1. bulk, bucket on ---------------------------------------------------
start_sim "$orders"
sed -i '/^backfill/d' "$work/sim.ini"; echo "backfill = bulk" >>"$work/sim.ini"
run_sync "$work/bulk.db"
t_bulk=$T_SYNC t_ingest=$T_INGEST peak_kb=$PEAK_KB
stop_sim
jobs=$(sed -n 's/^okdf-sim: bulk jobs \([0-9]*\),.*/\1/p' "$work/sim.err")
cost=$(sed -n 's/^okdf-sim: shopify cost spent \([0-9]*\) points.*/\1/p' "$work/sim.err")
got=$(sqlite3 "$work/bulk.db" "SELECT count(*) FROM orders")
[ "$got" -eq "$orders" ] || { echo "bulk synced $got orders, expected $orders" >&2; exit 1; }

# --- 2. paged, bucket on, on a smaller store -------------------------------
start_sim "$paged_orders"
echo "backfill = paged" >>"$work/sim.ini"
run_sync "$work/paged.db"
t_paged_small=$T_SYNC
stop_sim
got=$(sqlite3 "$work/paged.db" "SELECT count(*) FROM orders")
[ "$got" -eq "$paged_orders" ] || { echo "paging synced $got orders, expected $paged_orders" >&2; exit 1; }
t_paged=$(awk -v t="$t_paged_small" -v n="$orders" -v m="$paged_orders" 'BEGIN { printf "%.0f", t * n / m }')

# --- 3. the floor: sqlite3 .import of the same orders, parsed -------------
"$sim" --now "$now" --seed $seed --days $days --orders "$orders" --dump-orders-csv "$work/orders.csv"
sqlite3 "$work/csv.db" "PRAGMA journal_mode=WAL" "CREATE TABLE orders (id TEXT PRIMARY KEY,
  name TEXT, created_at INTEGER NOT NULL, processed_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, cancelled_at INTEGER, test INTEGER NOT NULL,
  total_minor INTEGER NOT NULL, currency TEXT NOT NULL, presentment_total_minor INTEGER,
  presentment_currency TEXT, customer_id TEXT, shipping_country TEXT)" >/dev/null
t0=$(now_ns)
sqlite3 "$work/csv.db" -cmd "PRAGMA synchronous=NORMAL" ".import --csv --skip 1 $work/orders.csv orders"
t_csv=$(( $(now_ns) - t0 ))

speedup=$(awk -v p="$t_paged" -v b="$t_bulk" 'BEGIN { printf "%.1f", p / b }')
r_ingest=$(awk -v n="$orders" -v t="$t_ingest" 'BEGIN { if (t + 0 > 0) printf "%.0f", n / (t / 1e9); else printf "n/a" }')
r_csv=$(awk -v n="$orders" -v t="$t_csv" 'BEGIN { printf "%.0f", n / (t / 1e9) }')
ratio=$(awk -v a="$t_ingest" -v b="$t_csv" 'BEGIN { printf "%.1f", a / b }')
verdict() { [ $smoke = 1 ] && echo "(smoke: not judged)" || { awk "BEGIN { exit !($1) }" && echo met || echo MISSED; }; }
echo
echo "first sync of $orders orders, cost bucket on (100 points/s)"
printf '  %-52s %9s s  (%s bulk jobs, %s cost points)\n' "bulk backfill (okdf sync --once)" "$(secs "$t_bulk")" "$jobs" "${cost:-?}"
printf '  %-52s %9s s  (measured: %s orders in %s s)\n' "paged, EXTRAPOLATED per order" "$(secs "$t_paged")" \
  "$paged_orders" "$(secs "$t_paged_small")"
echo "  bulk vs paging: ${speedup}x faster (target >= 50x): $(verdict "$speedup >= 50")"
echo "JSONL ingest of $orders orders"
printf '  %-52s %9s orders/s  (%s s)\n' "okdf bulk ingest (file on disk -> rows)" "$r_ingest" "$(secs "$t_ingest")"
printf '  %-52s %9s orders/s  (%s s)\n' "sqlite3 .import of parsed order rows (floor)" "$r_csv" "$(secs "$t_csv")"
echo "  okdf vs .import: ${ratio}x slower (target <= 2x): $(verdict "$ratio <= 2")"
echo "  okdf peak RSS: $((peak_kb / 1024)) MB (target < 32 MB): $(verdict "$peak_kb < 32768")"
