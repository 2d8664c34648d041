#!/bin/bash
# Idle cost of the Command Center against htop: each runs idle in its own
# tmux pane for 60 s (okdf on a prepared database, no new data, no sync);
# we read the CPU time each used (utime + stime from /proc/PID/stat) and the
# bytes each wrote to its terminal (tmux pipe-pane into a file). Not a test:
# prints the figures and says whether okdf is at or below htop on both.
#
# usage: bench/tui/run.sh [--smoke] [SECONDS]   (OKDF=path/to/okdf, default build/src/okdf)
# --smoke: 3 s idle; checks both figures were measured for both programs
# and okdf drew its panels, not the targets.
set -euo pipefail

smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
SECONDS_IDLE=${1:-$([ $smoke = 1 ] && echo 3 || echo 60)}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OKDF=${OKDF:-$ROOT/build/src/okdf}
[ -x "$OKDF" ] || { echo "build okdf first (meson compile -C build), or set OKDF" >&2; exit 2; }
command -v htop >/dev/null || { echo "install htop (apt-get install htop)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "install tmux" >&2; exit 2; }

SOCK="okdf-bench-$$"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/okdf-bench.XXXXXX")
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
export XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config" HOME="$WORK"
DB="$WORK/okdf.db"

# A prepared database: a shop, 40 products, 20,000 orders over 120 days with
# line items and refunds, operator hours, a few escalations.
"$OKDF" --db "$DB" phases >/dev/null
now=$(date +%s)
sqlite3 "$DB" <<SQL
INSERT INTO shop(id, name, currency, iana_timezone, synced_at)
 VALUES (1, 'Bench Shop', 'USD', 'America/New_York', $now);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
INSERT INTO products(id, title, status, created_at, updated_at, has_description, min_price_minor, currency)
 SELECT 'p' || i, 'Product ' || i, 'ACTIVE', $now - (150 - i * 3) * 86400, $now - 86400, 1, 1000 + i * 100, 'USD' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO orders(id, name, created_at, processed_at, updated_at, test, total_minor, currency, customer_id)
 SELECT 'o' || i, '#' || i, $now - (i * 518), $now - (i * 518), $now - (i * 518), 0,
        1500 + (i * 37) % 9000, 'USD', 'c' || (i % 3000) FROM n;
INSERT INTO line_items(id, order_id, product_id, title, quantity, price_minor, currency)
 SELECT 'l' || substr(id, 2), id, 'p' || (1 + (CAST(substr(id, 2) AS INTEGER) % 40)), 'x', 1, total_minor, 'USD' FROM orders;
INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)
 SELECT 'r' || substr(id, 2), id, processed_at + 86400, total_minor / 2, 'USD' FROM orders
 WHERE CAST(substr(id, 2) AS INTEGER) % 50 = 0;
INSERT INTO manual_hours(operator, started_at, seconds, note, created_at)
 SELECT 'bench', $now - d * 86400, 4 * 3600, 'bench', $now
 FROM (WITH RECURSIVE n(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM n WHERE d < 30) SELECT d FROM n);
SQL
for t in "Refund spike on Product 7" "Viral negative review" "Budget raised 3x on Summer"; do
	"$OKDF" --db "$DB" escalate crisis.negative_review "$t" >/dev/null
done

start_pane() { # name command...
	local name=$1
	shift
	tmux -L "$SOCK" -f /dev/null new-session -d -s "$name" -x 120 -y 40 \
		-e LANG="${LANG:-C.UTF-8}" -e TERM=xterm-256color -e HOME="$WORK" \
		-e XDG_STATE_HOME="$XDG_STATE_HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		"exec $(printf '%q ' "$@")"
}
cpu_ticks() { # utime + stime, fields 14 and 15 of /proc/PID/stat
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

start_pane okdf "$OKDF" --db "$DB" tui
start_pane htop htop
# Both drawn their first screen (okdf: its panels); from here on they idle.
for _ in $(seq 200); do
	tmux -L "$SOCK" capture-pane -p -t okdf | grep -q "Supporting numbers" && break
	sleep 0.1
done
sleep 1
declare -A pid t0
for p in okdf htop; do
	pid[$p]=$(tmux -L "$SOCK" display-message -p -t "$p" '#{pane_pid}')
	t0[$p]=$(cpu_ticks "${pid[$p]}")
	tmux -L "$SOCK" pipe-pane -o -t "$p" "cat > '$WORK/$p.out'"
done
echo "idle for ${SECONDS_IDLE}s: okdf (pid ${pid[okdf]}) and htop (pid ${pid[htop]}) ..."
sleep "$SECONDS_IDLE"
hz=$(getconf CLK_TCK)
declare -A cpu bytes
for p in okdf htop; do
	t1=$(cpu_ticks "${pid[$p]}")
	tmux -L "$SOCK" pipe-pane -t "$p"
	cpu[$p]=$(awk -v a="${t0[$p]}" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
	bytes[$p]=$(stat -c %s "$WORK/$p.out" 2>/dev/null || echo 0)
done
if ! tmux -L "$SOCK" capture-pane -p -t okdf | grep -q "Supporting numbers"; then
	echo "warning: okdf's screen did not show its panels" >&2
	[ $smoke = 0 ] || exit 1
fi

printf '\n%-8s %14s %18s\n' "" "CPU seconds" "bytes to terminal"
for p in okdf htop; do
	printf '%-8s %14s %18s\n' "$p" "${cpu[$p]}" "${bytes[$p]}"
done
verdict=met
awk -v a="${cpu[okdf]}" -v b="${cpu[htop]}" 'BEGIN { exit !(a <= b) }' || verdict=missed
[ "${bytes[okdf]}" -le "${bytes[htop]}" ] || verdict=missed
echo
if [ "$verdict" = met ]; then
	echo "target met: okdf used no more CPU and wrote no more bytes than htop over ${SECONDS_IDLE}s idle"
else
	echo "target MISSED: okdf is above htop on CPU or bytes over ${SECONDS_IDLE}s idle"
fi
if [ $smoke = 1 ]; then
	for p in okdf htop; do
		[[ ${cpu[$p]} =~ ^[0-9]+\.[0-9]+$ && ${bytes[$p]} =~ ^[0-9]+$ ]] ||
			{ echo "smoke: no figures for $p" >&2; exit 1; }
	done
	# htop redraws every 1.5 s: its bytes prove the capture worked.
	[ "${bytes[htop]}" -gt 0 ] || { echo "smoke: the terminal capture recorded nothing" >&2; exit 1; }
	echo "smoke: every figure produced"
fi
