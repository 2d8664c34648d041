#include "okdf/core/text.h"

#include <string.h>
#include <wchar.h>

size_t text_utf8_decode(const unsigned char *s, size_t len, unsigned int *cp)
{
	if (len == 0)
		return 0;
	unsigned int c = s[0];
	size_t need;
	unsigned int min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		need = 2, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need;
}

/* Length of an ESC sequence starting at s[0] == ESC, so it is dropped whole:
 * CSI up to its final byte, string commands (OSC, DCS, SOS, PM, APC) up to
 * BEL or ST, anything else ESC plus one byte. */
static size_t escape_length(const unsigned char *s, size_t len)
{
	if (len < 2)
		return len;
	size_t i = 2;
	switch (s[1]) {
	case '[':
		while (i < len && s[i] >= 0x20 && s[i] <= 0x3F)
			i++;
		return i < len && s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
	case ']': case 'P': case 'X': case '^': case '_':
		for (; i < len; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return len;
	default:
		return s[1] >= 0x20 && s[1] <= 0x7E ? 2 : 1;
	}
}

static int is_bidi_control(unsigned int cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
		cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* Zero-width format characters: curses gives them no cell of their own,
 * so a cell count that includes them leaves stale cells behind. */
static int is_zero_width_format(unsigned int cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
		cp == 0xFEFF || cp == 0x180E;
}

static size_t put_bytes(char *out, size_t n, size_t w, const char *b, size_t k)
{
	if (w + k >= n)
		return w;
	memcpy(out + w, b, k);
	return w + k;
}

static size_t sanitize(const char *in, char *out, size_t n, int ascii, int keep_lines)
{
	if (n == 0)
		return 0;
	static const char replacement[] = "\xEF\xBF\xBD";
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t len = strlen((const char *)s), i = 0, w = 0;
	int base = 0; /* the last character kept takes a cell a mark can join */
	while (i < len && w + 1 < n) {
		unsigned int cp;
		size_t k = text_utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			w = ascii ? put_bytes(out, n, w, "?", 1)
				: put_bytes(out, n, w, replacement, 3);
			base = 1;
			i++;
			continue;
		}
		if (cp == 0x1B) {
			i += escape_length(s + i, len - i);
			continue;
		}
		if (cp == 0x9B || cp == 0x9D || cp == 0x90) {
			/* 8-bit CSI/OSC/DCS: drop as their 7-bit forms would be. */
			unsigned char seven[2] = { 0x1B, cp == 0x9B ? '[' : cp == 0x9D ? ']' : 'P' };
			size_t rest = len - i - k;
			unsigned char buf[2 + 256];
			size_t take = rest < 256 ? rest : 256;
			memcpy(buf, seven, 2);
			memcpy(buf + 2, s + i + k, take);
			size_t skip = escape_length(buf, take + 2);
			i += k + (skip > 2 ? skip - 2 : 0);
			continue;
		}
		i += k;
		int cw = cp >= 0xA0 && !ascii ? wcwidth((wchar_t)cp) : 1;
		if (keep_lines && (cp == '\t' || cp == '\n')) {
			char c = (char)cp;
			w = put_bytes(out, n, w, &c, 1);
			base = 0;
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			w = put_bytes(out, n, w, " ", 1);
			base = 0;
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
			is_bidi_control(cp) || is_zero_width_format(cp) || (cw == 0 && !base)) {
			/* A combining mark with nothing to combine with: no cell either. */
			continue;
		} else if (cp < 0x80) {
			char c = (char)cp;
			w = put_bytes(out, n, w, &c, 1);
			base = cp != ' ';
		} else if (ascii) {
			w = put_bytes(out, n, w, "?", 1);
			base = 1;
		} else if (cw < 0) {
			w = put_bytes(out, n, w, replacement, 3);
			base = 1;
		} else {
			w = put_bytes(out, n, w, (const char *)s + i - k, k);
			base = base || cw > 0;
		}
	}
	out[w] = '\0';
	return w;
}

size_t text_sanitize(const char *in, char *out, size_t n, int ascii)
{
	return sanitize(in, out, n, ascii, 0);
}

size_t text_sanitize_lines(const char *in, char *out, size_t n, int ascii)
{
	return sanitize(in, out, n, ascii, 1);
}

static int char_width(unsigned int cp)
{
	if (cp < 0x80)
		return cp >= 0x20 && cp != 0x7F ? 1 : 0;
	int cw = wcwidth((wchar_t)cp);
	return cw < 0 ? 1 : cw;
}

int text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	int cols = 0;
	while (i < len) {
		unsigned int cp;
		size_t k = text_utf8_decode(p + i, len - i, &cp);
		if (k == 0) {
			cols++;
			i++;
			continue;
		}
		cols += char_width(cp);
		i += k;
	}
	return cols;
}

int text_fit(const char *s, int cols, int ascii, char *out, size_t n)
{
	if (n == 0)
		return 0;
	out[0] = '\0';
	if (cols <= 0)
		return 0;
	int total = text_width(s);
	const char *ell = ascii ? "~" : "\xE2\x80\xA6";
	int room = total <= cols ? cols : cols - 1;
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, w = 0;
	int used = 0;
	while (i < len) {
		unsigned int cp;
		size_t k = text_utf8_decode(p + i, len - i, &cp);
		if (k == 0)
			k = 1, cp = '?';
		int cw = char_width(cp);
		if (used + cw > room || w + k >= n)
			break;
		memcpy(out + w, p + i, k);
		w += k;
		used += cw;
		i += k;
	}
	if (i < len) {
		size_t el = strlen(ell);
		if (w + el < n) {
			memcpy(out + w, ell, el);
			w += el;
			used++;
		}
	}
	out[w] = '\0';
	return used;
}

size_t text_wrap(const char *s, int cols, size_t *next)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, brk = 0;
	int used = 0;
	while (i < len) {
		unsigned int cp;
		size_t k = text_utf8_decode(p + i, len - i, &cp);
		if (k == 0)
			k = 1, cp = '?';
		int cw = char_width(cp);
		if (used + cw > cols && i > 0)
			break;
		if (cp == ' ')
			brk = i;
		used += cw;
		i += k;
	}
	size_t end = i;
	if (i < len && brk > 0 && p[i] != ' ')
		end = brk;
	size_t nx = end;
	while (nx < len && p[nx] == ' ')
		nx++;
	*next = nx;
	while (end > 0 && p[end - 1] == ' ')
		end--;
	return end;
}
