#!/usr/bin/env bash
# --live keeps the store moving: new orders appear, a viral negative-review
# conversation arrives early, approving a pending task runs it to completion,
# and --print-config describes the running simulator.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

start_sim live --seed 5 --now "$NOW" --orders 200 --live --no-throttle --print-config \
	--truth "$tmp/truth.json"
B=http://127.0.0.1:$PORT

# --print-config: a ready config.ini after the listening line.
sed -n '2p' "$tmp/live.out" | grep -qx '\[shopify\]' || fail "no config after the listening line"
[ "$(grep -c "^base_url = $B\$" "$tmp/live.out")" = 4 ] || fail "config base_url: $(cat "$tmp/live.out")"
grep -qx 'interval_seconds = 5' "$tmp/live.out" || fail "config [sync]"

count_orders() {
	local after=null n total=0 more
	while :; do
		req=$(jq -cn --argjson a "$after" '{query:"query($a:String){ orders(first:250, after:$a){ pageInfo{ hasNextPage endCursor } nodes{ id } } }", variables:{a:$a}}')
		read -r n more after < <(shopify "$B" shpat_sim "$req" |
			jq -r '[(.data.orders.nodes | length), .data.orders.pageInfo.hasNextPage, (.data.orders.pageInfo.endCursor | tojson)] | @tsv')
		total=$((total + n))
		[ "$more" = true ] || break
	done
	echo "$total"
}

R=(-H 'Authorization: proj-sim:rel_sim' -H 'Content-Type: application/json')
viral=0 grew=0
for _ in $(seq 30); do
	[ "$(count_orders)" -gt "$(jq .tables.orders.count "$tmp/truth.json")" ] && grew=1
	if "${CURL[@]}" -X POST "$B/latest/agents/conversations/list" "${R[@]}" -d '{"page_size":50}' |
		jq -e '[.results[].metadata.conversation | select((.title | test("viral")) and (.title | test("negative review")))] | length == 1' >/dev/null; then
		viral=1
	fi
	[ $((viral * grew)) = 1 ] && break
	sleep 0.5
done
[ "$grew" = 1 ] || fail "no live orders"
[ "$viral" = 1 ] || fail "no viral negative-review conversation within 15 s"

# Approving a pending tool run: running now, completed a little later.
read -r conv agent < <("${CURL[@]}" -G "$B/latest/agents/conversations/list" "${R[@]}" \
	--data-urlencode 'filters=[{"field":"conversation.state","filter_type":"exact_match","condition":"==","condition_value":["pending-approval"]}]' |
	jq -r '.results[0] | [.knowledge_set, .metadata.conversation.agent_id] | @tsv')
[ -n "$conv" ] || fail "no pending-approval conversation"
rid=$("${CURL[@]}" -X POST "$B/latest/agents/$agent/tasks/$conv/view" "${R[@]}" -d '{"page_size":100}' |
	jq -r '.results[] | select(.content.requires_confirmation == true) | .content.action_details.action_request_id')
"${CURL[@]}" -X POST "$B/latest/agents/trigger" "${R[@]}" \
	-d "{\"agent_id\":\"$agent\",\"conversation_id\":\"$conv\",\"message\":{\"role\":\"action-confirm\",\"action\":\"sim-action-run\",\"action_request_id\":\"$rid\"}}" |
	jq -e '.state == "starting-up"' >/dev/null || fail "trigger answer"
state() {
	"${CURL[@]}" "$B/latest/agents/$agent/tasks/$conv/metadata" "${R[@]}" |
		jq -r '.metadata.conversation.state'
}
[ "$(state)" = running ] || fail "after approval: $(state)"
for _ in $(seq 50); do [ "$(state)" = completed ] && break; sleep 0.2; done
[ "$(state)" = completed ] || fail "after the run: $(state)"

stop_sims
echo "sim_live: ok"
