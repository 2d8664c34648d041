/* The phase catalog: reads data/phases.json (or any catalog file) and
 * validates it whole before anyone sees it: every field's type, slugs,
 * unique ids and numbers, prerequisites that exist and form no cycle; every
 * error names the file and the JSON path (or the line of malformed JSON).
 * The phases come out sorted by number, prerequisites as indices; lookups by
 * number and id. What a phase's state is lives in phase_gate.c, how it
 * changes in phase_record.c. */
#include "okdf/core/phases.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "okdf/core/checks.h"

/* The largest catalog file we accept; the real one is a few kilobytes. */
#define CATALOG_MAX_BYTES (1024 * 1024)

/* While validating, prerequisites are kept as indices in file order. */
struct load {
	const char *file;
	okdf_err *e;
	phase_catalog *cat;
	const cJSON *const *items; /* $.phases[i] */
};

static int fail_at(struct load *ld, const char *jpath, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct load *ld, const char *jpath, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return okdf_err_set(ld->e, OKDF_EINPUT, "%s: %s: %s", ld->file, jpath, msg);
}

static int out_of_memory(okdf_err *e)
{
	return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
}

static const char *json_type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	return "an unknown value";
}

/* Looks up key in obj; missing is an error unless optional. */
static int field(struct load *ld, const cJSON *obj, const char *jpath, const char *key,
	int optional, const cJSON **out)
{
	*out = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!*out && !optional)
		return fail_at(ld, jpath, "missing field \"%s\"", key);
	return OKDF_OK;
}

static int string_field(struct load *ld, const cJSON *obj, const char *jpath, const char *key,
	char **out)
{
	const cJSON *v;
	int rc = field(ld, obj, jpath, key, 0, &v);
	if (rc)
		return rc;
	char sub[256];
	snprintf(sub, sizeof sub, "%s.%s", jpath, key);
	if (!cJSON_IsString(v))
		return fail_at(ld, sub, "expected a string, got %s", json_type_name(v));
	if (!v->valuestring[0])
		return fail_at(ld, sub, "must not be empty");
	*out = strdup(v->valuestring);
	return *out ? OKDF_OK : out_of_memory(ld->e);
}

static int slug_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int id_field(struct load *ld, const cJSON *obj, const char *jpath, char **out)
{
	int rc = string_field(ld, obj, jpath, "id", out);
	if (rc)
		return rc;
	if (!slug_ok(*out)) {
		char sub[256];
		snprintf(sub, sizeof sub, "%s.id", jpath);
		return fail_at(ld, sub, "\"%s\" is not an id (use a-z, 0-9 and _)", *out);
	}
	return OKDF_OK;
}

static int array_field(struct load *ld, const cJSON *obj, const char *jpath, const char *key,
	const cJSON **out)
{
	int rc = field(ld, obj, jpath, key, 0, out);
	if (rc)
		return rc;
	if (!cJSON_IsArray(*out)) {
		char sub[256];
		snprintf(sub, sizeof sub, "%s.%s", jpath, key);
		return fail_at(ld, sub, "expected an array, got %s", json_type_name(*out));
	}
	return OKDF_OK;
}

/* kind is "check" or "sign-off"; checks must also be registered. */
static int load_items(struct load *ld, const cJSON *obj, const char *jpath, const char *key,
	const char *kind, phase_item **out, size_t *n)
{
	const cJSON *arr;
	int rc = array_field(ld, obj, jpath, key, &arr);
	if (rc)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(arr);
	*out = calloc(count ? count : 1, sizeof **out);
	if (!*out)
		return out_of_memory(ld->e);
	size_t i = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		char ipath[256];
		snprintf(ipath, sizeof ipath, "%s.%s[%zu]", jpath, key, i);
		if (!cJSON_IsObject(it))
			return fail_at(ld, ipath, "expected an object, got %s", json_type_name(it));
		phase_item *item = &(*out)[i];
		*n = ++i;
		if ((rc = id_field(ld, it, ipath, &item->id))
			|| (rc = string_field(ld, it, ipath, "description", &item->description)))
			return rc;
		char idpath[272];
		snprintf(idpath, sizeof idpath, "%s.id", ipath);
		for (size_t j = 0; j + 1 < i; j++)
			if (strcmp((*out)[j].id, item->id) == 0)
				return fail_at(ld, idpath, "duplicate %s \"%s\" (also %s.%s[%zu].id)", kind,
					item->id, jpath, key, j);
		if (strcmp(kind, "check") == 0 && !checks_find(item->id))
			return fail_at(ld, idpath, "unknown check \"%s\"", item->id);
	}
	return OKDF_OK;
}

static int load_phase(struct load *ld, size_t idx, phase_def *p)
{
	const cJSON *obj = ld->items[idx];
	char jpath[64];
	snprintf(jpath, sizeof jpath, "$.phases[%zu]", idx);
	if (!cJSON_IsObject(obj))
		return fail_at(ld, jpath, "expected an object, got %s", json_type_name(obj));

	int rc = id_field(ld, obj, jpath, &p->id);
	if (rc)
		return rc;
	const cJSON *num;
	if ((rc = field(ld, obj, jpath, "number", 0, &num)))
		return rc;
	char sub[96];
	snprintf(sub, sizeof sub, "%s.number", jpath);
	if (!cJSON_IsNumber(num))
		return fail_at(ld, sub, "expected an integer, got %s", json_type_name(num));
	double v = num->valuedouble;
	if (v != floor(v) || v < 1 || v > 999)
		return fail_at(ld, sub, "expected an integer from 1 to 999, got %g", v);
	p->number = (int)v;

	if ((rc = string_field(ld, obj, jpath, "title", &p->title))
		|| (rc = string_field(ld, obj, jpath, "goal", &p->goal))
		|| (rc = string_field(ld, obj, jpath, "guidance", &p->guidance)))
		return rc;

	const cJSON *pre;
	if ((rc = array_field(ld, obj, jpath, "prerequisites", &pre)))
		return rc;
	size_t np = (size_t)cJSON_GetArraySize(pre);
	p->prereqs = calloc(np ? np : 1, sizeof *p->prereqs);
	if (!p->prereqs)
		return out_of_memory(ld->e);
	size_t i = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, pre) {
		snprintf(sub, sizeof sub, "%s.prerequisites[%zu]", jpath, i++);
		if (!cJSON_IsString(it))
			return fail_at(ld, sub, "expected a phase id, got %s", json_type_name(it));
	}
	p->n_prereqs = 0; /* resolved once every id is known */

	if ((rc = load_items(ld, obj, jpath, "checks", "check", &p->checks, &p->n_checks))
		|| (rc = load_items(ld, obj, jpath, "signoffs", "sign-off", &p->signoffs,
			&p->n_signoffs)))
		return rc;

	const cJSON *reopens;
	if ((rc = field(ld, obj, jpath, "reopens_on_brief_change", 1, &reopens)))
		return rc;
	if (reopens) {
		snprintf(sub, sizeof sub, "%s.reopens_on_brief_change", jpath);
		if (!cJSON_IsBool(reopens))
			return fail_at(ld, sub, "expected a boolean, got %s", json_type_name(reopens));
		p->reopens_on_brief_change = cJSON_IsTrue(reopens);
	}
	return OKDF_OK;
}

static int resolve_prereqs(struct load *ld)
{
	phase_catalog *cat = ld->cat;
	for (size_t i = 0; i < cat->n; i++) {
		const cJSON *pre = cJSON_GetObjectItemCaseSensitive(ld->items[i], "prerequisites");
		phase_def *p = &cat->phases[i];
		const cJSON *it;
		cJSON_ArrayForEach(it, pre) {
			char sub[96];
			snprintf(sub, sizeof sub, "$.phases[%zu].prerequisites[%zu]", i, p->n_prereqs);
			const phase_def *q = phases_by_id(cat, it->valuestring);
			if (!q)
				return fail_at(ld, sub, "unknown phase \"%s\"", it->valuestring);
			size_t qi = (size_t)(q - cat->phases);
			for (size_t j = 0; j < p->n_prereqs; j++)
				if (p->prereqs[j] == qi)
					return fail_at(ld, sub, "duplicate prerequisite \"%s\"", q->id);
			p->prereqs[p->n_prereqs++] = qi;
		}
	}
	return OKDF_OK;
}

enum { WHITE, GREY, BLACK };

/* Depth-first search; a grey node reached again closes a cycle, which is
 * named from the stack: "a -> b -> a" reads "a needs b, which needs a". */
static int find_cycle(struct load *ld, size_t i, int *colour, size_t *stack, size_t depth)
{
	const phase_catalog *cat = ld->cat;
	colour[i] = GREY;
	stack[depth] = i;
	for (size_t j = 0; j < cat->phases[i].n_prereqs; j++) {
		size_t q = cat->phases[i].prereqs[j];
		if (colour[q] == GREY) {
			char names[512] = "";
			size_t start = 0;
			while (stack[start] != q)
				start++;
			size_t len = 0;
			for (size_t k = start; k <= depth && len < sizeof names; k++)
				len += (size_t)snprintf(names + len, sizeof names - len, "%s -> ",
					cat->phases[stack[k]].id);
			if (len < sizeof names)
				snprintf(names + len, sizeof names - len, "%s", cat->phases[q].id);
			char sub[96];
			snprintf(sub, sizeof sub, "$.phases[%zu].prerequisites[%zu]", i, j);
			return fail_at(ld, sub, "prerequisite cycle: %s", names);
		}
		if (colour[q] == WHITE) {
			int rc = find_cycle(ld, q, colour, stack, depth + 1);
			if (rc)
				return rc;
		}
	}
	colour[i] = BLACK;
	return OKDF_OK;
}

static int check_acyclic(struct load *ld)
{
	size_t n = ld->cat->n;
	int *colour = calloc(n, sizeof *colour);
	size_t *stack = calloc(n, sizeof *stack);
	int rc = OKDF_OK;
	if (!colour || !stack)
		rc = out_of_memory(ld->e);
	for (size_t i = 0; i < n && !rc; i++)
		if (colour[i] == WHITE)
			rc = find_cycle(ld, i, colour, stack, 0);
	free(colour);
	free(stack);
	return rc;
}

static int check_unique(struct load *ld)
{
	const phase_catalog *cat = ld->cat;
	for (size_t i = 0; i < cat->n; i++) {
		for (size_t j = 0; j < i; j++) {
			char sub[64];
			if (strcmp(cat->phases[i].id, cat->phases[j].id) == 0) {
				snprintf(sub, sizeof sub, "$.phases[%zu].id", i);
				return fail_at(ld, sub, "duplicate phase id \"%s\" (also $.phases[%zu].id)",
					cat->phases[i].id, j);
			}
			if (cat->phases[i].number == cat->phases[j].number) {
				snprintf(sub, sizeof sub, "$.phases[%zu].number", i);
				return fail_at(ld, sub,
					"duplicate phase number %d (also $.phases[%zu].number)",
					cat->phases[i].number, j);
			}
		}
	}
	return OKDF_OK;
}

/* Sorts phases by number, remapping prerequisite indices. */
static int sort_by_number(phase_catalog *cat, okdf_err *e)
{
	size_t n = cat->n;
	size_t *order = malloc(n * sizeof *order); /* order[new] = old */
	size_t *where = malloc(n * sizeof *where); /* where[old] = new */
	phase_def *sorted = malloc(n * sizeof *sorted);
	if (!order || !where || !sorted) {
		free(order);
		free(where);
		free(sorted);
		return out_of_memory(e);
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* Insertion sort: eleven phases. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0
			&& cat->phases[order[j - 1]].number > cat->phases[order[j]].number; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		where[order[i]] = i;
	for (size_t i = 0; i < n; i++) {
		sorted[i] = cat->phases[order[i]];
		for (size_t j = 0; j < sorted[i].n_prereqs; j++)
			sorted[i].prereqs[j] = where[sorted[i].prereqs[j]];
	}
	free(cat->phases);
	cat->phases = sorted;
	free(order);
	free(where);
	return OKDF_OK;
}

/* Line and column (1-based) of pos in text. */
static void line_col(const char *text, const char *pos, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = text; *p && p < pos; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int phases_parse(const char *text, const char *name, phase_catalog **out, okdf_err *e)
{
	*out = NULL;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
	if (!root) {
		int line, col;
		line_col(text, end ? end : text, &line, &col);
		return okdf_err_set(e, OKDF_EINPUT, "%s: line %d, column %d: malformed JSON", name,
			line, col);
	}
	phase_catalog *cat = calloc(1, sizeof *cat);
	if (!cat) {
		cJSON_Delete(root);
		return out_of_memory(e);
	}
	struct load ld = { .file = name, .e = e, .cat = cat };
	const cJSON **items = NULL;
	const cJSON *arr = NULL;
	int rc = OKDF_OK;
	cat->path = strdup(name);
	if (!cat->path)
		rc = out_of_memory(e);
	else if (!cJSON_IsObject(root))
		rc = fail_at(&ld, "$", "expected an object, got %s", json_type_name(root));
	else
		rc = array_field(&ld, root, "$", "phases", &arr);
	if (!rc && cJSON_GetArraySize(arr) == 0)
		rc = fail_at(&ld, "$.phases", "no phases");
	if (!rc) {
		size_t n = (size_t)cJSON_GetArraySize(arr);
		items = calloc(n, sizeof *items);
		cat->phases = calloc(n, sizeof *cat->phases);
		if (!items || !cat->phases) {
			rc = out_of_memory(e);
		} else {
			size_t i = 0;
			const cJSON *it;
			cJSON_ArrayForEach(it, arr)
				items[i++] = it;
			ld.items = items;
			for (i = 0; i < n && !rc; i++) {
				cat->n = i + 1;
				rc = load_phase(&ld, i, &cat->phases[i]);
			}
		}
	}
	if (!rc)
		rc = check_unique(&ld);
	if (!rc)
		rc = resolve_prereqs(&ld);
	if (!rc)
		rc = check_acyclic(&ld);
	if (!rc)
		rc = sort_by_number(cat, e);
	free(items);
	cJSON_Delete(root);
	if (rc) {
		phases_free(cat);
		return rc;
	}
	*out = cat;
	return OKDF_OK;
}

int phases_load(const char *dir_or_file, phase_catalog **out, okdf_err *e)
{
	*out = NULL;
	char file[4096];
	struct stat sb;
	int w;
	size_t n = strlen(dir_or_file);
	int is_json = n > 5 && strcmp(dir_or_file + n - 5, ".json") == 0;
	/* A directory, or a name that cannot be the catalog itself. */
	if ((stat(dir_or_file, &sb) == 0 && S_ISDIR(sb.st_mode)) || !is_json)
		w = snprintf(file, sizeof file, "%s/phases.json", dir_or_file);
	else
		w = snprintf(file, sizeof file, "%s", dir_or_file);
	if (w < 0 || (size_t)w >= sizeof file)
		return okdf_err_set(e, OKDF_EINPUT, "path too long: %s", dir_or_file);

	FILE *f = fopen(file, "rb");
	if (!f)
		return okdf_err_set(e, OKDF_EINPUT, "%s: %s", file, strerror(errno));
	char *text = malloc(CATALOG_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return out_of_memory(e);
	}
	size_t len = fread(text, 1, CATALOG_MAX_BYTES + 1, f);
	int bad = ferror(f);
	fclose(f);
	int rc;
	if (bad)
		rc = okdf_err_set(e, OKDF_EINPUT, "%s: read error", file);
	else if (len > CATALOG_MAX_BYTES)
		rc = okdf_err_set(e, OKDF_EINPUT, "%s: larger than %d bytes", file,
			CATALOG_MAX_BYTES);
	else if (memchr(text, '\0', len))
		rc = okdf_err_set(e, OKDF_EINPUT, "%s: contains a NUL byte", file);
	else {
		text[len] = '\0';
		rc = phases_parse(text, file, out, e);
	}
	free(text);
	return rc;
}

static void items_free(phase_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].id);
		free(items[i].description);
	}
	free(items);
}

void phases_free(phase_catalog *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->n; i++) {
		phase_def *p = &cat->phases[i];
		free(p->id);
		free(p->title);
		free(p->goal);
		free(p->guidance);
		free(p->prereqs);
		items_free(p->checks, p->n_checks);
		items_free(p->signoffs, p->n_signoffs);
	}
	free(cat->phases);
	free(cat->path);
	free(cat);
}

const phase_def *phases_by_number(const phase_catalog *cat, int number)
{
	for (size_t i = 0; i < cat->n; i++)
		if (cat->phases[i].number == number)
			return &cat->phases[i];
	return NULL;
}

const phase_def *phases_by_id(const phase_catalog *cat, const char *id)
{
	for (size_t i = 0; i < cat->n; i++)
		if (cat->phases[i].id && strcmp(cat->phases[i].id, id) == 0)
			return &cat->phases[i];
	return NULL;
}

size_t phases_index(const phase_catalog *cat, const phase_def *p)
{
	return (size_t)(p - cat->phases);
}
