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

/* v6: a weekly review keeps the report it reviewed (okdf review add --report). */
static const char *const schema_v6_review_report[] = {
	"ALTER TABLE reviews ADD COLUMN report_week TEXT;",
	"ALTER TABLE reviews ADD COLUMN report TEXT;",
	NULL,
};

/* v7: what health shows of the last pass (throttle waits, seconds waited),
 * and records a connector could not use, kept with their error. */
static const char *const schema_v7[] = {
	"ALTER TABLE connector_health ADD COLUMN pass_throttle_waits INTEGER NOT NULL DEFAULT 0;",
	"ALTER TABLE connector_health ADD COLUMN pass_wait_seconds INTEGER NOT NULL DEFAULT 0;",
	"CREATE TABLE quarantine ("
	" id INTEGER PRIMARY KEY, connector TEXT NOT NULL, resource TEXT NOT NULL,"
	" record_id TEXT NOT NULL, error TEXT NOT NULL, payload TEXT NOT NULL,"
	" first_at INTEGER NOT NULL, last_at INTEGER NOT NULL,"
	" UNIQUE (connector, resource, record_id));",
	NULL,
};

/* v8: Klaviyo campaign revenue and connector warnings. */
static const char *const schema_v8[] = {
	/* Klaviyo's campaign values reports, one row per campaign and timeframe,
	 * as email_flow_stats is for flows. */
	"CREATE TABLE email_campaign_stats ("
	" campaign_id TEXT NOT NULL, timeframe TEXT NOT NULL,"
	" recipients INTEGER NOT NULL DEFAULT 0, conversions INTEGER NOT NULL DEFAULT 0,"
	" conversion_value_minor INTEGER NOT NULL DEFAULT 0, currency TEXT,"
	" fetched_at INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, timeframe));",
	/* What an otherwise working connector must tell the operator (a version
	 * fall-forward, a missing scope, a partial answer); NULL when nothing. */
	"ALTER TABLE connector_health ADD COLUMN warning TEXT;",
	NULL,
};

/* v9: flat cost as a store grows. Rollups kept by triggers, so every writer
 * (sync, tests, the sqlite3 shell) keeps them current inside its own
 * transaction; indexes for the rules and checks that scanned whole tables.
 * sales_q: per 15-minute UTC bucket (q = epoch / 900; every shop zone's day
 * starts on one), the gross and count of non-cancelled, non-test orders by
 * processed_at, and their refunds by refund created_at. */
static const char *const schema_v9[] = {
	"CREATE TABLE sales_q ("
	" q INTEGER PRIMARY KEY, gross INTEGER NOT NULL DEFAULT 0,"
	" orders INTEGER NOT NULL DEFAULT 0, refunds INTEGER NOT NULL DEFAULT 0);",
	"INSERT INTO sales_q(q, gross, orders)"
	" SELECT processed_at / 900, SUM(total_minor), COUNT(*) FROM orders"
	" WHERE cancelled_at IS NULL AND test = 0 GROUP BY 1;",
	"INSERT INTO sales_q(q, refunds)"
	" SELECT r.created_at / 900, SUM(r.amount_minor) FROM refunds r"
	" JOIN orders o ON o.id = r.order_id WHERE o.cancelled_at IS NULL AND o.test = 0"
	" GROUP BY 1 ON CONFLICT(q) DO UPDATE SET refunds = refunds + excluded.refunds;",

	"CREATE TRIGGER sales_q_order_insert AFTER INSERT ON orders"
	" WHEN NEW.cancelled_at IS NULL AND NEW.test = 0 BEGIN"
	" INSERT INTO sales_q(q, gross, orders) VALUES (NEW.processed_at / 900, NEW.total_minor, 1)"
	"  ON CONFLICT(q) DO UPDATE SET gross = gross + excluded.gross, orders = orders + 1;"
	" END;",
	/* Before the delete: its refunds still exist to be taken out. */
	"CREATE TRIGGER sales_q_order_delete BEFORE DELETE ON orders"
	" WHEN OLD.cancelled_at IS NULL AND OLD.test = 0 BEGIN"
	" UPDATE sales_q SET gross = gross - OLD.total_minor, orders = orders - 1"
	"  WHERE q = OLD.processed_at / 900;"
	" UPDATE sales_q SET refunds = refunds - (SELECT SUM(r.amount_minor) FROM refunds r"
	"  WHERE r.order_id = OLD.id AND r.created_at / 900 = sales_q.q)"
	"  WHERE q IN (SELECT created_at / 900 FROM refunds WHERE order_id = OLD.id);"
	" END;",
	"CREATE TRIGGER sales_q_order_update"
	" AFTER UPDATE OF processed_at, cancelled_at, test, total_minor ON orders"
	" WHEN OLD.processed_at IS NOT NEW.processed_at OR OLD.cancelled_at IS NOT NEW.cancelled_at"
	" OR OLD.test IS NOT NEW.test OR OLD.total_minor IS NOT NEW.total_minor BEGIN"
	" UPDATE sales_q SET gross = gross - OLD.total_minor, orders = orders - 1"
	"  WHERE q = OLD.processed_at / 900 AND OLD.cancelled_at IS NULL AND OLD.test = 0;"
	" INSERT INTO sales_q(q, gross, orders) SELECT NEW.processed_at / 900, NEW.total_minor, 1"
	"  WHERE NEW.cancelled_at IS NULL AND NEW.test = 0"
	"  ON CONFLICT(q) DO UPDATE SET gross = gross + excluded.gross, orders = orders + 1;"
	/* Its refunds count only while it qualifies: -1 leaving, +1 joining. */
	" INSERT INTO sales_q(q, refunds)"
	"  SELECT r.created_at / 900, SUM(r.amount_minor) * ((NEW.cancelled_at IS NULL"
	"   AND NEW.test = 0) - (OLD.cancelled_at IS NULL AND OLD.test = 0))"
	"  FROM refunds r WHERE r.order_id = NEW.id"
	"  AND (NEW.cancelled_at IS NULL AND NEW.test = 0) <> (OLD.cancelled_at IS NULL"
	"   AND OLD.test = 0) GROUP BY 1"
	"  ON CONFLICT(q) DO UPDATE SET refunds = refunds + excluded.refunds;"
	" END;",

	"CREATE TRIGGER sales_q_refund_insert AFTER INSERT ON refunds"
	" WHEN EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id"
	"  AND o.cancelled_at IS NULL AND o.test = 0) BEGIN"
	" INSERT INTO sales_q(q, refunds) VALUES (NEW.created_at / 900, NEW.amount_minor)"
	"  ON CONFLICT(q) DO UPDATE SET refunds = refunds + excluded.refunds;"
	" END;",
	"CREATE TRIGGER sales_q_refund_delete AFTER DELETE ON refunds"
	" WHEN EXISTS (SELECT 1 FROM orders o WHERE o.id = OLD.order_id"
	"  AND o.cancelled_at IS NULL AND o.test = 0) BEGIN"
	" UPDATE sales_q SET refunds = refunds - OLD.amount_minor WHERE q = OLD.created_at / 900;"
	" END;",
	"CREATE TRIGGER sales_q_refund_update"
	" AFTER UPDATE OF created_at, amount_minor, order_id ON refunds"
	" WHEN OLD.created_at IS NOT NEW.created_at OR OLD.amount_minor IS NOT NEW.amount_minor"
	" OR OLD.order_id IS NOT NEW.order_id BEGIN"
	" UPDATE sales_q SET refunds = refunds - OLD.amount_minor WHERE q = OLD.created_at / 900"
	"  AND EXISTS (SELECT 1 FROM orders o WHERE o.id = OLD.order_id"
	"  AND o.cancelled_at IS NULL AND o.test = 0);"
	" INSERT INTO sales_q(q, refunds) SELECT NEW.created_at / 900, NEW.amount_minor"
	"  WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id"
	"  AND o.cancelled_at IS NULL AND o.test = 0)"
	"  ON CONFLICT(q) DO UPDATE SET refunds = refunds + excluded.refunds;"
	" END;",

	/* How many orders are stored, without counting them. */
	"CREATE TABLE row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;",
	"INSERT INTO row_counts(name, n) SELECT 'orders', COUNT(*) FROM orders;",
	"CREATE TRIGGER row_counts_order_insert AFTER INSERT ON orders BEGIN"
	" UPDATE row_counts SET n = n + 1 WHERE name = 'orders';"
	" END;",
	"CREATE TRIGGER row_counts_order_delete AFTER DELETE ON orders BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE name = 'orders';"
	" END;",

	/* Each shipping country's first non-cancelled, non-test order. */
	"CREATE INDEX orders_country ON orders(shipping_country, processed_at)"
	" WHERE cancelled_at IS NULL AND test = 0;",
	"CREATE TABLE market_first_order ("
	" country TEXT PRIMARY KEY, first_at INTEGER NOT NULL) WITHOUT ROWID;",
	"CREATE INDEX market_first_order_at ON market_first_order(first_at);",
	"INSERT INTO market_first_order(country, first_at)"
	" SELECT shipping_country, MIN(processed_at) FROM orders"
	" WHERE cancelled_at IS NULL AND test = 0 AND coalesce(shipping_country, '') <> ''"
	" GROUP BY shipping_country;",
	"CREATE TRIGGER market_first_order_insert AFTER INSERT ON orders"
	" WHEN NEW.cancelled_at IS NULL AND NEW.test = 0"
	" AND coalesce(NEW.shipping_country, '') <> '' BEGIN"
	" INSERT INTO market_first_order(country, first_at)"
	"  VALUES (NEW.shipping_country, NEW.processed_at)"
	"  ON CONFLICT(country) DO UPDATE SET first_at = MIN(first_at, excluded.first_at);"
	" END;",
	/* A first order leaving (deleted, cancelled, moved): recompute its
	 * country from the index; one joining can only move the first earlier. */
	"CREATE TRIGGER market_first_order_delete AFTER DELETE ON orders"
	" WHEN OLD.cancelled_at IS NULL AND OLD.test = 0 AND EXISTS (SELECT 1"
	"  FROM market_first_order m WHERE m.country = OLD.shipping_country"
	"  AND m.first_at = OLD.processed_at) BEGIN"
	" DELETE FROM market_first_order WHERE country = OLD.shipping_country;"
	" INSERT INTO market_first_order(country, first_at)"
	"  SELECT shipping_country, MIN(processed_at) FROM orders"
	"  WHERE shipping_country = OLD.shipping_country AND cancelled_at IS NULL AND test = 0"
	"  GROUP BY shipping_country;"
	" END;",
	"CREATE TRIGGER market_first_order_update"
	" AFTER UPDATE OF processed_at, cancelled_at, test, shipping_country ON orders"
	" WHEN OLD.processed_at IS NOT NEW.processed_at OR OLD.cancelled_at IS NOT NEW.cancelled_at"
	" OR OLD.test IS NOT NEW.test OR OLD.shipping_country IS NOT NEW.shipping_country BEGIN"
	" DELETE FROM market_first_order WHERE country = OLD.shipping_country"
	"  AND first_at = OLD.processed_at AND OLD.cancelled_at IS NULL AND OLD.test = 0;"
	" INSERT INTO market_first_order(country, first_at)"
	"  SELECT shipping_country, MIN(processed_at) FROM orders"
	"  WHERE shipping_country = OLD.shipping_country AND cancelled_at IS NULL AND test = 0"
	"  AND coalesce(shipping_country, '') <> ''"
	"  AND NOT EXISTS (SELECT 1 FROM market_first_order WHERE country = OLD.shipping_country)"
	"  GROUP BY shipping_country;"
	" INSERT INTO market_first_order(country, first_at)"
	"  SELECT NEW.shipping_country, NEW.processed_at"
	"  WHERE NEW.cancelled_at IS NULL AND NEW.test = 0"
	"  AND coalesce(NEW.shipping_country, '') <> ''"
	"  ON CONFLICT(country) DO UPDATE SET first_at = MIN(first_at, excluded.first_at);"
	" END;",

	/* abandoned_checkouts per 15-minute bucket of created_at; recovered =
	 * completed at any time (readers take out those completed after their now). */
	"CREATE TABLE checkouts_q ("
	" q INTEGER PRIMARY KEY, total INTEGER NOT NULL DEFAULT 0, n INTEGER NOT NULL DEFAULT 0,"
	" rec_total INTEGER NOT NULL DEFAULT 0, rec_n INTEGER NOT NULL DEFAULT 0);",
	"INSERT INTO checkouts_q(q, total, n, rec_total, rec_n)"
	" SELECT created_at / 900, SUM(total_minor), COUNT(*),"
	" SUM(CASE WHEN completed_at IS NOT NULL THEN total_minor ELSE 0 END),"
	" SUM(completed_at IS NOT NULL) FROM abandoned_checkouts GROUP BY 1;",
	"CREATE INDEX abandoned_completed ON abandoned_checkouts(completed_at);",
	"CREATE TRIGGER checkouts_q_insert AFTER INSERT ON abandoned_checkouts BEGIN"
	" INSERT INTO checkouts_q(q, total, n, rec_total, rec_n) VALUES (NEW.created_at / 900,"
	"  NEW.total_minor, 1, CASE WHEN NEW.completed_at IS NOT NULL THEN NEW.total_minor"
	"  ELSE 0 END, NEW.completed_at IS NOT NULL)"
	"  ON CONFLICT(q) DO UPDATE SET total = total + excluded.total, n = n + 1,"
	"  rec_total = rec_total + excluded.rec_total, rec_n = rec_n + excluded.rec_n;"
	" END;",
	"CREATE TRIGGER checkouts_q_delete AFTER DELETE ON abandoned_checkouts BEGIN"
	" UPDATE checkouts_q SET total = total - OLD.total_minor, n = n - 1,"
	"  rec_total = rec_total - CASE WHEN OLD.completed_at IS NOT NULL THEN OLD.total_minor"
	"  ELSE 0 END, rec_n = rec_n - (OLD.completed_at IS NOT NULL)"
	"  WHERE q = OLD.created_at / 900;"
	" END;",
	"CREATE TRIGGER checkouts_q_update"
	" AFTER UPDATE OF created_at, completed_at, total_minor ON abandoned_checkouts"
	" WHEN OLD.created_at IS NOT NEW.created_at OR OLD.completed_at IS NOT NEW.completed_at"
	" OR OLD.total_minor IS NOT NEW.total_minor BEGIN"
	" UPDATE checkouts_q SET total = total - OLD.total_minor, n = n - 1,"
	"  rec_total = rec_total - CASE WHEN OLD.completed_at IS NOT NULL THEN OLD.total_minor"
	"  ELSE 0 END, rec_n = rec_n - (OLD.completed_at IS NOT NULL)"
	"  WHERE q = OLD.created_at / 900;"
	" INSERT INTO checkouts_q(q, total, n, rec_total, rec_n) VALUES (NEW.created_at / 900,"
	"  NEW.total_minor, 1, CASE WHEN NEW.completed_at IS NOT NULL THEN NEW.total_minor"
	"  ELSE 0 END, NEW.completed_at IS NOT NULL)"
	"  ON CONFLICT(q) DO UPDATE SET total = total + excluded.total, n = n + 1,"
	"  rec_total = rec_total + excluded.rec_total, rec_n = rec_n + excluded.rec_n;"
	" END;",

	/* Conversations per 15-minute bucket of created_at, and those the agent
	 * resolved alone (completed, never seen needing a person). conv_alone
	 * holds what each conversation last added, so any change to it or its
	 * state history takes that out and adds it afresh. */
	"CREATE TABLE conversations_q ("
	" q INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, alone INTEGER NOT NULL DEFAULT 0);",
	"CREATE TABLE conv_alone ("
	" conversation_id TEXT PRIMARY KEY, q INTEGER NOT NULL, alone INTEGER NOT NULL)"
	" WITHOUT ROWID;",
	"INSERT INTO conv_alone(conversation_id, q, alone)"
	" SELECT id, created_at / 900, state = 'completed' AND NOT EXISTS (SELECT 1"
	"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval')) FROM conversations c;",
	"INSERT INTO conversations_q(q, n, alone)"
	" SELECT q, COUNT(*), SUM(alone) FROM conv_alone GROUP BY q;",
	"CREATE TRIGGER conv_alone_insert AFTER INSERT ON conversations BEGIN"
	" UPDATE conversations_q SET n = n - 1, alone = alone - (SELECT alone FROM conv_alone"
	"  WHERE conversation_id = NEW.id) WHERE q = (SELECT q FROM conv_alone"
	"  WHERE conversation_id = NEW.id);"
	" DELETE FROM conv_alone WHERE conversation_id = NEW.id;"
	" INSERT INTO conv_alone(conversation_id, q, alone)"
	"  SELECT id, created_at / 900, state = 'completed' AND NOT EXISTS (SELECT 1"
	"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval'))"
	"  FROM conversations c WHERE c.id = NEW.id;"
	" INSERT INTO conversations_q(q, n, alone)"
	"  SELECT q, 1, alone FROM conv_alone WHERE conversation_id = NEW.id"
	"  ON CONFLICT(q) DO UPDATE SET n = n + 1, alone = alone + excluded.alone;"
	" END;",
	"CREATE TRIGGER conv_alone_update AFTER UPDATE OF id, state, created_at ON conversations BEGIN"
	" UPDATE conversations_q SET n = n - 1, alone = alone - (SELECT alone FROM conv_alone"
	"  WHERE conversation_id = NEW.id) WHERE q = (SELECT q FROM conv_alone"
	"  WHERE conversation_id = NEW.id);"
	" DELETE FROM conv_alone WHERE conversation_id = NEW.id;"
	" INSERT INTO conv_alone(conversation_id, q, alone)"
	"  SELECT id, created_at / 900, state = 'completed' AND NOT EXISTS (SELECT 1"
	"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval'))"
	"  FROM conversations c WHERE c.id = NEW.id;"
	" INSERT INTO conversations_q(q, n, alone)"
	"  SELECT q, 1, alone FROM conv_alone WHERE conversation_id = NEW.id"
	"  ON CONFLICT(q) DO UPDATE SET n = n + 1, alone = alone + excluded.alone;"
	" END;",
	"CREATE TRIGGER conv_alone_delete AFTER DELETE ON conversations BEGIN"
	" UPDATE conversations_q SET n = n - 1, alone = alone - (SELECT alone FROM conv_alone"
	"  WHERE conversation_id = OLD.id) WHERE q = (SELECT q FROM conv_alone"
	"  WHERE conversation_id = OLD.id);"
	" DELETE FROM conv_alone WHERE conversation_id = OLD.id;"
	" INSERT INTO conv_alone(conversation_id, q, alone)"
	"  SELECT id, created_at / 900, state = 'completed' AND NOT EXISTS (SELECT 1"
	"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval'))"
	"  FROM conversations c WHERE c.id = OLD.id;"
	" INSERT INTO conversations_q(q, n, alone)"
	"  SELECT q, 1, alone FROM conv_alone WHERE conversation_id = OLD.id"
	"  ON CONFLICT(q) DO UPDATE SET n = n + 1, alone = alone + excluded.alone;"
	" END;",
	"CREATE TRIGGER conv_alone_state_insert AFTER INSERT ON conversation_states BEGIN"
	" UPDATE conversations_q SET n = n - 1, alone = alone - (SELECT alone FROM conv_alone"
	"  WHERE conversation_id = NEW.conversation_id) WHERE q = (SELECT q FROM conv_alone"
	"  WHERE conversation_id = NEW.conversation_id);"
	" DELETE FROM conv_alone WHERE conversation_id = NEW.conversation_id;"
	" INSERT INTO conv_alone(conversation_id, q, alone)"
	"  SELECT id, created_at / 900, state = 'completed' AND NOT EXISTS (SELECT 1"
	"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval'))"
	"  FROM conversations c WHERE c.id = NEW.conversation_id;"
	" INSERT INTO conversations_q(q, n, alone)"
	"  SELECT q, 1, alone FROM conv_alone WHERE conversation_id = NEW.conversation_id"
	"  ON CONFLICT(q) DO UPDATE SET n = n + 1, alone = alone + excluded.alone;"
	" END;",
	"CREATE TRIGGER conv_alone_state_delete AFTER DELETE ON conversation_states BEGIN"
	" UPDATE conversations_q SET n = n - 1, alone = alone - (SELECT alone FROM conv_alone"
	"  WHERE conversation_id = OLD.conversation_id) WHERE q = (SELECT q FROM conv_alone"
	"  WHERE conversation_id = OLD.conversation_id);"
	" DELETE FROM conv_alone WHERE conversation_id = OLD.conversation_id;"
	" INSERT INTO conv_alone(conversation_id, q, alone)"
	"  SELECT id, created_at / 900, state = 'completed' AND NOT EXISTS (SELECT 1"
	"  FROM conversation_states s WHERE s.conversation_id = c.id AND s.state IN"
	"  ('escalated', 'pending-approval', 'errored-pending-approval'))"
	"  FROM conversations c WHERE c.id = OLD.conversation_id;"
	" INSERT INTO conversations_q(q, n, alone)"
	"  SELECT q, 1, alone FROM conv_alone WHERE conversation_id = OLD.conversation_id"
	"  ON CONFLICT(q) DO UPDATE SET n = n + 1, alone = alone + excluded.alone;"
	" END;",
	/* A renamed conversation leaves its old id's share behind. */
	"CREATE TRIGGER conv_alone_rename AFTER UPDATE OF id ON conversations"
	" WHEN OLD.id IS NOT NEW.id BEGIN"
	" UPDATE conversations_q SET n = n - 1, alone = alone - (SELECT alone FROM conv_alone"
	"  WHERE conversation_id = OLD.id) WHERE q = (SELECT q FROM conv_alone"
	"  WHERE conversation_id = OLD.id);"
	" DELETE FROM conv_alone WHERE conversation_id = OLD.id;"
	" END;",

	/* Each customer's last two non-cancelled, non-test orders, and per
	 * 15-minute bucket how many customers have their last (second-last)
	 * order there: customers with >= 1 (>= 2) orders since a time are then
	 * a sum of buckets, when no order comes after the window's end. */
	"CREATE INDEX orders_customer_time ON orders(customer_id, processed_at)"
	" WHERE cancelled_at IS NULL AND test = 0;",
	"CREATE TABLE customer_last2 ("
	" customer_id TEXT PRIMARY KEY, last_at INTEGER NOT NULL, prev_at INTEGER) WITHOUT ROWID;",
	"CREATE TABLE customers_q ("
	" q INTEGER PRIMARY KEY, last_n INTEGER NOT NULL DEFAULT 0,"
	" prev_n INTEGER NOT NULL DEFAULT 0);",
	"INSERT INTO customer_last2(customer_id, last_at, prev_at)"
	" SELECT customer_id, MAX(CASE WHEN rn = 1 THEN processed_at END),"
	" MAX(CASE WHEN rn = 2 THEN processed_at END) FROM (SELECT customer_id, processed_at,"
	"  row_number() OVER (PARTITION BY customer_id ORDER BY processed_at DESC) AS rn"
	"  FROM orders WHERE cancelled_at IS NULL AND test = 0 AND customer_id IS NOT NULL)"
	" WHERE rn <= 2 GROUP BY customer_id;",
	"INSERT INTO customers_q(q, last_n) SELECT last_at / 900, COUNT(*) FROM customer_last2"
	" GROUP BY 1;",
	"INSERT INTO customers_q(q, prev_n) SELECT prev_at / 900, COUNT(*) FROM customer_last2"
	" WHERE prev_at IS NOT NULL GROUP BY 1"
	" ON CONFLICT(q) DO UPDATE SET prev_n = prev_n + excluded.prev_n;",
	"CREATE TRIGGER customer_last2_insert AFTER INSERT ON orders WHEN NEW.customer_id IS NOT NULL AND"
	" NEW.cancelled_at IS NULL AND NEW.test = 0 BEGIN"
	" UPDATE customers_q SET last_n = last_n - 1 WHERE q = (SELECT last_at / 900"
	"  FROM customer_last2 WHERE customer_id = NEW.customer_id);"
	" UPDATE customers_q SET prev_n = prev_n - 1 WHERE q = (SELECT prev_at / 900"
	"  FROM customer_last2 WHERE customer_id = NEW.customer_id);"
	" DELETE FROM customer_last2 WHERE customer_id = NEW.customer_id;"
	" INSERT INTO customer_last2(customer_id, last_at, prev_at)"
	"  SELECT NEW.customer_id, MAX(processed_at), (SELECT processed_at FROM orders"
	"  WHERE customer_id = NEW.customer_id AND cancelled_at IS NULL AND test = 0"
	"  ORDER BY processed_at DESC LIMIT 1 OFFSET 1) FROM orders"
	"  WHERE customer_id = NEW.customer_id AND cancelled_at IS NULL AND test = 0"
	"  HAVING COUNT(*) > 0;"
	" INSERT INTO customers_q(q, last_n) SELECT last_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = NEW.customer_id ON CONFLICT(q) DO UPDATE SET last_n = last_n + 1;"
	" INSERT INTO customers_q(q, prev_n) SELECT prev_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = NEW.customer_id AND prev_at IS NOT NULL"
	"  ON CONFLICT(q) DO UPDATE SET prev_n = prev_n + 1;"
	" END;",
	"CREATE TRIGGER customer_last2_delete AFTER DELETE ON orders WHEN OLD.customer_id IS NOT NULL AND"
	" OLD.cancelled_at IS NULL AND OLD.test = 0 BEGIN"
	" UPDATE customers_q SET last_n = last_n - 1 WHERE q = (SELECT last_at / 900"
	"  FROM customer_last2 WHERE customer_id = OLD.customer_id);"
	" UPDATE customers_q SET prev_n = prev_n - 1 WHERE q = (SELECT prev_at / 900"
	"  FROM customer_last2 WHERE customer_id = OLD.customer_id);"
	" DELETE FROM customer_last2 WHERE customer_id = OLD.customer_id;"
	" INSERT INTO customer_last2(customer_id, last_at, prev_at)"
	"  SELECT OLD.customer_id, MAX(processed_at), (SELECT processed_at FROM orders"
	"  WHERE customer_id = OLD.customer_id AND cancelled_at IS NULL AND test = 0"
	"  ORDER BY processed_at DESC LIMIT 1 OFFSET 1) FROM orders"
	"  WHERE customer_id = OLD.customer_id AND cancelled_at IS NULL AND test = 0"
	"  HAVING COUNT(*) > 0;"
	" INSERT INTO customers_q(q, last_n) SELECT last_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = OLD.customer_id ON CONFLICT(q) DO UPDATE SET last_n = last_n + 1;"
	" INSERT INTO customers_q(q, prev_n) SELECT prev_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = OLD.customer_id AND prev_at IS NOT NULL"
	"  ON CONFLICT(q) DO UPDATE SET prev_n = prev_n + 1;"
	" END;",
	"CREATE TRIGGER customer_last2_update AFTER UPDATE OF customer_id, processed_at, cancelled_at, test ON"
	" orders WHEN OLD.customer_id IS NOT NEW.customer_id OR OLD.processed_at"
	" IS NOT NEW.processed_at OR OLD.cancelled_at IS NOT NEW.cancelled_at OR"
	" OLD.test IS NOT NEW.test BEGIN"
	" UPDATE customers_q SET last_n = last_n - 1 WHERE q = (SELECT last_at / 900"
	"  FROM customer_last2 WHERE customer_id = OLD.customer_id);"
	" UPDATE customers_q SET prev_n = prev_n - 1 WHERE q = (SELECT prev_at / 900"
	"  FROM customer_last2 WHERE customer_id = OLD.customer_id);"
	" DELETE FROM customer_last2 WHERE customer_id = OLD.customer_id;"
	" INSERT INTO customer_last2(customer_id, last_at, prev_at)"
	"  SELECT OLD.customer_id, MAX(processed_at), (SELECT processed_at FROM orders"
	"  WHERE customer_id = OLD.customer_id AND cancelled_at IS NULL AND test = 0"
	"  ORDER BY processed_at DESC LIMIT 1 OFFSET 1) FROM orders"
	"  WHERE customer_id = OLD.customer_id AND cancelled_at IS NULL AND test = 0"
	"  HAVING COUNT(*) > 0;"
	" INSERT INTO customers_q(q, last_n) SELECT last_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = OLD.customer_id ON CONFLICT(q) DO UPDATE SET last_n = last_n + 1;"
	" INSERT INTO customers_q(q, prev_n) SELECT prev_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = OLD.customer_id AND prev_at IS NOT NULL"
	"  ON CONFLICT(q) DO UPDATE SET prev_n = prev_n + 1;"
	" UPDATE customers_q SET last_n = last_n - 1 WHERE q = (SELECT last_at / 900"
	"  FROM customer_last2 WHERE customer_id = NEW.customer_id);"
	" UPDATE customers_q SET prev_n = prev_n - 1 WHERE q = (SELECT prev_at / 900"
	"  FROM customer_last2 WHERE customer_id = NEW.customer_id);"
	" DELETE FROM customer_last2 WHERE customer_id = NEW.customer_id;"
	" INSERT INTO customer_last2(customer_id, last_at, prev_at)"
	"  SELECT NEW.customer_id, MAX(processed_at), (SELECT processed_at FROM orders"
	"  WHERE customer_id = NEW.customer_id AND cancelled_at IS NULL AND test = 0"
	"  ORDER BY processed_at DESC LIMIT 1 OFFSET 1) FROM orders"
	"  WHERE customer_id = NEW.customer_id AND cancelled_at IS NULL AND test = 0"
	"  HAVING COUNT(*) > 0;"
	" INSERT INTO customers_q(q, last_n) SELECT last_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = NEW.customer_id ON CONFLICT(q) DO UPDATE SET last_n = last_n + 1;"
	" INSERT INTO customers_q(q, prev_n) SELECT prev_at / 900, 1 FROM customer_last2"
	"  WHERE customer_id = NEW.customer_id AND prev_at IS NOT NULL"
	"  ON CONFLICT(q) DO UPDATE SET prev_n = prev_n + 1;"
	" END;",

	/* Conversations by state (approvals, stuck ones) and by last update (keywords). */
	"CREATE INDEX conversations_state ON conversations(state, updated_at);",
	"CREATE INDEX conversations_updated ON conversations(updated_at);",
	NULL,
};

/* v10: what a person needs to decide (issue 13): a conversation's customer
 * messages and the agent's pending action, read from the task view while
 * it needs a person, and Meta's review feedback of an ad. */
static const char *const schema_v10_evidence[] = {
	"CREATE TABLE conversation_evidence ("
	" conversation_id TEXT PRIMARY KEY,"
	" messages TEXT NOT NULL," /* JSON [{"at":epoch,"text"}], oldest first, bounded */
	" tool TEXT, params TEXT," /* params: JSON object of strings, bounded */
	" amount TEXT,"
	" fetched_at INTEGER NOT NULL);",
	"ALTER TABLE ads ADD COLUMN review_feedback TEXT;",
	NULL,
};

static const char *const *const schema_steps[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
	schema_v5,
	schema_v6_review_report,
	schema_v7,
	schema_v8,
	schema_v9,
	schema_v10_evidence,
};

#endif
