/* dataset_csv.c — feeding libcsv line by line to know where records and
 * quoted fields start (see dataset_csv.h). Fields are passed through as
 * libcsv delivers them, NUL-terminated (CSV_APPEND_NULL); spaces are kept
 * (RFC 4180: they are part of the field). */
#include "dataset_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "utf8.h"

#define CHUNK (1u << 20)

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void cb_field(void *s, size_t len, void *data)
{
	struct csvr *r = data;
	if (r->failed)
		return;
	if (r->on_field(r, s ? s : "", len) < 0)
		r->failed = 1;
	r->field++;
}

static void cb_record(int c, void *data)
{
	struct csvr *r = data;
	(void)c;
	if (r->failed)
		return;
	if (r->on_record(r) < 0)
		r->failed = 1;
	r->field = 0;
}

/* Say what libcsv's strict check refused, in the reader's words. */
static int quote_error(struct csvr *r, struct csv_parser *p)
{
	if (csv_error(p) == CSV_ENOMEM || csv_error(p) == CSV_ETOOBIG)
		return err_set(r->e, ERR_RUNTIME, "%s:%zu: out of memory reading a "
			       "field", r->path, r->line);
	if (p->quoted)
		return err_at(r->e, r->path, r->line, r->field + 1,
			      "text after the closing '\"' of a quoted field; "
			      "expected a comma or the end of the line (inner quotes "
			      "are doubled: \"\")");
	return err_at(r->e, r->path, r->line, r->field + 1,
		      "'\"' inside an unquoted field; expected a field either "
		      "without '\"' or fully enclosed in quotes with inner quotes "
		      "doubled");
}

/* Feed one segment (a line or part of one, never holding a line end except
 * as its last byte) to libcsv. */
static int feed(struct csvr *r, struct csv_parser *p, const char *s, size_t len,
		int line_start)
{
	if (line_start && p->pstate == 0) {
		r->rec_line = r->line;
		r->rec_off = r->off;
		r->field = 0;
	}
	if (r->stop_on_quote && memchr(s, '"', len)) {
		r->saw_quote = 1;
		return err_set(r->e, ERR_RUNTIME, "quoted field");
	}
	const char *nul = memchr(s, '\0', len);
	size_t part = nul ? (size_t)(nul - s) : len;
	int was_quoted = p->quoted;
	size_t field_before = r->field;
	if (csv_parse(p, s, part, cb_field, cb_record, r) != part) {
		if (r->failed)
			return -1;
		return quote_error(r, p);
	}
	if (r->failed)
		return -1;
	if (nul)
		return err_at(r->e, r->path, r->line, r->field + 1, "NUL byte "
			      "(offset %llu; a binary file?); expected CSV text",
			      (unsigned long long)(r->off + part));
	if (p->quoted && (!was_quoted || r->field != field_before)) {
		r->quote_line = r->line;
		r->quote_field = r->field + 1;
	}
	/* libcsv grows a field's buffer by blk_size at a time: keep the step
	 * as large as the buffer, so that a long field costs O(length). */
	if (p->entry_size > p->blk_size)
		csv_set_blk_size(p, p->entry_size);
	return 0;
}

/* Line ends (CR, LF, CRLF) in s[0..len-1]. */
static size_t count_eol(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' ? i == 0 || s[i - 1] != '\r' : s[i] == '\r')
			n++;
	return n;
}

void csvr_check_utf8(const struct csvr *r, const char *s, size_t len,
		     char *where, size_t size)
{
	if (where[0])
		return;
	size_t bad = utf8_first_bad(s, len);
	if (bad == len)
		return;
	/* r->line is the line where the field ended */
	size_t line = r->line - count_eol(s, len) + count_eol(s, bad);
	snprintf(where, size, "%s:%zu:%zu", r->path, line, r->field + 1);
}

static int fail_fini(struct csvr *r)
{
	if (r->failed)
		return -1;
	return err_at(r->e, r->path, r->quote_line, r->quote_field,
		      "quoted field is never closed; expected a closing '\"'");
}

int csvr_run(struct csvr *r)
{
	struct csv_parser p;
	char *buf = NULL;
	int rc = -1, line_start = 1, prev_cr = 0;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return err_set(r->e, ERR_RUNTIME, "out of memory");
	csv_set_space_func(&p, no_space);
	if (r->delim)
		csv_set_delim(&p, (unsigned char)r->delim);
	csv_set_blk_size(&p, 1 << 16);   /* libcsv's default step is 128 bytes */
	buf = malloc(CHUNK);
	if (!buf) {
		err_set(r->e, ERR_RUNTIME, "out of memory");
		goto out;
	}
	uint64_t pos = r->start;
	r->rec_line = r->line;
	r->rec_off = r->off;
	for (;;) {
		size_t want = CHUNK;
		if (r->end != UINT64_MAX && r->end - pos < want)
			want = (size_t)(r->end - pos);
		if (want == 0)
			break;
		ssize_t got = pread(r->fd, buf, want, (off_t)pos);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err_set(r->e, ERR_RUNTIME, "%s: read failed: %s", r->path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		size_t i = 0, n = (size_t)got;
		if (pos == 0 && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
			i = 3;
			r->off = 3;
		}
		pos += n;
		/* the next CR and LF; looked up again once passed */
		char *cr = memchr(buf + i, '\r', n - i), *lf = memchr(buf + i, '\n', n - i);
		while (i < n) {
			/* the next line end: CR or LF; a CRLF pair is one line */
			if (cr && cr < buf + i)
				cr = memchr(buf + i, '\r', n - i);
			if (lf && lf < buf + i)
				lf = memchr(buf + i, '\n', n - i);
			char *eol = !cr ? lf : !lf ? cr : cr < lf ? cr : lf;
			size_t seg = eol ? (size_t)(eol - (buf + i)) + 1 : n - i;
			if (feed(r, &p, buf + i, seg, line_start) < 0)
				goto out;
			r->off += seg;
			i += seg;
			line_start = eol != NULL;
			if (eol && !(*eol == '\n' && seg == 1 && prev_cr))
				r->line++;
			prev_cr = eol && *eol == '\r';
			if (r->stop) {
				/* end after the whole line end (the LF of a CRLF) */
				char ch;
				if (prev_cr && (i < n ? buf[i] == '\n' :
						pread(r->fd, &ch, 1, (off_t)pos) == 1 && ch == '\n'))
					r->off++;
				rc = 0;
				goto out;
			}
		}
		if (r->progress)
			r->progress(r);
	}
	if (csv_fini(&p, cb_field, cb_record, r) != 0 || r->failed) {
		fail_fini(r);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	csv_free(&p);
	return rc;
}
