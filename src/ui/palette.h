/* palette.h — RGB to the nearest colour of a terminal palette (pure), and a
 * bounded cache of colour pairs (a terminal has a finite table of
 * foreground/background pairs; images need many). */
#ifndef RELABEL_PALETTE_H
#define RELABEL_PALETTE_H

#include <stdint.h>

/* Nearest xterm-256 colour (16..255: the 6x6x6 cube and the grey ramp). */
int palette_256(uint32_t rgb);
/* Nearest of the 16 (ncolors = 16) or 8 basic ANSI colours. */
int palette_basic(uint32_t rgb, int ncolors);

struct paircache {
	int first, cap;          /* pair numbers first .. first+cap-1 */
	int n;
	int *fg, *bg;
	unsigned long *used;     /* frame of last use */
	unsigned long frame;
};

void paircache_init(struct paircache *pc, int first, int cap);
void paircache_free(struct paircache *pc);
/* Start a frame: pairs used in the current frame are never evicted. */
void paircache_frame(struct paircache *pc);
/* The pair for (fg, bg): an existing one, a new one (*fresh = 1: the caller
 * must initialise it), or the least recently used one of an earlier frame
 * (*fresh = 1). Returns -1 when every pair is in use in this frame. */
int paircache_get(struct paircache *pc, int fg, int bg, int *fresh);

#endif
