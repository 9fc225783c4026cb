/* fastfloat.h — exact decimal-to-double conversion by fast_float (C++
 * library, see fastfloat.cc). */
#ifndef RELABEL_FASTFLOAT_H
#define RELABEL_FASTFLOAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Convert s[0..len-1] (an unsigned plain decimal: digits[.digits][e[+-]digits],
 * already checked by the caller) to the nearest double, ties to even.
 * Returns 0, or -1 if fast_float did not consume the whole string. */
int fastfloat_parse(const char *s, size_t len, double *out);

/* The same conversion for a decimal already read: s is m * 10^exp10 with m
 * exact (at most 19 digits), s its text (read again only in the rare hard
 * case). Returns 0, or -1 as fastfloat_parse. */
int fastfloat_decimal(uint64_t m, int exp10, const char *s, size_t len, double *out);

#ifdef __cplusplus
}
#endif
#endif
