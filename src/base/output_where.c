/* output_where.c — what an output path names (standard output, a
 * descriptor, a device/FIFO/socket written in place, or a regular or new
 * file replaced atomically; symbolic links followed to their final target),
 * which file it is (device and inode), the inputs registered as files no
 * output may be, and out_check (see output.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output_priv.h"
#include "util.h"

/* The descriptor a path names textually (/dev/stdout, /dev/fd/3, ...), or
 * -1. Opening these through the file system would reopen (and, for a
 * regular file, truncate or overwrite) what the descriptor refers to. */
static int fd_path(const char *p)
{
	if (!strcmp(p, "/dev/stdout"))
		return 1;
	if (!strcmp(p, "/dev/stderr"))
		return 2;
	char self[40];
	snprintf(self, sizeof self, "/proc/%ld/fd/", (long)getpid());
	const char *pre[] = { "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", self };
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		size_t n = strlen(pre[i]);
		if (strncmp(p, pre[i], n) || !p[n] || strspn(p + n, "0123456789") != strlen(p + n))
			continue;
		long v = strtol(p + n, NULL, 10);
		return v <= INT_MAX ? (int)v : -1;
	}
	return -1;
}

char *out_dir_of(const char *p, const char **base)
{
	const char *sl = strrchr(p, '/');
	if (!sl) {
		*base = p;
		return xstrdup(".");
	}
	*base = sl + 1;
	return sl == p ? xstrdup("/") : xstrndup(p, (size_t)(sl - p));
}

static char *read_link(const char *p)
{
	for (size_t cap = 256;; cap *= 2) {
		char *buf = xmalloc(cap);
		ssize_t n = readlink(p, buf, cap);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
	}
}

/* Follow path's symbolic links to what it names; fill w->final (or w->fd),
 * w->st and w->exists. -1 with e filled on failure. */
static int follow(const char *path, struct where *w, struct err *e)
{
	char *cur = xstrdup(path);
	for (int hops = 0;; hops++) {
		int fd = fd_path(cur);
		if (fd >= 0) {
			free(cur);
			w->kind = K_FD;
			w->fd = fd;
			return 0;
		}
		if (lstat(cur, &w->st) != 0) {
			if (errno == ENOENT)
				break;
			int er = errno;
			if (er == ENOTDIR) {
				const char *b;
				char *d = out_dir_of(cur, &b);
				err_set(e, ERR_INPUT, "%s: %s is not a directory", path, d);
				free(d);
				free(cur);
				return -1;
			}
			free(cur);
			return err_set(e, er == ELOOP || er == ENAMETOOLONG ? ERR_INPUT : ERR_RUNTIME,
				       "%s: %s", path, strerror(er));
		}
		if (!S_ISLNK(w->st.st_mode)) {
			w->exists = 1;
			break;
		}
		char *t = hops < 40 ? read_link(cur) : NULL;
		if (!t) {
			int er = hops < 40 ? errno : ELOOP;
			free(cur);
			return err_set(e, er == ELOOP ? ERR_INPUT : ERR_RUNTIME, "%s: %s", path,
				       strerror(er));
		}
		if (t[0] != '/') {
			const char *b;
			char *d = out_dir_of(cur, &b);
			char *j = xmalloc(strlen(d) + strlen(t) + 2);
			sprintf(j, "%s/%s", d, t);
			free(d);
			free(t);
			t = j;
		}
		free(cur);
		cur = t;
	}
	w->final = cur;
	return 0;
}

/* Identify the file w names (after follow). */
static int identify(const char *path, struct where *w, struct err *e)
{
	struct ident *id = &w->id;
	if (w->kind == K_STDOUT || w->kind == K_FD) {
		if (fstat(w->fd, &w->st) != 0)
			return w->kind == K_STDOUT ?
				err_set(e, ERR_RUNTIME, "standard output is closed") :
				err_set(e, ERR_RUNTIME, "%s: descriptor %d is not open", path, w->fd);
		w->exists = 1;
		id->fd = w->fd;
	} else {
		id->fd = -1;
	}
	if (w->exists) {
		id->valid = id->exists = 1;
		id->chr = S_ISCHR(w->st.st_mode);
		id->dev = w->st.st_dev;
		id->ino = w->st.st_ino;
		return 0;
	}
	const char *base;
	char *dir = out_dir_of(w->final, &base);
	struct stat ds;
	int rc = 0;
	if (!*base)
		rc = err_set(e, ERR_INPUT, "%s: expected a file name, not a directory", path);
	else if (strlen(base) > NAME_MAX)
		rc = err_set(e, ERR_INPUT, "%s: %s", path, strerror(ENAMETOOLONG));
	else if (stat(dir, &ds) != 0)
		rc = err_set(e, errno == ENOENT || errno == ENOTDIR ? ERR_INPUT : ERR_RUNTIME,
			     errno == ENOENT ? "%s: the directory %s does not exist" : "%s: %s: %s",
			     path, dir, strerror(errno));
	else if (!S_ISDIR(ds.st_mode))
		rc = err_set(e, ERR_INPUT, "%s: %s is not a directory", path, dir);
	if (rc == 0) {
		id->valid = 1;
		id->dev = ds.st_dev;
		id->ino = ds.st_ino;
		snprintf(id->base, sizeof id->base, "%s", base);
	}
	free(dir);
	return rc;
}

void out_where_free(struct where *w)
{
	free(w->final);
	w->final = NULL;
}

/* What path names and how it is to be written. */
int out_resolve(const char *path, struct where *w, struct err *e)
{
	memset(w, 0, sizeof *w);
	w->fd = -1;
	if (!path || !strcmp(path, "-")) {
		w->kind = K_STDOUT;
		w->fd = 1;
		return identify("standard output", w, e);
	}
	if (!*path)
		return err_set(e, ERR_INPUT, "'': expected a file name");
	w->kind = K_REPLACE;
	if (follow(path, w, e) < 0 || identify(path, w, e) < 0) {
		out_where_free(w);
		return -1;
	}
	if (w->kind == K_FD || !w->exists)
		return 0;
	mode_t m = w->st.st_mode;
	if (S_ISDIR(m)) {
		out_where_free(w);
		return err_set(e, ERR_INPUT, "%s: is a directory; expected a file name", path);
	}
	w->kind = S_ISREG(m) ? K_REPLACE : S_ISSOCK(m) ? K_SOCKET : K_INPLACE;
	return 0;
}

/* Two outputs (or an output and an input) that are the same file. A
 * character device (a terminal, /dev/null) is not a file that one output
 * could spoil for another, unless both write through the same descriptor. */
static int same_file(const struct ident *a, const struct ident *b)
{
	if (!a->valid || !b->valid)
		return 0;
	if (a->fd >= 0 && a->fd == b->fd)
		return 1;
	if (a->exists != b->exists || a->dev != b->dev || a->ino != b->ino)
		return 0;
	return a->exists ? !a->chr : !strcmp(a->base, b->base);
}

/* ---- the files outputs must not be ------------------------------------- */

#define MAX_PROTECTED 32
static struct {
	char *role, *path;
} protected[MAX_PROTECTED];
static size_t nprotected;

void out_protect(const char *role, const char *path)
{
	if (!path || nprotected == MAX_PROTECTED)
		return;
	for (size_t i = 0; i < nprotected; i++)
		if (!strcmp(protected[i].role, role) && !strcmp(protected[i].path, path))
			return;
	protected[nprotected].role = xstrdup(role);
	protected[nprotected].path = xstrdup(path);
	nprotected++;
}

void out_protect_log(const char *path)
{
	static const char *const sfx[][2] = {
		{ "", "the corrections log" },
		{ "-wal", "the corrections log's write-ahead log" },
		{ "-shm", "the corrections log's shared-memory file" },
		{ "-journal", "the corrections log's journal" },
	};
	if (!path)
		return;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xmalloc(strlen(path) + 16);
		sprintf(p, "%s%s", path, sfx[i][0]);
		out_protect(sfx[i][1], p);
		free(p);
	}
}

void out_protect_reset(void)
{
	for (size_t i = 0; i < nprotected; i++) {
		free(protected[i].role);
		free(protected[i].path);
	}
	nprotected = 0;
}

/* The first registered input that w is, or -1. */
long out_protected_match(const struct where *w)
{
	for (size_t i = 0; i < nprotected; i++) {
		struct where p;
		memset(&p, 0, sizeof p);
		p.kind = K_REPLACE;
		p.fd = -1;
		int ok = follow(protected[i].path, &p, NULL) == 0 &&
			 identify(protected[i].path, &p, NULL) == 0;
		out_where_free(&p);
		if (ok && same_file(&w->id, &p.id))
			return (long)i;
	}
	return -1;
}

const char *out_protected_role(long i)
{
	return protected[i].role;
}

const char *out_protected_path(long i)
{
	return protected[i].path;
}

const char *out_shown(const char *path)
{
	return path && strcmp(path, "-") ? path : "- (standard output)";
}

int out_check(const struct out_spec *s, size_t n, struct err *e)
{
	struct where *w = xcalloc(n ? n : 1, sizeof *w);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!s[i].option)
			continue;
		struct err sub = { 0 };
		if (out_resolve(s[i].path, &w[i], &sub) < 0) {
			int std = !s[i].path || !strcmp(s[i].path, "-");
			rc = err_set(e, sub.code, std ? "%s: %s" : "%s %s", s[i].option, sub.msg);
			break;
		}
		if (w[i].kind == K_REPLACE || w[i].kind == K_INPLACE) {
			const char *base;
			char *dir = out_dir_of(w[i].final, &base);
			const char *what = w[i].kind == K_REPLACE ? dir : w[i].final;
			int mode = w[i].kind == K_REPLACE ? W_OK | X_OK : W_OK;
			if (access(what, mode) != 0)
				rc = err_set(e, ERR_RUNTIME, "%s %s: cannot write %s%s: %s", s[i].option,
					     s[i].path, w[i].kind == K_REPLACE ? "in " : "", what,
					     strerror(errno));
			free(dir);
			if (rc)
				break;
		}
		long p = out_protected_match(&w[i]);
		if (p >= 0) {
			rc = err_set(e, ERR_INPUT, "%s %s is the same file as %s %s; refusing to "
				     "write over it", s[i].option, out_shown(s[i].path),
				     protected[p].role, protected[p].path);
			break;
		}
		for (size_t j = 0; j < i && rc == 0; j++) {
			if (!s[j].option || !same_file(&w[i].id, &w[j].id))
				continue;
			if (w[i].kind == K_STDOUT && w[j].kind == K_STDOUT)
				rc = err_set(e, ERR_INPUT, "%s and %s both write to standard output; "
					     "send one of them to a file", s[j].option, s[i].option);
			else
				rc = err_set(e, ERR_INPUT, "%s %s is the same file as %s %s; give "
					     "each output its own file", s[i].option, out_shown(s[i].path),
					     s[j].option, out_shown(s[j].path));
		}
	}
	for (size_t i = 0; i < n; i++)
		out_where_free(&w[i]);
	free(w);
	return rc;
}
