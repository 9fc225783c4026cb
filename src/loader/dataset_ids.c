/* dataset_ids.c — example ids: the id -> row index, duplicate ids, and the
 * line a data row starts on.
 *
 * The index is the rows sorted by a hash of their id (8 bytes a row, and
 * a sixteenth more while it is built): a lookup is a binary search and
 * string compares within a run of equal hashes (the first row of an id
 * wins, as the first row does everywhere). Duplicates are found on the
 * same sorted keys, kept only for the check when no index is wanted.
 * Line numbers are not kept per row; the line of a row is found again by
 * reading DATA.csv up to it (only for messages).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_csv.h"
#include "dataset_priv.h"
#include "numparse.h"
#include "util.h"

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Keys a[0..n) of one tag, in any order, by value (rows ascending). */
static void sort_run(uint64_t *a, size_t n)
{
	if (n > 32) {
		qsort(a, n, sizeof *a, cmp_key);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t x = a[i];
		size_t j = i;
		for (; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Sort keys (tag << 32 | row) by value: by tag, rows ascending within a
 * tag. First into 16 parts by the tag's top 4 bits, in place (each key
 * swapped into its part: 16 sequential streams), then each part by a
 * stable radix sort of the other 28 bits (two passes of 14) through a
 * buffer the size of the largest part: about 8.5 bytes a row, where a radix
 * sort of the whole took 16 (the keys are built while PROBS.csv's array
 * fills). The partition does not keep row order, so each run of equal tags
 * (rare, save where the ids are all one) is put back in row order last. */
static void sort_keys(uint64_t *a, size_t n)
{
	size_t count[16] = { 0 }, next[16], end[16], at = 0, most = 1;
	for (size_t i = 0; i < n; i++)
		count[a[i] >> 60]++;
	for (int b = 0; b < 16; b++) {
		next[b] = at;
		at += count[b];
		end[b] = at;
		if (count[b] > most)
			most = count[b];
	}
	for (int b = 0; b < 16; b++)
		while (next[b] < end[b]) {
			uint64_t x = a[next[b]];
			int v = (int)(x >> 60);
			while (v != b) {         /* x belongs in part v: swap it there */
				uint64_t y = a[next[v]];
				a[next[v]++] = x;
				x = y;
				v = (int)(x >> 60);
			}
			a[next[b]++] = x;
		}
	uint64_t *tmp = xmallocarray(most, sizeof *tmp);
	size_t *digit = xmallocarray(1 << 14, sizeof *digit);
	size_t from = 0;
	for (int b = 0; b < 16; from += count[b], b++) {
		uint64_t *key = a + from, *to = tmp;
		size_t m = count[b];
		for (int pass = 0; pass < 2; pass++) {
			int shift = 32 + 14 * pass;
			memset(digit, 0, (1 << 14) * sizeof *digit);
			for (size_t i = 0; i < m; i++)
				digit[(key[i] >> shift) & 0x3fff]++;
			size_t pos = 0;
			for (size_t c = 0; c < 1 << 14; c++) {
				size_t z = digit[c];
				digit[c] = pos;
				pos += z;
			}
			for (size_t i = 0; i < m; i++)
				to[digit[(key[i] >> shift) & 0x3fff]++] = key[i];
			uint64_t *t = key;
			key = to;
			to = t;
		}
		/* two passes: the part is back in a */
		for (size_t i = 0; i < m;) {
			size_t j = i + 1;
			while (j < m && key[j] >> 32 == key[i] >> 32)
				j++;
			if (j - i > 1)
				sort_run(key + i, j - i);
			i = j;
		}
	}
	free(digit);
	free(tmp);
}

/* Every row's key, hash tag << 32 | row, sorted by tag (rows ascending
 * within a tag): 8 bytes a row, and a part's while sorting. */
static uint64_t *sorted_keys(const struct dataset *d)
{
	size_t n = d->n, col = (size_t)d->id_col;
	if (n >= UINT32_MAX)
		die("%s: more than %u rows; expected fewer", d->data_path, UINT32_MAX - 1);
	struct dataset_priv *pv = d->priv;
	uint64_t *key;
	if (pv->read_keys && pv->read_keys_n == n) {
		key = pv->read_keys;         /* hashed as DATA.csv was read */
		pv->read_keys = NULL;
		pv->read_keys_n = 0;
	} else {
		key = xmallocarray(n ? n : 1, sizeof *key);
		for (size_t i = 0; i < n; i++)
			key[i] = dataset_fnv1a(dataset_cell(d, i, col)) >> 32 << 32 | (uint64_t)i;
	}
	sort_keys(key, n);
	return key;
}

/* The first row whose id equals an earlier row's, and that earlier row:
 * within each run of equal tags, the first row equal to one before it in
 * the run (found first: the id's first row); the smallest such row wins. */
static int first_duplicate(const struct dataset *d, const uint64_t *key,
			   size_t *first, size_t *second)
{
	size_t n = d->n, col = (size_t)d->id_col;
	size_t best_first = 0, best_second = SIZE_MAX;
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && key[b] >> 32 == key[a] >> 32)
			b++;
		for (size_t j = a + 1; j < b; j++) {
			size_t rj = (uint32_t)key[j];
			if (rj >= best_second)
				break;
			const char *id = dataset_cell(d, rj, col);
			size_t i;
			for (i = a; i < j; i++)
				if (!strcmp(dataset_cell(d, (uint32_t)key[i], col), id))
					break;
			if (i < j) {
				best_first = (uint32_t)key[i];
				best_second = rj;
				break;
			}
		}
		a = b;
	}
	if (best_second == SIZE_MAX)
		return 0;
	*first = best_first;
	*second = best_second;
	return 1;
}

int dataset_duplicate_id(const struct dataset *d, size_t *first, size_t *second)
{
	if (d->id_col < 0 || d->n < 2)
		return 0;
	/* Sorting by a hash of the id instead of a hash table's random probes:
	 * a few sequential passes, and only runs of equal hashes compared. */
	if (d->priv->id_keys)
		return first_duplicate(d, d->priv->id_keys, first, second);
	uint64_t *key = sorted_keys(d);
	int found = first_duplicate(d, key, first, second);
	free(key);
	return found;
}

void dataset_index_ids(struct dataset *d)
{
	if (!d->priv->id_keys && d->id_col >= 0)
		d->priv->id_keys = sorted_keys(d);
}

long dataset_find_id(const struct dataset *d, const char *id)
{
	if (d->id_col < 0) {
		/* exactly the row number as relabel prints it: digits, no
		 * sign, no space, no leading zero */
		unsigned long long v;
		if ((id[0] == '0' && id[1]) || numparse_uint(id, d->n - 1, &v) < 0)
			return -1;
		return (long)v;
	}
	dataset_index_ids((struct dataset *)d);
	const uint64_t *key = d->priv->id_keys;
	uint64_t tag = dataset_fnv1a(id) >> 32;
	size_t lo = 0, hi = d->n;      /* the first key whose tag >= tag */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key[mid] >> 32 < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < d->n && key[lo] >> 32 == tag; lo++)   /* rows ascending */
		if (!strcmp(dataset_cell(d, (uint32_t)key[lo], (size_t)d->id_col), id))
			return (long)(uint32_t)key[lo];
	return -1;
}

struct line_ctx {
	size_t want, row, line;
	int header;
};

static int line_field(struct csvr *r, const char *s, size_t len)
{
	(void)r, (void)s, (void)len;
	return 0;
}

static int line_record(struct csvr *r)
{
	struct line_ctx *c = r->ctx;
	if (c->header) {
		c->header = 0;
		return 0;
	}
	if (c->row++ == c->want) {
		c->line = r->rec_line;
		r->stop = 1;
	}
	return 0;
}

size_t dataset_row_line(const struct dataset *d, size_t row)
{
	uint64_t size;
	struct err e = { 0 };
	int fd = dataset_open_input(d->data_path, "the data file", &size, &e);
	if (fd < 0)
		return 0;
	struct line_ctx c = { .want = row, .header = 1 };
	struct csvr r = { .path = d->data_path, .fd = fd, .end = UINT64_MAX,
			  .line = 1, .on_field = line_field, .on_record = line_record,
			  .ctx = &c, .e = &e };
	csvr_run(&r);
	close(fd);
	return c.line;
}
