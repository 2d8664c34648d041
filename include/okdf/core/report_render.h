/* The weekly review (report.h) rendered for people. */
#ifndef OKDF_CORE_REPORT_RENDER_H
#define OKDF_CORE_REPORT_RENDER_H

#include <stdio.h>

#include "okdf/core/report.h"

/* The review as Markdown (charts in Unicode block characters) or as one
 * HTML page with inline SVG charts (no script, no external resource). Text
 * from the store is sanitized (and escaped in HTML). */
int report_render_md(const report_week *r, FILE *out);
int report_render_html(const report_week *r, FILE *out);

#endif
