/* export_formats.h — export beyond the byte-faithful CSV of export.c:
 *   csv     every column rewritten from the cells (datasets built from an
 *           image folder or --labels, --original-label-col, --rebase-paths)
 *   jsonl   one JSON object per kept example: every column (the label column
 *           holding the final label), "original_label" when it changed, and
 *           "row" when there is no id column
 *   npy     the final labels as class indices ('<i8', shape (N,), aligned
 *           with the input rows: an excluded row keeps its given label),
 *           and with mask_path a '|b1' (N,) mask, True for excluded rows
 *   folders the image files as OUTDIR/LABEL/FILE (hard links, else copies),
 *           excluded examples left out
 */
#ifndef RELABEL_EXPORT_FORMATS_H
#define RELABEL_EXPORT_FORMATS_H

#include <stdio.h>

#include "export.h"

enum export_format { EXPORT_CSV, EXPORT_JSONL, EXPORT_NPY, EXPORT_FOLDERS };

struct export_opts {
	enum export_format format;
	const char *mask_path;     /* npy: also write the exclusion mask */
	const char *orig_col;      /* add the given label as this column */
	int rebase;                /* rewrite relative image paths for the output */
};

int export_formats_write(const struct export_req *r, const struct export_opts *x,
			 struct export_counts *n, struct err *e);

/* 1 when relative image paths of d resolve against a folder other than the
 * output's (then *from / *to are those absolute folders, to free). */
int export_rebase_needed(const struct dataset *d, const char *out_path,
			 char **from, char **to);

/* A field with minimal quoting for the delimiter (0 or ',' = RFC 4180). */
void export_field(FILE *f, const char *s, char delim);

#endif
