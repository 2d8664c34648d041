#!/bin/bash
# Klaviyo-attributed revenue in the supporting-numbers panel: the same number
# as `okdf metrics --json`, labelled as Klaviyo's own attribution, on a
# terminal tall enough for the extra row; the detail view (Enter) always
# has flows and campaigns apart.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
sql <<SQL
INSERT INTO email_flow_stats(flow_id, timeframe, recipients, conversions, conversion_value_minor, currency, fetched_at)
 VALUES ('FLOW1', 'last_30_days', 500, 12, 123456, 'USD', $now),
        ('FLOW2', 'last_30_days', 90, 1, 4500, 'USD', $now),
        ('FLOW1', 'last_7_days', 100, 2, 9900, 'USD', $now);
INSERT INTO email_campaign_stats(campaign_id, timeframe, recipients, conversions, conversion_value_minor, currency, fetched_at)
 VALUES ('CMP1', 'last_30_days', 2000, 7, 65432, 'USD', $now);
SQL
total=$(metrics 30d .klaviyo_attributed.total_minor)
[ "$total" = $((123456 + 4500 + 65432)) ] || fail "metrics --json total $total"

start 120 40 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "Supporting numbers"
wait_for "Klaviyo-attrib."
screen | grep -F "Klaviyo-attrib." | grep -F "$(money "$total")" | grep -qF "Klaviyo's own attribution" ||
	fail "Klaviyo row: $(screen | grep -F Klaviyo)"
keys 4 Enter
wait_for "Klaviyo-attributed, flows"
screen | grep -F "Klaviyo-attributed, flows" | grep -qF "$(money 127956)" || fail "flows in the detail view"
screen | grep -F "Klaviyo-attributed, campaigns" | grep -qF "$(money 65432)" ||
	fail "campaigns in the detail view"
keys q
echo ok
