#!/bin/bash
# The mouse (xterm SGR reports, as tmux passes them): a click focuses a
# panel and selects the row under it, a click on the selected row opens it,
# the wheel moves the selection, a click on a key-bar entry presses its key;
# [ui] mouse = false turns all of it off.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
sql "INSERT INTO escalations(kind, severity, source, title, evidence, dedup_key, state, created_at)
	VALUES ('brand.positioning', 'high', 'test', 'First one', '{}', 'm1', 'open', $now - 60),
	       ('brand.positioning', 'normal', 'test', 'Second one', '{}', 'm2', 'open', $now - 60),
	       ('brand.positioning', 'normal', 'test', 'Third one', '{}', 'm3', 'open', $now - 30);"

# click COL ROW (1-based, as the terminal reports them)
click() {
	keys -l $'\e[<0;'"$1;$2M"
	keys -l $'\e[<0;'"$1;$2m"
}
wheel_down() {
	keys -l $'\e[<65;'"$1;$2M"
}
# The screen row (1-based) showing TEXT (waits for it).
row_of() {
	wait_for "$1" >&2
	screen | grep -n -F "$1" | head -1 | cut -d: -f1
}
# The column (1-based) of the middle of "? help" on the key bar (waits for it).
help_col() {
	wait_match '\? help  q quit *$' >&2
	local x
	x=$(screen | tail -1 | grep -ob '? help' | head -1 | cut -d: -f1)
	echo $((x + 2))
}

start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
# Input is being read (the first frame can come before the first read).
keys 2
wait_for "all products"
# A click on the inbox's second row: focus and selection; a then acts on it.
r=$(row_of "Second one")
click 20 "$r"
wait_for "o order"
keys a
wait_for "escalation #2 acknowledged by tester"
# The wheel moves the selection down one row at a time (three per notch).
r=$(row_of "First one")
click 20 "$r"
wheel_down 20 "$r"
keys a
wait_for "escalation #3 acknowledged by tester"
# A click on the selected row opens it.
r=$(row_of "Third one")
click 20 "$r"
click 20 "$r"
wait_for "Escalation #3"
keys Escape
wait_for "[5] Inbox"
# A click on "? help" in the key bar.
click "$(help_col)" 24
wait_for "Help: every key"
keys q q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# [ui] mouse = false: clicks do nothing.
mkdir -p "$XDG_CONFIG_HOME/okdf"
printf '[ui]\nmouse = false\n' >"$XDG_CONFIG_HOME/okdf/config.ini"
chmod 600 "$XDG_CONFIG_HOME/okdf/config.ini"
start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
click "$(help_col)" 24
r=$(row_of "First one")
click 20 "$r"
sleep 0.5
screen | grep -qF "Help: every key" && fail "a click worked with mouse = false"
screen | tail -1 | grep -qF "walkthrough" || fail "a click moved the focus with mouse = false"
keys q
wait_for "okdf-exit=0"
echo ok
