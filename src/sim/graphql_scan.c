#include "graphql_scan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scanner {
	const char *p;
	const cJSON *vars;
	struct gql_document *doc;
};

static void skip_ignored(struct scanner *s)
{
	for (;;) {
		while (*s->p && (isspace((unsigned char)*s->p) || *s->p == ','))
			s->p++;
		if (*s->p != '#')
			return;
		while (*s->p && *s->p != '\n')
			s->p++;
	}
}

static void skip_string(const char **pp)
{
	const char *p = *pp;
	if (!strncmp(p, "\"\"\"", 3)) {
		const char *end = strstr(p + 3, "\"\"\"");
		*pp = end ? end + 3 : p + strlen(p);
		return;
	}
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	*pp = *p ? p + 1 : p;
}

static size_t read_name(struct scanner *s, char *out, size_t size)
{
	size_t n = 0;
	while (isalnum((unsigned char)*s->p) || *s->p == '_') {
		if (n + 1 < size)
			out[n++] = *s->p;
		s->p++;
	}
	out[n] = '\0';
	return n;
}

/* Steps over balanced parentheses at s->p; returns the inner text span. */
static const char *skip_args(struct scanner *s, size_t *len)
{
	int depth = 0;
	const char *start = s->p + 1;
	while (*s->p) {
		if (*s->p == '"') {
			skip_string(&s->p);
			continue;
		}
		if (*s->p == '(')
			depth++;
		else if (*s->p == ')' && --depth == 0)
			break;
		s->p++;
	}
	*len = (size_t)(s->p - start);
	if (*s->p)
		s->p++;
	return start;
}

/* Appends a child to parent (-1: a root); returns its index or -1 when full. */
static int add_field(struct gql_document *doc, int parent, const char *name)
{
	if (doc->n_fields == GQL_MAX_FIELDS)
		return -1;
	int i = doc->n_fields++;
	struct gql_field *f = &doc->fields[i];
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	f->first = -1;
	f->child = f->next = -1;
	int *link = parent < 0 ? &doc->root : &doc->fields[parent].child;
	while (*link >= 0)
		link = &doc->fields[*link].next;
	*link = i;
	return i;
}

/* Steps over a balanced selection set at s->p ('{') without recording it. */
static void skip_selection(struct scanner *s)
{
	int depth = 0;
	while (*s->p) {
		if (*s->p == '"') {
			skip_string(&s->p);
			continue;
		}
		if (*s->p == '{')
			depth++;
		else if (*s->p == '}' && --depth == 0) {
			s->p++;
			return;
		}
		s->p++;
	}
}

#define MAX_DEPTH 32

/* Reads the selection set at s->p ('{') into children of parent. */
static void scan_selection(struct scanner *s, int parent, int depth)
{
	if (depth > MAX_DEPTH) {
		skip_selection(s);
		return;
	}
	if (*s->p == '{')
		s->p++;
	for (;;) {
		skip_ignored(s);
		if (!*s->p)
			return;
		if (*s->p == '}') {
			s->p++;
			return;
		}
		if (!strncmp(s->p, "...", 3)) { /* inline fragments merge into the parent */
			s->p += 3;
			skip_ignored(s);
			char word[64];
			read_name(s, word, sizeof word);
			if (!strcmp(word, "on")) {
				skip_ignored(s);
				read_name(s, word, sizeof word);
			}
			skip_ignored(s);
			if (*s->p == '{')
				scan_selection(s, parent, depth + 1);
			continue;
		}
		char name[48];
		if (!read_name(s, name, sizeof name)) {
			s->p++; /* unknown punctuation: step over it */
			continue;
		}
		skip_ignored(s);
		if (*s->p == ':') { /* alias: the field name follows */
			s->p++;
			skip_ignored(s);
			read_name(s, name, sizeof name);
			skip_ignored(s);
		}
		int i = add_field(s->doc, parent, name);
		if (*s->p == '(') {
			size_t len;
			const char *args = skip_args(s, &len);
			if (i >= 0) {
				s->doc->fields[i].args = args;
				s->doc->fields[i].args_len = len;
				char v[32];
				if (gql_arg(&s->doc->fields[i], "first", s->vars, v, sizeof v))
					s->doc->fields[i].first = strtol(v, NULL, 10);
			}
			skip_ignored(s);
		}
		while (*s->p == '@') { /* directives */
			s->p++;
			char word[64];
			read_name(s, word, sizeof word);
			skip_ignored(s);
			size_t len;
			if (*s->p == '(')
				(void)skip_args(s, &len);
			skip_ignored(s);
		}
		if (*s->p == '{') {
			if (i < 0) { /* document too large: its fields go unrecorded */
				skip_selection(s);
				continue;
			}
			s->doc->fields[i].has_selection = true;
			scan_selection(s, i, depth + 1);
		}
	}
}

int gql_scan(const char *query, const cJSON *variables, struct gql_document *doc)
{
	doc->n_fields = 0;
	doc->root = -1;
	struct scanner s = {query, variables, doc};
	/* Skip the operation header (keyword, name, variable definitions). */
	while (*s.p && *s.p != '{') {
		size_t len;
		if (*s.p == '"')
			skip_string(&s.p);
		else if (*s.p == '(')
			(void)skip_args(&s, &len);
		else if (*s.p == '#')
			skip_ignored(&s);
		else
			s.p++;
	}
	if (*s.p != '{')
		return -1;
	scan_selection(&s, -1, 0);
	return 0;
}

static bool var_text(const cJSON *vars, const char *name, char *out, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(vars, name);
	if (cJSON_IsString(v))
		snprintf(out, size, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(out, size, "%.0f", v->valuedouble);
	else if (cJSON_IsBool(v))
		snprintf(out, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
	else
		return false;
	return true;
}

bool gql_arg(const struct gql_field *f, const char *name, const cJSON *variables, char *out,
	     size_t size)
{
	size_t nlen = strlen(name);
	const char *p = f->args, *end = f->args + f->args_len;
	while (p && p < end) {
		if (*p == '"') {
			skip_string(&p);
			continue;
		}
		bool at_word = p == f->args || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
						 p[-1] == '$');
		if (!at_word || (size_t)(end - p) <= nlen || strncmp(p, name, nlen) != 0 ||
		    isalnum((unsigned char)p[nlen]) || p[nlen] == '_') {
			p++;
			continue;
		}
		const char *q = p + nlen;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q == end || *q != ':') {
			p++;
			continue;
		}
		for (q++; q < end && isspace((unsigned char)*q); q++)
			;
		size_t n = 0;
		if (q < end && *q == '$') {
			char var[64];
			for (q++; q < end && (isalnum((unsigned char)*q) || *q == '_') && n + 1 < sizeof var; q++)
				var[n++] = *q;
			var[n] = '\0';
			return var_text(variables, var, out, size);
		}
		if (q < end && *q == '"') {
			for (q++; q < end && *q != '"' && n + 1 < size; q++) {
				if (*q == '\\' && q + 1 < end)
					q++;
				out[n++] = *q;
			}
			out[n] = '\0';
			return true;
		}
		while (q < end && !isspace((unsigned char)*q) && *q != ',' && n + 1 < size)
			out[n++] = *q++;
		out[n] = '\0';
		return n > 0 && strcmp(out, "null") != 0;
	}
	return false;
}

static bool is_passthrough(const char *name)
{
	return !strcmp(name, "nodes") || !strcmp(name, "edges") || !strcmp(name, "node");
}

static double children_requested(const struct gql_document *doc, int i);

static double field_requested(const struct gql_document *doc, int i)
{
	const struct gql_field *f = &doc->fields[i];
	if (!f->has_selection || !strcmp(f->name, "pageInfo"))
		return 0;
	double inner = children_requested(doc, f->child);
	if (is_passthrough(f->name))
		return inner;
	if (f->first >= 0)
		return 2 + (double)f->first * (1 + inner);
	return 1 + inner;
}

static double children_requested(const struct gql_document *doc, int i)
{
	double sum = 0;
	for (; i >= 0; i = doc->fields[i].next)
		sum += field_requested(doc, i);
	return sum;
}

double gql_node_requested_cost(const struct gql_document *doc, int f)
{
	return 1 + children_requested(doc, doc->fields[f].child);
}

bool gql_uses_edges(const struct gql_document *doc)
{
	for (int i = 0; i < doc->n_fields; i++)
		if (!strcmp(doc->fields[i].name, "edges"))
			return true;
	return false;
}

double gql_requested_cost(const struct gql_document *doc)
{
	return children_requested(doc, doc->root);
}

static double children_actual(const struct gql_document *doc, int i, const cJSON *obj);

/* Elements of a connection's nodes (or edges' node) each cost 1 + children. */
static double connection_actual(const struct gql_document *doc, const struct gql_field *f,
				const cJSON *conn)
{
	double sum = 2;
	for (int c = f->child; c >= 0; c = doc->fields[c].next) {
		const struct gql_field *cf = &doc->fields[c];
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(conn, cf->name);
		const cJSON *el;
		if (!strcmp(cf->name, "nodes")) {
			cJSON_ArrayForEach(el, list)
				sum += 1 + children_actual(doc, cf->child, el);
		} else if (!strcmp(cf->name, "edges")) {
			cJSON_ArrayForEach(el, list)
			{
				for (int n = cf->child; n >= 0; n = doc->fields[n].next)
					if (!strcmp(doc->fields[n].name, "node"))
						sum += 1 + children_actual(doc, doc->fields[n].child,
									   cJSON_GetObjectItemCaseSensitive(el, "node"));
			}
		}
	}
	return sum;
}

static double field_actual(const struct gql_document *doc, int i, const cJSON *value)
{
	const struct gql_field *f = &doc->fields[i];
	if (!f->has_selection || !value || cJSON_IsNull(value) || !strcmp(f->name, "pageInfo"))
		return 0;
	if (f->first >= 0 && cJSON_IsObject(value))
		return connection_actual(doc, f, value);
	if (cJSON_IsArray(value)) {
		double sum = 0;
		const cJSON *el;
		cJSON_ArrayForEach(el, value)
			sum += 1 + children_actual(doc, f->child, el);
		return sum;
	}
	return 1 + children_actual(doc, f->child, value);
}

static double children_actual(const struct gql_document *doc, int i, const cJSON *obj)
{
	double sum = 0;
	for (; i >= 0; i = doc->fields[i].next)
		sum += field_actual(doc, i, cJSON_GetObjectItemCaseSensitive(obj, doc->fields[i].name));
	return sum;
}

double gql_actual_cost(const struct gql_document *doc, const cJSON *data)
{
	return children_actual(doc, doc->root, data);
}

static int edges_in(const struct gql_document *doc, int i, cJSON *obj);

static int edges_in_value(const struct gql_document *doc, int i, cJSON *value)
{
	const struct gql_field *f = &doc->fields[i];
	if (!f->has_selection || !value)
		return 0;
	if (cJSON_IsArray(value)) {
		cJSON *el;
		cJSON_ArrayForEach(el, value)
			if (edges_in(doc, f->child, el))
				return -1;
		return 0;
	}
	if (!cJSON_IsObject(value))
		return 0;
	if (f->first >= 0) {
		cJSON *nodes = cJSON_GetObjectItemCaseSensitive(value, "nodes");
		int node_sel = -1;
		bool wants_edges = false;
		for (int c = f->child; c >= 0; c = doc->fields[c].next) {
			if (!strcmp(doc->fields[c].name, "edges")) {
				wants_edges = true;
				for (int n = doc->fields[c].child; n >= 0; n = doc->fields[n].next)
					if (!strcmp(doc->fields[n].name, "node"))
						node_sel = doc->fields[n].child;
			}
		}
		if (wants_edges && cJSON_IsArray(nodes) && !cJSON_HasObjectItem(value, "edges")) {
			cJSON *edges = cJSON_AddArrayToObject(value, "edges");
			int k = 0;
			cJSON *n;
			cJSON_ArrayForEach(n, nodes)
			{
				cJSON *e = cJSON_CreateObject();
				char cursor[24];
				snprintf(cursor, sizeof cursor, "sim-edge-%d", k++);
				if (!e || !cJSON_AddStringToObject(e, "cursor", cursor) ||
				    !cJSON_AddItemToObject(e, "node", cJSON_Duplicate(n, true))) {
					cJSON_Delete(e);
					return -1;
				}
				cJSON_AddItemToArray(edges, e);
			}
		}
		cJSON *edges = cJSON_GetObjectItemCaseSensitive(value, "edges");
		cJSON *e;
		cJSON_ArrayForEach(e, edges)
			if (edges_in(doc, node_sel, cJSON_GetObjectItemCaseSensitive(e, "node")))
				return -1;
		for (int c = f->child; c >= 0; c = doc->fields[c].next)
			if (!strcmp(doc->fields[c].name, "nodes"))
				cJSON_ArrayForEach(e, nodes)
					if (edges_in(doc, doc->fields[c].child, e))
						return -1;
		return 0;
	}
	return edges_in(doc, f->child, value);
}

static int edges_in(const struct gql_document *doc, int i, cJSON *obj)
{
	for (; i >= 0 && obj; i = doc->fields[i].next)
		if (edges_in_value(doc, i, cJSON_GetObjectItemCaseSensitive(obj, doc->fields[i].name)))
			return -1;
	return 0;
}

int gql_add_edges(const struct gql_document *doc, cJSON *data)
{
	return edges_in(doc, doc->root, data);
}
