#!/bin/bash
# okdf demo: okdf-sim as a child, the first sync's progress, then the screen
# with live orders arriving and the simulator's viral negative review raised
# as a critical escalation; quitting leaves no child process and no
# temporary files.
. "$(dirname "$0")/lib.sh"
unset OKDF_NOW # the simulator runs on the real clock
export TMPDIR="$WORK"
SECONDS=0

cmd=$(printf '%q ' env TMPDIR="$WORK" XDG_STATE_HOME="$XDG_STATE_HOME" \
	XDG_CONFIG_HOME="$XDG_CONFIG_HOME" OKDF_OPERATOR=tester "$OKDF" demo)
tmux -L "$SOCK" -f /dev/null new-session -d -s okdf -x 120 -y 40 \
	"$cmd; echo okdf-exit=\$?; sleep 60"
wait_for "first sync" 10
shell=$(tmux -L "$SOCK" display-message -p -t "$PANE" '#{pane_pid}')
okdf_pid=$(pgrep -P "$shell" | head -1)
sim_pid=$(pgrep -P "$okdf_pid" -f okdf-sim | head -1 || true)
[ -n "$sim_pid" ] || fail "no okdf-sim child of okdf demo"
ls -d "$WORK"/okdf-demo-* >/dev/null || fail "no temporary directory"
[ "$(stat -c %a "$WORK"/okdf-demo-*/config.ini)" = 600 ] || fail "config not mode 0600"

wait_for "[5] Inbox" 60
# Live orders: the 30-day order count grows within seconds.
orders() { screen | grep -oE '[0-9,]+ orders' | head -1 | tr -d ', orders'; }
first=$(orders)
[ -n "$first" ] || fail "no order count on screen"
for ((i = 0; i < 200; i++)); do
	now=$(orders)
	[ -n "$now" ] && [ "$now" -gt "$first" ] && break
	sleep 0.1
done
[ "$now" -gt "$first" ] || fail "no new order within 20 s ($first)"
# The crisis: the simulator's viral negative review, raised by the rules the
# workers run after each pass, within the first minute (as its own
# escalation, or listed in the one its conversation raised).
for ((i = 0; i < 600; i++)); do
	screen | grep -qE "critical [1-9]" && break
	[ $SECONDS -lt 60 ] || break
	sleep 0.1
done
screen | grep -qE "critical [1-9]" || fail "no critical escalation within the first minute"
demo_db=$(ls -d "$WORK"/okdf-demo-*)/okdf.db
"$OKDF" --db "$demo_db" inbox --json |
	jq -e '[.[] | select((.kind == "crisis.negative_review" or
		(.evidence.rules // [] | map(.kind) | index("crisis.negative_review")))
		and .severity == "critical") | .evidence | tostring | test("viral")] | any' \
		>/dev/null ||
	fail "the viral negative review is not in the inbox"

keys q
wait_for "okdf-exit=0" 10
for ((i = 0; i < 40; i++)); do
	[ -d "/proc/$sim_pid" ] || break
	sleep 0.05
done
[ -d "/proc/$sim_pid" ] && fail "okdf-sim still running after quitting"
ls -d "$WORK"/okdf-demo-* >/dev/null 2>&1 && fail "temporary files left behind"
echo ok
