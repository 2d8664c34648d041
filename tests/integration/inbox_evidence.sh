#!/usr/bin/env bash
# Evidence to act on (issue 13), against okdf-sim: for every conversation
# waiting for a person the sync stores the customer's messages and the
# agent's pending action exactly as the task view serves them; `okdf inbox
# show` (JSON and text) gives them with times in the shop's zone, and a
# disapproved ad's escalation gives Meta's review feedback as Graph serves
# it. Once the agent's action is approved and carried out, the next sync
# drops that conversation's evidence.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
. "$(dirname "$0")/lib_sim.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: the Quick start installs it" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing: the Quick start installs it" >&2; exit 1; }

export XDG_CONFIG_HOME="$tmp/xdg" OKDF_OPERATOR=rui
db="$tmp/okdf.db"
okdf() { "$OKDF" --db "$db" --config "$tmp/config.ini" "$@"; }
q() { sqlite3 "$db" "$1"; }

start_sim main --no-throttle --seed 5 --now "$NOW" --days 30 --orders 200 --print-config
B=http://127.0.0.1:$PORT
tail -n +2 "$tmp/main.out" >"$tmp/config.ini"
chmod 600 "$tmp/config.ini"
R=(-H 'Authorization: proj-sim:rel_sim' -H 'Content-Type: application/json')
view() { # view AGENT CONVERSATION: the task view as the service serves it
	"${CURL[@]}" -X POST "${R[@]}" -d '{"page_size":1000}' "$B/latest/agents/$1/tasks/$2/view"
}

okdf sync --once >"$tmp/sync.out" 2>&1 || fail "sync: $(cat "$tmp/sync.out")"

# --- One evidence row for each conversation waiting for a person, and what
# it holds is what the task view serves.
waiting="state IN ('pending-approval', 'errored-pending-approval', 'escalated')"
n=$(q "SELECT count(*) FROM conversations WHERE $waiting")
[ "$n" -ge 3 ] || fail "only $n conversations wait for a person"
[ "$(q 'SELECT count(*) FROM conversation_evidence')" = "$n" ] ||
	fail "evidence rows: $(q 'SELECT count(*) FROM conversation_evidence') of $n"
[ "$(q "SELECT count(*) FROM conversation_evidence v JOIN conversations c
	ON c.id = v.conversation_id WHERE c.$waiting")" = "$n" ] || fail "evidence of the wrong conversations"
q "SELECT c.agent_id, c.id FROM conversations c WHERE $waiting" | while IFS='|' read -r agent conv; do
	view "$agent" "$conv" >"$tmp/view.json"
	want=$(jq -c '[.results[] | select(.content.type == "user-message") | .content.text]' "$tmp/view.json")
	got=$(q "SELECT messages FROM conversation_evidence WHERE conversation_id = '$conv'" | jq -c 'map(.text)')
	[ "$got" = "$want" ] || fail "$conv messages: $got, served $want"
	want=$(jq -r '[.results[] | select(.content.type == "tool-run" and .content.tool_run_state == "pending")]
		| last | .content.tool_config.title // "escalation to a person"' "$tmp/view.json")
	got=$(q "SELECT tool FROM conversation_evidence WHERE conversation_id = '$conv'")
	[ "$got" = "$want" ] || fail "$conv tool: $got, served $want"
done

# --- The refund waiting for approval, through inbox show --json.
okdf inbox --json >"$tmp/inbox.json"
refund_conv=$(q "SELECT conversation_id FROM conversation_evidence WHERE tool = 'Issue refund' LIMIT 1")
[ -n "$refund_conv" ] || fail "no conversation waits to refund"
id=$(jq -r --arg c "conversation:$refund_conv" '.[] | select(.evidence.sources | index($c)) | .id' \
	"$tmp/inbox.json" | head -1)
[ -n "$id" ] || fail "no escalation names conversation $refund_conv"
agent=$(q "SELECT agent_id FROM conversations WHERE id = '$refund_conv'")
view "$agent" "$refund_conv" >"$tmp/view.json"
okdf inbox show "$id" --json >"$tmp/show.json" || fail "inbox show $id --json"
jq -e '.conversation.pending_action.tool == "Issue refund"' "$tmp/show.json" >/dev/null ||
	fail "pending action: $(jq -c .conversation "$tmp/show.json")"
amount=$(jq -r '[.results[] | select(.content.tool_run_state == "pending")] | last
	| .content.params.resolved.amount | tostring' "$tmp/view.json")
[ "$(jq -r .conversation.pending_action.amount "$tmp/show.json")" = "$amount" ] ||
	fail "amount: $(jq -c .conversation.pending_action "$tmp/show.json"), served $amount"
[ "$(jq -r .conversation.pending_action.params.reason "$tmp/show.json")" = \
	"$(jq -r '[.results[] | select(.content.tool_run_state == "pending")] | last
	| .content.params.resolved.reason' "$tmp/view.json")" ] || fail "params: $(jq -c .conversation "$tmp/show.json")"
# Each message at its time in the shop's zone, with the zone's offset.
tz=$(q "SELECT iana_timezone FROM shop")
[ -n "$tz" ] && [ "$tz" != UTC ] || fail "the shop has no zone of its own: '$tz'"
jq -r '.results[] | select(.content.type == "user-message") | [.insert_date_, .content.text] | @tsv' \
	"$tmp/view.json" | while IFS=$'\t' read -r at text; do
	local_at=$(TZ="$tz" date -d "$at" +%Y-%m-%dT%H:%M:%S%:z)
	jq -e --arg at "$local_at" --arg t "$text" '.conversation.customer_messages
		| any(.at == $at and .text == $t)' "$tmp/show.json" >/dev/null ||
		fail "message '$text' at $local_at: $(jq -c .conversation.customer_messages "$tmp/show.json")"
done
okdf inbox show "$id" >"$tmp/show.txt" || fail "inbox show $id"
first=$(jq -r '[.results[] | select(.content.type == "user-message")][1].content.text' "$tmp/view.json")
grep -qF "$first" "$tmp/show.txt" || fail "text show lacks the customer's words: $(cat "$tmp/show.txt")"
grep -qF "pending action: Issue refund, amount $amount" "$tmp/show.txt" ||
	fail "text show lacks the pending action: $(cat "$tmp/show.txt")"

# --- The disapproved ad: its review feedback as Graph serves it.
ad_esc=$(jq -r '.[] | select(.kind == "crisis.policy_violation") | .id' "$tmp/inbox.json" | head -1)
[ -n "$ad_esc" ] || fail "no disapproved-ad escalation"
okdf inbox show "$ad_esc" --json >"$tmp/ad.json" || fail "inbox show $ad_esc --json"
ad=$(jq -r .ad.id "$tmp/ad.json")
want=$("${CURL[@]}" "$B/v27.0/act_1234567890/ads?fields=id,ad_review_feedback&limit=200&access_token=meta_sim" |
	jq -c --arg ad "$ad" '[.data[] | select(.id == $ad) | .ad_review_feedback.global
		| to_entries[] | "\(.key): \(.value)"]')
[ "$want" != "[]" ] || fail "okdf-sim serves no review feedback for ad $ad"
[ "$(jq -c .ad.review_feedback "$tmp/ad.json")" = "$want" ] ||
	fail "review feedback: $(jq -c .ad "$tmp/ad.json"), served $want"
okdf inbox show "$ad_esc" | grep -qF "review feedback: $(jq -r '.[0]' <<<"$want")" ||
	fail "text show lacks the review feedback"
# An ad without feedback stores none.
[ "$(q "SELECT count(*) FROM ads WHERE review_feedback IS NOT NULL")" = 1 ] ||
	fail "feedback stored for $(q "SELECT count(*) FROM ads WHERE review_feedback IS NOT NULL") ads"

# --- Approved and carried out: the next sync drops the evidence.
okdf decide "$id" approve --note "within policy" >/dev/null
okdf actions run >"$tmp/actions.out" || fail "actions run: $(cat "$tmp/actions.out")"
for _ in $(seq 60); do
	okdf sync --once >"$tmp/sync.out" 2>&1 || fail "sync: $(cat "$tmp/sync.out")"
	[ "$(q "SELECT state FROM conversations WHERE id = '$refund_conv'")" = completed ] && break
	sleep 0.5
done
[ "$(q "SELECT state FROM conversations WHERE id = '$refund_conv'")" = completed ] ||
	fail "the approved task never completed"
[ "$(q "SELECT count(*) FROM conversation_evidence WHERE conversation_id = '$refund_conv'")" = 0 ] ||
	fail "evidence kept for a conversation no longer waiting"
[ "$(q 'SELECT count(*) FROM conversation_evidence')" = "$((n - 1))" ] || fail "other evidence lost"
jq -e '.conversation.pending_action == null' <(okdf inbox show "$id" --json) >/dev/null ||
	fail "a pending action still shown after it ran"

stop_sims
echo "ok"
