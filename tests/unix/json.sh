#!/usr/bin/env bash
# --json on the read commands: audit, settings, brief show and idea list
# print the documented shapes with hand-computed values; every value the
# text form shows is in the JSON.
set -euo pipefail
: "${OKDF:?}"
command -v jq >/dev/null || { echo "jq not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/okdf.db
export OKDF_OPERATOR=ana OKDF_NOW=2026-03-10T12:00:00-04:00
unset SSH_CONNECTION
fails=0 passes=0
check() { [[ "$2" == "$3" ]] && { echo "ok - $1"; passes=$((passes + 1)); } ||
	{ echo "not ok - $1: expected '$2', got '$3'"; fails=$((fails + 1)); }; }
ts() { date -u -d "$1" +%s; }

# Empty database: arrays are empty, no brief is null.
check "settings empty" "[]" "$("$OKDF" --db "$db" settings --json | jq -c .)"
check "brief none" "null" "$("$OKDF" --db "$db" brief show --json | jq -c .)"

"$OKDF" --db "$db" set target_roas 2.5 >/dev/null
SSH_CONNECTION="203.0.113.9 5555 10.0.0.1 22" OKDF_NOW=2026-03-10T13:00:00-04:00 \
	"$OKDF" --db "$db" set budget_cap_minor 50000 >/dev/null
check "settings shape" '[{"key":"budget_cap_minor","value":"50000","set_by":"ana","set_at":"2026-03-10T17:00:00Z"},{"key":"target_roas","value":"2.5","set_by":"ana","set_at":"2026-03-10T16:00:00Z"}]' \
	"$("$OKDF" --db "$db" settings --json | jq -c 'sort_by(.key)')"
check "audit shape" '[{"id":1,"at":"2026-03-10T16:00:00Z","operator":"ana","client":null,"action":"settings.set","target":"settings:target_roas","detail":"2.5"},{"id":2,"at":"2026-03-10T17:00:00Z","operator":"ana","client":"203.0.113.9","action":"settings.set","target":"settings:budget_cap_minor","detail":"50000"}]' \
	"$("$OKDF" --db "$db" audit --json | jq -c .)"
check "audit --target" 1 "$("$OKDF" --db "$db" audit --target settings:target_roas --json | jq length)"

printf 'brand brief\n' >"$tmp/brief.md"
"$OKDF" --db "$db" brief register "$tmp/brief.md" >/dev/null
check "brief shape" "{\"path\":\"$tmp/brief.md\",\"sha256\":\"$(sha256sum <"$tmp/brief.md" | cut -d' ' -f1)\",\"registered_at\":\"2026-03-10T16:00:00Z\",\"registered_by\":\"ana\"}" \
	"$("$OKDF" --db "$db" brief show --json | jq -c .)"

# Ideas: one sold 8 shop days after its idea, one in flight 9 days, one whose
# product sold the day before the idea (flagged). Shop in New York.
sqlite3 "$db" <<SQL
INSERT INTO shop(id, currency, iana_timezone, synced_at) VALUES (1, 'USD', 'America/New_York', 0);
INSERT INTO products(id, title, status, created_at, updated_at) VALUES
 ('p1', 'Mug', 'active', $(ts 2026-02-20T10:00:00-05:00), 0),
 ('p3', 'Hat', 'active', $(ts 2026-02-20T10:00:00-05:00), 0);
INSERT INTO orders(id, created_at, processed_at, updated_at, cancelled_at, test, total_minor,
  currency, presentment_total_minor, presentment_currency, customer_id) VALUES
 ('o1', 0, $(ts 2026-03-09T23:30:00-04:00), 0, NULL, 0, 1000, 'USD', NULL, NULL, 'c1'),
 ('o3', 0, $(ts 2026-02-28T09:00:00-05:00), 0, NULL, 0, 1000, 'USD', NULL, NULL, 'c1');
INSERT INTO line_items(id, order_id, product_id, quantity) VALUES ('l1', 'o1', 'p1', 1), ('l3', 'o3', 'p3', 1);
SQL
"$OKDF" --db "$db" idea add "Mug idea" --date 2026-03-01 --product p1 >/dev/null
"$OKDF" --db "$db" idea add "Lamp idea" --date 2026-03-01 >/dev/null
"$OKDF" --db "$db" idea add "Hat idea" --date 2026-03-01 --product p3 >/dev/null
got=$("$OKDF" --db "$db" idea list --json | jq -c 'map({id, title, idea_date, product_id, product_title, created_by, first_sale_date, days_to_first_sale, days_in_flight, sale_before_idea})')
check "idea list shape" '[{"id":1,"title":"Mug idea","idea_date":"2026-03-01","product_id":"p1","product_title":"Mug","created_by":"ana","first_sale_date":"2026-03-09","days_to_first_sale":8,"days_in_flight":null,"sale_before_idea":false},{"id":2,"title":"Lamp idea","idea_date":"2026-03-01","product_id":null,"product_title":null,"created_by":"ana","first_sale_date":null,"days_to_first_sale":null,"days_in_flight":9,"sale_before_idea":false},{"id":3,"title":"Hat idea","idea_date":"2026-03-01","product_id":"p3","product_title":"Hat","created_by":"ana","first_sale_date":"2026-02-28","days_to_first_sale":-1,"days_in_flight":null,"sale_before_idea":true}]' "$got"
# The text form says the same.
"$OKDF" --db "$db" idea list >"$tmp/ideas.txt"
grep -q "sold 2026-03-09, 8 d" "$tmp/ideas.txt" && check "text agrees" 1 1 || check "text agrees" 1 0

# Usage errors.
rc=0; "$OKDF" --db "$db" settings --yaml >/dev/null 2>&1 || rc=$?
check "settings --yaml exits 2" 2 "$rc"
rc=0; "$OKDF" --db "$db" idea list --json extra >/dev/null 2>&1 || rc=$?
check "idea list extra exits 2" 2 "$rc"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
