#include "okdf/ui/action.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "okdf/core/hours.h"
#include "okdf/core/ideas.h"
#include "okdf/core/inbox.h"
#include "okdf/core/phase_record.h"
#include "okdf/core/review.h"

static const char *text_or_null(const ui_action *a)
{
	return a->has_text ? a->text : NULL;
}

static int run_phase(const ui_action_ctx *c, const ui_action *a, ui_result *r)
{
	const phase_def *p = phases_by_number(c->catalog, a->phase);
	if (!p)
		return okdf_err_set(&r->e, OKDF_EINPUT, "no phase %d", a->phase);
	switch (a->kind) {
	case ACT_SIGNOFF:
		return phase_signoff(c->db, p, a->word, text_or_null(a), c->op, c->now, &r->e);
	case ACT_REOPEN:
		return phase_reopen(c->db, p, NULL, c->op, c->now, &r->e);
	default: {
		int rc = phase_complete(c->db, c->catalog, p, text_or_null(a), c->op, c->now,
			&r->reasons, &r->e);
		if (rc == OKDF_EFAIL && r->reasons.n && !a->has_text)
			r->outcome = UI_REFUSED;
		return rc;
	}
	}
}

static int run(const ui_action_ctx *c, const ui_action *a, ui_result *r)
{
	switch (a->kind) {
	case ACT_ACK:
		return inbox_ack(c->db, c->op, a->id, c->now, &r->e);
	case ACT_SNOOZE:
		r->at = c->now + a->seconds;
		return inbox_snooze(c->db, c->op, a->id, r->at, c->now, &r->e);
	case ACT_RESOLVE:
		return inbox_resolve(c->db, c->op, a->id, text_or_null(a), c->now, &r->e);
	case ACT_DECIDE:
		return inbox_decide(c->db, c->op, a->id, a->word, text_or_null(a), c->now, &r->e);
	case ACT_ESCALATE:
		return inbox_escalate(c->db, c->op, a->word, a->title, a->severity[0] ? a->severity
			: NULL, text_or_null(a), c->now, &r->id, &r->e);
	case ACT_SIGNOFF: case ACT_COMPLETE: case ACT_REOPEN:
		return run_phase(c, a, r);
	case ACT_HOURS_ADD:
		return hours_record(c->db, c->op, c->tz, a->has_day ? &a->day : NULL, a->seconds,
			text_or_null(a), c->now, &r->id, &r->day, &r->e);
	case ACT_HOURS_RM:
		return hours_remove(c->db, c->op, a->id, c->now, &r->e);
	case ACT_IDEA_ADD:
		return idea_record(c->db, c->op, a->title, c->tz, a->has_day ? &a->day : NULL,
			a->product[0] ? a->product : NULL, c->now, &r->id, &r->at, &r->e);
	case ACT_IDEA_LINK:
		return idea_link_record(c->db, c->op, a->id, a->product, c->now, &r->e);
	case ACT_REVIEW_ADD:
		return review_record(c->db, c->op, c->now, text_or_null(a), &r->id, &r->e);
	default:
		return okdf_err_set(&r->e, OKDF_EINPUT, "not an action of the store");
	}
}

void action_run(const ui_action_ctx *ctx, const ui_action *a, ui_result *r)
{
	memset(r, 0, sizeof *r);
	r->outcome = UI_OK;
	if (run(ctx, a, r) != OKDF_OK && r->outcome == UI_OK)
		/* A resolved escalation refuses every change (OKDF_EFAIL). */
		r->outcome = r->e.code == OKDF_EFAIL ? UI_REFUSED : UI_ERROR;
}

void action_result_free(ui_result *r)
{
	phase_reasons_free(&r->reasons);
}

static int action_needs_note(const ui_action *a)
{
	return (a->kind == ACT_RESOLVE || a->kind == ACT_DECIDE) && !a->has_text;
}

static int action_is_destructive(const ui_action *a)
{
	return a->kind == ACT_RESOLVE || a->kind == ACT_DECIDE || a->kind == ACT_REOPEN ||
		a->kind == ACT_HOURS_RM ||
		(a->kind == ACT_COMPLETE && a->has_text);
}

void action_question(const ui_action *a, char *buf, size_t n)
{
	switch (a->kind) {
	case ACT_RESOLVE:
		snprintf(buf, n, "Resolve #%lld with this note?", a->id);
		break;
	case ACT_DECIDE:
		snprintf(buf, n, "%c%s #%lld with this note?", a->word[0] ? toupper(
			(unsigned char)a->word[0]) : '?', a->word[0] ? a->word + 1 : "", a->id);
		break;
	case ACT_REOPEN:
		snprintf(buf, n, "Reopen phase %d?", a->phase);
		break;
	case ACT_HOURS_RM:
		snprintf(buf, n, "Remove manual hours entry #%lld?", a->id);
		break;
	default:
		snprintf(buf, n, "Complete phase %d over its refusal (recorded in the audit log)?",
			a->phase);
	}
}

void action_request(const ui_action *a, ui_request *req)
{
	memset(req, 0, sizeof *req);
	req->action = *a;
	if (action_needs_note(a))
		snprintf(req->ask, sizeof req->ask, "Decision note: ");
	if (action_is_destructive(a))
		action_question(a, req->confirm, sizeof req->confirm);
}

int action_offer_decisions(ui_request *req, const char *kind)
{
	const char *const *d = inbox_decisions(kind);
	if (!d)
		return 0;
	size_t len = (size_t)snprintf(req->choose, sizeof req->choose, "Decide #%lld:",
		req->action.id);
	int i = 0;
	for (; d[i] && i < REQUEST_CHOICES; i++) {
		req->choice_keys[i] = d[i][0];
		snprintf(req->choice_words[i], sizeof req->choice_words[i], "%s", d[i]);
		if (len < sizeof req->choose)
			len += (size_t)snprintf(req->choose + len, sizeof req->choose - len,
				"  %c %s", d[i][0], d[i]);
	}
	req->choice_keys[i] = '\0';
	if (len < sizeof req->choose)
		snprintf(req->choose + len, sizeof req->choose - len, "  (Esc cancels) ");
	return 1;
}
