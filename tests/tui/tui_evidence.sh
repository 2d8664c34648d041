#!/bin/bash
# The evidence on an escalation's detail page: the customer's words (from
# the task view, each at its time in the shop's zone, sanitized), the agent's pending
# action with its amount and parameters, and the agent's state for a
# conversation, every rule one conversation matched (one
# escalation, not three), an ad's name, status and review outcome with its
# Ads Manager URL, times in the shop's zone with deadlines relative; and d
# offering the listed agent approval's choices.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
sql "INSERT INTO agents(id, name, kind, updated_at) VALUES ('ag1', 'Support Agent', 'cs', 0);
INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at, last_message)
 VALUES ('cv9', 'ag1', 'pending-approval', 'Refund request #1042', $now - 900, $now - 600,
 'My son got a rash from the beanie, this is a scam');
INSERT INTO campaigns(id, account_id, name, status, updated_at)
 VALUES ('c1', 'act_998877', 'Prospecting US', 'ACTIVE', $now);
INSERT INTO conversation_evidence(conversation_id, messages, tool, params, amount, fetched_at)
 VALUES ('cv9', json_array(json_object('at', $now - 840,
 'text', 'The beanie gave my son a rash.' || char(27) || '[2J I want my money back.')),
 'Issue refund',
 json_object('order_name', '#1042', 'amount', '49.5'), '49.5', $now - 60);
INSERT INTO ads(id, campaign_id, name, status, effective_status, updated_at, review_feedback)
 VALUES ('1202', 'c1', 'Video - UGC Testimonial', 'ACTIVE', 'DISAPPROVED', $now,
 'Unrealistic Outcomes: Ads can''t promise exaggerated results.');"
"$OKDF" --db "$DB" rules run >/dev/null
# One conversation, three rules: one escalation.
[ "$(sql "SELECT count(*) FROM escalations WHERE evidence LIKE '%cv9%'")" = 1 ] ||
	fail "the conversation raised more than one escalation"
conv=$(sql "SELECT id FROM escalations WHERE evidence LIKE '%cv9%'")
# A refund note that mentions harm: the note, the order and its admin URL.
sql "INSERT INTO refunds(id, order_id, created_at, amount_minor, currency, note)
	VALUES ('gid://shopify/Refund/77', 'o2', $now - 1200, 2500, 'USD', 'burned my hand on it')"
"$OKDF" --db "$DB" rules run >/dev/null
# A money anomaly, as the revenue-drop rule words its evidence.
sql "INSERT INTO escalations(kind, severity, source, title, evidence, dedup_key, state, created_at)
	VALUES ('anomaly.revenue_drop', 'high', 'rules/revenue', 'Revenue down', '{\"today_minor\":12000,
	\"baseline_minor\":48000,\"since\":\"2026-11-20T14:00:00Z\"}', 'rd', 'open', $now);"

start 100 45 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[5] Inbox"
# Most urgent first: the critical conversation escalation is the first row.
keys 5 Enter
wait_for "Escalation #$conv"
screen | grep -c "amount" | grep -qx 1 || fail "the amount shown twice"
for text in "pending action Issue refund" "  amount       49.5" "  order_name   #1042" \
	"customer wrote 2026-11-20 10:16 EST (14m ago)" \
	"    The beanie gave my son a rash. I want my money back." \
	"task view read 2026-11-20 10:29 EST (1m ago)" \
	"last message   My son got a rash from the beanie, this is a scam" \
	"agent state    pending-approval" "agent          Support Agent" \
	"Rules that matched this source (3)" "agent.approval (normal)" \
	"acknowledge by 2026-11-20 11:30 EST (in 1h)" "last activity  2026-11-20 10:20 EST (10m ago)" \
	"d: a approve or r reject" "refund note    burned my hand on it" \
	"refund         25.00 USD, 2026-11-20 10:10 EST (20m ago), order #1002"; do
	screen | grep -qF "$text" || fail "conversation evidence: '$text' missing"
done
screen | grep -qE "[0-9]{2}:[0-9]{2}:[0-9]{2}Z|-05:00" && fail "a time not in the shop's zone"
screen | tr -d '│ \n' | grep -qF "https://admin.shopify.com/store/test/orders/o2" ||
	fail "no Shopify admin URL for the refunded order"
keys d
wait_for "Decide #$conv:  a approve  r reject"
keys Escape
wait_for "cancelled"
keys Escape j Enter
wait_for "Meta ad disapproved: Video - UGC Testimonial"
for text in "status         ACTIVE, delivery DISAPPROVED" \
	"review         Unrealistic Outcomes: Ads can't promise exaggerated results." \
	"campaign       Prospecting US" "decision       none for this kind"; do
	screen | grep -qF "$text" || fail "ad evidence: '$text' missing"
done
screen | tr -d '│ \n' | grep -qF "https://adsmanager.facebook.com/adsmanager/manage/ads?act=998877&selected_ad_ids=1202" ||
	fail "no Ads Manager URL"
keys Escape j Enter
wait_for "Revenue down"
screen | grep -qF "revenue so far today 120.00 against 480.00 (-75%)" ||
	fail "the revenue drop is not set against its baseline"
screen | grep -F "since" | grep -qF "2026-11-20 09:00 EST (1h30m ago)" || fail "since not in EST"
keys Escape q
wait_for "okdf-exit=0"
echo ok
