#!/usr/bin/env bash
# Shopify's cost bucket on (2000 points, 100/s): okdf paces its queries from
# extensions.cost, so the database still matches --truth and the simulator
# never had to answer THROTTLED.
source "$(dirname "$0")/lib.sh"

start_sim sim --seed 19 --orders 150 --days 20 --truth "$WORK/truth.json"
printf '[shopify]\n' >"$WORK/shopify.ini"
awk '/^\[/{keep = ($0 == "[shopify]")} keep && !/^\[/' "$WORK/sim.ini" >>"$WORK/shopify.ini"
# The paged path is the one paced by the bucket (shopify_bulk covers bulk).
echo "backfill = paged" >>"$WORK/shopify.ini"
chmod 600 "$WORK/shopify.ini"
"$OKDF" --db "$WORK/t.db" --config "$WORK/shopify.ini" sync --once
kill "${SIM_PIDS[0]}"
wait "${SIM_PIDS[0]}" || true
SIM_PIDS=()
line=$(grep 'shopify cost spent' "$WORK/sim.err")
echo "$line"
spent=$(sed -n 's/.*cost spent \([0-9]*\) points.*/\1/p' <<<"$line")
[ "${spent:-0}" -gt 0 ] || { echo "the cost bucket charged nothing: was it on?" >&2; exit 1; }
throttled=$(sed -n 's/.*THROTTLED answers \([0-9]*\).*/\1/p' <<<"$line")
[ "$throttled" = 0 ] || { echo "okdf provoked $throttled THROTTLED answers" >&2; exit 1; }
# Only the Shopify tables are compared: the other connectors were off.
jq '{tables: (.tables | {products, orders, line_items, refunds, abandoned_checkouts, customers}),
     shop, days}' "$WORK/truth.json" >"$WORK/shopify_truth.json"
check_truth "$WORK/t.db" "$WORK/shopify_truth.json"
echo "1 passed, 0 failed"
