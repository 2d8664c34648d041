#!/usr/bin/env bash
# Hostile local input through the CLI: another program's database, an
# impossible schema version, a device as the brief, out-of-range ids and
# times, a config that inih would have misread. Each is refused with the
# exit code the README promises, and nothing is modified.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: the Quick start installs it" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: want '$2', got '$3'"; fails=$((fails + 1)); fi
}
status() { "$@" >"$tmp/out" 2>"$tmp/err" && echo 0 || echo $?; }
export OKDF_NOW=2026-11-20T12:00:00Z

# Another program's database, even for a read-only command: refused, untouched.
sqlite3 "$tmp/other.db" "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('x');"
cp "$tmp/other.db" "$tmp/other.orig"
for cmd in "inbox" "audit" "metrics" "health" "settings"; do
	# shellcheck disable=SC2086
	check "foreign db: $cmd exits 1" 1 "$(status "$OKDF" --db "$tmp/other.db" $cmd)"
	grep -q "not an okdf database" "$tmp/err" || { echo "not ok - message: $(cat "$tmp/err")"; fails=$((fails + 1)); }
done
cmp -s "$tmp/other.db" "$tmp/other.orig" && echo "ok - foreign db unchanged" ||
	{ echo "not ok - foreign db changed"; fails=$((fails + 1)); }
[ ! -e "$tmp/other.db-wal" ] && echo "ok - no WAL file" || { echo "not ok - WAL created"; fails=$((fails + 1)); }
check "foreign db journal mode" delete "$(sqlite3 "$tmp/other.db" "PRAGMA journal_mode")"

for v in -1 -100; do
	sqlite3 "$tmp/neg$v.db" "PRAGMA user_version = $v"
	check "user_version $v exits 1 (no crash)" 1 "$(status "$OKDF" --db "$tmp/neg$v.db" inbox)"
	check "user_version $v kept" "$v" "$(sqlite3 "$tmp/neg$v.db" "PRAGMA user_version")"
done

db="$tmp/okdf.db"
check "fresh db" 0 "$(status "$OKDF" --db "$db" settings)"

# The brief must be a regular file: a device or a FIFO is refused at once.
check "brief /dev/zero exits 2" 2 "$(timeout 20 "$OKDF" --db "$db" brief register /dev/zero >/dev/null 2>&1 && echo 0 || echo $?)"
mkfifo "$tmp/fifo"
check "brief FIFO exits 2" 2 "$(timeout 20 "$OKDF" --db "$db" brief register "$tmp/fifo" >/dev/null 2>&1 && echo 0 || echo $?)"
check "no brief registered" 0 "$(sqlite3 "$db" "SELECT count(*) FROM brand_brief")"

# Ids and times out of range are usage errors.
check "ack huge id exits 2" 2 "$(status "$OKDF" --db "$db" ack 99999999999999999999)"
check "resolve huge id exits 2" 2 "$(status "$OKDF" --db "$db" resolve 99999999999999999999 --note x)"
check "OKDF_NOW huge exits 2" 2 "$(OKDF_NOW=99999999999999999999 status "$OKDF" --db "$db" inbox)"
grep -q "OKDF_NOW" "$tmp/err" || { echo "not ok - OKDF_NOW message"; fails=$((fails + 1)); }

# Config: what inih misread is an error with file:line (exit 2).
cfg() { printf '%b' "$2" >"$tmp/$1.ini"; chmod 600 "$tmp/$1.ini"; }
token=$(head -c 240 /dev/zero | tr '\0' 'A')
cfg long "[meta]\nad_account_id = 1\naccess_token = EAA$token\nbase_url = http://127.0.0.1:9\n"
check "240-byte token accepted" 0 "$(status "$OKDF" --db "$db" --config "$tmp/long.ini" rules run)"
cfg http "[shopify]\nshop = acme\nbase_url = http://acme.myshopify.com\n"
check "plain http to a remote host exits 2" 2 "$(status "$OKDF" --db "$db" --config "$tmp/http.ini" sync --once)"
grep -q "http.ini:3: base_url may use plain http:// only for a loopback host" "$tmp/err" ||
	{ echo "not ok - http message: $(cat "$tmp/err")"; fails=$((fails + 1)); }
cfg bare "[sync]\ntimeout = 5\n[shopify]\n"
check "bare [shopify] exits 2" 2 "$(status "$OKDF" --db "$db" --config "$tmp/bare.ini" sync --once)"
grep -q "bare.ini:3: \[shopify\] needs shop" "$tmp/err" ||
	{ echo "not ok - bare message: $(cat "$tmp/err")"; fails=$((fails + 1)); }
cfg empty "[shopify]\nshop = acme\napi_version =\n"
check "empty api_version exits 2" 2 "$(status "$OKDF" --db "$db" --config "$tmp/empty.ini" sync --once)"

[ "$fails" = 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
