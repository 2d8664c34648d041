#!/usr/bin/env bash
# Meta as the service behaves in December 2026, against okdf-sim: "27.0"
# accepted, an expired version (#2635) is a failing connector whose message
# names the fix, a forint account's budgets converted with Meta's offset both
# ways, the backfill as an asynchronous report run, a trailing window too
# large for one synchronous request halved on code 1, appsecret_proof.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
. "$(dirname "$0")/lib_sim.sh"
export OKDF_NOW=$NOW XDG_CONFIG_HOME="$tmp/xdg" OKDF_OPERATOR=dana
db="$tmp/okdf.db"

# HUF: offset 1 (budgets in whole forint), 2 ISO decimals. App secret required.
# 40 rows at most per synchronous insights answer: the 28-day window is more.
start_sim huf --seed 5 --now "$NOW" --meta-currency HUF --meta-app-secret s3cr3t \
	--meta-insights-max-rows 40 --truth "$tmp/truth.json"
B=http://127.0.0.1:$PORT
conf() { # conf VERSION [APP_SECRET]
	printf '[meta]\naccess_token = meta_sim\nad_account_id = 1234567890\napi_version = %s\nbase_url = %s\n' \
		"$1" "$B" >"$tmp/meta.ini"
	[ -z "${2:-}" ] || printf 'app_secret = %s\n' "$2" >>"$tmp/meta.ini"
	chmod 600 "$tmp/meta.ini"
}
okdf() { "$OKDF" --db "$db" --config "$tmp/meta.ini" "$@"; }
health() { sqlite3 "$db" "SELECT state || '|' || coalesce(last_error, '') FROM connector_health WHERE connector = 'meta'"; }

# An expired version: a failing connector, not a crash, and the message names
# the version and what to set.
conf v21.0 s3cr3t
rc=0; okdf sync --once >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "v21.0 sync exited $rc"
h=$(health)
case "$h" in failing\|*v21.0*"api_version = v27.0"*) ;; *) fail "health after #2635: $h" ;; esac
[ "$(sqlite3 "$db" 'SELECT count(*) FROM campaigns')" = 0 ] || fail "rows written under an expired version"

# Without the app secret the simulator (like an app with "Require App Secret") refuses.
conf 27.0
rc=0; okdf sync --once >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "sync without appsecret_proof exited $rc"
grep -q "appsecret_proof" "$tmp/out" || fail "no appsecret_proof error: $(cat "$tmp/out")"

# "27.0" with the secret: the backfill runs as a report run.
conf 27.0 s3cr3t
okdf sync --once >"$tmp/out" 2>&1 || fail "sync: $(cat "$tmp/out")"
[ "$(health | cut -d'|' -f1)" = ok ] || fail "health: $(health)"
want_rows=$(jq '.tables.ad_insights_daily.count' "$tmp/truth.json")
want_value=$(jq '.tables.ad_insights_daily.purchase_value_minor' "$tmp/truth.json")
got=$(sqlite3 "$db" 'SELECT count(*) || " " || sum(purchase_value_minor) FROM ad_insights_daily')
[ "$got" = "$want_rows $want_value" ] || fail "insights after backfill: $got, truth $want_rows $want_value"
[ "$want_rows" -gt 40 ] || fail "too few rows to prove anything"

# Budgets: Meta sends whole forint; okdf stores fillér (ISO minor units).
"${CURL[@]}" "$B/v27.0/act_1234567890/campaigns?fields=id,daily_budget&limit=100&access_token=meta_sim&appsecret_proof=$(printf meta_sim | openssl dgst -sha256 -hmac s3cr3t | sed 's/^.*= //')" |
	jq -r '.data[] | "\(.id) \(.daily_budget)"' | sort >"$tmp/meta_budgets"
[ -s "$tmp/meta_budgets" ] || fail "no budgets from okdf-sim"
sqlite3 "$db" "SELECT id || ' ' || (daily_budget_minor / 100) FROM campaigns WHERE currency = 'HUF'
	AND daily_budget_minor % 100 = 0 ORDER BY id" >"$tmp/okdf_budgets"
diff "$tmp/meta_budgets" "$tmp/okdf_budgets" >&2 || fail "HUF budgets not read with offset 1"

# The second pass re-reads 28 days synchronously: over 40 rows, so okdf must
# halve the range on code 1 (repeating the request can never succeed).
okdf sync --once >"$tmp/out" 2>&1 || fail "trailing pass: $(cat "$tmp/out")"
got=$(sqlite3 "$db" 'SELECT count(*) || " " || sum(purchase_value_minor) FROM ad_insights_daily')
[ "$got" = "$want_rows $want_value" ] || fail "insights after the halved window: $got"

# Someone doubles a budget in Ads Manager (50 -> 100 forint): the budget rule
# compares minor units (5000 -> 10000, +100 %) and a revert writes Meta's
# unit back: 5000 fillér is 50 forint.
proof=$(printf meta_sim | openssl dgst -sha256 -hmac s3cr3t | sed 's/^.*= //')
campaign=$(head -1 "$tmp/meta_budgets" | cut -d' ' -f1)
[ "$(head -1 "$tmp/meta_budgets" | cut -d' ' -f2)" = 50 ] || fail "unexpected first budget: $(head -1 "$tmp/meta_budgets")"
"${CURL[@]}" -X POST "$B/v27.0/$campaign" -d "daily_budget=100&access_token=meta_sim&appsecret_proof=$proof" |
	jq -e '.success == true' >/dev/null || fail "raising the budget in okdf-sim"
export OKDF_NOW=2026-11-20T12:10:00Z # budget history is kept per observation time
okdf sync --once >"$tmp/out" 2>&1 || fail "sync after the raise: $(cat "$tmp/out")"
[ "$(sqlite3 "$db" "SELECT daily_budget_minor FROM campaigns WHERE id = '$campaign'")" = 10000 ] ||
	fail "raised budget read wrong"
esc=$(okdf inbox --json | jq -r --arg c "$campaign" '[.[] | select(.kind == "budget.scale"
	and .evidence.campaign_id == $c and .evidence.currency == "HUF"
	and .evidence.previous_minor == 5000 and .evidence.daily_budget_minor == 10000
	and .evidence.revert_to_minor == 5000)][0].id // empty')
[ -n "$esc" ] || fail "no budget.scale escalation in HUF minor units: $(okdf inbox --json | jq -c '[.[] | .evidence]')"
okdf decide "$esc" revert --note "too fast" >/dev/null
okdf actions run >"$tmp/out" 2>&1 || fail "actions: $(cat "$tmp/out")"
"${CURL[@]}" "$B/v27.0/$campaign?fields=daily_budget&access_token=meta_sim&appsecret_proof=$proof" |
	jq -e '.daily_budget == "50"' >/dev/null || fail "revert did not set 50 forint"
OKDF_NOW=2026-11-20T12:20:00Z okdf sync --once >/dev/null 2>&1 || fail "sync after revert"
[ "$(sqlite3 "$db" "SELECT daily_budget_minor FROM campaigns WHERE id = '$campaign'")" = 5000 ] ||
	fail "reverted budget read back wrong"
stop_sims
echo "sync_meta: ok ($want_rows insight rows)"
