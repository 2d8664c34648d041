/* Untrusted text (product titles, conversation messages, API errors) made
 * safe for the terminal, and measured in terminal columns. Nothing from an
 * API reaches curses without passing through text_sanitize. */
#ifndef OKDF_CORE_TEXT_H
#define OKDF_CORE_TEXT_H

#include <stddef.h>

/* Copies in to out (always NUL-terminated, never split inside a character):
 * ESC sequences (CSI, OSC, DCS, ...) and C1 controls are dropped whole; tab,
 * newline and carriage return become a space; other C0 controls and DEL are
 * dropped; bidirectional overrides are dropped; invalid UTF-8 and characters
 * the terminal cannot print become U+FFFD. With ascii set, every non-ASCII
 * character becomes '?', so out is pure 7-bit. Returns bytes written. */
size_t text_sanitize(const char *in, char *out, size_t n, int ascii);

/* As text_sanitize, but newline and tab are kept: whole lines of command
 * output. n = 3 * strlen(in) + 1 always holds the result. */
size_t text_sanitize_lines(const char *in, char *out, size_t n, int ascii);

/* Display width in columns of sanitized text (CJK and emoji count 2,
 * combining marks 0). */
int text_width(const char *s);

/* Copies sanitized s into out, cut to at most cols columns; a cut string
 * ends in ellipsis ("…", or "~" with ascii). A double-width character that
 * would straddle the edge is left out. Returns the width of out. */
int text_fit(const char *s, int cols, int ascii, char *out, size_t n);

/* Where to break sanitized s to fill at most cols columns: returns the
 * byte length of the first line (after the last space that fits, or a hard
 * cut inside a long word; at least one character), and stores in *next the
 * offset where the following line starts (spaces at the break skipped). */
size_t text_wrap(const char *s, int cols, size_t *next);

/* Decodes one UTF-8 character at s (at most len bytes). Returns its length
 * and stores the code point, or returns 0 for an invalid or truncated
 * sequence (overlong forms, surrogates and values above U+10FFFF too). */
size_t text_utf8_decode(const unsigned char *s, size_t len, unsigned int *cp);

#endif
