/* err.h — the error value every fallible function fills.
 *
 * Convention: a fallible function returns 0 on success and -1 on failure,
 * after writing one human-readable message into a caller-supplied struct err.
 * Data errors name the place: "FILE:LINE:COLUMN: what was wrong; what was
 * expected". `code` says how the program should exit (ERR_INPUT = bad usage or
 * bad input, exit 2; ERR_RUNTIME = anything else, exit 1).
 */
#ifndef RELABEL_ERR_H
#define RELABEL_ERR_H

#include <stddef.h>

enum err_code { ERR_NONE = 0, ERR_RUNTIME = 1, ERR_INPUT = 2 };

struct err {
	enum err_code code;
	char msg[1024];
};

/* Fill e (if not NULL) with a printf-style message and code; returns -1 so a
 * caller can write `return err_set(e, ERR_INPUT, "...")`. */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like err_set, prefixed with "FILE:LINE:COLUMN: " (line and column 1-based;
 * a column of 0 is left out). */
int err_at(struct err *e, const char *file, size_t line, size_t col,
	   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Reset to "no error". */
void err_clear(struct err *e);

#endif
