# Shared helpers for the TUI tests: a private tmux server, a prepared
# database, and polling the pane for text instead of sleeping.
# Each test sources this file; $OKDF is the binary under test.
set -euo pipefail

: "${OKDF:?set OKDF to the okdf binary}"
# A private tmux server per start (a killed server's socket can linger).
SOCK_BASE="okdf-test-$$"
SOCK="$SOCK_BASE-0"
STARTS=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/okdf-tui-test.XXXXXX")
export XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
export OKDF_OPERATOR=tester
# The shop's clock is fixed so the screen and `okdf metrics` agree.
export OKDF_NOW="2026-11-20T15:30:00Z"
DB="$WORK/okdf.db"
PANE="okdf:0.0"

cleanup() {
	local i
	for ((i = 0; i <= STARTS; i++)); do
		tmux -L "$SOCK_BASE-$i" kill-server 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if tmux -L "$SOCK" has-session 2>/dev/null; then
		echo "--- screen ---" >&2
		tmux -L "$SOCK" capture-pane -p -t "$PANE" >&2 || true
	fi
	if [ -f "$XDG_STATE_HOME/okdf/okdf.log" ]; then
		echo "--- log ---" >&2
		tail -20 "$XDG_STATE_HOME/okdf/okdf.log" >&2
	fi
	exit 1
}

# start COLS ROWS [ENV=VALUE ...] -- okdf arguments
# (env, not tmux -e: tmux sets TERM itself for what it starts)
start() {
	local cols=$1 rows=$2
	shift 2
	local envs=()
	while [ "$1" != "--" ]; do
		envs+=("$1")
		shift
	done
	shift
	STARTS=$((STARTS + 1))
	SOCK="$SOCK_BASE-$STARTS"
	local cmd
	cmd=$(printf '%q ' env XDG_STATE_HOME="$XDG_STATE_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		OKDF_OPERATOR="$OKDF_OPERATOR" OKDF_NOW="$OKDF_NOW" "${envs[@]}" "$OKDF" --db "$DB" "$@")
	tmux -L "$SOCK" -f /dev/null new-session -d -s okdf -x "$cols" -y "$rows" \
		"$cmd; echo okdf-exit=\$?; sleep 60"
}

screen() {
	tmux -L "$SOCK" capture-pane -p -t "$PANE" "$@"
}

keys() {
	tmux -L "$SOCK" send-keys -t "$PANE" "$@"
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT (a fixed string).
wait_for() {
	local text=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		if screen | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out waiting for '$text'"
}

# wait_match REGEX [SECONDS]: until a line of the screen matches REGEX (ERE).
wait_match() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		if screen | grep -qE -- "$re"; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out waiting for /$re/"
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
	local text=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		if ! screen | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.05
	done
	fail "'$text' still on screen"
}

resize() {
	tmux -L "$SOCK" resize-window -t okdf -x "$1" -y "$2"
}

sql() {
	sqlite3 "$DB" "$@"
}

# A shop in New York with products, orders, refunds and operator hours
# around OKDF_NOW, inserted by SQL into a freshly migrated database.
prepare_db() {
	"$OKDF" --db "$DB" phases >/dev/null
	local now day=86400
	now=$(date -d "$OKDF_NOW" +%s)
	sql <<SQL
INSERT INTO shop(id, shop_id, name, domain, currency, iana_timezone, synced_at)
 VALUES (1, 'gid://shopify/Shop/1', 'Test Shop', 'test.myshopify.com', 'USD', 'America/New_York', $now);
INSERT INTO products(id, title, status, created_at, updated_at, has_description, min_price_minor, currency) VALUES
 ('p1', 'Linen Apron', 'ACTIVE', $now - 40*$day, $now - 40*$day, 1, 3900, 'USD'),
 ('p2', 'Travel Mug', 'ACTIVE', $now - 30*$day, $now - 30*$day, 1, 2500, 'USD'),
 ('p3', 'Wool Beanie', 'ACTIVE', $now - 9*$day, $now - 9*$day, 1, 1900, 'USD');
INSERT INTO orders(id, name, created_at, processed_at, updated_at, test, total_minor, currency, customer_id, shop_day) VALUES
 ('o1', '#1001', $now - 35*$day, $now - 35*$day, $now - 35*$day, 0, 3900, 'USD', 'c1', NULL),
 ('o2', '#1002', $now - 20*$day, $now - 20*$day, $now - 20*$day, 0, 12345, 'USD', 'c2', NULL),
 ('o3', '#1003', $now - 3*$day, $now - 3*$day, $now - 3*$day, 0, 250075, 'USD', 'c1', NULL),
 ('o4', '#1004', $now - 3600, $now - 3600, $now - 3600, 0, 7800, 'USD', 'c3', NULL);
INSERT INTO line_items(id, order_id, product_id, title, quantity, price_minor, currency) VALUES
 ('l1', 'o1', 'p1', 'Linen Apron', 1, 3900, 'USD'),
 ('l2', 'o2', 'p2', 'Travel Mug', 1, 12345, 'USD'),
 ('l3', 'o3', 'p1', 'Linen Apron', 2, 250075, 'USD'),
 ('l4', 'o4', 'p1', 'Linen Apron', 1, 7800, 'USD');
INSERT INTO refunds(id, order_id, created_at, amount_minor, currency, note) VALUES
 ('r1', 'o3', $now - 2*$day, 1075, 'USD', 'damaged');
INSERT INTO manual_hours(operator, started_at, seconds, note, created_at) VALUES
 ('tester', $now - 3*$day - 7200, 7200, 'setup', $now),
 ('tester', $now - 10*$day, 3600, 'listing', $now);
SQL
}

# metrics WINDOW JQ: a value from `okdf metrics --json` for the same database.
metrics() {
	"$OKDF" --db "$DB" metrics --window "$1" --json | jq -r "$2"
}

# Minor units as the screen groups them: 250075 -> 2,500.75 (2 decimals).
money() {
	local v=$1 neg=""
	if [ "${v#-}" != "$v" ]; then
		neg="-"
		v=${v#-}
	fi
	local s=$((v / 100)) out=""
	s=$(printf '%d' "$s")
	while [ ${#s} -gt 3 ]; do
		out=",${s: -3}$out"
		s=${s:0:${#s}-3}
	done
	printf '%s%s%s.%02d\n' "$neg" "$s" "$out" $((v % 100))
}
