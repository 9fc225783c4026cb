/* hash.h — SHA-256 of a file or a buffer (nettle), as 64 lowercase hex
 * digits; and FNV-1a, the fast hash of short strings (ids, words). */
#ifndef RELABEL_HASH_H
#define RELABEL_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Hash the file at path into hex (65 bytes incl. NUL) and its size. */
int hash_file_sha256(const char *path, char hex[65], uint64_t *size, struct err *e);
/* The same of what fd reads from its offset on (closed after; name for
 * errors). */
int hash_fd_sha256(int fd, const char *name, char hex[65], uint64_t *size, struct err *e);
/* Start hashing the regular file at path on a thread of its own; the next
 * hash_file_sha256 of the same path takes the result (waiting for it) if
 * the file's device, inode, size and modification time are unchanged, and
 * hashes it afresh otherwise. At most 4 at a time; silently does nothing
 * where it cannot. */
void hash_file_prefetch(const char *path);
/* SHA-256 of len bytes at buf as hex (65 bytes incl. NUL). */
void hash_sha256_hex(const void *buf, size_t len, char hex[65]);

/* Hash len bytes of memory into hex. */
void hash_mem_sha256(const void *data, size_t len, char hex[65]);

/* 64-bit FNV-1a of len bytes at s (not for integrity: for tables). */
static inline uint64_t hash_fnv1a(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

#endif
