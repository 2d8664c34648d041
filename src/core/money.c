#include "okdf/core/money.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int money_exponent(const char *currency)
{
	static const char *const zero[] = { "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF",
		"KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF" };
	static const char *const three[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };
	if (!currency)
		return 2;
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (strcmp(currency, zero[i]) == 0)
			return 0;
	for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
		if (strcmp(currency, three[i]) == 0)
			return 3;
	return 2;
}

int money_parse(const char *s, int exponent, long long *minor, okdf_err *e)
{
	if (!s || !*s)
		return okdf_err_set(e, OKDF_EINPUT, "empty amount");
	const char *p = s;
	int neg = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return okdf_err_set(e, OKDF_EINPUT, "not a decimal amount: \"%s\"", s);
	long long v = 0;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (LLONG_MAX - (*p - '0')) / 10)
			return okdf_err_set(e, OKDF_EINPUT, "amount out of range: \"%s\"", s);
		v = v * 10 + (*p - '0');
	}
	int places = 0;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return okdf_err_set(e, OKDF_EINPUT, "not a decimal amount: \"%s\"", s);
		for (; isdigit((unsigned char)*p); p++) {
			if (places < exponent) {
				if (v > (LLONG_MAX - (*p - '0')) / 10)
					return okdf_err_set(e, OKDF_EINPUT, "amount out of range: \"%s\"", s);
				v = v * 10 + (*p - '0');
				places++;
			} else if (*p != '0') {
				return okdf_err_set(e, OKDF_EINPUT,
					"amount \"%s\" has more than %d decimal places", s, exponent);
			}
		}
	}
	if (*p)
		return okdf_err_set(e, OKDF_EINPUT, "not a decimal amount: \"%s\"", s);
	for (; places < exponent; places++) {
		if (v > LLONG_MAX / 10)
			return okdf_err_set(e, OKDF_EINPUT, "amount out of range: \"%s\"", s);
		v *= 10;
	}
	if (v > MONEY_MAX_MINOR)
		return okdf_err_set(e, OKDF_EINPUT, "amount out of range: \"%s\" (at most %lld minor units)",
			s, MONEY_MAX_MINOR);
	*minor = neg ? -v : v;
	return OKDF_OK;
}

int money_add(long long *acc, long long v)
{
	long long sum;
	if (__builtin_add_overflow(*acc, v, &sum))
		return -1;
	*acc = sum;
	return 0;
}

static unsigned long long magnitude(long long v)
{
	return v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

static unsigned long long pow10u(int exponent)
{
	unsigned long long p = 1;
	for (int i = 0; i < exponent; i++)
		p *= 10;
	return p;
}

int money_format(long long minor, int exponent, char *buf, size_t n)
{
	unsigned long long m = magnitude(minor), p = pow10u(exponent);
	if (exponent == 0)
		return snprintf(buf, n, "%s%llu", minor < 0 ? "-" : "", m);
	return snprintf(buf, n, "%s%llu.%0*llu", minor < 0 ? "-" : "", m / p, exponent, m % p);
}

int money_format_grouped(long long minor, int exponent, char *buf, size_t n)
{
	unsigned long long m = magnitude(minor), p = pow10u(exponent);
	char digits[32];
	int nd = snprintf(digits, sizeof digits, "%llu", m / p);
	char whole[48];
	int w = 0;
	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			whole[w++] = ',';
		whole[w++] = digits[i];
	}
	whole[w] = '\0';
	if (exponent == 0)
		return snprintf(buf, n, "%s%s", minor < 0 ? "-" : "", whole);
	return snprintf(buf, n, "%s%s.%0*llu", minor < 0 ? "-" : "", whole, exponent, m % p);
}
