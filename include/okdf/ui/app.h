/* The Command Center from outside: how a front end starts it (ui_options,
 * ui_run) and the theme it loads first. What runs inside is src/ui/app.c
 * (the loop), input.c, view.c and request.c, sharing src/ui/app_private.h. */
#ifndef OKDF_UI_APP_H
#define OKDF_UI_APP_H

#include "okdf/core/config.h"
#include "okdf/err.h"
#include "okdf/ui/theme.h"

/* How the UI was started: the caller has loaded config and theme (so their
 * errors come before the screen opens) and started any sync workers. */
typedef struct ui_options {
	const okdf_config *cfg;
	const char *data_dir;     /* --data-dir, or NULL: where the phase catalog is */
	int ascii;                /* --ascii */
	const theme *th;
	const char *db_path;      /* the database file */
	int start_walkthrough;    /* `okdf walkthrough` */
	int wake_fd;              /* readable when sync workers wrote; -1: none */
	void (*request_sync)(void *ctx); /* NULL: no workers in this process */
	void *sync_ctx;
	const char *sync_note;    /* shown in the header, e.g. "following okdf sync" */
} ui_options;

/* Runs the UI until the operator quits or the terminal goes away. */
int ui_run(const ui_options *opt, okdf_err *e);

/* Reads the theme named by theme_opt (--theme), else [ui] theme, else the
 * default: NAME from the themes directory, or a PATH. */
int ui_theme_load(const char *theme_opt, const okdf_config *cfg, theme *th, okdf_err *e);

#endif
