/* sanitize.c — the visible form of untrusted text (see sanitize.h). Built on
 * the UTF-8 decoder of textwidth.c; never allocates except in san_dup and
 * for long %s arguments of san_vfprintf. */
#include "sanitize.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "textwidth.h"
#include "util.h"

static int is_bidi(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t san_char(const char *s, size_t len, unsigned *cp, char esc[SAN_ESC_MAX])
{
	static const char c0[] = "\aa\bb\tt\nn\vv\ff\rr\033e";
	unsigned char b = (unsigned char)s[0];
	esc[0] = '\0';
	if (b < 0x20 || b == 0x7F) {
		*cp = b;
		const char *m = b ? memchr(c0, b, sizeof c0 - 1) : NULL;
		if (m && (m - c0) % 2 == 0)
			esc[0] = '\\', esc[1] = m[1], esc[2] = '\0';
		else
			snprintf(esc, SAN_ESC_MAX, "\\x%02x", b);
		return 1;
	}
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	size_t n = utf8_decode(s, len, cp);
	if (n == 1 && *cp == 0xFFFD)
		snprintf(esc, SAN_ESC_MAX, "\\x%02x", b);
	else if (*cp < 0xA0 || is_bidi(*cp))
		snprintf(esc, SAN_ESC_MAX, "<U+%04X>", *cp);
	return n;
}

/* Append the visible form of s (len bytes) to buf (size n, used *o); stops
 * before a character that does not fit. */
static void append(char *buf, size_t n, size_t *o, const char *s, size_t len)
{
	while (len) {
		unsigned cp;
		char esc[SAN_ESC_MAX];
		size_t k = san_char(s, len, &cp, esc);
		const char *src = esc[0] ? esc : s;
		size_t m = esc[0] ? strlen(esc) : k;
		if (*o + m >= n)
			break;
		memcpy(buf + *o, src, m);
		*o += m;
		s += k;
		len -= k;
	}
	buf[*o] = '\0';
}

char *san_buf(char *buf, size_t n, const char *s)
{
	size_t o = 0;
	if (n)
		append(buf, n, &o, s, strlen(s));
	return buf;
}

char *san_dup(const char *s)
{
	size_t len = strlen(s), n = len * 4 + 1;   /* at most 4 bytes shown per byte */
	if (len > (SIZE_MAX - 1) / 4)
		die("out of memory (string of %zu bytes)", len);
	char *buf = xmalloc(n);
	size_t o = 0;
	append(buf, n, &o, s, len);
	return buf;
}

void san_fputs(const char *s, FILE *f)
{
	size_t len = strlen(s);
	while (len) {
		unsigned cp;
		char esc[SAN_ESC_MAX];
		size_t k = san_char(s, len, &cp, esc);
		if (esc[0])
			fputs(esc, f);
		else
			fwrite(s, 1, k, f);
		s += k;
		len -= k;
	}
}

/* Whether s (len bytes) is the start of a UTF-8 sequence longer than len. */
static int cut_short(const char *s, size_t len)
{
	unsigned char b = (unsigned char)s[0];
	size_t need = (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
	if (need <= len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

size_t san_fwrite_lines(const char *s, size_t len, int more, FILE *f)
{
	size_t done = 0;
	while (len) {
		unsigned cp;
		char esc[SAN_ESC_MAX];
		if (more && len < 4 && cut_short(s, len))
			break;
		size_t k = san_char(s, len, &cp, esc);
		if (*s == '\n' || (*s == '\r' && len > 1 && s[1] == '\n'))
			esc[0] = '\0';
		if (esc[0])
			fputs(esc, f);
		else
			fwrite(s, 1, k, f);
		s += k;
		len -= k;
		done += k;
	}
	return done;
}

int san_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = san_vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int san_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = san_vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* One conversion: spec is "%...X" (stars already replaced by numbers), len
 * the length modifier (0, 'H' = hh, 'h', 'l', 'L' = ll or long double, 'z',
 * 'j', 't'). */
static int convert(FILE *f, const char *spec, char conv, char len, va_list *ap)
{
	switch (conv) {
	case 'd': case 'i':
		switch (len) {
		case 'l': return fprintf(f, spec, va_arg(*ap, long));
		case 'L': return fprintf(f, spec, va_arg(*ap, long long));
		case 'z': return fprintf(f, spec, va_arg(*ap, ptrdiff_t));
		case 'j': return fprintf(f, spec, va_arg(*ap, intmax_t));
		case 't': return fprintf(f, spec, va_arg(*ap, ptrdiff_t));
		default: return fprintf(f, spec, va_arg(*ap, int));
		}
	case 'u': case 'o': case 'x': case 'X':
		switch (len) {
		case 'l': return fprintf(f, spec, va_arg(*ap, unsigned long));
		case 'L': return fprintf(f, spec, va_arg(*ap, unsigned long long));
		case 'z': return fprintf(f, spec, va_arg(*ap, size_t));
		case 'j': return fprintf(f, spec, va_arg(*ap, uintmax_t));
		case 't': return fprintf(f, spec, va_arg(*ap, ptrdiff_t));
		default: return fprintf(f, spec, va_arg(*ap, unsigned));
		}
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
		if (len == 'L')
			return fprintf(f, spec, va_arg(*ap, long double));
		return fprintf(f, spec, va_arg(*ap, double));
	case 'p':
		return fprintf(f, spec, va_arg(*ap, void *));
	case 'c': {
		char s[2] = { (char)va_arg(*ap, int), '\0' }, vis[SAN_ESC_MAX];
		char *p = strchr(spec, 'c');
		*p = 's';
		return fprintf(f, spec, san_buf(vis, sizeof vis, s));
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		char small[512], *vis = small;
		if (!s)
			s = "(null)";
		if (strlen(s) * 4 + 1 > sizeof small)
			vis = san_dup(s);
		else
			san_buf(small, sizeof small, s);
		int n = fprintf(f, spec, vis);
		if (vis != small)
			free(vis);
		return n;
	}
	default:
		return -1;
	}
}
#pragma GCC diagnostic pop

int san_vfprintf(FILE *f, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	int total = 0;
	const char *p = fmt;
	while (*p) {
		const char *lit = strchr(p, '%');
		size_t n = lit ? (size_t)(lit - p) : strlen(p);
		fwrite(p, 1, n, f);
		total += (int)n;
		if (!lit)
			break;
		p = lit + 1;
		if (*p == '%') {
			fputc('%', f);
			total++;
			p++;
			continue;
		}
		char spec[64];
		size_t o = 0;
		spec[o++] = '%';
		while (*p && strchr("-+ #0'", *p) && o < 8)
			spec[o++] = *p++;
		for (int part = 0; part < 2; part++) {
			if (part == 1) {
				if (*p != '.')
					break;
				spec[o++] = *p++;
			}
			if (*p == '*') {
				o += (size_t)snprintf(spec + o, 16, "%d", va_arg(ap, int));
				p++;
			} else
				while (*p >= '0' && *p <= '9' && o < 40)
					spec[o++] = *p++;
		}
		char len = 0;
		if (*p == 'h' || *p == 'l') {
			len = *p;
			spec[o++] = *p++;
			if (*p == len) {
				len = len == 'h' ? 'H' : 'L';
				spec[o++] = *p++;
			}
		} else if (*p && strchr("zjtL", *p)) {
			len = *p;
			spec[o++] = *p++;
		}
		if (!*p)
			break;
		char conv = *p++;
		spec[o++] = conv;
		spec[o] = '\0';
		int r = convert(f, spec, conv, len, &ap);
		if (r < 0) {
			va_end(ap);
			return -1;
		}
		total += r;
	}
	va_end(ap);
	return ferror(f) ? -1 : total;
}

char *san_class(char *buf, size_t n, const char *name)
{
	static const char mark[] = "\xE2\x90\xA0";   /* U+2420 SYMBOL FOR SPACE */
	size_t len = strlen(name), lead = 0, trail = 0, o = 0;
	while (lead < len && name[lead] == ' ')
		lead++;
	while (trail < len - lead && name[len - 1 - trail] == ' ')
		trail++;
	if (!n)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < lead && o + 3 < n; i++, o += 3)
		memcpy(buf + o, mark, 3);
	buf[o] = '\0';
	append(buf, n, &o, name + lead, len - lead - trail);
	for (size_t i = 0; i < trail && o + 3 < n; i++, o += 3)
		memcpy(buf + o, mark, 3);
	buf[o] = '\0';
	return buf;
}

int san_needed(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
		i++;
	while (i < len) {
		unsigned cp;
		char esc[SAN_ESC_MAX];
		size_t k = san_char(s + i, len - i, &cp, esc);
		if (esc[0])
			return 1;
		i += k;
	}
	return 0;
}

int san_is_terminal(FILE *f)
{
	static signed char cache[3] = { -1, -1, -1 };
	int fd = fileno(f);
	if (fd < 0)
		return 0;
	if (fd > 2)
		return isatty(fd) == 1;
	if (cache[fd] < 0)
		cache[fd] = (signed char)(isatty(fd) == 1);
	return cache[fd];
}
