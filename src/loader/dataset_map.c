/* dataset_map.c — the FNV-1a hash of a NUL-terminated string (hash.h's
 * hash_fnv1a of its bytes, in one pass: a key hashed from a field while
 * reading must equal one hashed from the pool), and a small open-addressing
 * string hash map on it for class names. Keys are borrowed, never copied. */
#include <stdlib.h>
#include <string.h>

#include "dataset_priv.h"
#include "util.h"

uint64_t dataset_fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

void strmap_init(struct strmap *m, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2)
		cap <<= 1;
	m->cap = cap;
	m->count = 0;
	m->slot = xcalloc(cap, sizeof *m->slot);
	m->key = xcalloc(cap, sizeof *m->key);
}

void strmap_free(struct strmap *m)
{
	free(m->slot);
	free(m->key);
	memset(m, 0, sizeof *m);
}

static void grow(struct strmap *m)
{
	struct strmap big;
	big.cap = m->cap * 2;
	big.count = 0;
	big.slot = xcalloc(big.cap, sizeof *big.slot);
	big.key = xcalloc(big.cap, sizeof *big.key);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i])
			strmap_put(&big, m->key[i], m->slot[i] - 1);
	strmap_free(m);
	*m = big;
}

int strmap_put(struct strmap *m, const char *key, size_t value)
{
	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	size_t i = (size_t)dataset_fnv1a(key) & (m->cap - 1);
	while (m->slot[i]) {
		if (!strcmp(m->key[i], key))
			return -1;
		i = (i + 1) & (m->cap - 1);
	}
	m->slot[i] = value + 1;
	m->key[i] = key;
	m->count++;
	return 0;
}

long strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return -1;
	size_t i = (size_t)dataset_fnv1a(key) & (m->cap - 1);
	while (m->slot[i]) {
		if (!strcmp(m->key[i], key))
			return (long)(m->slot[i] - 1);
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}
