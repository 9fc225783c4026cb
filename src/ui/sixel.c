/* sixel.c — the sixel encoder (see sixel.h).
 *
 * Palette: every opaque pixel counted in a histogram of 32x32x32 colours
 * (with the sums of its exact values); the occupied entries are split,
 * box by box, into 255 colours at most: always the box of the largest
 * squared error, along the channel and at the cut that leave the least
 * (Wu's criterion, over whole histogram steps). A box's colour is the mean
 * of its pixels, as the terminal will show it (sixel colours are in
 * percent).
 * Mapping: each pixel to the nearest palette colour (squared RGB distance)
 * of the centre of its 64x64x64 cell, looked up once per cell.
 * Bands: per band of six rows, the columns each colour covers are
 * gathered in one pass, then each colour is written from its first column
 * to its last ("#c", the sixel characters with !n repeats, "$" to return),
 * "-" after the band. */
#include "sixel.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define HBITS 5                  /* histogram: bits a channel */
#define HSIZE (1 << (3 * HBITS))
#define LBITS 6                  /* nearest-colour lookup: bits a channel */
#define LSIZE (1 << (3 * LBITS))
#define NONE 0xffff

struct cell {
	uint32_t n, s[3];
	uint8_t v[3];            /* its histogram coordinates */
};

struct box {
	int lo, hi;              /* its cells, [lo, hi) */
	double n, s[3], q[3];    /* pixels, sums, sums of s^2/n over the cells */
	double err;
};

struct pal {
	int n;
	uint8_t rgb[256][3];     /* as shown (from the percent values) */
	uint8_t pct[256][3];
	uint8_t by_g[256];       /* indices sorted by green */
};

static double box_err(const struct box *b)
{
	double e = 0;
	for (int c = 0; c < 3; c++)
		e += b->q[c] - b->s[c] * b->s[c] / b->n;
	return e;
}

static void box_stats(struct box *b, const struct cell *cl)
{
	b->n = 0;
	for (int c = 0; c < 3; c++)
		b->s[c] = b->q[c] = 0;
	for (int i = b->lo; i < b->hi; i++) {
		b->n += cl[i].n;
		for (int c = 0; c < 3; c++) {
			b->s[c] += cl[i].s[c];
			b->q[c] += (double)cl[i].s[c] * cl[i].s[c] / cl[i].n;
		}
	}
	b->err = b->hi - b->lo > 1 ? box_err(b) : 0;
}

/* Split box b (two cells or more) where the two halves' squared error is
 * least; the upper half goes to *nb. Returns 0 if it cannot be split. */
static int box_split(struct box *b, struct box *nb, struct cell *cl, struct cell *tmp)
{
	enum { V = 1 << HBITS };
	double best = -1;
	int bax = -1, bcut = 0;
	for (int ax = 0; ax < 3; ax++) {
		double n[V] = { 0 }, s[V][3];
		memset(s, 0, sizeof s);
		for (int i = b->lo; i < b->hi; i++) {
			int v = cl[i].v[ax];
			n[v] += cl[i].n;
			for (int c = 0; c < 3; c++)
				s[v][c] += cl[i].s[c];
		}
		double ln = 0, ls[3] = { 0, 0, 0 };
		for (int v = 0; v < V - 1; v++) {
			ln += n[v];
			for (int c = 0; c < 3; c++)
				ls[c] += s[v][c];
			double rn = b->n - ln;
			if (n[v] == 0 || ln == 0 || rn <= 0)
				continue;
			double g = 0;
			for (int c = 0; c < 3; c++) {
				double rs = b->s[c] - ls[c];
				g += ls[c] * ls[c] / ln + rs * rs / rn;
			}
			if (g > best) {
				best = g;
				bax = ax;
				bcut = v;
			}
		}
	}
	if (bax < 0)
		return 0;
	int k = b->lo, m = 0;
	for (int i = b->lo; i < b->hi; i++) {
		if (cl[i].v[bax] <= bcut)
			cl[k++] = cl[i];
		else
			tmp[m++] = cl[i];
	}
	memcpy(cl + k, tmp, (size_t)m * sizeof *cl);
	*nb = (struct box){ .lo = k, .hi = b->hi };
	b->hi = k;
	box_stats(b, cl);
	box_stats(nb, cl);
	return 1;
}

/* The palette of the opaque pixels (at most max colours). */
static void make_palette(const uint8_t *rgba, size_t npx, int max, struct pal *p)
{
	uint32_t(*h)[4] = xcalloc(HSIZE, sizeof *h);
	for (size_t i = 0; i < npx; i++) {
		const uint8_t *q = rgba + i * 4;
		if (!q[3])
			continue;
		uint32_t *e = h[(q[0] >> (8 - HBITS)) << (2 * HBITS) |
				(q[1] >> (8 - HBITS)) << HBITS | q[2] >> (8 - HBITS)];
		e[0]++;
		e[1] += q[0];
		e[2] += q[1];
		e[3] += q[2];
	}
	int nc = 0;
	for (int k = 0; k < HSIZE; k++)
		nc += h[k][0] != 0;
	struct cell *cl = xmallocarray((size_t)nc + 1, sizeof *cl);
	struct cell *tmp = xmallocarray((size_t)nc + 1, sizeof *tmp);
	nc = 0;
	for (int k = 0; k < HSIZE; k++)
		if (h[k][0])
			cl[nc++] = (struct cell){ h[k][0], { h[k][1], h[k][2], h[k][3] },
						  { (uint8_t)(k >> (2 * HBITS)),
						    (uint8_t)(k >> HBITS & ((1 << HBITS) - 1)),
						    (uint8_t)(k & ((1 << HBITS) - 1)) } };
	free(h);
	struct box bx[256];
	int nb = 0;
	if (nc > 0) {
		bx[0] = (struct box){ .lo = 0, .hi = nc };
		box_stats(&bx[0], cl);
		nb = 1;
	}
	while (nb < max) {
		int w = -1;
		for (int i = 0; i < nb; i++)
			if (bx[i].hi - bx[i].lo > 1 && bx[i].err > 0 && (w < 0 || bx[i].err > bx[w].err))
				w = i;
		if (w < 0 || !box_split(&bx[w], &bx[nb], cl, tmp))
			break;
		nb++;
	}
	p->n = nb;
	for (int i = 0; i < nb; i++)
		for (int c = 0; c < 3; c++) {
			unsigned mean = (unsigned)((bx[i].s[c] + bx[i].n / 2) / bx[i].n);
			if (mean > 255)
				mean = 255;
			p->pct[i][c] = (uint8_t)((mean * 100 + 127) / 255);
			p->rgb[i][c] = (uint8_t)((p->pct[i][c] * 255 + 50) / 100);
		}
	for (int i = 0; i < nb; i++)
		p->by_g[i] = (uint8_t)i;
	/* insertion sort by green (256 at most) */
	for (int i = 1; i < nb; i++) {
		uint8_t x = p->by_g[i];
		int j = i;
		while (j > 0 && p->rgb[p->by_g[j - 1]][1] > p->rgb[x][1]) {
			p->by_g[j] = p->by_g[j - 1];
			j--;
		}
		p->by_g[j] = x;
	}
	free(tmp);
	free(cl);
}

/* The palette colour nearest to (r, g, b): from the first colour of about
 * that green outwards, while green alone is not already farther. */
static int nearest(const struct pal *p, int r, int g, int b)
{
	int lo = 0, hi = p->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (p->rgb[p->by_g[mid]][1] < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	int best = 0, bd = 1 << 30;
	for (int i = lo; i < p->n; i++) {
		const uint8_t *c = p->rgb[p->by_g[i]];
		int dg = c[1] - g;
		if (dg * dg >= bd)
			break;
		int d = dg * dg + (c[0] - r) * (c[0] - r) + (c[2] - b) * (c[2] - b);
		if (d < bd) {
			bd = d;
			best = p->by_g[i];
		}
	}
	for (int i = lo - 1; i >= 0; i--) {
		const uint8_t *c = p->rgb[p->by_g[i]];
		int dg = c[1] - g;
		if (dg * dg >= bd)
			break;
		int d = dg * dg + (c[0] - r) * (c[0] - r) + (c[2] - b) * (c[2] - b);
		if (d < bd || (d == bd && p->by_g[i] < best)) {
			bd = d;
			best = p->by_g[i];
		}
	}
	return best;
}

struct out {
	char *p;
	size_t n, cap;
	char rch;                /* the run being written: its character, length */
	int rn;
};

static void reserve(struct out *o, size_t more)
{
	if (o->n + more <= o->cap)
		return;
	while (o->n + more > o->cap)
		o->cap *= 2;
	o->p = xrealloc(o->p, o->cap);
}

static void put_num(struct out *o, unsigned v)
{
	char t[12];
	int k = 0;
	do
		t[k++] = (char)('0' + v % 10);
	while (v /= 10);
	while (k)
		o->p[o->n++] = t[--k];
}

static void flush_run(struct out *o)
{
	while (o->rn > 0) {
		int k = o->rn < 255 ? o->rn : 255;
		if (k >= 4) {
			o->p[o->n++] = '!';
			put_num(o, (unsigned)k);
			o->p[o->n++] = o->rch;
		} else {
			for (int i = 0; i < k; i++)
				o->p[o->n++] = o->rch;
		}
		o->rn -= k;
	}
}

static void put_run(struct out *o, char ch, int n)
{
	if (n <= 0)
		return;
	if (o->rn && o->rch == ch) {
		o->rn += n;
		return;
	}
	flush_run(o);
	o->rch = ch;
	o->rn = n;
}

char *sixel_encode(const uint8_t *rgba, int w, int h, size_t *len)
{
	*len = 0;
	if (w < 1 || h < 6 || h % 6 || w > 65535 || (uint64_t)w * (uint64_t)h > 16000000u)
		return NULL;
	size_t npx = (size_t)w * (size_t)h;
	for (size_t i = 0; i < npx; i++)
		if ((uint8_t)(rgba[i * 4 + 3] + 1) > 1)
			return NULL;      /* partial alpha: not ours to draw */
	struct pal *p = xmalloc(sizeof *p);
	/* colour registers 1 to 255 (register 0 is left unused, as chafa
	 * leaves it); 0 in idx: transparent */
	make_palette(rgba, npx, 255, p);
	uint8_t *idx = xmalloc(npx);
	uint16_t *lut = xmallocarray(LSIZE, sizeof *lut);
	memset(lut, 0xff, (size_t)LSIZE * sizeof *lut);
	for (size_t i = 0; i < npx; i++) {
		const uint8_t *q = rgba + i * 4;
		if (!q[3]) {
			idx[i] = 0;
			continue;
		}
		unsigned k = (unsigned)(q[0] >> (8 - LBITS)) << (2 * LBITS) |
			     (unsigned)(q[1] >> (8 - LBITS)) << LBITS | q[2] >> (8 - LBITS);
		if (lut[k] == NONE) {
			enum { C = 1 << (7 - LBITS) };    /* a cell's centre */
			lut[k] = (uint16_t)nearest(p, (q[0] >> (8 - LBITS) << (8 - LBITS)) + C,
						   (q[1] >> (8 - LBITS) << (8 - LBITS)) + C,
						   (q[2] >> (8 - LBITS) << (8 - LBITS)) + C);
		}
		idx[i] = (uint8_t)(lut[k] + 1);
	}
	free(lut);

	struct out o = { xmalloc(4096), 0, 4096, 0, 0 };
	reserve(&o, 64 + 20 * 256);
	memcpy(o.p, "\x1bP0;1;0q\"1;1;", 13);
	o.n = 13;
	put_num(&o, (unsigned)w);
	o.p[o.n++] = ';';
	put_num(&o, (unsigned)h);
	for (int i = 0; i < p->n; i++) {
		o.p[o.n++] = '#';
		put_num(&o, (unsigned)i + 1);
		memcpy(o.p + o.n, ";2;", 3);
		o.n += 3;
		for (int c = 0; c < 3; c++) {
			if (c)
				o.p[o.n++] = ';';
			put_num(&o, p->pct[i][c]);
		}
	}
	int ncol = p->n;
	/* per band: the columns each colour covers (cnt), where its
	 * entries go (pos), the column it was last seen in (seen, as x + 1;
	 * set, in the second pass) and its entry there (slot) */
	uint32_t cnt[256], pos[256], seen[256], set[256], slot[256];
	uint16_t *ex = xmallocarray((size_t)w * 6, sizeof *ex);
	uint8_t *eb = xmalloc((size_t)w * 6);
	for (int y0 = 0; y0 < h; y0 += 6) {
		const uint8_t *band = idx + (size_t)y0 * (size_t)w;
		memset(cnt, 0, sizeof cnt);
		memset(seen, 0, sizeof seen);
		memset(set, 0, sizeof set);
		for (int x = 0; x < w; x++)
			for (int r = 0; r < 6; r++) {
				int c = band[(size_t)r * (size_t)w + (size_t)x];
				if (!c || seen[c] == (uint32_t)x + 1)
					continue;
				seen[c] = (uint32_t)x + 1;
				cnt[c]++;
			}
		uint32_t at = 0;
		for (int c = 0; c < 256; c++) {
			pos[c] = at;
			at += cnt[c];
		}
		for (int x = 0; x < w; x++)
			for (int r = 0; r < 6; r++) {
				int c = band[(size_t)r * (size_t)w + (size_t)x];
				if (!c)
					continue;
				if (set[c] != (uint32_t)x + 1) {
					set[c] = (uint32_t)x + 1;
					slot[c] = pos[c]++;
					ex[slot[c]] = (uint16_t)x;
					eb[slot[c]] = 0;
				}
				eb[slot[c]] |= (uint8_t)(1 << r);
			}
		/* at most: per colour "$#255" and a gap's whole runs ("!255?"
		 * each), per entry its character after a gap of up to five,
		 * the band's end */
		reserve(&o, (size_t)ncol * (6 + 5 * ((size_t)w / 255 + 2)) + (size_t)w * 6 * 6 + 16);
		int started = 0;
		/* the first and last bands are written to the full width (as
		 * chafa does: mlterm draws garbage in a shorter first row) */
		int full = y0 == 0 || y0 + 6 >= h;
		for (int c = 1; c <= ncol; c++) {
			if (!cnt[c])
				continue;
			uint32_t e0 = pos[c] - cnt[c], e1 = pos[c];
			if (started)
				o.p[o.n++] = '$';
			started = 1;
			o.p[o.n++] = '#';
			put_num(&o, (unsigned)c);
			int cur = 0;
			for (uint32_t e = e0; e < e1; e++) {
				put_run(&o, '?', ex[e] - cur);
				put_run(&o, (char)('?' + eb[e]), 1);
				cur = ex[e] + 1;
			}
			if (full) {
				put_run(&o, '?', w - cur);
				full = 0;
			}
			flush_run(&o);
			o.rn = 0;
		}
		o.p[o.n++] = '-';
	}
	free(eb);
	free(ex);
	free(idx);
	free(p);
	reserve(&o, 3);
	o.p[o.n++] = 0x1b;
	o.p[o.n++] = '\\';
	o.p[o.n] = '\0';
	*len = o.n;
	return o.p;
}
