/* err.c — filling struct err (see err.h). Never allocates. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	return -1;
}

int err_at(struct err *e, const char *file, size_t line, size_t col,
	   const char *fmt, ...)
{
	if (!e)
		return -1;
	int n;
	if (col)
		n = snprintf(e->msg, sizeof e->msg, "%s:%zu:%zu: ", file, line, col);
	else
		n = snprintf(e->msg, sizeof e->msg, "%s:%zu: ", file, line);
	if (n < 0 || (size_t)n >= sizeof e->msg)
		n = (int)strlen(e->msg);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
	va_end(ap);
	e->code = ERR_INPUT;
	return -1;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = ERR_NONE;
		e->msg[0] = '\0';
	}
}
