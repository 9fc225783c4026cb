/* dataset_byod.c — datasets that do not come as DATA.csv: labels from a
 * .npy file alone (ids are row numbers), and image folders laid out as
 * DIR/CLASS/FILE (torchvision ImageFolder, Keras image_dataset_from_directory).
 * Also what the CSV loader borrows for other inputs: a label column made
 * from --labels, image path resolution and the content hash the
 * corrections log records.
 *
 * An image folder becomes the columns path,label: path (the id and the
 * image) is relative to DIR, label is the class folder's name. Classes are
 * the class folders in byte order, files are found recursively below them
 * (.png, .jpg, .jpeg, any case; hidden entries skipped) in the order of
 * torchvision's ImageFolder (folders by path, then files by name), so that
 * probabilities saved in that order line up row by row.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset_priv.h"
#include "hash.h"
#include "numpyfile.h"
#include "output.h"
#include "util.h"

/* --- building a dataset cell by cell ----------------------------------- */

static void pool_put(struct dataset_priv *pv, const char *s)
{
	size_t len = strlen(s);
	if (pv->pool_len + len + 1 > pv->pool_cap) {
		size_t cap = pv->pool_cap ? pv->pool_cap : 1 << 16;
		while (pv->pool_len + len + 1 > cap)
			cap *= 2;
		pv->pool = xrealloc(pv->pool, cap);
		pv->pool_cap = cap;
	}
	memcpy(pv->pool + pv->pool_len, s, len + 1);
	pv->pool_len += len + 1;
}

static void build_row(struct dataset *d, const char *const *cells)
{
	struct dataset_priv *pv = d->priv;
	if (d->n == pv->rows_cap) {
		pv->rows_cap = pv->rows_cap ? pv->rows_cap * 2 : 1024;
		pv->row_cells = xrealloc(pv->row_cells, pv->rows_cap * sizeof *pv->row_cells);
		d->labels = xrealloc(d->labels, pv->rows_cap * sizeof(int));
	}
	row_cell_add(pv, d->n, pv->pool_len);
	d->labels[d->n] = -1;
	for (size_t c = 0; c < d->ncols; c++)
		pool_put(pv, cells[c]);
	d->n++;
}

static struct dataset *build_new(const char *path, size_t ncols, const char *const *names)
{
	struct dataset *d = xcalloc(1, sizeof *d);
	d->priv = xcalloc(1, sizeof *d->priv);
	d->data_path = xstrdup(path);
	d->label_col = d->id_col = d->text_col = d->image_col = -1;
	d->ncols = ncols;
	d->col_names = xmallocarray(ncols, sizeof(char *));
	for (size_t c = 0; c < ncols; c++)
		d->col_names[c] = xstrdup(names[c]);
	return d;
}

void dataset_virtual_label_column(struct dataset *d)
{
	struct dataset_priv *pv = d->priv;
	struct dataset_priv fresh = { 0 };
	fresh.rows_cap = d->n ? d->n : 1;
	fresh.row_cells = xmallocarray(fresh.rows_cap, sizeof *fresh.row_cells);
	size_t *len = xmallocarray(d->k ? d->k : 1, sizeof *len), total = 0;
	for (size_t c = 0; c < d->k; c++)
		len[c] = strlen(d->class_names[c]) + 1;
	for (size_t i = 0; i < d->n; i++)
		total += len[d->labels[i]];
	fresh.pool_cap = pv->pool_len + total + 1;
	fresh.pool = xmalloc(fresh.pool_cap);
	for (size_t i = 0; i < d->n; i++) {
		row_cell_add(&fresh, i, fresh.pool_len);
		if (d->ncols) {
			/* the row's cells are contiguous in the old pool */
			uint64_t from = row_cell_get(pv, i);
			uint64_t to = i + 1 < d->n ? row_cell_get(pv, i + 1) : pv->pool_len;
			memcpy(fresh.pool + fresh.pool_len, pv->pool + from, (size_t)(to - from));
			fresh.pool_len += (size_t)(to - from);
		}
		memcpy(fresh.pool + fresh.pool_len, d->class_names[d->labels[i]], len[d->labels[i]]);
		fresh.pool_len += len[d->labels[i]];
	}
	free(len);
	free(pv->pool);
	free(pv->row_cells);
	free(pv->eras);
	pv->pool = fresh.pool;
	pv->pool_len = fresh.pool_len;
	pv->pool_cap = fresh.pool_cap;
	pv->row_cells = fresh.row_cells;
	pv->rows_cap = fresh.rows_cap;
	pv->eras = fresh.eras;
	pv->neras = fresh.neras;
	d->col_names = xrealloc(d->col_names, (d->ncols + 1) * sizeof(char *));
	d->col_names[d->ncols] = xstrdup("label");
	d->label_col = (int)d->ncols++;
	d->virtual_labels = 1;
}




/* --- image paths and the content hash ---------------------------------- */

const char *dataset_image_base(const struct dataset *d)
{
	return d->priv->image_base ? d->priv->image_base : "";
}

void dataset_image_path(const struct dataset *d, size_t row, char *path, size_t n)
{
	const char *img = dataset_cell(d, row, (size_t)d->image_col);
	if (img[0] == '/')
		snprintf(path, n, "%s", img);
	else
		snprintf(path, n, "%s%s", dataset_image_base(d), img);
}

void dataset_set_image_base(struct dataset *d, const struct dataset_opts *o)
{
	free(d->priv->image_base);
	if (o->image_root && *o->image_root) {
		size_t n = strlen(o->image_root);
		char *b = xmalloc(n + 2);
		memcpy(b, o->image_root, n + 1);
		if (b[n - 1] != '/')
			strcpy(b + n, "/");
		d->priv->image_base = b;
		return;
	}
	const char *slash = strrchr(d->data_path, '/');
	d->priv->image_base = xstrndup(d->data_path, slash ? (size_t)(slash - d->data_path) + 1 : 0);
}

int dataset_content_sha256(const struct dataset *d, char hex[65], uint64_t *size,
			   struct err *e)
{
	if (d->priv->content_sha[0]) {
		memcpy(hex, d->priv->content_sha, 65);
		if (size)
			*size = d->priv->content_size;
		return 0;
	}
	return dataset_hash_input(d->data_path, hex, size, e);
}

/* --- image folders -------------------------------------------------------- */

struct listing {
	char **path;      /* relative to DIR */
	size_t *cls;      /* index into the class folder list */
	size_t n, cap;
};

static int is_image_name(const char *name)
{
	return dataset_ends_with(name, ".png") || dataset_ends_with(name, ".jpg") || dataset_ends_with(name, ".jpeg");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of dir (no hidden ones), sorted; *n of them. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *dh = opendir(dir);
	*n = 0;
	if (!dh)
		return NULL;
	size_t cap = 16;
	char **v = xmallocarray(cap, sizeof(char *));
	struct dirent *de;
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(char *));
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dh);
	qsort(v, *n, sizeof(char *), cmp_str);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = xmalloc(la + lb + 2);
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

/* Every folder below rel (rel included), unsorted. */
static void walk_dirs(const char *root, const char *rel, char ***dirs, size_t *n,
		      size_t *cap, int depth)
{
	if (*n == *cap)
		*dirs = xrealloc(*dirs, (*cap = *cap ? *cap * 2 : 16) * sizeof(char *));
	(*dirs)[(*n)++] = xstrdup(rel);
	char *abs = join(root, rel);
	size_t m;
	char **v = list_dir(abs, &m);
	for (size_t i = 0; i < m && depth < 32; i++) {
		char *r = join(rel, v[i]);
		char *a = join(root, r);
		struct stat st;
		if (stat(a, &st) == 0 && S_ISDIR(st.st_mode))
			walk_dirs(root, r, dirs, n, cap, depth + 1);
		free(r);
		free(a);
	}
	free_list(v, m);
	free(abs);
}

/* The images of one class in torchvision ImageFolder's order: folders
 * sorted by path (sorted(os.walk(...))), files sorted within each. */
static void walk(const char *root, const char *rel, size_t cls, struct listing *l)
{
	char **dirs = NULL;
	size_t nd = 0, cap = 0;
	walk_dirs(root, rel, &dirs, &nd, &cap, 0);
	qsort(dirs, nd, sizeof(char *), cmp_str);
	for (size_t k = 0; k < nd; k++) {
		char *abs = join(root, dirs[k]);
		size_t n;
		char **v = list_dir(abs, &n);
		for (size_t i = 0; i < n; i++) {
			char *r = join(dirs[k], v[i]);
			char *a = join(root, r);
			struct stat st;
			if (is_image_name(v[i]) && stat(a, &st) == 0 && S_ISREG(st.st_mode)) {
				if (l->n == l->cap) {
					l->cap = l->cap ? l->cap * 2 : 256;
					l->path = xrealloc(l->path, l->cap * sizeof(char *));
					l->cls = xrealloc(l->cls, l->cap * sizeof(size_t));
				}
				l->path[l->n] = r;
				l->cls[l->n++] = cls;
				r = NULL;
			}
			free(r);
			free(a);
		}
		free_list(v, n);
		free(abs);
	}
	free_list(dirs, nd);
}

static int probs_into(struct dataset *d, const struct dataset_opts *o,
		      char **folders, size_t nf, struct err *e)
{
	int join_id = 0;
	if (npyf_is_npy_path(d->probs_path)) {
		if (dataset_npy_probs_header(d, o, e) < 0)
			return -1;
		if (folders && !o->classes_path) {
			/* the class order of ImageFolder: the sorted folder names */
			if (d->k != nf)
				return err_set(e, ERR_INPUT, "%s: %zu columns of probabilities "
					       "for %zu class folders in %s; expected one column "
					       "per class folder (or name them with --classes)",
					       d->probs_path, d->k, nf, d->data_path);
			strmap_free(&d->priv->classes);
			strmap_init(&d->priv->classes, d->k);
			for (size_t c = 0; c < d->k; c++) {
				free(d->class_names[c]);
				d->class_names[c] = xstrdup(folders[c]);
				strmap_put(&d->priv->classes, d->class_names[c], c);
			}
		}
		return 0;
	}
	if (dataset_probs_header(d, d->probs_path, &join_id, e) < 0)
		return -1;
	return join_id;
}

static int probs_body(struct dataset *d, const struct dataset_opts *o, int join_id,
		      struct err *e)
{
	if (npyf_is_npy_path(d->probs_path))
		return dataset_npy_probs_body(d, o, e);
	return dataset_probs_body(d, o, join_id, e);
}

static int labels_from_cells(struct dataset *d, struct err *e)
{
	for (size_t i = 0; i < d->n; i++) {
		const char *l = dataset_cell(d, i, (size_t)d->label_col);
		long c = strmap_get(&d->priv->classes, l);
		if (c < 0)
			return err_set(e, ERR_INPUT, "%s: class folder '%s' is not a class of "
				       "%s; expected one of its class names", d->data_path, l,
				       d->probs_path ? d->probs_path : "--classes");
		d->labels[i] = (int)c;
	}
	return 0;
}

static int load_folder(struct dataset **out, const struct dataset_opts *o,
		       const char *dir, struct err *e)
{
	char *root = xstrdup(dir);
	size_t rl = strlen(root);
	while (rl > 1 && root[rl - 1] == '/')
		root[--rl] = '\0';
	size_t nf = 0;
	char **all = list_dir(root, &nf);
	if (!all)
		return free(root), err_set(e, ERR_INPUT, "%s: cannot read the folder: %s",
					   dir, strerror(errno));
	char **folders = xmallocarray(nf ? nf : 1, sizeof(char *));
	size_t ncls = 0;
	struct listing l = { 0 };
	for (size_t i = 0; i < nf; i++) {
		char *a = join(root, all[i]);
		struct stat st;
		if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = l.n;
			walk(root, all[i], ncls, &l);
			if (l.n > before)
				folders[ncls++] = xstrdup(all[i]);
		}
		free(a);
	}
	free_list(all, nf);
	static const char *const names[2] = { "path", "label" };
	struct dataset *d = build_new(root, 2, names);
	d->folder = 1;
	d->id_col = d->image_col = 0;
	d->label_col = 1;
	d->priv->image_base = join(root, "");
	/* the listing, as the CSV export writes it, is what the log hashes */
	size_t tcap = 4096, tlen = 0;
	char *text = xmalloc(tcap);
	tlen = (size_t)snprintf(text, tcap, "path,label\n");
	for (size_t i = 0; i < l.n; i++) {
		const char *cells[2] = { l.path[i], folders[l.cls[i]] };
		build_row(d, cells);
		size_t need = strlen(l.path[i]) * 2 + strlen(cells[1]) * 2 + 8;
		while (tlen + need > tcap)
			text = xrealloc(text, tcap *= 2);
		FILE *m = fmemopen(text + tlen, tcap - tlen, "w");
		if (m) {
			out_csv_field(m, cells[0]);
			fputc(',', m);
			out_csv_field(m, cells[1]);
			fputc('\n', m);
			long w = ftell(m);
			fclose(m);
			tlen += (size_t)w;
		}
		free(l.path[i]);
	}
	free(l.path);
	free(l.cls);
	hash_mem_sha256(text, tlen, d->priv->content_sha);
	d->priv->content_size = tlen;
	free(text);
	int rc = 0;
	if (d->n == 0)
		rc = err_set(e, ERR_INPUT, "%s: no images in class folders; expected "
			     "DIR/CLASS/*.png or *.jpg (one folder per class)", dir);
	if (rc == 0 && o->image_root)
		dataset_set_image_base(d, o);
	if (rc == 0 && o->probs_path) {
		d->probs_path = xstrdup(o->probs_path);
		int j = probs_into(d, o, folders, ncls, e);
		rc = j < 0 ? -1 : labels_from_cells(d, e);
		if (rc == 0)
			rc = probs_body(d, o, j, e);
	} else if (rc == 0) {
		if (o->classes_path) {
			rc = dataset_classes_file(d, o->classes_path, 0, e);
		} else {
			d->k = ncls;
			d->class_names = folders;
			folders = NULL;
			ncls = 0;
		}
		if (rc == 0) {
			strmap_init(&d->priv->classes, d->k);
			for (size_t c = 0; c < d->k; c++)
				strmap_put(&d->priv->classes, d->class_names[c], c);
			rc = labels_from_cells(d, e);
		}
	}
	if (folders)
		free_list(folders, ncls);
	free(root);
	if (rc < 0) {
		dataset_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* --labels with a data file: the labels come from the .npy; a label column
 * of DATA.csv, if there is one, must agree with them. */
int dataset_labels_hook(struct dataset *d, const struct dataset_opts *o, struct err *e)
{
	if (d->k == 0 && o->classes_path) {
		if (dataset_classes_file(d, o->classes_path, 0, e) < 0)
			return -1;
		strmap_init(&d->priv->classes, d->k);
		for (size_t c = 0; c < d->k; c++)
			strmap_put(&d->priv->classes, d->class_names[c], c);
	}
	int *cells = NULL;
	if (d->label_col >= 0 && d->k) {
		cells = xmallocarray(d->n, sizeof(int));
		memcpy(cells, d->labels, d->n * sizeof(int));
	}
	int rc = dataset_npy_labels(d, o, e);
	for (size_t i = 0; rc == 0 && d->label_col >= 0 && i < d->n; i++) {
		const char *cell = dataset_cell(d, i, (size_t)d->label_col);
		if (cells ? cells[i] != d->labels[i] : strcmp(cell, d->class_names[d->labels[i]]))
			rc = err_set(e, ERR_INPUT, "%s: row %zu: label '%s' differs from "
				     "class %d ('%s') in %s; expected the same labels (or leave "
				     "the label column out)", d->data_path, i, cell, d->labels[i],
				     d->class_names[d->labels[i]], o->labels_path);
	}
	free(cells);
	if (rc == 0 && d->label_col < 0)
		dataset_virtual_label_column(d);
	return rc;
}

/* --- labels alone --------------------------------------------------------- */

static int load_labels_only(struct dataset **out, const struct dataset_opts *o,
			    struct err *e)
{
	struct npyfile f;
	if (npyf_open(&f, o->labels_path, e) < 0)
		return -1;
	size_t n = f.n;
	npyf_close(&f);
	struct dataset *d = build_new(o->labels_path, 0, NULL);
	d->labels = xcalloc(n ? n : 1, sizeof(int));
	d->priv->row_cells = xcalloc(n ? n : 1, sizeof *d->priv->row_cells);
	d->priv->rows_cap = n;
	d->n = n;
	int rc = 0, j = 0;
	if (n == 0)
		rc = err_set(e, ERR_INPUT, "%s: no labels; expected one per example", o->labels_path);
	if (rc == 0 && o->probs_path) {
		d->probs_path = xstrdup(o->probs_path);
		j = probs_into(d, o, NULL, 0, e);
		rc = j < 0 ? -1 : 0;
	} else if (rc == 0 && o->classes_path) {
		rc = dataset_classes_file(d, o->classes_path, 0, e);
		if (rc == 0) {
			strmap_init(&d->priv->classes, d->k);
			for (size_t c = 0; c < d->k; c++)
				strmap_put(&d->priv->classes, d->class_names[c], c);
		}
	}
	if (rc == 0 && j == 1)
		rc = err_set(e, ERR_INPUT, "%s: joins by 'id' but there is no data file "
			     "with ids; expected probabilities in label order", d->probs_path);
	if (rc == 0)
		rc = dataset_npy_labels(d, o, e);
	if (rc == 0)
		dataset_virtual_label_column(d);
	if (rc == 0 && d->probs_path)
		rc = probs_body(d, o, 0, e);
	if (rc < 0) {
		dataset_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

int dataset_classes_for_cells(struct dataset *d, const struct dataset_opts *o,
			      struct err *e)
{
	if (dataset_classes_file(d, o->classes_path, 0, e) < 0)
		return -1;
	strmap_init(&d->priv->classes, d->k);
	for (size_t c = 0; c < d->k; c++)
		if (strmap_put(&d->priv->classes, d->class_names[c], c) < 0)
			return err_set(e, ERR_INPUT, "%s: class name '%s' appears twice; "
				       "expected each class once", o->classes_path,
				       d->class_names[c]);
	for (size_t i = 0; i < d->n; i++) {
		const char *l = dataset_cell(d, i, (size_t)d->label_col);
		long c = strmap_get(&d->priv->classes, l);
		if (c < 0 && o->label_index)
			c = dataset_label_as_index(l, d->k);
		if (c < 0)
			return err_set(e, ERR_INPUT, "%s: row %zu: label '%s' is not a class "
				       "of %s; expected one of its names%s", d->data_path, i, l,
				       o->classes_path, o->label_index ? " or a class index" : "");
		d->labels[i] = (int)c;
	}
	return 0;
}

int dataset_byod_load(struct dataset **out, const struct dataset_opts *o,
		      struct err *e)
{
	struct stat st;
	if (o->classes_path && o->probs_path && !npyf_is_npy_path(o->probs_path))
		return err_set(e, ERR_INPUT, "%s: --classes names the columns of .npy "
			       "probabilities; a probabilities CSV names them in its header",
			       o->classes_path);
	if (!o->data_path && o->labels_path)
		return load_labels_only(out, o, e);
	if (o->data_path && !o->labels_path && npyf_is_npy_path(o->data_path)) {
		/* `relabel scan y.npy --probs p.npy`, and a log made for y.npy */
		struct dataset_opts lo = *o;
		lo.labels_path = o->data_path;
		lo.data_path = NULL;
		return load_labels_only(out, &lo, e);
	}
	if (o->data_path && stat(o->data_path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (o->labels_path)
			return err_set(e, ERR_INPUT, "%s: an image folder gives its labels "
				       "by folder; --labels applies to a data file", o->data_path);
		return load_folder(out, o, o->data_path, e);
	}
	return 1;
}
