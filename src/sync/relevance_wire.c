/* What Relevance AI's payloads mean: an agent's kind from its name and
 * description, one agents/list or conversations/list item as a row, a
 * builder's test run, and what a person needs from a task view. Pure
 * functions over JSON nodes (no transport, no store), which fuzz_relevance
 * and the unit tests call directly. */
#include "okdf/sync/relevance_wire.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okdf/net/json.h"

static int contains_word(const char *hay, const char *const *words)
{
	char low[512];
	size_t i = 0;
	for (; hay && hay[i] && i + 1 < sizeof low; i++)
		low[i] = (char)tolower((unsigned char)hay[i]);
	low[i] = '\0';
	for (; *words; words++) {
		size_t wl = strlen(*words);
		for (const char *p = strstr(low, *words); p; p = strstr(p + 1, *words)) {
			int start = p == low || !isalnum((unsigned char)p[-1]);
			int end = !isalnum((unsigned char)p[wl]);
			if (start && end)
				return 1;
		}
	}
	return 0;
}

const char *relevance_agent_kind(const char *name, const char *description)
{
	/* Whole words, name first: "Ad Creative Writer" is creative, not content. */
	static const char *const cs[] = { "cs", "support", "customer", "service", "helpdesk",
		"inbox", "refund", "refunds", "returns", "ticket", "tickets", NULL };
	static const char *const creative[] = { "creative", "creatives", "ad", "ads", "image",
		"images", "video", "design", "ugc", NULL };
	static const char *const content[] = { "content", "blog", "seo", "copy", "copywriter",
		"writer", "social", "newsletter", "email", "product descriptions", NULL };
	const char *texts[] = { name, description };
	for (int i = 0; i < 2; i++) {
		if (contains_word(texts[i], cs))
			return "cs";
		if (contains_word(texts[i], creative))
			return "creative";
		if (contains_word(texts[i], content))
			return "content";
	}
	return "other";
}

static int opt_time(const cJSON *obj, const char *path, long long *t, int *has, okdf_err *e)
{
	int is_null;
	int rc = json_time(obj, path, t, &is_null, e);
	*has = !rc && !is_null;
	return rc;
}

int relevance_parse_agent(const cJSON *a, const char *id, long long now, store_agent *out,
	okdf_err *e)
{
	memset(out, 0, sizeof *out);
	out->id = id;
	out->name = json_str(a, "name");
	out->updated_at = now;
	out->kind = relevance_agent_kind(out->name, json_str(a, "description"));
	long long t;
	int has;
	int rc = opt_time(a, "insert_date_", &out->created_at, &out->has_created_at, e);
	if (!rc)
		rc = opt_time(a, "update_date_", &t, &has, e);
	if (!rc && has)
		out->updated_at = t;
	return rc;
}

int relevance_is_debug_task(const cJSON *item)
{
	return cJSON_IsTrue(json_path(item, "metadata.conversation.is_debug_mode_task"));
}

int relevance_parse_conversation(const cJSON *item, long long now, store_conversation *out,
	okdf_err *e)
{
	memset(out, 0, sizeof *out);
	const cJSON *meta = json_path(item, "metadata");
	out->id = json_str(item, "knowledge_set");
	if (!out->id)
		out->id = json_str(meta, "knowledge_set");
	out->agent_id = json_str(meta, "conversation.agent_id");
	out->state = json_str(meta, "conversation.state");
	out->title = json_str(meta, "conversation.title");
	if (!out->id)
		return okdf_err_set(e, OKDF_EINPUT, "conversation without knowledge_set");
	int has_update;
	int rc = opt_time(meta, "insert_date", &out->created_at, &out->has_created_at, e);
	if (!rc)
		rc = opt_time(meta, "update_date", &out->updated_at, &has_update, e);
	if (!rc && !has_update)
		out->updated_at = out->has_created_at ? out->created_at : now;
	return rc ? okdf_err_prefix(e, "conversation %s", out->id) : OKDF_OK;
}

static char *clip(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return strndup(s, n);
}

static int view_add_message(cJSON *list, const cJSON *step, const char *text)
{
	long long at = 0;
	int is_null;
	okdf_err ignored = { 0 };
	if (json_time(step, "insert_date_", &at, &is_null, &ignored) != OKDF_OK || is_null)
		at = 0; /* a message without a readable time is still the customer's */
	char *t = clip(text, RELEVANCE_VIEW_TEXT);
	cJSON *m = cJSON_CreateObject();
	if (!t || !m || !cJSON_AddNumberToObject(m, "at", (double)at) ||
		!cJSON_AddStringToObject(m, "text", t) || !cJSON_AddItemToArray(list, m)) {
		free(t);
		cJSON_Delete(m);
		return -1;
	}
	free(t);
	if (cJSON_GetArraySize(list) > RELEVANCE_VIEW_MESSAGES)
		cJSON_DeleteItemFromArray(list, 0);
	return 0;
}

/* A parameter's value as text: strings as they are, the rest as JSON. */
static char *param_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return clip(v->valuestring, RELEVANCE_VIEW_TEXT);
	char *json = cJSON_PrintUnformatted(v);
	char *t = json ? clip(json, RELEVANCE_VIEW_TEXT) : NULL;
	cJSON_free(json);
	return t;
}

static int view_pending(relevance_view *out, const cJSON *content)
{
	const char *title = json_str(content, "tool_config.title");
	const char *kind = json_str(content, "component.content_type");
	cJSON *params = cJSON_CreateObject();
	char *amount = NULL;
	int rc = params ? 0 : -1;
	const cJSON *p;
	/* JS SDK message/tool.ts: params{resolved, valid}. */
	cJSON_ArrayForEach(p, json_path(content, "params.resolved")) {
		if (rc || cJSON_GetArraySize(params) >= RELEVANCE_VIEW_PARAMS)
			break;
		char *t = p->string ? param_text(p) : NULL;
		if (!t || !cJSON_AddStringToObject(params, p->string, t))
			rc = -1;
		char low[64];
		size_t i = 0;
		for (; p->string && p->string[i] && i + 1 < sizeof low; i++)
			low[i] = (char)tolower((unsigned char)p->string[i]);
		low[i] = '\0';
		if (!rc && !amount && strstr(low, "amount") && (cJSON_IsNumber(p) ||
			cJSON_IsString(p)) && !(amount = strdup(t)))
			rc = -1;
		free(t);
	}
	const char *context = json_str(content, "component.options.context");
	if (!rc && !title && kind && strcmp(kind, "escalation") == 0 && context) {
		char *t = clip(context, RELEVANCE_VIEW_TEXT);
		if (!t || !cJSON_AddStringToObject(params, "context", t))
			rc = -1;
		free(t);
	}
	char *ptext = !rc && cJSON_GetArraySize(params) ? cJSON_PrintUnformatted(params) : NULL;
	char *tool = rc ? NULL : title ? clip(title, RELEVANCE_VIEW_TEXT)
		: kind && strcmp(kind, "escalation") == 0 ? strdup("escalation to a person")
		: strdup("tool run");
	cJSON_Delete(params);
	if (rc || !tool) {
		free(amount);
		free(tool);
		cJSON_free(ptext);
		return -1;
	}
	free(out->tool);
	free(out->params);
	free(out->amount);
	out->tool = tool;
	out->params = ptext ? strdup(ptext) : NULL;
	out->amount = amount;
	int lost = ptext && !out->params;
	cJSON_free(ptext);
	return lost ? -1 : 0;
}

int relevance_parse_view(const cJSON *view, relevance_view *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	const cJSON *steps = json_path(view, "results"), *step;
	if (!cJSON_IsArray(steps))
		return okdf_err_set(e, OKDF_EINPUT, "task view without results");
	cJSON *messages = cJSON_CreateArray();
	int rc = messages ? 0 : -1;
	cJSON_ArrayForEach(step, steps) {
		if (rc)
			break;
		const cJSON *content = json_path(step, "content");
		const char *type = json_str(content, "type");
		const char *text = json_str(content, "text");
		const char *state = json_str(content, "tool_run_state");
		if (type && strcmp(type, "user-message") == 0 && text)
			rc = view_add_message(messages, step, text);
		else if (type && strcmp(type, "tool-run") == 0 && state &&
			strcmp(state, "pending") == 0)
			rc = view_pending(out, content); /* the last one wins */
	}
	if (!rc && !(out->messages = cJSON_PrintUnformatted(messages)))
		rc = -1;
	cJSON_Delete(messages);
	if (rc) {
		relevance_view_clear(out);
		return okdf_err_set(e, OKDF_ENOMEM, "out of memory");
	}
	return OKDF_OK;
}

void relevance_view_clear(relevance_view *v)
{
	cJSON_free(v->messages);
	free(v->tool);
	free(v->params);
	free(v->amount);
	memset(v, 0, sizeof *v);
}
