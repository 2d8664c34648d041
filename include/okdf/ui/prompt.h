/* The bottom line when it asks something: the ':' command line, the '/'
 * filter, a free-text answer (a note, an override reason) and yes/no
 * confirmations. A small line editor; what to do with the answer is the
 * caller's (ui/app keeps the pending action). */
#ifndef OKDF_UI_PROMPT_H
#define OKDF_UI_PROMPT_H

#include "okdf/ui/screen.h"

enum prompt_kind {
	PROMPT_NONE,
	PROMPT_COMMAND, /* ":" */
	PROMPT_FILTER,  /* "/" : the panel filters as the operator types */
	PROMPT_TEXT,    /* a note or reason */
	PROMPT_CONFIRM, /* y or n */
	PROMPT_CHOICE,  /* one of the keys in choices */
};

enum prompt_result {
	PROMPT_CONTINUE, /* still editing */
	PROMPT_CHANGED,  /* still editing, the text changed */
	PROMPT_ACCEPT,   /* Enter (or y for a confirmation) */
	PROMPT_CANCEL,   /* Esc (or n for a confirmation) */
};

#define PROMPT_MAX 512

typedef struct ui_prompt {
	enum prompt_kind kind;
	char label[256];   /* sanitized question or ":" / "/" */
	char buf[PROMPT_MAX];
	size_t len;        /* bytes in buf; the cursor is always at the end */
	char choices[8];   /* PROMPT_CHOICE: the keys it takes; the one typed ends in buf */
	char hint[256];    /* shown dim after the text (completion candidates); sanitized */
} ui_prompt;

void prompt_start(ui_prompt *p, enum prompt_kind kind, const char *label, const char *initial);

/* Replaces the text (history, completion), keeping the prompt. */
void prompt_set(ui_prompt *p, const char *text);

/* A PROMPT_CHOICE taking the single keys in keys (Esc or q cancels). */
void prompt_start_choice(ui_prompt *p, const char *label, const char *keys);

/* Feeds one key (a wide character from get_wch, or a KEY_ code when
 * is_key). */
enum prompt_result prompt_key(ui_prompt *p, int is_key, unsigned int ch);

void prompt_draw(ui_prompt *p, ui_screen *scr, WINDOW *w);

#endif
