#!/bin/bash
# The Health view (H or :health): each connector's state, last success, the
# last error in full, the rows and throttle waits of its last pass and its
# API version; r asks for a sync. Numbers fed by a connector that never
# finished a pass read "no data", not 0.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
sql "INSERT INTO connector_health(connector, state, last_success_at, last_error_at, last_error,
	rows, throttle_waits, interval_seconds, updated_at) VALUES
	('shopify', 'ok', $now - 120, NULL, NULL, 1234, 2, 300, $now),
	('meta', 'failing', NULL, $now - 60,
	 'HTTP 400 from graph.facebook.com: (#100) Tried accessing nonexisting field (insights) on node type (AdAccount); the ad account may be closed or the token lacks ads_read permission, fbtrace_id AbCdEf123',
	 0, 0, 300, $now);"

start 100 30 LANG=C.UTF-8 TERM=xterm-256color -- tui
wait_for "[4] Supporting numbers"
screen | grep -F "ROAS" | grep -qF "no data" || fail "ROAS not 'no data' before meta synced"
screen | grep -F "ROAS" | grep -qF "meta never synced" || fail "no reason for ROAS"
screen | grep -F "Agent share" | grep -qF "no data" && fail "relevance is not configured: no 'no data'"

keys H
wait_for "Connector health (r: sync now)"
screen | grep -qE "^│? *meta +failing" || screen | grep -qF "meta       failing" ||
	fail "meta failing not shown"
screen | grep -qF "last success    never" || fail "meta's never-succeeded not shown"
screen | grep -qF "fbtrace_id AbCdEf123" || fail "last error not shown in full"
screen | grep -qF "1234 rows written, 2 throttle waits" || fail "shopify's last pass not shown"
screen | grep -qF "2026-11-20 10:28 EST (2m ago)" || fail "last success not in the shop's zone"
screen | grep -qF "API version" || fail "no API version"
keys r
wait_for "sync: no sync configured"
keys Escape
wait_for "[5] Inbox"
keys : health Enter
wait_for "Connector health (r: sync now)"
keys q
wait_for "[5] Inbox"
keys q
wait_for "okdf-exit=0"
echo ok
