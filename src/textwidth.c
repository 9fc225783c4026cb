/* textwidth.c — UTF-8 decoding and column widths (via wcwidth, with the
 * locale's character type forced to UTF-8 for the query). */
#include "textwidth.h"

#include <locale.h>
#include <string.h>
#include <wchar.h>

size_t tw_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c = u[0];
	size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
	if (n == 0 || n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	if (n == 1) {
		*cp = c;
		return 1;
	}
	unsigned v = c & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (u[i] & 0x3F);
	}
	static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return n;
}

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

int tw_cp_width(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 1;
	if (cp < 0x7F)
		return 1;
	locale_t loc = utf8_locale(), old = (locale_t)0;
	if (loc)
		old = uselocale(loc);
	int w = wcwidth((wchar_t)cp);
	if (loc)
		uselocale(old);
	if (w < 0)
		return 1;
	return w > 2 ? 2 : w;
}

size_t tw_width(const char *s)
{
	size_t w = 0, len = strlen(s);
	while (len) {
		unsigned cp;
		size_t n = tw_decode(s, len, &cp);
		w += (size_t)tw_cp_width(cp);
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
		unsigned cp;
		size_t n = tw_decode(s, len, &cp);
		size_t w = (size_t)tw_cp_width(cp);
		if (used + w > room || o + n + 4 >= dstsz)
			break;
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			dst[o++] = '?';
		else {
			memcpy(dst + o, s, n);
			o += n;
		}
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
