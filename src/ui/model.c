#include "okdf/ui/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/store/db.h"
#include "okdf/store/shop.h"

static const char *const window_names[MODEL_WIN_N] = { "today", "7d", "30d", "90d" };

const char *model_window_name(int window)
{
	return window >= 0 && window < MODEL_WIN_N ? window_names[window] : "";
}

const char *model_window_spec(const ui_model *m)
{
	return m->window == MODEL_WIN_CUSTOM ? m->custom_window : model_window_name(m->window);
}

static int load_shop(ui_model *m, okdf_db *db, okdf_err *e)
{
	shop_row shop;
	int rc = shop_get(db, &shop, &m->have_shop, e);
	if (!rc && m->have_shop) {
		snprintf(m->shop_name, sizeof m->shop_name, "%s", shop.name);
		snprintf(m->currency, sizeof m->currency, "%s", shop.currency);
		snprintf(m->timezone, sizeof m->timezone, "%s", shop.timezone);
	}
	return rc;
}

static int load_health(ui_model *m, okdf_db *db, okdf_err *e)
{
	free(m->health);
	m->health = NULL;
	m->n_health = 0;
	store_health *all;
	int n;
	int rc = connector_health_list(db, &all, &n, e);
	if (rc)
		return rc;
	for (int i = 0; i < n; i++)
		if (strcmp(all[i].state, HEALTH_DISABLED) != 0)
			all[m->n_health++] = all[i];
	m->health = all;
	return OKDF_OK;
}

static int load_phases(ui_model *m, okdf_db *db, okdf_err *e)
{
	if (m->phases)
		phase_views_free(m->phases, m->catalog->n);
	m->phases = NULL;
	if (!m->catalog)
		return OKDF_OK;
	return phases_evaluate(db, m->catalog, m->now, &m->phases, e);
}

static int newest_sale_first(const void *a, const void *b)
{
	long long x = ((const metrics_ttr_product *)a)->first_sale_at;
	long long y = ((const metrics_ttr_product *)b)->first_sale_at;
	return (x < y) - (x > y);
}

/* The TTR panel lists recent launches first. */
static void sort_launches(metrics_result *r)
{
	if (r->ttr.n_products > 1)
		qsort(r->ttr.products, (size_t)r->ttr.n_products, sizeof *r->ttr.products,
			newest_sale_first);
}

static int load_metrics(ui_model *m, okdf_db *db, okdf_err *e)
{
	if (m->have_metrics)
		metrics_dashboard_free(&m->dash);
	if (m->have_wide)
		metrics_result_free(&m->wide);
	m->have_metrics = m->have_wide = 0;
	int rc = metrics_dashboard_compute(db, m->now, &m->dash, e);
	if (rc == OKDF_ENOTFOUND) {
		okdf_err_clear(e);
		return OKDF_OK;
	}
	if (rc)
		return rc;
	m->have_metrics = 1;
	for (int i = 0; i < METRICS_DASH_N; i++)
		sort_launches(&m->dash.window[i]);
	if (m->window == MODEL_WIN_90D || m->window == MODEL_WIN_CUSTOM) {
		rc = metrics_compute(db, model_window_spec(m), m->now, &m->wide, e);
		m->have_wide = rc == OKDF_OK;
		if (m->have_wide)
			sort_launches(&m->wide);
	}
	return rc;
}

/* True when x is snoozed and its snooze has not ended by now. */
static int model_is_snoozed(const escalation *x, long long now)
{
	return strcmp(x->state, "snoozed") == 0 && x->snoozed_until > now;
}

static int severity_rank(const char *sev)
{
	return strcmp(sev, "critical") == 0 ? 0 : strcmp(sev, "high") == 0 ? 1 : 2;
}

/* qsort has no context: the clock of the sort in progress (UI thread only). */
static long long sort_now;

static int by_urgency(const void *pa, const void *pb)
{
	const escalation *a = *(escalation *const *)pa, *b = *(escalation *const *)pb;
	int ra = severity_rank(a->severity), rb = severity_rank(b->severity);
	if (ra != rb)
		return ra - rb;
	int ba = inbox_sla_breached(a, sort_now), bb = inbox_sla_breached(b, sort_now);
	if (ba != bb)
		return bb - ba;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static int by_newest(const void *pa, const void *pb)
{
	const escalation *a = *(escalation *const *)pa, *b = *(escalation *const *)pb;
	if (a->created_at != b->created_at)
		return a->created_at > b->created_at ? -1 : 1;
	return (a->id < b->id) - (a->id > b->id);
}

void model_inbox_order(ui_model *m)
{
	m->n_inbox = 0;
	for (int i = 0; i < m->n_all; i++)
		if (model_is_snoozed(&m->all[i], m->now) == (m->inbox_snoozed != 0))
			m->inbox[m->n_inbox++] = &m->all[i];
	sort_now = m->now;
	if (m->n_inbox > 1)
		qsort(m->inbox, (size_t)m->n_inbox, sizeof *m->inbox,
			m->inbox_newest_first ? by_newest : by_urgency);
}

int model_never_synced(const ui_model *m, const char *connector)
{
	for (int i = 0; i < m->n_health; i++)
		if (strcmp(m->health[i].connector, connector) == 0)
			return m->health[i].last_success_at == 0;
	return 0;
}

const escalation_action *model_action_of(const ui_model *m, long long id)
{
	for (int i = m->n_actions - 1; i >= 0; i--)
		if (m->actions[i].escalation_id == id)
			return &m->actions[i];
	return NULL;
}

static void inbox_free(ui_model *m)
{
	escalation_actions_free(m->actions, m->n_actions);
	m->actions = NULL;
	m->n_actions = 0;
	escalation_list_free(m->all, m->n_all);
	free(m->inbox);
	m->all = NULL;
	m->inbox = NULL;
	m->n_all = m->n_inbox = 0;
}

static int load_inbox(ui_model *m, okdf_db *db, okdf_err *e)
{
	inbox_free(m);
	m->n_critical = m->n_high = m->n_normal = m->n_breached = m->n_snoozed = 0;
	int rc = escalation_list(db, "unresolved", m->now, &m->all, &m->n_all, e);
	if (rc)
		return rc;
	m->inbox = malloc(sizeof *m->inbox * (size_t)(m->n_all ? m->n_all : 1));
	if (!m->inbox)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	for (int i = 0; i < m->n_all; i++) {
		const escalation *x = &m->all[i];
		if (model_is_snoozed(x, m->now)) {
			m->n_snoozed++;
			continue;
		}
		if (strcmp(x->severity, "critical") == 0)
			m->n_critical++;
		else if (strcmp(x->severity, "high") == 0)
			m->n_high++;
		else
			m->n_normal++;
		if (inbox_sla_breached(x, m->now))
			m->n_breached++;
	}
	model_inbox_order(m);
	rc = escalation_actions_latest(db, &m->actions, &m->n_actions, e);
	return rc ? rc : inbox_latest_critical_id(db, &m->latest_critical, e);
}

void model_load(ui_model *m, okdf_db *db, long long now)
{
	m->now = now;
	m->error[0] = '\0';
	int (*const loaders[])(ui_model *, okdf_db *, okdf_err *) = {
		load_shop, load_health, load_phases, load_metrics, load_inbox,
	};
	for (size_t i = 0; i < sizeof loaders / sizeof loaders[0]; i++) {
		okdf_err e = { 0 };
		if (loaders[i](m, db, &e) != OKDF_OK && !m->error[0])
			snprintf(m->error, sizeof m->error, "%s", e.msg);
	}
}

const metrics_result *model_metrics(const ui_model *m)
{
	if (!m->have_metrics)
		return NULL;
	switch (m->window) {
	case MODEL_WIN_TODAY: return &m->dash.window[METRICS_DASH_TODAY];
	case MODEL_WIN_7D: return &m->dash.window[METRICS_DASH_7D];
	case MODEL_WIN_90D: case MODEL_WIN_CUSTOM: return m->have_wide ? &m->wide : NULL;
	default: return &m->dash.window[METRICS_DASH_30D];
	}
}

const metrics_result *model_rpoh(const ui_model *m, int idx)
{
	return m->have_metrics && idx >= 0 && idx < METRICS_DASH_N ? &m->dash.window[idx] : NULL;
}

void model_free(ui_model *m)
{
	free(m->health);
	m->health = NULL;
	m->n_health = 0;
	if (m->phases)
		phase_views_free(m->phases, m->catalog->n);
	m->phases = NULL;
	if (m->have_metrics)
		metrics_dashboard_free(&m->dash);
	if (m->have_wide)
		metrics_result_free(&m->wide);
	m->have_metrics = m->have_wide = 0;
	inbox_free(m);
}
