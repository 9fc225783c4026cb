/* output.h — writing results: CSV/TSV/JSON field quoting, shortest
 * round-trip doubles, and files written atomically (temp file + rename). */
#ifndef RELABEL_OUTPUT_H
#define RELABEL_OUTPUT_H

#include <stdio.h>

#include "err.h"

/* A CSV field with minimal RFC 4180 quoting (only if it holds a comma, a
 * quote or a line break). CSV and TSV fields written to a terminal are shown
 * in visible form (sanitize.h); to a file or pipe they are exact. */
void out_csv_field(FILE *f, const char *s);
/* A TSV field: tabs, line breaks and backslashes escaped as \t \n \r \\. */
void out_tsv_field(FILE *f, const char *s);
/* A JSON string literal: the one JSON string writer, used by every JSON
 * output. Well-formed UTF-8 is kept; control characters, C1 controls and
 * bidi controls are escaped as \uXXXX; each byte that is not well-formed
 * UTF-8 becomes \ufffd (counted in out_json_replaced, so that the command
 * can warn), so the output is always valid JSON. */
void out_json_string(FILE *f, const char *s);
extern size_t out_json_replaced;
/* The shortest of %.15g/%.16g/%.17g that reads back as x (JSON: non-finite
 * values are written as null). */
void out_double(FILE *f, double x);

/* An output that is either stdout or a file written atomically: out_open
 * with path NULL or "-" gives stdout; out_close renames the temp file over
 * path only if everything was written. */
struct out {
	FILE *f;
	char *path, *tmp;
};
int out_open(struct out *o, const char *path, struct err *e);
int out_close(struct out *o, struct err *e);
/* Drop a half-written output (removes the temp file). */
void out_abort(struct out *o);

#endif
