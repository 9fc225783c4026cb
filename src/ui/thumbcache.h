/* thumbcache.h — decoded and scaled images of recently shown examples, so
 * moving back and forth through the queue decodes each PNG once. Bounded:
 * the least recently used entry is dropped. */
#ifndef RELABEL_THUMBCACHE_H
#define RELABEL_THUMBCACHE_H

#include "imgview.h"

#define THUMBCACHE_SIZE 32

struct thumb_entry {
	long row;
	struct img_box box;
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
/* Whether row's image is cached fitted to that box. */
int thumbcache_has(const struct thumbcache *tc, long row, const struct img_box *box);
/* The entry for row's image at path fitted to the box, decoding it on a
 * miss. Never NULL; valid until the next thumbcache_get. */
const struct thumb_entry *thumbcache_get(struct thumbcache *tc, long row, const char *path,
					 const struct img_box *box);

#endif
