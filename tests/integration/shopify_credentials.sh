#!/usr/bin/env bash
# Dev Dashboard apps: client_id + client_secret, the client credentials grant,
# tokens renewed as they expire mid-sync (early, and after a 401), a refused
# grant that names its cause, and no secret or token in the database.
source "$(dirname "$0")/lib.sh"

# shopify_ini SRC DST KEY=VALUE...: SRC's [shopify] section without its
# access_token, plus the given keys.
shopify_ini() {
  local src=$1 dst=$2; shift 2
  awk '/^\[/{on=($0=="[shopify]")} on' "$src" | grep -v '^access_token = ' >"$dst"
  local kv
  for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}" >>"$dst"; done
  chmod 600 "$dst"
}
stop_sim() { kill -TERM "${SIM_PIDS[0]}"; wait "${SIM_PIDS[0]}" || true; SIM_PIDS=(); }

# sync_grant NAME SIM-ARGS...: a paged client-credentials sync against a fresh
# simulator; sets GRANTED and REFUSED from the simulator's summary.
sync_grant() {
  local name=$1; shift
  start_sim "$name" --seed 5 --orders 150 --days 20 --no-throttle --truth "$WORK/truth.json" "$@"
  shopify_ini "$WORK/$name.ini" "$WORK/$name-grant.ini" client_id=sim-client-id client_secret=shpss_sim backfill=paged
  "$OKDF" --db "$WORK/$name.db" --config "$WORK/$name-grant.ini" sync --once >"$WORK/out" 2>&1 ||
    { cat "$WORK/out" >&2; exit 1; }
  stop_sim
  local line
  ! grep -qE 'Sanitizer|runtime error' "$WORK/$name.err" || { cat "$WORK/$name.err" >&2; exit 1; }
  line=$(grep '^okdf-sim: shopify tokens granted' "$WORK/$name.err")
  GRANTED=$(echo "$line" | sed 's/^okdf-sim: shopify tokens granted \([0-9]*\), expired tokens refused \([0-9]*\)$/\1/')
  REFUSED=$(echo "$line" | sed 's/^okdf-sim: shopify tokens granted \([0-9]*\), expired tokens refused \([0-9]*\)$/\2/')
  [ "$(sqlite3 "$WORK/$name.db" "SELECT count(*) FROM orders")" = "$(jq '.tables.orders.count' "$WORK/truth.json")" ] ||
    { echo "$name: orders differ from truth" >&2; exit 1; }
  [ "$(sqlite3 "$WORK/$name.db" "SELECT state FROM connector_health WHERE connector = 'shopify'")" = ok ] ||
    { echo "$name: shopify not ok" >&2; exit 1; }
  # Neither the secret nor any token reaches the database.
  ! sqlite3 "$WORK/$name.db" .dump | grep -q 'shpss_sim\|shpat_' || { echo "a secret or token is in the database" >&2; exit 1; }
}

# Tokens that live 1 s, answers that take 0.1 s: okdf renews ahead of expiry.
sync_grant early --slow 100 --token-ttl 1
[ "$GRANTED" -ge 3 ] && [ "$REFUSED" = 0 ] || { echo "early renewal: $GRANTED granted, $REFUSED refused" >&2; exit 1; }
echo "ok - tokens renewed before they expire: $GRANTED granted"
# Tokens said to live a day but revoked after 1 s: a 401, one renewal, the retry.
sync_grant revoked --slow 100 --token-revoke 1
[ "$GRANTED" -ge 2 ] && [ "$REFUSED" -ge 1 ] || { echo "renewal on 401: $GRANTED granted, $REFUSED refused" >&2; exit 1; }
echo "ok - a token refused mid-sync is renewed once and the request retried: $GRANTED granted"

# The secret from the environment; a refused grant stops the connector and says why.
start_sim cc2 --seed 5 --orders 20 --days 10 --no-throttle
shopify_ini "$WORK/cc2.ini" "$WORK/env.ini" client_id=sim-client-id backfill=paged
OKDF_SHOPIFY_CLIENT_SECRET=shpss_sim "$OKDF" --db "$WORK/e.db" --config "$WORK/env.ini" sync --once >"$WORK/out" 2>&1 ||
  { cat "$WORK/out" >&2; exit 1; }
echo "ok - client_secret from OKDF_SHOPIFY_CLIENT_SECRET"

rc=0
OKDF_SHOPIFY_CLIENT_SECRET=shpss_wrong_secret "$OKDF" --db "$WORK/w.db" --config "$WORK/env.ini" sync --once >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { echo "refused grant: exit $rc" >&2; cat "$WORK/out" >&2; exit 1; }
grep -q 'invalid_client' "$WORK/out" || { echo "message does not name invalid_client:" >&2; cat "$WORK/out" >&2; exit 1; }
! grep -q 'shpss_wrong_secret' "$WORK/out" || { echo "the secret is in the message" >&2; exit 1; }
got=$(sqlite3 "$WORK/w.db" "SELECT state FROM connector_health WHERE connector = 'shopify'")
[ "$got" = unauthorised ] || { echo "state after a refused grant: $got" >&2; exit 1; }
sqlite3 "$WORK/w.db" "SELECT last_error FROM connector_health" | grep -q 'invalid_client' || exit 1
! sqlite3 "$WORK/w.db" .dump | grep -q 'shpss_wrong_secret' || exit 1
echo "ok - a refused grant: unauthorised, invalid_client named"

# Both kinds at once, or half a pair, are refused before any request.
shopify_ini "$WORK/cc2.ini" "$WORK/both.ini" client_id=sim-client-id client_secret=shpss_sim access_token=shpat_sim
rc=0; "$OKDF" --db "$WORK/b.db" --config "$WORK/both.ini" sync --once >"$WORK/out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q 'not both' "$WORK/out" || { echo "both kinds: exit $rc" >&2; cat "$WORK/out" >&2; exit 1; }
echo "ok - access_token with client credentials refused"
echo "5 passed, 0 failed"
