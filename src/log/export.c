/* export.c — the cleaned dataset and its manifest (see export.h). Unchanged
 * records are copied as raw bytes using the loader's record offsets, so
 * quoting, line ends and everything else stay as they were (written to a
 * terminal, they are shown in visible form, see sanitize.h). */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "effective.h"
#include "export_formats.h"
#include "hash.h"
#include "output.h"
#include "sanitize.h"
#include "util.h"

/* Copy bytes [from, to) of fd to f through buf. */
static int copy_bytes(int fd, uint64_t from, uint64_t to, FILE *f, char *buf,
		      size_t cap)
{
	while (from < to) {
		size_t want = to - from < cap ? (size_t)(to - from) : cap;
		ssize_t got = pread(fd, buf, want, (off_t)from);
		if (got <= 0)
			return -1;
		if (san_needed(buf, (size_t)got) && san_is_terminal(f))   /* shown to a person */
			got = (ssize_t)san_fwrite_lines(buf, (size_t)got,
							from + (uint64_t)got < to, f);
		else if (fwrite(buf, 1, (size_t)got, f) != (size_t)got)
			return -1;
		from += (uint64_t)got;
	}
	return 0;
}

/* Where the content of the raw record [a, b) ends: before the line end
 * and any blank lines that follow it (CR and LF bytes; a record's last field
 * cannot end in one unless quoted, and then it ends in '"'). */
static int content_end(int fd, uint64_t a, uint64_t b, uint64_t *end)
{
	char buf[4096];
	while (b > a) {
		size_t want = b - a < sizeof buf ? (size_t)(b - a) : sizeof buf;
		if (pread(fd, buf, want, (off_t)(b - want)) != (ssize_t)want)
			return -1;
		size_t i = want;
		while (i > 0 && (buf[i - 1] == '\n' || buf[i - 1] == '\r'))
			i--;
		b -= want - i;
		if (i > 0)
			break;
	}
	*end = b;
	return 0;
}

/* A changed record: every field re-written with minimal quoting and the
 * new label, then the record's own line end and blank lines, as bytes. */
static int write_changed(const struct dataset *d, size_t row, const char *label,
			 int fd, FILE *f, char *buf, size_t cap)
{
	uint64_t a = d->row_offset[row], b = d->row_offset[row + 1], end;
	if (content_end(fd, a, b, &end) < 0)
		return -1;
	for (size_t c = 0; c < d->ncols; c++) {
		if (c)
			fputc(d->delim ? d->delim : ',', f);
		export_field(f, (int)c == d->label_col ? label : dataset_cell(d, row, c), d->delim);
	}
	return copy_bytes(fd, end, b, f, buf, cap);
}

/* The decisions (id <= upto) of each row, in id order: row r's are
 * idx[start[r] .. start[r + 1]), indices into the request's dec[]. One
 * counting pass, so the manifest is linear in rows + decisions. */
struct by_row {
	size_t *start, *idx;
};

static void by_row_build(struct by_row *b, const struct export_req *r)
{
	size_t n = r->d->n;
	b->start = xcalloc(n + 2, sizeof *b->start);
	size_t m = 0;
	while (m < r->ndec && r->dec[m].id <= r->upto)
		m++;
	for (size_t i = 0; i < m; i++)
		if (r->dec[i].row < n)
			b->start[r->dec[i].row + 2]++;
	for (size_t row = 2; row < n + 2; row++)
		b->start[row] += b->start[row - 1];
	b->idx = xmallocarray(m ? m : 1, sizeof *b->idx);
	for (size_t i = 0; i < m; i++)
		if (r->dec[i].row < n)
			b->idx[b->start[r->dec[i].row + 1]++] = i;
}

static void by_row_free(struct by_row *b)
{
	free(b->start);
	free(b->idx);
}

static void manifest_change(FILE *m, const struct export_req *r, const struct by_row *b,
			    size_t row, const char *old, const char *new, int first, long w)
{
	char idbuf[32];
	fprintf(m, "%s    {\"row\": %zu, \"id\": ", first ? "" : ",\n", row);
	out_json_string(m, dataset_id(r->d, row, idbuf));
	if (w >= 0)      /* the deciding decision's action: accept, relabel, confirm, ... */
		fprintf(m, ", \"action\": \"%s\"", log_action_name(r->dec[w].action));
	fputs(", \"old\": ", m);
	out_json_string(m, old);
	fputs(", \"new\": ", m);
	if (new)
		out_json_string(m, new);
	else
		fputs("null", m);
	fprintf(m, ", \"excluded\": %s, \"decisions\": [", new ? "false" : "true");
	const size_t *own = b->idx + b->start[row];
	size_t nown = b->start[row + 1] - b->start[row];
	for (size_t k = 0; k < nown; k++) {
		fputs(k ? ", " : "", m);
		out_json_string(m, r->dec[own[k]].uuid);
	}
	fputs("], \"reviewers\": [", m);
	int n = 0;
	for (size_t k = 0; k < nown; k++) {
		const char *who = r->dec[own[k]].reviewer;
		int seen = 0;
		for (size_t j = 0; j < k && !seen; j++)
			seen = !strcmp(r->dec[own[j]].reviewer, who);
		if (!seen) {
			fputs(n++ ? ", " : "", m);
			out_json_string(m, who);
		}
	}
	fputs("]}", m);
}

/* The decision with this id (dec[] is in id order), or NULL. */
static const struct log_decision *find_decision(const struct export_req *r, int64_t id)
{
	size_t lo = 0, hi = r->ndec;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->dec[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ndec && r->dec[lo].id == id ? &r->dec[lo] : NULL;
}

/* Every note: the log's note records and decisions' own notes (relabel
 * decide --note), with the example, the decision they are attached to,
 * who wrote them and when. Notes are not sealed by versions. */
static void manifest_notes(FILE *m, const struct export_req *r)
{
	int n = 0;
	char idbuf[32];
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct log_note *nt = &r->notes[i];
		if (nt->row >= r->d->n)
			continue;
		fprintf(m, "%s\n    {\"row\": %zu, \"id\": ", n++ ? "," : "", nt->row);
		out_json_string(m, dataset_id(r->d, nt->row, idbuf));
		fputs(", \"decision\": ", m);
		const struct log_decision *to = nt->decision_id ?
			find_decision(r, nt->decision_id) : NULL;
		const char *uuid = to ? to->uuid : NULL;
		if (uuid)
			out_json_string(m, uuid);
		else
			fputs("null", m);
		fputs(", \"reviewer\": ", m);
		out_json_string(m, nt->reviewer);
		fprintf(m, ", \"role\": \"%s\", \"time\": ", nt->expert ? "expert" : "annotator");
		out_json_string(m, nt->time);
		fputs(", \"text\": ", m);
		out_json_string(m, nt->text);
		fputc('}', m);
	}
	for (size_t i = 0; i < r->ndec && r->dec[i].id <= r->upto; i++) {
		const struct log_decision *dd = &r->dec[i];
		if (!dd->note || !*dd->note || dd->row >= r->d->n)
			continue;
		fprintf(m, "%s\n    {\"row\": %zu, \"id\": ", n++ ? "," : "", dd->row);
		out_json_string(m, dataset_id(r->d, dd->row, idbuf));
		fprintf(m, ", \"decision\": \"%s\", \"reviewer\": ", dd->uuid);
		out_json_string(m, dd->reviewer);
		fprintf(m, ", \"role\": \"%s\", \"time\": ", dd->expert ? "expert" : "annotator");
		out_json_string(m, dd->time);
		fputs(", \"text\": ", m);
		out_json_string(m, dd->note);
		fputc('}', m);
	}
	if (n)
		fputs("\n  ", m);
}

static int write_rows(const struct export_req *r, const int32_t *win, int fd, FILE *f,
		      FILE *m, struct export_counts *c)
{
	struct by_row b = { 0 };
	if (m)
		by_row_build(&b, r);
	const struct dataset *d = r->d;
	size_t cap = 1 << 20;
	char *buf = xmalloc(cap);
	int rc = copy_bytes(fd, 0, d->row_offset[0], f, buf, cap);
	uint64_t pending = d->row_offset[0];   /* start of raw bytes not yet copied */
	for (size_t row = 0; row < d->n && rc == 0; row++) {
		const char *given = dataset_cell(d, row, (size_t)d->label_col);
		const char *label = effective_label(r->dec, win[row], given);
		if (label && !strcmp(label, given))
			continue;                 /* unchanged: copied with its neighbours */
		rc = copy_bytes(fd, pending, d->row_offset[row], f, buf, cap);
		pending = d->row_offset[row + 1];
		if (rc == 0 && label)
			rc = write_changed(d, row, label, fd, f, buf, cap);
		if (m)
			manifest_change(m, r, &b, row, given, label, c->changed + c->excluded == 0,
					win[row]);
		if (label)
			c->changed++;
		else
			c->excluded++;
	}
	if (rc == 0)
		rc = copy_bytes(fd, pending, d->row_offset[d->n], f, buf, cap);
	free(buf);
	by_row_free(&b);
	c->rows_in = d->n;
	c->rows_out = d->n - c->excluded;
	return rc;
}

int export_write(const struct export_req *r, struct export_counts *c, struct err *e)
{
	const struct dataset *d = r->d;
	char sha[65];
	memset(c, 0, sizeof *c);
	if (dataset_hash_input(d->data_path, sha, NULL, e) < 0)
		return -1;
	if (strcmp(sha, r->data_sha256))
		return err_set(e, ERR_INPUT, "%s: changed since the corrections log was "
			       "made for it; refusing to export from it", d->data_path);
	uint64_t size;
	int fd = dataset_open_input(d->data_path, "the data file", &size, e);
	if (fd < 0)
		return -1;
	int32_t *win = xmallocarray(d->n, sizeof *win);
	effective_winners(r->dec, r->ndec, r->upto, d->n, win);
	struct out o, mo;
	int rc = out_open(&o, r->out_path, e);
	if (rc == 0 && r->manifest_path && (rc = out_open(&mo, r->manifest_path, e)) < 0)
		out_abort(&o);
	FILE *m = rc == 0 && r->manifest_path ? mo.f : NULL;
	if (rc == 0) {
		if (m)
			fputs("{\n  \"changes\": [\n", m);
		if (write_rows(r, win, fd, o.f, m, c) < 0) {
			rc = err_set(e, ERR_RUNTIME, "%s: cannot export: %s", r->out_path,
				     strerror(errno));
			out_abort(&o);
			if (m)
				out_abort(&mo);
		}
	}
	if (rc == 0 && m) {
		fputs("\n  ],\n  \"notes\": [", m);
		manifest_notes(m, r);
		fprintf(m, "],\n  \"version\": ");
		if (r->version >= 0)
			fprintf(m, "%ld", r->version);
		else
			fputs("\"working\"", m);
		fputs(",\n  \"source\": {\"data\": ", m);
		out_json_string(m, d->data_path);
		fprintf(m, ", \"sha256\": \"%s\"", sha);
		if (d->probs_path) {
			fputs(", \"probs\": ", m);
			out_json_string(m, d->probs_path);
		}
		fputs("},\n  \"output\": ", m);
		out_json_string(m, r->out_path);
		fprintf(m, ",\n  \"rows_in\": %zu, \"rows_out\": %zu, \"changed\": %zu, "
			"\"excluded\": %zu\n}\n", c->rows_in, c->rows_out, c->changed, c->excluded);
	}
	/* The data first, then the manifest that describes it. */
	if (rc == 0 && (rc = out_close(&o, e)) < 0 && m)
		out_abort(&mo);
	if (rc == 0 && m)
		rc = out_close(&mo, e);
	free(win);
	close(fd);
	return rc;
}
