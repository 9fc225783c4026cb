/* textwidth.c — UTF-8 decoding and the screen's column widths (via wcwidth,
 * with the locale's character type forced to UTF-8 for the query; see
 * textwidth.h for what is escaped, expanded or left out). */
#include "textwidth.h"
#include "utf8.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static locale_t utf8_locale(void)
{
	static locale_t loc;
	static int tried;
	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

/* The C library's column count (-1 = not printable), in a UTF-8 locale. */
static int lib_width(unsigned cp)
{
	locale_t loc = utf8_locale(), old = (locale_t)0;
	if (loc)
		old = uselocale(loc);
	int w = wcwidth((wchar_t)cp);
	if (loc)
		uselocale(old);
	return w;
}

/* Characters left out on the screen: invisible, and terminals disagree on
 * how they join or widen their neighbours. */
static int dropped(unsigned cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE01EF) ||
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0x180B && cp <= 0x180F) ||
	       cp == 0xFEFF || cp == 0x061C || cp == 0x034F || cp == 0x00AD;
}

static int regional(unsigned cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

size_t tw_glyph(const char *s, size_t len, struct tw_glyph *g)
{
	size_t n = san_char(s, len, &g->cp, g->esc);
	if (regional(g->cp)) {
		/* a pair of regional indicators is a flag, two columns in every
		 * terminal that draws flags and in those that draw the letters;
		 * a lone one is one column or two depending on the terminal */
		unsigned next = 0;
		size_t m = n < len ? utf8_decode(s + n, len - n, &next) : 0;
		if (regional(next)) {
			g->kind = TW_CHAR;
			g->cols = 2;
			return n + m;
		}
		snprintf(g->esc, SAN_ESC_MAX, "<U+%04X>", g->cp);
		g->kind = TW_ESC;
		g->cols = (int)strlen(g->esc);
		return n;
	}
	if (g->cp == '\t') {
		g->kind = TW_TAB;
		g->cols = 0;
		g->esc[0] = '\0';
	} else if (g->esc[0]) {
		g->kind = TW_ESC;
		g->cols = (int)strlen(g->esc);
	} else if (g->cp < 0x80) {
		g->kind = TW_CHAR;
		g->cols = 1;
	} else if (dropped(g->cp)) {
		g->kind = TW_DROP;
		g->cols = 0;
	} else {
		int w = lib_width(g->cp);
		if (w < 0) {
			snprintf(g->esc, SAN_ESC_MAX, "<U+%04X>", g->cp);
			g->kind = TW_ESC;
			g->cols = (int)strlen(g->esc);
		} else {
			g->kind = w == 0 ? TW_MARK : TW_CHAR;
			g->cols = w > 2 ? 2 : w;
		}
	}
	return n;
}

int tw_cp_width(unsigned cp)
{
	char utf8[4];
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	if (n == 1)
		utf8[0] = (char)cp;
	else {
		for (size_t i = n - 1; i > 0; i--, cp >>= 6)
			utf8[i] = (char)(0x80 | (cp & 0x3F));
		utf8[0] = (char)((0xF00u >> n) | cp);
	}
	struct tw_glyph g;
	tw_glyph(utf8, n, &g);
	return g.kind == TW_TAB ? 1 : g.cols;
}

/* Columns of glyph g drawn at column col. */
static size_t glyph_cols(const struct tw_glyph *g, size_t col)
{
	return g->kind == TW_TAB ? (size_t)TW_TAB_COLS(col) : (size_t)g->cols;
}

size_t tw_width(const char *s)
{
	size_t w = 0, len = strlen(s);
	while (len) {
		struct tw_glyph g;
		size_t n = tw_glyph(s, len, &g);
		w += glyph_cols(&g, w);
		s += n;
		len -= n;
	}
	return w;
}

size_t tw_fit(char *dst, size_t dstsz, const char *s, size_t cols, int pad)
{
	size_t used = 0, o = 0, len = strlen(s), total = tw_width(s);
	size_t room = total > cols ? (cols ? cols - 1 : 0) : cols;
	while (len) {
		struct tw_glyph g;
		size_t n = tw_glyph(s, len, &g);
		size_t w = glyph_cols(&g, used);
		size_t m = g.kind == TW_ESC ? strlen(g.esc) : g.kind == TW_TAB ? w :
			   g.kind == TW_DROP ? 0 : n;
		if (used + w > room || o + m + 4 >= dstsz)
			break;
		if (g.kind == TW_ESC)
			memcpy(dst + o, g.esc, m);
		else if (g.kind == TW_TAB)
			memset(dst + o, ' ', m);
		else
			memcpy(dst + o, s, m);
		o += m;
		used += w;
		s += n;
		len -= n;
	}
	if (total > cols && cols && o + 4 < dstsz) {
		memcpy(dst + o, "\xE2\x80\xA6", 3);
		o += 3;
		used++;
	}
	while (pad && used < cols && o + 1 < dstsz) {
		dst[o++] = ' ';
		used++;
	}
	dst[o] = '\0';
	return used;
}

size_t tw_fit_class(char *dst, size_t dstsz, const char *name, size_t cols, int pad)
{
	char vis[1024];
	return tw_fit(dst, dstsz, san_class(vis, sizeof vis, name), cols, pad);
}
