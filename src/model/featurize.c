/* featurize.c — text, image and numeric features (see featurize.h). */
#include "featurize.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "image.h"
#include "numparse.h"
#include "util.h"

#define HASH_BITS 22
#define MAX_TEXT_FEATURES 15000

uint64_t features_hash(const char *s, size_t len)
{
	return hash_fnv1a(s, len);
}

static int word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

size_t features_tokens(const char *text, void (*cb)(void *ctx, const char *tok, size_t len),
		       void *ctx)
{
	char buf[256];
	size_t count = 0;
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		while (*p && !word_byte(*p))
			p++;
		size_t n = 0;
		while (*p && word_byte(*p)) {
			if (n < sizeof buf)
				buf[n++] = (char)tolower(*p);
			p++;
		}
		if (n >= 2) {
			cb(ctx, buf, n);
			count++;
		}
	}
	return count;
}

struct tok_ctx {
	uint32_t *ids;
	size_t n, cap;
	uint64_t prev;
	int have_prev;
	int words_only;
};

static void push(struct tok_ctx *t, uint64_t h)
{
	if (t->n == t->cap)
		t->ids = xrealloc(t->ids, (t->cap = t->cap ? t->cap * 2 : 256) * sizeof *t->ids);
	t->ids[t->n++] = (uint32_t)(h & ((1u << HASH_BITS) - 1));
}

static void on_token(void *ctx, const char *tok, size_t len)
{
	struct tok_ctx *t = ctx;
	uint64_t h = features_hash(tok, len);
	push(t, h);
	if (t->have_prev && !t->words_only)   /* bigram: a function of both words, order kept */
		push(t, (t->prev * 0x9E3779B97F4A7C15ull) ^ (h + 0x632BE59BD9B4E019ull));
	t->prev = h;
	t->have_prev = 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void text_features(const struct dataset *d, int words_only, struct fmatrix *m)
{
	size_t n = d->n;
	struct tok_ctx t = { .words_only = words_only };
	size_t *start = xmallocarray(n + 1, sizeof *start);
	for (size_t i = 0; i < n; i++) {
		start[i] = t.n;
		t.have_prev = 0;
		features_tokens(dataset_cell(d, i, (size_t)d->text_col), on_token, &t);
		if (t.n > start[i])
			qsort(t.ids + start[i], t.n - start[i], sizeof *t.ids, cmp_u32);
	}
	start[n] = t.n;
	uint32_t *df = xcalloc((size_t)1 << HASH_BITS, sizeof *df);
	for (size_t i = 0; i < n; i++)
		for (size_t a = start[i]; a < start[i + 1]; a++)
			if (a == start[i] || t.ids[a] != t.ids[a - 1])
				df[t.ids[a]]++;
	/* keep terms in at least two texts, and at most MAX_TEXT_FEATURES of
	 * them: the least frequent go first */
	uint32_t min_df = 2;
	for (;;) {
		size_t kept = 0;
		for (size_t b = 0; b < ((size_t)1 << HASH_BITS); b++)
			kept += df[b] >= min_df;
		if (kept <= MAX_TEXT_FEATURES)
			break;
		min_df++;
	}
	uint32_t *dense = xmallocarray((size_t)1 << HASH_BITS, sizeof *dense);
	uint32_t nd = 0;
	for (size_t b = 0; b < ((size_t)1 << HASH_BITS); b++)
		dense[b] = df[b] >= min_df ? nd++ : UINT32_MAX;
	m->n = n;
	m->d = nd;
	m->rowptr = xmallocarray(n + 1, sizeof *m->rowptr);
	m->col = xmallocarray(t.n ? t.n : 1, sizeof *m->col);
	m->val = xmallocarray(t.n ? t.n : 1, sizeof *m->val);
	size_t nnz = 0;
	for (size_t i = 0; i < n; i++) {
		m->rowptr[i] = nnz;
		double norm = 0;
		for (size_t a = start[i]; a < start[i + 1];) {
			size_t b = a;
			while (b < start[i + 1] && t.ids[b] == t.ids[a])
				b++;
			uint32_t id = t.ids[a];
			if (dense[id] != UINT32_MAX) {
				double idf = log((1.0 + (double)n) / (1.0 + df[id])) + 1.0;
				double v = (1.0 + log((double)(b - a))) * idf;
				m->col[nnz] = dense[id];
				m->val[nnz++] = (float)v;
				norm += v * v;
			}
			a = b;
		}
		norm = sqrt(norm);
		for (size_t a = m->rowptr[i]; norm > 0 && a < nnz; a++)
			m->val[a] = (float)(m->val[a] / norm);
	}
	m->rowptr[n] = nnz;
	free(start);
	free(t.ids);
	free(df);
	free(dense);
}

static void dense_alloc(struct fmatrix *m, size_t n, size_t dims)
{
	m->n = n;
	m->d = dims;
	m->rowptr = xmallocarray(n + 1, sizeof *m->rowptr);
	size_t cells = n * dims > 0 ? n * dims : 1;
	m->col = xmallocarray(cells, sizeof *m->col);
	m->val = xcalloc(cells, sizeof *m->val);
	for (size_t i = 0; i <= n; i++)
		m->rowptr[i] = i * dims;
	for (size_t i = 0; i < n * dims; i++)
		m->col[i] = (uint32_t)(i % dims);
}

#define GRID 8

static int image_features(const struct dataset *d, struct fmatrix *m, struct err *e)
{
	dense_alloc(m, d->n, GRID * GRID);
	for (size_t i = 0; i < d->n; i++) {
		char path[4096];
		dataset_image_path(d, i, path, sizeof path);
		const char *rel = d->image_col >= 0 ? dataset_cell(d, i, (size_t)d->image_col) : path;
		struct image im;
		struct err ie = { 0 };
		if (image_load(path, 64, 64, &im, NULL, NULL, &ie) < 0) {
			/* the image's message names the path it opened: say it once */
			const char *why = ie.msg;
			size_t pl = strlen(path);
			if (!strncmp(why, path, pl) && !strncmp(why + pl, ": ", 2))
				why += pl + 2;
			if (strcmp(rel, path))
				return err_at(e, d->data_path, dataset_row_line(d, i),
					      (size_t)d->image_col + 1, "image '%s' (resolved "
					      "to '%s'): %s; expected a PNG or JPEG file", rel, path, why);
			return err_at(e, d->data_path, dataset_row_line(d, i),
				      (size_t)d->image_col + 1, "image '%s': %s; "
				      "expected a PNG or JPEG file", rel, why);
		}
		float *out = m->val + i * GRID * GRID;
		for (int gy = 0; gy < GRID; gy++)
			for (int gx = 0; gx < GRID; gx++) {
				int x0 = gx * im.w / GRID, x1 = (gx + 1) * im.w / GRID;
				int y0 = gy * im.h / GRID, y1 = (gy + 1) * im.h / GRID;
				if (x1 <= x0) x1 = x0 + 1;
				if (y1 <= y0) y1 = y0 + 1;
				double sum = 0;
				int cnt = 0;
				for (int y = y0; y < y1 && y < im.h; y++)
					for (int x = x0; x < x1 && x < im.w; x++) {
						const uint8_t *p = im.rgba + ((size_t)y * (size_t)im.w + (size_t)x) * 4;
						double grey = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
						sum += grey * p[3] / 255.0;
						cnt++;
					}
				out[gy * GRID + gx] = cnt ? (float)(sum / cnt / 255.0) : 0;
			}
		image_free(&im);
	}
	return 0;
}

static int is_missing(const char *s)
{
	return !*s || !strcmp(s, "NA") || !strcmp(s, "NaN") || !strcmp(s, "nan") ||
	       !strcmp(s, "null") || !strcmp(s, "?");
}

/* Column c as numbers; returns how many are missing, or -1 if a cell is
 * neither a number nor missing. */
static long column_numbers(const struct dataset *d, size_t c, double *v)
{
	long missing = 0;
	for (size_t i = 0; i < d->n; i++) {
		const char *s = dataset_cell(d, i, c);
		while (*s == ' ')
			s++;
		if (is_missing(s)) {
			v[i] = NAN;
			missing++;
		} else if (numparse_double(s, strlen(s), 1, &v[i]) != NUM_OK) {
			return -1;
		}
	}
	return missing == (long)d->n ? -1 : missing;
}

static int wanted(const char *list, const char *name)
{
	if (!list)
		return 1;
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, name, n))
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

static int numeric_features(const struct dataset *d, const char *list, struct fmatrix *m,
			    char *desc, size_t desclen, struct err *e)
{
	size_t n = d->n, nf = 0, cap = 8;
	double **cols = xmallocarray(cap, sizeof *cols);
	for (size_t c = 0; c < d->ncols; c++) {
		int special = (int)c == d->label_col || (int)c == d->id_col ||
			      (int)c == d->text_col || (int)c == d->image_col;
		if ((special && !list) || !wanted(list, d->col_names[c]))
			continue;
		double *v = xmallocarray(n, sizeof *v);
		long miss = column_numbers(d, c, v);
		if (miss < 0) {
			free(v);
			if (list)
				return err_set(e, ERR_INPUT, "%s: column '%s' is not numeric",
					       d->data_path, d->col_names[c]);
			continue;
		}
		double sum = 0, sq = 0;
		size_t cnt = 0;
		for (size_t i = 0; i < n; i++)
			if (!isnan(v[i])) {
				sum += v[i];
				cnt++;
			}
		double mean = sum / (double)cnt;
		for (size_t i = 0; i < n; i++)
			if (!isnan(v[i]))
				sq += (v[i] - mean) * (v[i] - mean);
		double sd = sqrt(sq / (double)cnt);
		if (nf + 2 > cap)
			cols = xrealloc(cols, (cap *= 2) * sizeof *cols);
		double *flag = miss ? xmallocarray(n, sizeof *flag) : NULL;
		for (size_t i = 0; i < n; i++) {
			if (flag)
				flag[i] = isnan(v[i]);
			v[i] = isnan(v[i]) ? 0 : sd > 0 ? (v[i] - mean) / sd : 0;
		}
		cols[nf++] = v;
		if (flag)
			cols[nf++] = flag;
	}
	if (!nf) {
		free(cols);
		return err_set(e, ERR_INPUT, "%s: no text, image or numeric column to learn "
			       "from; expected a text or image column, or numeric columns",
			       d->data_path);
	}
	dense_alloc(m, n, nf);
	for (size_t i = 0; i < n; i++)
		for (size_t f = 0; f < nf; f++)
			m->val[i * nf + f] = (float)cols[f][i];
	for (size_t f = 0; f < nf; f++)
		free(cols[f]);
	free(cols);
	snprintf(desc, desclen, "numeric: %zu standardised features", nf);
	return 0;
}

int features_build(const struct dataset *d, const struct feat_opts *o,
		   struct fmatrix *m, char *desc, size_t desclen, struct err *e)
{
	memset(m, 0, sizeof *m);
	enum feat_kind k = o->kind;
	if (k == FEAT_AUTO)
		k = d->text_col >= 0 ? FEAT_TEXT : d->image_col >= 0 ? FEAT_IMAGE : FEAT_NUMERIC;
	if (k == FEAT_TEXT) {
		if (d->text_col < 0)
			return err_set(e, ERR_INPUT, "%s: --features text needs a text column",
				       d->data_path);
		text_features(d, o->words_only, m);
		snprintf(desc, desclen, "text: words%s, tf-idf, %zu features",
			 o->words_only ? "" : " and bigrams", m->d);
		return 0;
	}
	if (k == FEAT_IMAGE) {
		if (d->image_col < 0)
			return err_set(e, ERR_INPUT, "%s: --features image needs an image column",
				       d->data_path);
		if (image_features(d, m, e) < 0) {
			fmatrix_free(m);
			return -1;
		}
		snprintf(desc, desclen, "image: grey %dx%d pixels / 255", GRID, GRID);
		return 0;
	}
	return numeric_features(d, o->columns, m, desc, desclen, e);
}

void fmatrix_free(struct fmatrix *m)
{
	if (!m)
		return;
	free(m->rowptr);
	free(m->col);
	free(m->val);
	memset(m, 0, sizeof *m);
}
