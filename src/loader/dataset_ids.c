/* dataset_ids.c — duplicate example ids and the line a data row starts on.
 *
 * Duplicates are found by sorting the rows by a hash of their id (16 bytes
 * a row, only for the check) and comparing ids within runs of equal hashes.
 * Line numbers are not kept per row; the line of a row is found again by
 * reading DATA.csv up to it (only for messages).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_csv.h"
#include "dataset_priv.h"
#include "util.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

/* Sort keys (tag << 32 | row) by tag, stably: two passes of 16 bits. */
static void sort_by_tag(uint64_t *key, uint64_t *tmp, size_t n)
{
	size_t *count = xcalloc(1 << 16, sizeof *count);
	for (int pass = 0; pass < 2; pass++) {
		int shift = 32 + 16 * pass;
		memset(count, 0, (1 << 16) * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[(key[i] >> shift) & 0xffff]++;
		size_t at = 0;
		for (size_t b = 0; b < 1 << 16; b++) {
			size_t c = count[b];
			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(key[i] >> shift) & 0xffff]++] = key[i];
		uint64_t *t = key;
		key = tmp;
		tmp = t;
	}
	free(count);
}

int dataset_duplicate_id(const struct dataset *d, size_t *first, size_t *second)
{
	if (d->id_col < 0 || d->n < 2 || d->n >= UINT32_MAX)
		return 0;   /* (the engine refuses 2^32 rows anyway) */
	/* Each row's key is its id's hash (high 32 bits) above its row number;
	 * sorted by hash (stably, so rows ascend within a run of equal hashes)
	 * only runs need string compares. Sequential passes instead of a hash
	 * table's random probes: 16 bytes a row, a few cache-friendly sweeps. */
	size_t n = d->n, col = (size_t)d->id_col;
	uint64_t *key = xmallocarray(n, sizeof *key);
	uint64_t *tmp = xmallocarray(n, sizeof *tmp);
	for (size_t i = 0; i < n; i++)
		key[i] = hash_str(dataset_cell(d, i, col)) >> 32 << 32 | (uint64_t)i;
	sort_by_tag(key, tmp, n);    /* even number of passes: result in key */
	free(tmp);
	int found = 0;
	size_t best_first = 0, best_second = SIZE_MAX;
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && key[b] >> 32 == key[a] >> 32)
			b++;
		/* the first row of the run equal to an earlier one; the earlier
		 * one found first is that id's first row */
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
				found = 1;
				break;
			}
		}
		a = b;
	}
	free(key);
	if (found) {
		*first = best_first;
		*second = best_second;
	}
	return found;
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
	int fd = dataset_open_file(d->data_path, "the data file", &size, &e);
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
