/* dataset_input.c — opening the files a dataset is read from: the
 * delimiter a file is read with (TSV by extension), and gzip inflation
 * (a .gz input is inflated once into an anonymous memory file, so every
 * reader can pread it like the plain file).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "dataset_priv.h"
#include "util.h"

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
	int fd = dataset_open_file(path, what, size, e);
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
