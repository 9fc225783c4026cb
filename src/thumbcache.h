/* thumbcache.h — decoded and scaled images of recently shown examples, so
 * moving back and forth through the queue decodes each PNG once. Bounded:
 * the least recently used entry is dropped. */
#ifndef RELABEL_THUMBCACHE_H
#define RELABEL_THUMBCACHE_H

#include "imgview.h"

#define THUMBCACHE_SIZE 32

struct thumb_entry {
	long row;
	int cols, rows;
	enum img_mode mode;
	int ok;                  /* 0: err holds why there is no image */
	struct thumb t;
	int w, h;                /* the image's own size */
	char err[256];
	unsigned long used;
};

struct thumbcache {
	struct thumb_entry e[THUMBCACHE_SIZE];
	unsigned long clock;
	unsigned long hits, misses;
};

void thumbcache_init(struct thumbcache *tc);
void thumbcache_free(struct thumbcache *tc);
/* Whether row's image is cached at that size and mode. */
int thumbcache_has(const struct thumbcache *tc, long row, int cols, int rows,
		   enum img_mode mode);
/* The entry for row's image at path fitted to cols x rows in mode,
 * decoding it on a miss. Never NULL. */
const struct thumb_entry *thumbcache_get(struct thumbcache *tc, long row, const char *path,
					 int cols, int rows, enum img_mode mode);

#endif
