/* json_min.h — a small JSON reader for tests (reference outputs). */
#ifndef RELABEL_TEST_JSON_MIN_H
#define RELABEL_TEST_JSON_MIN_H

#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	double num;
	char *str;
	size_t n;           /* items (array or object) */
	struct jv *items;
	char **keys;        /* object keys */
};

/* Parse text; returns NULL on a syntax error. Free with jv_free. */
struct jv *jv_parse(const char *text);
void jv_free(struct jv *v);
/* Member of an object by a dotted path ("a.b.c"), or NULL. */
const struct jv *jv_get(const struct jv *v, const char *path);

#endif
