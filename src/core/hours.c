#include "okdf/core/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/money.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/hours.h"

static int span_cmp(const void *a, const void *b)
{
	const hours_span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

long long hours_union_seconds(hours_span *spans, size_t n, long long from, long long to)
{
	if (n == 0 || from >= to)
		return 0;
	qsort(spans, n, sizeof *spans, span_cmp);
	long long total = 0, cur_s = 0, cur_e = 0;
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		long long s = spans[i].start < from ? from : spans[i].start;
		long long t = spans[i].end > to ? to : spans[i].end;
		if (t <= s)
			continue;
		if (open && s <= cur_e) {
			if (t > cur_e)
				cur_e = t;
			continue;
		}
		if (open)
			total += cur_e - cur_s;
		cur_s = s;
		cur_e = t;
		open = 1;
	}
	if (open)
		total += cur_e - cur_s;
	return total;
}

long long hours_spans_clip_seconds(const hours_span *spans, size_t n, long long from,
	long long to)
{
	long long total = 0;
	for (size_t i = 0; i < n; i++) {
		long long s = spans[i].start < from ? from : spans[i].start;
		long long t = spans[i].end > to ? to : spans[i].end;
		if (t > s)
			total += t - s;
	}
	return total;
}

struct span_row {
	hours_span span;
	int kind;
	int op; /* index of the operator in load order */
};

struct span_rows {
	struct span_row *rows;
	size_t n, cap;
	char (*names)[64];
	int n_names;
};

static void span_rows_free(struct span_rows *r)
{
	free(r->rows);
	free(r->names);
	memset(r, 0, sizeof *r);
}

static int add_row(void *ctx, const char *name, long long start, long long end, int kind,
	okdf_err *e)
{
	struct span_rows *out = ctx;
	if (out->n_names == 0 || strcmp(out->names[out->n_names - 1], name) != 0) {
		void *grown = realloc(out->names, (size_t)(out->n_names + 1) * sizeof *out->names);
		if (!grown)
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		out->names = grown;
		snprintf(out->names[out->n_names++], sizeof out->names[0], "%s", name);
	}
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 64;
		void *grown = realloc(out->rows, cap * sizeof *out->rows);
		if (!grown)
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		out->rows = grown;
		out->cap = cap;
	}
	struct span_row *r = &out->rows[out->n++];
	r->span.start = start;
	r->span.end = end;
	r->kind = kind;
	r->op = out->n_names - 1;
	return OKDF_OK;
}

/* Console intervals (kind 0) and manual entries (kind 1) overlapping
 * [from, to), by operator then start. */
static int load_rows(okdf_db *db, long long from, long long to, struct span_rows *out,
	okdf_err *e)
{
	memset(out, 0, sizeof *out);
	int rc = hours_spans_each(db, from, to, add_row, out, e);
	if (rc)
		span_rows_free(out);
	return rc;
}

int hours_spans_load(okdf_db *db, long long from, long long to, hours_span **spans, size_t *n,
	okdf_err *e)
{
	*spans = NULL;
	*n = 0;
	struct span_rows rows;
	int rc = load_rows(db, from, to, &rows, e);
	if (rc)
		return rc;
	hours_span *out = malloc((rows.n ? rows.n : 1) * sizeof *out);
	if (!out) {
		span_rows_free(&rows);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	/* Rows come sorted by operator then start: merge runs per operator. */
	size_t m = 0;
	int last_op = -1;
	for (size_t i = 0; i < rows.n; i++) {
		hours_span s = rows.rows[i].span;
		if (s.start < from)
			s.start = from;
		if (s.end > to)
			s.end = to;
		if (s.end <= s.start)
			continue;
		if (last_op == rows.rows[i].op && s.start <= out[m - 1].end) {
			if (s.end > out[m - 1].end)
				out[m - 1].end = s.end;
			continue;
		}
		out[m++] = s;
		last_op = rows.rows[i].op;
	}
	span_rows_free(&rows);
	*spans = out;
	*n = m;
	return OKDF_OK;
}

int hours_by_operator(okdf_db *db, long long from, long long to, hours_operator **ops, int *n,
	okdf_err *e)
{
	*ops = NULL;
	*n = 0;
	struct span_rows rows;
	int rc = load_rows(db, from, to, &rows, e);
	if (rc)
		return rc;
	hours_operator *out = calloc(rows.n_names ? (size_t)rows.n_names : 1, sizeof *out);
	hours_span *buf = malloc((rows.n ? rows.n : 1) * sizeof *buf);
	if (!out || !buf) {
		free(out);
		free(buf);
		span_rows_free(&rows);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	size_t i = 0;
	for (int op = 0; op < rows.n_names; op++) {
		size_t first = i;
		while (i < rows.n && rows.rows[i].op == op)
			i++;
		hours_operator *o = &out[op];
		snprintf(o->name, sizeof o->name, "%s", rows.names[op]);
		for (int kind = 0; kind <= 2; kind++) {
			size_t m = 0;
			for (size_t j = first; j < i; j++)
				if (kind == 2 || rows.rows[j].kind == kind)
					buf[m++] = rows.rows[j].span;
			long long secs = hours_union_seconds(buf, m, from, to);
			if (kind == 0)
				o->console_seconds = secs;
			else if (kind == 1)
				o->manual_seconds = secs;
			else
				o->total_seconds = secs;
		}
	}
	free(buf);
	*n = rows.n_names;
	*ops = out;
	span_rows_free(&rows);
	return OKDF_OK;
}

int hours_activity(okdf_db *db, const char *operator_name, long long now, int idle_minutes,
	okdf_err *e)
{
	if (idle_minutes <= 0)
		idle_minutes = HOURS_IDLE_MINUTES_DEFAULT;
	/* One statement each, so a caller's open transaction is respected and two
	 * consoles racing at worst record overlapping intervals, which the union
	 * absorbs. */
	int extended;
	int rc = activity_interval_extend(db, operator_name, now, (long long)idle_minutes * 60,
		&extended, e);
	if (rc || extended)
		return rc;
	return activity_interval_insert(db, operator_name, now, e);
}

int hours_add_manual(okdf_db *db, const char *operator_name, long long day_start,
	long long day_end, long long seconds, const char *note, long long now, long long *id,
	okdf_err *e)
{
	if (seconds <= 0)
		return okdf_err_set(e, OKDF_EINPUT, "hours must be more than zero");
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	long long start;
	rc = manual_hours_day_end(db, operator_name, day_start, day_end, &start, e);
	if (rc)
		goto fail;
	if (start + seconds > day_end) {
		rc = okdf_err_set(e, OKDF_EINPUT,
			"that would record %.2f hours on one day for %s (%.2f already recorded)",
			(double)(start - day_start + seconds) / 3600.0, operator_name,
			(double)(start - day_start) / 3600.0);
		goto fail;
	}
	rc = manual_hours_insert(db, operator_name, start, seconds, note, now, id, e);
	if (rc)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return rc;
}

int hours_record(okdf_db *db, const okdf_operator *op, const char *tz, const okdf_date *day,
	long long seconds, const char *note, long long now, long long *id, okdf_date *out_day,
	okdf_err *e)
{
	okdf_date d;
	long long start, end;
	int rc = day ? (d = *day, OKDF_OK) : tz_date_of(tz, now, &d, e);
	if (!rc)
		rc = tz_day_start(tz, d, &start, e);
	if (!rc)
		rc = tz_day_start(tz, date_add_days(d, 1), &end, e);
	if (!rc)
		rc = hours_add_manual(db, op->name, start, end, seconds, note, now, id, e);
	if (rc)
		return rc;
	char ds[16], target[96], detail[160];
	date_format(d, ds, sizeof ds);
	snprintf(target, sizeof target, "operator:%s", op->name);
	snprintf(detail, sizeof detail, "manual hours #%lld: %lld s on %s", *id, seconds, ds);
	*out_day = d;
	return audit_append(db, op, now, "hours.add", target, detail, e);
}

int hours_remove(okdf_db *db, const okdf_operator *op, long long id, long long now,
	okdf_err *e)
{
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	manual_hours_row row;
	rc = manual_hours_get(db, id, &row, e);
	if (!rc)
		rc = manual_hours_delete(db, id, e);
	if (!rc) {
		char target[96], detail[160];
		snprintf(target, sizeof target, "operator:%s", row.operator_name);
		snprintf(detail, sizeof detail, "removed manual hours #%lld: %lld s", id, row.seconds);
		rc = audit_append(db, op, now, "hours.rm", target, detail, e);
	}
	if (!rc)
		return db_commit(db, e);
	db_rollback(db);
	return rc;
}

/* "H:MM" with MM under 60. */
static int parse_hmm(const char *s, long long *seconds)
{
	char *end;
	long h = strtol(s, &end, 10);
	if (end == s || *end != ':' || h < 0 || h > 24)
		return -1;
	const char *m = end + 1;
	if (!(m[0] >= '0' && m[0] <= '5' && m[1] >= '0' && m[1] <= '9' && !m[2]))
		return -1;
	*seconds = h * 3600 + ((m[0] - '0') * 10 + (m[1] - '0')) * 60;
	return 0;
}

int hours_parse(const char *s, long long *seconds, okdf_err *e)
{
	long long secs;
	if (s && strchr(s, ':')) {
		if (parse_hmm(s, &secs) == 0 && secs > 0 && secs <= 24 * 3600) {
			*seconds = secs;
			return OKDF_OK;
		}
	} else {
		/* Ten-thousandths of an hour, exactly, then to seconds (0.36 s each). */
		long long v;
		okdf_err pe = { 0 };
		if (money_parse(s, 4, &v, &pe) == OKDF_OK && v > 0 && v <= 24 * 10000LL) {
			*seconds = (v * 36 + 50) / 100;
			return OKDF_OK;
		}
	}
	return okdf_err_set(e, OKDF_EINPUT, "HOURS must be above 0 and at most 24, decimal (1.5) "
		"or h:mm (1:30): \"%s\"", s ? s : "");
}
