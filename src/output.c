/* output.c — field quoting, number formatting, and where output files go
 * (see output.h): what a path names, atomic replacement through O_TMPFILE
 * (or a named temporary file cleaned up on failure, on signals and by the
 * next run), in-place writing of special files, and the refusal of outputs
 * that are the program's own inputs or each other. */
#define _GNU_SOURCE
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void out_csv_field(FILE *f, const char *s)
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

void out_tsv_field(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(*s, f);
		}
}

void out_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
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


/* ---- what a path names ------------------------------------------------- */

enum { K_STDOUT, K_FD, K_INPLACE, K_SOCKET, K_REPLACE };

/* Which file a path is: device and inode if it exists, else the directory
 * it would be created in and its name. */
struct ident {
	int valid, exists, chr, fd;
	dev_t dev;
	ino_t ino;
	char base[NAME_MAX + 1];
};

struct where {
	int kind, fd, exists;
	char *final;           /* symlinks followed (not for K_STDOUT, K_FD) */
	struct stat st;
	struct ident id;
};

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

/* Split p into its directory (malloc'd; "." if none) and its last name. */
static char *dir_of(const char *p, const char **base)
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
				char *d = dir_of(cur, &b);
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
			char *d = dir_of(cur, &b);
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
	char *dir = dir_of(w->final, &base);
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

static void where_free(struct where *w)
{
	free(w->final);
	w->final = NULL;
}

/* What path names and how it is to be written. */
static int resolve(const char *path, struct where *w, struct err *e)
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
		where_free(w);
		return -1;
	}
	if (w->kind == K_FD || !w->exists)
		return 0;
	mode_t m = w->st.st_mode;
	if (S_ISDIR(m)) {
		where_free(w);
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
static long protected_match(const struct where *w)
{
	for (size_t i = 0; i < nprotected; i++) {
		struct where p;
		memset(&p, 0, sizeof p);
		p.kind = K_REPLACE;
		p.fd = -1;
		int ok = follow(protected[i].path, &p, NULL) == 0 &&
			 identify(protected[i].path, &p, NULL) == 0;
		where_free(&p);
		if (ok && same_file(&w->id, &p.id))
			return (long)i;
	}
	return -1;
}

static const char *shown(const char *path)
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
		if (resolve(s[i].path, &w[i], &sub) < 0) {
			int std = !s[i].path || !strcmp(s[i].path, "-");
			rc = err_set(e, sub.code, std ? "%s: %s" : "%s %s", s[i].option, sub.msg);
			break;
		}
		if (w[i].kind == K_REPLACE || w[i].kind == K_INPLACE) {
			const char *base;
			char *dir = dir_of(w[i].final, &base);
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
		long p = protected_match(&w[i]);
		if (p >= 0) {
			rc = err_set(e, ERR_INPUT, "%s %s is the same file as %s %s; refusing to "
				     "write over it", s[i].option, shown(s[i].path),
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
					     "each output its own file", s[i].option, shown(s[i].path),
					     s[j].option, shown(s[j].path));
		}
	}
	for (size_t i = 0; i < n; i++)
		where_free(&w[i]);
	free(w);
	return rc;
}

/* ---- temporary files: names, signals, leftovers ------------------------ */

#define TMP_BASE_MAX 200       /* leaves room for ".tmp.PID.XXXXXX" */
#define MAX_TEMPS 8

static char temp_paths[MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_used[MAX_TEMPS];
static const int temp_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
static struct sigaction temp_old[4];
static int temp_hooked[4], ntemps;

/* A fatal signal while named temporary files exist: remove them, then die
 * of the signal as before. */
static void on_fatal_signal(int sig)
{
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temp_used[i])
			unlink(temp_paths[i]);
	for (int k = 0; k < 4; k++)
		if (temp_signals[k] == sig)
			sigaction(sig, &temp_old[k], NULL);
	raise(sig);
}

/* Remember p for removal on a fatal signal; returns its slot + 1, or 0. */
static int temp_track(const char *p)
{
	if (strlen(p) >= PATH_MAX)
		return 0;
	for (int i = 0; i < MAX_TEMPS; i++) {
		if (temp_used[i])
			continue;
		strcpy(temp_paths[i], p);
		temp_used[i] = 1;
		if (ntemps++ == 0)
			for (int k = 0; k < 4; k++) {
				struct sigaction sa;
				memset(&sa, 0, sizeof sa);
				sa.sa_handler = on_fatal_signal;
				sigemptyset(&sa.sa_mask);
				/* only where nobody else handles (or ignores) the signal */
				temp_hooked[k] = sigaction(temp_signals[k], NULL, &temp_old[k]) == 0 &&
						 temp_old[k].sa_handler == SIG_DFL &&
						 sigaction(temp_signals[k], &sa, NULL) == 0;
			}
		return i + 1;
	}
	return 0;
}

static void temp_untrack(int slot)
{
	if (slot <= 0 || !temp_used[slot - 1])
		return;
	temp_used[slot - 1] = 0;
	if (--ntemps == 0)
		for (int k = 0; k < 4; k++)
			if (temp_hooked[k])
				sigaction(temp_signals[k], &temp_old[k], NULL);
}

/* A fresh name DIR/BASE.tmp.PID.XXXXXX. */
static char *temp_name(const char *final)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long seq;
	const char *base;
	char *dir = dir_of(final, &base);
	size_t bl = strlen(base) < TMP_BASE_MAX ? strlen(base) : TMP_BASE_MAX;
	char *t = xmalloc(strlen(dir) + bl + 40);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
			  (++seq * 2654435761UL);
	char x[7];
	for (int i = 0; i < 6; i++, r /= 62)
		x[i] = abc[r % 62];
	x[6] = '\0';
	sprintf(t, "%s/%.*s.tmp.%ld.%s", dir, (int)bl, base, (long)getpid(), x);
	free(dir);
	return t;
}

/* Remove DIR/BASE.tmp.PID.XXXXXX files left by runs that were killed (their
 * process no longer exists). */
static void clean_leftovers(const char *final)
{
	const char *base;
	char *dir = dir_of(final, &base);
	size_t bl = strlen(base) < TMP_BASE_MAX ? strlen(base) : TMP_BASE_MAX;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *nm = de->d_name, *p = nm + bl;
		if (strncmp(nm, base, bl) || strncmp(p, ".tmp.", 5))
			continue;
		char *end;
		errno = 0;
		long pid = strtol(p + 5, &end, 10);
		struct stat st;
		if (errno || end == p + 5 || *end != '.' || strlen(end + 1) != 6 || pid <= 0 ||
		    pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(d), nm, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			unlinkat(dirfd(d), nm, 0);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* SIGPIPE is ignored while a named in-place output is open. */
static int pipe_ignored;
static struct sigaction pipe_old;

static void pipe_ignore(void)
{
	if (pipe_ignored++ == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_IGN;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGPIPE, &sa, &pipe_old);
	}
}

static void pipe_restore(void)
{
	if (pipe_ignored > 0 && --pipe_ignored == 0)
		sigaction(SIGPIPE, &pipe_old, NULL);
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
	char *dir = dir_of(o->final, &base);
	clean_leftovers(o->final);
	int fd = -1;
	const char *no = getenv("RELABEL_TEST_NO_TMPFILE");
	if ((!no || !*no) && (geteuid() == 0 || access("/proc/self/fd", X_OK) == 0)) {
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
		o->anon = fd >= 0;
		if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
			free(dir);
			return -1;           /* a real failure: no permission, no space */
		}
	}
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		free(o->tmp);
		o->tmp = temp_name(o->final);
		o->slot = temp_track(o->tmp);
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			int er = errno;
			temp_untrack(o->slot);
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
	if (resolve(path, &w, e) < 0)
		return -1;
	long p = protected_match(&w);
	if (p >= 0) {
		where_free(&w);
		return err_set(e, ERR_INPUT, "%s is the same file as %s %s; refusing to write "
			       "over it", shown(path), protected[p].role, protected[p].path);
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
		pipe_ignore();
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
			char *t = temp_name(o->final);
			o->slot = temp_track(t);
			if (link_fd(fd, t) == 0) {
				o->tmp = t;
				break;
			}
			int er = errno;
			temp_untrack(o->slot);
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
	temp_untrack(o->slot);
	o->slot = 0;
	free(o->tmp);
	o->tmp = NULL;
	const char *base;
	char *dir = dir_of(o->final, &base);
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
	temp_untrack(o->slot);
	if (o->sigpipe)
		pipe_restore();
	free(o->path);
	free(o->final);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}
