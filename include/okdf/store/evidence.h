/* What the screen shows about things it names by id: an escalation's source
 * (the conversation with its agent, the ad with its campaign, the shop's
 * admin domain) and the products by title where an id is asked for. Reads
 * only. */
#ifndef OKDF_STORE_EVIDENCE_H
#define OKDF_STORE_EVIDENCE_H

#include "okdf/err.h"
#include "okdf/store/db.h"

typedef struct evidence_conversation {
	char id[128], agent_id[128], agent_name[128], state[48];
	char title[256];
	char *last_message; /* owned, may be NULL */
	long long created_at, updated_at;
	/* From the task view while it waited for a person (all owned, may be
	 * NULL): messages JSON [{"at","text"}], params a JSON object. */
	char *messages, *tool, *params, *amount;
	long long evidence_at; /* 0: never read */
} evidence_conversation;

/* *found is 0 when the conversation is not stored; otherwise the caller
 * calls evidence_conversation_clear(out). */
int evidence_conversation_get(okdf_db *db, const char *id, evidence_conversation *out,
	int *found, okdf_err *e);
void evidence_conversation_clear(evidence_conversation *c);

typedef struct evidence_ad {
	char id[64], name[256], status[32], effective_status[48];
	char campaign_id[64], campaign_name[256], account_id[64];
	char review_feedback[2048]; /* Meta's review feedback, "" when none */
	long long updated_at;
} evidence_ad;

/* *found is 0 when the ad is not stored. */
int evidence_ad_get(okdf_db *db, const char *id, evidence_ad *out, int *found, okdf_err *e);

/* The shop's myshopify domain ("" before the first sync). */
int evidence_shop_domain(okdf_db *db, char *domain, size_t n, okdf_err *e);

typedef struct evidence_refund {
	char id[128], order_id[128], order_name[64];
	char *note; /* owned, may be NULL */
	long long created_at, amount_minor;
} evidence_refund;

/* *found is 0 when the refund is not stored; otherwise the caller frees
 * out->note. */
int evidence_refund_get(okdf_db *db, const char *id, evidence_refund *out, int *found,
	okdf_err *e);

typedef struct product_title {
	char id[64], title[128], status[16];
} product_title;

/* Every product, by title. The caller frees *out. */
int product_titles_list(okdf_db *db, product_title **out, int *n, okdf_err *e);

#endif
