#!/bin/bash
# The main screen at 80x24 and 200x60: every panel's title, and the numbers
# it shows equal `okdf metrics --json` for the same database.
. "$(dirname "$0")/lib.sh"
prepare_db

check_numbers() {
	local s
	s=$(screen)
	# Supporting numbers (30d): net revenue, ledger basis.
	local net
	net=$(money "$(metrics 30d .net_revenue_minor)")
	grep -F "Net rev (ledger)" <<<"$s" | grep -qF "$net" || fail "net revenue $net not shown"
	# Revenue per operator hour, each window: the rate and the revenue behind it.
	local w label rate rev
	# Hours were logged 3 and 10 days ago: the 30d rate exists.
	[ "$(metrics 30d .rpoh_minor_per_hour)" != null ] || fail "no 30d RPOH for the prepared shop"
	for w in today 7d 30d; do
		label=$w
		rate=$(metrics "$w" .rpoh_minor_per_hour)
		rev=$(money "$(metrics "$w" .net_revenue_minor)")
		local line
		line=$(grep -E "^│$label |^\|$label " <<<"$s" | head -1 || true)
		[ -n "$line" ] || line=$(grep -E "[│|]$label " <<<"$s" | head -1 || true)
		[ -n "$line" ] || fail "no RPOH row for $w"
		if [ "$rate" = null ]; then
			grep -qF -- " - " <<<"$line" || fail "RPOH $w should be '-': $line"
		else
			grep -qF -- "$(money "$rate")" <<<"$line" || fail "RPOH $w $(money "$rate") not in: $line"
		fi
		grep -qF -- "$rev" <<<"$line" || fail "revenue $w $rev not in: $line"
	done
	# Time-to-revenue (30d): median and count.
	local median count
	median=$(metrics 30d '.ttr.median_days')
	count=$(metrics 30d '.ttr.count')
	# The prepared shop has first sales in the window: a null median is a bug.
	[ "$median" != null ] || fail "okdf metrics gives no TTR median for the prepared shop"
	grep -qF "$(printf '%.1f d' "$median")" <<<"$s" || fail "TTR median $median not shown"
	grep -qF "n=$count" <<<"$s" || fail "TTR count n=$count not shown"
	# Products in flight with their days elapsed.
	local title days inflight
	inflight=$(metrics 30d '.ttr.in_flight | length')
	[ "$inflight" -ge 1 ] || fail "the prepared shop has no product in flight"
	while IFS=$'\t' read -r title days; do
		grep -F "$title" <<<"$s" | grep -qF "day $days" || fail "in flight: $title day $days not shown"
	done < <("$OKDF" --db "$DB" metrics --window 30d --json | jq -r '.ttr.in_flight[] | [.title, .days_elapsed] | @tsv')
	# Repeat purchase rate as a percentage with two decimals.
	local repeat
	repeat=$(metrics 30d '.repeat_purchase_rate')
	[ "$repeat" != null ] || fail "okdf metrics gives no repeat rate for the prepared shop"
	grep -F "Repeat rate" <<<"$s" | grep -qF "$(printf '%.2f%%' "$(jq -n "$repeat*100")")" ||
		fail "repeat rate $repeat not shown"
}

for size in "80 24" "200 60"; do
	set -- $size
	start "$1" "$2" LANG=C.UTF-8 TERM=xterm-256color -- tui
	wait_for "Supporting numbers"
	for title in "[1] Phases" "[2] Time-to-revenue" "[3] Revenue per operator hour" \
		"[4] Supporting numbers" "[5] Inbox" "Test Shop" "USD" "2026-11-20 10:30"; do
		screen | grep -qF "$title" || fail "${1}x$2: '$title' missing"
	done
	check_numbers
	# The key bar shows the focused panel's keys.
	screen | tail -1 | grep -qF "walkthrough" || fail "key bar without the Phases keys"
	keys q
	wait_for "okdf-exit=0"
	tmux -L "$SOCK" kill-server
done
echo ok
