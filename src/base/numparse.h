/* numparse.h — decimal text to double, exactly as strtod rounds it.
 *
 * Accepts only the plain decimal grammar [+-]digits[.digits][(e|E)[+-]digits]
 * (at least one digit in the mantissa); anything else — hex floats, "nan",
 * "inf", spaces, empty — is rejected, so the fast and the safe path accept
 * the same strings.
 */
#ifndef RELABEL_NUMPARSE_H
#define RELABEL_NUMPARSE_H

#include <stddef.h>

enum numparse_status { NUM_OK = 0, NUM_EMPTY, NUM_SYNTAX, NUM_NAN, NUM_INF, NUM_RANGE };

/* Parse s[0..len-1]. exact = 1 converts with strtod always (the safe path);
 * exact = 0 uses Clinger's fast path (a mantissa up to 2^53 and a
 * power of ten up to 22, exact in double arithmetic) and fast_float's
 * Eisel–Lemire conversion otherwise (17-digit shortest round-trip output
 * such as pandas writes). All paths give bit-identical results. */
enum numparse_status numparse_double(const char *s, size_t len, int exact, double *out);

/* A record of exactly k numbers separated by delim, s[0..len-1] without its
 * line end, into out[0..k-1]: 0, or -1 if any field is not one number
 * numparse_double (exact = 0) accepts, or the count is not k (out is then
 * partly written; the caller reads the record field by field for the
 * exact error). Each value is bit for bit numparse_double's: the short
 * plain form is converted inline (Clinger's path), anything else field by
 * field through numparse_double. */
int numparse_row(const char *s, size_t len, char delim, size_t k, double *out);

/* A short description of a status, e.g. "not a number". */
const char *numparse_reason(enum numparse_status st);

/* A plain decimal whole number, digits only (no sign, no space, not empty),
 * at most max: 0 with *out set, or -1. Every numeric command-line value
 * goes through it. */
int numparse_uint(const char *s, unsigned long long max, unsigned long long *out);

#endif
