/* utf8.h — checking UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), for the loader's warning and the JSON writer;
 * decoding one character for the screen's width and sanitising. */
#ifndef RELABEL_UTF8_H
#define RELABEL_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s[0..len-1], or 0 if
 * s[0] does not start one (len must be > 0). */
size_t utf8_seq(const unsigned char *s, size_t len);

/* Offset of the first byte of s[0..len-1] that is not well-formed UTF-8,
 * or len if all of it is. */
size_t utf8_first_bad(const char *s, size_t len);

/* Decode one character at s (len > 0 bytes available). Returns the bytes
 * used (at least 1) and its code point in *cp (U+FFFD for a byte that does
 * not start a well-formed sequence). */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);

#endif
