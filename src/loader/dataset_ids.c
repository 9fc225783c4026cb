/* dataset_ids.c — example ids: the id -> row index, duplicate ids, and the
 * line a data row starts on.
 *
 * The index is the rows sorted by a hash of their id (8 bytes a row,
 * sorted in place): a lookup is a binary search and string compares
 * within a run of equal hashes (the first row of an id wins, as the first
 * row does everywhere). Duplicates are found on the same sorted keys, kept
 * only for the check when no index is wanted.
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

/* Sort keys in place by value, most significant byte first (American flag
 * sort: count a byte's values, then swap each key into its value's part),
 * parts of at most 32 keys by insertion. A key is tag << 32 | row, unique,
 * so by value is by tag with rows ascending within a tag; in place, so the
 * keys take 8 bytes a row and no more (they are built while PROBS.csv's
 * array fills). The bytes below the tag are sorted the same way, so a
 * file whose ids all hash alike (or are all one id) stays linear. */
static void sort_keys(uint64_t *a, size_t n, int shift)
{
	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			uint64_t x = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1] > x; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	size_t count[256] = { 0 }, next[256], end[256];
	for (size_t i = 0; i < n; i++)
		count[(a[i] >> shift) & 0xff]++;
	size_t at = 0;
	for (int b = 0; b < 256; b++) {
		next[b] = at;
		at += count[b];
		end[b] = at;
	}
	for (int b = 0; b < 256; b++) {
		while (next[b] < end[b]) {
			uint64_t x = a[next[b]];
			int v = (int)(x >> shift) & 0xff;
			while (v != b) {         /* x belongs in part v: swap it there */
				uint64_t y = a[next[v]];
				a[next[v]++] = x;
				x = y;
				v = (int)(x >> shift) & 0xff;
			}
			a[next[b]++] = x;
		}
	}
	if (shift == 0)
		return;
	for (size_t b = 0, from = 0; b < 256; from += count[b], b++)
		if (count[b] > 1)
			sort_keys(a + from, count[b], shift - 8);
}

/* Every row's key, hash tag << 32 | row, sorted by tag (rows ascending
 * within a tag): 8 bytes a row. */
static uint64_t *sorted_keys(const struct dataset *d)
{
	size_t n = d->n, col = (size_t)d->id_col;
	if (n >= UINT32_MAX)
		die("%s: more than %u rows; expected fewer", d->data_path, UINT32_MAX - 1);
	uint64_t *key = xmallocarray(n ? n : 1, sizeof *key);
	for (size_t i = 0; i < n; i++)
		key[i] = dataset_fnv1a(dataset_cell(d, i, col)) >> 32 << 32 | (uint64_t)i;
	sort_keys(key, n, 56);
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
