/* dataset_classes.c — class names that do not come from a PROBS.csv
 * header: --classes FILE (one name per line, or a JSON list of strings with
 * escapes decoded), the numbered names 0 .. K-1, and integer labels read as
 * class indices (--label-index).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_priv.h"
#include "util.h"

void dataset_classes_numbered(struct dataset *d, size_t k)
{
	d->k = k;
	d->class_names = xmallocarray(k ? k : 1, sizeof(char *));
	for (size_t c = 0; c < k; c++) {
		char b[24];
		snprintf(b, sizeof b, "%zu", c);
		d->class_names[c] = xstrdup(b);
	}
}

long dataset_label_as_index(const char *s, size_t k)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v >= k)
		return -1;
	return (long)v;
}

/* A JSON string literal at *p (escapes decoded, \u to UTF-8). */
static char *json_string(const char **p)
{
	const char *s = *p;
	if (*s != '"')
		return NULL;
	s++;
	size_t cap = 32, n = 0;
	char *out = xmalloc(cap);
	while (*s && *s != '"') {
		if (n + 8 > cap)
			out = xrealloc(out, cap *= 2);
		if ((unsigned char)*s < 0x20)
			goto bad;
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		char c = *s++;
		const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
		const char *m = c ? strchr(map, c) : NULL;
		if (m && ((m - map) % 2) == 0) {
			out[n++] = m[1];
			continue;
		}
		if (c != 'u')
			goto bad;
		unsigned cp = 0;
		for (int i = 0; i < 4; i++, s++) {
			int h = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ?
				*s - 'a' + 10 : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
			if (h < 0)
				goto bad;
			cp = cp * 16 + (unsigned)h;
		}
		if (cp >= 0xd800 && cp < 0xdc00 && s[0] == '\\' && s[1] == 'u') {
			unsigned lo = 0;
			const char *t = s + 2;
			int ok = 1;
			for (int i = 0; i < 4 && ok; i++, t++) {
				int h = *t >= '0' && *t <= '9' ? *t - '0' : *t >= 'a' && *t <= 'f' ?
					*t - 'a' + 10 : *t >= 'A' && *t <= 'F' ? *t - 'A' + 10 : -1;
				ok = h >= 0;
				lo = lo * 16 + (unsigned)h;
			}
			if (!ok || lo < 0xdc00 || lo > 0xdfff)
				goto bad;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			s = t;
		} else if (cp >= 0xd800 && cp < 0xe000)
			goto bad;
		if (cp == 0)
			goto bad;
		if (cp < 0x80)
			out[n++] = (char)cp;
		else if (cp < 0x800) {
			out[n++] = (char)(0xc0 | cp >> 6);
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[n++] = (char)(0xe0 | cp >> 12);
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[n++] = (char)(0xf0 | cp >> 18);
			out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	if (*s != '"')
		goto bad;
	out[n] = '\0';
	*p = s + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static void add_name(struct dataset *d, size_t *cap, char *name)
{
	if (d->k == *cap)
		d->class_names = xrealloc(d->class_names, (*cap = *cap ? *cap * 2 : 16) * sizeof(char *));
	d->class_names[d->k++] = name;
}

static int read_all(const char *path, char **text, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_INPUT, "%s: cannot open the class names file: %s",
			       path, strerror(errno));
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			buf = xrealloc(buf, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return err_set(e, ERR_INPUT, "%s: cannot read the class names file", path);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int dataset_classes_file(struct dataset *d, const char *path, size_t k, struct err *e)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	if (read_all(path, &text, &len, e) < 0)
		return -1;
	int rc = 0;
	const char *s = text;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	if (memchr(s, '\0', len - (size_t)(s - text))) {
		rc = err_at(e, path, 1, 0, "NUL byte; expected one class name per line "
			    "or a JSON list of strings");
		goto out;
	}
	const char *t = s;
	while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
		t++;
	if (*t == '[') {
		t++;
		for (;;) {
			while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
				t++;
			if (*t == ']' && d->k == 0) {
				t++;
				break;
			}
			char *name = json_string(&t);
			if (!name) {
				rc = err_set(e, ERR_INPUT, "%s: byte %zu: expected a JSON string "
					     "(a class name)", path, (size_t)(t - text) + 1);
				goto out;
			}
			add_name(d, &cap, name);
			while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
				t++;
			if (*t == ',') {
				t++;
				continue;
			}
			if (*t == ']') {
				t++;
				break;
			}
			rc = err_set(e, ERR_INPUT, "%s: byte %zu: expected ',' or ']' in the "
				     "JSON list of class names", path, (size_t)(t - text) + 1);
			goto out;
		}
		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
			t++;
		if (*t) {
			rc = err_set(e, ERR_INPUT, "%s: byte %zu: text after the JSON list; "
				     "expected the list alone", path, (size_t)(t - text) + 1);
			goto out;
		}
	} else {
		size_t line = 1;
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			size_t m = n;
			if (m && s[m - 1] == '\r')
				m--;
			if (m == 0) {
				if (nl && nl[1] == '\0')
					break;     /* final line end */
				rc = err_at(e, path, line, 0, "empty class name; expected one "
					    "name per line");
				goto out;
			}
			add_name(d, &cap, xstrndup(s, m));
			s += n + (nl ? 1 : 0);
			line++;
		}
	}
	if (d->k == 0) {
		rc = err_set(e, ERR_INPUT, "%s: no class names; expected one per line or "
			     "a JSON list", path);
		goto out;
	}
	if (k && d->k != k) {
		rc = err_set(e, ERR_INPUT, "%s: %zu class names for %zu columns of "
			     "probabilities; expected one name per column", path, d->k, k);
		goto out;
	}
out:
	free(text);
	return rc;
}

