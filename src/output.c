/* output.c — field quoting, number formatting and atomic output files. */
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "textwidth.h"
#include "utf8.h"
#include "util.h"

/* A field for a terminal is shown in visible form (a file or pipe gets it
 * exact); *vis is the copy to free. */
static const char *for_terminal(FILE *f, const char *s, char **vis)
{
	*vis = san_needed(s, strlen(s)) && san_is_terminal(f) ? san_dup(s) : NULL;
	return *vis ? *vis : s;
}

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
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

void out_csv_field(FILE *f, const char *s)
{
	char *vis;
	csv_field(f, for_terminal(f, s, &vis));
	free(vis);
}

void out_tsv_field(FILE *f, const char *s)
{
	char *vis;
	s = for_terminal(f, s, &vis);
	for (const char *p = s; *p; p++)
		switch (*p) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(*p, f);
		}
	free(vis);
}

size_t out_json_replaced;

/* The one JSON string writer: every JSON output goes through it. */
void out_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t n = utf8_seq(p + i, len - i);
			unsigned cp = 0;
			if (n == 2)
				cp = (c & 0x1Fu) << 6 | (p[i + 1] & 0x3Fu);
			else if (n == 3)
				cp = (c & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
			if (!n) {
				fputs("\\ufffd", f);     /* not UTF-8: U+FFFD */
				out_json_replaced++;
				i++;
				continue;
			}
			/* C1 and bidi controls escaped (a terminal would obey them) */
			if ((cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
			    (cp >= 0x2066 && cp <= 0x2069))
				fprintf(f, "\\u%04x", cp);
			else
				fwrite(p + i, 1, n, f);
			i += n;
			continue;
		}
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
		i++;
	}
	fputc('"', f);
}

void out_double(FILE *f, double x)
{
	if (!isfinite(x)) {
		fputs("null", f);
		return;
	}
	char buf[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	fputs(buf, f);
}

int out_open(struct out *o, const char *path, struct err *e)
{
	memset(o, 0, sizeof *o);
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->path = xstrdup(path);
	o->tmp = xmalloc(strlen(path) + 32);
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		err_set(e, ERR_RUNTIME, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(o->tmp);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return -1;
	}
	return 0;
}

int out_close(struct out *o, struct err *e)
{
	if (!o->path) {
		if (fflush(o->f) != 0 || ferror(o->f))
			return err_set(e, ERR_RUNTIME, "writing output failed: %s",
				       strerror(errno));
		return 0;
	}
	int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	int saved = errno, rc = 0;
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (bad || rename(o->tmp, o->path) != 0) {
		rc = err_set(e, ERR_RUNTIME, "%s: cannot write: %s", o->path,
			     strerror(bad ? saved : errno));
		unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return rc;
}

void out_abort(struct out *o)
{
	if (o->path) {
			fclose(o->f);
		unlink(o->tmp);
		free(o->path);
		free(o->tmp);
	}
	memset(o, 0, sizeof *o);
}
