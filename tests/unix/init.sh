#!/usr/bin/env bash
# okdf init: --from FILE (and - with secrets from the environment) writes a
# 0600 config.ini under $XDG_CONFIG_HOME and runs doctor; an existing file is
# kept unless --force or the operator says yes; on a terminal (tmux) it asks
# section by section, hides secrets, keeps [defaults] on Enter; Shopify by a
# Dev Dashboard app (client credentials) or an access token.
source "$(dirname "$0")/../integration/lib.sh"
command -v tmux >/dev/null || { echo "tmux not installed"; exit 1; }
fails=0 passes=0
ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
export XDG_CONFIG_HOME=$WORK/xdg HOME=$WORK/home
cfg=$XDG_CONFIG_HOME/okdf/config.ini
mode() { stat -c %a "$1"; }

start_sim sim --no-throttle --seed 9 --orders 40 --days 10
# The versions in service in December 2026 (the simulator serves any).
sed -i -e 's/^api_version = 20.*/api_version = 2026-10/' -e 's/^api_version = v.*/api_version = v27.0/' "$WORK/sim.ini"
rc=0; "$OKDF" --db "$WORK/a.db" init --from "$WORK/sim.ini" >"$WORK/from.out" 2>&1 || rc=$?
[ "$rc" = 0 ] && ok "init --from exits 0 (doctor passed)" || bad "init --from exit $rc: $(cat "$WORK/from.out")"
[ "$(mode "$cfg")" = 600 ] && ok "config.ini is 0600" || bad "mode $(mode "$cfg")"
[ "$(mode "$XDG_CONFIG_HOME/okdf")" = 700 ] && ok "its directory is 0700" || bad "dir mode"
grep -q "^wrote $cfg" "$WORK/from.out" && ok "says where it wrote" || bad "no 'wrote' line"
grep -q "^ok    klaviyo.credentials" "$WORK/from.out" && ok "doctor ran against the services" || bad "no doctor output"
# The written file is the same configuration.
for k in shop access_token api_key ad_account_id project_id region base_url; do
	[ "$(grep -c "^$k = " "$cfg")" = "$(grep -c "^$k = " "$WORK/sim.ini")" ] && ok "key $k kept" || bad "key $k"
done
grep -q '^interval_seconds = 5$' "$cfg" && ok "[sync] interval kept" || bad "interval"

# An existing file is kept without --force, replaced with it.
before=$(md5sum <"$cfg")
rc=0; "$OKDF" init --from "$WORK/sim.ini" --no-doctor </dev/null >/dev/null 2>"$WORK/keep.err" || rc=$?
[ "$rc" = 1 ] && ok "existing config: exit 1" || bad "existing config exit $rc"
grep -q "exists; kept" "$WORK/keep.err" && ok "says it kept the file" || bad "keep message: $(cat "$WORK/keep.err")"
[ "$(md5sum <"$cfg")" = "$before" ] && ok "file untouched" || bad "file changed"

# --from - with the secret from the environment, --force.
port=$(sed -n 's|^base_url = http://127.0.0.1:\([0-9]*\)$|\1|p' "$WORK/sim.ini" | head -1)
printf '[klaviyo]\nbase_url = http://127.0.0.1:%s\n' "$port" |
	OKDF_KLAVIYO_API_KEY=pk_sim "$OKDF" --db "$WORK/a.db" init --from - --force >"$WORK/stdin.out" 2>&1 || true
grep -q '^api_key = pk_sim$' "$cfg" && ok "secret from the environment written" || bad "env secret: $(cat "$cfg")"
grep -q '^\[shopify\]' "$cfg" && bad "--force kept old sections" || ok "--force replaced the file"
grep -q "^ok    klaviyo.scopes" "$WORK/stdin.out" && ok "doctor ok on the new file" || bad "doctor: $(cat "$WORK/stdin.out")"

# --from a Dev Dashboard app, the secret from the environment: doctor gets a
# token by the grant. Both kinds of credential, or half of one, are refused.
awk '/^\[/{on=($0=="[shopify]")} on' "$WORK/sim.ini" | grep -v '^access_token = ' >"$WORK/cc.ini"
echo 'client_id = sim-client-id' >>"$WORK/cc.ini"
rc=0; OKDF_SHOPIFY_CLIENT_SECRET=shpss_sim "$OKDF" --db "$WORK/a.db" --config "$WORK/cc-out.ini" \
	init --from "$WORK/cc.ini" >"$WORK/cc.out" 2>&1 || rc=$?
[ "$rc" = 0 ] && ok "--from client credentials exits 0" || bad "--from client credentials exit $rc: $(cat "$WORK/cc.out")"
grep -q '^client_secret = shpss_sim$' "$WORK/cc-out.ini" && ok "client_secret from the environment written" ||
	bad "cc content: $(cat "$WORK/cc-out.ini")"
grep -q '^ok    shopify.credentials.*client credentials granted' "$WORK/cc.out" &&
	ok "doctor checked the grant" || bad "doctor: $(cat "$WORK/cc.out")"
grep -q 'shpat_' "$WORK/cc.out" && bad "a token was printed" || ok "no token printed"
cp "$WORK/cc.ini" "$WORK/both.ini"; echo 'access_token = shpat_sim' >>"$WORK/both.ini"; chmod 600 "$WORK/both.ini"
rc=0; OKDF_SHOPIFY_CLIENT_SECRET=shpss_sim "$OKDF" --config "$WORK/both-out.ini" init --from "$WORK/both.ini" \
	>/dev/null 2>"$WORK/both.err" || rc=$?
[ "$rc" = 2 ] && grep -q 'not both' "$WORK/both.err" && ok "both credentials: exit 2" || bad "both: exit $rc $(cat "$WORK/both.err")"
[ ! -e "$WORK/both-out.ini" ] && ok "nothing written with both" || bad "wrote with both"
rc=0; env -u OKDF_SHOPIFY_CLIENT_SECRET "$OKDF" --config "$WORK/half-out.ini" init --from "$WORK/cc.ini" \
	>/dev/null 2>"$WORK/half.err" || rc=$?
[ "$rc" = 2 ] && grep -q 'client_secret' "$WORK/half.err" && ok "client_id alone: exit 2" || bad "half: exit $rc $(cat "$WORK/half.err")"

# Bad input and no terminal.
rc=0; "$OKDF" init </dev/null >/dev/null 2>"$WORK/notty.err" || rc=$?
[ "$rc" = 2 ] && ok "no terminal, no --from: exit 2" || bad "no terminal exit $rc"
printf '[shopify]\nshop acme\n' >"$WORK/bad.ini"; chmod 600 "$WORK/bad.ini"
rc=0; "$OKDF" --config "$WORK/new.ini" init --from "$WORK/bad.ini" >/dev/null 2>"$WORK/bad.err" || rc=$?
[ "$rc" = 2 ] && ok "bad --from file: exit 2" || bad "bad --from exit $rc"
[ ! -e "$WORK/new.ini" ] && ok "nothing written from a bad file" || bad "wrote from a bad file"

# Interactive, in tmux.
# A new server (socket) per session: a killed one may still be exiting.
n_sessions=0
trap 'for s in "$WORK"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null || true; done; cleanup' EXIT
sock=$WORK/tmux.0.sock
T() { tmux -S "$sock" "$@"; }
session() { n_sessions=$((n_sessions + 1)); sock=$WORK/tmux.$n_sessions.sock
	T -f /dev/null new-session -d -s init -x 100 -y 40 "$1"; }
screen() { T capture-pane -p -J -S -200 -t init:0.0; }
wait_for() { # wait_for TEXT: until the pane shows TEXT
	for _ in $(seq 300); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
	bad "never saw '$1'"; screen | tail -15; return 1
}
answer() { T send-keys -t init:0.0 -l "$1"; T send-keys -t init:0.0 Enter; }
fresh=$WORK/fresh/okdf/config.ini
session "env -u OKDF_KLAVIYO_API_KEY TERM=xterm '$OKDF' --config '$fresh' init --no-doctor; echo EXIT=\$?; sleep 60"
wait_for "Set up Shopify? [Y/n]" && answer ""
wait_for "shop (NAME of NAME.myshopify.com):" && answer "acme"
wait_for "credential: 1 Dev Dashboard app, 2 access token [1]:" && answer "3"
wait_for "Answer 1 or 2." && answer "2"
wait_for "Admin API access token:" && answer "shpat_TOPSECRET"
wait_for "api_version [" && answer "2026-10"
wait_for "Set up Klaviyo? [Y/n]" && answer "n"
wait_for "Set up Meta Ads? [Y/n]" && answer "n"
wait_for "Set up Relevance AI? [Y/n]" && answer "y"
wait_for "project id:" && answer ""
wait_for "project id is needed" && answer "proj-1"
wait_for "region:" && answer "bcbe5a"
wait_for "API key:" && answer "sk-HIDDEN"
wait_for "EXIT=" || true
screen | grep -q "EXIT=0" && ok "interactive init exits 0" || bad "interactive exit: $(screen | tail -3)"
screen | grep -qE "TOPSECRET|sk-HIDDEN" && bad "a secret was echoed" || ok "secrets not echoed"
screen | grep -q "read_all_orders" && ok "explains the Shopify scopes" || bad "no scope explanation"
screen | grep -q "Dev Dashboard app (recommended" && ok "explains the two Shopify credentials" || bad "no credential explanation"
[ "$(mode "$fresh")" = 600 ] && ok "interactive file 0600" || bad "interactive mode"
want='[shopify]
shop = acme
access_token = shpat_TOPSECRET
api_version = 2026-10

[relevance]
project_id = proj-1
api_key = sk-HIDDEN
region = bcbe5a'
[ "$(grep -v '^;' "$fresh")" = "$want" ] && ok "interactive file content" || bad "content: $(cat "$fresh")"
T kill-server 2>/dev/null || true

# Re-run: the operator is asked before the file is replaced; no keeps it.
session "TERM=xterm '$OKDF' --config '$fresh' init --no-doctor; echo EXIT=\$?; sleep 60"
wait_for "exists. Replace it? [y/N]" && answer ""
wait_for "EXIT=" || true
screen | grep -q "EXIT=1" && ok "declined replace exits 1" || bad "declined: $(screen | tail -3)"
[ "$(grep -c . "$fresh")" = 9 ] && ok "declined replace keeps the file" || bad "file changed"
T kill-server 2>/dev/null || true
# Yes: the old values are the defaults; Enter keeps them, the secret too.
session "TERM=xterm '$OKDF' --config '$fresh' init --no-doctor; echo EXIT=\$?; sleep 60"
wait_for "exists. Replace it? [y/N]" && answer "y"
wait_for "Set up Shopify? [Y/n]" && answer ""
wait_for "shop (NAME of NAME.myshopify.com) [acme]:" && answer ""
wait_for "credential: 1 Dev Dashboard app, 2 access token [2]:" && answer ""
wait_for "Admin API access token [keep the one set]:" && answer ""
wait_for "api_version [" && answer ""
wait_for "Set up Klaviyo? [y/N]" && answer ""
wait_for "Set up Meta Ads? [y/N]" && answer ""
wait_for "Set up Relevance AI? [Y/n]" && answer "n"
wait_for "EXIT=" || true
screen | grep -q "EXIT=0" && ok "re-run exits 0" || bad "re-run: $(screen | tail -3)"
grep -q '^access_token = shpat_TOPSECRET$' "$fresh" && ok "Enter kept the secret" || bad "secret lost"
grep -q '^\[relevance\]' "$fresh" && bad "skipped section still written" || ok "skipped section left out"
T kill-server 2>/dev/null || true

# A Dev Dashboard app (the default credential), and Meta's optional app secret.
app=$WORK/app/okdf/config.ini
session "TERM=xterm '$OKDF' --config '$app' init --no-doctor; echo EXIT=\$?; sleep 60"
wait_for "Set up Shopify? [Y/n]" && answer ""
wait_for "shop (NAME of NAME.myshopify.com):" && answer "acme"
wait_for "credential: 1 Dev Dashboard app, 2 access token [1]:" && answer ""
wait_for "client ID:" && answer "cid-123"
wait_for "client secret:" && answer "shpss_HIDDEN"
wait_for "api_version [" && answer ""
wait_for "Set up Klaviyo? [Y/n]" && answer "n"
wait_for "Set up Meta Ads? [Y/n]" && answer ""
wait_for "system-user access token:" && answer "EAAB_HIDDEN"
wait_for "ad account id (with or without act_):" && answer "act_42"
wait_for "api_version [v27.0]:" && answer ""
wait_for "app secret (only if the app requires it; Enter skips):" && answer "appsec_HIDDEN"
wait_for "Set up Relevance AI? [Y/n]" && answer "n"
wait_for "EXIT=" || true
screen | grep -q "EXIT=0" && ok "Dev Dashboard app init exits 0" || bad "app init: $(screen | tail -3)"
screen | grep -qE "shpss_HIDDEN|EAAB_HIDDEN|appsec_HIDDEN" && bad "a secret was echoed" || ok "app secrets not echoed"
grep -q '^client_id = cid-123$' "$app" && grep -q '^client_secret = shpss_HIDDEN$' "$app" &&
	ok "client_id and client_secret written" || bad "app content: $(cat "$app")"
grep -q '^access_token = shpat' "$app" && bad "an access token written beside them" || ok "no Shopify access token"
grep -q '^app_secret = appsec_HIDDEN$' "$app" && ok "Meta app_secret written" || bad "no app_secret: $(cat "$app")"
T kill-server 2>/dev/null || true
# Switching to an access token drops the client credentials.
session "TERM=xterm '$OKDF' --config '$app' init --no-doctor; echo EXIT=\$?; sleep 60"
wait_for "exists. Replace it? [y/N]" && answer "y"
wait_for "Set up Shopify? [Y/n]" && answer ""
wait_for "shop (NAME of NAME.myshopify.com) [acme]:" && answer ""
wait_for "credential: 1 Dev Dashboard app, 2 access token [1]:" && answer "2"
wait_for "Admin API access token:" && answer "shpat_NEW"
wait_for "api_version [" && answer ""
wait_for "Set up Klaviyo? [y/N]" && answer ""
wait_for "Set up Meta Ads? [Y/n]" && answer "n"
wait_for "Set up Relevance AI? [y/N]" && answer ""
wait_for "EXIT=" || true
screen | grep -q "EXIT=0" && ok "switch exits 0" || bad "switch: $(screen | tail -3)"
grep -q '^access_token = shpat_NEW$' "$app" && ! grep -qE '^client_(id|secret) = ' "$app" &&
	ok "switching to a token drops the client credentials" || bad "switch content: $(cat "$app")"
T kill-server 2>/dev/null || true

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
