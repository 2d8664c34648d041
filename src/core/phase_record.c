/* Phase recording: a sign-off, a completion (refused while the gate has
 * reasons, unless overridden with a written reason that the audit log
 * keeps) and a reopen, each written with its audit row in one transaction. */
#include "okdf/core/phase_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/timeutil.h"
#include "okdf/store/audit.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"

static void phase_target(const phase_def *p, char *buf, size_t n)
{
	snprintf(buf, n, "phase:%d", p->number);
}

/* Starts a transaction unless the caller already has one open. */
static int begin_own(okdf_db *db, int *own, okdf_err *e)
{
	*own = !db_in_transaction(db);
	return *own ? db_begin(db, e) : OKDF_OK;
}

static int end_own(okdf_db *db, int own, int rc, okdf_err *e)
{
	if (!own)
		return rc;
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

int phase_signoff(okdf_db *db, const phase_def *p, const char *signoff_id, const char *note,
	const okdf_operator *op, long long now, okdf_err *e)
{
	const phase_item *item = NULL;
	for (size_t j = 0; j < p->n_signoffs; j++)
		if (strcmp(p->signoffs[j].id, signoff_id) == 0)
			item = &p->signoffs[j];
	if (!item) {
		char valid[512] = "";
		size_t len = 0;
		for (size_t j = 0; j < p->n_signoffs && len < sizeof valid; j++)
			len += (size_t)snprintf(valid + len, sizeof valid - len, "%s%s", j ? ", " : "",
				p->signoffs[j].id);
		return okdf_err_set(e, OKDF_EINPUT, "phase %d has no sign-off \"%s\" (it has: %s)",
			p->number, signoff_id, valid);
	}
	if (note && !note[0])
		note = NULL;
	int own;
	int rc = begin_own(db, &own, e);
	if (rc)
		return rc;
	rc = phase_signoff_put(db, p->id, item->id, op->name, now, note, e);
	if (!rc) {
		char target[32], detail[1024];
		phase_target(p, target, sizeof target);
		snprintf(detail, sizeof detail, "%s%s%s", item->id, note ? ": " : "", note ? note : "");
		rc = audit_append(db, op, now, "phase.signoff", target, detail, e);
	}
	return end_own(db, own, rc, e);
}

/* "reason: R; overridden: a; b; c", allocated; NULL when out of memory. */
static char *override_detail(const char *reason, const phase_reasons *r)
{
	size_t len = strlen("reason: ; overridden: ") + strlen(reason) + 1;
	for (size_t i = 0; i < r->n; i++)
		len += strlen(r->items[i]) + 2;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t w = (size_t)snprintf(s, len, "reason: %s; overridden: ", reason);
	for (size_t i = 0; i < r->n; i++)
		w += (size_t)snprintf(s + w, len - w, "%s%s", i ? "; " : "", r->items[i]);
	return s;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

int phase_complete(okdf_db *db, const phase_catalog *cat, const phase_def *p,
	const char *override_reason, const okdf_operator *op, long long now,
	phase_reasons *reasons, okdf_err *e)
{
	memset(reasons, 0, sizeof *reasons);
	if (override_reason && blank(override_reason))
		return okdf_err_set(e, OKDF_EINPUT, "--override needs a written reason");
	size_t idx = phases_index(cat, p);
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	phase_view *views = NULL;
	char target[32];
	phase_target(p, target, sizeof target);
	rc = phases_evaluate(db, cat, now, &views, e);
	if (!rc && views[idx].completed) {
		char when[32];
		time_format_utc(views[idx].completed_at, when, sizeof when);
		rc = okdf_err_set(e, OKDF_EFAIL, "phase %d (%s) is already complete (%s, %s)",
			p->number, p->title, views[idx].completed_by, when);
	}
	if (!rc)
		rc = phase_gate_check(cat, views, idx, reasons, e);
	if (!rc && reasons->n && !override_reason)
		rc = okdf_err_set(e, OKDF_EFAIL,
			"phase %d (%s) cannot be completed yet: %zu reason%s; fix %s or use"
			" --override REASON", p->number, p->title, reasons->n,
			reasons->n == 1 ? "" : "s", reasons->n == 1 ? "it" : "them");
	const char *overridden = reasons->n ? override_reason : NULL;
	if (!rc && overridden) {
		char *detail = override_detail(overridden, reasons);
		rc = detail ? audit_append(db, op, now, "phase.override", target, detail, e)
			: okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		free(detail);
	}
	if (!rc)
		rc = phase_progress_complete(db, p->id, now, op->name, overridden, e);
	if (!rc) {
		char detail[1024];
		snprintf(detail, sizeof detail, "override: %s", overridden ? overridden : "");
		rc = audit_append(db, op, now, "phase.complete", target, overridden ? detail : NULL,
			e);
	}
	phase_views_free(views, cat->n);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

int phase_reopen(okdf_db *db, const phase_def *p, const char *why, const okdf_operator *op,
	long long now, okdf_err *e)
{
	int own;
	int rc = begin_own(db, &own, e);
	if (rc)
		return rc;
	phase_progress_row pr;
	rc = phase_progress_get(db, p->id, &pr, e);
	free(pr.override_reason);
	if (!rc && !pr.completed)
		rc = okdf_err_set(e, OKDF_EFAIL, "phase %d (%s) is not complete", p->number, p->title);
	if (!rc)
		rc = phase_progress_clear(db, p->id, e);
	if (!rc) {
		char target[32];
		phase_target(p, target, sizeof target);
		rc = audit_append(db, op, now, "phase.reopen", target, why, e);
	}
	return end_own(db, own, rc, e);
}
