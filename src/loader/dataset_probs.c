/* dataset_probs.c — loading PROBS.csv: its header (the class names and
 * order) and its body into d->probs (n*k, data row order).
 *
 * Rows come in data order, or joined by a first column named "id". Every
 * number is checked (plain decimal, finite, within [0,1] up to 1e-6). A
 * large body with no quoted fields is parsed by several libcsv parsers at
 * once, each over a range of whole lines; the result is identical to the
 * serial parse, which is used whenever a quote shows up. Each range goes
 * through the plain tokenizer (dataset_plain.c) unless it needs libcsv;
 * --exact-floats keeps libcsv and strtod for everything (the safe path).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_csv.h"
#include "dataset_priv.h"
#include "numparse.h"
#include "util.h"

struct hdr_ctx {
	struct dataset *d;
	size_t cap;
};

static int hdr_field(struct csvr *r, const char *s, size_t len)
{
	struct hdr_ctx *h = r->ctx;
	struct dataset *d = h->d;
	csvr_check_utf8(r, s, len, d->bad_utf8, sizeof d->bad_utf8);
	if (len == 0)
		return err_at(r->e, r->path, r->line, r->field + 1, "empty class "
			      "name; expected a class name in every column");
	if (d->k > DATASET_MAX_CLASSES)   /* one more for a leading id */
		return err_at(r->e, r->path, r->line, r->field + 1, "more than %d "
			      "classes; expected at most %d columns of class names",
			      DATASET_MAX_CLASSES, DATASET_MAX_CLASSES);
	if (d->k == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		d->class_names = xrealloc(d->class_names, h->cap * sizeof(char *));
	}
	d->class_names[d->k++] = xstrndup(s, len);
	return 0;
}

static int hdr_record(struct csvr *r)
{
	r->stop = 1;
	return 0;
}

int dataset_probs_header(struct dataset *d, const char *path, int *join_by_id,
			 struct err *e)
{
	uint64_t size;
	int fd = dataset_open_input(path, "the probabilities file", &size, e);
	if (fd < 0)
		return -1;
	struct hdr_ctx h = { .d = d };
	struct csvr r = { .path = path, .fd = fd, .end = UINT64_MAX, .line = 1,
			  .on_field = hdr_field, .on_record = hdr_record, .ctx = &h,
			  .e = e, .delim = dataset_delimiter(NULL, path) };
	int rc = csvr_run(&r);
	close(fd);
	if (rc < 0)
		return -1;
	if (d->k == 0)
		return err_at(e, path, 1, 0, "empty file; expected a header of class "
			      "names and one row of probabilities per example");
	*join_by_id = !strcmp(d->class_names[0], "id");
	if (*join_by_id) {
		free(d->class_names[0]);
		memmove(d->class_names, d->class_names + 1, --d->k * sizeof(char *));
		if (d->k == 0)
			return err_at(e, path, 1, 2, "no class names after 'id'; "
				      "expected one column per class");
	}
	if (d->k > DATASET_MAX_CLASSES)
		return err_at(e, path, 1, DATASET_MAX_CLASSES + 1 + (size_t)*join_by_id,
			      "more than %d classes; expected at most %d columns of "
			      "class names", DATASET_MAX_CLASSES, DATASET_MAX_CLASSES);
	strmap_init(&d->priv->classes, d->k);
	for (size_t c = 0; c < d->k; c++)
		if (strmap_put(&d->priv->classes, d->class_names[c], c) < 0)
			return err_at(e, path, 1, c + 1 + (size_t)*join_by_id,
				      "class name '%s' appears twice; expected each class "
				      "once", d->class_names[c]);
	d->priv->body_off = r.off;
	d->priv->body_line = r.line;
	d->priv->probs_size = size;
	return 0;
}

/* One parser's state over a range of the body. */
struct body_ctx {
	struct dataset *d;
	const struct dataset_opts *o;
	int join;
	double *probs;             /* destination: n_max rows of k */
	size_t n_max;              /* rows the destination holds */
	const int *abort;          /* set (non-zero) by another thread: stop */
	size_t first_row, rows;    /* rows parsed so far by this range */
	long cur;                  /* data row of the current record */
	unsigned char *seen;       /* join: rows given so far */
	double *rowbuf;
	size_t fields;
	size_t off_sum, warn_line; /* rows whose sum is off, first such line */
	double warn_sum;
	struct err err;
	struct csvr r;
	int rc;
};

static int body_field(struct csvr *r, const char *s, size_t len)
{
	struct body_ctx *b = r->ctx;
	struct dataset *d = b->d;
	size_t col = b->fields++;
	if (b->join && col == 0) {
		b->cur = dataset_find_id(d, s);
		if (b->cur < 0)
			return err_at(r->e, r->path, r->rec_line, 1, "id '%s' is not in "
				      "%s; expected the ids of the data file", s, d->data_path);
		if (b->seen[b->cur])
			return err_at(r->e, r->path, r->rec_line, 1, "id '%s' appears "
				      "twice; expected each example once", s);
		b->seen[b->cur] = 1;
		return 0;
	}
	size_t j = col - (size_t)b->join;
	if (j >= d->k)
		return err_at(r->e, r->path, r->rec_line, col + 1, "row has more than "
			      "%zu fields; expected %zu as in the header",
			      d->k + (size_t)b->join, d->k + (size_t)b->join);
	double v;
	enum numparse_status st = numparse_double(s, len, b->o->exact_floats, &v);
	if (st != NUM_OK)
		return err_at(r->e, r->path, r->rec_line, col + 1, "%s '%.40s'; "
			      "expected a probability between 0 and 1",
			      numparse_reason(st), s);
	b->rowbuf[j] = v;
	return 0;
}

static int more_rows(struct err *e, const struct dataset *d, size_t line)
{
	return err_at(e, d->probs_path, line, 0, "more rows than the %zu examples of "
		      "%s; expected one row per example", d->n, d->data_path);
}

static int body_record(struct csvr *r)
{
	struct body_ctx *b = r->ctx;
	struct dataset *d = b->d;
	size_t want = d->k + (size_t)b->join;
	if (b->fields != want)
		return err_at(r->e, r->path, r->rec_line, b->fields, "row has %zu "
			      "field%s; expected %zu as in the header", b->fields,
			      b->fields == 1 ? "" : "s", want);
	b->fields = 0;
	size_t row = b->join ? (size_t)b->cur : b->first_row + b->rows;
	if (row >= b->n_max)
		return more_rows(r->e, d, r->rec_line);
	if (b->abort && __atomic_load_n(b->abort, __ATOMIC_RELAXED))
		return err_set(r->e, ERR_RUNTIME, "stopped");
	b->rows++;
	double sum = 0, *dst = b->probs + row * d->k;
	for (size_t j = 0; j < d->k; j++)
		sum += b->rowbuf[j];
	if ((sum - 1 > 1e-3 || 1 - sum > 1e-3) && b->off_sum++ == 0) {
		b->warn_line = r->rec_line;
		b->warn_sum = sum;
	}
	/* --renormalize divides by the sum before the range check */
	for (size_t j = 0; j < d->k; j++) {
		double v = b->o->renormalize && sum > 0 ? b->rowbuf[j] / sum : b->rowbuf[j];
		if (v < -1e-6 || v > 1 + 1e-6)
			return err_at(r->e, r->path, r->rec_line, j + 1 + (size_t)b->join,
				      "probability %.17g is outside [0, 1]; expected a value "
				      "between 0 and 1 (within 1e-6)%s", v, b->o->renormalize ? "" :
				      " (--renormalize divides each row by its sum first)");
		dst[j] = v;
	}
	return 0;
}

/* A whole record of plain numbers (no id column) read in one pass; any
 * other line goes field by field, where errors are found and named. */
static int body_line(struct csvr *r, const char *line, size_t len)
{
	struct body_ctx *b = r->ctx;
	size_t k = b->d->k;
	if (numparse_row(line, len, r->delim ? r->delim : ',', k, b->rowbuf) < 0)
		return 1;
	b->fields = k;
	if (body_record(r) < 0) {
		b->fields = 0;
		return 1;
	}
	return 0;
}

static void body_init(struct body_ctx *b, struct dataset *d,
		      const struct dataset_opts *o, int join, int fd,
		      double *probs, size_t n_max)
{
	memset(b, 0, sizeof *b);
	b->d = d;
	b->o = o;
	b->join = join;
	b->rowbuf = xmallocarray(d->k, sizeof(double));
	b->probs = probs;
	b->n_max = n_max;
	b->r.path = d->probs_path;
	b->r.fd = fd;
	b->r.on_field = body_field;
	b->r.on_record = body_record;
	b->r.on_line = join ? NULL : body_line;
	b->r.ctx = b;
	b->r.e = &b->err;
	b->r.delim = dataset_delimiter(NULL, d->probs_path);
}

/* Parse one range: the plain tokenizer first, libcsv if it gives up (from
 * the range's start again, so results and errors are libcsv's). */
static void parse_body_range(struct body_ctx *b)
{
	size_t line = b->r.line;
	uint64_t off = b->r.off;
	if (!b->o->exact_floats && csvr_run_plain(&b->r) == 0) {
		b->rc = 0;
		return;
	}
	b->rows = b->fields = b->off_sum = 0;
	b->warn_line = 0;
	memset(&b->err, 0, sizeof b->err);
	b->r.line = line;
	b->r.off = off;
	b->r.field = 0;
	b->rc = csvr_run(&b->r);
}

/* A range of whole lines for one parser: bytes [start, end), the records in
 * it, and the line and row it starts at. */
struct range {
	uint64_t start, end;
	size_t lines;     /* records: line ends, and a last line without one */
	int ok;           /* no quote, no CR, no blank line */
	int fd;
};

/* Count the lines of a range, checking that each is one record: no quote,
 * no carriage return, no blank line (memchr runs at memory speed). */
static void *count_lines(void *arg)
{
	struct range *g = arg;
	size_t cap = 1 << 20;
	char *buf = xmalloc(cap);
	char prev = '\n';
	g->ok = 1;
	for (uint64_t pos = g->start; pos < g->end && g->ok;) {
		size_t want = g->end - pos < cap ? (size_t)(g->end - pos) : cap;
		ssize_t got = pread(g->fd, buf, want, (off_t)pos);
		if (got <= 0 || memchr(buf, '"', (size_t)got) || memchr(buf, '\r', (size_t)got)) {
			g->ok = 0;
			break;
		}
		char *p = buf, *end = buf + got, *nl;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if (nl == p && prev == '\n') {
				g->ok = 0;
				break;
			}
			g->lines++;
			prev = '\n';
			p = nl + 1;
		}
		if (p < end)
			prev = end[-1];
		pos += (uint64_t)got;
	}
	if (g->ok && prev != '\n')
		g->lines++;      /* the file's last line has no line end */
	free(buf);
	return NULL;
}

/* The offset just after the first '\n' at or after pos, or `end`. */
static uint64_t next_line(int fd, uint64_t pos, uint64_t end)
{
	char buf[4096];
	while (pos < end) {
		ssize_t got = pread(fd, buf, sizeof buf, (off_t)pos);
		if (got <= 0)
			return end;
		char *nl = memchr(buf, '\n', (size_t)got);
		if (nl)
			return pos + (uint64_t)(nl - buf) + 1;
		pos += (uint64_t)got;
	}
	return end;
}

static int report(struct body_ctx *b, size_t nb, struct err *e)
{
	for (size_t t = 0; t < nb; t++)
		if (b[t].rc < 0) {
			*e = b[t].err;
			return -1;
		}
	return 0;
}

/* Ranges handed out one at a time, in file order, to every thread that
 * asks (a thread slowed by other work does not hold up the rest): counted
 * here, parsed by the job below. */
struct share {
	size_t n, next;
	void (*each)(void *ctx, size_t i);
	void *ctx;
};

static void *share_take(void *arg)
{
	struct share *s = arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&s->next, 1, __ATOMIC_ACQ_REL);
		if (i >= s->n)
			return NULL;
		s->each(s->ctx, i);
	}
}

/* share_take on `threads` threads, the calling one among them. */
static void share_run(struct share *s, size_t threads)
{
	pthread_t th[16];
	size_t started = 0;
	while (started + 1 < threads && started < 16 &&
	       pthread_create(&th[started], NULL, share_take, s) == 0)
		started++;
	share_take(s);
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
}

static void count_one(void *ctx, size_t i)
{
	count_lines(&((struct range *)ctx)[i]);
}

/* Split the body into nb ranges of whole lines and count them on
 * `threads` threads (the calling one among them); 0, or 1 if the split
 * does not apply (a quote, CR or blank line: libcsv reads it serially). */
static int count_ranges(struct range *g, size_t nb, size_t threads,
			const struct dataset *d, int fd)
{
	const struct dataset_priv *pv = d->priv;
	uint64_t len = pv->probs_size - pv->body_off, at = pv->body_off;
	for (size_t t = 0; t < nb; t++) {
		g[t].start = at;
		g[t].end = t + 1 == nb ? pv->probs_size :
			   next_line(fd, pv->body_off + len * (t + 1) / nb, pv->probs_size);
		g[t].fd = fd;
		g[t].lines = 0;
		g[t].ok = 0;
		at = g[t].end;
	}
	struct share s = { nb, 0, count_one, g };
	share_run(&s, threads);
	int ok = 1;
	for (size_t t = 0; t < nb; t++)
		ok &= g[t].ok && g[t].end > g[t].start;
	return ok ? 0 : 1;
}

/* A parser for the counted range g, whose first record is body row `row`. */
static void set_range(struct body_ctx *b, const struct range *g, size_t row,
		      const struct dataset *d)
{
	b->first_row = row;
	b->r.start = g->start;
	b->r.end = g->end;
	b->r.off = g->start;
	b->r.line = d->priv->body_line + row;
	b->r.counted = 1;    /* count_lines found no quote or CR in it */
}

static void parse_range(void *ctx, size_t i)
{
	parse_body_range(&((struct body_ctx *)ctx)[i]);
}

/* Parse counted ranges, one parser each, on as many threads. */
static int parse_ranges(struct body_ctx *b, const struct range *g, size_t nb,
			const struct dataset *d, struct err *e)
{
	size_t rows = 0;
	for (size_t t = 0; t < nb; t++) {
		set_range(&b[t], &g[t], rows, d);
		rows += g[t].lines;
	}
	struct share s = { nb, 0, parse_range, b };
	share_run(&s, nb);
	return report(b, nb, e);
}

/* Parse the body with nb parsers; returns 1 if the split does not apply. */
static int parse_split(struct body_ctx *b, size_t nb, struct dataset *d, int fd,
		       struct err *e)
{
	struct range g[16];
	if (count_ranges(g, nb, nb, d, fd))
		return 1;
	return parse_ranges(b, g, nb, d, e);
}

static int parse_serial(struct body_ctx *b, struct dataset *d, struct err *e)
{
	b->r.start = d->priv->body_off;
	b->r.end = UINT64_MAX;
	b->r.off = d->priv->body_off;
	b->r.line = d->priv->body_line;
	b->rc = csvr_run(&b->r);
	return report(b, 1, e);
}

static int check_join(struct dataset *d, struct err *e)
{
	if (d->id_col < 0)
		return err_at(e, d->probs_path, 1, 1, "the first column is 'id' but "
			      "%s has no id column; expected ids to join by", d->data_path);
	dataset_index_ids(d);     /* unique: checked by dataset_load */
	return 0;
}

static void set_warning(struct dataset *d, struct body_ctx *b, size_t nb)
{
	size_t off = 0;
	struct body_ctx *first = NULL;
	for (size_t t = 0; t < nb; t++) {
		off += b[t].off_sum;
		if (!first && b[t].off_sum)
			first = &b[t];
	}
	size_t len = strlen(d->warning);
	if (first)
		snprintf(d->warning + len, sizeof d->warning - len, "%s%s:%zu: probabilities sum to "
			 "%.6g, not 1 (%zu row%s off by more than 1e-3); %s",
			 len ? "\nrelabel: warning: " : "", d->probs_path,
			 first->warn_line, first->warn_sum, off, off == 1 ? "" : "s",
			 b->o->renormalize ? "each row was divided by its sum" :
			 "rows are used as given (--renormalize divides by the sum)");
}

static size_t auto_threads(const struct dataset_opts *o, uint64_t bytes)
{
	if (o->threads == 1 || (!o->threads && bytes < (4u << 20)) || bytes < 2)
		return 1;
	long cpus = o->threads ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > 16 ? 16 : (size_t)cpus;
}

int dataset_probs_body(struct dataset *d, const struct dataset_opts *o,
		       int join, struct err *e)
{
	if (join && check_join(d, e) < 0)
		return -1;
	uint64_t size;
	int fd = dataset_open_input(d->probs_path, "the probabilities file", &size, e);
	if (fd < 0)
		return -1;
	dataset_alloc_probs(d);
	size_t nb = join ? 1 : auto_threads(o, size - d->priv->body_off);
	struct body_ctx b[16];
	unsigned char *seen = join ? xcalloc(d->n, 1) : NULL;
	for (size_t t = 0; t < nb; t++) {
		body_init(&b[t], d, o, join, fd, d->probs, d->n);
		b[t].seen = seen;
	}
	int rc = nb > 1 ? parse_split(b, nb, d, fd, e) : 1;
	if (rc == 1) {
		for (size_t t = 1; t < nb; t++)
			free(b[t].rowbuf);
		nb = 1;
		memset(&b[0].err, 0, sizeof b[0].err);
		b[0].rows = b[0].off_sum = 0;
		rc = parse_serial(&b[0], d, e);
	}
	close(fd);
	size_t rows = 0;
	for (size_t t = 0; t < nb; t++)
		rows += b[t].rows;
	if (rc == 0 && rows != d->n)
		rc = err_at(e, d->probs_path, b[nb - 1].r.line, 0, "%zu rows of "
			    "probabilities for %zu examples in %s; expected one row per "
			    "example", rows, d->n, d->data_path);
	if (rc == 0 && join)
		for (size_t i = 0; i < d->n; i++)
			if (!seen[i]) {
				rc = err_set(e, ERR_INPUT, "%s: no row for id '%s' (data row "
					     "%zu); expected one row per example", d->probs_path,
					     dataset_cell(d, i, (size_t)d->id_col), i);
				break;
			}
	if (rc == 0)
		set_warning(d, b, nb);
	for (size_t t = 0; t < nb; t++)
		free(b[t].rowbuf);
	free(seen);
	return rc;
}

/* --- the body beside DATA.csv ------------------------------------------- */

/* PROBS.csv's body parsed on threads of its own while the caller reads
 * DATA.csv. The row count is not known yet, so the destination is sized by
 * the body's line count (one record a line, as count_ranges ensures) and
 * the count is reconciled with DATA.csv's afterwards, giving the message
 * the serial order would: errors in DATA.csv first, then the first error
 * in the body up to its n+1st row, else "more rows than the n examples" at
 * that row. */
struct probs_job {
	struct dataset *d;       /* the job reads only k, paths, body_off/line */
	const struct dataset_opts *o;
	pthread_t th;
	int fd;
	int fallback;            /* the split does not apply: parse serially */
	int abort;               /* DATA.csv failed: stop early */
	int ready;               /* ranges counted and set up: any thread may take one */
	size_t workers;          /* threads of the job's own */
	size_t nb, lines;        /* ranges, their records */
	struct share parse;      /* the ranges to parse: the job's threads take
				    them, and the caller once DATA.csv is read */
	double *probs;
	struct body_ctx b[16];
};


static void *job_main(void *arg)
{
	struct probs_job *j = arg;
	struct dataset *d = j->d;
	struct range g[16];
	if (count_ranges(g, j->nb, j->workers, d, j->fd)) {
		j->fallback = 1;
		return NULL;
	}
	for (size_t t = 0; t < j->nb; t++)
		j->lines += g[t].lines;
	j->probs = dataset_alloc_big(j->lines * d->k * sizeof(double));
	size_t rows = 0;
	for (size_t t = 0; t < j->nb; t++) {
		body_init(&j->b[t], d, j->o, 0, j->fd, j->probs, j->lines);
		j->b[t].abort = &j->abort;
		set_range(&j->b[t], &g[t], rows, d);
		rows += g[t].lines;
	}
	j->parse = (struct share){ j->nb, 0, parse_range, j->b };
	__atomic_store_n(&j->ready, 1, __ATOMIC_RELEASE);
	share_run(&j->parse, j->workers);
	return NULL;
}

struct probs_job *dataset_probs_start(struct dataset *d, const struct dataset_opts *o,
				      int join)
{
	uint64_t size;
	struct err e = { 0 };
	if (join || !d->probs_path || o->probs_header_only)
		return NULL;
	size_t nb = auto_threads(o, d->priv->probs_size - d->priv->body_off);
	if (nb < 2)
		return NULL;
	int fd = dataset_open_input(d->probs_path, "the probabilities file", &size, &e);
	if (fd < 0)
		return NULL;      /* dataset_probs_body reports it in its turn */
	struct probs_job *j = xcalloc(1, sizeof *j);
	j->d = d;
	j->o = o;
	j->fd = fd;
	j->workers = nb;
	j->nb = 16;          /* ranges to share out (a sixteenth each) */
	if (pthread_create(&j->th, NULL, job_main, j) != 0) {
		close(fd);
		free(j);
		return NULL;
	}
	return j;
}

static void job_free(struct probs_job *j, int keep_probs)
{
	if (!keep_probs)
		dataset_free_big(j->probs, j->lines * j->d->k * sizeof(double));
	if (!j->fallback)
		for (size_t t = 0; t < j->nb; t++)
			free(j->b[t].rowbuf);
	close(j->fd);
	free(j);
}

void dataset_probs_abandon(struct probs_job *j)
{
	if (!j)
		return;
	__atomic_store_n(&j->abort, 1, __ATOMIC_RELAXED);
	pthread_join(j->th, NULL);
	job_free(j, 0);
}

int dataset_probs_finish(struct probs_job *j, struct dataset *d,
			 const struct dataset_opts *o, struct err *e)
{
	if (__atomic_load_n(&j->ready, __ATOMIC_ACQUIRE))
		share_take(&j->parse);   /* the ranges no thread has taken yet */
	pthread_join(j->th, NULL);
	if (j->fallback) {
		job_free(j, 0);
		return dataset_probs_body(d, o, 0, e);
	}
	size_t n = d->n, first_bad = d->priv->body_line + n;
	int rc = 0;
	struct body_ctx *bad = NULL;
	for (size_t t = 0; t < j->nb && !bad; t++)
		if (j->b[t].rc < 0)
			bad = &j->b[t];
	if (bad && bad->r.rec_line <= first_bad) {
		*e = bad->err;
		rc = -1;
	} else if (bad || j->lines > n) {
		rc = more_rows(e, d, first_bad);
	} else if (j->lines < n) {
		rc = err_at(e, d->probs_path, j->b[j->nb - 1].r.line, 0, "%zu rows of "
			    "probabilities for %zu examples in %s; expected one row per "
			    "example", j->lines, n, d->data_path);
	}
	if (rc == 0) {
		d->probs = j->probs;     /* j->lines == d->n rows */
		set_warning(d, j->b, j->nb);
	}
	job_free(j, rc == 0);
	return rc;
}
