/* palette.c — nearest palette colours and the colour-pair cache. */
#include "palette.h"

#include <stdlib.h>

#include "util.h"

static const int cube[6] = { 0, 95, 135, 175, 215, 255 };

static long dist(int r, int g, int b, int r2, int g2, int b2)
{
	long dr = r - r2, dg = g - g2, db = b - b2;
	return dr * dr * 3 + dg * dg * 4 + db * db * 2;
}

static int cube_index(int v)
{
	int best = 0;
	for (int i = 1; i < 6; i++)
		if (abs(cube[i] - v) < abs(cube[best] - v))
			best = i;
	return best;
}

int palette_256(uint32_t rgb)
{
	int r = (int)(rgb >> 16) & 0xff, g = (int)(rgb >> 8) & 0xff, b = (int)rgb & 0xff;
	int ri = cube_index(r), gi = cube_index(g), bi = cube_index(b);
	int best = 16 + 36 * ri + 6 * gi + bi;
	long bd = dist(r, g, b, cube[ri], cube[gi], cube[bi]);
	for (int i = 0; i < 24; i++) {
		int v = 8 + 10 * i;
		long d = dist(r, g, b, v, v, v);
		if (d < bd) {
			bd = d;
			best = 232 + i;
		}
	}
	return best;
}

int palette_basic(uint32_t rgb, int ncolors)
{
	static const int ansi[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
		{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
		{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	int r = (int)(rgb >> 16) & 0xff, g = (int)(rgb >> 8) & 0xff, b = (int)rgb & 0xff;
	int best = 0;
	long bd = -1;
	for (int i = 0; i < (ncolors >= 16 ? 16 : 8); i++) {
		long d = dist(r, g, b, ansi[i][0], ansi[i][1], ansi[i][2]);
		if (bd < 0 || d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

void paircache_init(struct paircache *pc, int first, int cap)
{
	pc->first = first;
	pc->cap = cap > 0 ? cap : 0;
	pc->n = 0;
	pc->frame = 1;
	pc->fg = xcalloc((size_t)pc->cap + 1, sizeof *pc->fg);
	pc->bg = xcalloc((size_t)pc->cap + 1, sizeof *pc->bg);
	pc->used = xcalloc((size_t)pc->cap + 1, sizeof *pc->used);
}

void paircache_free(struct paircache *pc)
{
	free(pc->fg);
	free(pc->bg);
	free(pc->used);
	pc->fg = pc->bg = NULL;
	pc->used = NULL;
}

void paircache_frame(struct paircache *pc)
{
	pc->frame++;
}

int paircache_get(struct paircache *pc, int fg, int bg, int *fresh)
{
	*fresh = 0;
	int lru = -1;
	for (int i = 0; i < pc->n; i++) {
		if (pc->fg[i] == fg && pc->bg[i] == bg) {
			pc->used[i] = pc->frame;
			return pc->first + i;
		}
		if (pc->used[i] != pc->frame && (lru < 0 || pc->used[i] < pc->used[lru]))
			lru = i;
	}
	int slot = pc->n < pc->cap ? pc->n++ : lru;
	if (slot < 0)
		return -1;
	pc->fg[slot] = fg;
	pc->bg[slot] = bg;
	pc->used[slot] = pc->frame;
	*fresh = 1;
	return pc->first + slot;
}
