/* util.h — allocation that cannot fail silently, and the last-resort exit.
 *
 * xmalloc & co. call die() on out-of-memory: relabel treats running out of
 * memory as fatal (like a broken invariant), everything else is an error
 * value (err.h). die() runs the registered cleanup hook first, so the
 * terminal front end can restore the screen before the message is printed.
 */
#ifndef RELABEL_UTIL_H
#define RELABEL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* n * size with overflow check (dies on overflow). */
void *xmallocarray(size_t n, size_t size);
/* The same for a large array written soon after in full: transparent huge
 * pages are asked for (fewer page faults on its first write). */
void *xmallocarray_big(size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Print "relabel: MESSAGE" to stderr and exit(1), after the cleanup hook. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* One hook, run once by die() before printing (e.g. endwin()). */
void util_set_die_hook(void (*hook)(void));
/* How die() writes its message (vfprintf until set; the program sets
 * san_vfprintf, so that a message never carries terminal controls). */
void util_set_die_writer(int (*writer)(FILE *, const char *, va_list));

/* A monotonic clock in seconds, for durations. */
double util_seconds(void);

#endif
