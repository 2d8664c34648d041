#!/usr/bin/env bash
# Faults never change the data: with 30% injected errors and 5% truncated
# bodies, a client that retries still reads exactly the truth, and every
# vendor's fault shapes show up.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

start_sim faulty --seed 11 --now "$NOW" --orders 1500 --no-throttle \
	--meta-insights-max-rows 100000 --fault-rate 0.3 --malformed 0.05 --truth "$tmp/truth.json"
B=http://127.0.0.1:$PORT
# shopify_retry runs in a subshell: it logs the faults it saw to a file.
: >"$tmp/faults"

# shopify_retry BODY: retries until a complete, error-free answer.
shopify_retry() {
	local body try
	for try in $(seq 60); do
		body=$(shopify "$B" shpat_sim "$1")
		case "$(cat "$tmp/status")" in
		500) echo 500 >>"$tmp/faults"; continue ;;
		429) echo 429 >>"$tmp/faults"; continue ;;
		esac
		if ! echo "$body" | jq -e . >/dev/null 2>&1; then
			echo truncated >>"$tmp/faults"; continue
		fi
		if echo "$body" | jq -e '.errors[0].extensions.code == "THROTTLED"' >/dev/null; then
			echo throttled >>"$tmp/faults"; continue
		fi
		echo "$body"
		return 0
	done
	fail "no clean Shopify answer in 60 tries"
}

q_page='query($after:String){ orders(first:100, after:$after, sortKey:UPDATED_AT){ pageInfo{ hasNextPage endCursor } nodes{ id totalPriceSet{ shopMoney{ amount } } refunds { totalRefundedSet { shopMoney { amount } } } } } }'
count=0 total=0 refunds=0 after=null
while :; do
	req=$(jq -cn --arg q "$q_page" --argjson a "$after" '{query:$q, variables:{after:$a}}')
	body=$(shopify_retry "$req")
	read -r n s r more after < <(echo "$body" | jq -r "$JQ_MINOR"'
		.data.orders as $o
		| [($o.nodes | length), ([$o.nodes[].totalPriceSet.shopMoney.amount | minor] | add // 0),
		   ([$o.nodes[].refunds[].totalRefundedSet.shopMoney.amount | minor] | add // 0),
		   $o.pageInfo.hasNextPage, ($o.pageInfo.endCursor | tojson)] | @tsv')
	count=$((count + n)) total=$((total + s)) refunds=$((refunds + r))
	[ "$more" = true ] || break
done
[ "$count" = "$(jq .tables.orders.count "$tmp/truth.json")" ] || fail "orders $count"
[ "$total" = "$(jq .tables.orders.total_minor "$tmp/truth.json")" ] || fail "total $total"
[ "$refunds" = "$(jq .tables.refunds.amount_minor "$tmp/truth.json")" ] || fail "refunds $refunds"
# Cheap queries until every fault kind has shown up (bounded).
for _ in $(seq 200); do
	kinds=$(sort -u "$tmp/faults" | wc -l)
	[ "$kinds" -lt 4 ] || break
	shopify_retry '{"query":"{ shop { id } }"}' >/dev/null
done
seen_500=$(grep -c '^500$' "$tmp/faults" || true)
seen_429=$(grep -c '^429$' "$tmp/faults" || true)
seen_throttled=$(grep -c '^throttled$' "$tmp/faults" || true)
seen_truncated=$(grep -c '^truncated$' "$tmp/faults" || true)
[ $((seen_500 * seen_429 * seen_throttled * seen_truncated)) -gt 0 ] ||
	fail "fault mix 500=$seen_500 429=$seen_429 throttled=$seen_throttled truncated=$seen_truncated"

# Meta insights under faults: every row once; ROAS counts one action type.
M="access_token=meta_sim"
url="$B/v27.0/act_1234567890/insights?level=campaign&time_increment=1&date_preset=maximum&fields=campaign_id,spend,actions,action_values,date_start,date_stop&limit=50&$M"
rows=0 spend=0 value=0 meta_faults=0
while [ -n "$url" ]; do
	code=$("${CURL[@]}" -o "$tmp/meta" -w '%{http_code}' "$url" || true)
	if [ "$code" != 200 ] || ! jq -e . "$tmp/meta" >/dev/null 2>&1; then
		if [ "$code" = 400 ]; then
			jq -e '.error.is_transient == true and (.error.code == 17 or .error.code == 80004)' \
				"$tmp/meta" >/dev/null || fail "Meta 400 without a transient throttle code"
		fi
		meta_faults=$((meta_faults + 1))
		[ "$meta_faults" -lt 200 ] || fail "Meta never answered cleanly"
		continue
	fi
	read -r n s v < <(jq -r "$JQ_MINOR"'[(.data | length),
		([.data[].spend | minor] | add // 0),
		([.data[].action_values[]? | select(.action_type == "offsite_conversion.fb_pixel_purchase") | .value | minor] | add // 0)] | @tsv' "$tmp/meta")
	rows=$((rows + n)) spend=$((spend + s)) value=$((value + v))
	url=$(jq -r '.paging.next // empty' "$tmp/meta")
done
[ "$rows" = "$(jq .tables.ad_insights_daily.count "$tmp/truth.json")" ] || fail "insight rows $rows"
[ "$spend" = "$(jq .tables.ad_insights_daily.spend_minor "$tmp/truth.json")" ] || fail "spend $spend"
[ "$value" = "$(jq .tables.ad_insights_daily.purchase_value_minor "$tmp/truth.json")" ] ||
	fail "purchase value $value"
# Meta's throttle is an HTTP 400 with a transient code, not a 429.
meta_throttle=0
for _ in $(seq 100); do
	code=$("${CURL[@]}" -o "$tmp/meta" -w '%{http_code}' "$B/v27.0/act_1234567890?fields=name&$M" || true)
	if [ "$code" = 400 ]; then
		jq -e '.error.is_transient == true and (.error.code == 17 or .error.code == 80004)' \
			"$tmp/meta" >/dev/null || fail "Meta 400 is not a transient throttle: $(cat "$tmp/meta")"
		meta_throttle=1
		break
	fi
done
[ "$meta_throttle" = 1 ] || fail "no Meta throttle fault injected"

# --slow delays answers; --malformed alone keeps status 200.
start_sim slow --seed 11 --now "$NOW" --orders 50 --slow 300
t0=$(date +%s%N)
"${CURL[@]}" -o /dev/null "http://127.0.0.1:$PORT/latest/agents/list" -X POST \
	-H 'Authorization: proj-sim:rel_sim' -d '{}'
[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 300 ] || fail "--slow 300 answered early"

stop_sims
echo "sim_faults: ok ($count orders; faults 500=$seen_500 429=$seen_429 throttled=$seen_throttled truncated=$seen_truncated meta=$meta_faults)"
