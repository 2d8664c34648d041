#!/usr/bin/env bash
# okdf phases / phase / brief / review / set: exit codes (0 ok, 1 refused,
# 2 bad input), the --json shape, --help everywhere, refusal then override
# then audit, a changed brief re-opening phases 4-7, and a bad catalog in
# --data-dir giving exit 2 with the file and JSON path named.
set -euo pipefail

: "${OKDF:?set OKDF to the okdf binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/okdf.db"
export OKDF_OPERATOR=carol
export SSH_CONNECTION="198.51.100.9 40000 198.51.100.1 22"
export OKDF_NOW=2025-11-24T16:00:00Z
unset OKDF_DATA_DIR

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect CODE ARGS...: runs okdf --db $db ARGS, output in $tmp/out and $tmp/err.
expect() {
	local want=$1; shift
	local got=0
	"$OKDF" --db "$db" "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
	if [ "$got" != "$want" ]; then
		fail "okdf $* exited $got, want $want"
		sed 's/^/    /' "$tmp/out" "$tmp/err" >&2
	fi
}

contains() { # FILE TEXT
	grep -qF -- "$2" "$1" || { fail "$1 lacks '$2'"; sed 's/^/    /' "$1" >&2; }
}

width_ok() { # FILE: every line fits 80 columns
	local long
	long=$(awk 'length($0) > 80' "$1")
	[ -z "$long" ] || fail "lines over 80 columns: $long"
}

# --- a fresh database prints the checklist ---
expect 0 phases
contains "$tmp/out" "Setup: 0 of 11 phases done. Next: phase 1, Brand brief and positioning."
contains "$tmp/out" "11  Autonomous operation"
width_ok "$tmp/out"
expect 0 phase show 4
contains "$tmp/out" "Phase 4: Email sequences (Klaviyo)"
contains "$tmp/out" "Guidance"
width_ok "$tmp/out"
expect 0 phase show 11
width_ok "$tmp/out"
expect 0 phase show cs_agent
contains "$tmp/out" "Phase 5: Customer-service agent (Relevance AI)"

# --- --help on every command ---
for cmd in "phases" "phase" "phase show" "phase signoff" "phase complete" "phase reopen" \
	"brief" "review" "set" "settings"; do
	# shellcheck disable=SC2086
	expect 0 $cmd --help
	contains "$tmp/out" "usage: okdf ${cmd%% *}"
done

# --- usage errors and bad input: exit 2 ---
expect 2 phase
expect 2 phase frobnicate 1
expect 2 phase show
expect 2 phase show 12
contains "$tmp/err" 'no phase "12" (phases are 1-11)'
expect 2 phase signoff 1
contains "$tmp/err" "missing sign-off id"
expect 2 phase signoff 1 nosuch
contains "$tmp/err" 'phase 1 has no sign-off "nosuch" (it has: positioning, voice, offer, forbidden_claims)'
expect 2 phase complete
expect 2 phase complete 2 --override
expect 2 phase complete 2 --override "  "
expect 2 phases --bogus
expect 2 set budget_cap_minor lots
expect 2 set nosuch 1
expect 2 brief register "$tmp/missing.md"
expect 2 review
OKDF_NOW=whenever expect 2 phases
contains "$tmp/err" "OKDF_NOW"

# --- refusal lists every reason, exit 1 ---
expect 1 phase complete 2
contains "$tmp/err" "Phase 2 (Store (Shopify)) cannot be completed yet:"
contains "$tmp/err" "  - prerequisite phase 1 (Brand brief and positioning) is not complete"
contains "$tmp/err" "  - check shopify_token_valid has no data yet: Shopify has not synced yet"
contains "$tmp/err" "  - check orders_syncing has no data yet: no orders synced yet"
contains "$tmp/err" "  - sign-off storefront missing: storefront, pricing and policies approved"
contains "$tmp/err" "refused: 6 reasons above; fix them or use --override REASON"
[ "$(grep -c '^  - ' "$tmp/err")" = 6 ] || fail "want 6 reasons"
expect 1 phase reopen 2
contains "$tmp/err" "phase 2 (Store (Shopify)) is not complete"

# --- override, then the audit log ---
expect 0 phase complete 2 --override "the agency built the store"
contains "$tmp/out" "Phase 2 (Store (Shopify)) completed by carol."
contains "$tmp/out" "Overridden (recorded in the audit log):"
[ "$(grep -c '^  - ' "$tmp/out")" = 6 ] || fail "want 6 overridden reasons"
expect 1 phase complete 2
contains "$tmp/err" "is already complete"
expect 0 audit --target phase:2
contains "$tmp/out" "carol        198.51.100.9    phase.override"
contains "$tmp/out" "reason: the agency built the store; overridden: prerequisite phase 1 (Brand brief and positioning) is not complete; check shopify_token_valid has no data yet"
contains "$tmp/out" "phase.complete     phase:2  override: the agency built the store"

# --- phase 1 the proper way: brief, four sign-offs, complete ---
printf '# Brand brief\nPositioning: warm socks for cold offices.\n' >"$tmp/brief.md"
expect 0 brief register "$tmp/brief.md"
contains "$tmp/out" "Brief registered: $tmp/brief.md"
for s in positioning voice offer forbidden_claims; do
	expect 0 phase signoff 1 "$s" --note "approved in review"
done
expect 0 phase complete 1
contains "$tmp/out" "Phase 1 (Brand brief and positioning) completed by carol."
expect 0 brief show
contains "$tmp/out" "registered 2025-11-24T16:00:00Z by carol"

# --- --json shape ---
expect 0 phases --json
cp "$tmp/out" "$tmp/phases.json"
jq -e '
  (.phases | length == 11)
  and ([.phases[].number] == [range(1; 12)])
  and all(.phases[];
      (.id | type == "string") and (.title | type == "string")
      and (.status | IN("done", "in_progress", "blocked", "not_started"))
      and (.blocked_by == null or (.blocked_by | type == "number"))
      and (.completed_at == null or (.completed_at | test("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")))
      and (.completed_by == null or (.completed_by | type == "string"))
      and (.checks | type == "array" and length > 0)
      and all(.checks[]; (.id | type == "string") and (.description | type == "string")
          and (.state | IN("pass", "fail", "no_data")) and (.why | type == "string"))
      and (.signoffs | type == "array" and length > 0)
      and all(.signoffs[]; (.id | type == "string") and (.description | type == "string")
          and has("signed_by") and has("signed_at") and has("note")))
' "$tmp/phases.json" >/dev/null || fail "--json shape"
jq -e '.phases[0] | .status == "done" and .completed_by == "carol"
  and .completed_at == "2025-11-24T16:00:00Z" and .blocked_by == null
  and .checks[0] == {"id":"brief_registered","description":.checks[0].description,"state":"pass","why":.checks[0].why}
  and .signoffs[0].signed_by == "carol" and .signoffs[0].signed_at == "2025-11-24T16:00:00Z"
  and .signoffs[0].note == "approved in review"' "$tmp/phases.json" >/dev/null \
	|| fail "phase 1 in --json"
jq -e '.phases[2] | .status == "not_started" and .blocked_by == null' "$tmp/phases.json" \
	>/dev/null || fail "phase 3 should be open, not blocked"
jq -e '.phases[3] | .status == "blocked" and .blocked_by == 3' "$tmp/phases.json" >/dev/null \
	|| fail "phase 4 should be blocked by 3"
jq -e '.phases[7].checks[] | select(.id == "budgets_within_cap") | .state == "no_data"' \
	"$tmp/phases.json" >/dev/null || fail "budget cap check without a cap"
expect 0 phase show 1 --json
jq -e '.number == 1 and (.guidance | length > 100) and .status == "done"' "$tmp/out" >/dev/null \
	|| fail "phase show --json"

# --- settings and reviews ---
expect 0 set budget_cap_minor 10000
expect 0 set budget_cap_minor 20000
expect 0 settings
contains "$tmp/out" "budget_cap_minor"
expect 0 audit --target settings:budget_cap_minor
contains "$tmp/out" "20000 (was 10000)"
expect 0 review add --note "first loop outputs look sane"
contains "$tmp/out" "Review #1 recorded by carol."
expect 0 phases --json
jq -e '[.phases[].checks[] | select(.id == "weekly_review_8d")][0].state == "pass"' "$tmp/out" \
	>/dev/null || fail "weekly review check should pass after review add"
jq -e '[.phases[].checks[] | select(.id == "budgets_within_cap")][0].state == "no_data"' \
	"$tmp/out" >/dev/null || fail "budget check with a cap but no campaigns is no_data"

# --- a changed brief re-opens phases 4-7 ---
expect 0 phase complete 4 --override "testing the re-open"
expect 0 phase signoff 4 email_copy
printf '# Brand brief\nPositioning: luxury socks.\n' >"$tmp/brief.md"
expect 0 brief register "$tmp/brief.md"
contains "$tmp/out" "Re-opened phase 4."
contains "$tmp/out" "Sign-offs withdrawn on phase 4."
expect 0 phases --json
jq -e '.phases[3].status != "done" and .phases[3].signoffs[0].signed_by == null
  and .phases[0].status == "done"' "$tmp/out" >/dev/null || fail "phase 4 not re-opened"
expect 0 audit --target phase:4
contains "$tmp/out" "phase.reopen       phase:4  brand brief changed"

# --- reopen ---
expect 0 phase reopen 2
contains "$tmp/out" "Phase 2 (Store (Shopify)) reopened by carol."

# --- a bad catalog in --data-dir: exit 2, file and JSON path named ---
mkdir -p "$tmp/data"
jq '.phases[3].prerequisites[0] = "warehous"' "${OKDF_SRC:-.}/data/phases.json" \
	>"$tmp/data/phases.json"
got=0
"$OKDF" --db "$db" --data-dir "$tmp/data" phases >"$tmp/out" 2>"$tmp/err" || got=$?
[ "$got" = 2 ] || fail "bad catalog exited $got, want 2"
contains "$tmp/err" "$tmp/data/phases.json: \$.phases[3].prerequisites[0]: unknown phase \"warehous\""
printf '{"phases": [\n  {"id": "a",\n' >"$tmp/data/phases.json"
got=0
"$OKDF" --db "$db" --data-dir "$tmp/data" phase show 1 >"$tmp/out" 2>"$tmp/err" || got=$?
[ "$got" = 2 ] || fail "malformed catalog exited $got, want 2"
contains "$tmp/err" "$tmp/data/phases.json: line 3, column 1: malformed JSON"
got=0
"$OKDF" --db "$db" --data-dir "$tmp/nowhere" phases >"$tmp/out" 2>"$tmp/err" || got=$?
[ "$got" = 2 ] || fail "missing catalog exited $got, want 2"
contains "$tmp/err" "$tmp/nowhere/phases.json: No such file or directory"

if [ "$fails" -gt 0 ]; then
	echo "$fails failure(s)" >&2
	exit 1
fi
echo "cli_phases: all good"
