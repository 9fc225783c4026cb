/* json_min.c — recursive-descent JSON reader for comparing test outputs. */
#include "json_min.h"

#include <stdlib.h>
#include <string.h>

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *parse(const char *p, struct jv *v);

static const char *parse_str(const char *p, char **out)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);
	for (p++; *p && *p != '"'; p++) {
		char c = *p;
		unsigned cp = 0;
		if (c == '\\') {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				cp = (unsigned)strtoul((char[5]){ p[1], p[2], p[3], p[4], 0 }, NULL, 16);
				p += 4;
				break;
			default: c = *p;
			}
		}
		if (n + 5 > cap)
			s = realloc(s, cap *= 2);
		if (cp >= 0x80) {  /* BMP only; enough for the reference files */
			if (cp < 0x800) {
				s[n++] = (char)(0xC0 | (cp >> 6));
			} else {
				s[n++] = (char)(0xE0 | (cp >> 12));
				s[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			}
			s[n++] = (char)(0x80 | (cp & 0x3F));
		} else {
			s[n++] = cp ? (char)cp : c;
		}
	}
	s[n] = '\0';
	*out = s;
	return *p == '"' ? p + 1 : NULL;
}

static const char *parse_list(const char *p, struct jv *v, int obj)
{
	size_t cap = 8;
	v->items = calloc(cap, sizeof *v->items);
	if (obj)
		v->keys = calloc(cap, sizeof *v->keys);
	p = ws(p + 1);
	if (*p == (obj ? '}' : ']'))
		return p + 1;
	for (;;) {
		if (v->n == cap) {
			cap *= 2;
			v->items = realloc(v->items, cap * sizeof *v->items);
			if (obj)
				v->keys = realloc(v->keys, cap * sizeof *v->keys);
		}
		memset(&v->items[v->n], 0, sizeof v->items[0]);
		if (obj) {
			p = ws(p);
			if (*p != '"' || !(p = parse_str(p, &v->keys[v->n])))
				return NULL;
			p = ws(p);
			if (*p++ != ':')
				return NULL;
		}
		if (!(p = parse(p, &v->items[v->n++])))
			return NULL;
		p = ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		return *p == (obj ? '}' : ']') ? p + 1 : NULL;
	}
}

static const char *parse(const char *p, struct jv *v)
{
	p = ws(p);
	memset(v, 0, sizeof *v);
	if (*p == '{') {
		v->t = J_OBJ;
		return parse_list(p, v, 1);
	}
	if (*p == '[') {
		v->t = J_ARR;
		return parse_list(p, v, 0);
	}
	if (*p == '"') {
		v->t = J_STR;
		return parse_str(p, &v->str);
	}
	if (!strncmp(p, "null", 4))
		return v->t = J_NULL, p + 4;
	if (!strncmp(p, "true", 4))
		return v->t = J_BOOL, v->num = 1, p + 4;
	if (!strncmp(p, "false", 5))
		return v->t = J_BOOL, p + 5;
	if (!strncmp(p, "NaN", 3))
		return v->t = J_NUM, v->num = 0.0 / 0.0, p + 3;
	char *end;
	v->t = J_NUM;
	v->num = strtod(p, &end);
	return end == p ? NULL : end;
}

static void clear(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

struct jv *jv_parse(const char *text)
{
	struct jv *v = malloc(sizeof *v);
	const char *p = parse(text, v);
	if (!p || *ws(p)) {
		clear(v);
		free(v);
		return NULL;
	}
	return v;
}

void jv_free(struct jv *v)
{
	if (v) {
		clear(v);
		free(v);
	}
}

const struct jv *jv_get(const struct jv *v, const char *path)
{
	char key[128];
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof key || v->t != J_OBJ)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '.');
		const struct jv *next = NULL;
		for (size_t i = 0; i < v->n; i++)
			if (!strcmp(v->keys[i], key))
				next = &v->items[i];
		v = next;
	}
	return v;
}
