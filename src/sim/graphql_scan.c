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

/* Copies the text between balanced parentheses, s->p on the '('. */
static void read_args(struct scanner *s, char *out, size_t size)
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
	size_t n = (size_t)(s->p - start);
	if (n >= size)
		n = size - 1;
	if (out) {
		memcpy(out, start, n);
		out[n] = '\0';
	}
	if (*s->p)
		s->p++;
}

static long first_value(const char *args, const cJSON *vars)
{
	char v[64];
	if (!gql_arg(args, "first", vars, v, sizeof v))
		return -1;
	return strtol(v, NULL, 10);
}

static bool is_passthrough(const char *name)
{
	return !strcmp(name, "nodes") || !strcmp(name, "edges") || !strcmp(name, "node");
}

/* Returns the summed cost of the selection set at s->p ('{'). */
static double scan_selection(struct scanner *s, int depth)
{
	double total = 0;
	if (*s->p == '{')
		s->p++;
	for (;;) {
		skip_ignored(s);
		if (!*s->p)
			return total;
		if (*s->p == '}') {
			s->p++;
			return total;
		}
		if (!strncmp(s->p, "...", 3)) {
			s->p += 3;
			skip_ignored(s);
			char word[64];
			read_name(s, word, sizeof word);
			if (!strcmp(word, "on")) {
				skip_ignored(s);
				read_name(s, word, sizeof word);
				skip_ignored(s);
				if (*s->p == '{')
					total += scan_selection(s, depth);
			}
			continue;
		}
		char name[48], args[1024] = "";
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
		if (*s->p == '(') {
			read_args(s, args, sizeof args);
			skip_ignored(s);
		}
		while (*s->p == '@') { /* directives */
			s->p++;
			char word[64];
			read_name(s, word, sizeof word);
			skip_ignored(s);
			if (*s->p == '(')
				read_args(s, NULL, 0);
			skip_ignored(s);
		}
		if (!strcmp(name, "edges"))
			s->doc->uses_edges = true;
		if (*s->p != '{') {
			if (depth == 0 && s->doc->n_roots < GQL_MAX_ROOTS) {
				struct gql_root *r = &s->doc->roots[s->doc->n_roots++];
				memset(r, 0, sizeof *r);
				snprintf(r->name, sizeof r->name, "%s", name);
				snprintf(r->args, sizeof r->args, "%s", args);
				r->first = -1;
			}
			continue; /* scalar: free */
		}
		double child = scan_selection(s, depth + 1);
		long first = first_value(args, s->vars);
		double cost;
		bool connection = first >= 0;
		if (!strcmp(name, "pageInfo"))
			cost = 0;
		else if (is_passthrough(name))
			cost = child;
		else if (connection)
			cost = 2 + (double)first * (1 + child);
		else
			cost = 1 + child;
		if (depth == 0 && s->doc->n_roots < GQL_MAX_ROOTS) {
			struct gql_root *r = &s->doc->roots[s->doc->n_roots++];
			snprintf(r->name, sizeof r->name, "%s", name);
			snprintf(r->args, sizeof r->args, "%s", args);
			r->node_cost = 1 + child;
			r->cost = cost;
			r->is_connection = connection;
			r->first = first;
		}
		total += cost;
	}
}

int gql_scan(const char *query, const cJSON *variables, struct gql_document *doc)
{
	memset(doc, 0, sizeof *doc);
	struct scanner s = {query, variables, doc};
	/* Skip the operation header (keyword, name, variable definitions). */
	while (*s.p && *s.p != '{') {
		if (*s.p == '"')
			skip_string(&s.p);
		else if (*s.p == '(')
			read_args(&s, NULL, 0);
		else if (*s.p == '#')
			skip_ignored(&s);
		else
			s.p++;
	}
	if (*s.p != '{')
		return -1;
	scan_selection(&s, 0);
	return 0;
}

double gql_total_cost(const struct gql_document *doc)
{
	double total = 0;
	for (int i = 0; i < doc->n_roots; i++)
		total += doc->roots[i].cost;
	return total;
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

bool gql_arg(const char *args, const char *name, const cJSON *variables, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = args;
	while (*p) {
		if (*p == '"') {
			skip_string(&p);
			continue;
		}
		bool at_word = (p == args || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$'));
		if (!at_word || strncmp(p, name, nlen) != 0 ||
		    isalnum((unsigned char)p[nlen]) || p[nlen] == '_') {
			p++;
			continue;
		}
		const char *q = p + nlen;
		while (isspace((unsigned char)*q))
			q++;
		if (*q != ':') {
			p++;
			continue;
		}
		q++;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == '$') {
			char var[64];
			size_t n = 0;
			for (q++; (isalnum((unsigned char)*q) || *q == '_') && n + 1 < sizeof var; q++)
				var[n++] = *q;
			var[n] = '\0';
			return var_text(variables, var, out, size);
		}
		if (*q == '"') {
			size_t n = 0;
			for (q++; *q && *q != '"' && n + 1 < size; q++) {
				if (*q == '\\' && q[1])
					q++;
				out[n++] = *q;
			}
			out[n] = '\0';
			return true;
		}
		size_t n = 0;
		while (*q && !isspace((unsigned char)*q) && *q != ',' && *q != ')' && n + 1 < size)
			out[n++] = *q++;
		out[n] = '\0';
		return n > 0 && strcmp(out, "null") != 0;
	}
	return false;
}
