/* Meta's wire values: version strings, budget units, appsecret_proof, usage
 * headers, review feedback and insights rows (sync/meta_wire.c). */
#ifndef OKDF_SYNC_META_WIRE_H
#define OKDF_SYNC_META_WIRE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "okdf/err.h"
#include "okdf/store/ads.h"

/* An ad's ad_review_feedback (AdgroupReviewFeedback) as "reason: text"
 * lines, placement-specific ones prefixed with the placement; cut at n
 * bytes, "" when there is none. */
void meta_review_feedback_text(const cJSON *feedback, char *buf, size_t n);

/* The newest Graph API version okdf was checked against. */
#define META_NEWEST_VERSION "v27.0"

/* One daily insights row: spend (major-unit string) and the purchases and
 * purchase value of the single action_type (e.g. omni_purchase), never a sum. */
int meta_parse_insight(const cJSON *row, const char *currency, const char *action_type,
	store_ad_insight *out, okdf_err *e);

/* "27.0" or "v27.0" as "v27.0"; OKDF_EINPUT for anything else. */
int meta_version(const char *configured, char *out, size_t n, okdf_err *e);

/* Meta counts budgets in 1/offset of the currency: offset 1 for CLP, COP,
 * CRC, HUF, ISK, IDR, JPY, KRW, PYG, TWD, VND, 100 for the rest (3-decimal
 * currencies too). okdf stores ISO 4217 minor units. Conversions refuse an
 * amount the other unit cannot hold exactly. */
int meta_budget_offset(const char *currency);
int meta_budget_to_minor(long long units, const char *currency, long long *minor, okdf_err *e);
int meta_budget_from_minor(long long minor, const char *currency, long long *units, okdf_err *e);

/* appsecret_proof: HMAC-SHA256 of the access token keyed with the app
 * secret, as 64 lowercase hex digits. */
int meta_appsecret_proof(const char *token, const char *app_secret, char out[65], okdf_err *e);

/* The usage headers: the highest percentage of X-Business-Use-Case-Usage
 * (call_count, total_cputime, total_time), X-Ad-Account-Usage
 * (acc_id_util_pct) and X-FB-Ads-Insights-Throttle (app_id_util_pct,
 * acc_id_util_pct), and how long to wait when throttled (0 = unknown).
 * Absent or unreadable headers count as 0. */
typedef struct meta_usage {
	int pct;
	double wait_s;
} meta_usage;
void meta_usage_parse(const char *business_use_case, const char *ad_account,
	const char *insights_throttle, meta_usage *out);

#endif
