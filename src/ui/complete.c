#include "okdf/ui/complete.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/store/evidence.h"
#include "okdf/store/ideas.h"
#include "okdf/ui/command.h"
#include "app_private.h"

#define MAX_CANDIDATES 64

typedef struct candidates {
	char word[MAX_CANDIDATES][64];
	char what[MAX_CANDIDATES][96];
	int n;
	const char *prefix;
} candidates;

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Adds word when it starts with the prefix, or (by_title) when what holds
 * the prefix (case folded): a product can be found by its title. */
static void offer(candidates *c, const char *word, const char *what, int by_title)
{
	if (c->n == MAX_CANDIDATES)
		return;
	if (!starts_with(word, c->prefix) && !(by_title && c->prefix[0] &&
		panel_text_matches(what, c->prefix)))
		return;
	snprintf(c->word[c->n], sizeof c->word[c->n], "%s", word);
	snprintf(c->what[c->n], sizeof c->what[c->n], "%s", what ? what : "");
	c->n++;
}

static void offer_list(candidates *c, const char *const *words)
{
	for (; *words; words++)
		offer(c, *words, NULL, 0);
}

static void offer_phases(candidates *c, ui_app *app)
{
	for (size_t i = 0; i < app->catalog->n; i++) {
		char num[8];
		snprintf(num, sizeof num, "%d", app->catalog->phases[i].number);
		offer(c, num, app->catalog->phases[i].title, 0);
	}
}

static void offer_escalations(candidates *c, ui_app *app)
{
	for (int i = 0; i < app->model.n_all; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", app->model.all[i].id);
		offer(c, id, app->model.all[i].title, 0);
	}
}

static void offer_products(candidates *c, ui_app *app)
{
	product_title *p;
	int n;
	okdf_err e = { 0 };
	if (product_titles_list(app->db, &p, &n, &e) != OKDF_OK)
		return;
	for (int i = 0; i < n; i++)
		offer(c, p[i].id, p[i].title, 1);
	free(p);
}

static void offer_ideas(candidates *c, ui_app *app)
{
	idea_row *rows;
	int n;
	okdf_err e = { 0 };
	if (ideas_list(app->db, &rows, &n, &e) != OKDF_OK)
		return;
	for (int i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", rows[i].id);
		offer(c, id, rows[i].title, 0);
	}
	free(rows);
}

static void offer_decisions(candidates *c, ui_app *app, const char *id_word)
{
	long long id = atoll(id_word);
	for (int i = 0; i < app->model.n_all; i++) {
		if (app->model.all[i].id != id)
			continue;
		const char *kind = inbox_deciding_kind(&app->model.all[i]);
		const char *const *d = kind ? inbox_decisions(kind) : NULL;
		if (d)
			offer_list(c, d);
	}
}

/* What can stand at word index idx after the words before it. */
static void gather(candidates *c, ui_app *app, char **w, int idx)
{
	static const char *const commands[] = { "ack", "snooze", "resolve", "decide", "escalate",
		"phase", "hours", "idea", "review", "sync", "window", "walkthrough", "health",
		"help", "quit", NULL };
	static const char *const phase_subs[] = { "signoff", "complete", "reopen", NULL };
	static const char *const hours_subs[] = { "add", "list", "rm", NULL };
	static const char *const idea_subs[] = { "add", "link", NULL };
	static const char *const review_subs[] = { "add", NULL };
	static const char *const windows[] = { "today", "7d", "14d", "30d", "90d", "all", NULL };
	if (idx == 0) {
		offer_list(c, commands);
		return;
	}
	const char *cmd = w[0];
	if (strcmp(w[idx - 1], "--product") == 0) {
		offer_products(c, app);
	} else if (strcmp(cmd, "phase") == 0) {
		if (idx == 1)
			offer_list(c, phase_subs);
		else if (idx == 2)
			offer_phases(c, app);
		else if (idx == 3 && strcmp(w[1], "signoff") == 0) {
			const phase_def *p = phases_by_number(app->catalog, atoi(w[2]));
			for (size_t i = 0; p && i < p->n_signoffs; i++)
				offer(c, p->signoffs[i].id, p->signoffs[i].description, 0);
		}
	} else if (strcmp(cmd, "ack") == 0 || strcmp(cmd, "snooze") == 0 ||
		strcmp(cmd, "resolve") == 0 || strcmp(cmd, "decide") == 0) {
		if (idx == 1)
			offer_escalations(c, app);
		else if (idx == 2 && strcmp(cmd, "decide") == 0)
			offer_decisions(c, app, w[1]);
	} else if (strcmp(cmd, "escalate") == 0 && idx == 1) {
		offer_list(c, inbox_kinds);
	} else if (strcmp(cmd, "hours") == 0 && idx == 1) {
		offer_list(c, hours_subs);
	} else if (strcmp(cmd, "idea") == 0) {
		if (idx == 1)
			offer_list(c, idea_subs);
		else if (idx == 2 && strcmp(w[1], "link") == 0)
			offer_ideas(c, app);
		else if (idx == 3 && strcmp(w[1], "link") == 0)
			offer_products(c, app);
	} else if (strcmp(cmd, "review") == 0 && idx == 1) {
		offer_list(c, review_subs);
	} else if (strcmp(cmd, "window") == 0 && idx == 1) {
		offer_list(c, windows);
	} else if (strcmp(cmd, "walkthrough") == 0 && idx == 1) {
		offer_phases(c, app);
	}
}

/* Length of what every candidate word shares. */
static size_t common_prefix(const candidates *c)
{
	size_t len = strlen(c->word[0]);
	for (int i = 1; i < c->n; i++) {
		size_t k = 0;
		while (k < len && c->word[i][k] == c->word[0][k])
			k++;
		len = k;
	}
	return len;
}

int complete_command(ui_app *app, char *line, size_t n, char *hint, size_t hn)
{
	hint[0] = '\0';
	size_t len = strlen(line);
	size_t start = len;
	while (start > 0 && line[start - 1] != ' ')
		start--;
	char before[PROMPT_MAX * 2];
	char *w[COMMAND_MAX_ARGS + 1];
	char head[PROMPT_MAX];
	snprintf(head, sizeof head, "%.*s", (int)start, line);
	int idx = command_split(head, before, sizeof before, w, COMMAND_MAX_ARGS);
	if (idx < 0)
		return 0;
	candidates c = { .n = 0, .prefix = line + start };
	gather(&c, app, w, idx);
	if (c.n == 0) {
		snprintf(hint, hn, "no completion");
		return 0;
	}
	size_t take = c.n == 1 ? strlen(c.word[0]) : common_prefix(&c);
	/* A title match replaces the typed word with the id. */
	int by_title = c.n == 1 && !starts_with(c.word[0], c.prefix);
	size_t typed = strlen(c.prefix);
	if (!by_title && take <= typed && c.n > 1) {
		size_t used = 0;
		for (int i = 0; i < c.n && used + 1 < hn; i++)
			used += (size_t)snprintf(hint + used, hn - used, "%s%s%s%s%s", i ? "  " : "",
				c.word[i], c.what[i][0] ? " (" : "", c.what[i], c.what[i][0] ? ")" : "");
		return 0;
	}
	char out[PROMPT_MAX];
	if (c.n == 1 && strpbrk(c.word[0], " \t\"'\\")) {
		/* A whole word that needs quoting for command_split. */
		snprintf(out, sizeof out, "%.*s", (int)start, line);
		command_quote(out, sizeof out, c.word[0]);
		strncat(out, " ", sizeof out - strlen(out) - 1);
	} else {
		snprintf(out, sizeof out, "%.*s%.*s%s", (int)start, line, (int)take, c.word[0],
			c.n == 1 ? " " : "");
	}
	if (strlen(out) >= n)
		return 0;
	snprintf(line, n, "%s", out);
	if (c.n == 1 && c.what[0][0])
		snprintf(hint, hn, "%s", c.what[0]);
	return 1;
}
