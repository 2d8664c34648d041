#!/usr/bin/env bash
# Scale benchmark (not a test): how okdf's costs grow from 100 k to 1 M to
# 10 M orders, beside plain SQL computing the same numbers in the same run.
#
# usage: bench/scale/run.sh [--smoke] [BUILD_DIR] [RUNS]
#
# Stores come from bench/metrics' generator (bench/metrics/gen.c) and are kept
# in $OKDF_BENCH_CACHE (default /work/benchcache) as okdf-bench-N.db: built
# once (the 10 M store takes a long while), reused by every later run, and
# migrated in place by the okdf under test like any long-lived store. Delete a
# file to rebuild it. --smoke uses 10 k and 20 k orders, runs in seconds and
# fails unless every figure was produced.
#
# Per size, medians over RUNS (default 5; in process 5 x RUNS; plain SQL
# runs once):
#   first frame  okdf tui in a pty, exec to the first frame holding every
#                panel (bench/scale/first_frame.c); plain SQL: the dashboard,
#                phase and inbox SQL below, summed
#   refresh      metrics_dashboard_compute (bench_scale); plain SQL: bench/metrics'
#                baseline of every dashboard number
#   phases       phases_evaluate, every phase's checks; plain SQL: phases.sql
#   rules        rules_evaluate, one pass; plain SQL: rules.sql
#   metrics      okdf metrics --json end to end; plain SQL: the dashboard baseline
#   start        okdf --version, the floor under first frame and metrics --json;
#                plain SQL: the sqlite3 shell running "SELECT 1"
# then the growth factor from the second-largest size to the largest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
smoke=0
if [ "${1:-}" = --smoke ]; then
	smoke=1
	shift
fi
build=${1:-$root/build}
runs=${2:-5}
cache=${OKDF_BENCH_CACHE:-/work/benchcache}
if [ "$smoke" = 1 ]; then sizes=(10000 20000); else sizes=(100000 1000000 10000000); fi
command -v sqlite3 >/dev/null || { echo "run.sh: needs the sqlite3 shell" >&2; exit 2; }
meson compile -C "$build" okdf bench_scale first_frame >/dev/null
okdf=$build/src/okdf
mkdir -p "$cache"

work=$(mktemp -d "${TMPDIR:-/tmp}/okdf-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
# No config: no sync workers start; logs and state stay in $work.
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
export OKDF_NOW=2026-11-26T17:00:00Z TERM=xterm-256color LANG=C.UTF-8
now=$(date -u -d "$OKDF_NOW" +%s)
day=86400

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000 )) | awk '{ printf "%.2f\n", $1 / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_sql() { # DB FILE: ms of one sqlite3 shell run
	local t0
	t0=$(date +%s%N)
	sqlite3 -bail "$1" <"$2" >/dev/null
	ms_since "$t0"
}

# The phase checks' numbers over the synced tables, in plain SQL.
cat >"$work/phases.sql" <<SQL
SELECT count(*) FROM products; SELECT count(*) FROM products WHERE upper(status) = 'ACTIVE';
SELECT count(*) FROM orders; SELECT count(*), min(processed_at) FROM orders WHERE test = 0;
SELECT count(*) FROM activity_intervals; SELECT count(*) FROM manual_hours;
SELECT count(*) FROM conversations WHERE created_at >= $now - 14 * $day
 AND agent_id IN (SELECT id FROM agents WHERE kind = 'cs');
SELECT count(*), sum(state = 'completed') FROM conversations WHERE created_at >= $now - 14 * $day;
SELECT sum(total_minor), count(*) FROM orders WHERE processed_at >= $now - 30 * $day
 AND cancelled_at IS NULL AND test = 0;
SELECT sum(r.amount_minor) FROM refunds r JOIN orders o ON o.id = r.order_id
 WHERE r.created_at >= $now - 30 * $day AND o.cancelled_at IS NULL AND o.test = 0;
SELECT sum(total_minor), sum(CASE WHEN completed_at <= $now THEN total_minor END)
 FROM abandoned_checkouts WHERE created_at >= $now - 37 * $day AND created_at < $now - 7 * $day;
SELECT sum(seconds) FROM manual_hours WHERE started_at >= $now - 30 * $day;
SELECT sum(ended_at - started_at) FROM activity_intervals WHERE started_at >= $now - 30 * $day;
WITH f AS (SELECT li.product_id AS pid, min(o.processed_at) AS first_sale
 FROM line_items li JOIN orders o ON o.id = li.order_id
 WHERE o.cancelled_at IS NULL AND o.test = 0 GROUP BY li.product_id)
SELECT p.id, p.created_at, f.first_sale FROM products p LEFT JOIN f ON f.pid = p.id;
SQL
# One rules pass's numbers: refunds per day over 28 days, today's revenue
# against the same weekday's, defects, keywords, new markets.
cat >"$work/rules.sql" <<SQL
SELECT ($now - created_at) / $day AS b, count(*) FROM refunds
 WHERE created_at > $now - 29 * $day AND created_at <= $now GROUP BY b;
SELECT sum(total_minor), count(*) FROM orders WHERE processed_at >= $now - 17 * 3600
 AND processed_at < $now AND cancelled_at IS NULL AND test = 0;
SELECT k, sum(total_minor), count(*) FROM orders, (SELECT 1 AS k UNION SELECT 2 UNION SELECT 3
 UNION SELECT 4) WHERE processed_at >= $now - 17 * 3600 - k * 7 * $day
 AND processed_at < $now - k * 7 * $day AND cancelled_at IS NULL AND test = 0 GROUP BY k;
SELECT li.product_id, count(DISTINCT r.id) FROM refunds r
 JOIN refund_line_items li ON li.refund_id = r.id
 WHERE r.created_at > $now - $day AND r.created_at <= $now GROUP BY li.product_id;
SELECT id, title FROM conversations WHERE updated_at > $now - $day AND updated_at <= $now;
SELECT id, note FROM refunds WHERE note IS NOT NULL AND created_at > $now - $day;
SELECT shipping_country, min(processed_at) FROM orders WHERE cancelled_at IS NULL AND test = 0
 AND coalesce(shipping_country, '') <> '' GROUP BY shipping_country
 HAVING min(processed_at) > $now - 7 * $day;
SELECT id, severity, created_at FROM escalations WHERE resolved_at IS NULL;
SQL
cat >"$work/inbox.sql" <<SQL
SELECT * FROM escalations WHERE resolved_at IS NULL ORDER BY created_at DESC;
SELECT * FROM connector_health;
SQL

markers="Phases,Inbox,Supporting numbers,Revenue per operator hour,Time-to-revenue"
declare -A fig
for n in "${sizes[@]}"; do
	db=$cache/okdf-bench-$n.db
	[ -s "$db" ] || echo "building the $n-order store in $db (once) ..." >&2
	"$build/bench/bench_scale" "$db" "$n" "$root/data" $((runs * 5)) --baseline "$work/dash.sql" \
		>"$work/inproc.txt"
	while read -r name ms; do fig[$n,$name]=$ms; done <"$work/inproc.txt"
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		"$okdf" --db "$db" metrics --json >/dev/null 2>&1
		ms_since "$t0"
	done | median >"$work/m"
	fig[$n,metrics]=$(cat "$work/m")
	for ((i = 0; i < runs; i++)); do
		"$build/bench/first_frame" 160 50 "$markers" -- "$okdf" --db "$db" tui
	done | median >"$work/m"
	fig[$n,frame]=$(cat "$work/m")
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		"$okdf" --version >/dev/null
		ms_since "$t0"
	done | median >"$work/m"
	fig[$n,start]=$(cat "$work/m")
	echo "SELECT 1;" >"$work/one.sql"
	fig[$n,start_sql]=$(time_sql "$db" "$work/one.sql")
	fig[$n,refresh_sql]=$(time_sql "$db" "$work/dash.sql")
	fig[$n,phases_sql]=$(time_sql "$db" "$work/phases.sql")
	fig[$n,rules_sql]=$(time_sql "$db" "$work/rules.sql")
	inbox_sql=$(time_sql "$db" "$work/inbox.sql")
	fig[$n,metrics_sql]=${fig[$n,refresh_sql]}
	fig[$n,frame_sql]=$(awk -v a="${fig[$n,refresh_sql]}" -v b="${fig[$n,phases_sql]}" \
		-v c="$inbox_sql" 'BEGIN { printf "%.2f", a + b + c }')
done

rows=(frame refresh phases rules metrics start)
declare -A label=([frame]="first frame (tui)" [refresh]="dashboard refresh"
	[phases]="all phase checks" [rules]="one rules pass" [metrics]="metrics --json"
	[start]="process start")
declare -A target=([frame]=100 [refresh]=10 [phases]=30 [rules]=50)
last=${sizes[-1]}
prev=${sizes[-2]}
printf '\n%-20s' "ms (median)"
for n in "${sizes[@]}"; do printf ' %11s %11s' "okdf@$n" "SQL@$n"; done
printf ' %9s %9s\n' "okdf x" "SQL x"
missing=0
for r in "${rows[@]}"; do
	printf '%-20s' "${label[$r]}"
	for n in "${sizes[@]}"; do
		for k in "$r" "${r}_sql"; do
			v=${fig[$n,$k]:-}
			[[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { v="?"; missing=1; }
			printf ' %11s' "$v"
		done
	done
	for k in "$r" "${r}_sql"; do
		printf ' %9s' "$(awk -v a="${fig[$prev,$k]:-0}" -v b="${fig[$last,$k]:-0}" \
			'BEGIN { if (a > 0) printf "%.2f", b / a; else print "?" }')"
	done
	echo
done
echo "(okdf x, SQL x: growth from $prev to $last orders)"
if [ "$smoke" = 1 ]; then
	[ "$missing" = 0 ] || { echo "smoke: some figures were not produced" >&2; exit 1; }
	echo "smoke: every figure produced"
	exit 0
fi
echo
at=1000000
for r in frame refresh phases rules; do
	v=${fig[$at,$r]}
	printf '%-20s at 1M: %8s ms, target < %3s ms: %s\n' "${label[$r]}" "$v" "${target[$r]}" \
		"$(awk -v v="$v" -v t="${target[$r]}" 'BEGIN { print (v < t) ? "met" : "MISSED" }')"
done
for r in frame refresh phases rules metrics; do
	g=$(awk -v a="${fig[$prev,$r]}" -v b="${fig[$last,$r]}" 'BEGIN { printf "%.2f", b / a }')
	printf '%-20s growth 1M->10M: %6sx, target < 2x: %s\n' "${label[$r]}" "$g" \
		"$(awk -v g="$g" 'BEGIN { print (g < 2) ? "met" : "MISSED" }')"
done
