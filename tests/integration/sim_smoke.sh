#!/usr/bin/env bash
# okdf-sim speaks the vendors' wire formats: auth failures, Shopify cost
# extensions and THROTTLED, cursor pagination that adds up to --truth,
# absolute next links, deterministic truth, and --auth-fail.
set -euo pipefail

. "$(dirname "$0")/lib_sim.sh"

start_sim main --seed 7 --now "$NOW" --truth "$tmp/truth.json"
B=http://127.0.0.1:$PORT
[ -s "$tmp/truth.json" ] || fail "no truth file"

# --- Shopify auth failure: 401 with the vendor body.
body=$(shopify "$B" wrong '{"query":"{ shop { id } }"}')
[ "$(cat "$tmp/status")" = 401 ] || fail "bad token gave $(cat "$tmp/status")"
echo "$body" | jq -e '.errors | test("Invalid API key or access token")' >/dev/null ||
	fail "401 body: $body"

# --- Cost extension on every answer; THROTTLED when the bucket runs dry.
q_page='query($first:Int!,$after:String){ orders(first:$first, after:$after, sortKey:UPDATED_AT){ pageInfo{ hasNextPage endCursor } nodes{ id totalPriceSet{ shopMoney{ amount currencyCode } } } } }'
req=$(jq -cn --arg q "$q_page" '{query:$q, variables:{first:250}}')
body=$(shopify "$B" shpat_sim "$req")
echo "$body" | jq -e '.extensions.cost.throttleStatus.maximumAvailable == 2000 and
	(.extensions.cost.requestedQueryCost > 0) and (.data.orders.nodes | length == 250)' >/dev/null ||
	fail "orders page lacks cost/throttleStatus: $(echo "$body" | head -c 300)"
throttled=0
for _ in 1 2 3 4 5 6; do
	body=$(shopify "$B" shpat_sim "$req")
	if echo "$body" | jq -e '.errors[0].extensions.code == "THROTTLED" and
		.extensions.cost.actualQueryCost == null and (has("data") | not)' >/dev/null; then
		throttled=1
		break
	fi
done
[ "$throttled" = 1 ] || fail "no THROTTLED after rapid expensive queries"
big=$(jq -cn '{query:"{ orders(first: 250) { nodes { id lineItems(first: 50) { nodes { id } } } } }"}')
shopify "$B" shpat_sim "$big" | jq -e '.errors[0].extensions.code == "MAX_COST_EXCEEDED"' >/dev/null ||
	fail "a query over 1000 points was not refused"

# --- Same seed twice: identical truth. The twin runs unthrottled so the
# full pagination below stays fast.
OKDF_SIM_KLAVIYO_STRICT=0 start_sim twin --seed 7 --now "$NOW" --truth "$tmp/truth2.json" --no-throttle
T=http://127.0.0.1:$PORT
cmp -s "$tmp/truth.json" "$tmp/truth2.json" || fail "same seed gave different truth files"
# ...and byte-identical answers (once each simulator's own address is masked).
same_answer() { # same_answer CURL-ARGS-AFTER-BASE...: path and options
	local path=$1; shift
	"${CURL[@]}" "$@" "$B$path" | sed "s|$B|BASE|g" >"$tmp/a1"
	"${CURL[@]}" "$@" "$T$path" | sed "s|$T|BASE|g" >"$tmp/a2"
	[ -s "$tmp/a1" ] && cmp -s "$tmp/a1" "$tmp/a2" || fail "answers differ for $path"
}
same_answer '/v21.0/act_1234567890/insights?level=campaign&time_increment=1&date_preset=last_30d&fields=campaign_id,spend,actions,action_values,date_start,date_stop&limit=40&access_token=meta_sim'
same_answer '/latest/agents/conversations/list?page_size=200' -H 'Authorization: proj-sim:rel_sim'
same_answer '/api/flows/?page%5Bsize%5D=3' -H 'Authorization: Klaviyo-API-Key pk_sim' -H 'revision: 2026-07-15'

# --- Following endCursor through every page adds up to the truth, in
# total and per shop-timezone day (America/New_York, across the DST change).
q_full='query($after:String){ orders(first:250, after:$after, sortKey:UPDATED_AT){ pageInfo{ hasNextPage endCursor } nodes{ id processedAt totalPriceSet{ shopMoney{ amount } } refunds{ createdAt totalRefundedSet{ shopMoney{ amount } } } } } }'
count=0 total=0 after=null pages=0
: >"$tmp/nodes.jsonl"
while :; do
	req=$(jq -cn --arg q "$q_full" --argjson a "$after" '{query:$q, variables:{after:$a}}')
	body=$(shopify "$T" shpat_sim "$req")
	[ "$(cat "$tmp/status")" = 200 ] || fail "page $pages: HTTP $(cat "$tmp/status")"
	echo "$body" | jq -c '.data.orders.nodes[]' >>"$tmp/nodes.jsonl"
	read -r n s more after < <(echo "$body" | jq -r "$JQ_MINOR"'
		.data.orders as $o
		| [($o.nodes | length), ([$o.nodes[].totalPriceSet.shopMoney.amount | minor] | add // 0),
		   $o.pageInfo.hasNextPage, ($o.pageInfo.endCursor | tojson)] | @tsv')
	count=$((count + n)) total=$((total + s)) pages=$((pages + 1))
	[ "$more" = true ] || break
	[ "$pages" -lt 1000 ] || fail "pagination does not end"
done
want_count=$(jq '.tables.orders.count' "$tmp/truth.json")
want_total=$(jq '.tables.orders.total_minor' "$tmp/truth.json")
[ "$count" = "$want_count" ] || fail "paged $count orders, truth says $want_count"
[ "$total" = "$want_total" ] || fail "paged total $total, truth says $want_total"
[ "$(jq -r .id "$tmp/nodes.jsonl" | sort -u | wc -l)" = "$want_count" ] || fail "duplicate or missing ids"
# Days are cut with GNU date (jq 1.6's strflocaltime mishandles DST).
jq -r "$JQ_MINOR"'[.processedAt, 1, (.totalPriceSet.shopMoney.amount | minor), 0],
	(.refunds[] | [.createdAt, 0, 0, (.totalRefundedSet.shopMoney.amount | minor)]) | @tsv' \
	"$tmp/nodes.jsonl" >"$tmp/events.tsv"
cut -f1 "$tmp/events.tsv" | TZ=America/New_York date -f - +%F >"$tmp/event_days"
cut -f2- "$tmp/events.tsv" | paste "$tmp/event_days" - |
	awk -F'\t' '{o[$1] += $2; t[$1] += $3; r[$1] += $4}
		END {for (d in o) printf "%s %d %d %d\n", d, o[d], t[d], r[d]}' | sort >"$tmp/days.got"
jq -r '.days | to_entries[] | "\(.key) \(.value.orders) \(.value.total_minor) \(.value.refunds_minor)"' \
	"$tmp/truth.json" | sort >"$tmp/days.want"
cmp -s "$tmp/days.want" "$tmp/days.got" ||
	fail "per-day totals differ from truth: $(diff "$tmp/days.want" "$tmp/days.got" | head -5)"

# --- Every other table the connectors sync adds up to the truth too.
# all_nodes ROOT 'selection' [sortKey]: every node of a connection, one per line.
all_nodes() {
	local root=$1 sel=$2 sort=${3:-} after=null more req body
	while :; do
		req=$(jq -cn --arg q "query(\$a:String){ $root(first:250, after:\$a $sort){ pageInfo{ hasNextPage endCursor } nodes{ $sel } } }" \
			--argjson a "$after" '{query:$q, variables:{a:$a}}')
		body=$(shopify "$T" shpat_sim "$req")
		echo "$body" | jq -c --arg r "$root" '.data[$r].nodes[]'
		read -r more after < <(echo "$body" | jq -r --arg r "$root" \
			'[.data[$r].pageInfo.hasNextPage, (.data[$r].pageInfo.endCursor | tojson)] | @tsv')
		[ "$more" = true ] || break
	done
}
want() { jq -r ".tables.$1" "$tmp/truth.json"; }
[ "$(all_nodes products 'id' | wc -l)" = "$(want products.count)" ] || fail "products count"
[ "$(all_nodes customers 'id numberOfOrders' ', sortKey: UPDATED_AT' | wc -l)" = "$(want customers.count)" ] ||
	fail "customers count"
all_nodes abandonedCheckouts 'id completedAt totalPriceSet{ shopMoney{ amount } }' ', sortKey: ID' >"$tmp/checkouts"
read -r n s c < <(jq -rs "$JQ_MINOR"'[length, (map(.totalPriceSet.shopMoney.amount | minor) | add),
	(map(select(.completedAt != null)) | length)] | @tsv' "$tmp/checkouts")
[ "$n $s $c" = "$(want abandoned_checkouts.count) $(want abandoned_checkouts.total_minor) $(want abandoned_checkouts.completed)" ] ||
	fail "abandoned checkouts $n $s $c"
all_nodes orders 'id lineItems(first: 10){ nodes{ id } } refunds{ id totalRefundedSet{ shopMoney{ amount } } }' >"$tmp/lines"
read -r l r ra < <(jq -rs "$JQ_MINOR"'[(map(.lineItems.nodes | length) | add), (map(.refunds | length) | add),
	(map(.refunds[].totalRefundedSet.shopMoney.amount | minor) | add)] | @tsv' "$tmp/lines")
[ "$l $r $ra" = "$(want line_items.count) $(want refunds.count) $(want refunds.amount_minor)" ] ||
	fail "line items / refunds $l $r $ra"
K=(-H 'Authorization: Klaviyo-API-Key pk_sim' -H 'revision: 2026-07-15')
[ "$("${CURL[@]}" "${K[@]}" "$T/api/flows/" | jq '.data | length')" = "$(want email_flows.count)" ] || fail "flows count"
meta_count() { "${CURL[@]}" "$T/v21.0/act_1234567890/$1?limit=500&access_token=meta_sim" | jq '.data | length'; }
[ "$(meta_count campaigns)" = "$(want campaigns.count)" ] || fail "campaigns count"
[ "$(meta_count ads)" = "$(want ads.count)" ] || fail "ads count"
R=(-H 'Authorization: proj-sim:rel_sim')
[ "$("${CURL[@]}" -X POST "${R[@]}" "$T/latest/agents/list" -d '{}' | jq '.results | length')" = "$(want agents.count)" ] ||
	fail "agents count"
# Pages are capped at 25 whatever page_size asks (--relevance-page-cap).
count_convs() { # count_convs [FILTERS-JSON]: pages through, prints the total
	local n=0 page=1 k
	while :; do
		k=$("${CURL[@]}" -G "${R[@]}" "$T/latest/agents/conversations/list" \
			--data-urlencode "filters=${1:-[]}" -d page_size=100 -d page=$page | jq '.results | length')
		[ "$k" -le 25 ] || fail "a page of $k conversations, over the cap"
		[ "$k" = 0 ] && break
		n=$((n + k)) page=$((page + 1))
	done
	echo "$n"
}
[ "$(want conversations.debug)" -gt 0 ] || fail "no builders' test runs among the conversations"
[ "$(count_convs)" = "$(($(want conversations.count) + $(want conversations.debug)))" ] ||
	fail "conversations count"
no_debug='[{"field":"conversation.is_debug_mode_task","filter_type":"exact_match","condition":"!=","condition_value":true}]'
[ "$(count_convs "$no_debug")" = "$(want conversations.count)" ] || fail "is_debug_mode_task filter"
# An agent saved without a name is listed without one.
[ "$("${CURL[@]}" -X POST "${R[@]}" "$T/latest/agents/list" -d '{}' | jq '[.results[] | select(has("name") | not)] | length')" = 1 ] ||
	fail "no unnamed agent"
# Roles the SDKs never send are refused.
agent0=$("${CURL[@]}" -X POST "${R[@]}" "$T/latest/agents/list" -d '{}' | jq -r '.results[0].agent_id')
for role in action-reject assistant; do
	status=$("${CURL[@]}" -o "$tmp/body" -w '%{http_code}' -X POST "${R[@]}" "$T/latest/agents/trigger" \
		-d "{\"agent_id\":\"$agent0\",\"message\":{\"role\":\"$role\",\"content\":\"x\"}}")
	[ "$status" = 422 ] || fail "role $role gave $status"
done

# --- updated_at search narrows the set and pages stably.
req=$(jq -cn --arg q "$q_page" '{query:$q, variables:{first:250}}' |
	jq -c '.query |= sub("sortKey:UPDATED_AT"; "sortKey:UPDATED_AT, query:\"updated_at:>='"'"'2026-11-19T00:00:00Z'"'"'\"")')
body=$(shopify "$T" shpat_sim "$req")
echo "$body" | jq -e '(.data.orders.nodes | length) > 0 and (.data.orders.nodes | length) < 250' >/dev/null ||
	fail "updated_at filter: $(echo "$body" | head -c 300)"

# --- Klaviyo: revision required, links.next absolute back to the simulator.
status=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$B/api/flows/" -H 'Authorization: Klaviyo-API-Key pk_sim')
[ "$status" = 400 ] || fail "missing revision gave $status"
page1=$("${CURL[@]}" "${K[@]}" "$B/api/flows/?page%5Bsize%5D=2")
next=$(echo "$page1" | jq -r '.links.next')
case "$next" in "$B/api/flows/"*) ;; *) fail "Klaviyo links.next not absolute: $next" ;; esac
page2=$("${CURL[@]}" "${K[@]}" "$next")
echo "$page2" | jq -e '(.data | length) == 2 and .data[0].type == "flow"' >/dev/null ||
	fail "following links.next: $page2"
[ "$(echo "$page1" | jq -r '.data[0].id')" != "$(echo "$page2" | jq -r '.data[0].id')" ] ||
	fail "links.next returned the same page"

# --- Klaviyo's reporting limits (1/s, 2/min) and body validation.
report='{"data":{"type":"flow-values-report","attributes":{"statistics":["recipients","conversions","conversion_value"],"timeframe":{"key":"last_7_days"},"conversion_metric_id":"SIMPO1"}}}'
post_report() { # post_report BASE BODY: body to $tmp/report, headers to $tmp/report.h
	"${CURL[@]}" -D "$tmp/report.h" -o "$tmp/report" -w '%{http_code}' -X POST "$1/api/flow-values-reports/" \
		"${K[@]}" -H 'Content-Type: application/vnd.api+json' --data-binary "$2"
}
[ "$(post_report "$B" "$report")" = 200 ] || fail "flow-values-report: $(cat "$tmp/report")"
grep -qi '^RateLimit-Limit: 2' "$tmp/report.h" || fail "no RateLimit-Limit on a report"
jq -e '.data.attributes.results | length > 0 and all(.statistics.recipients | type == "number")' \
	"$tmp/report" >/dev/null || fail "report results: $(cat "$tmp/report")"
[ "$(post_report "$B" "$report")" = 429 ] || fail "second report within a second was not throttled"
grep -qi '^Retry-After: [0-9]' "$tmp/report.h" || fail "429 without Retry-After"
jq -e '.errors[0].code == "throttled"' "$tmp/report" >/dev/null || fail "429 body: $(cat "$tmp/report")"
[ "$(post_report "$T" '{"data":{"type":"flow-values-report","attributes":{}}}')" = 400 ] ||
	fail "a report without statistics was accepted"

# --- Meta: paging.next absolute; a budget write shows in later reads.
M="access_token=meta_sim"
page1=$("${CURL[@]}" "$B/v21.0/act_1234567890/campaigns?fields=id,name,daily_budget&limit=2&$M")
next=$(echo "$page1" | jq -r '.paging.next')
case "$next" in "$B/v21.0/act_1234567890/campaigns?"*) ;; *) fail "Meta paging.next: $next" ;; esac
"${CURL[@]}" "$next" | jq -e '(.data | length) == 2' >/dev/null || fail "following paging.next"
cid=$(echo "$page1" | jq -r '.data[0].id')
"${CURL[@]}" -X POST "$B/v21.0/$cid" -d "daily_budget=12345&$M" | jq -e '.success == true' >/dev/null ||
	fail "budget write"
"${CURL[@]}" "$B/v21.0/act_1234567890/campaigns?fields=daily_budget&$M" |
	jq -e --arg id "$cid" '.data[] | select(.id == $id) | .daily_budget == "12345"' >/dev/null ||
	fail "budget write not reflected"

# --- --auth-fail meta: every Meta call is an OAuthException code 190.
start_sim authfail --seed 7 --now "$NOW" --auth-fail meta
body=$("${CURL[@]}" "http://127.0.0.1:$PORT/v21.0/act_1234567890?fields=name&$M")
echo "$body" | jq -e '.error.code == 190 and .error.type == "OAuthException"' >/dev/null ||
	fail "--auth-fail meta: $body"

stop_sims
echo "sim_smoke: ok ($count orders in $pages pages)"
