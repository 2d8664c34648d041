#!/bin/bash
# The ':' line and pages: any window okdf metrics takes; Up recalls the
# previous line; Tab completes commands, subcommands and phase numbers, and
# finds a product by its title where an id is asked; help lists every
# command (decide, idea link) and wraps under the text; the walkthrough's
# PgUp and Home reach its very top after scrolling.
. "$(dirname "$0")/lib.sh"
prepare_db
start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"

# :window 14d: the supporting numbers of 14 days, as okdf metrics has them.
keys : "window 14d" Enter
wait_for "window: 14d"
net=$(money "$(metrics 14d .net_revenue_minor)")
screen | grep -F "Net rev (ledger)" | grep -qF "$net" || fail "14d net revenue $net not shown"
screen | grep -qF " 14d " || fail "the window is not named on the panel"
keys : "window 2026-11-01..2026-11-15" Enter
wait_for "window: 2026-11-01..2026-11-15"
keys : "window fortnight" Enter
wait_for "window: "
screen | tail -1 | grep -qF "fortnight" || fail "a bad window is not named: $(screen | tail -1)"

# Up recalls the last line run.
keys : Up
wait_for ":window fortnight"
keys Escape

# Tab: the command, the subcommand, then the phase numbers starting with 1.
keys : ph Tab
wait_for ":phase _"
keys sig Tab
wait_for ":phase signoff _"
keys 1 Tab
wait_for "10 (Escalation rules)"
keys Escape
# A product by its title where an id is asked.
keys : 'idea add "Mug stand"' Enter
wait_for "recorded at"
keys : "idea link 1 trav" Tab
wait_for ":idea link 1 p2 _"
screen | tail -1 | grep -qF "Travel Mug" || fail "the product's title is not shown"
keys Enter
wait_for "idea 1 linked to product p2"

# Help: every command, wrapped lines under their text.
keys '?'
wait_for "Help: every key"
for i in $(seq 1 12); do
	screen | grep -qF "idea link IDEA_ID PRODUCT_ID" && break
	keys NPage
	sleep 0.1
done
screen | grep -qF "idea link IDEA_ID PRODUCT_ID" || fail "help without idea link"
keys Home
wait_for "No action runs on a Ctrl chord"
for i in $(seq 1 12); do
	screen | grep -qF "decide ID [DECISION]" && break
	keys NPage
	sleep 0.1
done
screen | grep -qF "decide ID [DECISION]" || fail "help without decide"
keys Home
wait_for "No action runs on a Ctrl chord"
# The ':' key's help wraps: its second row starts under the text (column 16).
row=$(screen | grep -n -F "│   :          The command line" | cut -d: -f1)
[ -n "$row" ] || fail "no ':' row in help"
screen | sed -n "$((row + 1))p" | grep -qE '^│ {14}[^ ]' || fail "wrapped help not indented"
keys q

# The walkthrough: paging down and back up reaches the top again.
keys W
wait_for "phase 1 of 11"
keys NPage NPage
wait_gone "Status: not started"
keys PPage PPage
wait_for "Status: not started"
keys End
wait_gone "Status: not started"
keys Home
wait_for "Status: not started"
keys Escape q
wait_for "okdf-exit=0"
echo ok
