#!/usr/bin/env bash
# Relevance AI through `okdf sync` against okdf-sim, which serves fewer items
# a page than okdf asks (3 here, 25 by default) and lists builders' test runs
# with the customers' tasks: every page of agents and tasks is read, test runs are left out, an agent
# without a name and a task without insert_date are kept, a service that
# ignores `page` does not make okdf loop, and the agent resolution share does
# not count a task completed after a person approved it.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
. "$(dirname "$0")/lib_sim.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: the Quick start installs it" >&2; exit 1; }

export XDG_CONFIG_HOME="$tmp/xdg" OKDF_OPERATOR=rui OKDF_NOW=$NOW
R=(-H 'Authorization: proj-sim:rel_sim' -H 'Content-Type: application/json')
db="$tmp/okdf.db"
okdf() { "$OKDF" --db "$db" --config "$tmp/config.ini" "$@"; }
q() { sqlite3 "$db" "$1"; }
epoch() { date -u -d "$1" +%s; }

start_sim main --no-throttle --seed 5 --now "$NOW" --days 30 --orders 200 --print-config \
	--truth "$tmp/truth.json" --relevance-page-cap 3
B=http://127.0.0.1:$PORT
tail -n +2 "$tmp/main.out" >"$tmp/config.ini"
chmod 600 "$tmp/config.ini"
want() { jq -r ".tables.$1" "$tmp/truth.json"; }
all_agents() { # every agent, page after page, one JSON object a line
	local page=1 n
	while :; do
		"${CURL[@]}" -X POST "${R[@]}" -d "{\"page\":$page}" "$B/latest/agents/list" |
			jq -c '.results[]' >"$tmp/agents_page"
		n=$(wc -l <"$tmp/agents_page")
		[ "$n" = 0 ] && break
		cat "$tmp/agents_page"
		page=$((page + 1))
	done
}

okdf sync --once >"$tmp/sync.out" 2>&1 || fail "sync: $(cat "$tmp/sync.out")"
[ "$(q "SELECT state FROM connector_health WHERE connector = 'relevance'")" = ok ] ||
	fail "relevance health: $(q "SELECT * FROM connector_health WHERE connector = 'relevance'")"

# --- Every agent and customer's conversation, over pages of 3; no test run.
[ "$(want conversations.debug)" -gt 0 ] || fail "okdf-sim lists no test runs"
[ "$(q 'SELECT count(*) FROM conversations')" = "$(want conversations.count)" ] ||
	fail "conversations: $(q 'SELECT count(*) FROM conversations') of $(want conversations.count)"
all_agents >"$tmp/agents"
support=$(jq -r 'select(.name == "Support Agent") | .agent_id' "$tmp/agents")
[ "$(want agents.count)" -gt 3 ] || fail "the agents fit on one page of 3"
[ "$(q "SELECT count(*) FROM conversations WHERE agent_id = '$support'")" -gt 100 ] ||
	fail "the support agent's conversations need many pages"
list_ids() { # list_ids FILTERS-JSON: every listed id, page after page
	local page=1 n
	while :; do
		"${CURL[@]}" -G "${R[@]}" "$B/latest/agents/conversations/list" -d page_size=3 \
			-d page=$page --data-urlencode "filters=$1" | jq -r '.results[].knowledge_set' >"$tmp/page"
		n=$(wc -l <"$tmp/page")
		[ "$n" = 0 ] && break
		cat "$tmp/page"
		page=$((page + 1))
	done
}
list_ids '[{"field":"conversation.is_debug_mode_task","filter_type":"exact_match","condition":"==","condition_value":true}]' >"$tmp/debug_ids"
[ "$(wc -l <"$tmp/debug_ids")" = "$(want conversations.debug)" ] || fail "test runs listed"
while read -r id; do
	[ "$(q "SELECT count(*) FROM conversations WHERE id = '$id'")" = 0 ] || fail "test run $id stored"
	[ "$(q "SELECT count(*) FROM escalations WHERE evidence LIKE '%$id%'")" = 0 ] ||
		fail "test run $id escalated"
done <"$tmp/debug_ids"

# A store from an okdf that kept test runs: they go on the next pass, once.
first=$(head -1 "$tmp/debug_ids")
q "INSERT INTO conversations(id, agent_id, state, created_at, updated_at)
	VALUES ('$first', '$support', 'completed', 1, 1);
	DELETE FROM sync_state WHERE connector = 'relevance' AND resource = 'test_runs_dropped'"
okdf sync --once >/dev/null 2>&1 || fail "sync dropping test runs"
[ "$(q "SELECT count(*) FROM conversations WHERE id = '$first'")" = 0 ] ||
	fail "a stored test run survived"
[ "$(q "SELECT count(*) FROM conversation_states WHERE conversation_id = '$first'")" = 0 ] ||
	fail "a dropped test run kept its history"
[ "$(q "SELECT cursor FROM sync_state WHERE connector = 'relevance'
	AND resource = 'test_runs_dropped'")" = 1 ] || fail "test runs dropped, not recorded"
[ "$(q 'SELECT count(*) FROM conversations')" = "$(want conversations.count)" ] ||
	fail "conversations after dropping test runs"

# --- Optional fields: an unnamed agent, a task without insert_date.
[ "$(q 'SELECT count(*) FROM agents')" = "$(want agents.count)" ] || fail "agents"
unnamed=$(jq -r 'select(has("name") | not) | .agent_id' "$tmp/agents")
[ "$(q "SELECT count(*) FROM agents WHERE id = '$unnamed' AND name IS NULL")" = 1 ] ||
	fail "unnamed agent: $(q "SELECT * FROM agents WHERE id = '$unnamed'")"
read -r nodate updated < <("${CURL[@]}" -G "${R[@]}" "$B/latest/agents/conversations/list" \
	--data-urlencode "filters=[{\"field\":\"conversation.agent_id\",\"filter_type\":\"exact_match\",\"condition\":\"==\",\"condition_value\":[\"$unnamed\"]}]" |
	jq -r '.results[] | select(.metadata | has("insert_date") | not)
		| "\(.knowledge_set) \(.metadata.update_date)"')
[ -n "$nodate" ] || fail "okdf-sim served no task without insert_date"
[ "$(q "SELECT created_at FROM conversations WHERE id = '$nodate'")" = "$(epoch "$updated")" ] ||
	fail "task without insert_date: $(q "SELECT * FROM conversations WHERE id = '$nodate'")"

# --- Agent resolution share: approved by a person, then completed: not the
# agent's alone; a task the agent completes by itself: the agent's.
metrics() { okdf metrics --json --window 30d --now 2026-11-20T12:01:00Z |
	jq -r '"\(.conversations) \(.agent_resolved)"'; }
read -r c0 a0 < <(metrics)
[ "$a0" -gt 0 ] && [ "$a0" -lt "$c0" ] || fail "agent share before: $a0 of $c0"
read -r id conv agent < <(okdf inbox --json | jq -r '[.[] | select(.kind == "agent.approval"
	and .evidence.agent_id == "'"$support"'" and .evidence.state == "pending-approval")][0]
	| "\(.id) \(.evidence.conversation_id) \(.evidence.agent_id)"')
[ -n "$id" ] && [ "$id" != null ] || fail "no approval escalation: $(okdf inbox --json)"
[ "$(q "SELECT state FROM conversations WHERE id = '$conv'")" = pending-approval ] || fail "state"
okdf decide "$id" approve --note "within policy" >/dev/null
okdf actions run >/dev/null
task_state() {
	"${CURL[@]}" "${R[@]}" "$B/latest/agents/$agent/tasks/$1/metadata" |
		jq -r '.metadata.conversation.state'
}
wait_completed() {
	for _ in $(seq 150); do [ "$(task_state "$1")" = completed ] && return 0; sleep 0.1; done
	fail "task $1 is $(task_state "$1") after 15 s"
}
wait_completed "$conv"
okdf sync --once >/dev/null 2>&1 || fail "second sync"
[ "$(q "SELECT group_concat(state, ',') FROM (SELECT state FROM conversation_states
	WHERE conversation_id = '$conv' ORDER BY state)")" = "completed,pending-approval" ] ||
	fail "state history of $conv"
read -r c1 a1 < <(metrics)
[ "$c1 $a1" = "$c0 $a0" ] || fail "after the approved task completed: $c1 $a1, was $c0 $a0"

new=$("${CURL[@]}" -X POST "${R[@]}" "$B/latest/agents/trigger" \
	-d "{\"agent_id\":\"$support\",\"message\":{\"role\":\"user\",\"content\":\"Where is my order #1001?\"}}" |
	jq -r .conversation_id)
wait_completed "$new"
okdf sync --once >/dev/null 2>&1 || fail "third sync"
read -r c2 a2 < <(metrics)
[ "$c2 $a2" = "$((c0 + 1)) $((a0 + 1))" ] || fail "after a task the agent closed alone: $c2 $a2"
stop_sims

# --- A service that ignores `page`: the second page repeats the first, so
# okdf stops there with the first page's 25 tasks, in one pass.
start_sim broken --no-throttle --seed 5 --now "$NOW" --days 30 --orders 200 --print-config \
	--relevance-ignore-page
tail -n +2 "$tmp/broken.out" >"$tmp/config.ini"
db="$tmp/broken.db"
timeout 120 "$OKDF" --db "$db" --config "$tmp/config.ini" sync --once >"$tmp/sync.out" 2>&1 ||
	fail "sync against a service ignoring page: $(cat "$tmp/sync.out")"
[ "$(q "SELECT count(*) FROM conversations WHERE agent_id = '$support'")" = 25 ] ||
	fail "ignored page: $(q "SELECT count(*) FROM conversations WHERE agent_id = '$support'")"
[ "$(q "SELECT state FROM connector_health WHERE connector = 'relevance'")" = ok ] || fail "health"
stop_sims
echo "relevance sync against okdf-sim: ok"
