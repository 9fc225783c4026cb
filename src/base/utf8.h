/* utf8.h — checking UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), for the loader's warning and the JSON writer. */
#ifndef RELABEL_UTF8_H
#define RELABEL_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s[0..len-1], or 0 if
 * s[0] does not start one (len must be > 0). */
size_t utf8_seq(const unsigned char *s, size_t len);

/* Offset of the first byte of s[0..len-1] that is not well-formed UTF-8,
 * or len if all of it is. */
size_t utf8_first_bad(const char *s, size_t len);

#endif
