#!/bin/bash
# The inbox as an operator works it at 80x24: most urgent first (severity,
# SLA breached, oldest), SLA as words, the counts line with breaches first,
# the scroll position; o for newest first; d offering only the kind's
# decisions as single keys (and refusing where there is none, or a wrong
# word on the ':' line); a failed action raised to the message line and
# shown on its row; s on the list row snoozing it out of the list and the
# counts, z showing the snoozed ones; R resolving from the list.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
sql <<SQL
INSERT INTO escalations(kind, severity, source, title, evidence, dedup_key, state, created_at) VALUES
 ('brand.positioning', 'normal', 'test', 'Tnorm', '{}', 'k1', 'open', $now - 3600),
 ('anomaly.refund_spike', 'high', 'test', 'Tbreach', '{}', 'k2', 'open', $now - 5 * 3600),
 ('crisis.recall', 'critical', 'test', 'Tcrit', '{}', 'k3', 'open', $now - 600),
 ('budget.new_market', 'high', 'test', 'Thigh', '{}', 'k4', 'open', $now - 1800),
 ('agent.approval', 'normal', 'test', 'Tagent',
  '{"conversation_id":"cv77","agent_id":"ag1","state":"pending-approval"}', 'k5', 'open',
  $now - 120);
SQL

# The rows' titles top to bottom.
order() {
	screen | grep -oE 'T(crit|breach|high|norm|agent)' | tr '\n' ' '
}

start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
[ "$(order)" = "Tcrit Tbreach Thigh Tnorm Tagent " ] || fail "urgency order: $(order)"
# SLA in words, the breach first on the counts line, the position.
screen | grep -F "Tbreach" | grep -qF '!SLA +1h' || fail "breached row without !SLA +1h"
screen | grep -F "Tcrit" | grep -qF 'due 50m' || fail "critical row without due 50m"
screen | grep -qF '!1 SLA crit 1 high 2 norm 2' || fail "counts line at 80 columns"
screen | grep -qF '1-5/5' || fail "no scroll position"

keys 5
wait_for "o order"
# d where the kind takes no decision: the reason, no question.
keys d
wait_for "#3 takes no decision"
screen | tail -1 | grep -qF "[y/N]" && fail "asked y/N for a kind without a decision"

# d on the agent's row: only its two choices, as single keys.
keys G d
wait_for "Decide #5:  a approve  r reject"
keys x
sleep 0.2
screen | tail -1 | grep -qF "Decide #5" || fail "x left the choice"
keys r
wait_for "Decision note:"
keys "not eligible" Enter
wait_for "Reject #5 with this note? [y/N]"
keys y
wait_for "escalation #5 decided: reject"
[ "$(sql "SELECT connector || ' ' || action || ' ' || state FROM escalation_actions
	WHERE escalation_id = 5")" = "relevance agent.reject pending" ] || fail "no queued rejection"
wait_gone "Tagent"

# The connector worker's failure reopens it: raised to the message line,
# and the row says so with the API's words.
sql "UPDATE escalation_actions SET state = 'failed', done_at = $now,
	result = 'HTTP 422: task already completed' WHERE escalation_id = 5;
	UPDATE escalations SET state = 'open', resolved_at = NULL WHERE id = 5;"
wait_for "#5 agent.reject failed: HTTP 422: task already completed (escalation reopened)" 8
screen | grep -F "Tagent" | grep -qF "fail" || fail "failed row without fail"

# ':' with a word the kind does not take: said plainly, no usage text.
keys : "decide 5 yes" Enter
wait_for "agent.approval takes approve or reject, not 'yes'"
screen | grep -qF "usage" && fail "usage text on the screen"

# o: newest first, and back.
keys o
wait_for "newest first"
[ "$(order)" = "Tagent Tcrit Thigh Tnorm Tbreach " ] || fail "newest-first order: $(order)"

# s on the list row: snoozed out of the list and the counts, z shows it.
keys g s
wait_for "Snooze #5 for (30m, 4h, 2d):"
keys 2h Enter
wait_for "escalation #5 snoozed until 2026-11-20 12:30 EST (in 2h)"
wait_gone "Tagent"
screen | grep -qF 'norm 1 zz 1' || fail "snoozed still counted"
"$OKDF" --db "$DB" inbox --state snoozed --json | jq -e 'length == 1 and .[0].id == 5' \
	>/dev/null || fail "okdf inbox --state snoozed"
"$OKDF" --db "$DB" inbox --json | jq -e 'map(.id) | index(5) == null' >/dev/null ||
	fail "snoozed escalation in the default list"
keys z
wait_for "snoozed 1 (z: back to active)"
screen | grep -qF "Tagent" || fail "z does not show the snoozed one"
keys z o
wait_for "most urgent first"

# R on the list row: a note, then y/N.
keys g R
wait_for "Decision note:"
keys "recalled lot 4" Enter
wait_for "Resolve #3 with this note? [y/N]"
keys y
wait_for "escalation #3 resolved"
wait_gone "Tcrit"
[ "$(sql "SELECT decision_note FROM escalations WHERE id = 3")" = "recalled lot 4" ] ||
	fail "resolution note not stored"
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# A wide terminal gives the inbox the width: ids, kinds and owners too.
start 200 50 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
screen | grep -F "Tbreach" | grep -qE "#2 +anomaly.refund_spike +- " ||
	fail "wide inbox row without id, kind and owner: $(screen | grep -F Tbreach)"
keys q
wait_for "okdf-exit=0"
echo ok
