/* dataset_input.c — opening the files a dataset is read from: the
 * delimiter a file is read with (TSV by extension), gzip inflation (a .gz
 * input is inflated once into an anonymous memory file, so every reader
 * can pread it like the plain file), and inputs that are streams.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "dataset_priv.h"
#include "hash.h"
#include "util.h"

/* A pipe or FIFO given as an input (`--probs <(...)`, `... | relabel scan
 * /dev/stdin`) is read once, into an anonymous memory file, and every later
 * open or hash of the same path in this process reads that copy: the
 * readers pread a file in parts, in parallel, and come back to it (the
 * log hashes it, an error message counts its lines), which a stream
 * allows only once. Data and probabilities load on threads of their own,
 * hence the lock. A stream that is not gzip stops at its first NUL byte,
 * as the readers would (`cat /dev/zero |` is refused, not kept). Devices
 * such as /dev/zero are read as files (pread works on them). */
#define STREAMS_MAX 8
static struct stream_copy {
	char *path;
	int fd;
	uint64_t size;
} streams[STREAMS_MAX];
static pthread_mutex_t streams_lock = PTHREAD_MUTEX_INITIALIZER;

/* A descriptor of its own (own offset) on a memory file. */
static int reopen(int fd)
{
	char p[48];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	int n = open(p, O_RDONLY | O_CLOEXEC);
	if (n < 0 && (n = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0)
		lseek(n, 0, SEEK_SET);
	return n;
}

static struct stream_copy *stream_of(const char *path)
{
	for (size_t i = 0; i < STREAMS_MAX && streams[i].path; i++)
		if (!strcmp(streams[i].path, path))
			return &streams[i];
	return NULL;
}

/* Copy the stream fd (closed) into a memory file (returned); made outside
 * the lock, so another input's loading does not wait for it. */
static int copy_stream(int fd, const char *path, uint64_t *size, struct err *e)
{
	int tmp = memfd_create("relabel-stream", MFD_CLOEXEC);
	if (tmp < 0) {
		close(fd);
		return err_set(e, ERR_RUNTIME, "%s: cannot keep a copy of this stream: %s", path,
			       strerror(errno));
	}
	size_t cap = 1 << 20;
	char *buf = xmalloc(cap);
	uint64_t total = 0;
	int rc = 0, text = -1;       /* -1: not known yet (the first two bytes tell) */
	unsigned char first = 0;
	for (;;) {
		ssize_t n = read(fd, buf, cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(e, ERR_INPUT, "%s: read failed: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (total == 0)
			first = (unsigned char)buf[0];
		if (text < 0 && total + (uint64_t)n >= 2)
			text = !(first == 0x1f && (unsigned char)buf[total ? 0 : 1] == 0x8b);
		const char *nul = text == 1 ? memchr(buf, 0, (size_t)n) : NULL;
		if (nul) {
			rc = err_set(e, ERR_INPUT, "%s: NUL byte (offset %llu; a binary stream?); "
				     "expected CSV text", path,
				     (unsigned long long)(total + (uint64_t)(nul - buf)));
			break;
		}
		if (write(tmp, buf, (size_t)n) != n) {
			rc = err_set(e, ERR_RUNTIME, "%s: cannot keep a copy of this stream: %s",
				     path, strerror(errno));
			break;
		}
		total += (uint64_t)n;
	}
	free(buf);
	close(fd);
	if (rc < 0) {
		close(tmp);
		return -1;
	}
	*size = total;
	return tmp;
}

/* Keep the copy tmp under path (called with the lock held); a descriptor
 * of its own on it. */
static int keep_stream(int tmp, const char *path, uint64_t size, struct err *e)
{
	struct stream_copy *c = NULL;
	for (size_t i = 0; i < STREAMS_MAX && !c; i++)
		if (!streams[i].path)
			c = &streams[i];
	if (!c) {
		close(tmp);
		return err_set(e, ERR_RUNTIME, "%s: cannot keep a copy of this stream: too many "
			       "streams given", path);
	}
	c->path = xstrdup(path);
	c->fd = tmp;
	c->size = size;
	int fd = reopen(tmp);
	if (fd < 0)
		err_set(e, ERR_RUNTIME, "%s: cannot read the copy of this stream: %s", path,
			strerror(errno));
	return fd;
}

/* The file at path, or the kept copy of a stream. */
static int open_raw(const char *path, const char *what, uint64_t *size, struct err *e)
{
	pthread_mutex_lock(&streams_lock);
	struct stream_copy *c = stream_of(path);
	int fd;
	if (c) {
		*size = c->size;
		fd = reopen(c->fd);
		if (fd < 0)
			err_set(e, ERR_RUNTIME, "%s: cannot read the copy of this stream: %s", path,
				strerror(errno));
		pthread_mutex_unlock(&streams_lock);
		return fd;
	}
	pthread_mutex_unlock(&streams_lock);
	fd = dataset_open_file(path, what, size, e);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return fd;
	int tmp = copy_stream(fd, path, size, e);
	if (tmp < 0)
		return -1;
	pthread_mutex_lock(&streams_lock);
	fd = keep_stream(tmp, path, *size, e);
	pthread_mutex_unlock(&streams_lock);
	return fd;
}

int dataset_hash_input(const char *path, char hex[65], uint64_t *size, struct err *e)
{
	pthread_mutex_lock(&streams_lock);
	struct stream_copy *c = stream_of(path);
	int fd = c ? reopen(c->fd) : -1;
	pthread_mutex_unlock(&streams_lock);
	if (!c)
		return hash_file_sha256(path, hex, size, e);
	if (fd < 0)
		return err_set(e, ERR_RUNTIME, "%s: cannot read the copy of this stream: %s", path,
			       strerror(errno));
	return hash_fd_sha256(fd, path, hex, size, e);
}

int dataset_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcasecmp(s + n - m, tail);
}

char dataset_delimiter(const struct dataset_opts *o, const char *path)
{
	if (o && o->delimiter)
		return o->delimiter;
	if (dataset_ends_with(path, ".tsv") || dataset_ends_with(path, ".tab") ||
	    dataset_ends_with(path, ".tsv.gz") || dataset_ends_with(path, ".tab.gz"))
		return '\t';
	return ',';
}

int dataset_open_input(const char *path, const char *what, uint64_t *size,
		       struct err *e)
{
	int fd = open_raw(path, what, size, e);
	if (fd < 0)
		return -1;
	unsigned char magic[2];
	if (pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
		return fd;
	int tmp = memfd_create("relabel-inflated", MFD_CLOEXEC);
	if (tmp < 0) {
		close(fd);
		return err_set(e, ERR_RUNTIME, "%s: cannot make a temporary file: %s",
			       path, strerror(errno));
	}
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		close(tmp);
		return err_set(e, ERR_RUNTIME, "%s: cannot start zlib", path);
	}
	size_t cap = 1 << 20;
	char *buf = xmalloc(cap);
	uint64_t total = 0;
	int rc = 0, n;
	while ((n = gzread(gz, buf, (unsigned)cap)) > 0) {
		if (write(tmp, buf, (size_t)n) != n) {
			rc = err_set(e, ERR_RUNTIME, "%s: cannot inflate: %s", path, strerror(errno));
			break;
		}
		total += (uint64_t)n;
	}
	if (rc == 0 && n < 0) {
		int zerr;
		rc = err_set(e, ERR_INPUT, "%s: corrupt gzip data (%s); expected a whole "
			     ".gz file", path, gzerror(gz, &zerr));
	}
	free(buf);
	gzclose(gz);
	if (rc < 0) {
		close(tmp);
		return -1;
	}
	*size = total;
	return tmp;
}

char *dataset_probs_path(const struct dataset_opts *o)
{
	if (o->probs_path)
		return xstrdup(o->probs_path);
	if (!o->data_path)
		return NULL;
	const char *slash = strrchr(o->data_path, '/');
	size_t dir = slash ? (size_t)(slash - o->data_path) + 1 : 0;
	char *p = xmalloc(dir + sizeof "probs.csv");
	memcpy(p, o->data_path, dir);
	strcpy(p + dir, "probs.csv");
	return p;
}
