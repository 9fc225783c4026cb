/* fastfloat.h — exact decimal-to-double conversion by fast_float (C++
 * library, see fastfloat.cc). */
#ifndef RELABEL_FASTFLOAT_H
#define RELABEL_FASTFLOAT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Convert s[0..len-1] (an unsigned plain decimal: digits[.digits][e[+-]digits],
 * already checked by the caller) to the nearest double, ties to even.
 * Returns 0, or -1 if fast_float did not consume the whole string. */
int fastfloat_parse(const char *s, size_t len, double *out);

#ifdef __cplusplus
}
#endif
#endif
