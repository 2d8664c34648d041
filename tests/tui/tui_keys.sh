#!/bin/bash
# Keys and their effects on the screen and the database: Tab and 1-9 focus,
# j and Enter, ? help, / filter, a ':' command, the walkthrough's sign-off
# with its confirmation, an escalation raised by another process showing up
# and acknowledged with a, and key activity recorded as operator hours.
. "$(dirname "$0")/lib.sh"
prepare_db
start 100 30 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "Supporting numbers"

# Tab moves focus to Time-to-revenue: its keys in the bar.
keys Tab
wait_for "all products"
# 3 focuses Revenue per operator hour; Enter opens its detail, Esc returns.
keys 3 Enter
wait_for "Revenue per operator hour, by shop day"
keys Escape
wait_for "[5] Inbox"

# 1, j, j, Enter: the walkthrough at phase 3.
keys 1 j j Enter
wait_for "phase 3 of 11: Analytics warehouse"
keys n
wait_for "phase 4 of 11"
keys Escape
wait_for "[5] Inbox"

# ? lists every key; q goes back.
keys '?'
wait_for "Help: every key"
screen | grep -qF "Shift-Tab" || fail "help without Shift-Tab"
keys q
wait_for "[5] Inbox"

# / filters the focused list as you type; Esc clears it.
keys 1 / e m a i l
wait_for "[1] Phases /email"
screen | grep -qF "Email sequences" || fail "filter hid the match"
screen | grep -qF "Store (Shopify)" && fail "filter kept a non-match"
keys Enter Escape
wait_for "Store (Shopify)"

# A ':' command runs the CLI's action in-process.
keys : "phase signoff 1 positioning" Enter
wait_for "positioning signed off by tester"
"$OKDF" --db "$DB" phases --json |
	jq -e '.phases[0].signoffs[] | select(.id == "positioning") | .signed_by == "tester"' \
		>/dev/null || fail "sign-off not in the database"

# Hours and ideas from the command line, as `okdf hours add` / `okdf idea add`.
keys : "hours add 1.5 --note 'supplier calls'" Enter
wait_for "recorded 1:30 h for tester"
[ "$(sql "SELECT seconds FROM manual_hours WHERE note = 'supplier calls'")" = 5400 ] ||
	fail "manual hours not in the database"
keys : 'idea add "Bamboo cutlery set"' Enter
wait_for "recorded at"
[ "$(sql "SELECT count(*) FROM ideas WHERE title = 'Bamboo cutlery set'")" = 1 ] ||
	fail "idea not in the database"
keys 2
wait_for "Bamboo cutlery set"
keys 1

# The walkthrough signs off the selected item after y.
keys W
wait_for "phase 1 of 11"
keys j Enter
wait_for "Sign off 'voice' of phase 1 as tester? [y/N]"
keys y
wait_for "voice signed off by tester"
"$OKDF" --db "$DB" phases --json |
	jq -e '.phases[0].signoffs[] | select(.id == "voice") | .signed_by == "tester"' \
		>/dev/null || fail "walkthrough sign-off not in the database"
# Completing is refused (brief, offer, claims missing): the reasons and an
# override prompt; Esc cancels.
keys c
wait_for "Override with a reason"
keys Escape
wait_for "cancelled"
keys Escape
wait_for "[5] Inbox"

# Another process raises an escalation: the screen follows the database.
"$OKDF" --db "$DB" escalate crisis.negative_review "Viral negative review of the Travel Mug" \
	--severity critical >/dev/null
wait_for "Viral negative review" 6
screen | grep -qF "critical 1" || fail "critical count not updated"
keys 5 a
wait_for "acknowledged"
"$OKDF" --db "$DB" inbox --json --state all |
	jq -e '[.[] | select(.kind == "crisis.negative_review")]
		| length == 1 and .[0].state == "acknowledged" and .[0].owner == "tester"' \
		>/dev/null || fail "ack not in the database"

# Enter opens the escalation; R asks for a note and confirms before resolving.
keys Enter
wait_for "Escalation #"
keys R
wait_for "Decision note:"
keys "replied publicly, refund sent" Enter
wait_for "[y/N]"
keys n
wait_for "cancelled"
keys R "replied publicly, refund sent" Enter y
wait_for "resolved" 5
keys Escape
wait_for "inbox empty"

# Key activity became operator hours for the operator at the keyboard.
[ "$(sql "SELECT count(*) FROM activity_intervals WHERE operator = 'tester'")" -ge 1 ] ||
	fail "no activity interval recorded"
keys q
wait_for "okdf-exit=0"
echo ok
