/* dataset_csv.c — feeding libcsv line by line to know where records and
 * quoted fields start (see dataset_csv.h). Fields are passed through as
 * libcsv delivers them, NUL-terminated (CSV_APPEND_NULL); spaces are kept
 * (RFC 4180: they are part of the field). */
#include "dataset_csv.h"

#include <csv.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

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

/* Feed one segment (a line or part of one) to libcsv. */
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
	int was_quoted = p->quoted;
	size_t field_before = r->field;
	if (csv_parse(p, s, len, cb_field, cb_record, r) != len) {
		if (r->failed)
			return -1;
		return err_at(r->e, r->path, r->line, r->field + 1,
			      "malformed quoting (%s); expected a field either "
			      "unquoted without '\"' or fully enclosed in quotes "
			      "with inner quotes doubled", csv_strerror(csv_error(p)));
	}
	if (r->failed)
		return -1;
	if (p->quoted && (!was_quoted || r->field != field_before)) {
		r->quote_line = r->line;
		r->quote_field = r->field + 1;
	}
	return 0;
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
	int rc = -1, line_start = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return err_set(r->e, ERR_RUNTIME, "out of memory");
	csv_set_space_func(&p, no_space);
	if (r->delim)
		csv_set_delim(&p, (unsigned char)r->delim);
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
		while (i < n) {
			char *nl = memchr(buf + i, '\n', n - i);
			size_t seg = nl ? (size_t)(nl - (buf + i)) + 1 : n - i;
			if (feed(r, &p, buf + i, seg, line_start) < 0)
				goto out;
			r->off += seg;
			i += seg;
			line_start = nl != NULL;
			if (nl)
				r->line++;
			if (r->stop) {
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
