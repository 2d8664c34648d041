/* Shared by the libFuzzer harnesses: the input as a NUL-terminated string,
 * and a scratch file for readers that take a path. */
#ifndef OKDF_FUZZ_H
#define OKDF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of data with a NUL after it (caller frees); NULL when out
 * of memory. Embedded NULs stay: the parser sees the text up to the first. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Writes data to a private file (mode 0600, the same path on every call)
 * and returns its path; NULL on an I/O error. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A private directory for this process (removed at exit). */
const char *fuzz_dir(void);

#endif
