#!/usr/bin/env bash
# okdf doctor against okdf-sim: every check of a good setup is ok (exit 0);
# refused keys, missing scopes, an old Klaviyo revision, an unreachable
# service, a config others can read, a broken or newer database, a held
# poller lock and the terminal each give the line that names them.
source "$(dirname "$0")/../integration/lib.sh"
fails=0 passes=0
ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
# status_of CHECK JSON_FILE: the status of area.check in doctor's --json.
status_of() { jq -r --arg c "$1" '.checks[] | select(.area + "." + .check == $c) | .status' "$2"; }
detail_of() { jq -r --arg c "$1" '.checks[] | select(.area + "." + .check == $c) | .detail' "$2"; }
expect() { # expect NAME CHECK STATUS JSON_FILE
	local got; got=$(status_of "$2" "$4")
	[ "$got" = "$3" ] && ok "$1: $2 $3" || bad "$1: $2 is '$got', want $3 ($(detail_of "$2" "$4"))"
}
run_doctor() { # run_doctor NAME ARGS...: doctor --json into $WORK/NAME.json, exit code into rc
	local name=$1 a; shift
	local global=() own=(--json)
	for a in "$@"; do [ "$a" = --offline ] && own+=("$a") || global+=("$a"); done
	rc=0
	"$OKDF" "${global[@]}" doctor "${own[@]}" >"$WORK/$name.json" 2>"$WORK/$name.err" || rc=$?
}

# current_versions FILE: the API versions in service in December 2026;
# dated_versions FILE: ones past their end of support.
current_versions() {
	sed -i -e 's/^api_version = 20.*/api_version = 2026-10/' -e 's/^api_version = v.*/api_version = v27.0/' \
		-e 's/^revision = .*/revision = 2026-10-15/' "$1"
}
dated_versions() {
	sed -i -e 's/^api_version = 20.*/api_version = 2025-01/' -e 's/^api_version = v.*/api_version = v21.0/' "$1"
}

# A good setup, synced once.
start_sim good --no-throttle --seed 7 --orders 60 --days 10
cp "$WORK/good.ini" "$WORK/dated.ini"
dated_versions "$WORK/dated.ini"
current_versions "$WORK/good.ini"
"$OKDF" --db "$WORK/good.db" --config "$WORK/good.ini" sync --once >/dev/null
run_doctor good --db "$WORK/good.db" --config "$WORK/good.ini"
[ "$rc" = 0 ] && ok "good setup exits 0" || bad "good setup exits $rc: $(cat "$WORK/good.err")"
[ "$(jq -r .ok "$WORK/good.json")" = true ] && ok "good: ok true" || bad "good: ok not true"
for c in config.mode config.syntax database.path database.schema database.integrity \
	shopify.credentials shopify.version shopify.scopes klaviyo.version klaviyo.credentials \
	klaviyo.scopes meta.credentials meta.version meta.scopes meta.ad_account relevance.credentials; do
	expect good "$c" ok "$WORK/good.json"
done
expect good poller.lock warn "$WORK/good.json"
[ "$(jq '.counts.fail' "$WORK/good.json")" = 0 ] && ok "good: counts.fail 0" || bad "good: counts"
[ "$(detail_of database.schema "$WORK/good.json")" = "schema v$(sqlite3 "$WORK/good.db" 'PRAGMA user_version')" ] &&
	ok "schema version named" || bad "schema detail: $(detail_of database.schema "$WORK/good.json")"
# Text: one line per check and a summary; no secret anywhere.
"$OKDF" --db "$WORK/good.db" --config "$WORK/good.ini" doctor >"$WORK/good.txt"
[ "$(wc -l <"$WORK/good.txt")" = $(($(jq '.checks | length' "$WORK/good.json") + 1)) ] &&
	ok "text: one line per check + summary" || bad "text line count"
grep -qE 'shpat_sim|pk_sim|meta_sim|rel_sim' "$WORK/good.txt" "$WORK/good.json" &&
	bad "a secret was printed" || ok "no secret printed"

# The poller lock names its holder.
"$OKDF" --db "$WORK/good.db" --config "$WORK/good.ini" sync >/dev/null 2>&1 &
poller=$!
# The lock file names the pid once the poller holds it (an earlier run left it behind).
for _ in $(seq 200); do [ "$(cat "$WORK/good.db.sync.lock" 2>/dev/null)" = "$poller" ] && break; sleep 0.1; done
run_doctor held --db "$WORK/good.db" --config "$WORK/good.ini"
kill -TERM "$poller"; wait "$poller" || true
expect held poller.lock ok "$WORK/held.json"
[[ "$(detail_of poller.lock "$WORK/held.json")" == *"pid $poller"* ]] && ok "lock holder's pid named" ||
	bad "lock detail: $(detail_of poller.lock "$WORK/held.json")"

# Versions past their end of support (2025-01 ended 2026-01-01, v21.0 by
# 2026-11-10), and one close to it (v25.0 ends 2027-02-23).
run_doctor dated --db "$WORK/good.db" --config "$WORK/dated.ini"
[ "$rc" = 1 ] && ok "expired versions exit 1" || bad "expired versions exit $rc"
expect dated shopify.version fail "$WORK/dated.json"
expect dated meta.version fail "$WORK/dated.json"
[[ "$(detail_of shopify.version "$WORK/dated.json")" == *"2026-01-01"* ]] && ok "Shopify end date named" ||
	bad "shopify version detail: $(detail_of shopify.version "$WORK/dated.json")"
sed 's/^api_version = v27.0/api_version = v25.0/' "$WORK/good.ini" >"$WORK/v25.ini"; chmod 600 "$WORK/v25.ini"
OKDF_NOW=2027-01-10T12:00:00Z run_doctor v25 --db "$WORK/good.db" --config "$WORK/v25.ini"
expect "v25.0 in January 2027" meta.version warn "$WORK/v25.json"
[[ "$(detail_of meta.version "$WORK/v25.json")" == *"2027-02-23"* ]] && ok "Meta end date named" ||
	bad "meta version detail: $(detail_of meta.version "$WORK/v25.json")"

# Missing scopes and permissions.
start_sim scopes --no-throttle --seed 7 --orders 60 --days 10 --missing-scope flows:read \
	--klaviyo-no-accounts --missing-scope ads_read --missing-scope ads_management \
	--scopes read_orders,read_products,read_customers
current_versions "$WORK/scopes.ini"
run_doctor scopes --db "$WORK/good.db" --config "$WORK/scopes.ini"
[ "$rc" = 1 ] && ok "missing scopes exit 1" || bad "missing scopes exit $rc"
[ "$(jq -r .ok "$WORK/scopes.json")" = false ] && ok "scopes: ok false" || bad "scopes: ok"
jq -e '[.checks[] | select(.area == "klaviyo" and .check == "scopes" and .status == "fail")
	| .detail] | any(test("flows:read"))' "$WORK/scopes.json" >/dev/null &&
	ok "klaviyo flows:read missing fails" || bad "klaviyo flows:read"
jq -e '[.checks[] | select(.area == "klaviyo" and .check == "scopes" and .status == "warn")
	| .detail] | any(test("accounts:read"))' "$WORK/scopes.json" >/dev/null &&
	ok "klaviyo accounts:read missing warns" || bad "klaviyo accounts:read"
expect scopes meta.scopes fail "$WORK/scopes.json"
expect scopes meta.ad_account fail "$WORK/scopes.json"
expect scopes shopify.scopes warn "$WORK/scopes.json"
[[ "$(detail_of shopify.scopes "$WORK/scopes.json")" == *"60 days"* ]] && ok "read_all_orders: 60 days named" ||
	bad "shopify scopes detail"
jq -e '.checks[] | select(.status == "fail") | .fix | strings | length > 0' "$WORK/scopes.json" >/dev/null &&
	ok "each failure has a fix" || bad "a failure without fix"

# A refused key.
start_sim auth --no-throttle --seed 7 --orders 60 --days 10 --auth-fail klaviyo
current_versions "$WORK/auth.ini"
run_doctor auth --db "$WORK/good.db" --config "$WORK/auth.ini"
[ "$rc" = 1 ] && ok "refused key exits 1" || bad "refused key exit $rc"
expect auth klaviyo.credentials fail "$WORK/auth.json"
expect auth shopify.credentials ok "$WORK/auth.json"

# A Dev Dashboard app: doctor asks for a token by the client credentials
# grant and runs the same checks with it, never printing it; a refused grant
# names invalid_client. A Meta app that requires the app secret: doctor signs
# with appsecret_proof when [meta] app_secret is set.
start_sim grant --no-throttle --seed 7 --orders 20 --days 10 --token-ttl 60 --meta-app-secret s3cr3t_app
current_versions "$WORK/grant.ini"
# grant_ini SRC DST SECRET [APP_SECRET]: SRC with client credentials instead of
# [shopify] access_token, and [meta] app_secret when given.
grant_ini() {
	awk -v secret="$3" -v app="${4:-}" '
		/^\[/ { sec = $0 }
		sec == "[shopify]" && /^access_token = / {
			print "client_id = sim-client-id"; print "client_secret = " secret; next }
		{ print }
		sec == "[meta]" && /^access_token = / && app != "" { print "app_secret = " app }' "$1" >"$2"
	chmod 600 "$2"
}
grant_ini "$WORK/grant.ini" "$WORK/cc.ini" shpss_sim s3cr3t_app
run_doctor cc --db "$WORK/good.db" --config "$WORK/cc.ini"
[ "$rc" = 0 ] && ok "client credentials: exit 0" || bad "client credentials: exit $rc ($(cat "$WORK/cc.err"))"
for c in shopify.credentials shopify.version shopify.scopes meta.credentials meta.scopes meta.ad_account; do
	expect "client credentials" "$c" ok "$WORK/cc.json"
done
[[ "$(detail_of shopify.credentials "$WORK/cc.json")" == *"client credentials granted"* ]] &&
	ok "the grant is named" || bad "grant detail: $(detail_of shopify.credentials "$WORK/cc.json")"
"$OKDF" --db "$WORK/good.db" --config "$WORK/cc.ini" doctor >"$WORK/cc.txt" 2>&1 || true
grep -qE 'shpat_|shpss_sim|s3cr3t_app|meta_sim' "$WORK/cc.txt" "$WORK/cc.json" "$WORK/cc.err" &&
	bad "a secret or the granted token was printed" || ok "no secret or granted token printed"
grant_ini "$WORK/grant.ini" "$WORK/cc-wrong.ini" shpss_wrong_secret s3cr3t_app
run_doctor cc-wrong --db "$WORK/good.db" --config "$WORK/cc-wrong.ini"
[ "$rc" = 1 ] && ok "refused grant exits 1" || bad "refused grant exit $rc"
expect "refused grant" shopify.credentials fail "$WORK/cc-wrong.json"
[[ "$(detail_of shopify.credentials "$WORK/cc-wrong.json")" == *invalid_client* ]] &&
	ok "refused grant names invalid_client" || bad "refused grant detail: $(detail_of shopify.credentials "$WORK/cc-wrong.json")"
jq -e '.checks[] | select(.area == "shopify") | select(.check == "version" or .check == "scopes")' \
	"$WORK/cc-wrong.json" >/dev/null && bad "checks ran after a refused grant" || ok "no checks after a refused grant"
grep -q 'shpss_wrong_secret' "$WORK/cc-wrong.json" && bad "the wrong secret was printed" || ok "wrong secret not printed"
# Without app_secret the app refuses the unsigned call; a wrong one is refused too.
grant_ini "$WORK/grant.ini" "$WORK/unsigned.ini" shpss_sim
run_doctor unsigned --db "$WORK/good.db" --config "$WORK/unsigned.ini"
expect "no app_secret" meta.credentials fail "$WORK/unsigned.json"
jq -r '.checks[] | select(.area == "meta" and .check == "credentials") | .fix' "$WORK/unsigned.json" |
	grep -q 'app_secret' && ok "the fix names app_secret" || bad "the fix does not name app_secret"
grant_ini "$WORK/grant.ini" "$WORK/wrongapp.ini" shpss_sim not_the_secret
run_doctor wrongapp --db "$WORK/good.db" --config "$WORK/wrongapp.ini"
expect "wrong app_secret" meta.credentials fail "$WORK/wrongapp.json"
expect "wrong app_secret" shopify.credentials ok "$WORK/wrongapp.json"
# Both credentials, or half of the client credentials: refused before any request.
sed -i 's/^\[shopify\]$/[shopify]\naccess_token = shpat_sim/' "$WORK/cc.ini"
run_doctor both --db "$WORK/good.db" --config "$WORK/cc.ini"
expect "both credentials" shopify.credentials fail "$WORK/both.json"
grant_ini "$WORK/grant.ini" "$WORK/half.ini" shpss_sim; sed -i '/^client_secret = /d' "$WORK/half.ini"
run_doctor half --db "$WORK/good.db" --config "$WORK/half.ini"
expect "client_id alone" shopify.credentials fail "$WORK/half.json"
[[ "$(detail_of shopify.credentials "$WORK/half.json")" == *client_secret* ]] && ok "missing client_secret named" ||
	bad "half detail: $(detail_of shopify.credentials "$WORK/half.json")"

# Klaviyo revisions: a year old is deprecated, two years retired.
sed 's/^revision = .*/revision = 2025-07-15/' "$WORK/good.ini" >"$WORK/old.ini"
sed 's/^revision = .*/revision = 2024-07-15/' "$WORK/good.ini" >"$WORK/older.ini"
chmod 600 "$WORK/old.ini" "$WORK/older.ini"
run_doctor old --db "$WORK/good.db" --config "$WORK/old.ini"
expect "revision 2025-07-15" klaviyo.version warn "$WORK/old.json"
run_doctor older --db "$WORK/good.db" --config "$WORK/older.ini"
expect "revision 2024-07-15" klaviyo.version fail "$WORK/older.json"

# An unreachable service: nothing listens on the port any more.
port=$(sed -n 's|^base_url = http://127.0.0.1:\([0-9]*\)$|\1|p' "$WORK/good.ini" | head -1)
kill "${SIM_PIDS[0]}"; wait "${SIM_PIDS[0]}" 2>/dev/null || true
run_doctor down --db "$WORK/good.db" --config "$WORK/good.ini"
[ "$rc" = 1 ] && ok "unreachable exits 1" || bad "unreachable exit $rc"
expect down relevance.reachable fail "$WORK/down.json"
[[ "$(detail_of relevance.reachable "$WORK/down.json")" == *"127.0.0.1"* || -n "$port" ]] &&
	ok "unreachable detail" || bad "unreachable detail"

# The config file: readable by others, a syntax error, missing.
cp "$WORK/good.ini" "$WORK/open.ini"; chmod 644 "$WORK/open.ini"
run_doctor open --db "$WORK/good.db" --config "$WORK/open.ini" --offline
expect "mode 0644" config.mode warn "$WORK/open.json"
expect "mode 0644" config.syntax fail "$WORK/open.json"
[ "$rc" = 1 ] && ok "readable secret exits 1" || bad "readable secret exit $rc"
printf '[shopify]\nshop acme\n' >"$WORK/broken.ini"; chmod 600 "$WORK/broken.ini"
run_doctor broken --db "$WORK/good.db" --config "$WORK/broken.ini"
expect "syntax error" config.syntax fail "$WORK/broken.json"
[[ "$(detail_of config.syntax "$WORK/broken.json")" == *"broken.ini:2"* ]] && ok "syntax error names file:line" ||
	bad "syntax detail: $(detail_of config.syntax "$WORK/broken.json")"
XDG_CONFIG_HOME=$WORK/none run_doctor none --db "$WORK/good.db"
expect "no config" config.file warn "$WORK/none.json"
[ "$rc" = 0 ] && ok "no config: exit 0" || bad "no config exit $rc"

# The database: newer than this okdf, not a database, absent.
cp "$WORK/good.db" "$WORK/newer.db"; sqlite3 "$WORK/newer.db" 'PRAGMA user_version = 9999'
run_doctor newer --db "$WORK/newer.db" --config "$WORK/good.ini" --offline
expect "newer schema" database.schema fail "$WORK/newer.json"
[ "$(sqlite3 "$WORK/newer.db" 'PRAGMA user_version')" = 9999 ] && ok "newer db left untouched" || bad "newer db changed"
head -c 8192 /dev/urandom >"$WORK/junk.db"
run_doctor junk --db "$WORK/junk.db" --config "$WORK/good.ini" --offline
expect "not a database" database.path fail "$WORK/junk.json"
# A page of the orders table overwritten: quick_check names it.
cp "$WORK/good.db" "$WORK/torn.db"; sqlite3 "$WORK/torn.db" 'PRAGMA journal_mode=DELETE' >/dev/null
root=$(sqlite3 "$WORK/torn.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'orders'")
psize=$(sqlite3 "$WORK/torn.db" 'PRAGMA page_size')
printf '\x0d\xff\xff\xff\xff\xff\xff\xff' | dd of="$WORK/torn.db" bs=1 seek=$(((root - 1) * psize)) conv=notrunc 2>/dev/null
run_doctor torn --db "$WORK/torn.db" --config "$WORK/good.ini" --offline
expect "torn page" database.integrity fail "$WORK/torn.json"
run_doctor absent --db "$WORK/absent.db" --config "$WORK/good.ini" --offline
expect "absent db" database.path warn "$WORK/absent.json"
[ ! -e "$WORK/absent.db" ] && ok "doctor creates no database" || bad "doctor created a database"

# Usage.
rc=0; "$OKDF" doctor --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] && ok "unknown option exits 2" || bad "unknown option exit $rc"

# The terminal, in tmux: colours, UTF-8 and size.
if command -v tmux >/dev/null; then
	sock=$WORK/tmux.sock
	trap 'tmux -S "$sock" kill-server 2>/dev/null || true; cleanup' EXIT
	tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 '$OKDF' --db '$WORK/good.db' --config '$WORK/good.ini' doctor --offline --json > '$WORK/tty.json'; env TERM=xterm-256color LANG=C LC_ALL=C '$OKDF' --db '$WORK/good.db' --config '$WORK/good.ini' doctor --offline --json > '$WORK/tty-c.json'; touch '$WORK/tty.done'; sleep 30"
	for _ in $(seq 200); do [ -e "$WORK/tty.done" ] && break; sleep 0.1; done
	tmux -S "$sock" kill-server 2>/dev/null || true
	expect tmux terminal.colours ok "$WORK/tty.json"
	[ "$(detail_of terminal.colours "$WORK/tty.json")" = "256 colours" ] && ok "256 colours named" ||
		bad "colours detail: $(detail_of terminal.colours "$WORK/tty.json")"
	expect tmux terminal.utf8 ok "$WORK/tty.json"
	[ "$(detail_of terminal.size "$WORK/tty.json")" = "100x30" ] && ok "size 100x30" ||
		bad "size detail: $(detail_of terminal.size "$WORK/tty.json")"
	expect "tmux, C locale" terminal.utf8 warn "$WORK/tty-c.json"
else
	bad "tmux not installed"
fi

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
