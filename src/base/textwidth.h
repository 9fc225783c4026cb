/* textwidth.h — measuring and cutting UTF-8 text in terminal columns, the
 * way the screen shows it: wide characters take two columns, combining marks
 * none; control characters, C1 and bidi controls, invalid bytes and
 * characters the C library cannot print are shown in the visible form of
 * sanitize.h ("\e", "\xe9", "<U+202E>"), one column per byte of that form; a
 * tab moves to the next multiple of 8 columns (counted from the start of the
 * text); characters whose width terminals disagree on are left out, so no
 * terminal can misplace what follows them: the zero-width joiner (a ZWJ
 * emoji sequence is drawn as its separate emoji), variation selectors, emoji
 * skin-tone modifiers, tag characters and other invisible format characters
 * (U+200B..U+200F, U+2060..U+2064, U+FEFF, U+061C, U+034F, U+180B..U+180F,
 * the soft hyphen U+00AD).
 * A pair of regional indicators (a flag) is one glyph of two columns; a lone
 * regional indicator is shown as <U+XXXXX>. */
#ifndef RELABEL_TEXTWIDTH_H
#define RELABEL_TEXTWIDTH_H

#include <stddef.h>

#include "sanitize.h"

enum tw_kind {
	TW_CHAR,    /* drawn as is (one cell), cols 1 or 2 */
	TW_MARK,    /* zero width: joins the previous character */
	TW_ESC,     /* drawn as the ASCII text esc, cols = its length */
	TW_TAB,     /* a tab: spaces up to the next multiple of 8 */
	TW_DROP     /* not drawn at all */
};

struct tw_glyph {
	enum tw_kind kind;
	unsigned cp;
	int cols;
	char esc[SAN_ESC_MAX];
};

/* How the screen shows the character at s (len > 0 bytes available): fills
 * *g and returns the bytes it takes (at least 1). */
size_t tw_glyph(const char *s, size_t len, struct tw_glyph *g);
/* Columns a tab at column col takes. */
#define TW_TAB_COLS(col) (8 - (int)((col) % 8))

/* Columns of a code point as the screen shows it (0 for combining marks
 * and dropped characters; a tab counts 1 here). */
int tw_cp_width(unsigned cp);
/* Display columns of a NUL-terminated string as the screen shows it. */
size_t tw_width(const char *s);
/* Copy s into dst (size dstsz) cut to at most cols columns, ending with
 * "…" when cut, then padded with spaces to exactly cols columns when pad is
 * set. The copy is what the screen shows: escapes written out, tabs as
 * spaces, dropped characters left out. Returns the columns used. */
size_t tw_fit(char *dst, size_t dstsz, const char *s, size_t cols, int pad);
/* tw_fit of a class name in the form of san_class (spaces at its ends shown
 * as "␠"). */
size_t tw_fit_class(char *dst, size_t dstsz, const char *name, size_t cols, int pad);

#endif
