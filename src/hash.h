/* hash.h — SHA-256 of a file (nettle), as 64 lowercase hex digits. */
#ifndef RELABEL_HASH_H
#define RELABEL_HASH_H

#include <stdint.h>

#include "err.h"

/* Hash the file at path into hex (65 bytes incl. NUL) and its size. */
int hash_file_sha256(const char *path, char hex[65], uint64_t *size, struct err *e);

#endif
