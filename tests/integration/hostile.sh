#!/usr/bin/env bash
# A hostile server: okdf-hostile in front of okdf-sim puts escape sequences,
# C1 and bidi controls, zero-width and invalid UTF-8 into titles, names,
# headers and error bodies, echoes the Klaviyo key where the 256-byte reason
# limit cuts it, answers a 40 MB body and a 1 GiB gzip bomb, a usage header
# of 1e300, a bucket restoring 0.0001 points/s and unreadable orders. Every
# command writes to a pty (script); its raw bytes must hold no ESC, no C1 or
# bidi control, only valid UTF-8 and no 8 characters of a secret. Peak RSS
# of the sync stays far below the bodies' size, and every wait ends.
source "$(dirname "$0")/lib.sh"
: "${OKDF_HOSTILE:?OKDF_HOSTILE must name the okdf-hostile binary}"
for tool in script iconv gzip; do
  command -v $tool >/dev/null || { echo "$tool is missing (an essential Debian package)" >&2; exit 1; }
done
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm

fail() { echo "FAIL: $*" >&2; exit 1; }

start_sim sim --seed 5 --orders 60 --days 20 --truth "$WORK/truth.json"
SIM_URL=$(sed -n 's/^base_url = //p' "$WORK/sim.ini" | head -1)
head -c 1073741824 /dev/zero | gzip -1 >"$WORK/bomb.gz"
"$OKDF_HOSTILE" proxy "$SIM_URL" "$WORK/bomb.gz" >"$WORK/proxy.out" 2>"$WORK/proxy.err" &
SIM_PIDS+=($!)
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/proxy.out" 2>/dev/null && break
  sleep 0.05
done
PROXY=$(sed -n 's/^listening on //p' "$WORK/proxy.out")
[ -n "$PROXY" ] || fail "okdf-hostile did not start: $(cat "$WORK/proxy.err")"

KEY=pk_hostile_0123456789abcdefghijklmnopqrstuvwxyzABCDEF
# Paged, so that every order crosses the proxy (a bulk result is fetched
# from the storage URL the simulator names).
sed -e "s|^base_url = .*|base_url = $PROXY|" -e "s|^api_key = pk_sim|api_key = $KEY|" \
  -e "s|^shop = sim-shop|shop = sim-shop\nbackfill = paged|" "$WORK/sim.ini" >"$WORK/h.ini"
printf 'max_wait_seconds = 1\nmax_body_mb = 16\n' >>"$WORK/h.ini"
chmod 600 "$WORK/h.ini"
DB="$WORK/h.db"

# pty NAME CMD...: runs CMD on a pseudo-terminal; raw bytes in $WORK/NAME.raw
# (script's own first and last lines removed), exit status in RC.
pty() {
  local name=$1; shift
  RC=0
  script -q -e -c "$(printf '%q ' "$@")" "$WORK/$name.log" </dev/null >/dev/null 2>&1 || RC=$?
  sed -e '1{/^Script started/d}' -e '/^Script done/d' "$WORK/$name.log" >"$WORK/$name.raw"
}

# clean NAME: the raw bytes are safe for a terminal and hold no secret.
clean() {
  local f="$WORK/$1.raw"
  [ -s "$f" ] || fail "$1 wrote nothing"
  if LC_ALL=C grep -q $'\x1b' "$f"; then fail "$1: ESC reached the terminal: $(od -c "$f" | grep -m3 '033')"; fi
  if LC_ALL=C grep -qaP '\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$f"; then
    fail "$1: a C1, bidi or zero-width control reached the terminal"
  fi
  iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || fail "$1: output is not valid UTF-8"
  if LC_ALL=C grep -qaF "${KEY:0:8}" "$f"; then fail "$1: part of the API key was printed"; fi
}

# Peak RSS of the same sync against the honest simulator: the baseline
# (an ASan build has its own).
"$OKDF_HOSTILE" rss "$WORK/base.rss" "$OKDF" --db "$WORK/base.db" --config "$WORK/sim.ini" \
  sync --once >/dev/null 2>&1 || fail "the baseline sync failed"
base=$(cat "$WORK/base.rss")

start=$(date +%s)
pty sync "$OKDF_HOSTILE" rss "$WORK/sync.rss" "$OKDF" --db "$DB" --config "$WORK/h.ini" sync --once
took=$(( $(date +%s) - start ))
[ "$RC" = 1 ] || fail "sync --once against bad data exited $RC, want 1: $(cat "$WORK/sync.raw")"
clean sync
rss=$(cat "$WORK/sync.rss")
echo "sync: ${took}s, peak RSS ${rss} kB (honest server: ${base} kB)"
# Two 16 MB answer buffers and curl's inflate state fit in 96 MB over the
# baseline; the 1 GiB bomb or the 40 MB body read whole would not.
[ "$rss" -lt $((base + 98304)) ] || fail "peak RSS ${rss} kB over ${base} kB: a body was not capped"
[ "$took" -lt 120 ] || fail "sync took ${took}s: a wait was not capped"
grep -q 'larger than 16 MB' "$WORK/sync.raw" || fail "no body-size error: $(cat "$WORK/sync.raw")"

# What the store keeps is as clean as what was printed.
sqlite3 "$DB" "SELECT connector || ': ' || coalesce(last_error, '') FROM connector_health" \
  >"$WORK/health_db.raw"
clean health_db
grep -q '^klaviyo: .*HTTP 400' "$WORK/health_db.raw" || fail "klaviyo error not kept: $(cat "$WORK/health_db.raw")"
grep -q '^meta: .*larger than 16 MB' "$WORK/health_db.raw" || fail "meta: $(cat "$WORK/health_db.raw")"
grep -q '^relevance: .*larger than 16 MB' "$WORK/health_db.raw" || fail "relevance: $(cat "$WORK/health_db.raw")"
[ "$(sqlite3 "$DB" "SELECT state FROM connector_health WHERE connector = 'shopify'")" = ok ] ||
  fail "shopify did not finish: $(sqlite3 "$DB" "SELECT * FROM connector_health")"

# The 0.0001 points/s bucket and the 1e300 usage header were waited out,
# each wait cut to max_wait_seconds (1 s).
for c in shopify meta; do
  w=$(sqlite3 "$DB" "SELECT pass_wait_seconds FROM connector_health WHERE connector = '$c'")
  [ "$w" -ge 1 ] && [ "$w" -le 30 ] || fail "$c waited ${w}s"
done

# Unreadable orders are quarantined; every other order arrived.
want=$(jq '.tables.orders.count' "$WORK/truth.json")
got=$(sqlite3 "$DB" "SELECT count(*) FROM orders")
quar=$(sqlite3 "$DB" "SELECT count(*) FROM quarantine WHERE connector = 'shopify' AND resource = 'orders'")
[ "$quar" -ge 1 ] || fail "no order was quarantined"
[ $((got + quar)) = "$want" ] || fail "orders $got + quarantined $quar != $want"
sqlite3 "$DB" "SELECT error FROM quarantine" | grep -q 'the day after tomorrow' ||
  fail "quarantine error: $(sqlite3 "$DB" "SELECT error FROM quarantine")"
# Meta's campaign with a budget beyond any amount: quarantined, the rest kept.
[ "$(sqlite3 "$DB" "SELECT count(*) FROM quarantine WHERE connector = 'meta' AND resource = 'campaigns'")" = 1 ] ||
  fail "meta campaign not quarantined: $(sqlite3 "$DB" "SELECT * FROM quarantine WHERE connector = 'meta'")"
[ $(($(sqlite3 "$DB" "SELECT count(*) FROM campaigns") + 1)) = "$(jq '.tables.campaigns.count' "$WORK/truth.json")" ] ||
  fail "campaigns: $(sqlite3 "$DB" "SELECT count(*) FROM campaigns")"
# A second pass keeps them once and skips no good row.
pty sync2 "$OKDF" --db "$DB" --config "$WORK/h.ini" sync --once
clean sync2
[ "$(sqlite3 "$DB" "SELECT count(*) FROM quarantine WHERE resource = 'orders'")" = "$quar" ] ||
  fail "quarantine grew on the second pass"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM orders")" = "$got" ] || fail "orders changed on the second pass"

pty health "$OKDF" --db "$DB" health
[ "$RC" = 0 ] || fail "health exited $RC"
clean health
grep -q "quarantined    $quar" "$WORK/health.raw" || fail "health: $(cat "$WORK/health.raw")"
grep -q 'HTTP 400: .*x\*\*\*\*\*\*\*\*' "$WORK/health.raw" || fail "health does not show the error in full, masked: $(cat "$WORK/health.raw")"
pty health_json "$OKDF" --db "$DB" health --json
clean health_json
tr -d '\r' <"$WORK/health_json.raw" | jq -e --argjson q "$quar" \
  '(.connectors | map(select(.connector == "shopify"))[0].quarantined) == $q' >/dev/null ||
  fail "health --json: $(cat "$WORK/health_json.raw")"

# Titles and names from the hostile server, through every listing.
[ "$(sqlite3 "$DB" "SELECT count(*) FROM products WHERE instr(title, char(27)) > 0")" -gt 0 ] ||
  fail "the hostile titles did not reach the store; the test proves nothing"
"$OKDF" --db "$DB" idea add "$(sqlite3 "$DB" "SELECT title FROM products LIMIT 1")" --date 2026-11-01 \
  >/dev/null
for cmd in "metrics" "metrics --json" "rules run" "inbox" "inbox --json" "audit" "idea list" "health"; do
  name=$(tr ' -' '__' <<<"$cmd")
  # shellcheck disable=SC2086
  pty "$name" "$OKDF" --db "$DB" --config "$WORK/h.ini" $cmd
  [ "$RC" = 0 ] || fail "okdf $cmd exited $RC: $(cat "$WORK/$name.raw")"
  clean "$name"
done
tr -d '\r' <"$WORK/metrics___json.raw" | jq -e . >/dev/null || fail "metrics --json is not JSON: $(head -c 300 "$WORK/metrics___json.raw")"
echo "1 passed, 0 failed"
