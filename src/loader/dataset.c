/* dataset.c — loading DATA.csv: the header, every cell into one string pool,
 * the given labels as class indices, and where each record starts in the
 * file; plus the dataset's accessors. PROBS.csv is dataset_probs.c's.
 *
 * Order of work: PROBS.csv's header first (it defines the classes, so a bad
 * label is reported at its own line while DATA.csv is read), then DATA.csv,
 * with PROBS.csv's body parsed beside it on threads of its own where it can
 * be (dataset_probs_start; the caller takes its share of the body's ranges
 * once DATA.csv is read; else after DATA.csv). Messages come in that
 * serial order whatever the threads did first. Columns in messages are
 * 1-based field numbers.
 */
#include "dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_csv.h"
#include "dataset_priv.h"
#include "hash.h"
#include "numpyfile.h"
#include "util.h"

struct data_ctx {
	struct dataset *d;
	const struct dataset_opts *o;
	int in_header;
	size_t header_cap;
	int have_classes;      /* classes known: map labels while reading */
	size_t fields;         /* fields in the current record */
};

static void pool_append(struct dataset_priv *pv, const char *s, size_t len)
{
	if (pv->pool_len + len + 1 > pv->pool_cap) {
		size_t cap = pv->pool_cap ? pv->pool_cap : 1 << 16;
		while (pv->pool_len + len + 1 > cap)
			cap *= 2;
		pv->pool = xrealloc(pv->pool, cap);
		pv->pool_cap = cap;
	}
	memcpy(pv->pool + pv->pool_len, s, len);
	pv->pool[pv->pool_len + len] = '\0';
	pv->pool_len += len + 1;
}

static void start_row(struct dataset *d, uint64_t off, int offsets)
{
	struct dataset_priv *pv = d->priv;
	if (d->n == pv->rows_cap) {
		pv->rows_cap = pv->rows_cap ? pv->rows_cap * 2 : 1024;
		pv->row_cells = xrealloc(pv->row_cells, pv->rows_cap * sizeof *pv->row_cells);
		if (offsets)
			d->row_offset = xrealloc(d->row_offset, (pv->rows_cap + 1) * sizeof(uint64_t));
		d->labels = xrealloc(d->labels, pv->rows_cap * sizeof(int));
		if (d->id_col >= 0)
			pv->read_keys = xrealloc(pv->read_keys, pv->rows_cap * sizeof(uint64_t));
	}
	row_cell_add(pv, d->n, pv->pool_len);
	if (offsets)
		d->row_offset[d->n] = off;
	d->labels[d->n] = -1;
}

static int data_field(struct csvr *r, const char *s, size_t len)
{
	struct data_ctx *c = r->ctx;
	struct dataset *d = c->d;
	if (memchr(s, '\0', len))
		return err_at(r->e, r->path, r->line, r->field + 1,
			      "NUL byte in field; expected text");
	csvr_check_utf8(r, s, len, d->bad_utf8, sizeof d->bad_utf8);
	if (c->in_header) {
		if (c->fields == c->header_cap) {
			c->header_cap = c->header_cap ? c->header_cap * 2 : 16;
			d->col_names = xrealloc(d->col_names, c->header_cap * sizeof(char *));
		}
		d->col_names[c->fields++] = xstrndup(s, len);
		d->ncols = c->fields;     /* so that a failed header is freed */
		return 0;
	}
	if (c->fields >= d->ncols)
		return err_at(r->e, r->path, r->rec_line, c->fields + 1,
			      "row has more than %zu fields; expected %zu as in the header",
			      d->ncols, d->ncols);
	if (c->fields == 0)
		start_row(d, r->rec_off, c->o->record_offsets);
	if ((int)c->fields == d->label_col && len == 0)
		return err_at(r->e, r->path, r->rec_line, c->fields + 1,
			      "empty label; expected a class name");
	if ((int)c->fields == d->label_col && c->have_classes) {
		long cls = strmap_get(&d->priv->classes, s);
		if (cls < 0 && c->o->label_index)
			cls = dataset_label_as_index(s, d->k);
		if (cls < 0)
			return err_at(r->e, r->path, r->rec_line, c->fields + 1,
				      "label '%s' is not a class of %s; expected one of "
				      "the class names in its header", s, d->probs_path);
		d->labels[d->n] = (int)cls;
	}
	if ((int)c->fields == d->id_col) {
		/* the id's key for dataset_ids.c, while the bytes are at hand */
		d->priv->read_keys[d->n] = hash_fnv1a(s, len) >> 32 << 32 |
					   (uint32_t)d->n;
		d->priv->read_keys_n = d->n + 1;
	}
	pool_append(d->priv, s, len);
	c->fields++;
	return 0;
}

static int header_done(struct csvr *r, struct data_ctx *c)
{
	struct dataset *d = c->d;
	const struct dataset_opts *o = c->o;
	d->ncols = c->fields;
	c->in_header = 0;
	c->fields = 0;
	struct strmap names;
	strmap_init(&names, d->ncols);
	for (size_t i = 0; i < d->ncols; i++)
		if (strmap_put(&names, d->col_names[i], i) < 0) {
			size_t first = (size_t)strmap_get(&names, d->col_names[i]);
			strmap_free(&names);
			return err_at(r->e, r->path, r->rec_line, i + 1, "column name '%s' "
				      "appears twice (also column %zu); expected each "
				      "column name once", d->col_names[i], first + 1);
		}
	strmap_free(&names);
	const char *label = o->label_col ? o->label_col : "label";
	d->label_col = dataset_column(d, label);
	if (d->label_col < 0 && !o->labels_path)
		return err_at(r->e, r->path, r->rec_line, 0,
			      "the header has no column '%s'; expected the given labels "
			      "there (or name their column with --label-col)", label);
	d->id_col = dataset_column(d, o->id_col ? o->id_col : "id");
	d->text_col = dataset_column(d, o->text_col ? o->text_col : "text");
	d->image_col = dataset_column(d, o->image_col ? o->image_col : "image");
	const char *opt[3] = { o->id_col, o->text_col, o->image_col };
	int got[3] = { d->id_col, d->text_col, d->image_col };
	for (int i = 0; i < 3; i++)
		if (opt[i] && got[i] < 0)
			return err_at(r->e, r->path, r->rec_line, 0,
				      "the header has no column '%s'; expected the column "
				      "named by the option", opt[i]);
	return 0;
}

static int data_record(struct csvr *r)
{
	struct data_ctx *c = r->ctx;
	struct dataset *d = c->d;
	if (c->in_header) {
		int rc = header_done(r, c);
		r->stop = rc == 0 && !c->o->exact_floats;  /* the body: load_body's */
		return rc;
	}
	if (c->fields != d->ncols)
		return err_at(r->e, r->path, r->rec_line, c->fields,
			      "row has %zu field%s; expected %zu as in the header",
			      c->fields, c->fields == 1 ? "" : "s", d->ncols);
	d->n++;
	c->fields = 0;
	return 0;
}

static void data_progress(struct csvr *r)
{
	struct data_ctx *c = r->ctx;
	if (c->o->progress)
		c->o->progress(c->o->progress_ctx, "reading data", 0);
}


/* The body after the header: the plain tokenizer while lines are plain
 * (no quote, CR or blank line), libcsv from the first line that is not;
 * where a callback failed, libcsv reads the whole body again from the
 * state after the header, so that the error is libcsv's. */
static int load_body(struct csvr *r, struct data_ctx *c, uint64_t size)
{
	struct dataset *d = c->d;
	struct dataset_priv *pv = d->priv;
	size_t line = r->line, pool_len = pv->pool_len, neras = pv->neras;
	uint64_t off = r->off;
	char bad_utf8[sizeof d->bad_utf8];
	memcpy(bad_utf8, d->bad_utf8, sizeof bad_utf8);
	r->stop = 0;
	r->start = off;
	r->end = size;
	int rc = off < size ? csvr_run_plain(r) : 0;
	if (rc == 0)
		return 0;
	if (rc == PLAIN_FAILED) {
		d->n = 0;
		pv->pool_len = pool_len;
		pv->neras = neras;
		memcpy(d->bad_utf8, bad_utf8, sizeof bad_utf8);
		c->fields = 0;
		r->line = line;
		r->off = off;
	}
	r->start = r->off;
	r->end = UINT64_MAX;
	r->field = 0;
	return csvr_run(r);
}

static int load_data(struct dataset *d, const struct dataset_opts *o, struct err *e)
{
	uint64_t size;
	int fd = dataset_open_input(d->data_path, "the data file", &size, e);
	if (fd < 0)
		return -1;
	struct data_ctx c = { .d = d, .o = o, .in_header = 1,
			      .have_classes = d->k > 0 };
	struct csvr r = { .path = d->data_path, .fd = fd, .start = 0,
			  .end = UINT64_MAX, .line = 1, .off = 0,
			  .on_field = data_field, .on_record = data_record,
			  .ctx = &c, .e = e, .progress = data_progress,
			  .delim = dataset_delimiter(o, d->data_path) };
	int rc = csvr_run(&r);
	if (rc == 0 && r.stop)
		rc = load_body(&r, &c, size);
	close(fd);
	if (rc < 0)
		return -1;
	if (c.in_header)
		return err_at(e, d->data_path, 1, 0,
			      "empty file; expected a header row and one row per example");
	if (d->n == 0)
		return err_at(e, d->data_path, r.line, 0,
			      "no examples after the header; expected one row per example");
	if (d->row_offset)
		d->row_offset[d->n] = size;
	return 0;
}



static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No probabilities: the classes are the distinct labels in byte order. */
static int classes_from_labels(struct dataset *d, struct err *e)
{
	struct strmap seen;
	strmap_init(&seen, 64);
	size_t cap = 16;
	d->class_names = xmalloc(cap * sizeof(char *));
	for (size_t i = 0; i < d->n; i++) {
		const char *l = dataset_cell(d, i, (size_t)d->label_col);
		if (strmap_put(&seen, l, 0) < 0)
			continue;
		if (d->k == DATASET_MAX_CLASSES) {
			strmap_free(&seen);
			return err_at(e, d->data_path, dataset_row_line(d, i),
				      (size_t)d->label_col + 1, "label '%.80s' is class "
				      "number %d; expected at most %d classes",
				      l, DATASET_MAX_CLASSES + 1, DATASET_MAX_CLASSES);
		}
		if (d->k == cap)
			d->class_names = xrealloc(d->class_names, (cap *= 2) * sizeof(char *));
		d->class_names[d->k++] = xstrdup(l);
	}
	strmap_free(&seen);
	qsort(d->class_names, d->k, sizeof(char *), cmp_str);
	strmap_init(&d->priv->classes, d->k);
	for (size_t c = 0; c < d->k; c++)
		strmap_put(&d->priv->classes, d->class_names[c], c);
	for (size_t i = 0; i < d->n; i++)
		d->labels[i] = (int)strmap_get(&d->priv->classes,
					       dataset_cell(d, i, (size_t)d->label_col));
	return 0;
}

/* Append a notice to d->warning (printed as "relabel: warning: ..."). */
static void add_warning(struct dataset *d, const char *msg)
{
	size_t len = strlen(d->warning);
	snprintf(d->warning + len, sizeof d->warning - len, "%s%s",
		 len ? "\nrelabel: warning: " : "", msg);
}

int dataset_ids_unique(const struct dataset *d, const char *purpose, struct err *e)
{
	size_t a, b;
	if (!dataset_duplicate_id(d, &a, &b))
		return 0;
	return err_at(e, d->data_path, dataset_row_line(d, b), (size_t)d->id_col + 1,
		      "id '%.200s' appears twice (also at line %zu); expected unique "
		      "ids %s", dataset_cell(d, b, (size_t)d->id_col),
		      dataset_row_line(d, a), purpose);
}

int dataset_load(struct dataset **out, const struct dataset_opts *o, struct err *e)
{
	*out = NULL;
	int byod = dataset_byod_load(out, o, e);
	if (byod <= 0)
		return byod;
	if (!o->data_path)
		return err_set(e, ERR_INPUT, "no data file given; expected DATA.csv");
	struct dataset *d = xcalloc(1, sizeof *d);
	d->priv = xcalloc(1, sizeof *d->priv);
	d->data_path = xstrdup(o->data_path);
	d->label_col = d->id_col = d->text_col = d->image_col = -1;
	int join = 0;
	struct probs_job *job = NULL;
	char *probs = dataset_probs_path(o);
	if (!o->probs_path && access(probs, F_OK) != 0) {
		if (!o->allow_missing_probs) {
			err_set(e, ERR_INPUT, "%s: no predicted probabilities: looked for "
				"%s beside the data; give them with --probs FILE",
				o->data_path, probs);
			free(probs);
			goto fail;
		}
		free(probs);
		probs = NULL;
	}
	d->probs_path = probs;
	int npy = probs && npyf_is_npy_path(probs);
	if (npy && dataset_npy_probs_header(d, o, e) < 0)
		goto fail;
	if (probs && !npy && dataset_probs_header(d, probs, &join, e) < 0)
		goto fail;
	d->delim = dataset_delimiter(o, d->data_path);
	if (probs && !npy)
		job = dataset_probs_start(d, o, join);
	if (load_data(d, o, e) < 0)
		goto fail;
	dataset_set_image_base(d, o);
	if (o->labels_path && dataset_labels_hook(d, o, e) < 0)
		goto fail;
	/* duplicate ids: refused for a join, a warning otherwise */
	if (o->index_ids)
		dataset_index_ids(d);
	if (join && dataset_ids_unique(d, "to join the probabilities by id", e) < 0)
		goto fail;
	if (!join && d->id_col >= 0) {
		struct err w = { 0 };
		if (dataset_ids_unique(d, "(decide --id and probabilities joined by id "
				       "refuse duplicates)", &w) < 0)
			add_warning(d, w.msg);
	}
	if (!probs && !o->labels_path && o->classes_path &&
	    dataset_classes_for_cells(d, o, e) < 0)
		goto fail;
	if (!probs && !o->labels_path && !o->classes_path && classes_from_labels(d, e) < 0)
		goto fail;
	if (npy && !o->probs_header_only && dataset_npy_probs_body(d, o, e) < 0)
		goto fail;
	if (job) {
		struct probs_job *j = job;
		job = NULL;
		if (dataset_probs_finish(j, d, o, e) < 0)
			goto fail;
	} else if (probs && !npy && !o->probs_header_only &&
		   dataset_probs_body(d, o, join, e) < 0) {
		goto fail;
	}
	*out = d;
	return 0;
fail:
	dataset_probs_abandon(job);
	dataset_free(d);
	return -1;
}








