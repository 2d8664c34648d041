#!/usr/bin/env bash
# okdf export and okdf report over a hand-made store (shop in UTC): every
# number below is computed by hand from the rows inserted here.
#   W46 = 2026-11-09..15, W45 = 2026-11-02..08; now = 2026-11-18 (W47).
#   W46 orders: o1 11-09 100.00 (p1, c1), o2 11-11 50.00 (p2, c2),
#   o3 11-11 30.00 (p1, c1), refund 10.00 of o3 on 11-12. W45: o4 11-03 40.00 (p3, c3).
#   Hours: 2 on 11-09, 1 on 11-11 (W46); 1 on 11-03 (W45).
#   TTR: p1 created 10-30, sold 11-09: 10 d; p2 idea 10-01, sold 11-11: 41 d
#   -> W46 median 25.5 d (2 products); p3 created 10-20, sold 11-03: 14 d.
set -euo pipefail
: "${OKDF:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/okdf.db
export OKDF_OPERATOR=ana
unset SSH_CONNECTION
fails=0 passes=0
ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
check() { [[ "$2" == "$3" ]] && ok "$1" || bad "$1: expected '$2', got '$3'"; }
has() { grep -qF -- "$2" "$3" && ok "$1" || bad "$1: '$2' not in $(basename "$3")"; }
hasnt() { grep -qF -- "$2" "$3" && bad "$1: '$2' in $(basename "$3")" || ok "$1"; }
ts() { date -u -d "$1" +%s; }
at() { local t=$1; shift; OKDF_NOW=$t "$OKDF" --db "$db" "$@" >/dev/null; }

# No shop: both refuse with exit 1.
rc=0; "$OKDF" --db "$db" report --now 2026-11-18T12:00:00Z >/dev/null 2>&1 || rc=$?
check "report before the first sync exits 1" 1 "$rc"

sqlite3 "$db" <<SQL
INSERT INTO shop(id, currency, iana_timezone, synced_at) VALUES (1, 'USD', 'UTC', 0);
INSERT INTO products(id, title, status, created_at, updated_at) VALUES
 ('p1', 'Mug', 'active', $(ts 2026-10-30T10:00:00Z), 0),
 ('p2', 'Lamp', 'active', $(ts 2026-10-25T10:00:00Z), 0),
 ('p3', 'Hat', 'active', $(ts 2026-10-20T10:00:00Z), 0);
INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test, total_minor,
  currency, presentment_total_minor, presentment_currency, customer_id) VALUES
 ('o1', 0, $(ts 2026-11-09T10:00:00Z), 0, NULL, 0, 10000, 'USD', NULL, NULL, 'c1'),
 ('o2', 0, $(ts 2026-11-11T12:00:00Z), 0, NULL, 0, 5000, 'USD', NULL, NULL, 'c2'),
 ('o3', 0, $(ts 2026-11-11T13:00:00Z), 0, NULL, 0, 3000, 'USD', NULL, NULL, 'c1'),
 ('o4', 0, $(ts 2026-11-03T09:00:00Z), 0, NULL, 0, 4000, 'USD', NULL, NULL, 'c3');
INSERT INTO line_items(id, order_id, product_id, quantity) VALUES
 ('l1', 'o1', 'p1', 1), ('l2', 'o2', 'p2', 1), ('l3', 'o3', 'p1', 1), ('l4', 'o4', 'p3', 1);
INSERT INTO refunds(id, order_id, created_at, amount_minor, currency) VALUES
 ('r1', 'o3', $(ts 2026-11-12T08:00:00Z), 1000, 'USD');
SQL
at 2026-11-18T12:00:00Z idea add "Lamp idea" --date 2026-10-01 --product p2
at 2026-11-18T12:00:00Z hours add 2 --date 2026-11-09
at 2026-11-18T12:00:00Z hours add 1 --date 2026-11-11
at 2026-11-18T12:00:00Z hours add 1 --date 2026-11-03
# Escalations: one in W45 (not counted), three in W46.
at 2026-11-05T08:00:00Z escalate crisis.recall "Old one" --severity critical --note x
at 2026-11-10T08:00:00Z escalate crisis.recall "Recall | lot 7" --severity critical --note x
at 2026-11-10T10:30:00Z ack 2
at 2026-11-12T09:00:00Z escalate brand.positioning "<b>Brand</b> & co" --severity normal --note x
at 2026-11-12T09:45:00Z resolve 3 --note "fine"
at 2026-11-14T00:00:00Z escalate anomaly.refund_spike "Refunds up" --severity high --note x
# Phases: a sign-off in W45 (not counted) and one in W46.
at 2026-11-04T10:00:00Z phase signoff brand voice --note "v"
at 2026-11-13T10:00:00Z phase signoff brand positioning --note "pos ok"

NOW=2026-11-18T12:00:00Z
# Export.
"$OKDF" --db "$db" export --window 2026-11-09..2026-11-15 --now "$NOW" >"$tmp/export.csv"
check "export csv" 'day,currency,gross_sales,refunds,net_revenue,orders,operator_hours,rpoh,ad_spend,ttr_first_sales,ttr_median_days
2026-11-09,USD,100.00,0.00,100.00,1,2.00,50.00,0.00,1,10.0
2026-11-10,USD,0.00,0.00,0.00,0,0.00,,0.00,0,
2026-11-11,USD,80.00,0.00,80.00,2,1.00,80.00,0.00,1,41.0
2026-11-12,USD,0.00,10.00,-10.00,0,0.00,,0.00,0,
2026-11-13,USD,0.00,0.00,0.00,0,0.00,,0.00,0,
2026-11-14,USD,0.00,0.00,0.00,0,0.00,,0.00,0,
2026-11-15,USD,0.00,0.00,0.00,0,0.00,,0.00,0,' "$(cat "$tmp/export.csv")"
"$OKDF" --db "$db" export --window 2026-11-09..2026-11-11 --format json --now "$NOW" >"$tmp/export.json"
check "export json" '{"currency":"USD","currency_exponent":2,"timezone":"UTC","days":[{"day":"2026-11-09","gross_sales_minor":10000,"refunds_minor":0,"net_revenue_minor":10000,"orders":1,"operator_seconds":7200,"rpoh_minor_per_hour":5000,"ad_spend_minor":0,"ttr_first_sales":1,"ttr_median_days":10},{"day":"2026-11-10","gross_sales_minor":0,"refunds_minor":0,"net_revenue_minor":0,"orders":0,"operator_seconds":0,"rpoh_minor_per_hour":null,"ad_spend_minor":0,"ttr_first_sales":0,"ttr_median_days":null},{"day":"2026-11-11","gross_sales_minor":8000,"refunds_minor":0,"net_revenue_minor":8000,"orders":2,"operator_seconds":3600,"rpoh_minor_per_hour":8000,"ad_spend_minor":0,"ttr_first_sales":1,"ttr_median_days":41}]}' \
	"$(jq -c . "$tmp/export.json")"
rc=0; "$OKDF" --db "$db" export --window all --now "$NOW" >/dev/null 2>&1 || rc=$?
check "export --window all exits 2" 2 "$rc"
rc=0; "$OKDF" --db "$db" export --format xlsx --now "$NOW" >/dev/null 2>&1 || rc=$?
check "export --format xlsx exits 2" 2 "$rc"

# The weekly report, Markdown: the last complete week by default.
"$OKDF" --db "$db" report --now "$NOW" >"$tmp/w.md"
"$OKDF" --db "$db" report --week 2026-W46 --now "$NOW" >"$tmp/w46.md"
cmp -s "$tmp/w.md" "$tmp/w46.md" && ok "default week is the last complete one (W46)" || bad "default week"
md=$tmp/w46.md
has "title" "# Weekly review 2026-W46 (2026-11-09 to 2026-11-15)" "$md"
has "TTR median vs week before" "| Median TTR of first sales | 25.5 d (2 products) | 14.0 d (1 product) |" "$md"
has "TTR verdict" "Verdict: target missed." "$md"
has "TTR product" "- Lamp: 41 d" "$md"
has "RPOH row" "| RPOH (per operator hour) | 56.67 | 40.00 | +41.7% |" "$md"
has "net revenue row" "| Net revenue | 170.00 | 40.00 | +325.0% |" "$md"
has "hours row" "| Operator hours | 3:00 | 1:00 | +200.0% |" "$md"
has "orders row" "| Orders | 3 | 1 | +200.0% |" "$md"
has "AOV row" "| AOV | 60.00 | 40.00 | +50.0% |" "$md"
has "refunds row" "| Refunds | 10.00 | 0.00 | - |" "$md"
has "repeat rate row" "| Repeat purchase rate | 50.00% | 0.00% | - |" "$md"
has "ROAS without spend" "| ROAS | - | - | - |" "$md"
has "RPOH verdict" "Verdict: RPOH below the target range." "$md"
has "target range" "target: 500 to 2,000 USD per hour" "$md"
has "daily bar, Monday (the tallest)" "Mon 11-09 ████████████████████████       100.00  1 orders" "$md"
has "daily bar, Wednesday 80/100 of 24 cells" "Wed 11-11 ███████████████████▏            80.00  2 orders" "$md"
has "daily RPOH, Wednesday" "Wed 11-11 ████████████████████████        80.00  1:00 h" "$md"
has "escalation summary" "3 raised (critical 1, high 1, normal 1); 2 acknowledged, median time to acknowledge 1h 37m; 2 past their SLA" "$md"
has "escalation 2" '| 2 | critical | crisis.recall | Recall \| lot 7 | 2h 30m | breached |' "$md"
has "escalation 3" "| 3 | normal | brand.positioning | <b>Brand</b> & co | 45m | ok |" "$md"
has "escalation 4" "| 4 | high | anomaly.refund_spike | Refunds up | not yet | breached |" "$md"
hasnt "W45 escalation left out" "Old one" "$md"
has "phase change" "| 2026-11-13T10:00:00Z | ana | phase.signoff |" "$md"
[ "$(grep -c '| phase.signoff |' "$md")" = 1 ] && ok "only W46's sign-off" || bad "sign-off count"

# HTML: self-contained, escaped, seven bars per chart.
"$OKDF" --db "$db" report --week 2026-W46 --format html --now "$NOW" >"$tmp/w.html"
html=$tmp/w.html
has "html doctype" "<!DOCTYPE html>" "$html"
check "two svg charts" 2 "$(grep -c '<svg ' "$html")"
check "fourteen bars" 14 "$(grep -c '<rect ' "$html")"
hasnt "no script" "<script" "$html"
check "no external resource" 0 "$(grep -oE '(src|href)=' "$html" | wc -l)"
has "title escaped" "&lt;b&gt;Brand&lt;/b&gt; &amp; co" "$html"
has "html RPOH row" "<tr><td>RPOH (per operator hour)</td><td class=\"n\">56.67</td><td class=\"n\">40.00</td><td class=\"n\">+41.7%</td></tr>" "$html"
# The tallest bar (Monday, 100.00) fills the plot; Wednesday's 80.00 is 4/5 of it.
# 7 bars of (560 - 2 * 10 - 6 * 8) / 7 = 70 px; the plot is 200 - 24 - 36 = 140 px high.
has "Monday bar full height" '<rect x="10" y="24" width="70" height="140"' "$html"
has "Wednesday bar 80%" '<rect x="166" y="52" width="70" height="112"' "$html"

rc=0; "$OKDF" --db "$db" report --week 2025-W53 --now "$NOW" >/dev/null 2>&1 || rc=$?
check "bad week exits 2" 2 "$rc"
rc=0; "$OKDF" --db "$db" report --format pdf --now "$NOW" >/dev/null 2>&1 || rc=$?
check "bad format exits 2" 2 "$rc"

# review add --report keeps the report it reviewed.
OKDF_NOW=$NOW "$OKDF" --db "$db" review add --report --week 2026-W46 --note "held" >"$tmp/review.out"
has "review recorded with report" "with the report of 2026-W46" "$tmp/review.out"
"$OKDF" --db "$db" review show 1 >"$tmp/shown.md"
cmp -s "$tmp/shown.md" "$md" && ok "review show prints the attached report" || bad "attached report differs"
check "review list json" '[{"id":1,"operator":"ana","reviewed_at":"2026-11-18T12:00:00Z","note":"held","report_week":"2026-W46"}]' \
	"$("$OKDF" --db "$db" review list --json | jq -c .)"
check "audit names the week" "report 2026-W46; held" "$("$OKDF" --db "$db" audit --target review:1 --json | jq -r '.[0].detail')"
OKDF_NOW=$NOW "$OKDF" --db "$db" review add --note plain >/dev/null
rc=0; "$OKDF" --db "$db" review show 2 >/dev/null 2>&1 || rc=$?
check "review without report: show exits 1" 1 "$rc"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
