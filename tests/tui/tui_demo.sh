#!/bin/bash
# okdf demo: okdf-sim as a child, the first sync's progress, then the screen
# with live orders arriving and the simulator's viral negative review raised
# as a critical escalation; quitting leaves no child process and no
# temporary files.
. "$(dirname "$0")/lib.sh"
unset OKDF_NOW # the simulator runs on the real clock
export TMPDIR="$WORK"

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
# The crisis: the simulator's viral negative review, raised by the rules.
wait_for "viral" 60
screen | grep -qE "critical [1-9]" || fail "the crisis is not counted as critical"

keys q
wait_for "okdf-exit=0" 10
for ((i = 0; i < 40; i++)); do
	[ -d "/proc/$sim_pid" ] || break
	sleep 0.05
done
[ -d "/proc/$sim_pid" ] && fail "okdf-sim still running after quitting"
ls -d "$WORK"/okdf-demo-* >/dev/null 2>&1 && fail "temporary files left behind"
echo ok
