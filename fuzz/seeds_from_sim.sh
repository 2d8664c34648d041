#!/usr/bin/env bash
# Regenerates the okdf-sim part of the seed corpora: one real page of each
# API the connectors read, as okdf-sim answers it. Usage:
#   fuzz/seeds_from_sim.sh BUILD_DIR   (a plain build with src/sim/okdf-sim)
set -euo pipefail
sim=$(realpath "${1:?usage: fuzz/seeds_from_sim.sh BUILD_DIR}")/src/sim/okdf-sim
cd "$(dirname "$0")"
tmp=$(mktemp -d)
"$sim" --port 0 --no-throttle --seed 7 --orders 40 --days 20 --now 2026-11-20T12:00:00Z >"$tmp/out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q listening "$tmp/out" && break; sleep 0.1; done
B=$(sed -n '1s|^okdf-sim listening on ||p' "$tmp/out")
C=(curl -sS --max-time 10)
jq -n --rawfile q ../data/graphql/orders.graphql '{query: $q, variables: {first: 5}}' |
	"${C[@]}" -X POST "$B/admin/api/2025-01/graphql.json" -H 'X-Shopify-Access-Token: shpat_sim' \
		-H 'Content-Type: application/json' --data-binary @- >corpus/shopify/sim_orders_page.json
K=(-H 'Authorization: Klaviyo-API-Key pk_sim' -H 'revision: 2026-07-15')
"${C[@]}" "${K[@]}" "$B/api/flows/?page%5Bsize%5D=3" >corpus/klaviyo/sim_flows_page.json
"${C[@]}" "${K[@]}" -X POST "$B/api/flow-values-reports/" -H 'Content-Type: application/vnd.api+json' \
	--data-binary '{"data":{"type":"flow-values-report","attributes":{"statistics":["recipients","conversions","conversion_value"],"timeframe":{"key":"last_7_days"},"conversion_metric_id":"SIMPO1"}}}' \
	>corpus/klaviyo/sim_flow_values_report.json
"${C[@]}" "$B/v21.0/act_1234567890/insights?level=campaign&time_increment=1&fields=campaign_id,spend,actions,action_values,date_start,date_stop&limit=5&access_token=meta_sim" \
	>corpus/meta/sim_insights_page.json
R=(-H 'Authorization: proj-sim:rel_sim' -H 'Content-Type: application/json')
"${C[@]}" -X POST "${R[@]}" "$B/latest/agents/conversations/list" -d '{"page_size":5}' \
	>corpus/relevance/sim_conversations_page.json
"${C[@]}" -X POST "${R[@]}" "$B/latest/agents/list" -d '{}' >corpus/relevance/sim_agents_page.json
for f in corpus/*/sim_*.json; do jq -e . "$f" >/dev/null || { echo "$f is not JSON" >&2; exit 1; }; done
echo "seeds written"
