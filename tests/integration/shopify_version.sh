#!/usr/bin/env bash
# A retired api_version is answered as the oldest supported one: the
# connector's health carries a warning (header, okdf sync output) until the
# configured version is served again.
source "$(dirname "$0")/lib.sh"

start_sim sim --no-throttle --seed 3 --orders 40 --days 20
# shopify_ini SRC DST KEY=VALUE...: the [shopify] section of SRC, keys replaced.
shopify_ini() {
  local src=$1 dst=$2; shift 2
  awk '/^\[/{on=($0=="[shopify]")} on' "$src" >"$dst"
  local kv
  for kv in "$@"; do
    sed -i "/^${kv%%=*} = /d" "$dst"
    echo "${kv%%=*} = ${kv#*=}" >>"$dst"
  done
  chmod 600 "$dst"
}
shopify_ini "$WORK/sim.ini" "$WORK/old.ini" api_version=2025-01
"$OKDF" --db "$WORK/v.db" --config "$WORK/old.ini" sync --once >"$WORK/out1" 2>&1 || { cat "$WORK/out1" >&2; exit 1; }
grep -q '^shopify    note:   Shopify served API version 2026-01, not the configured 2025-01$' "$WORK/out1" ||
  { echo "no version note in okdf sync output:" >&2; cat "$WORK/out1" >&2; exit 1; }
got=$(sqlite3 "$WORK/v.db" "SELECT state || '|' || warning FROM connector_health WHERE connector = 'shopify'")
[ "$got" = "ok|Shopify served API version 2026-01, not the configured 2025-01" ] ||
  { echo "health: $got" >&2; exit 1; }

shopify_ini "$WORK/sim.ini" "$WORK/new.ini"
"$OKDF" --db "$WORK/v.db" --config "$WORK/new.ini" sync --once >"$WORK/out2" 2>&1 || { cat "$WORK/out2" >&2; exit 1; }
! grep -q 'note:' "$WORK/out2" || { cat "$WORK/out2" >&2; exit 1; }
got=$(sqlite3 "$WORK/v.db" "SELECT state || '|' || coalesce(warning, 'NULL') FROM connector_health WHERE connector = 'shopify'")
[ "$got" = "ok|NULL" ] || { echo "health after a served version: $got" >&2; exit 1; }
echo "2 passed, 0 failed"
