/* What the screen shows, read in one go from the store and the domain
 * modules (phases, metrics, inbox) whenever the data changes; panels draw
 * from it and never query or compute anything themselves. */
#ifndef OKDF_UI_MODEL_H
#define OKDF_UI_MODEL_H

#include <stddef.h>

#include "okdf/core/metrics.h"
#include "okdf/core/phase_gate.h"
#include "okdf/err.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"
#include "okdf/store/sync_state.h"

/* Windows `w` cycles through for the TTR and supporting-numbers panels;
 * MODEL_WIN_CUSTOM is any other window `:window` named (custom_window). */
enum model_window { MODEL_WIN_TODAY, MODEL_WIN_7D, MODEL_WIN_30D, MODEL_WIN_90D, MODEL_WIN_N,
	MODEL_WIN_CUSTOM = MODEL_WIN_N };

typedef struct ui_model {
	long long now;
	int have_shop;
	char shop_name[128];       /* raw */
	char currency[8];
	char timezone[64];

	store_health *health;      /* connectors not disabled, by name */
	int n_health;

	const phase_catalog *catalog;
	phase_view *phases;        /* catalog->n views, or NULL */

	int window;                /* enum model_window */
	char custom_window[40];    /* its spec when MODEL_WIN_CUSTOM: 14d, 2026-11-01..2026-11-15 */
	int have_metrics;          /* 0 before the first shop sync */
	metrics_dashboard dash;
	metrics_result wide;       /* the 90d or custom window when selected */
	int have_wide;

	escalation *all;           /* every unresolved escalation, snoozed ones too */
	int n_all;
	int inbox_snoozed;         /* the inbox lists the snoozed ones instead */
	int inbox_newest_first;    /* newest first instead of by urgency */
	escalation **inbox;        /* the rows the inbox lists, into all, in order */
	int n_inbox;
	/* Counts of the active ones (snoozed ones leave them until they wake). */
	int n_critical, n_high, n_normal, n_breached, n_snoozed;
	long long latest_critical; /* newest critical id, for the bell */
	escalation_action *actions; /* the latest queued action of each escalation */
	int n_actions;

	char error[1024];          /* the first load error, "" when none */
} ui_model;

/* True when connector runs (its health row is not disabled) but has never
 * finished a pass: what it feeds reads "no data yet", not 0. */
int model_never_synced(const ui_model *m, const char *connector);

/* The latest queued action of escalation id, or NULL. */
const escalation_action *model_action_of(const ui_model *m, long long id);

/* Rebuilds m->inbox from m->all after the order or snoozed toggle changed:
 * by severity, then breached SLA first, then oldest first (or newest first). */
void model_inbox_order(ui_model *m);

/* "today", "7d", "30d", "90d"; "" for MODEL_WIN_CUSTOM (see custom_window). */
const char *model_window_name(int window);

/* The spec of m's selected window. */
const char *model_window_spec(const ui_model *m);

/* Reloads everything at now. What fails to load is left empty and named in
 * m->error; the rest still shows. */
void model_load(ui_model *m, okdf_db *db, long long now);

/* The metrics of the selected window, or NULL before the first shop sync. */
const metrics_result *model_metrics(const ui_model *m);

/* RPOH windows: today, 7d, 30d (NULL before the first shop sync). */
const metrics_result *model_rpoh(const ui_model *m, int idx);

void model_free(ui_model *m);

#endif
