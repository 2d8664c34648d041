#!/usr/bin/env bash
# The sync engine runs the escalation rules after each pass and carries out
# operator decisions on the next pass: nothing here calls `okdf rules run` or
# `okdf actions run`.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
. "$(dirname "$0")/lib_sim.sh"
trap cleanup_sims EXIT

export XDG_CONFIG_HOME="$tmp/xdg" OKDF_OPERATOR=rui
db="$tmp/okdf.db"
okdf() { "$OKDF" --db "$db" --config "$tmp/config.ini" "$@"; }

start_sim main --no-throttle --seed 11 --now "$NOW" --days 40 --orders 300 --print-config
B=http://127.0.0.1:$PORT
tail -n +2 "$tmp/main.out" >"$tmp/config.ini"
chmod 600 "$tmp/config.ini"

okdf sync --once >"$tmp/sync.out" 2>&1 || fail "sync: $(cat "$tmp/sync.out")"
okdf inbox --json >"$tmp/inbox.json"
jq -e '[.[] | select(.kind == "crisis.policy_violation")] | length >= 1' "$tmp/inbox.json" \
	>/dev/null || fail "the disapproved ad raised nothing: $(cat "$tmp/inbox.json")"
jq -e '[.[] | select(.kind == "agent.approval")] | length >= 1' "$tmp/inbox.json" >/dev/null ||
	fail "no agent.approval after sync: $(cat "$tmp/inbox.json")"
n1=$(jq length "$tmp/inbox.json")

# A second pass over the same data raises nothing new.
okdf sync --once >/dev/null 2>&1 || fail "second sync"
[ "$(okdf inbox --json | jq length)" = "$n1" ] || fail "a second pass duplicated escalations"

# Approving a task: the Relevance worker sends it on its next pass.
read -r id conv agent < <(jq -r '[.[] | select(.kind == "agent.approval"
	and (.evidence.action_request_id // "") != "")][0]
	| "\(.id) \(.evidence.conversation_id) \(.evidence.agent_id)"' "$tmp/inbox.json")
if [ -z "$id" ] || [ "$id" = null ]; then
	read -r id conv agent < <(jq -r '[.[] | select(.kind == "agent.approval")][0]
		| "\(.id) \(.evidence.conversation_id) \(.evidence.agent_id)"' "$tmp/inbox.json")
fi
okdf decide "$id" approve --note "within policy" >/dev/null
okdf sync --once >/dev/null 2>&1 || fail "sync after the decision"
state=$("${CURL[@]}" -H 'Authorization: proj-sim:rel_sim' \
	"$B/latest/agents/$agent/tasks/$conv/metadata" | jq -r '.metadata.conversation.state')
case "$state" in running|completed) ;; *) fail "approved task is $state in okdf-sim" ;; esac
okdf inbox show "$id" --json | jq -e '.actions[0].state == "done"' >/dev/null ||
	fail "decision result: $(okdf inbox show "$id" --json)"

stop_sims
echo "rules and decisions through the sync engine: ok"
