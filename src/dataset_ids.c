/* dataset_ids.c — duplicate example ids and the line a data row starts on.
 *
 * Duplicates are found by sorting (hash, row) pairs, 16 bytes per row for
 * the moment of the check, instead of keeping a hash table of every id.
 * Line numbers are not kept per row; the line of a row is found again by
 * reading DATA.csv up to it (only for messages).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_csv.h"
#include "dataset_priv.h"
#include "util.h"

struct hrow {
	uint64_t h;
	uint64_t row;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static int cmp_hrow(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

int dataset_duplicate_id(const struct dataset *d, size_t *first, size_t *second)
{
	if (d->id_col < 0 || d->n < 2)
		return 0;
	struct hrow *v = xmallocarray(d->n, sizeof *v);
	for (size_t i = 0; i < d->n; i++) {
		v[i].h = hash_str(dataset_cell(d, i, (size_t)d->id_col));
		v[i].row = i;
	}
	qsort(v, d->n, sizeof *v, cmp_hrow);
	int found = 0;
	for (size_t i = 0; i < d->n; i++) {
		/* the earliest row with an equal id among the later rows of
		 * this run of equal hashes */
		size_t j = i + 1;
		for (; j < d->n && v[j].h == v[i].h; j++) {
			if (strcmp(dataset_cell(d, v[i].row, (size_t)d->id_col),
				   dataset_cell(d, v[j].row, (size_t)d->id_col)))
				continue;
			if (!found || v[j].row < *second) {
				*first = v[i].row;
				*second = v[j].row;
				found = 1;
			}
			break;
		}
	}
	free(v);
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
