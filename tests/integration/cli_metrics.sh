#!/usr/bin/env bash
# okdf metrics / hours / idea over a database built with sqlite3 inserts.
# Env: OKDF = path of the okdf binary.
set -euo pipefail
: "${OKDF:?OKDF must name the okdf binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/okdf.db
export OKDF_OPERATOR=ana
fails=0

check() { # check NAME EXPECTED ACTUAL
	if [[ "$2" == "$3" ]]; then
		echo "ok - $1"
	else
		echo "not ok - $1: expected '$2', got '$3'"
		fails=$((fails + 1))
	fi
}

status() { # status CMD...: prints the exit code
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	echo $?
	set -e
}

ts() { date -u -d "$1" +%s; }

# No shop synced yet: metrics refuses with exit 1 and says why.
check "metrics without shop exits 1" 1 "$(status "$OKDF" --db "$db" metrics --json)"
grep -q "no shop data synced yet" "$tmp/err" && echo "ok - says no shop data" ||
	{ echo "not ok - no-shop message"; fails=$((fails + 1)); }

# Bad options: exit 2.
check "bad window exits 2" 2 \
	"$(status "$OKDF" --db "$db" metrics --window 7days --now 2026-03-10T12:00:00-04:00)"
grep -q 'bad window "7days"' "$tmp/err" && echo "ok - bad window message" ||
	{ echo "not ok - bad window message"; fails=$((fails + 1)); }
check "bad now exits 2" 2 "$(status "$OKDF" --db "$db" metrics --now yesterday)"
check "unknown option exits 2" 2 "$(status "$OKDF" --db "$db" metrics --frobnicate)"

NOW=2026-03-10T12:00:00-04:00
sqlite3 "$db" <<SQL
INSERT INTO shop(id, currency, iana_timezone, synced_at) VALUES (1, 'USD', 'America/New_York', 0);
INSERT INTO products(id, title, status, created_at, updated_at) VALUES
 ('p1', 'Mug', 'active', $(ts 2026-02-20T10:00:00-05:00), 0),
 ('p2', 'Hat', 'active', $(ts 2026-03-01T10:00:00-05:00), 0);
INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test, total_minor,
  currency, presentment_total_minor, presentment_currency, customer_id) VALUES
 ('o0', 0, $(ts 2026-03-03T23:59:59-05:00), 0, NULL, 0, 7000, 'USD', NULL, NULL, 'c1'),
 ('o1', 0, $(ts 2026-03-04T00:00:00-05:00), 0, NULL, 0, 10000, 'USD', NULL, NULL, 'c1'),
 ('o2', 0, $(ts 2026-03-08T01:30:00-05:00), 0, NULL, 0, 5000, 'USD', 4600, 'EUR', 'c2'),
 ('o3', 0, $(ts 2026-03-08T03:30:00-04:00), 0, NULL, 0, 3000, 'USD', NULL, NULL, 'c1'),
 ('o4', 0, $(ts 2026-03-05T10:00:00-05:00), 0, 1, 0, 9999, 'USD', NULL, NULL, 'c3'),
 ('o5', 0, $(ts 2026-03-06T10:00:00-05:00), 0, NULL, 1, 8888, 'USD', NULL, NULL, 'c3');
INSERT INTO line_items(id, order_id, product_id, quantity) VALUES
 ('l1', 'o1', 'p1', 1), ('l2', 'o2', 'p1', 1), ('l4', 'o4', 'p2', 1);
INSERT INTO refunds(id, order_id, created_at, amount_minor, currency) VALUES
 ('r1', 'o0', $(ts 2026-03-05T09:00:00-05:00), 2000, 'USD'),
 ('r3', 'o3', $(ts 2026-03-09T10:00:00-04:00), 3000, 'USD'),
 ('r4', 'o4', $(ts 2026-03-06T10:00:00-05:00), 9999, 'USD');
INSERT INTO activity_intervals(operator, started_at, ended_at) VALUES
 ('ana', $(ts 2026-03-09T10:00:00-04:00), $(ts 2026-03-09T12:00:00-04:00)),
 ('bo', $(ts 2026-03-09T11:00:00-04:00), $(ts 2026-03-09T12:00:00-04:00));
INSERT INTO manual_hours(operator, started_at, seconds, created_at) VALUES
 ('ana', $(ts 2026-03-09T11:00:00-04:00), 3600, 0);
INSERT INTO abandoned_checkouts(id, created_at, updated_at, completed_at, total_minor, currency)
 VALUES ('a1', $(ts 2026-03-05T10:00:00-05:00), 0, $(ts 2026-03-06T10:00:00-05:00), 2000, 'USD'),
        ('a2', $(ts 2026-03-06T10:00:00-05:00), 0, NULL, 8000, 'USD');
INSERT INTO conversations(id, state, created_at, updated_at) VALUES
 ('k1', 'completed', $(ts 2026-03-05T10:00:00-05:00), 0),
 ('k2', 'escalated', $(ts 2026-03-06T10:00:00-05:00), 0);
-- k2 completed after a person stepped in: not the agent's alone.
UPDATE conversations SET state = 'completed', updated_at = 1 WHERE id = 'k2';
INSERT INTO ad_insights_daily(campaign_id, day, spend_minor, purchases, purchase_value_minor,
  currency, synced_at) VALUES ('m1', '2026-03-05', 2000, 1, 5000, 'USD', 0);
SQL

# 7d = 2026-03-04 .. 2026-03-10. Gross o1 + o2 + o3 = 18000 (o2 in shop money),
# refunds r1 + r3 = 5000 (r4 is on a cancelled order), net 13000.
# Hours: ana 10:00-12:00 (manual 11-12 inside it) 2 h + bo 1 h = 3 h.
"$OKDF" --db "$db" metrics --json --now "$NOW" --window 7d >"$tmp/m.json"
j() { jq -r "$1" "$tmp/m.json"; }
check "window from" "2026-03-04T00:00:00-05:00" "$(j .window.from)"
check "window to (now)" "2026-03-10T12:00:00-04:00" "$(j .window.to)"
check "timezone" "America/New_York" "$(j .window.timezone)"
check "currency" "USD" "$(j .currency)"
check "net revenue" 13000 "$(j .net_revenue_minor)"
check "orders" 3 "$(j .orders)"
check "aov" 6000 "$(j .aov_minor)"
check "operator hours" 3 "$(j .operator_hours)"
check "rpoh" 4333 "$(j .rpoh_minor_per_hour)"
check "recovery abandoned" 10000 "$(j .recovery.abandoned_minor)"
check "recovery recovered" 2000 "$(j .recovery.recovered_minor)"
check "recovery rate" 0.2 "$(j .recovery.rate)"
check "recovery count rate" 0.5 "$(j .recovery.count_rate)"
check "repeat purchase rate" 0.5 "$(j .repeat_purchase_rate)"
check "agent share" 0.5 "$(j .agent_resolution_share)"
check "ad spend" 2000 "$(j .ads.spend_minor)"
check "roas" 2.5 "$(j .ads.roas)"
check "mer" 6.5 "$(j .ads.mer)"
# Mug: created 02-20, first sale 03-04: 12 days. Hat: only a cancelled order: in flight 9 d.
check "ttr median" 12 "$(j .ttr.median_days)"
check "ttr count" 1 "$(j .ttr.count)"
check "ttr product" "p1 12 2026-03-04T00:00:00-05:00" \
	"$(j '.ttr.products[0] | "\(.id) \(.days) \(.first_sale_at)"')"
check "in flight" "Hat 9" "$(j '.ttr.in_flight[0] | "\(.title) \(.days_elapsed)"')"
check "series length" 30 "$(j '.series.days | length')"
check "series last day" "2026-03-10" "$(j '.series.days[29]')"
check "series 03-08 (23 h day)" 8000 "$(j '.series.net_revenue_minor[27]')"
check "series rpoh 03-09" -1000 "$(j '.series.rpoh_minor_per_hour[28]')"
check "series rpoh null without hours" null "$(j '.series.rpoh_minor_per_hour[27]')"
check "label" "true" "$(j '.definitions.net_revenue_minor | test("ledger")')"
check "agent share definition" "true" \
	"$(j '.definitions.agent_resolution_share | test("completed") and test("never saw escalated, pending-approval or errored-pending-approval")')"

# Zero hours: RPOH null.
"$OKDF" --db "$db" metrics --json --now "$NOW" --window 2026-03-04..2026-03-05 >"$tmp/m.json"
check "rpoh null with zero hours" null "$(j .rpoh_minor_per_hour)"
check "explicit window net" 8000 "$(j .net_revenue_minor)"

# The table fits 80 columns.
"$OKDF" --db "$db" metrics --now "$NOW" --window 7d >"$tmp/table"
check "table width <= 80" 1 "$(awk 'length > 80 { bad = 1 } END { print bad ? 0 : 1 }' "$tmp/table")"
grep -q "Net revenue" "$tmp/table" && echo "ok - table" || { echo "not ok - table"; fails=$((fails + 1)); }

# Hours: add 1.5 h on 2026-03-09 for ana. Manual entries of a day stack from the
# shop-day start; ana's existing 11:00-12:00 entry puts this one at 12:00-13:30.
export OKDF_NOW=$NOW
check "hours add exit 0" 0 "$(status "$OKDF" --db "$db" hours add 1.5 --date 2026-03-09 --note calls)"
check "hours add bad amount exits 2" 2 "$(status "$OKDF" --db "$db" hours add abc)"
check "hours add too much exits 2" 2 "$(status "$OKDF" --db "$db" hours add 25)"
check "hours add bad date exits 2" 2 "$(status "$OKDF" --db "$db" hours add 1 --date 2026-02-30)"
check "manual entry start" "$(ts 2026-03-09T12:00:00-04:00)|5400" \
	"$(sqlite3 "$db" "SELECT started_at, seconds FROM manual_hours WHERE note = 'calls'")"
"$OKDF" --db "$db" hours list --window 7d >"$tmp/hours"
# ana: console 2:00, manual 1:00 + 1:30 = 2:30, union 10:00-13:30 = 3:30; bo 1:00.
check "hours list ana" "ana 2:00 2:30 3:30" "$(awk '$1 == "ana" { print $1, $2, $3, $4 }' "$tmp/hours")"
check "hours list total" "4:30" "$(awk '/^all operators/ { print $5 }' "$tmp/hours")"
check "hours audited" 1 "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'hours.add'")"

# Ideas.
check "idea add exit 0" 0 "$(status "$OKDF" --db "$db" idea add "Scented candle" --date 2026-03-01)"
check "idea add without title exits 2" 2 "$(status "$OKDF" --db "$db" idea add)"
check "idea link exit 0" 0 "$(status "$OKDF" --db "$db" idea link 1 p2)"
check "idea link unknown idea exits 1" 1 "$(status "$OKDF" --db "$db" idea link 99 p2)"
check "idea link bad id exits 2" 2 "$(status "$OKDF" --db "$db" idea link x p2)"
check "idea add with product" 0 "$(status "$OKDF" --db "$db" idea add "Mug v1" --date 2026-02-25 --product p1)"
"$OKDF" --db "$db" idea list >"$tmp/ideas"
grep -q "Scented candle.*p2.*in flight, 9 d" "$tmp/ideas" && echo "ok - idea list in flight" ||
	{ echo "not ok - idea list in flight"; cat "$tmp/ideas"; fails=$((fails + 1)); }
grep -q "Mug v1.*p1.*sold 2026-03-04, 7 d" "$tmp/ideas" && echo "ok - idea list sold" ||
	{ echo "not ok - idea list sold"; cat "$tmp/ideas"; fails=$((fails + 1)); }
# idea 1: add + link; idea 2: add + link (added with --product).
check "ideas audited" 4 \
	"$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action IN ('idea.add', 'idea.link')")"
# The idea now dates Mug (02-25 -> 03-04 = 7 days) and Hat's in-flight age (03-01: 9 days).
"$OKDF" --db "$db" metrics --json --now "$NOW" --window 7d >"$tmp/m.json"
check "ttr uses idea date" "7 idea" "$(j '.ttr.products[0] | "\(.days) \(.idea_source)"')"
check "in flight from idea" "Hat 9" "$(j '.ttr.in_flight[0] | "\(.title) \(.days_elapsed)"')"

if ((fails)); then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
