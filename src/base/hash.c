/* hash.c — file content hashes with nettle's SHA-256 (the only file that
 * includes nettle). */
#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int hash_file_sha256(const char *path, char hex[65], uint64_t *size, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
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
