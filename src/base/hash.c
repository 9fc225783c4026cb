/* hash.c — file content hashes with nettle's SHA-256 (the only file that
 * includes nettle), and hashes of files started early on a thread of their
 * own (hash_file_prefetch) so that a command which loads a file and then
 * checks its hash does both at once. */
#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lower-case hex of the digest (a table, not sprintf: the log hashes
 * every record it writes). */
static void hex_digest(struct sha256_ctx *ctx, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char dig[SHA256_DIGEST_SIZE];
	sha256_digest(ctx, sizeof dig, dig);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[dig[i] >> 4];
		hex[2 * i + 1] = digits[dig[i] & 15];
	}
	hex[64] = '\0';
}

void hash_sha256_hex(const void *buf, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, len, buf);
	hex_digest(&ctx, hex);
}

/* Hash the open file fd (closed here). */
static int hash_fd(int fd, const char *path, char hex[65], uint64_t *size, struct err *e)
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	size_t cap = 1 << 20;
	unsigned char *buf = malloc(cap);
	uint64_t total = 0;
	ssize_t got;
	while (buf && ((got = read(fd, buf, cap)) > 0 || (got < 0 && errno == EINTR)))
		if (got > 0) {
			sha256_update(&ctx, (size_t)got, buf);
			total += (uint64_t)got;
		}
	int bad = !buf || got < 0;
	int saved = errno;
	free(buf);
	close(fd);
	if (bad)
		return err_set(e, ERR_RUNTIME, "%s: read failed: %s", path, strerror(saved));
	hex_digest(&ctx, hex);
	if (size)
		*size = total;
	return 0;
}

/* A prefetched hash: the file as it was opened (device, inode, size,
 * modification time), and the result once the thread is joined. */
struct prefetch {
	char *path;
	struct stat st;
	pthread_t th;
	int joined, rc;
	char hex[65];
	uint64_t size;
	struct err err;
	int fd;
};

#define PREFETCH_MAX 4
static struct prefetch prefetched[PREFETCH_MAX];
static pthread_mutex_t prefetch_lock = PTHREAD_MUTEX_INITIALIZER;

static void *prefetch_main(void *arg)
{
	struct prefetch *p = arg;
	p->rc = hash_fd(p->fd, p->path, p->hex, &p->size, &p->err);
	return NULL;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

void hash_file_prefetch(const char *path)
{
	if (!path)
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	pthread_mutex_lock(&prefetch_lock);
	struct prefetch *p = NULL;
	for (size_t i = 0; i < PREFETCH_MAX && !p; i++)
		if (!prefetched[i].path)
			p = &prefetched[i];
	if (!p || fstat(fd, &p->st) < 0 || !S_ISREG(p->st.st_mode) ||
	    !(p->path = strdup(path))) {
		pthread_mutex_unlock(&prefetch_lock);
		close(fd);
		return;
	}
	p->fd = fd;
	p->joined = 0;
	if (pthread_create(&p->th, NULL, prefetch_main, p) != 0) {
		free(p->path);
		p->path = NULL;
		close(fd);
	}
	pthread_mutex_unlock(&prefetch_lock);
}

/* The prefetched hash of path if the file is still the one it read (used
 * once); 1 if there is none. */
static int take_prefetched(const char *path, char hex[65], uint64_t *size, struct err *e)
{
	pthread_mutex_lock(&prefetch_lock);
	struct prefetch *p = NULL;
	for (size_t i = 0; i < PREFETCH_MAX && !p; i++)
		if (prefetched[i].path && !strcmp(prefetched[i].path, path))
			p = &prefetched[i];
	if (!p) {
		pthread_mutex_unlock(&prefetch_lock);
		return 1;
	}
	pthread_join(p->th, NULL);
	free(p->path);
	p->path = NULL;
	struct stat now;
	int rc = 1;
	if (stat(path, &now) == 0 && same_file(&now, &p->st)) {
		rc = p->rc;
		if (rc == 0) {
			memcpy(hex, p->hex, 65);
			if (size)
				*size = p->size;
		} else if (e) {
			*e = p->err;
		}
	}
	pthread_mutex_unlock(&prefetch_lock);
	return rc;
}

int hash_fd_sha256(int fd, const char *name, char hex[65], uint64_t *size, struct err *e)
{
	return hash_fd(fd, name, hex, size, e);
}

int hash_file_sha256(const char *path, char hex[65], uint64_t *size, struct err *e)
{
	int rc = take_prefetched(path, hex, size, e);
	if (rc <= 0)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
	return hash_fd(fd, path, hex, size, e);
}

void hash_mem_sha256(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	unsigned char dig[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof dig, dig);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", dig[i]);
}
