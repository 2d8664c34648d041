#!/usr/bin/env bash
# One poller per database: a second okdf sync is refused with a clear
# message and exit 1 while the first runs; SIGTERM stops the first with 0.
source "$(dirname "$0")/lib.sh"

start_sim sim --no-throttle --seed 3 --orders 50 --days 10
"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync >/dev/null 2>"$WORK/first.err" &
first=$!
# The lock file names its holder once the first poller has the lock.
for _ in $(seq 400); do
  [ "$(cat "$WORK/t.db.sync.lock" 2>/dev/null)" = "$first" ] && break
  sleep 0.05
done
[ "$(cat "$WORK/t.db.sync.lock" 2>/dev/null)" = "$first" ] || { echo "the first poller never took the lock" >&2; exit 1; }
set +e
"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once 2>"$WORK/second.err"
rc=$?
set -e
cat "$WORK/second.err"
[ "$rc" -eq 1 ] || { echo "second poller exited $rc, want 1" >&2; exit 1; }
grep -q "(pid $first) is already syncing" "$WORK/second.err"
kill -TERM "$first"
start=$SECONDS
wait "$first"
[ $((SECONDS - start)) -le 3 ] || { echo "SIGTERM was not prompt" >&2; exit 1; }
# The lock is free again.
"$OKDF" --db "$WORK/t.db" --config "$WORK/sim.ini" sync --once
echo "1 passed, 0 failed"
