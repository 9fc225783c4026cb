/* output.c — field quoting, number formatting, and opening and closing
 * output files (see output.h): atomic replacement through O_TMPFILE (or a
 * named temporary file, see output_tmp.c), in-place writing of standard
 * output, descriptors and special files. What a path names, and which
 * outputs are refused, is output_where.c. */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sanitize.h"
#include "textwidth.h"
#include "utf8.h"
#include "util.h"
#include "output_priv.h"

/* A field for a terminal is shown in visible form (a file or pipe gets it
 * exact); *vis is the copy to free. terminal: 1 or 0, or -1 to ask of f. */
static const char *for_terminal(FILE *f, int terminal, const char *s, char **vis)
{
	*vis = san_needed(s, strlen(s)) && (terminal < 0 ? san_is_terminal(f) : terminal)
	       ? san_dup(s) : NULL;
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

void out_csv_field_for(FILE *f, const char *s, int terminal)
{
	char *vis;
	csv_field(f, for_terminal(f, terminal, s, &vis));
	free(vis);
}

void out_csv_field(FILE *f, const char *s)
{
	out_csv_field_for(f, s, -1);
}

void out_tsv_field(FILE *f, const char *s)
{
	out_tsv_field_for(f, s, -1);
}

void out_tsv_field_for(FILE *f, const char *s, int terminal)
{
	char *vis;
	s = for_terminal(f, terminal, s, &vis);
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
				/* rows may be formatted on several threads */
				__atomic_fetch_add(&out_json_replaced, 1, __ATOMIC_RELAXED);
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

/* ---- opening and closing ----------------------------------------------- */

static int open_socket(const char *p)
{
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	if (strlen(p) >= sizeof a.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a.sun_path, p);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		int er = errno;
		close(fd);
		errno = er;
		fd = -1;
	}
	return fd;
}

/* The temporary file for a regular (or new) target: unnamed if the file
 * system can, else named and tracked. Mode and owner as described. */
static int open_temp(struct out *o, const struct where *w)
{
	const char *base;
	char *dir = out_dir_of(o->final, &base);
	out_clean_leftovers(o->final);
	int fd = -1;
	const char *no = getenv("RELABEL_TEST_NO_TMPFILE");
	/* unnamed if it can be linked into place later (through /proc/self/fd) */
	if ((!no || !*no) && access("/proc/self/fd", X_OK) == 0) {
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
		o->anon = fd >= 0;
		if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
			free(dir);
			return -1;           /* a real failure: no permission, no space */
		}
	}
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		free(o->tmp);
		o->tmp = out_temp_name(o->final);
		o->slot = out_temp_track(o->tmp);
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			int er = errno;
			out_temp_untrack(o->slot);
			o->slot = 0;
			free(o->tmp);
			o->tmp = NULL;
			if ((errno = er) != EEXIST)
				break;
		}
	}
	free(dir);
	if (fd < 0)
		return -1;
	mode_t um = umask(0);
	umask(um);
	if (o->existed && (w->st.st_uid != geteuid() || w->st.st_gid != getegid()) &&
	    fchown(fd, w->st.st_uid, w->st.st_gid) != 0) {
		/* keeping the owner is best effort */
	}
	fchmod(fd, o->existed ? w->st.st_mode & 07777 : 0666 & ~um);
	return fd;
}

int out_open(struct out *o, const char *path, struct err *e)
{
	memset(o, 0, sizeof *o);
	struct where w;
	if (out_resolve(path, &w, e) < 0)
		return -1;
	long p = out_protected_match(&w);
	if (p >= 0) {
		out_where_free(&w);
		return err_set(e, ERR_INPUT, "%s is the same file as %s %s; refusing to write "
			       "over it", out_shown(path), out_protected_role(p), out_protected_path(p));
	}
	o->kind = w.kind;
	o->path = xstrdup(path ? path : "-");
	o->final = w.final;
	o->existed = w.exists;
	int fd = -1;
	switch (w.kind) {
	case K_STDOUT:
		o->f = stdout;
		return 0;
	case K_FD: fd = fcntl(w.fd, F_DUPFD_CLOEXEC, 3); break;
	case K_INPLACE: fd = open(o->final, O_WRONLY | O_NOCTTY | O_CLOEXEC); break;
	case K_SOCKET: fd = open_socket(o->final); break;
	default: fd = open_temp(o, &w); break;
	}
	if (fd >= 0 && !(o->f = fdopen(fd, "w")))
		close(fd), fd = -1;
	if (fd < 0) {
		err_set(e, ERR_RUNTIME, "%s: cannot write: %s", path, strerror(errno));
		out_abort(o);
		return -1;
	}
	if (w.kind != K_REPLACE) {
		out_pipe_ignore();
		o->sigpipe = 1;
	}
	return 0;
}

static int link_fd(int fd, const char *to)
{
	if (linkat(fd, "", AT_FDCWD, to, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno == EEXIST)
		return -1;
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, to, AT_SYMLINK_FOLLOW);
}

/* Put the written temporary file in place of o->final. */
static int commit(struct out *o)
{
	int fd = fileno(o->f);
	if (o->anon) {
		if (!o->existed && link_fd(fd, o->final) == 0)
			return 0;
		if (!o->existed && errno != EEXIST)
			return -1;
		/* replacing: give it a name, then rename that over the target */
		for (int tries = 0; !o->tmp && tries < 100; tries++) {
			char *t = out_temp_name(o->final);
			o->slot = out_temp_track(t);
			if (link_fd(fd, t) == 0) {
				o->tmp = t;
				break;
			}
			int er = errno;
			out_temp_untrack(o->slot);
			o->slot = 0;
			free(t);
			if (er != EEXIST) {
				errno = er;
				return -1;
			}
		}
		if (!o->tmp)
			return -1;
	}
	if (rename(o->tmp, o->final) != 0)
		return -1;
	out_temp_untrack(o->slot);
	o->slot = 0;
	free(o->tmp);
	o->tmp = NULL;
	const char *base;
	char *dir = out_dir_of(o->final, &base);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);          /* best effort: the rename itself is done */
		close(dfd);
	}
	free(dir);
	return 0;
}

int out_close(struct out *o, struct err *e)
{
	if (!o->f)
		return 0;
	int bad = fflush(o->f) != 0 || ferror(o->f);
	int er = errno;
	if (o->kind == K_STDOUT) {
		o->f = NULL;
		out_abort(o);
		return bad ? err_set(e, ERR_RUNTIME, "writing to standard output failed: %s",
				     strerror(er)) : 0;
	}
	struct stat st;
	int sync = o->kind == K_REPLACE ||
		   (o->kind == K_FD && fstat(fileno(o->f), &st) == 0 && S_ISREG(st.st_mode));
	if (!bad && sync && fsync(fileno(o->f)) != 0)
		bad = 1, er = errno;
	if (!bad && o->kind == K_REPLACE && commit(o) != 0)
		bad = 1, er = errno;
	if (fclose(o->f) != 0 && !bad)
		bad = 1, er = errno;
	o->f = NULL;
	int rc = bad ? err_set(e, ERR_RUNTIME, "%s: cannot write: %s", o->path, strerror(er)) : 0;
	out_abort(o);
	return rc;
}

void out_abort(struct out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	out_temp_untrack(o->slot);
	if (o->sigpipe)
		out_pipe_restore();
	free(o->path);
	free(o->final);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}
