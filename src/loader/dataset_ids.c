/* dataset_ids.c — duplicate example ids and the line a data row starts on.
 *
 * Duplicates are found with a hash table of row numbers (8 bytes a slot,
 * two slots a row) that lives only for the check, before the probabilities
 * are allocated.
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

int dataset_duplicate_id(const struct dataset *d, size_t *first, size_t *second)
{
	if (d->id_col < 0 || d->n < 2 || d->n >= UINT32_MAX)
		return 0;   /* (the engine refuses 2^32 rows anyway) */
	/* open addressing; a slot holds the hash's high 32 bits and the row
	 * + 1, so that most probes need no string compare */
	size_t cap = 16;
	while (cap < d->n * 2)
		cap <<= 1;
	uint64_t *slot = xcalloc(cap, sizeof *slot);
	int found = 0;
	for (size_t i = 0; i < d->n && !found; i++) {
		const char *id = dataset_cell(d, i, (size_t)d->id_col);
		uint64_t h = hash_str(id), tag = h >> 32 << 32;
		size_t at = (size_t)h & (cap - 1);
		for (; slot[at]; at = (at + 1) & (cap - 1)) {
			size_t row = (size_t)(uint32_t)slot[at] - 1;
			if ((slot[at] & ~0xffffffffull) == tag &&
			    !strcmp(dataset_cell(d, row, (size_t)d->id_col), id)) {
				*first = row;
				*second = i;
				found = 1;
				break;
			}
		}
		slot[at] = tag | (uint64_t)(i + 1);
	}
	free(slot);
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
