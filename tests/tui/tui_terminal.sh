#!/bin/bash
# The terminal: 80x23 (tmux's status line) gets every panel, smaller
# terminals two panels, below 60x16 a notice; the key bar ends with help and
# quit; TERM=linux gets no black-on-black; LANG=C draws ASCII only;
# NO_COLOR emits no colour; an escape sequence in a product title never
# reaches the terminal; a bad theme is refused with file:line before the
# screen opens.
. "$(dirname "$0")/lib.sh"
prepare_db
# An API could hand us this title: clear-screen and a colour between words.
sql "INSERT INTO products(id, title, status, created_at, updated_at)
     VALUES ('evil', 'Mug' || char(27) || '[2J' || char(27) || '[31mBlue', 'ACTIVE',
     $(date -d "$OKDF_NOW" +%s) - 86400, $(date -d "$OKDF_NOW" +%s));"

# A CJK title: two columns per character, so the row keeps its right edge.
sql "INSERT INTO products(id, title, status, created_at, updated_at)
     VALUES ('cjk', '茶碗と急須のセット', 'ACTIVE',
     $(date -d "$OKDF_NOW" +%s) - 2 * 86400, $(date -d "$OKDF_NOW" +%s));"

# --- resize: too small, then back ---
start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
tmux -L "$SOCK" pipe-pane -o -t "$PANE" "cat > '$WORK/raw.out'"
keys 2
wait_for "MugBlue"
# Every row of the TTR panel ends at the same column, the CJK one included.
cjk=$(screen | grep -F "茶碗" || true)
mug=$(screen | grep -F "MugBlue")
[ -n "$cjk" ] || fail "CJK title not shown"
w_cjk=$(printf '%s' "$cjk" | sed 's/day [0-9]*│$//' | LC_ALL=C.UTF-8 wc -L)
w_mug=$(printf '%s' "$mug" | sed 's/day [0-9]*│$//' | LC_ALL=C.UTF-8 wc -L)
[ "$w_cjk" = "$w_mug" ] || fail "CJK row misaligned ($w_cjk vs $w_mug columns)"
# 80x24 under tmux's status line is 80x23: the full layout.
resize 80 23
# The key bar on line 23 says the new size was drawn.
wait_match '^Enter .* q quit *$'
[ "$(screen | wc -l)" = 23 ] || fail "pane is not 23 lines"
screen | sed -n 23p | grep -qF "q quit" || fail "80x23: no key bar on the last line"
for t in "[1] Phases" "[2] Time-to-revenue" "[3] Revenue per operator hour" "[5] Inbox"; do
	screen | grep -qF "$t" || fail "80x23: $t missing"
done
# Smaller: two panels, the focused one over the Inbox; focus brings another.
resize 60 20
# Compact: one frame per line, as wide as the terminal.
wait_match '^┌─ \[5\] Inbox ─+┐$'
screen | grep -qF "[4] Supporting numbers" && fail "60x20: the fourth panel is drawn"
screen | grep -qF "[2] Time-to-revenue" || fail "60x20: the focused panel is not shown"
screen | tail -1 | grep -qF "? help  q quit" || fail "60x20: key bar without ? help  q quit"
keys 4
wait_for "[4] Supporting numbers"
screen | grep -qF "[2] Time-to-revenue" && fail "60x20: two panels on top"
keys 2
wait_for "[2] Time-to-revenue"
resize 50 14
wait_for "terminal too small"
screen | grep -qF "[5] Inbox" && fail "panels drawn at 50x14"
resize 80 24
wait_for "[1] Phases"
# The key bar ends with help and quit at 80 columns, and names Enter once.
screen | tail -1 | grep -qE '\? help  q quit *$' || fail "80x24 key bar: $(screen | tail -1)"
[ "$(screen | tail -1 | grep -o Enter | wc -l)" = 1 ] || fail "Enter twice: $(screen | tail -1)"
resize 200 60
wait_for "[4] Supporting numbers"
wait_gone "terminal too small"
tmux -L "$SOCK" pipe-pane -t "$PANE"
# The title's own escape sequence never reached the terminal.
if grep -aqF "$(printf 'Mug\033[2J')" "$WORK/raw.out"; then
	fail "ESC[2J from a product title reached the terminal"
fi
screen | grep -qF "MugBlue" || fail "sanitized title not shown"
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- no command on a terminal opens the Command Center ---
start 80 24 LANG=C.UTF-8 --
wait_for "[5] Inbox"
keys q
wait_for "okdf-exit=0"

# --- LANG=C: ASCII only ---
start 80 24 LANG=C LC_ALL=C TERM=xterm-256color -- tui
wait_for "[5] Inbox"
keys 2
wait_for "all products"
if screen | LC_ALL=C grep -q '[^ -~]'; then
	screen | LC_ALL=C grep -n '[^ -~]' | head -3 >&2
	fail "bytes outside printable ASCII with LANG=C"
fi
screen | grep -qF "+- [1] Phases" || fail "no ASCII frame"
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- --ascii in a UTF-8 locale ---
start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- --ascii tui
wait_for "[5] Inbox"
if screen | LC_ALL=C grep -q '[^ -~]'; then
	fail "bytes outside printable ASCII with --ascii"
fi
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- NO_COLOR: no colour escapes at all ---
start 80 24 LANG=C.UTF-8 TERM=xterm-256color NO_COLOR=1 -- tui
wait_for "[5] Inbox"
keys Tab
wait_for "all products"
# SGR 30-38, 40-48, 90-97 and 100-107 set colours (39 and 49 reset them to
# the terminal's default, which tmux's capture emits on its own).
if screen -e | grep -aqE $'\033\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'; then
	screen -e | grep -aoE $'\033\\[[0-9;]*m' | sort -u | head >&2
	fail "colour escapes with NO_COLOR"
fi
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- the same screen with colour does use colour (the check above can fail) ---
start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
screen -e | grep -aqE $'\033\\[([0-9;]*;)?(3[0-8]|4[0-8])(;[0-9;]*)?m' || fail "no colour without NO_COLOR"
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- the colour ladder: 8, 16 and 256 colours from terminfo ---
for pair in xterm:8 xterm-16color:16 xterm-256color:256; do
	start 80 24 LANG=C.UTF-8 TERM="${pair%%:*}" -- tui
	wait_for "[5] Inbox"
	keys q
	wait_for "okdf-exit=0"
	tail -3 "$XDG_STATE_HOME/okdf/okdf.log" | grep -qF "utf-8, ${pair#*:} colours" ||
		fail "TERM=${pair%%:*}: not ${pair#*:} colours"
done

# --- TERM=linux (8 colours): the grey of borders and dim text is not black ---
start 80 24 LANG=C.UTF-8 TERM=linux -- tui
wait_for "[5] Inbox"
# Line 2 holds the unfocused Time-to-revenue frame: black only on a colour
# (the focused title), never on the terminal's own (black) background.
if screen -e | sed -n 2p | grep -aqE $'\033\\[30m(\033\\[49m|[^\033])'; then
	fail "black text on TERM=linux"
fi
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- TERM=vt100: a terminal without colour gets none ---
start 80 24 LANG=C.UTF-8 TERM=vt100 -- tui
wait_for "[5] Inbox"
if screen -e | grep -aqE $'\033\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'; then
	fail "colour escapes on a vt100"
fi
keys q
wait_for "okdf-exit=0"
tmux -L "$SOCK" kill-server

# --- the terminal goes away (an SSH drop): okdf exits cleanly ---
start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
shell=$(tmux -L "$SOCK" display-message -p -t "$PANE" '#{pane_pid}')
okdf_pid=$(pgrep -P "$shell" | head -1)
[ -n "$okdf_pid" ] || fail "okdf process not found"
tmux -L "$SOCK" kill-server
for ((i = 0; i < 100; i++)); do
	[ -d "/proc/$okdf_pid" ] || break
	sleep 0.05
done
[ -d "/proc/$okdf_pid" ] && fail "okdf still running after its terminal went away"
grep -qE "signal 1: leaving|terminal gone" "$XDG_STATE_HOME/okdf/okdf.log" ||
	fail "no clean exit in the log"

# --- a bad theme: file:line before the screen opens, exit 2 ---
printf 'normal = default default\ncursor = white nocolour\n' >"$WORK/bad.theme"
set +e
out=$("$OKDF" --db "$DB" --theme "$WORK/bad.theme" tui 2>&1 </dev/null)
rc=$?
set -e
[ "$rc" = 2 ] || fail "bad theme exit $rc, want 2"
grep -qF "$WORK/bad.theme:2: bad colour 'nocolour'" <<<"$out" || fail "bad theme message: $out"
# Each shipped theme opens.
for t in default light mono high-contrast; do
	start 80 24 LANG=C.UTF-8 TERM=xterm-256color -- --theme "$t" tui
	wait_for "[5] Inbox"
	keys q
	wait_for "okdf-exit=0"
	tmux -L "$SOCK" kill-server
done
echo ok
