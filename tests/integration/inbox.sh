#!/usr/bin/env bash
# The escalation inbox from the shell: escalate, list --json, ack, snooze,
# resolve with and without a note, decide validation, rules run, exit codes.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export OKDF_OPERATOR=carol SSH_CONNECTION="192.0.2.9 40000 10.0.0.1 22"
export OKDF_NOW=2026-11-26T12:00:00Z
NOW=1795694400
db="$tmp/okdf.db"
okdf() { "$OKDF" --db "$db" "$@"; }

fail() { echo "FAIL: $*" >&2; [ -s "$tmp/out" ] && cat "$tmp/out" >&2; [ -s "$tmp/err" ] && cat "$tmp/err" >&2; exit 1; }
# expect RC CMD...: runs okdf, keeps stdout/stderr in $tmp/out, $tmp/err.
expect() {
	local want=$1; shift
	set +e; okdf "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; set -e
	[ "$rc" = "$want" ] || fail "okdf $* exited $rc, wanted $want"
}
jqcheck() { jq -e "$1" "$tmp/out" >/dev/null || fail "jq '$1' on okdf output"; }

for cmd in inbox ack snooze resolve decide escalate rules actions; do
	expect 0 "$cmd" --help
	grep -q "usage: okdf $cmd" "$tmp/out" || fail "$cmd --help"
done

# escalate validates kind, severity and title.
expect 2 escalate crisis.bogus "x"
grep -q "unknown kind" "$tmp/err" || fail "unknown kind message"
expect 2 escalate budget.scale "x" --severity urgent
expect 2 escalate budget.scale
expect 0 escalate crisis.recall "Lot 7 recall" --note "supplier phoned"
grep -q "escalation #1 raised" "$tmp/out" || fail "escalate output"

expect 0 inbox --json
jqcheck 'length == 1'
jqcheck '.[0] | .id == 1 and .kind == "crisis.recall" and .severity == "critical"
	and .state == "open" and .title == "Lot 7 recall" and .created_at == "2026-11-26T12:00:00Z"
	and .acknowledged_at == null and .resolved_at == null and .owner == null
	and .sla_breached == false and .evidence.note == "supplier phoned"'

# Two hours later the critical SLA (1 h) is breached.
OKDF_NOW=2026-11-26T14:00:00Z expect 0 inbox --json
jqcheck '.[0].sla_breached == true'

expect 0 ack 1
expect 1 ack 1
grep -q "already acknowledged by carol" "$tmp/err" || fail "second ack message"
expect 1 ack 99
grep -q "no escalation #99" "$tmp/err" || fail "unknown id message"
expect 2 ack abc
expect 2 ack 99999999999999999999
expect 2 ack -- -1
expect 2 ack
expect 0 inbox --json
jqcheck '.[0] | .state == "acknowledged" and .owner == "carol"
	and .acknowledged_at == "2026-11-26T12:00:00Z" and .sla_breached == false'

expect 2 snooze 1 30x
expect 2 snooze 1
expect 0 snooze 1 30m
expect 0 inbox --state snoozed --json
jqcheck 'length == 1 and .[0].snoozed_until == "2026-11-26T12:30:00Z"'
expect 0 inbox --state open --json
jqcheck 'length == 0'
# A running snooze leaves the default (active) list; unresolved keeps it.
expect 0 inbox --json
jqcheck 'length == 0'
expect 0 inbox --state unresolved --json
jqcheck 'length == 1 and .[0].state == "snoozed"'
OKDF_NOW=2026-11-26T12:31:00Z expect 0 inbox --json
jqcheck 'length == 1 and .[0].state == "open"'
OKDF_NOW=2026-11-26T12:31:00Z expect 0 inbox --state open --json
jqcheck 'length == 1 and .[0].state == "open"'
expect 2 inbox --state bogus

expect 2 resolve 1
grep -q "note is required" "$tmp/err" || fail "resolve without note message"
expect 2 resolve 1 --note "   "
expect 0 resolve 1 --note "pulled lot 7"
expect 1 resolve 1 --note "again"
expect 0 inbox --json
jqcheck 'length == 0'
expect 0 inbox --state resolved --json
jqcheck '.[0] | .state == "resolved" and .resolved_at == "2026-11-26T12:00:00Z"
	and .decision_note == "pulled lot 7"'
expect 0 inbox show 1 --json
jqcheck '[.events[].action] == ["raise", "ack", "snooze", "resolve"]'
jqcheck '[.events[].client] | all(. == "192.0.2.9")'
expect 0 inbox show 1
grep -q "history:" "$tmp/out" || fail "show text"
expect 1 inbox show 42
expect 0 audit --target escalation:1
grep -q "carol.*192.0.2.9.*inbox.resolve" "$tmp/out" || fail "audit row with operator and client"

# Rules run headless: a budget raise and an agent task waiting for approval.
sqlite3 "$db" <<SQL
INSERT INTO campaigns(id, name, status, daily_budget_minor, currency, updated_at)
  VALUES ('120210000000000001', 'Prospecting', 'ACTIVE', 50000, 'USD', $NOW);
INSERT INTO campaign_budget_history VALUES ('120210000000000001', $((NOW - 86400)), 5000);
INSERT INTO campaign_budget_history VALUES ('120210000000000001', $((NOW - 60)), 50000);
INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at)
  VALUES ('conv-1', 'agent-1', 'pending-approval', 'Refund request #1042', $NOW, $NOW);
SQL
expect 0 rules run --json
jqcheck '.raised == 2'
expect 0 rules run
grep -q "0 escalations raised" "$tmp/out" || fail "rules run is not idempotent"
expect 0 inbox --json
budget=$(jq '.[] | select(.kind == "budget.scale") | .id' "$tmp/out")
agent=$(jq '.[] | select(.kind == "agent.approval") | .id' "$tmp/out")
[ -n "$budget" ] && [ -n "$agent" ] || fail "rules did not raise budget.scale and agent.approval"
jqcheck '.[] | select(.kind == "budget.scale") | .evidence.revert_to_minor == 5000'

expect 2 decide "$budget" approve --note "x"
expect 2 decide "$agent" revert --note "x"
expect 2 decide "$budget" revert
expect 2 decide "$budget" maybe --note "x"
expect 2 decide "$budget"
expect 1 decide 999 keep --note "x"
expect 0 escalate crisis.negative_review "Viral TikTok"
expect 2 decide 4 keep --note "x"
grep -q "resolve it with a note instead" "$tmp/err" || fail "decide on a crisis message"
expect 0 decide "$budget" revert --note "too fast for the learning phase"
expect 0 inbox show "$budget" --json
jqcheck '.state == "resolved" and .decision == "revert"'
jqcheck '.actions[0] | .connector == "meta" and .action == "campaign.set_daily_budget"
	and .state == "pending" and .payload.campaign_id == "120210000000000001"
	and .payload.daily_budget_minor == 5000'
expect 0 decide "$agent" approve --note "refund is within policy"
expect 0 inbox show "$agent" --json
jqcheck '.actions[0] | .connector == "relevance" and .action == "agent.approve"
	and .payload.conversation_id == "conv-1" and .payload.agent_id == "agent-1"'
expect 1 decide "$agent" reject --note "changed my mind"

# Text from outside never reaches the terminal as escape sequences.
expect 0 escalate brand.positioning $'\e[2J\e]0;pwned\aTone shift'
expect 0 inbox
if grep -q $'\e' "$tmp/out"; then fail "escape sequence in inbox output"; fi
grep -q "Tone shift" "$tmp/out" || fail "sanitized title"

echo "inbox integration: ok"
