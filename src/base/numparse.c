/* numparse.c — the decimal grammar check, Clinger's exact fast path (for
 * short plain decimals before anything else), fast_float (Eisel–Lemire)
 * for longer decimals, with strtod as the safe path (see numparse.h). */
#include "numparse.h"

#include "fastfloat.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

const char *numparse_reason(enum numparse_status st)
{
	switch (st) {
	case NUM_OK: return "ok";
	case NUM_EMPTY: return "empty field";
	case NUM_NAN: return "NaN is not a probability";
	case NUM_INF: return "infinite value";
	case NUM_RANGE: return "number out of range";
	default: return "not a number";
	}
}

/* Eight ASCII digits read as one word, the first in its lowest byte:
 * whether all eight are '0'..'9' (a byte above '9' sets its high bit in
 * the sum, one below '0' in the difference), and their value (pairs, then
 * fours, by multiplies that keep each partial sum in its own lanes). */
static inline int eight_digits(uint64_t w)
{
	return !(((w + UINT64_C(0x4646464646464646)) | (w - UINT64_C(0x3030303030303030))) &
		 UINT64_C(0x8080808080808080));
}

static inline uint32_t eight_value(uint64_t w)
{
	w -= UINT64_C(0x3030303030303030);
	w = w * 10 + (w >> 8);
	w = ((w & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064) +
	     ((w >> 16) & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001)) >> 32;
	return (uint32_t)w;
}

/* The plain form digits[.digits] from p: where it stops (the first other
 * byte, or end), its digits as one mantissa m (wrapping past 19 digits),
 * how many digits, and how many follow the point. */
static inline const char *plain_digits(const char *p, const char *end, uint64_t *m,
				size_t *digits, int *frac)
{
	const char *f = p;
	unsigned d;
	*m = 0;
	*frac = 0;
	while (p < end && (d = (unsigned)(unsigned char)*p - '0') < 10) {
		*m = *m * 10 + d;
		p++;
	}
	*digits = (size_t)(p - f);
	if (p < end && *p == '.') {
		const char *q = ++p;
		/* after the point, where the long runs are: eight at a time
		 * (m wraps as it would digit by digit), then one at a time */
		uint64_t w;
		while (end - p >= 8 && (memcpy(&w, p, 8), eight_digits(w))) {
			*m = *m * 100000000u + eight_value(w);
			p += 8;
		}
		while (p < end && (d = (unsigned)(unsigned char)*p - '0') < 10) {
			*m = *m * 10 + d;
			p++;
		}
		*frac = (int)(p - q);
		*digits += (size_t)*frac;
	}
	return p;
}

/* The form most probability files are written in — digits with at most one
 * '.', no sign, no exponent — converted by Clinger's exact fast path when
 * its digits fit the mantissa m <= 2^53: m and 10^f are then exact doubles
 * and IEEE division rounds their quotient correctly. At most 17 digits
 * count (so m cannot have wrapped and f <= 17); the leading zeros of a
 * small probability count among them but not in m. Longer forms are left
 * to fast_float: in pandas' shortest round trip most fields have 18 or 19
 * digits (leading zeros counted), about half of them with m over 2^53, and
 * the test's mispredicted branch cost more than the division saves
 * (Eisel–Lemire for all of them: 183 -> 171 ms over the 17-digit benchmark
 * file, one thread). Then the value is (double)m / pow10_exact[f]. */
static inline int clinger_applies(uint64_t m, size_t digits)
{
	return digits - 1 < 17 && m <= (UINT64_C(1) << 53);   /* 1..17 digits */
}

static int short_decimal(const char *s, size_t len, double *out)
{
	uint64_t m;
	size_t digits;
	int frac;
	if (len > 20 || plain_digits(s, s + len, &m, &digits, &frac) != s + len ||
	    !clinger_applies(m, digits))
		return -1;
	*out = (double)m / pow10_exact[frac];
	return 0;
}

int numparse_row(const char *s, size_t len, char delim, size_t k, double *out)
{
	const char *p = s, *end = s + len;
	for (size_t j = 0; j < k; j++) {
		/* short_decimal's form, read in place up to the delimiter */
		const char *f = p;
		uint64_t m;
		size_t digits;
		int frac;
		p = plain_digits(p, end, &m, &digits, &frac);
		int whole = digits && (p == end || *p == delim);
		double v;
		/* numparse_double's two fast paths */
		int ok = 0;
		if (whole && clinger_applies(m, digits)) {
			v = (double)m / pow10_exact[frac];
			ok = 1;
		} else if (whole) {
			ok = (digits <= 19 ? fastfloat_decimal(m, -frac, f, (size_t)(p - f), &v)
					   : fastfloat_parse(f, (size_t)(p - f), &v)) == 0 &&
			     isfinite(v);
		}
		if (ok) {
			out[j] = v;
		} else {
			const char *q = memchr(f, delim, (size_t)(end - f));
			if (!q)
				q = end;
			if (numparse_double(f, (size_t)(q - f), 0, &out[j]) != NUM_OK)
				return -1;
			p = q;
		}
		if (j + 1 < k) {
			if (p == end)
				return -1;
			p++;
		} else if (p != end) {
			return -1;
		}
	}
	return 0;
}

static int ci_eq(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != word[i])
			return 0;
	return 1;
}

static enum numparse_status named_value(const char *s, size_t len)
{
	size_t o = (len && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
	if (ci_eq(s + o, len - o, "nan"))
		return NUM_NAN;
	if (ci_eq(s + o, len - o, "inf") || ci_eq(s + o, len - o, "infinity"))
		return NUM_INF;
	return NUM_SYNTAX;
}

static enum numparse_status slow(const char *s, size_t len, double *out)
{
	char buf[128], *heap = NULL, *p = buf, *end;
	if (len >= sizeof buf) {
		heap = malloc(len + 1);
		if (!heap)
			return NUM_RANGE;
		p = heap;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	errno = 0;
	double v = strtod(p, &end);
	free(heap);
	if (!isfinite(v))
		return NUM_INF;
	*out = v;
	return NUM_OK;
}

enum numparse_status numparse_double(const char *s, size_t len, int exact, double *out)
{
	if (len == 0)
		return NUM_EMPTY;
	/* fast_float first: one pass that validates and converts. Its syntax
	 * (digits, '.', exponent; a sign we strip) is ours once the field
	 * starts with a digit or '.' and every byte is consumed; anything it
	 * refuses (names, junk, out of range) takes the full path below for
	 * the exact status. */
	size_t sign = s[0] == '+' || s[0] == '-';
	if (!exact && len > sign && ((s[sign] >= '0' && s[sign] <= '9') || s[sign] == '.')) {
		double v;
		if (short_decimal(s + sign, len - sign, &v) == 0 ||
		    (fastfloat_parse(s + sign, len - sign, &v) == 0 && isfinite(v))) {
			*out = s[0] == '-' ? -v : v;
			return NUM_OK;
		}
	}
	size_t i = 0;
	int neg = 0;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	uint64_t mant = 0;
	int sig = 0, digits = 0, dropped = 0;
	long exp10 = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (mant == 0 && s[i] == '0')
			continue;
		if (sig < 19) {
			mant = mant * 10 + (uint64_t)(s[i] - '0');
			sig++;
		} else {
			dropped = 1;
			exp10++;
		}
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			if (mant == 0 && s[i] == '0') {
				exp10--;
				continue;
			}
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(s[i] - '0');
				sig++;
				exp10--;
			} else {
				dropped = 1;
			}
		}
	}
	if (digits == 0)
		return named_value(s, len);
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		int eneg = 0;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= len || s[i] < '0' || s[i] > '9')
			return NUM_SYNTAX;
		long e = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		exp10 += eneg ? -e : e;
	}
	if (i != len)
		return NUM_SYNTAX;
	if (!exact && !dropped && sig <= 15 && exp10 >= -22 && exp10 <= 22) {
		double v = (double)mant;
		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = neg ? -v : v;
		return NUM_OK;
	}
	if (!exact) {
		size_t o = (s[0] == '+' || s[0] == '-') ? 1 : 0;
		double v;
		if (fastfloat_parse(s + o, len - o, &v) == 0) {
			if (!isfinite(v))
				return NUM_INF;
			*out = neg ? -v : v;
			return NUM_OK;
		}
	}
	return slow(s, len, out);
}

int numparse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
