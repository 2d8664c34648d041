#include "gen.h"

#include "src/store/db_private.h"
#include "okdf/core/timeutil.h"
#include "okdf/store/db.h"

#define SPAN_DAYS BENCH_SPAN_DAYS
#define TZ BENCH_TZ

/* ?1 = start of the history, ?2 = its length in seconds, ?3 = now, ?4 orders,
 * ?5 abandoned checkouts, ?6 conversations, ?7 distinct customers. */
static const char *const generate_sql[] = {
	"INSERT INTO shop(id, name, currency, iana_timezone, synced_at)"
	" VALUES (1, 'Bench', 'USD', '" TZ "', ?3)",

	"WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < 319)"
	" INSERT INTO products(id, title, status, created_at, updated_at, has_description,"
	" min_price_minor, currency)"
	" SELECT 'p' || j, 'Product ' || j, CASE WHEN j % 37 = 5 THEN 'draft' ELSE 'active' END,"
	" CASE WHEN j < 300 THEN ?1 + j * 203040 + 3600 ELSE ?1 + (710 + j - 300) * 86400 END,"
	" ?3, 1, 1999, 'USD' FROM n",

	"INSERT INTO ideas(title, idea_at, product_id, created_by, created_at)"
	" SELECT 'Idea for ' || title, created_at - 10 * 86400, id, 'ana', created_at"
	" FROM products WHERE CAST(substr(id, 2) AS INTEGER) % 3 = 0",
	"WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < 19)"
	" INSERT INTO ideas(title, idea_at, product_id, created_by, created_at)"
	" SELECT 'Unlinked idea ' || j, ?3 - j * 5 * 86400, NULL, 'bo', ?3 FROM n",

	/* Product j (< 300) is created every 2.35 days and starts selling about
	 * 12 days later; p300..p319 are created in the last 20 days and never sell. */
	"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?4 - 1)"
	" INSERT INTO orders(id, name, created_at, processed_at, updated_at, cancelled_at, test,"
	" total_minor, currency, presentment_total_minor, presentment_currency, customer_id,"
	" financial_status)"
	" SELECT 'o' || i, '#' || (1000 + i), t, t, t,"
	" CASE WHEN i % 50 = 7 THEN t + 3600 END, i % 200 = 3,"
	" 1000 + abs(random()) % 19000, 'USD',"
	" CASE WHEN i % 10 = 1 THEN 900 + abs(random()) % 17000 END,"
	" CASE WHEN i % 10 = 1 THEN 'EUR' END,"
	" CASE WHEN i % 9 = 4 THEN NULL ELSE 'c' || (abs(random()) % ?7) END, 'paid'"
	" FROM (SELECT i, ?1 + i * ?2 / ?4 + abs(random()) % 60 AS t FROM n)",

	"INSERT INTO line_items(id, order_id, product_id, title, quantity, price_minor, currency)"
	" SELECT 'l' || o.rowid || '-' || k.k, o.id,"
	" 'p' || (abs(random()) % (1 + max(0, min(299,"
	"  (o.processed_at - ?1 - 12 * 86400) / 203040)))),"
	" 'item', 1, 1000, 'USD'"
	" FROM orders o JOIN (SELECT 1 AS k UNION ALL SELECT 2) k"
	" ON k.k = 1 OR o.rowid % 2 = 0",

	"INSERT INTO refunds(id, order_id, created_at, amount_minor, currency)"
	" SELECT 'r' || rowid, id, processed_at + 86400 * (1 + abs(random()) % 20),"
	" CASE WHEN rowid % 3 = 0 THEN total_minor ELSE total_minor / 4 END, 'USD'"
	" FROM orders WHERE rowid % 20 = 5",

	"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?5 - 1)"
	" INSERT INTO abandoned_checkouts(id, created_at, updated_at, completed_at, total_minor,"
	" currency, customer_id)"
	" SELECT 'a' || i, t, t, CASE WHEN i % 8 = 0 THEN t + 7200 END,"
	" 1000 + abs(random()) % 19000, 'USD', 'c' || (abs(random()) % ?7)"
	" FROM (SELECT i, ?1 + i * ?2 / ?5 AS t FROM n)",

	"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?6 - 1)"
	" INSERT INTO conversations(id, agent_id, state, title, created_at, updated_at)"
	" SELECT 'k' || i, 'agent1',"
	" CASE WHEN abs(random()) % 10 < 8 THEN 'completed' ELSE 'escalated' END,"
	" 'Question', t, t"
	" FROM (SELECT i, ?1 + i * ?2 / ?6 AS t FROM n)",
	/* A person answers an escalation within the day: older ones are completed,
	 * their escalation kept in conversation_states. */
	"UPDATE conversations SET state = 'completed', updated_at = updated_at + 3600"
	" WHERE state = 'escalated' AND created_at < ?3 - 86400",

	"WITH RECURSIVE d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < 729),"
	" c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < 9)"
	" INSERT INTO ad_insights_daily(campaign_id, day, spend_minor, purchases,"
	" purchase_value_minor, currency, synced_at)"
	" SELECT 'm' || k, date(?1 + j * 86400, 'unixepoch'), 5000 + abs(random()) % 5000,"
	" abs(random()) % 10, abs(random()) % 40000, 'USD', ?3 FROM d, c",

	/* Three operators, four sessions a day; ana also logs an hour by hand. */
	"WITH RECURSIVE d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < 729),"
	" s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 3),"
	" o(name) AS (VALUES ('ana'), ('bo'), ('cy'))"
	" INSERT INTO activity_intervals(operator, started_at, ended_at)"
	" SELECT name, t, t + 1800 + abs(random()) % 3600"
	" FROM (SELECT name, ?1 + j * 86400 + 13 * 3600 + k * 7200 + abs(random()) % 1800 AS t"
	"  FROM d, s, o) WHERE t < ?3",
	"WITH RECURSIVE d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < 729)"
	" INSERT INTO manual_hours(operator, started_at, seconds, note, created_at)"
	" SELECT 'ana', ?1 + j * 86400 + 14 * 3600, 3600, 'calls', ?3 FROM d",
	NULL,
};

int bench_generate(okdf_db *db, long long now, long long n_orders, okdf_err *e)
{
	long long span = SPAN_DAYS * 86400LL, start = now - span;
	/* A page cache holding the indexes keeps a 10 M-order build in minutes. */
	sqlite3_exec(db_sqlite(db), "PRAGMA cache_size = -2000000", NULL, NULL, NULL);
	int rc = db_begin(db, e);
	for (const char *const *q = generate_sql; *q && !rc; q++) {
		sqlite3_stmt *st;
		if ((rc = db_prepare(db, *q, &st, e)))
			break;
		const long long v[] = { start, span, now, n_orders, n_orders * 3 / 10,
			n_orders / 10, n_orders / 5 };
		int n = sqlite3_bind_parameter_count(st);
		for (int i = 0; i < n && i < 7; i++)
			sqlite3_bind_int64(st, i + 1, v[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, e, "generating");
		sqlite3_finalize(st);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db, e)))
		return rc;
	/* Fold the generated pages back into the database file: a refresh then
	 * reads the store as a long-running one, not through a huge WAL. */
	if (sqlite3_exec(db_sqlite(db), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, e, "checkpoint");
	sqlite3_exec(db_sqlite(db), "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	return OKDF_OK;
}

/* The same numbers in plain SQL for the shell: per window the sales,
 * refunds, repeat customers, cart recovery, agent share, ads and operator
 * hours (gaps-and-islands union), TTR from line items without the rollup,
 * and the 30-day series. Day bounds come from C (the shell has no IANA
 * zones). */
int bench_write_baseline(FILE *f, long long now, okdf_err *e)
{
	okdf_date today;
	int rc = tz_date_of(TZ, now, &today, e);
	if (rc)
		return rc;
	static const int windows[] = { 1, 7, 30 };
	long long day[31];
	for (int i = 0; i <= 30; i++)
		if ((rc = tz_day_start(TZ, date_add_days(today, i - 29), &day[i], e)))
			return rc;
	long long end = now + 1;
	for (int w = 0; w < 3; w++) {
		long long from = day[30 - windows[w]];
		char a[11], b[11];
		date_format(date_add_days(today, 1 - windows[w]), a, sizeof a);
		date_format(today, b, sizeof b);
		fprintf(f,
			"SELECT sum(total_minor), count(*) FROM orders WHERE processed_at >= %lld"
			" AND processed_at < %lld AND cancelled_at IS NULL AND test = 0;\n"
			"SELECT sum(r.amount_minor) FROM refunds r JOIN orders o ON o.id = r.order_id"
			" WHERE r.created_at >= %lld AND r.created_at < %lld"
			" AND o.cancelled_at IS NULL AND o.test = 0;\n"
			"SELECT count(*), sum(n >= 2) FROM (SELECT count(*) AS n FROM orders"
			" WHERE processed_at >= %lld AND processed_at < %lld AND cancelled_at IS NULL"
			" AND test = 0 AND customer_id IS NOT NULL GROUP BY customer_id);\n"
			"SELECT sum(total_minor), sum(CASE WHEN completed_at <= %lld THEN total_minor END),"
			" count(*), sum(completed_at <= %lld) FROM abandoned_checkouts"
			" WHERE created_at >= %lld AND created_at < %lld;\n"
			"SELECT count(*), sum(state = 'completed') FROM conversations"
			" WHERE created_at >= %lld AND created_at < %lld;\n"
			"SELECT sum(spend_minor), sum(purchase_value_minor) FROM ad_insights_daily"
			" WHERE day >= '%s' AND day <= '%s' AND currency = 'USD';\n",
			from, end, from, end, from, end, now, now, from, end, from, end, a, b);
		fprintf(f,
			"WITH s AS (SELECT operator, max(started_at, %lld) AS s, min(ended_at, %lld) AS e"
			"  FROM activity_intervals WHERE started_at < %lld AND ended_at > %lld"
			"  UNION ALL SELECT operator, max(started_at, %lld), min(started_at + seconds, %lld)"
			"  FROM manual_hours WHERE started_at < %lld AND started_at + seconds > %lld),"
			" m AS (SELECT operator, s, e, max(e) OVER (PARTITION BY operator ORDER BY s, e"
			"  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM s),"
			" g AS (SELECT operator, s, e, sum(CASE WHEN prev IS NULL OR s > prev THEN 1"
			"  ELSE 0 END) OVER (PARTITION BY operator ORDER BY s, e) AS grp FROM m)"
			" SELECT sum(e2 - s2) FROM (SELECT min(s) AS s2, max(e) AS e2 FROM g"
			"  GROUP BY operator, grp);\n",
			from, end, end, from, from, end, end, from);
		/* TTR: first sale per product from line items, then the window. */
		fprintf(f,
			"WITH f AS (SELECT li.product_id AS pid, min(o.processed_at) AS first_sale"
			"  FROM line_items li JOIN orders o ON o.id = li.order_id"
			"  WHERE o.cancelled_at IS NULL AND o.test = 0 GROUP BY li.product_id)"
			" SELECT p.id, coalesce((SELECT min(idea_at) FROM ideas WHERE product_id = p.id),"
			"  p.created_at), f.first_sale FROM products p LEFT JOIN f ON f.pid = p.id"
			" WHERE f.first_sale IS NULL OR (f.first_sale >= %lld AND f.first_sale < %lld);\n",
			from, end);
	}
	fprintf(f, "WITH d(i, s, e) AS (VALUES ");
	for (int i = 0; i < 30; i++)
		fprintf(f, "%s(%d, %lld, %lld)", i ? ", " : "", i, day[i],
			day[i + 1] < end ? day[i + 1] : end);
	fprintf(f, ")\n SELECT d.i, (SELECT coalesce(sum(total_minor), 0) FROM orders"
		" WHERE processed_at >= d.s AND processed_at < d.e AND cancelled_at IS NULL"
		" AND test = 0) - (SELECT coalesce(sum(r.amount_minor), 0) FROM refunds r"
		" JOIN orders o ON o.id = r.order_id WHERE r.created_at >= d.s AND r.created_at < d.e"
		" AND o.cancelled_at IS NULL AND o.test = 0) FROM d;\n");
	return OKDF_OK;
}

