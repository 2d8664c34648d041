/* What the operator can do from the screen, as typed values: the keys of the
 * panels and the ':' line both produce a ui_action, and action_run carries
 * it out by calling core directly (inbox, phases, hours, ideas, review),
 * returning a typed ui_result the UI turns into words itself. Nothing here
 * draws, prints or parses text another module printed. */
#ifndef OKDF_UI_ACTION_H
#define OKDF_UI_ACTION_H

#include "okdf/core/operator.h"
#include "okdf/core/phase_gate.h"
#include "okdf/core/timeutil.h"
#include "okdf/err.h"
#include "okdf/store/db.h"

enum ui_action_kind {
	ACT_NONE,
	/* carried out by action_run */
	ACT_ACK,
	ACT_SNOOZE,
	ACT_RESOLVE,
	ACT_DECIDE,
	ACT_ESCALATE,
	ACT_SIGNOFF,
	ACT_COMPLETE,
	ACT_REOPEN,
	ACT_HOURS_ADD,
	ACT_HOURS_RM,
	ACT_IDEA_ADD,
	ACT_IDEA_LINK,
	ACT_REVIEW_ADD,
	/* the UI's own, handled by ui/app */
	ACT_SYNC,
	ACT_WINDOW,
	ACT_WALKTHROUGH,
	ACT_HELP,
	ACT_QUIT,
	ACT_HOURS_LIST,  /* a page of manual entries (word: the window) */
	ACT_HEALTH,      /* the connector health view */
};

#define ACTION_TEXT_MAX 512

typedef struct ui_action {
	enum ui_action_kind kind;
	long long id;          /* escalation or idea */
	int phase;             /* phase number */
	char word[64];         /* decision, sign-off id, escalation kind, window name */
	char product[64];      /* idea: product id, "" = none */
	char severity[16];     /* escalate: "" = by kind */
	long long seconds;     /* snooze duration, hours */
	int has_day;
	okdf_date day;         /* hours and ideas: --date */
	char title[256];       /* escalate, idea add */
	int has_text;
	char text[ACTION_TEXT_MAX]; /* note or override reason */
} ui_action;

enum ui_outcome {
	UI_OK,
	UI_REFUSED, /* the domain said no: reasons lists why (phase completion) or e says */
	UI_ERROR,   /* bad input, database or other failure: e says */
};

typedef struct ui_result {
	enum ui_outcome outcome;
	okdf_err e;
	phase_reasons reasons; /* a refused or overridden completion */
	long long id;          /* new escalation, idea or review id */
	long long at;          /* idea date, snooze end */
	okdf_date day;         /* hours: the shop day recorded */
} ui_result;

/* What action_run needs from the screen's state. */
typedef struct ui_action_ctx {
	okdf_db *db;
	const phase_catalog *catalog;
	const okdf_operator *op;
	const char *tz;  /* the shop's zone, "UTC" before the first sync */
	long long now;
} ui_action_ctx;

/* What a key or the ':' line wants done: the action, and the questions the
 * app asks first, in this order: a choice of single keys (sets word), a
 * line of text (the note or reason, or the snooze duration), a y/N. Panels
 * and the command line fill one in; only ui/app asks and runs it. */
enum ui_ask_into { ASK_TEXT, ASK_DURATION };

#define REQUEST_CHOICES 4

typedef struct ui_request {
	ui_action action;
	char choose[160];                   /* the choice's label; "" = no choice */
	char choice_keys[REQUEST_CHOICES + 1];
	char choice_words[REQUEST_CHOICES][16];
	char ask[160];                      /* the text question; "" = none */
	enum ui_ask_into ask_into;
	char confirm[256];                  /* the y/N question; "" = none */
} ui_request;

/* The y/N question of a destructive action ("Approve #9 with this note?"). */
void action_question(const ui_action *a, char *buf, size_t n);

/* A request for a with the questions it needs: a note where one is
 * required, a y/N where it is destructive (question from action_question). */
void action_request(const ui_action *a, ui_request *req);

/* Offers kind's decisions as single keys (first letter each); 0 when the kind
 * takes no decision. */
int action_offer_decisions(ui_request *req, const char *kind);

/* Carries out a (for ACT_ACK .. ACT_REVIEW_ADD). The caller frees r with
 * action_result_free. */
void action_run(const ui_action_ctx *ctx, const ui_action *a, ui_result *r);
void action_result_free(ui_result *r);

#endif
