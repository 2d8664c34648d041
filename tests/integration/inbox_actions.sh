#!/usr/bin/env bash
# Decisions that act, against okdf-sim: a budget revert through the Meta API
# and an approval and a rejection through Relevance AI, each checked in the
# simulator's own state afterwards; a vendor error reopens the escalation.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
. "$(dirname "$0")/lib_sim.sh"

export XDG_CONFIG_HOME="$tmp/xdg" OKDF_OPERATOR=dana SSH_CONNECTION="192.0.2.44 5000 10.0.0.1 22"
db="$tmp/okdf.db"
okdf() { "$OKDF" --db "$db" --config "$tmp/config.ini" "$@"; }

start_sim main --seed 7 --now "$NOW" --print-config
B=http://127.0.0.1:$PORT
tail -n +2 "$tmp/main.out" >"$tmp/config.ini"
chmod 600 "$tmp/config.ini"
grep -q '^\[relevance\]' "$tmp/config.ini" || fail "no config from okdf-sim --print-config"
okdf inbox >/dev/null # creates the database

# A campaign and its budget, straight from the simulator.
read -r campaign budget < <("${CURL[@]}" \
	"$B/v21.0/act_1234567890/campaigns?fields=id,daily_budget&access_token=meta_sim" |
	jq -r '.data[0] | "\(.id) \(.daily_budget)"')
[ -n "$campaign" ] || fail "no campaign in okdf-sim"
revert_to=$((budget / 2))

# Two tasks waiting for approval.
agent=$("${CURL[@]}" -X POST -H 'Authorization: proj-sim:rel_sim' -H 'Content-Type: application/json' \
	-d '{"page_size":20,"page":1}' "$B/latest/agents/list" | jq -r '.results[0].agent_id')
filters=$(jq -rn --arg a "$agent" '[{"field":"conversation.agent_id","filter_type":"exact_match",
	"condition":"==","condition_value":[$a]},{"field":"conversation.state",
	"filter_type":"exact_match","condition":"==","condition_value":["pending-approval"]}] | @uri')
mapfile -t convs < <("${CURL[@]}" -H 'Authorization: proj-sim:rel_sim' \
	"$B/latest/agents/conversations/list?filters=$filters&page_size=5&page=1" |
	jq -r '.results[].knowledge_set')
[ "${#convs[@]}" -ge 2 ] || fail "okdf-sim has fewer than 2 pending-approval tasks"
task_state() {
	"${CURL[@]}" -H 'Authorization: proj-sim:rel_sim' \
		"$B/latest/agents/$agent/tasks/$1/metadata" | jq -r '.metadata.conversation.state'
}
[ "$(task_state "${convs[0]}")" = pending-approval ] || fail "task metadata"

# The escalations the rules would raise, with their evidence.
sqlite3 "$db" <<SQL
INSERT INTO escalations(kind, severity, source, title, evidence, dedup_key, created_at)
VALUES ('budget.scale', 'high', 'meta/budget', 'Budget raised',
  '{"campaign_id":"$campaign","revert_to_minor":$revert_to}', 'b1', 1),
 ('agent.approval', 'normal', 'relevance/tasks', 'Approve me',
  '{"conversation_id":"${convs[0]}","agent_id":"$agent"}', 'a1', 1),
 ('agent.approval', 'normal', 'relevance/tasks', 'Reject me',
  '{"conversation_id":"${convs[1]}","agent_id":"$agent"}', 'a2', 1),
 ('budget.scale', 'high', 'meta/budget', 'Unknown campaign',
  '{"campaign_id":"999","revert_to_minor":100}', 'b2', 1);
SQL

okdf decide 1 revert --note "too fast" >/dev/null
okdf decide 2 approve --note "refund within policy" >/dev/null
okdf decide 3 reject --note "not this one" >/dev/null
okdf decide 4 revert --note "bad id" >/dev/null
# Deciding only queues: nothing reached the simulator yet.
"${CURL[@]}" "$B/v21.0/$campaign?fields=daily_budget&access_token=meta_sim" |
	jq -e --arg b "$budget" '.daily_budget == $b' >/dev/null || fail "budget changed before the worker ran"

okdf actions run >"$tmp/actions.out" || fail "okdf actions run: $(cat "$tmp/actions.out")"
grep -q "meta .*2 actions" "$tmp/actions.out" || fail "meta actions: $(cat "$tmp/actions.out")"
grep -q "relevance .*2 actions" "$tmp/actions.out" || fail "relevance actions: $(cat "$tmp/actions.out")"

# The simulator's state after the writes.
"${CURL[@]}" "$B/v21.0/$campaign?fields=daily_budget&access_token=meta_sim" |
	jq -e --arg b "$revert_to" '.daily_budget == $b' >/dev/null || fail "budget not reverted in okdf-sim"
s=$(task_state "${convs[0]}")
case "$s" in running|completed) ;; *) fail "approved task is $s" ;; esac
# The rejection reached the agent as a message in the same task: the tool run
# is set aside (never confirmed) and the agent carries on without it.
s=$(task_state "${convs[1]}")
case "$s" in running|completed) ;; *) fail "rejected task is $s" ;; esac
"${CURL[@]}" -X POST -H 'Authorization: proj-sim:rel_sim' -H 'Content-Type: application/json' \
	-d '{"page_size":100}' "$B/latest/agents/$agent/tasks/${convs[1]}/view" >"$tmp/view.json"
jq -e '[.results[].content | select(.type == "tool-run" and .requires_confirmation)]
	| length == 1 and .[0].tool_run_state == "cancelled" and .[0].confirmation.confirmed == false' \
	"$tmp/view.json" >/dev/null || fail "rejected tool run: $(cat "$tmp/view.json")"
jq -e '[.results[].content | select(.type == "user-message") | .text
	| select(test("^The operator declined the pending action .*do not run it. Reason: not this one$"))]
	| length == 1' "$tmp/view.json" >/dev/null || fail "no declining message: $(cat "$tmp/view.json")"

# Results in the inbox and the audit log.
okdf inbox show 1 --json >"$tmp/out"
jq -e '.state == "resolved" and .actions[0].state == "done"
	and (.events | map(.action) | index("action.done") != null)' "$tmp/out" >/dev/null ||
	fail "budget result: $(cat "$tmp/out")"
okdf inbox show 2 --json | jq -e '.actions[0].state == "done"
	and (.actions[0].result | test("action-confirm"))' >/dev/null || fail "approve result"
okdf inbox show 3 --json | jq -e '.actions[0].state == "done"
	and (.actions[0].result | test("declining message sent"))' >/dev/null || fail "reject result"
okdf inbox show 4 --json >"$tmp/out"
jq -e '.state == "acknowledged" and .actions[0].state == "failed"
	and (.actions[0].result | test("does not exist"))
	and (.events[-2].action == "action.failed")' "$tmp/out" >/dev/null ||
	fail "failed revert: $(cat "$tmp/out")"
okdf audit --target escalation:1 | grep -q "dana.*192.0.2.44.*inbox.action.done" ||
	fail "audit of the action"
# A second run finds nothing left to do.
okdf actions run | grep -q "meta .*0 actions" || fail "actions ran twice"

stop_sims
echo "inbox actions against okdf-sim: ok"
