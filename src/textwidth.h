/* textwidth.h — measuring and cutting UTF-8 text in terminal columns (wide
 * characters take two, combining marks none; control characters and
 * invalid bytes are shown as one replacement column). */
#ifndef RELABEL_TEXTWIDTH_H
#define RELABEL_TEXTWIDTH_H

#include <stddef.h>

/* Decode one character at s (len bytes available). Returns the bytes used
 * (at least 1) and its code point in *cp (U+FFFD for an invalid byte). */
size_t tw_decode(const char *s, size_t len, unsigned *cp);
/* Columns of a code point: 0 (combining), 1 or 2; control characters 1
 * (they are drawn as a replacement). */
int tw_cp_width(unsigned cp);
/* Display columns of a NUL-terminated string. */
size_t tw_width(const char *s);
/* Copy s into dst (size dstsz) cut to at most cols columns, ending with
 * "…" when cut, then padded with spaces to exactly cols columns when pad is
 * set. Control characters become '?'. Returns the columns used. */
size_t tw_fit(char *dst, size_t dstsz, const char *s, size_t cols, int pad);

#endif
