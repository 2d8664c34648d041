/* Where okdf finds its data files, and XDG directories for its own files. */
#ifndef OKDF_CORE_PATHS_H
#define OKDF_CORE_PATHS_H

#include <stddef.h>

#include "okdf/err.h"

/* Resolves the data directory: data_dir_opt (--data-dir), then $OKDF_DATA_DIR,
 * then the source tree when this binary runs from its build directory, then
 * the installed datadir. Writes the directory into out. */
int paths_data_dir(const char *data_dir_opt, char *out, size_t n, okdf_err *e);

/* $XDG_<kind>_HOME/okdf/<name> with the XDG fallback under $HOME
 * (kind: "CONFIG" -> .config, "STATE" -> .local/state, "DATA" -> .local/share). */
int paths_xdg_file(const char *kind, const char *name, char *out, size_t n, okdf_err *e);

/* True when this process runs from the meson build directory it was built in. */
int paths_running_from_build(void);

#endif
