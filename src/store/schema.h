/* Numbered migrations. Append only: never edit a released step. */
#ifndef OKDF_STORE_SCHEMA_H
#define OKDF_STORE_SCHEMA_H

#include <stddef.h>

/* v1: what the connectors sync. Money: INTEGER minor units + currency code.
 * Times: INTEGER UTC epoch seconds. External IDs: TEXT. */
static const char *const schema_v1[] = {
	"CREATE TABLE shop ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" shop_id TEXT, name TEXT, domain TEXT,"
	" currency TEXT NOT NULL, iana_timezone TEXT NOT NULL,"
	" synced_at INTEGER NOT NULL);",

	"CREATE TABLE products ("
	" id TEXT PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL,"
	" created_at INTEGER NOT NULL, published_at INTEGER, updated_at INTEGER NOT NULL,"
	" has_description INTEGER NOT NULL DEFAULT 0,"
	" min_price_minor INTEGER, currency TEXT);",

	"CREATE TABLE customers ("
	" id TEXT PRIMARY KEY, orders_count INTEGER NOT NULL DEFAULT 0,"
	" amount_spent_minor INTEGER, currency TEXT,"
	" created_at INTEGER, updated_at INTEGER NOT NULL);",

	"CREATE TABLE orders ("
	" id TEXT PRIMARY KEY, name TEXT,"
	" created_at INTEGER NOT NULL, processed_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL, cancelled_at INTEGER,"
	" test INTEGER NOT NULL DEFAULT 0,"
	" total_minor INTEGER NOT NULL, currency TEXT NOT NULL,"
	" presentment_total_minor INTEGER, presentment_currency TEXT,"
	" customer_id TEXT, shipping_country TEXT, financial_status TEXT,"
	" shop_day TEXT);",
	"CREATE INDEX orders_processed ON orders(processed_at);",
	"CREATE INDEX orders_customer ON orders(customer_id);",

	"CREATE TABLE line_items ("
	" id TEXT PRIMARY KEY,"
	" order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	" product_id TEXT, title TEXT, quantity INTEGER NOT NULL,"
	" price_minor INTEGER, currency TEXT);",
	"CREATE INDEX line_items_order ON line_items(order_id);",
	"CREATE INDEX line_items_product ON line_items(product_id);",

	"CREATE TABLE refunds ("
	" id TEXT PRIMARY KEY,"
	" order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	" created_at INTEGER NOT NULL, amount_minor INTEGER NOT NULL,"
	" currency TEXT NOT NULL, note TEXT, shop_day TEXT);",
	"CREATE INDEX refunds_created ON refunds(created_at);",
	"CREATE INDEX refunds_order ON refunds(order_id);",

	"CREATE TABLE refund_line_items ("
	" refund_id TEXT NOT NULL REFERENCES refunds(id) ON DELETE CASCADE,"
	" line_item_id TEXT NOT NULL, product_id TEXT,"
	" quantity INTEGER NOT NULL, subtotal_minor INTEGER,"
	" PRIMARY KEY (refund_id, line_item_id));",

	"CREATE TABLE abandoned_checkouts ("
	" id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	" completed_at INTEGER, total_minor INTEGER NOT NULL, currency TEXT NOT NULL,"
	" customer_id TEXT);",
	"CREATE INDEX abandoned_created ON abandoned_checkouts(created_at);",

	"CREATE TABLE email_metrics ("
	" id TEXT PRIMARY KEY, name TEXT NOT NULL, integration TEXT);",

	"CREATE TABLE email_flows ("
	" id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,"
	" trigger_type TEXT, trigger_metric_id TEXT,"
	" created_at INTEGER, updated_at INTEGER NOT NULL);",

	/* One row per flow and reporting timeframe (e.g. last_7_days). */
	"CREATE TABLE email_flow_stats ("
	" flow_id TEXT NOT NULL, timeframe TEXT NOT NULL,"
	" recipients INTEGER NOT NULL DEFAULT 0, conversions INTEGER NOT NULL DEFAULT 0,"
	" conversion_value_minor INTEGER NOT NULL DEFAULT 0, currency TEXT,"
	" fetched_at INTEGER NOT NULL,"
	" PRIMARY KEY (flow_id, timeframe));",

	"CREATE TABLE ad_accounts ("
	" id TEXT PRIMARY KEY, name TEXT, account_status INTEGER NOT NULL,"
	" currency TEXT NOT NULL, timezone_name TEXT, synced_at INTEGER NOT NULL);",

	"CREATE TABLE campaigns ("
	" id TEXT PRIMARY KEY, account_id TEXT, name TEXT,"
	" status TEXT, effective_status TEXT,"
	" daily_budget_minor INTEGER, currency TEXT, updated_at INTEGER NOT NULL);",

	/* Every distinct daily budget seen, for the budget.scale rule. */
	"CREATE TABLE campaign_budget_history ("
	" campaign_id TEXT NOT NULL, observed_at INTEGER NOT NULL,"
	" daily_budget_minor INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, observed_at));",

	"CREATE TABLE ads ("
	" id TEXT PRIMARY KEY, campaign_id TEXT, adset_id TEXT, name TEXT,"
	" status TEXT, effective_status TEXT, creative_id TEXT,"
	" updated_at INTEGER NOT NULL);",

	/* Meta insights per campaign and ad-account day (YYYY-MM-DD). */
	"CREATE TABLE ad_insights_daily ("
	" campaign_id TEXT NOT NULL, day TEXT NOT NULL,"
	" spend_minor INTEGER NOT NULL DEFAULT 0,"
	" purchases INTEGER NOT NULL DEFAULT 0,"
	" purchase_value_minor INTEGER NOT NULL DEFAULT 0,"
	" currency TEXT NOT NULL, synced_at INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, day));",

	/* kind: cs, content, creative, other. */
	"CREATE TABLE agents ("
	" id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
	" created_at INTEGER, last_run_at INTEGER, updated_at INTEGER NOT NULL);",

	"CREATE TABLE conversations ("
	" id TEXT PRIMARY KEY, agent_id TEXT, state TEXT NOT NULL,"
	" title TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	" resolved_by_agent INTEGER NOT NULL DEFAULT 0, last_message TEXT);",
	"CREATE INDEX conversations_created ON conversations(created_at);",

	"CREATE TABLE sync_state ("
	" connector TEXT NOT NULL, resource TEXT NOT NULL, cursor TEXT,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (connector, resource));",

	/* state: ok, syncing, throttled, failing, unauthorised, disabled. */
	"CREATE TABLE connector_health ("
	" connector TEXT PRIMARY KEY, state TEXT NOT NULL,"
	" last_success_at INTEGER, last_error_at INTEGER, last_error TEXT,"
	" rows INTEGER NOT NULL DEFAULT 0, throttle_waits INTEGER NOT NULL DEFAULT 0,"
	" interval_seconds INTEGER, updated_at INTEGER NOT NULL);",
	NULL,
};

/* v2: what the operators record. */
static const char *const schema_v2[] = {
	"CREATE TABLE ideas ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL,"
	" idea_at INTEGER NOT NULL, product_id TEXT,"
	" created_by TEXT NOT NULL, created_at INTEGER NOT NULL);",

	"CREATE TABLE activity_intervals ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, operator TEXT NOT NULL,"
	" started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL);",
	"CREATE INDEX activity_operator ON activity_intervals(operator, started_at);",

	/* A manual entry covers [started_at, started_at + seconds). */
	"CREATE TABLE manual_hours ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, operator TEXT NOT NULL,"
	" started_at INTEGER NOT NULL, seconds INTEGER NOT NULL CHECK (seconds > 0),"
	" note TEXT, created_at INTEGER NOT NULL);",

	"CREATE TABLE phase_progress ("
	" phase_id TEXT PRIMARY KEY, completed_at INTEGER, completed_by TEXT,"
	" override_reason TEXT);",

	"CREATE TABLE phase_signoffs ("
	" phase_id TEXT NOT NULL, signoff_id TEXT NOT NULL,"
	" operator TEXT NOT NULL, signed_at INTEGER NOT NULL, note TEXT,"
	" PRIMARY KEY (phase_id, signoff_id));",

	/* The registered brand brief (phase 1). */
	"CREATE TABLE brand_brief ("
	" id INTEGER PRIMARY KEY CHECK (id = 1), path TEXT NOT NULL,"
	" sha256 TEXT NOT NULL, registered_at INTEGER NOT NULL,"
	" registered_by TEXT NOT NULL);",

	/* Operator-approved values such as budget_cap_minor and target_roas. */
	"CREATE TABLE settings ("
	" key TEXT PRIMARY KEY, value TEXT NOT NULL,"
	" set_by TEXT NOT NULL, set_at INTEGER NOT NULL);",

	/* Weekly reviews (phase 9). */
	"CREATE TABLE reviews ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, operator TEXT NOT NULL,"
	" reviewed_at INTEGER NOT NULL, note TEXT);",

	/* state: open, acknowledged, snoozed, resolved. */
	"CREATE TABLE escalations ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
	" severity TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,"
	" evidence TEXT NOT NULL DEFAULT '{}', dedup_key TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'open', owner TEXT, snoozed_until INTEGER,"
	" created_at INTEGER NOT NULL, acknowledged_at INTEGER, resolved_at INTEGER,"
	" decision TEXT, decision_note TEXT);",
	"CREATE UNIQUE INDEX escalations_open_dedup ON escalations(dedup_key)"
	" WHERE state <> 'resolved';",
	"CREATE INDEX escalations_created ON escalations(created_at);",

	"CREATE TABLE escalation_events ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" escalation_id INTEGER NOT NULL REFERENCES escalations(id),"
	" at INTEGER NOT NULL, operator TEXT NOT NULL, client TEXT,"
	" action TEXT NOT NULL, note TEXT);",

	"CREATE TABLE audit_log ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
	" operator TEXT NOT NULL, client TEXT, action TEXT NOT NULL,"
	" target TEXT NOT NULL, detail TEXT);",
	NULL,
};

/* v3: what the metrics engine reads on every dashboard refresh. Covering
 * indexes serve the windowed sums; product_first_sale is a rollup kept by
 * triggers, so every writer (sync, tests, the sqlite3 shell) keeps it current. */
static const char *const schema_v3[] = {
	"CREATE INDEX orders_metrics ON orders"
	"(processed_at, cancelled_at, test, total_minor, customer_id);",
	"CREATE INDEX refunds_metrics ON refunds(created_at, order_id, amount_minor);",
	"CREATE INDEX abandoned_metrics ON abandoned_checkouts"
	"(created_at, completed_at, total_minor);",
	"CREATE INDEX conversations_metrics ON conversations(created_at, resolved_by_agent);",
	"CREATE INDEX ad_insights_day ON ad_insights_daily"
	"(day, currency, spend_minor, purchase_value_minor);",
	/* Refunds look their order's status up by id without touching the table. */
	"CREATE INDEX orders_id_status ON orders(id, cancelled_at, test);",
	/* Hours overlapping a window: the recent ends, not the whole history. */
	"CREATE INDEX activity_ended ON activity_intervals(ended_at);",
	"CREATE INDEX manual_hours_operator ON manual_hours(operator, started_at);",
	"CREATE INDEX manual_hours_ended ON manual_hours(started_at + seconds);",
	"CREATE INDEX ideas_product ON ideas(product_id);",

	/* Earliest processed_at of a non-cancelled, non-test order containing the
	 * product; no row while the product has no such order. */
	"CREATE TABLE product_first_sale ("
	" product_id TEXT PRIMARY KEY, first_sale_at INTEGER NOT NULL) WITHOUT ROWID;",
	"INSERT INTO product_first_sale(product_id, first_sale_at)"
	" SELECT li.product_id, MIN(o.processed_at) FROM line_items li"
	" JOIN orders o ON o.id = li.order_id"
	" WHERE li.product_id IS NOT NULL AND o.cancelled_at IS NULL AND o.test = 0"
	" GROUP BY li.product_id;",

	/* A new line item can only move the first sale earlier. */
	"CREATE TRIGGER product_first_sale_li_insert AFTER INSERT ON line_items"
	" WHEN NEW.product_id IS NOT NULL BEGIN"
	" INSERT INTO product_first_sale(product_id, first_sale_at)"
	"  SELECT NEW.product_id, o.processed_at FROM orders o"
	"  WHERE o.id = NEW.order_id AND o.cancelled_at IS NULL AND o.test = 0"
	"  ON CONFLICT(product_id) DO UPDATE"
	"  SET first_sale_at = MIN(first_sale_at, excluded.first_sale_at);"
	" END;",

	/* Removing a line item matters only when its order was the first sale,
	 * or is gone (an order delete cascading here): then recompute that product. */
	"CREATE TRIGGER product_first_sale_li_delete AFTER DELETE ON line_items"
	" WHEN OLD.product_id IS NOT NULL AND EXISTS (SELECT 1 FROM product_first_sale f"
	"  LEFT JOIN orders o ON o.id = OLD.order_id WHERE f.product_id = OLD.product_id"
	"  AND (o.id IS NULL OR o.processed_at = f.first_sale_at)) BEGIN"
	" DELETE FROM product_first_sale WHERE product_id = OLD.product_id;"
	" INSERT INTO product_first_sale(product_id, first_sale_at)"
	"  SELECT li.product_id, MIN(o.processed_at) FROM line_items li"
	"  JOIN orders o ON o.id = li.order_id"
	"  WHERE li.product_id = OLD.product_id AND o.cancelled_at IS NULL AND o.test = 0"
	"  GROUP BY li.product_id;"
	" END;",

	"CREATE TRIGGER product_first_sale_li_update AFTER UPDATE OF product_id, order_id"
	" ON line_items WHEN OLD.product_id IS NOT NEW.product_id"
	" OR OLD.order_id IS NOT NEW.order_id BEGIN"
	" DELETE FROM product_first_sale WHERE product_id IN (OLD.product_id, NEW.product_id);"
	" INSERT INTO product_first_sale(product_id, first_sale_at)"
	"  SELECT li.product_id, MIN(o.processed_at) FROM line_items li"
	"  JOIN orders o ON o.id = li.order_id"
	"  WHERE li.product_id IN (OLD.product_id, NEW.product_id)"
	"  AND o.cancelled_at IS NULL AND o.test = 0"
	"  GROUP BY li.product_id;"
	" END;",

	/* An order that now qualifies can only move its products' first sales
	 * earlier; one that stopped qualifying (cancelled, test, moved later)
	 * forces a recompute of the products whose first sale it was. */
	"CREATE TRIGGER product_first_sale_order_gain"
	" AFTER UPDATE OF processed_at, cancelled_at, test ON orders"
	" WHEN NEW.cancelled_at IS NULL AND NEW.test = 0"
	" AND (OLD.processed_at IS NOT NEW.processed_at"
	"  OR OLD.cancelled_at IS NOT NEW.cancelled_at OR OLD.test IS NOT NEW.test) BEGIN"
	" INSERT INTO product_first_sale(product_id, first_sale_at)"
	"  SELECT li.product_id, NEW.processed_at FROM line_items li"
	"  WHERE li.order_id = NEW.id AND li.product_id IS NOT NULL"
	"  ON CONFLICT(product_id) DO UPDATE"
	"  SET first_sale_at = MIN(first_sale_at, excluded.first_sale_at);"
	" END;",
	"CREATE TRIGGER product_first_sale_order_loss"
	" AFTER UPDATE OF processed_at, cancelled_at, test ON orders"
	" WHEN OLD.cancelled_at IS NULL AND OLD.test = 0"
	" AND (OLD.processed_at IS NOT NEW.processed_at"
	"  OR OLD.cancelled_at IS NOT NEW.cancelled_at OR OLD.test IS NOT NEW.test) BEGIN"
	" DELETE FROM product_first_sale WHERE first_sale_at = OLD.processed_at"
	"  AND product_id IN (SELECT product_id FROM line_items WHERE order_id = NEW.id);"
	" INSERT INTO product_first_sale(product_id, first_sale_at)"
	"  SELECT li.product_id, MIN(o.processed_at) FROM line_items li"
	"  JOIN orders o ON o.id = li.order_id"
	"  WHERE li.product_id IN (SELECT product_id FROM line_items WHERE order_id = NEW.id)"
	"  AND li.product_id NOT IN (SELECT product_id FROM product_first_sale)"
	"  AND o.cancelled_at IS NULL AND o.test = 0"
	"  GROUP BY li.product_id;"
	" END;",
	"CREATE TRIGGER product_first_sale_order_delete AFTER DELETE ON orders"
	" WHEN OLD.cancelled_at IS NULL AND OLD.test = 0 BEGIN"
	" DELETE FROM product_first_sale WHERE first_sale_at = OLD.processed_at"
	"  AND product_id IN (SELECT product_id FROM line_items WHERE order_id = OLD.id);"
	" INSERT INTO product_first_sale(product_id, first_sale_at)"
	"  SELECT li.product_id, MIN(o.processed_at) FROM line_items li"
	"  JOIN orders o ON o.id = li.order_id"
	"  WHERE li.product_id IN (SELECT product_id FROM line_items WHERE order_id = OLD.id)"
	"  AND li.product_id NOT IN (SELECT product_id FROM product_first_sale)"
	"  AND o.cancelled_at IS NULL AND o.test = 0"
	"  GROUP BY li.product_id;"
	" END;",
	NULL,
};

/* v4: the escalation inbox's own bookkeeping. */
static const char *const schema_v4[] = {
	/* Lookups over every state: a resolved episode still holds its key. */
	"CREATE INDEX escalations_dedup ON escalations(dedup_key);",

	/* Decisions the connector workers carry out; the UI and CLI only queue.
	 * state: pending, running, done, failed. */
	"CREATE TABLE escalation_actions ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" escalation_id INTEGER NOT NULL REFERENCES escalations(id),"
	" connector TEXT NOT NULL, action TEXT NOT NULL,"
	" payload TEXT NOT NULL DEFAULT '{}',"
	" state TEXT NOT NULL DEFAULT 'pending', result TEXT,"
	" operator TEXT NOT NULL, client TEXT,"
	" created_at INTEGER NOT NULL, done_at INTEGER);",
	"CREATE INDEX escalation_actions_pending ON escalation_actions(connector, state);",

	/* Webhook messages, drained by the notify worker. state: pending, sent, failed. */
	"CREATE TABLE notify_queue ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" escalation_id INTEGER NOT NULL REFERENCES escalations(id),"
	" text TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
	" attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
	" last_error TEXT, created_at INTEGER NOT NULL, sent_at INTEGER);",
	"CREATE INDEX notify_queue_due ON notify_queue(state, next_at);",

	/* A rule's condition that currently holds, since started_at: the episode
	 * that goes into the dedup key. A condition no longer seen is deleted, so
	 * when it comes back it starts a new episode. */
	"CREATE TABLE rule_episodes ("
	" rule TEXT NOT NULL, condition TEXT NOT NULL,"
	" started_at INTEGER NOT NULL, seen INTEGER NOT NULL DEFAULT 1,"
	" PRIMARY KEY (rule, condition));",

	/* Small values the rules remember between evaluations (last brief hash, baselines). */
	"CREATE TABLE rule_state ("
	" key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);",
	NULL,
};

/* v5: Relevance AI as the API really answers. Every state okdf saw each
 * conversation in, kept by triggers so every writer keeps it current: "resolved
 * by the agent" is completed and never seen needing a person. resolved_by_agent
 * read a field Relevance does not have. An agent's name is optional. */
static const char *const schema_v5[] = {
	"CREATE TABLE conversation_states ("
	" conversation_id TEXT NOT NULL, state TEXT NOT NULL, first_seen_at INTEGER NOT NULL,"
	" PRIMARY KEY (conversation_id, state)) WITHOUT ROWID;",
	"INSERT INTO conversation_states(conversation_id, state, first_seen_at)"
	" SELECT id, state, updated_at FROM conversations;",
	"CREATE TRIGGER conversation_states_insert AFTER INSERT ON conversations BEGIN"
	" INSERT OR IGNORE INTO conversation_states(conversation_id, state, first_seen_at)"
	"  VALUES (NEW.id, NEW.state, NEW.updated_at);"
	" END;",
	"CREATE TRIGGER conversation_states_update AFTER UPDATE OF state ON conversations"
	" WHEN NEW.state IS NOT OLD.state BEGIN"
	" INSERT OR IGNORE INTO conversation_states(conversation_id, state, first_seen_at)"
	"  VALUES (NEW.id, NEW.state, NEW.updated_at);"
	" END;",
	"CREATE TRIGGER conversation_states_delete AFTER DELETE ON conversations BEGIN"
	" DELETE FROM conversation_states WHERE conversation_id = OLD.id;"
	" END;",
	"DROP INDEX conversations_metrics;",
	"ALTER TABLE conversations DROP COLUMN resolved_by_agent;",
	"CREATE INDEX conversations_created_state ON conversations(created_at, state);",

	"ALTER TABLE agents RENAME TO agents_v4;",
	"CREATE TABLE agents ("
	" id TEXT PRIMARY KEY, name TEXT, kind TEXT NOT NULL,"
	" created_at INTEGER, last_run_at INTEGER, updated_at INTEGER NOT NULL);",
	"INSERT INTO agents SELECT id, name, kind, created_at, last_run_at, updated_at"
	" FROM agents_v4;",
	"DROP TABLE agents_v4;",
	NULL,
};

static const char *const *const schema_steps[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
	schema_v5,
};

#endif
