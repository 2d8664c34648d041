# Shared by the sync integration tests: start okdf-sim, write its config,
# compare a database with --truth. Needs OKDF, OKDF_SIM; uses sqlite3 and jq.
set -euo pipefail
# Both come with .ci/debian-packages (the README's first command): missing is
# a broken setup, not a reason to skip.
command -v sqlite3 >/dev/null || { echo "sqlite3 not installed (see .ci/debian-packages)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq not installed (see .ci/debian-packages)" >&2; exit 1; }
: "${OKDF_SIM:?OKDF_SIM must name the okdf-sim binary}"

WORK=$(mktemp -d)
SIM_PIDS=()
cleanup() {
  for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The simulated "now" and okdf's (OKDF_NOW) agree, so trailing windows match.
export SIM_NOW=2026-11-20T15:00:00Z
export OKDF_NOW=$SIM_NOW

# start_sim NAME ARGS... : starts okdf-sim, writes $WORK/NAME.ini (mode 0600).
start_sim() {
  local name=$1; shift
  "$OKDF_SIM" --port 0 --print-config --now "$SIM_NOW" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SIM_PIDS+=($!)
  for _ in $(seq 100); do
    grep -q '^\[sync\]' "$WORK/$name.out" 2>/dev/null && break
    sleep 0.05
  done
  grep -q '^\[sync\]' "$WORK/$name.out" || { cat "$WORK/$name.err" >&2; echo "okdf-sim did not start" >&2; exit 1; }
  sleep 0.1
  grep -v '^okdf-sim listening' "$WORK/$name.out" >"$WORK/$name.ini"
  chmod 600 "$WORK/$name.ini"
}

# The synced tables, in a stable order, without fetch timestamps.
canonical_dump() {
  sqlite3 "$1" <<'SQL'
.mode list
SELECT 'shop', shop_id, name, currency, iana_timezone FROM shop;
SELECT 'product', * FROM products ORDER BY id;
SELECT 'customer', * FROM customers ORDER BY id;
SELECT 'order', * FROM orders ORDER BY id;
SELECT 'line', * FROM line_items ORDER BY id;
SELECT 'refund', * FROM refunds ORDER BY id;
SELECT 'refund_line', * FROM refund_line_items ORDER BY refund_id, line_item_id;
SELECT 'checkout', * FROM abandoned_checkouts ORDER BY id;
SELECT 'metric', * FROM email_metrics ORDER BY id;
SELECT 'flow', * FROM email_flows ORDER BY id;
SELECT 'flow_stats', flow_id, timeframe, recipients, conversions, conversion_value_minor, currency
  FROM email_flow_stats ORDER BY flow_id, timeframe;
SELECT 'ad_account', id, name, account_status, currency, timezone_name FROM ad_accounts;
SELECT 'campaign', * FROM campaigns ORDER BY id;
SELECT 'budget', campaign_id, daily_budget_minor FROM campaign_budget_history
  ORDER BY campaign_id, observed_at;
SELECT 'ad', * FROM ads ORDER BY id;
SELECT 'insight', campaign_id, day, spend_minor, purchases, purchase_value_minor, currency
  FROM ad_insights_daily ORDER BY campaign_id, day;
SELECT 'agent', id, name, kind, created_at, last_run_at FROM agents ORDER BY id;
SELECT 'conversation', * FROM conversations ORDER BY id;
SQL
}

# check_truth DB TRUTH: every table count and money sum, per-day totals, shop.
check_truth() {
  local db=$1 truth=$2 got
  got=$(sqlite3 -json "$db" <<'SQL'
SELECT json_object(
 'tables', json_object(
  'products', json_object('count', (SELECT count(*) FROM products)),
  'orders', json_object('count', (SELECT count(*) FROM orders),
                        'total_minor', (SELECT coalesce(sum(total_minor),0) FROM orders)),
  'line_items', json_object('count', (SELECT count(*) FROM line_items)),
  'refunds', json_object('count', (SELECT count(*) FROM refunds),
                         'amount_minor', (SELECT coalesce(sum(amount_minor),0) FROM refunds)),
  'abandoned_checkouts', json_object('count', (SELECT count(*) FROM abandoned_checkouts),
                         'total_minor', (SELECT coalesce(sum(total_minor),0) FROM abandoned_checkouts),
                         'completed', (SELECT count(*) FROM abandoned_checkouts WHERE completed_at IS NOT NULL)),
  'customers', json_object('count', (SELECT count(*) FROM customers)),
  'email_flows', json_object('count', (SELECT count(*) FROM email_flows)),
  'campaigns', json_object('count', (SELECT count(*) FROM campaigns)),
  'ads', json_object('count', (SELECT count(*) FROM ads)),
  'ad_insights_daily', json_object('count', (SELECT count(*) FROM ad_insights_daily),
                         'spend_minor', (SELECT coalesce(sum(spend_minor),0) FROM ad_insights_daily),
                         'purchase_value_minor', (SELECT coalesce(sum(purchase_value_minor),0) FROM ad_insights_daily)),
  'agents', json_object('count', (SELECT count(*) FROM agents)),
  'conversations', json_object('count', (SELECT count(*) FROM conversations))),
 'shop', (SELECT json_object('currency', currency, 'iana_timezone', iana_timezone) FROM shop)) AS j;
SQL
)
  got=$(jq -S '.[0].j | fromjson' <<<"$got")
  local want
  # okdf leaves builders' test runs out of the conversations it keeps.
  want=$(jq -S '{tables, shop} | del(.tables.conversations.debug)' "$truth")
  # Only the keys the truth names are compared, so it may grow.
  local diff
  diff=$(jq -n -S --argjson got "$got" --argjson want "$want" '
    [ $want | paths(scalars) as $p | select(($got | getpath($p)) != ($want | getpath($p)))
      | {path: ($p | join(".")), want: ($want | getpath($p)), got: ($got | getpath($p))} ]')
  if [ "$diff" != "[]" ]; then
    echo "database differs from --truth:" >&2; echo "$diff" >&2; return 1
  fi
  # Orders and refunds per shop day.
  local days
  days=$(sqlite3 -json "$db" "
    WITH d AS (SELECT shop_day AS day FROM orders UNION SELECT shop_day FROM refunds)
    SELECT day,
      (SELECT count(*) FROM orders o WHERE o.shop_day = d.day) AS orders,
      (SELECT coalesce(sum(total_minor),0) FROM orders o WHERE o.shop_day = d.day) AS total_minor,
      (SELECT coalesce(sum(amount_minor),0) FROM refunds r WHERE r.shop_day = d.day) AS refunds_minor
    FROM d ORDER BY day" | jq -S 'map({(.day): {orders, total_minor, refunds_minor}}) | add // {}')
  diff=$(jq -n -S --argjson got "$days" --slurpfile t "$truth" '
    ($t[0].days // {}) as $want
    | [ $want | paths(scalars) as $p | select(($got | getpath($p) // 0) != ($want | getpath($p)))
        | {path: ($p | join(".")), want: ($want | getpath($p)), got: ($got | getpath($p))} ]')
  if [ "$diff" != "[]" ]; then
    echo "per-day totals differ from --truth:" >&2; echo "$diff" | head -40 >&2; return 1
  fi
}
