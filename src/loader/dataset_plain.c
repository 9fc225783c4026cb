/* dataset_plain.c — the fast tokenizer for plain CSV ranges (see
 * dataset_csv.h): fields split at the delimiter and records at '\n',
 * nothing else; a caller's whole-line reader (on_line) first, if it has one.
 *
 * It serves the same callbacks as csvr_run and sets the same positions
 * (line, rec_line, rec_off, field), but gives up at the first line that
 * would need libcsv's rules — a quote, a carriage return, a NUL, a blank
 * line — before delivering any of it (libcsv may go on from that line),
 * and whenever a callback fails (the caller re-reads the range through
 * libcsv, which stays the one authority on errors and on anything
 * unusual). A range it accepts yields exactly the fields libcsv would have
 * delivered.
 */
#include "dataset_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLAIN_CHUNK (1u << 20)

/* Deliver the record in line[0..len-1] (no '\n'): 0; PLAIN_LIBCSV before
 * delivering anything (a quote, CR, NUL or blank line: libcsv takes over
 * at this line); PLAIN_FAILED when a callback failed. clean: the caller
 * found no quote, CR or NUL in the chunk the line is in. */
static int plain_record(struct csvr *r, char *line, size_t len, int clean)
{
	r->rec_line = r->line;
	r->rec_off = r->off;
	r->field = 0;
	if (len && r->on_line && r->on_line(r, line, len) == 0)
		return 0;
	if (len == 0 || (!clean && ((!r->counted && (memchr(line, '"', len) ||
						    memchr(line, '\r', len))) ||
				    memchr(line, '\0', len))))
		return PLAIN_LIBCSV;
	char *p = line, *end = line + len, delim = r->delim ? r->delim : ',';
	for (;;) {
		char *comma = memchr(p, delim, (size_t)(end - p));
		char *stop = comma ? comma : end;
		char keep = *stop;
		*stop = '\0';
		int rc = r->on_field(r, p, (size_t)(stop - p));
		*stop = keep;
		if (rc < 0)
			return PLAIN_FAILED;
		r->field++;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (r->on_record(r) < 0)
		return PLAIN_FAILED;
	r->field = 0;
	return 0;
}

int csvr_run_plain(struct csvr *r)
{
	if (r->end == UINT64_MAX || r->start == 0)
		return PLAIN_LIBCSV;   /* ranges only, never the BOM at offset 0 */
	/* The buffer holds a partial line carried over plus one chunk, and one
	 * byte more for the terminator written after the last field. */
	size_t cap = 2 * PLAIN_CHUNK + 1, have = 0;
	char *buf = malloc(cap);
	if (!buf)
		return PLAIN_FAILED;
	int rc = 0, clean = 0;
	uint64_t pos = r->start;
	while (pos < r->end && rc == 0) {
		size_t want = PLAIN_CHUNK;
		if (r->end - pos < want)
			want = (size_t)(r->end - pos);
		if (have + want + 1 > cap) {
			rc = PLAIN_LIBCSV;   /* a line longer than a chunk */
			break;
		}
		ssize_t got = pread(r->fd, buf + have, want, (off_t)pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = PLAIN_FAILED;
			break;
		}
		pos += (uint64_t)got;
		have += (size_t)got;
		char *p = buf, *end = buf + have, *nl;
		/* one look at the whole chunk for the bytes that need libcsv,
		 * not three a line (DATA.csv's lines are short); a whole-line
		 * reader (PROBS.csv's) is asked first and its lines are looked
		 * at only where it declines */
		clean = !r->on_line && !memchr(buf, '"', have) && !memchr(buf, '\r', have) &&
			!memchr(buf, '\0', have);
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if ((rc = plain_record(r, p, (size_t)(nl - p), clean)) != 0)
				break;
			r->off += (uint64_t)(nl - p) + 1;
			r->line++;
			p = nl + 1;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
		if (r->progress)
			r->progress(r);
	}
	if (rc == 0 && have) {      /* the file's last line has no '\n' */
		rc = plain_record(r, buf, have, clean);
		if (rc == 0)
			r->off += have;
	}
	free(buf);
	return rc;
}
