/* dataset_csv.h — the line-tracking libcsv reader shared by the DATA.csv and
 * PROBS.csv loaders (internal to the loader).
 *
 * libcsv neither counts lines nor reports positions, so the reader feeds it
 * one line at a time and keeps, for every record, the line and byte offset
 * where it started, and for an open quoted field the line where it opened.
 * A line ends at CR, LF or CRLF (as libcsv ends records, and as RFC 4180
 * readers accept them), so line numbers and record offsets agree with the
 * records libcsv delivers. A NUL byte is bad input at once (a binary file or
 * /dev/zero would otherwise grow one field without end).
 * Fields and records go to the caller's callbacks; a callback returns -1 to
 * stop with the error it put in the reader's err.
 */
#ifndef RELABEL_DATASET_CSV_H
#define RELABEL_DATASET_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct csvr {
	const char *path;
	int fd;
	uint64_t start, end;      /* byte range to read; end = UINT64_MAX: to EOF */
	size_t line;              /* 1-based line of the byte being fed */
	uint64_t off;             /* byte offset of the byte being fed */
	size_t rec_line;          /* line where the current record started */
	uint64_t rec_off;         /* offset where the current record started */
	size_t field;             /* 0-based index of the field being read */
	size_t quote_line, quote_field;  /* where the open quoted field began */
	int saw_quote;            /* a '"' was fed */
	int stop_on_quote;        /* fail with ERR_RUNTIME at the first '"' */
	int (*on_field)(struct csvr *r, const char *s, size_t len);
	int (*on_record)(struct csvr *r);
	void *ctx;
	struct err *e;
	int failed;
	int stop;                 /* set by a callback: end after this line */
	void (*progress)(struct csvr *r);  /* after each chunk; may be NULL */
	char delim;               /* field delimiter; 0 = ',' */
	int counted;              /* csvr_run_plain: the range is known to hold
	                             no quote and no CR (its lines were counted
	                             with those checks), so lines are not
	                             searched for them again */
	/* csvr_run_plain: an optional whole-line reader tried before the
	 * field callbacks (rec_line set): 0 when it took the record, 1 to
	 * hand the line to on_field/on_record as usual. It must take only
	 * lines it reads exactly as those callbacks would. */
	int (*on_line)(struct csvr *r, const char *line, size_t len);
};

/* Note in where (if still "") the FILE:LINE:COLUMN of the first byte of the
 * field s[0..len-1] just delivered that is not well-formed UTF-8. */
void csvr_check_utf8(const struct csvr *r, const char *s, size_t len,
		     char *where, size_t size);

/* Read the range [start, end) of the open file fd (skipping a UTF-8 BOM at
 * offset 0) through libcsv. line/off must be set to the position of start.
 * Returns 0, or -1 with r->e filled. */
int csvr_run(struct csvr *r);

/* The same over a range [start, end) (start > 0, end set) holding plain
 * unquoted records ending in '\n' (dataset_plain.c): much faster than
 * libcsv. Returns 0, or where the range needs libcsv after all:
 * PLAIN_LIBCSV at a line that needs libcsv's rules (a quote, CR, NUL, blank
 * line, or a line longer than a chunk): every record before it was
 * delivered, none of its fields, and line/off are that line's, so
 * csvr_run may go on from there; PLAIN_FAILED where a callback failed or
 * a read did: the caller resets its state and calls csvr_run on the whole
 * range, which then gives the exact result or error. */
enum { PLAIN_LIBCSV = 1, PLAIN_FAILED = 2 };
int csvr_run_plain(struct csvr *r);

#endif
