#include "encode.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *sim_base64_encode(const char *data, size_t len)
{
	char *out = malloc((len + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)(unsigned char)data[i + 1] << 8;
		if (i + 2 < len)
			v |= (uint32_t)(unsigned char)data[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alphabet, c) : NULL;
	return p ? (int)(p - b64_alphabet) : -1;
}

char *sim_base64_decode(const char *text)
{
	size_t len = strlen(text);
	if (len % 4 != 0)
		return NULL;
	char *out = malloc(len / 4 * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		for (int k = 0; k < 4; k++) {
			v[k] = text[i + k] == '=' && k >= 2 ? 0 : b64_value(text[i + k]);
			if (v[k] < 0) {
				free(out);
				return NULL;
			}
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[o++] = (char)(w >> 16);
		if (text[i + 2] != '=')
			out[o++] = (char)(w >> 8);
		if (text[i + 3] != '=')
			out[o++] = (char)w;
	}
	out[o] = '\0';
	return out;
}

char *sim_url_escape(const char *s)
{
	char *out = malloc(strlen(s) * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			out[o++] = (char)*p;
		} else {
			snprintf(out + o, 4, "%%%02X", *p);
			o += 3;
		}
	}
	out[o] = '\0';
	return out;
}

void sim_url_unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '+') {
			*w++ = ' ';
		} else if (*r == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
			char hex[3] = {r[1], r[2], '\0'};
			*w++ = (char)strtol(hex, NULL, 16);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

void sim_money_fixed(int64_t minor, int exponent, char out[SIM_MONEY_LEN])
{
	int64_t scale = 1;
	for (int i = 0; i < exponent; i++)
		scale *= 10;
	const char *sign = minor < 0 ? "-" : "";
	int64_t a = minor < 0 ? -minor : minor;
	if (exponent == 0)
		snprintf(out, SIM_MONEY_LEN, "%s%" PRId64, sign, a);
	else
		snprintf(out, SIM_MONEY_LEN, "%s%" PRId64 ".%0*" PRId64, sign, a / scale, exponent,
			 a % scale);
}

void sim_money_shopify(int64_t minor, int exponent, char out[SIM_MONEY_LEN])
{
	if (exponent == 0) {
		snprintf(out, SIM_MONEY_LEN, "%" PRId64 ".0", minor);
		return;
	}
	sim_money_fixed(minor, exponent, out);
	size_t n = strlen(out);
	while (n > 0 && out[n - 1] == '0' && out[n - 2] != '.')
		out[--n] = '\0';
}
