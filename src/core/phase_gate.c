/* Phase status and gating: a phase as it stands is read from the store
 * (progress, sign-offs) and the checks evaluated now; its status derives
 * from that and from its prerequisites; the gate lists every reason
 * completing it would be refused (open prerequisites, failing or dataless
 * checks, missing sign-offs). */
#include "okdf/core/phase_gate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/store/db.h"
#include "okdf/store/phases.h"

const char *phase_status_name(phase_status s)
{
	switch (s) {
	case PHASE_DONE: return "done";
	case PHASE_IN_PROGRESS: return "in_progress";
	case PHASE_BLOCKED: return "blocked";
	case PHASE_NOT_STARTED: break;
	}
	return "not_started";
}

/* Status of views[idx] from its own and its prerequisites' state:
 * done; else in progress when any sign-off is given or any check passes;
 * else blocked by the lowest-numbered open prerequisite; else not started.
 * *blocked_by gets that prerequisite's number, also while in progress
 * (0: none, or the phase is done). */
static phase_status phase_status_derive(const phase_catalog *cat, const phase_view *views,
	size_t idx, int *blocked_by)
{
	const phase_def *p = &cat->phases[idx];
	const phase_view *v = &views[idx];
	*blocked_by = 0;
	for (size_t j = 0; j < p->n_prereqs; j++) {
		const phase_def *q = &cat->phases[p->prereqs[j]];
		if (!views[p->prereqs[j]].completed && (!*blocked_by || q->number < *blocked_by))
			*blocked_by = q->number;
	}
	if (v->completed) {
		*blocked_by = 0;
		return PHASE_DONE;
	}
	for (size_t j = 0; j < p->n_signoffs; j++)
		if (v->signoffs[j].given)
			return PHASE_IN_PROGRESS;
	for (size_t j = 0; j < p->n_checks; j++)
		if (v->checks[j].state == CHECK_PASS)
			return PHASE_IN_PROGRESS;
	return *blocked_by ? PHASE_BLOCKED : PHASE_NOT_STARTED;
}

static int view_load(okdf_db *db, const phase_catalog *cat, const phase_def *p, long long now,
	phase_view *v, okdf_err *e)
{
	v->def = p;
	v->checks = calloc(p->n_checks ? p->n_checks : 1, sizeof *v->checks);
	v->signoffs = calloc(p->n_signoffs ? p->n_signoffs : 1, sizeof *v->signoffs);
	if (!v->checks || !v->signoffs)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");

	phase_progress_row pr;
	int rc = phase_progress_get(db, p->id, &pr, e);
	if (rc)
		return rc;
	v->completed = pr.completed;
	v->completed_at = pr.completed_at;
	memcpy(v->completed_by, pr.completed_by, sizeof v->completed_by);
	v->override_reason = pr.override_reason;

	signoff_row *rows;
	int n;
	if ((rc = phase_signoffs_get(db, p->id, &rows, &n, e)))
		return rc;
	for (int r = 0; r < n; r++) {
		for (size_t j = 0; j < p->n_signoffs; j++) {
			if (strcmp(p->signoffs[j].id, rows[r].signoff_id) != 0)
				continue;
			phase_signoff_state *s = &v->signoffs[j];
			s->given = 1;
			memcpy(s->signed_by, rows[r].operator_name, sizeof s->signed_by);
			s->signed_at = rows[r].signed_at;
			s->note = rows[r].note;
			rows[r].note = NULL;
		}
	}
	signoff_rows_free(rows, n);

	check_ctx ctx = { .db = db, .now = now, .catalog = cat, .phase = p };
	for (size_t j = 0; j < p->n_checks && !rc; j++)
		rc = checks_evaluate(&ctx, p->checks[j].id, &v->checks[j], e);
	return rc;
}

int phases_evaluate(okdf_db *db, const phase_catalog *cat, long long now, phase_view **views,
	okdf_err *e)
{
	*views = calloc(cat->n, sizeof **views);
	if (!*views)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	int rc = OKDF_OK;
	for (size_t i = 0; i < cat->n && !rc; i++)
		rc = view_load(db, cat, &cat->phases[i], now, &(*views)[i], e);
	for (size_t i = 0; i < cat->n && !rc; i++)
		(*views)[i].status = phase_status_derive(cat, *views, i, &(*views)[i].blocked_by);
	if (rc) {
		phase_views_free(*views, cat->n);
		*views = NULL;
	}
	return rc;
}

void phase_views_free(phase_view *views, size_t n)
{
	if (!views)
		return;
	for (size_t i = 0; i < n; i++) {
		free(views[i].override_reason);
		free(views[i].checks);
		if (views[i].signoffs && views[i].def)
			for (size_t j = 0; j < views[i].def->n_signoffs; j++)
				free(views[i].signoffs[j].note);
		free(views[i].signoffs);
	}
	free(views);
}

static int reason_add(phase_reasons *r, okdf_err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reason_add(phase_reasons *r, okdf_err *e, const char *fmt, ...)
{
	char **grown = realloc(r->items, (r->n + 1) * sizeof *r->items);
	if (!grown)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	r->items = grown;
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!s)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	r->items[r->n++] = s;
	return OKDF_OK;
}

int phase_gate_check(const phase_catalog *cat, const phase_view *views, size_t idx,
	phase_reasons *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	const phase_def *p = &cat->phases[idx];
	const phase_view *v = &views[idx];
	int rc = OKDF_OK;
	for (size_t j = 0; j < p->n_prereqs && !rc; j++) {
		const phase_def *q = &cat->phases[p->prereqs[j]];
		if (!views[p->prereqs[j]].completed)
			rc = reason_add(out, e, "prerequisite phase %d (%s) is not complete", q->number,
				q->title);
	}
	for (size_t j = 0; j < p->n_checks && !rc; j++) {
		const check_result *c = &v->checks[j];
		if (c->state == CHECK_FAIL)
			rc = reason_add(out, e, "check %s failed: %s", p->checks[j].id, c->why);
		else if (c->state == CHECK_NO_DATA)
			rc = reason_add(out, e, "check %s has no data yet: %s", p->checks[j].id, c->why);
	}
	for (size_t j = 0; j < p->n_signoffs && !rc; j++)
		if (!v->signoffs[j].given)
			rc = reason_add(out, e, "sign-off %s missing: %s", p->signoffs[j].id,
				p->signoffs[j].description);
	if (rc)
		phase_reasons_free(out);
	return rc;
}

void phase_reasons_free(phase_reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->items[i]);
	free(r->items);
	r->items = NULL;
	r->n = 0;
}
