#include "okdf/core/doctor.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/core/text.h"

void doctor_report_init(doctor_report *r)
{
	memset(r, 0, sizeof *r);
}

void doctor_report_free(doctor_report *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}

int doctor_add(doctor_report *r, const char *area, const char *name, doctor_level level,
	const char *fix, const char *fmt, ...)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		doctor_check *items = realloc(r->items, cap * sizeof *items);
		if (!items)
			return OKDF_ENOMEM;
		r->items = items;
		r->cap = cap;
	}
	doctor_check *c = &r->items[r->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->area, sizeof c->area, "%s", area);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->level = level;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof c->fix, "%s", fix ? fix : "");
	return OKDF_OK;
}

size_t doctor_count(const doctor_report *r, doctor_level level)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].level == level;
	return n;
}

/* "ok", "warn" or "fail". */
static const char *doctor_level_name(doctor_level level)
{
	return level == DOCTOR_OK ? "ok" : level == DOCTOR_WARN ? "warn" : "fail";
}

void doctor_print_text(const doctor_report *r, FILE *out, int ascii)
{
	for (size_t i = 0; i < r->n; i++) {
		const doctor_check *c = &r->items[i];
		char what[64], detail[1024], fix[1024];
		snprintf(what, sizeof what, "%s.%s", c->area, c->name);
		text_sanitize(c->detail, detail, sizeof detail, ascii);
		text_sanitize(c->fix, fix, sizeof fix, ascii);
		fprintf(out, "%-4s  %-22s %s%s%s\n", doctor_level_name(c->level), what, detail,
			fix[0] ? "; fix: " : "", fix);
	}
	fprintf(out, "%zu ok, %zu warn, %zu fail\n", doctor_count(r, DOCTOR_OK),
		doctor_count(r, DOCTOR_WARN), doctor_count(r, DOCTOR_FAIL));
}

int doctor_print_json(const doctor_report *r, FILE *out, okdf_err *e)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *ok = cJSON_AddBoolToObject(root, "ok", doctor_count(r, DOCTOR_FAIL) == 0);
	cJSON *counts = cJSON_AddObjectToObject(root, "counts");
	cJSON *checks = cJSON_AddArrayToObject(root, "checks");
	if (!root || !ok || !counts || !checks) {
		cJSON_Delete(root);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	for (int l = DOCTOR_OK; l <= DOCTOR_FAIL; l++)
		cJSON_AddNumberToObject(counts, doctor_level_name((doctor_level)l),
			(double)doctor_count(r, (doctor_level)l));
	for (size_t i = 0; i < r->n; i++) {
		const doctor_check *c = &r->items[i];
		cJSON *o = cJSON_CreateObject();
		if (!o) {
			cJSON_Delete(root);
			return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
		}
		cJSON_AddItemToArray(checks, o);
		cJSON_AddStringToObject(o, "area", c->area);
		cJSON_AddStringToObject(o, "check", c->name);
		cJSON_AddStringToObject(o, "status", doctor_level_name(c->level));
		cJSON_AddStringToObject(o, "detail", c->detail);
		if (c->fix[0])
			cJSON_AddStringToObject(o, "fix", c->fix);
		else
			cJSON_AddNullToObject(o, "fix");
	}
	char *s = cJSON_Print(root);
	cJSON_Delete(root);
	if (!s)
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	fprintf(out, "%s\n", s);
	free(s);
	return OKDF_OK;
}
