/* export_formats.c — the cleaned dataset in the other shapes users import
 * (see export_formats.h): CSV/TSV rewritten from the cells (for datasets not
 * read from one CSV file, an added original-label column, or rebased image
 * paths), JSON Lines, NumPy labels (+ exclusion mask), and a class-folder
 * tree for image-folder datasets. Single files are written atomically; the
 * tree is built beside OUTDIR and renamed into place when complete.
 */
#define _GNU_SOURCE 1
#include "export_formats.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "effective.h"
#include "output.h"
#include "util.h"

void export_field(FILE *f, const char *s, char delim)
{
	if (delim == ',' || !delim) {
		out_csv_field(f, s);
		return;
	}
	char special[5] = { delim, '"', '\r', '\n', 0 };
	if (!strpbrk(s, special)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* --- relative paths ----------------------------------------------------- */

/* The absolute, normalised folder of path (which may not exist yet). */
static char *abs_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *r = realpath(dir, NULL);
	free(dir);
	return r;
}

static char *abs_dir(const char *dir)
{
	return realpath(*dir ? dir : ".", NULL);
}

/* Path of absolute `to` relative to absolute folder `from`. */
static char *relative(const char *from, const char *to)
{
	size_t common = 0, i = 0;
	for (; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && (to[i] == '/' || !to[i]))
		common = i;
	else if (!strcmp(from, "/"))
		common = 0;
	size_t ups = 0;
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			ups++;
	const char *rest = to + common + (to[common] == '/');
	char *out = xmalloc(ups * 3 + strlen(rest) + 2);
	out[0] = '\0';
	for (size_t u = 0; u < ups; u++)
		strcat(out, "../");
	strcat(out, rest);
	if (!*out)
		strcpy(out, ".");
	return out;
}

int export_rebase_needed(const struct dataset *d, const char *out_path,
			 char **from, char **to)
{
	*from = *to = NULL;
	if (d->image_col < 0 || !out_path || !strcmp(out_path, "-"))
		return 0;
	size_t row = 0;
	for (; row < d->n; row++) {
		const char *cell = dataset_cell(d, row, (size_t)d->image_col);
		if (*cell && *cell != '/')
			break;
	}
	if (row == d->n)
		return 0;         /* every path is absolute (or empty) */
	char *a = abs_dir(dataset_image_base(d)), *b = abs_dir_of(out_path);
	int differ = a && b && strcmp(a, b);
	if (differ) {
		*from = a;
		*to = b;
		return 1;
	}
	free(a);
	free(b);
	return 0;
}

/* The image cell rewritten relative to the output folder. */
static char *rebased(const char *cell, const char *from, const char *to)
{
	if (cell[0] == '/' || !*cell)
		return xstrdup(cell);
	char *absf = xmalloc(strlen(from) + strlen(cell) + 2);
	sprintf(absf, "%s/%s", from, cell);
	char *r = relative(to, absf);
	free(absf);
	return r;
}

/* --- writers -------------------------------------------------------------- */

struct ctx {
	const struct export_req *r;
	const struct export_opts *x;
	int32_t *win;
	char *from, *to;     /* rebasing: image base and output folder */
};

static const char *final_label(const struct ctx *c, size_t row)
{
	const struct dataset *d = c->r->d;
	return effective_label(c->r->dec, c->win[row],
			       dataset_cell(d, row, (size_t)d->label_col));
}

static void count(const struct ctx *c, struct export_counts *n)
{
	const struct dataset *d = c->r->d;
	n->rows_in = d->n;
	for (size_t row = 0; row < d->n; row++) {
		const char *given = dataset_cell(d, row, (size_t)d->label_col);
		const char *l = final_label(c, row);
		if (!l)
			n->excluded++;
		else if (strcmp(l, given))
			n->changed++;
	}
	n->rows_out = d->n - n->excluded;
}

static void write_csv(const struct ctx *c, FILE *f)
{
	const struct dataset *d = c->r->d;
	char delim = d->delim ? d->delim : ',';
	for (size_t col = 0; col < d->ncols; col++) {
		if (col)
			fputc(delim, f);
		export_field(f, d->col_names[col], delim);
	}
	if (c->x->orig_col) {
		fputc(delim, f);
		export_field(f, c->x->orig_col, delim);
	}
	fputc('\n', f);
	for (size_t row = 0; row < d->n; row++) {
		const char *label = final_label(c, row);
		if (!label)
			continue;
		for (size_t col = 0; col < d->ncols; col++) {
			if (col)
				fputc(delim, f);
			const char *cell = (int)col == d->label_col ? label : dataset_cell(d, row, col);
			if ((int)col == d->image_col && c->from) {
				char *p = rebased(cell, c->from, c->to);
				export_field(f, p, delim);
				free(p);
			} else
				export_field(f, cell, delim);
		}
		if (c->x->orig_col) {
			fputc(delim, f);
			export_field(f, dataset_cell(d, row, (size_t)d->label_col), delim);
		}
		fputc('\n', f);
	}
}

static void write_jsonl(const struct ctx *c, FILE *f)
{
	const struct dataset *d = c->r->d;
	for (size_t row = 0; row < d->n; row++) {
		const char *label = final_label(c, row);
		if (!label)
			continue;
		const char *given = dataset_cell(d, row, (size_t)d->label_col);
		fputc('{', f);
		int first = 1;
		if (d->id_col < 0) {
			fprintf(f, "\"row\":%zu", row);
			first = 0;
		}
		for (size_t col = 0; col < d->ncols; col++) {
			fputs(first ? "" : ",", f);
			first = 0;
			out_json_string(f, d->col_names[col]);
			fputc(':', f);
			const char *cell = (int)col == d->label_col ? label : dataset_cell(d, row, col);
			if ((int)col == d->image_col && c->from) {
				char *p = rebased(cell, c->from, c->to);
				out_json_string(f, p);
				free(p);
			} else
				out_json_string(f, cell);
		}
		if (c->x->orig_col) {
			fputc(',', f);
			out_json_string(f, c->x->orig_col);
			fputc(':', f);
			out_json_string(f, given);
		}
		if (strcmp(label, given)) {
			fputs(",\"original_label\":", f);
			out_json_string(f, given);
		}
		fputs("}\n", f);
	}
}

/* A version 1.0 .npy header for shape (n,) of descr, padded to 64 bytes. */
static void npy_header(FILE *f, const char *descr, size_t n)
{
	char dict[128];
	int len = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
			   "'shape': (%zu,), }", descr, n);
	size_t total = 10 + (size_t)len + 1;
	size_t pad = (64 - total % 64) % 64;
	size_t hlen = (size_t)len + pad + 1;
	fwrite("\x93NUMPY\x01\x00", 1, 8, f);
	fputc((int)(hlen & 0xff), f);
	fputc((int)(hlen >> 8), f);
	fwrite(dict, 1, (size_t)len, f);
	for (size_t i = 0; i < pad; i++)
		fputc(' ', f);
	fputc('\n', f);
}

static void write_npy_labels(const struct ctx *c, FILE *f)
{
	const struct dataset *d = c->r->d;
	npy_header(f, "<i8", d->n);
	for (size_t row = 0; row < d->n; row++) {
		const char *label = final_label(c, row);
		int64_t v = label ? dataset_class_index(d, label) : d->labels[row];
		if (v < 0)
			v = d->labels[row];
		unsigned char b[8];
		for (int i = 0; i < 8; i++)      /* little-endian, as '<i8' says */
			b[i] = (unsigned char)((uint64_t)v >> (8 * i));
		fwrite(b, 1, 8, f);
	}
}

static void write_npy_mask(const struct ctx *c, FILE *f)
{
	const struct dataset *d = c->r->d;
	npy_header(f, "|b1", d->n);
	for (size_t row = 0; row < d->n; row++)
		fputc(final_label(c, row) ? 0 : 1, f);
}

/* --- the folder tree ------------------------------------------------------ */

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			int rc = mkdir(path, 0777);
			*p = '/';
			if (rc < 0 && errno != EEXIST)
				return -1;
		}
	return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	if (close(out) < 0)
		rc = -1;
	close(in);
	return rc;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? 0 : 0;
}

/* The file's path below its class folder ("more/10.png" for "dark/more/10.png"). */
static const char *below_class(const char *path)
{
	const char *s = strchr(path, '/');
	return s ? s + 1 : path;
}

static int write_tree(const struct ctx *c, const char *outdir, struct err *e)
{
	const struct dataset *d = c->r->d;
	struct stat st;
	if (lstat(outdir, &st) == 0)
		return err_set(e, ERR_INPUT, "%s: already exists; expected a new folder "
			       "for the cleaned tree", outdir);
	for (size_t cls = 0; cls < d->k; cls++) {
		const char *name = d->class_names[cls];
		if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
			return err_set(e, ERR_INPUT, "class name '%s' cannot be a folder name; "
				       "expected no '/' and not '.' or '..' for --layout folders",
				       name);
	}
	char *tmp = xmalloc(strlen(outdir) + 32);
	size_t ol = strlen(outdir);
	while (ol > 1 && outdir[ol - 1] == '/')
		ol--;
	sprintf(tmp, "%.*s.tmp-%ld", (int)ol, outdir, (long)getpid());
	if (mkdir(tmp, 0777) < 0) {
		int rc = err_set(e, ERR_RUNTIME, "%s: cannot create: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	int rc = 0;
	size_t links = 0, copies = 0;
	for (size_t row = 0; row < d->n && rc == 0; row++) {
		const char *label = final_label(c, row);
		if (!label)
			continue;
		const char *rel = dataset_cell(d, row, (size_t)d->image_col);
		const char *given = dataset_cell(d, row, (size_t)d->label_col);
		char src[4096], dst[8192];
		dataset_image_path(d, row, src, sizeof src);
		const char *tail = d->folder ? below_class(rel) : strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
		snprintf(dst, sizeof dst, "%s/%s/%s", tmp, label, tail);
		/* a relabelled file whose name its new class already has */
		for (int n = 1; lstat(dst, &st) == 0; n++) {
			const char *dot = strrchr(tail, '.');
			size_t stem = dot && dot > tail ? (size_t)(dot - tail) : strlen(tail);
			snprintf(dst, sizeof dst, "%s/%s/%.*s.from-%s%s%.0d%s", tmp, label, (int)stem,
				 tail, given, n > 1 ? "-" : "", n > 1 ? n : 0, tail + stem);
		}
		char *slash = strrchr(dst, '/');
		*slash = '\0';
		if (mkdirs(dst) < 0) {
			rc = err_set(e, ERR_RUNTIME, "%s: cannot create: %s", dst, strerror(errno));
			break;
		}
		*slash = '/';
		if (link(src, dst) == 0)
			links++;
		else if (copy_file(src, dst) == 0)
			copies++;
		else
			rc = err_set(e, ERR_RUNTIME, "%s: cannot link or copy to %s: %s", src,
				     dst, strerror(errno));
	}
	if (rc == 0 && rename(tmp, outdir) < 0)
		rc = err_set(e, ERR_RUNTIME, "%s: cannot rename into place: %s", outdir,
			     strerror(errno));
	if (rc < 0)       /* leave no half tree */
		nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	else
		fprintf(stderr, "relabel: %zu files hard-linked, %zu copied\n", links, copies);
	free(tmp);
	return rc;
}

/* --- entry ----------------------------------------------------------------- */

int export_formats_write(const struct export_req *r, const struct export_opts *x,
			 struct export_counts *n, struct err *e)
{
	const struct dataset *d = r->d;
	char sha[65];
	memset(n, 0, sizeof *n);
	if (dataset_content_sha256(d, sha, NULL, e) < 0)
		return -1;
	if (strcmp(sha, r->data_sha256))
		return err_set(e, ERR_INPUT, "%s: changed since the corrections log was "
			       "made for it; refusing to export from it", d->data_path);
	struct ctx c = { .r = r, .x = x };
	c.win = xmallocarray(d->n ? d->n : 1, sizeof *c.win);
	effective_winners(r->dec, r->ndec, r->upto, d->n, c.win);
	count(&c, n);
	int rc = 0;
	if (x->rebase && x->format != EXPORT_FOLDERS)
		export_rebase_needed(d, r->out_path, &c.from, &c.to);
	if (x->format == EXPORT_FOLDERS) {
		if (d->image_col < 0)
			rc = err_set(e, ERR_INPUT, "%s: no image column; --layout folders "
				     "writes image files into class folders", d->data_path);
		else
			rc = write_tree(&c, r->out_path, e);
	} else {
		struct out o;
		rc = out_open(&o, r->out_path, e);
		if (rc == 0) {
			if (x->format == EXPORT_JSONL)
				write_jsonl(&c, o.f);
			else if (x->format == EXPORT_NPY)
				write_npy_labels(&c, o.f);
			else
				write_csv(&c, o.f);
			rc = out_close(&o, e);
		}
		if (rc == 0 && x->format == EXPORT_NPY && x->mask_path) {
			rc = out_open(&o, x->mask_path, e);
			if (rc == 0) {
				write_npy_mask(&c, o.f);
				rc = out_close(&o, e);
			}
		}
	}
	free(c.from);
	free(c.to);
	free(c.win);
	return rc;
}
