/* util.c — checked allocation and die() (see util.h). */
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static void (*die_hook)(void);
static int (*die_writer)(FILE *, const char *, va_list) = vfprintf;

void util_set_die_writer(int (*writer)(FILE *, const char *, va_list))
{
	die_writer = writer ? writer : vfprintf;
}

void util_set_die_hook(void (*hook)(void))
{
	die_hook = hook;
}

void die(const char *fmt, ...)
{
	void (*hook)(void) = die_hook;
	die_hook = NULL;
	if (hook)
		hook();
	va_list ap;
	va_start(ap, fmt);
	fputs("relabel: ", stderr);
	die_writer(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory (allocating %zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die("out of memory (allocating %zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory (allocating %zu bytes)", n);
	return q;
}

void *xmallocarray(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die("out of memory (%zu x %zu bytes overflows)", n, size);
	return xmalloc(n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

double util_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void *xmallocarray_big(size_t n, size_t size)
{
	void *p = xmallocarray(n, size);
#ifdef MADV_HUGEPAGE
	/* the page-aligned inside of the block (malloc serves big blocks
	 * from a mapping of their own) */
	size_t bytes = n * size, page = 4096;
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t b = ((uintptr_t)p + bytes) & ~(uintptr_t)(page - 1);
	if (bytes >= ((size_t)4 << 20) && b > a)
		madvise((void *)a, b - a, MADV_HUGEPAGE);
#endif
	return p;
}
