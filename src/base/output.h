/* output.h — writing results: CSV/TSV/JSON field quoting, shortest
 * round-trip doubles, and where output files go: atomic replacement of
 * regular files, in-place writing of devices, FIFOs and descriptors, and the
 * refusal of outputs that would overwrite an input or each other. */
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
/* The same, for a stream that is not the final output (a buffer that is
 * copied there): terminal says whether that output is a terminal. */
void out_csv_field_for(FILE *f, const char *s, int terminal);
void out_tsv_field_for(FILE *f, const char *s, int terminal);
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

/* ---- where outputs go ----------------------------------------------------
 *
 * Every file relabel writes (-o, --manifest, --save-probs, ...) goes through
 * out_open/out_close, which decide by what the path names:
 *   - NULL or "-": standard output, written in place;
 *   - /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: that descriptor
 *     (duplicated), written in place;
 *   - a character or block device, FIFO or socket: opened (connected) and
 *     written in place, no temporary file, no rename;
 *   - a regular file, or a name that does not exist yet: written to an
 *     unnamed temporary file (O_TMPFILE) in the same directory and linked
 *     into place only if everything was written; where the file system has
 *     no O_TMPFILE, a named OUT.tmp.PID.XXXXXX removed on failure, on a
 *     signal, and (after a kill -9) by the next run that writes OUT.
 * Symbolic links are followed: the file at the end of the chain is what is
 * written or replaced, so a link stays a link. A replaced file keeps its
 * mode (and owner, where allowed); a new one gets 0666 & ~umask. A
 * directory, or a name whose directory does not exist, is bad input.
 * Write errors on any kind of target are reported by out_close. While a
 * named in-place output is open SIGPIPE is ignored, so a reader that goes
 * away is a reported write error (standard output keeps the usual
 * behaviour).
 */
struct out {
	FILE *f;
	char *path;            /* as given ("-" for standard output) */
	char *final, *tmp;     /* file replaced; named temporary file, if any */
	int kind, anon, existed, slot, sigpipe;
};
int out_open(struct out *o, const char *path, struct err *e);
/* Finish the output: flush, fsync, and put the file in place. Returns -1
 * (ERR_RUNTIME) if anything failed, and then nothing was put in place. */
int out_close(struct out *o, struct err *e);
/* Drop a half-written output (removes the temporary file). */
void out_abort(struct out *o);

/* ---- outputs must not be the program's inputs -----------------------------
 *
 * Commands register the files they read or keep before any work is done;
 * out_check (at once) and out_open (again, when it opens) refuse an output
 * that is the same file as one of them: same device and inode, or, for a
 * file that does not exist yet, the same name in the same directory, so
 * ./d.csv, sub/../d.csv, hard and symbolic links are all caught. Roles are
 * written into messages ("DATA", "PROBS", "the corrections log"). */
void out_protect(const char *role, const char *path);
/* The corrections log and its -wal, -shm and -journal files. */
void out_protect_log(const char *path);
/* Forget every registered file (for tests). */
void out_protect_reset(void);

/* One output of a command: the option that names it ("-o") and its path
 * (NULL or "-" = standard output). */
struct out_spec {
	const char *option, *path;
};
/* Check outputs before any work is done: each must be writable as
 * described above (ERR_INPUT for a directory or a missing directory,
 * ERR_RUNTIME for an unwritable place), none may be a registered input
 * (ERR_INPUT), and no two may be the same file or both standard output
 * (ERR_INPUT). Entries with a NULL option are skipped. */
int out_check(const struct out_spec *s, size_t n, struct err *e);

#endif
