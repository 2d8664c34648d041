#!/usr/bin/env bash
# okdf-sync.service: systemd accepts it, it restarts on failure, and the
# command it starts, with the unit's stop signal, syncs into the XDG database
# and then stops with status 0 well within TimeoutStopSec, also mid-request.
source "$(dirname "$0")/../integration/lib.sh"
: "${UNIT:?}"
fails=0 passes=0
ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
key() { sed -n "s/^$1=//p" "$UNIT"; }

[ "$(key Restart)" = on-failure ] && ok "Restart=on-failure" || bad "Restart is '$(key Restart)'"
[ "$(key RestartPreventExitStatus)" = 2 ] && ok "no restart on a refused config (exit 2)" || bad "RestartPreventExitStatus"
[ "$(key WantedBy)" = default.target ] && ok "WantedBy=default.target" || bad "WantedBy"
sig=$(key KillSignal); sig=${sig:-SIGTERM}
timeout=$(key TimeoutStopSec)
[ -n "$timeout" ] || bad "no TimeoutStopSec"
read -r -a exec <<<"$(key ExecStart)"
[ "$(basename "${exec[0]}")" = okdf ] && ok "ExecStart runs okdf" || bad "ExecStart: ${exec[*]}"
exec[0]=$OKDF

if command -v systemd-analyze >/dev/null; then
	sed "s|^ExecStart=[^ ]*|ExecStart=$OKDF|" "$UNIT" >"$WORK/okdf-sync.service"
	if systemd-analyze verify --man=no "$WORK/okdf-sync.service" >"$WORK/verify" 2>&1; then
		ok "systemd-analyze verify"
	else
		bad "systemd-analyze verify: $(cat "$WORK/verify")"
	fi
else
	bad "systemd-analyze not installed"
fi

# As the user manager runs it: no --db or --config, the XDG locations.
export XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
mkdir -p "$XDG_CONFIG_HOME/okdf"
db=$XDG_DATA_HOME/okdf/okdf.db
export OKDF_SIM_KLAVIYO_STRICT=0

# run_until_synced: start the unit's command, wait for every connector to
# report a success, then stop it with the unit's signal.
run_and_stop() { # NAME WAIT_FOR_SQL
	"${exec[@]}" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	local pid=$! i
	for i in $(seq 600); do
		[ "$(sqlite3 "$db" "$2" 2>/dev/null)" = 1 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	[ "$(sqlite3 "$db" "$2" 2>/dev/null)" = 1 ] && ok "$1: reached '$2'" || bad "$1: never reached '$2': $(cat "$WORK/$1.err")"
	local start=$SECONDS rc=0
	kill -s "$sig" "$pid"
	wait "$pid" || rc=$?
	[ "$rc" = 0 ] && ok "$1: $sig gives status 0" || bad "$1: status $rc after $sig: $(cat "$WORK/$1.err")"
	[ $((SECONDS - start)) -lt "$timeout" ] && ok "$1: stopped in $((SECONDS - start)) s" ||
		bad "$1: took $((SECONDS - start)) s to stop"
}

start_sim fast --no-throttle --seed 5 --orders 100 --days 10
cp "$WORK/fast.ini" "$XDG_CONFIG_HOME/okdf/config.ini"
run_and_stop idle "SELECT count(*) = 4 FROM connector_health WHERE last_success_at IS NOT NULL"
[ "$(sqlite3 "$db" 'SELECT count(*) > 0 FROM orders')" = 1 ] && ok "orders synced" || bad "no orders"

# Every answer takes 5 s: the signal arrives while requests are in flight.
start_sim slow --no-throttle --seed 5 --orders 100 --days 10 --slow 5000
cp "$WORK/slow.ini" "$XDG_CONFIG_HOME/okdf/config.ini"
run_and_stop in-flight "SELECT count(*) >= 1 FROM connector_health WHERE state = 'syncing'"

# A config the poller refuses ends it with 2, which systemd does not retry.
chmod 644 "$XDG_CONFIG_HOME/okdf/config.ini"
rc=0; "${exec[@]}" >/dev/null 2>"$WORK/bad.err" || rc=$?
[ "$rc" = 2 ] && ok "refused config exits 2" || bad "refused config exited $rc"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
