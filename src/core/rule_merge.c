#include "okdf/core/rule_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/inbox.h"
#include "okdf/store/db.h"
#include "okdf/store/inbox.h"

typedef struct pending {
	char kind[48], severity[16], source[64], title[256], key[256];
	cJSON *ev;
	cJSON *sources; /* array of "type:id" */
	int parent;     /* union-find over shared sources */
} pending;

struct rule_merge {
	pending *p;
	int n, cap;
};

rule_merge *rule_merge_create(void)
{
	return calloc(1, sizeof(rule_merge));
}

static void clear(rule_merge *m)
{
	for (int i = 0; i < m->n; i++) {
		cJSON_Delete(m->p[i].ev);
		cJSON_Delete(m->p[i].sources);
	}
	m->n = 0;
}

void rule_merge_destroy(rule_merge *m)
{
	if (!m)
		return;
	clear(m);
	free(m->p);
	free(m);
}

static void add_source(cJSON *sources, const char *type, const char *id)
{
	if (!id || !id[0])
		return;
	char s[200];
	snprintf(s, sizeof s, "%s:%s", type, id);
	const cJSON *it;
	cJSON_ArrayForEach(it, sources)
		if (strcmp(cJSON_GetStringValue(it), s) == 0)
			return;
	cJSON_AddItemToArray(sources, cJSON_CreateString(s));
}

static cJSON *sources_of(const cJSON *ev)
{
	cJSON *s = cJSON_CreateArray();
	add_source(s, "conversation", cJSON_GetStringValue(cJSON_GetObjectItem(ev, "conversation_id")));
	add_source(s, "ad", cJSON_GetStringValue(cJSON_GetObjectItem(ev, "ad_id")));
	add_source(s, "account", cJSON_GetStringValue(cJSON_GetObjectItem(ev, "account_id")));
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(ev, "items"))
		add_source(s, cJSON_GetStringValue(cJSON_GetObjectItem(it, "type")),
			cJSON_GetStringValue(cJSON_GetObjectItem(it, "id")));
	return s;
}

int rule_merge_add(rule_merge *m, const char *kind, const char *severity, const char *source,
	const char *title, cJSON *evidence, const char *dedup_key, okdf_err *e)
{
	if (m->n == m->cap) {
		int cap = m->cap ? m->cap * 2 : 16;
		pending *p = realloc(m->p, sizeof *p * (size_t)cap);
		if (!p) {
			cJSON_Delete(evidence);
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
		m->p = p;
		m->cap = cap;
	}
	pending *p = &m->p[m->n];
	memset(p, 0, sizeof *p);
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	snprintf(p->severity, sizeof p->severity, "%s", severity);
	snprintf(p->source, sizeof p->source, "%s", source);
	snprintf(p->title, sizeof p->title, "%s", title);
	snprintf(p->key, sizeof p->key, "%s", dedup_key);
	p->ev = evidence;
	p->sources = sources_of(evidence);
	p->parent = m->n++;
	return OKDF_OK;
}

static int find(rule_merge *m, int i)
{
	while (m->p[i].parent != i)
		i = m->p[i].parent = m->p[m->p[i].parent].parent;
	return i;
}

static int shares_source(const pending *a, const pending *b)
{
	const cJSON *x, *y;
	cJSON_ArrayForEach(x, a->sources)
		cJSON_ArrayForEach(y, b->sources)
			if (strcmp(cJSON_GetStringValue(x), cJSON_GetStringValue(y)) == 0)
				return 1;
	return 0;
}

static int rank(const char *severity)
{
	return strcmp(severity, "critical") == 0 ? 3 : strcmp(severity, "high") == 0 ? 2 : 1;
}

static void merge_sources(cJSON *into, const cJSON *from)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, from) {
		int have = 0;
		const cJSON *x;
		cJSON_ArrayForEach(x, into)
			have |= strcmp(cJSON_GetStringValue(x), cJSON_GetStringValue(it)) == 0;
		if (!have)
			cJSON_AddItemToArray(into, cJSON_CreateString(cJSON_GetStringValue(it)));
	}
}

/* Adds the items (matching messages and notes) of from to into's. */
static void merge_items(cJSON *into, const cJSON *from)
{
	const cJSON *theirs = cJSON_GetObjectItem(from, "items"), *it;
	if (!cJSON_GetArraySize(theirs))
		return;
	cJSON *mine = cJSON_GetObjectItem(into, "items");
	if (!mine)
		mine = cJSON_AddArrayToObject(into, "items");
	cJSON_ArrayForEach(it, theirs) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
		int have = 0;
		const cJSON *x;
		cJSON_ArrayForEach(x, mine) {
			const char *xid = cJSON_GetStringValue(cJSON_GetObjectItem(x, "id"));
			have |= id && xid && strcmp(id, xid) == 0;
		}
		if (!have)
			cJSON_AddItemToArray(mine, cJSON_Duplicate(it, 1));
	}
}

/* The rules an escalation lists: "rules" of its evidence, else its own kind. */
static int lists_rule(const cJSON *ev, const char *own_kind, const char *kind)
{
	const cJSON *rules = cJSON_GetObjectItem(ev, "rules"), *it;
	if (!rules)
		return strcmp(own_kind, kind) == 0;
	cJSON_ArrayForEach(it, rules)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind")) ?
			cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind")) : "", kind) == 0)
			return 1;
	return 0;
}

/* One entry of "rules": the rule's kind, severity, title and its own
 * evidence (fields two rules share, like keywords, differ between them). */
static cJSON *rule_entry(const char *kind, const char *severity, const char *title,
	const cJSON *ev)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "kind", kind);
	cJSON_AddStringToObject(r, "severity", severity);
	cJSON_AddStringToObject(r, "title", title);
	cJSON *own = cJSON_AddObjectToObject(r, "evidence");
	const cJSON *it;
	cJSON_ArrayForEach(it, ev)
		if (strcmp(it->string, "sources") != 0 && strcmp(it->string, "rules") != 0)
			cJSON_AddItemToObject(own, it->string, cJSON_Duplicate(it, 1));
	return r;
}

/* What the merged escalation says, built up member by member. */
typedef struct merged {
	char kind[48], severity[16], title[256];
	cJSON *ev;   /* owns */
	int n_rules;
} merged;

/* Adds one rule's escalation to mg: its fields where mg lacks them, its
 * sources, its entry in "rules"; the severity and kind as the header says. */
static void merge_in(merged *mg, const char *kind, const char *severity, const char *title,
	const cJSON *ev)
{
	if (!mg->ev) {
		mg->ev = cJSON_Duplicate(ev, 1);
		snprintf(mg->kind, sizeof mg->kind, "%s", kind);
		snprintf(mg->severity, sizeof mg->severity, "%s", severity);
		snprintf(mg->title, sizeof mg->title, "%s", title);
	} else {
		const cJSON *it;
		cJSON_ArrayForEach(it, ev)
			if (strcmp(it->string, "sources") != 0 && strcmp(it->string, "rules") != 0 &&
				!cJSON_HasObjectItem(mg->ev, it->string))
				cJSON_AddItemToObject(mg->ev, it->string, cJSON_Duplicate(it, 1));
		if (rank(severity) > rank(mg->severity)) {
			snprintf(mg->severity, sizeof mg->severity, "%s", severity);
			snprintf(mg->title, sizeof mg->title, "%s", title);
			snprintf(mg->kind, sizeof mg->kind, "%s", kind);
		}
	}
	cJSON *rules = cJSON_GetObjectItem(mg->ev, "rules");
	if (!rules)
		rules = cJSON_AddArrayToObject(mg->ev, "rules");
	if (!lists_rule(mg->ev, "", kind))
		cJSON_AddItemToArray(rules, rule_entry(kind, severity, title, ev));
	mg->n_rules = cJSON_GetArraySize(rules);
	cJSON *sources = cJSON_GetObjectItem(mg->ev, "sources");
	if (!sources)
		sources = cJSON_AddArrayToObject(mg->ev, "sources");
	cJSON *theirs = sources_of(ev);
	merge_sources(sources, theirs);
	cJSON_Delete(theirs);
}

/* Rules that matched the source of an unresolved escalation join it. */
static int join_existing(okdf_db *db, long long id, rule_merge *m, int root, long long now,
	int *joined, okdf_err *e)
{
	*joined = 0;
	escalation x;
	int rc = escalation_get(db, id, &x, e);
	if (rc)
		return rc;
	cJSON *ev = cJSON_Parse(x.evidence ? x.evidence : "{}");
	merged mg = { 0 };
	if (!cJSON_IsObject(ev)) {
		cJSON_Delete(ev);
		ev = cJSON_CreateObject();
	}
	/* The escalation as it stands first, then the newcomers. */
	if (!cJSON_GetObjectItem(ev, "rules")) {
		cJSON *rules = cJSON_AddArrayToObject(ev, "rules");
		cJSON_AddItemToArray(rules, rule_entry(x.kind, x.severity, x.title, ev));
	}
	merge_in(&mg, x.kind, x.severity, x.title, ev);
	char added[512] = "";
	cJSON *sources = cJSON_GetObjectItem(mg.ev, "sources");
	int before = cJSON_GetArraySize(sources);
	for (int i = 0; i < m->n && !rc; i++) {
		pending *p = &m->p[i];
		if (find(m, i) != root)
			continue;
		if (lists_rule(mg.ev, "", p->kind)) {
			/* A rule already listed that now also matches other sources. */
			merge_sources(sources, p->sources);
			merge_items(mg.ev, p->ev);
			continue;
		}
		merge_in(&mg, p->kind, p->severity, p->title, p->ev);
		size_t len = strlen(added);
		snprintf(added + len, sizeof added - len, "%s%s", len ? ", " : "", p->kind);
	}
	int more = cJSON_GetArraySize(cJSON_GetObjectItem(mg.ev, "sources")) - before;
	if (!rc && (added[0] || more > 0)) {
		char *json = cJSON_PrintUnformatted(mg.ev);
		char note[600];
		if (added[0])
			snprintf(note, sizeof note, "the same source also matched %s", added);
		else
			snprintf(note, sizeof note, "%d more source%s matched the same rules", more,
				more == 1 ? "" : "s");
		rc = json ? inbox_rule_joined(db, id, mg.kind, mg.severity, mg.title, json, note, now,
			e) : okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		free(json);
	}
	*joined = 1;
	cJSON_Delete(ev);
	cJSON_Delete(mg.ev);
	escalation_free(&x);
	return rc;
}

static int raise_group(rule_merge *m, int root, okdf_db *db, long long now, int *raised,
	okdf_err *e)
{
	int members = 0, primary = -1;
	for (int i = 0; i < m->n; i++) {
		if (find(m, i) != root)
			continue;
		members++;
		if (primary < 0 || rank(m->p[i].severity) > rank(m->p[primary].severity))
			primary = i;
	}
	pending *pp = &m->p[primary];
	/* Already covered by an unresolved escalation of the same source? */
	cJSON *all = cJSON_CreateArray();
	for (int i = 0; i < m->n; i++)
		if (find(m, i) == root)
			merge_sources(all, m->p[i].sources);
	long long existing = 0;
	int rc = OKDF_OK;
	const cJSON *it;
	cJSON_ArrayForEach(it, all) {
		if (existing || rc)
			break;
		rc = escalation_find_by_source(db, cJSON_GetStringValue(it), &existing, e);
	}
	cJSON_Delete(all);
	if (rc)
		return rc;
	if (existing) {
		int joined;
		return join_existing(db, existing, m, root, now, &joined, e);
	}
	merged mg = { 0 };
	cJSON *ev;
	if (members == 1 && cJSON_GetArraySize(pp->sources) == 0) {
		ev = cJSON_Duplicate(pp->ev, 1);
		snprintf(mg.kind, sizeof mg.kind, "%s", pp->kind);
		snprintf(mg.severity, sizeof mg.severity, "%s", pp->severity);
		snprintf(mg.title, sizeof mg.title, "%s", pp->title);
	} else {
		merge_in(&mg, pp->kind, pp->severity, pp->title, pp->ev);
		for (int i = 0; i < m->n; i++)
			if (i != primary && find(m, i) == root)
				merge_in(&mg, m->p[i].kind, m->p[i].severity, m->p[i].title, m->p[i].ev);
		ev = mg.ev;
		if (mg.n_rules == 1)
			cJSON_DeleteItemFromObject(ev, "rules");
	}
	char *json = cJSON_PrintUnformatted(ev);
	cJSON_Delete(ev);
	if (!json)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	char title[256];
	if (mg.n_rules > 1)
		snprintf(title, sizeof title, "%.200s (+%d rule%s)", mg.title, mg.n_rules - 1,
			mg.n_rules == 2 ? "" : "s");
	else
		snprintf(title, sizeof title, "%s", mg.title);
	inbox_new n = { mg.kind, mg.severity, pp->source, title, json, pp->key };
	long long id;
	int one = 0;
	rc = inbox_raise(db, &n, NULL, NULL, now, &id, &one, e);
	free(json);
	*raised += one;
	return rc;
}

int rule_merge_flush(rule_merge *m, okdf_db *db, long long now, int *raised, okdf_err *e)
{
	for (int i = 0; i < m->n; i++)
		for (int j = 0; j < i; j++)
			if (find(m, i) != find(m, j) && shares_source(&m->p[i], &m->p[j]))
				m->p[find(m, i)].parent = find(m, j);
	int rc = OKDF_OK;
	for (int i = 0; i < m->n && !rc; i++)
		if (find(m, i) == i)
			rc = raise_group(m, i, db, now, raised, e);
	clear(m);
	return rc;
}
