#include "okdf/ui/outcome.h"

#include <stdio.h>
#include <string.h>

#include "okdf/ui/format.h"
#include "app_private.h"

/* The phase a phase action named (it exists: the action ran). */
static const phase_def *phase_of(struct ui_app *app, const ui_action *a)
{
	return phases_by_number(app->catalog, a->phase);
}

/* A refused completion: its reasons on a page, then the override question. */
static void refused_completion(ui_app *app, const ui_action *a, const ui_result *r)
{
	const phase_def *p = phase_of(app, a);
	pager_reset(&app->pager, "Completion refused");
	pager_add_untrusted(&app->pager, &app->scr, ROLE_WARNING, 0, "",
		p ? p->title : "");
	pager_addf(&app->pager, ROLE_NORMAL, 0, "Phase %d cannot be completed yet:", a->phase);
	for (size_t i = 0; i < r->reasons.n; i++)
		pager_add_untrusted(&app->pager, &app->scr, ROLE_WARNING, 2, "- ",
			r->reasons.items[i]);
	pager_addf(&app->pager, ROLE_DIM, 0, "Fix %s, or give a reason to complete anyway "
		"(kept in the audit log).", r->reasons.n == 1 ? "it" : "them");
	/* The walkthrough lists the reasons on its own page. */
	if (app->view != VIEW_WALK)
		app_show_page(app);
	ui_request req = { .action = *a };
	snprintf(req.ask, sizeof req.ask, "Override with a reason (Esc cancels): ");
	snprintf(req.confirm, sizeof req.confirm, "Complete phase %d over the refusal?",
		a->phase);
	app_request(app, &req);
}

static void local_time(ui_app *app, long long t, char *buf, size_t n)
{
	format_local_time(app->model.timezone, t, app->model.now, buf, n);
}

static void ok_message(ui_app *app, const ui_action *a, const ui_result *r)
{
	const char *me = app->op.name;
	char when[80], d[16];
	const phase_def *p;
	switch (a->kind) {
	case ACT_ACK:
		app_message(app, ROLE_GOOD, "escalation #%lld acknowledged by %s", a->id, me);
		break;
	case ACT_SNOOZE:
		local_time(app, r->at, when, sizeof when);
		app_message(app, ROLE_GOOD, "escalation #%lld snoozed until %s", a->id, when);
		break;
	case ACT_RESOLVE:
		app_message(app, ROLE_GOOD, "escalation #%lld resolved", a->id);
		break;
	case ACT_DECIDE:
		app_message(app, ROLE_GOOD, "escalation #%lld decided: %s%s", a->id, a->word,
			strcmp(a->word, "keep") == 0 ? "" : " (queued for the connector worker; "
			"its outcome shows on the row)");
		break;
	case ACT_ESCALATE:
		app_message(app, ROLE_GOOD, "escalation #%lld raised", r->id);
		break;
	case ACT_SIGNOFF:
		app_message(app, ROLE_GOOD, "Phase %d: %s signed off by %s.", a->phase, a->word, me);
		break;
	case ACT_COMPLETE:
		p = phase_of(app, a);
		app_message(app, ROLE_GOOD, "Phase %d (%s) completed by %s%s", a->phase,
			p ? p->title : "?", me, r->reasons.n ? " over its refusal (in the audit log)."
			: ".");
		break;
	case ACT_REOPEN:
		p = phase_of(app, a);
		app_message(app, ROLE_GOOD, "Phase %d (%s) reopened by %s.", a->phase,
			p ? p->title : "?", me);
		break;
	case ACT_HOURS_ADD: {
		char h[32];
		format_hours(a->seconds, h, sizeof h);
		date_format(r->day, d, sizeof d);
		app_message(app, ROLE_GOOD, "recorded %s h for %s on %s (%s)", h, me, d,
			app->model.timezone[0] ? app->model.timezone : "UTC");
		break;
	}
	case ACT_HOURS_RM:
		app_message(app, ROLE_GOOD, "manual hours entry #%lld removed", a->id);
		break;
	case ACT_IDEA_ADD:
		local_time(app, r->at, when, sizeof when);
		app_message(app, ROLE_GOOD, "idea %lld recorded at %s%s%s", r->id, when,
			a->product[0] ? ", product " : "", a->product);
		break;
	case ACT_IDEA_LINK:
		app_message(app, ROLE_GOOD, "idea %lld linked to product %s", a->id, a->product);
		break;
	case ACT_REVIEW_ADD:
		app_message(app, ROLE_GOOD, "Review #%lld recorded by %s.", r->id, me);
		break;
	default:
		break;
	}
}

void outcome_show(ui_app *app, const ui_action *a, const ui_result *r)
{
	if (r->outcome == UI_REFUSED && a->kind == ACT_COMPLETE && r->reasons.n) {
		refused_completion(app, a, r);
		return;
	}
	if (r->outcome != UI_OK) {
		/* Messages quote what the operator typed: one clean line. */
		char clean[512];
		screen_clean(&app->scr, r->e.msg, clean, sizeof clean);
		app_message(app, r->outcome == UI_REFUSED ? ROLE_WARNING : ROLE_ERROR, "%s", clean);
		return;
	}
	ok_message(app, a, r);
	/* The bar holds one line: sanitize what came from the operator. */
	char clean[512];
	screen_clean(&app->scr, app->message.text, clean, sizeof clean);
	snprintf(app->message.text, sizeof app->message.text, "%s", clean);
}
