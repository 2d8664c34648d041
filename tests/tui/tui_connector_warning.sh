#!/bin/bash
# A connector that works but carries a warning (here Shopify serving another
# API version than asked) shows "!warning" beside its age in the header.
. "$(dirname "$0")/lib.sh"
prepare_db
now=$(date -d "$OKDF_NOW" +%s)
sql "INSERT INTO connector_health(connector, state, last_success_at, rows, updated_at, warning)
 VALUES ('shopify', 'ok', $now, 10, $now,
  'Shopify served API version 2026-01, not the configured 2025-01'),
 ('klaviyo', 'ok', $now, 3, $now, NULL)"
start 120 30 -- tui
wait_for "Test Shop"
wait_for "shopify <1m !warning"
screen | grep -qF "klaviyo <1m !" && fail "klaviyo has no warning"
sql "UPDATE connector_health SET warning = NULL WHERE connector = 'shopify'"
wait_gone "!warning" 10
echo "1 passed, 0 failed"
