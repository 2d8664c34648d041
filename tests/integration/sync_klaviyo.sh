#!/usr/bin/env bash
# Klaviyo as the service behaves in December 2026, against okdf-sim: trigger
# linkage asked for with include=flow-triggers, report pages followed through
# page_cursor, a flow with null name and status, a key without accounts:read
# (a note; currency from the shop), campaign values reports, and the
# Klaviyo-attributed revenue in okdf metrics --json.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
. "$(dirname "$0")/lib_sim.sh"
export OKDF_NOW=$NOW XDG_CONFIG_HOME="$tmp/xdg" OKDF_SIM_KLAVIYO_STRICT=0
db="$tmp/okdf.db"

# Two result rows per report page: every report has more rows than that.
start_sim kl --seed 3 --now "$NOW" --orders 400 --no-throttle --klaviyo-no-accounts --klaviyo-report-page 2 --print-config
B=http://127.0.0.1:$PORT
tail -n +2 "$tmp/kl.out" | awk '/^\[/{keep = ($0 == "[shopify]" || $0 == "[sync]")} keep' >"$tmp/shop.ini"
tail -n +2 "$tmp/kl.out" | awk '/^\[/{keep = ($0 == "[klaviyo]" || $0 == "[sync]")} keep' >"$tmp/kl.ini"
chmod 600 "$tmp/shop.ini" "$tmp/kl.ini"
grep -q '^revision = 2026-10-15' "$tmp/kl.ini" || fail "okdf-sim config revision: $(cat "$tmp/kl.ini")"
K=(-H 'Authorization: Klaviyo-API-Key pk_sim' -H 'revision: 2026-10-15')

# Without the scope the simulator answers 403, like Klaviyo.
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "${K[@]}" "$B/api/accounts/")
[ "$code" = 403 ] || fail "accounts without accounts:read gave $code"
# Linkage only with include.
"${CURL[@]}" "${K[@]}" "$B/api/metrics/" |
	jq -e 'all(.data[]; .relationships["flow-triggers"] | has("data") | not)' >/dev/null ||
	fail "metrics linkage sent without include"

"$OKDF" --db "$db" --config "$tmp/shop.ini" sync --once >/dev/null 2>&1 || fail "shopify sync"
"$OKDF" --db "$db" --config "$tmp/kl.ini" sync --once >"$tmp/out" 2>&1 || fail "klaviyo sync: $(cat "$tmp/out")"
h=$(sqlite3 "$db" "SELECT state || '|' || coalesce(note, '') FROM connector_health WHERE connector = 'klaviyo'")
case "$h" in "ok|"*accounts:read*"shop's currency"*) ;; *) fail "klaviyo health: $h" ;; esac

# Triggers from the included linkage; the null-named flow kept.
[ "$(sqlite3 "$db" "SELECT trigger_metric_id FROM email_flows WHERE id = 'FLWAC1'")" = SIMSC1 ] ||
	fail "abandoned-cart trigger not linked"
[ "$(sqlite3 "$db" "SELECT trigger_metric_id FROM email_flows WHERE id = 'FLWPP1'")" = SIMPO1 ] ||
	fail "post-purchase trigger not linked"
[ "$(sqlite3 "$db" "SELECT name || '|' || status FROM email_flows WHERE id = 'FLWNL1'")" = "|" ] ||
	fail "flow with null name/status"

# Every page of each report, summed by hand from the simulator: okdf must match.
report_sum() { # report_sum PATH TYPE TIMEFRAME: sum of conversion_value in minor units
	local url="$B$1" body total=0 page
	body=$(jq -cn --arg t "$2" --arg tf "$3" '{data:{type:$t,attributes:{statistics:["conversion_value"],
		timeframe:{key:$tf},conversion_metric_id:"SIMPO1"}}}')
	while [ -n "$url" ]; do
		page=$("${CURL[@]}" -X POST "${K[@]}" -H 'Content-Type: application/vnd.api+json' --data-binary "$body" "$url")
		total=$(jq -r --argjson t "$total" '$t + ([.data.attributes.results[].statistics.conversion_value * 100 | round] | add // 0)' <<<"$page")
		url=$(jq -r '.links.next // empty' <<<"$page")
	done
	echo "$total"
}
for tf in last_7_days last_30_days; do
	want=$(report_sum /api/flow-values-reports/ flow-values-report $tf)
	got=$(sqlite3 "$db" "SELECT coalesce(sum(conversion_value_minor), 0) FROM email_flow_stats WHERE timeframe = '$tf' AND currency = 'USD'")
	[ "$got" = "$want" ] || fail "flow revenue $tf: okdf $got, Klaviyo $want"
	want=$(report_sum /api/campaign-values-reports/ campaign-values-report $tf)
	got=$(sqlite3 "$db" "SELECT coalesce(sum(conversion_value_minor), 0) FROM email_campaign_stats WHERE timeframe = '$tf'")
	[ "$got" = "$want" ] || fail "campaign revenue $tf: okdf $got, Klaviyo $want"
done
[ "$(sqlite3 "$db" "SELECT count(*) FROM email_flow_stats WHERE timeframe = 'last_30_days'")" -gt 2 ] ||
	fail "fewer flows than one report page: paging not exercised"

# The supporting numbers: Klaviyo's own attribution, labelled as such.
flows=$(sqlite3 "$db" "SELECT sum(conversion_value_minor) FROM email_flow_stats WHERE timeframe = 'last_30_days'")
camps=$(sqlite3 "$db" "SELECT sum(conversion_value_minor) FROM email_campaign_stats WHERE timeframe = 'last_30_days'")
"$OKDF" --db "$db" --config "$tmp/kl.ini" metrics --window 30d --json >"$tmp/m.json"
jq -e --argjson f "$flows" --argjson c "$camps" '.klaviyo_attributed.timeframe == "last_30_days"
	and .klaviyo_attributed.flows_minor == $f and .klaviyo_attributed.campaigns_minor == $c
	and .klaviyo_attributed.total_minor == ($f + $c) and $c > 0
	and (.definitions["klaviyo_attributed.total_minor"] | test("Klaviyo.s own attribution"))' \
	"$tmp/m.json" >/dev/null || fail "metrics --json: $(jq -c '{klaviyo_attributed, d: .definitions}' "$tmp/m.json")"
"$OKDF" --db "$db" --config "$tmp/kl.ini" metrics --window 90d --json >"$tmp/m90.json" || fail "metrics 90d: $(cat "$tmp/m90.json")"
jq -e '.klaviyo_attributed.timeframe == null and .klaviyo_attributed.total_minor == null' \
	"$tmp/m90.json" >/dev/null || fail "a 90d window has a Klaviyo number: $(head -c 300 "$tmp/m90.json")"
stop_sims
echo "sync_klaviyo: ok"
