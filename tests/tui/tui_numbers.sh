#!/bin/bash
# Honest numbers on the screen: no revenue-per-hour rate under 1 operator
# hour (n/a, with the hours beside it), hours coverage and today against
# yesterday and last week on the detail page, a DRAFT product without a sale
# in flight; hours entered as h:mm, listed with ids and removed from the ':'
# line.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
# Four minutes of key activity today; a draft product five days old.
sql "INSERT INTO activity_intervals(operator, started_at, ended_at)
	VALUES ('tester', $now - 600, $now - 360);
	INSERT INTO products(id, title, status, created_at, updated_at)
	VALUES ('p9', 'Draft Lamp', 'DRAFT', $now - 5 * 86400, $now);"
[ "$(metrics today .rpoh_minor_per_hour)" = null ] || fail "okdf metrics gives a rate under 1 h"
[ "$(metrics today .operator_hours | cut -c1-5)" = "0.066" ] || fail "today's hours are not 0:04"
"$OKDF" --db "$DB" metrics --window 30d --json |
	jq -e '.ttr.in_flight | map(.title) | index("Draft Lamp") != null' >/dev/null ||
	fail "draft product not in flight in okdf metrics"

start 100 30 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[3] Revenue per operator hour"
line=$(screen | grep -E "[│|]today " | head -1)
grep -qF "n/a (0:04 h)" <<<"$line" || fail "today's rate is not n/a (0:04 h): $line"
grep -qF "0:04" <<<"$line" || fail "today's hours 0:04 not shown: $line"
screen | grep -F "Draft Lamp" | grep -qF "day 5" || fail "Draft Lamp not in flight on the screen"

# The detail page: coverage and the comparisons.
keys 3 Enter
wait_for "Revenue per operator hour, by shop day"
screen | grep -qF "Hours recorded on 2 of the last 7 days" || fail "no hours coverage"
screen | grep -qF "yesterday 0.00; the same weekday last week 0.00" || fail "no comparison"
keys Escape
wait_for "[5] Inbox"

# Hours as h:mm; the list page names the entry; rm asks, then removes it.
keys : "hours add 1:30 --note 'supplier calls'" Enter
wait_for "recorded 1:30 h for tester on 2026-11-20"
id=$(sql "SELECT id FROM manual_hours WHERE note = 'supplier calls'")
[ "$(sql "SELECT seconds FROM manual_hours WHERE id = $id")" = 5400 ] || fail "1:30 is not 5400 s"
keys : "hours" Enter
wait_for "Operator hours, 7d"
screen | grep -E "[│|] +$id  2026-11-20  tester" | grep -qF "1:30  supplier calls" ||
	fail "entry $id not listed"
keys Escape
keys : "hours rm $id" Enter
wait_for "Remove manual hours entry #$id? [y/N]"
keys y
wait_for "manual hours entry #$id removed"
[ "$(sql "SELECT count(*) FROM manual_hours WHERE id = $id")" = 0 ] || fail "entry not removed"
keys : "hours add 1:75" Enter
wait_for "h:mm (1:30)"
keys q
wait_for "okdf-exit=0"
echo ok
