/* guide.c — loading labelling guidelines and finding the sections that name
 * a class (see guide.h). */
#include "guide.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0;
	if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return len;
}

static int read_all(const char *path, char **buf, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_INPUT, "%s: cannot read the guidelines: %s", path,
			       strerror(errno));
	size_t cap = 1 << 16, n = 0;
	char *b = xmalloc(cap);
	for (;;) {
		if (n == cap)
			b = xrealloc(b, cap *= 2);
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		free(b);
		return err_set(e, ERR_INPUT, "%s: cannot read the guidelines: %s", path,
			       strerror(saved));
	}
	*buf = b;
	*len = n;
	return 0;
}

/* ATX heading level of a line ("## x"), or 0. */
static int atx_level(const char *s)
{
	int sp = 0;
	while (*s == ' ' && sp < 4)
		s++, sp++;
	if (sp > 3)
		return 0;
	int lv = 0;
	while (s[lv] == '#')
		lv++;
	return lv >= 1 && lv <= 6 && (s[lv] == ' ' || s[lv] == '\t' || !s[lv]) ? lv : 0;
}

/* Setext underline level (=== 1, --- 2), or 0. */
static int setext_level(const char *s)
{
	while (*s == ' ')
		s++;
	char c = *s;
	if (c != '=' && c != '-')
		return 0;
	while (*s == c)
		s++;
	while (*s == ' ')
		s++;
	return *s ? 0 : c == '=' ? 1 : 2;
}

static int blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

static char *atx_text(const char *s)
{
	while (*s == ' ')
		s++;
	while (*s == '#')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n && s[n - 1] == '#')     /* closing hashes */
		n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static void add_section(struct guide *g, int level, size_t line, char *text)
{
	g->sec = xrealloc(g->sec, (g->nsec + 1) * sizeof *g->sec);
	g->sec[g->nsec++] = (struct guide_section){ level, line, line, 0, text };
}

int guide_load(struct guide **out, const char *path, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	if (read_all(path, &buf, &len, e) < 0)
		return -1;
	size_t line = 1, col = 1;
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)buf + i;
		size_t l = *p ? utf8_len(p, len - i) : 0;
		if (!l) {
			int nul = !*p;
			free(buf);
			return err_at(e, path, line, col, nul ? "NUL byte; expected a UTF-8 Markdown "
				      "file" : "invalid UTF-8; expected a UTF-8 Markdown file");
		}
		if (*p == '\n')
			line++, col = 1;
		else
			col++;
		i += l;
	}
	struct guide *g = xcalloc(1, sizeof *g);
	g->path = xstrdup(path);
	size_t cap = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && buf[j] != '\n')
			j++;
		size_t k = j;
		if (k > i && buf[k - 1] == '\r')
			k--;
		if (g->nlines == cap)
			g->lines = xrealloc(g->lines, (cap = cap ? cap * 2 : 64) * sizeof *g->lines);
		char *s = xstrndup(buf + i, k - i);
		for (char *t = s; *t; t++)      /* tabs and stray CRs as spaces */
			if (*t == '\t' || *t == '\r')
				*t = ' ';
		g->lines[g->nlines++] = s;
		i = j + 1;
	}
	free(buf);
	int fence = 0;
	for (size_t i = 0; i < g->nlines; i++) {
		const char *s = g->lines[i];
		const char *t = s + strspn(s, " ");
		if (!strncmp(t, "```", 3) || !strncmp(t, "~~~", 3)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		int lv = atx_level(s);
		if (lv) {
			add_section(g, lv, i, atx_text(s));
		} else if (i > 0 && (lv = setext_level(s)) && !blank(g->lines[i - 1]) &&
			   !atx_level(g->lines[i - 1]) &&
			   !(g->nsec && g->sec[g->nsec - 1].title == i - 1)) {
			const char *h = g->lines[i - 1] + strspn(g->lines[i - 1], " ");
			add_section(g, lv, i - 1, xstrdup(h));
		}
	}
	for (size_t s = 0; s < g->nsec; s++) {
		g->sec[s].end = g->nlines;
		for (size_t t = s + 1; t < g->nsec; t++)
			if (g->sec[t].level <= g->sec[s].level) {
				g->sec[s].end = g->sec[t].title;
				break;
			}
	}
	*out = g;
	return 0;
}

void guide_free(struct guide *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nlines; i++)
		free(g->lines[i]);
	for (size_t i = 0; i < g->nsec; i++)
		free(g->sec[i].heading);
	free(g->lines);
	free(g->sec);
	free(g->path);
	free(g);
}

static int word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

int guide_names(const char *heading, const char *name)
{
	size_t n = strlen(name);
	if (!n)
		return 0;
	for (const char *p = heading; *p; p++) {
		if (strncasecmp(p, name, n))
			continue;
		int before = p == heading || !word_byte((unsigned char)p[-1]) ||
			     !word_byte((unsigned char)name[0]);
		int after = !p[n] || !word_byte((unsigned char)p[n]) ||
			    !word_byte((unsigned char)name[n - 1]);
		if (before && after)
			return 1;
	}
	return 0;
}

size_t guide_sections_for(const struct guide *g, const char *name, size_t *out, size_t max)
{
	size_t m = 0;
	for (size_t s = 0; s < g->nsec && m < max; s++) {
		if (!guide_names(g->sec[s].heading, name))
			continue;
		if (m && g->sec[s].first < g->sec[out[m - 1]].end)
			continue;      /* inside the section already chosen */
		out[m++] = s;
	}
	return m;
}
