/* sanitize.h — the one visible form of untrusted text for people.
 *
 * Everything relabel prints for a person (messages, log, diff, stats, the
 * review screen, CSV/TSV written to a terminal) passes through san_char, so
 * that no byte of a dataset, a log or a command-line argument can act on the
 * terminal. Valid printable UTF-8 is kept as is; these are shown escaped:
 *   C0 controls and DEL   \a \b \t \n \v \f \r \e, else \xNN
 *   an invalid UTF-8 byte \xNN (the byte)
 *   C1 controls (U+0080..U+009F) and the bidi embeddings, overrides and
 *   isolates (U+202A..U+202E, U+2066..U+2069)   <U+XXXX>
 * Machine formats (JSON, CSV/TSV to a file or pipe) keep the data exact and
 * do not use this module.
 */
#ifndef RELABEL_SANITIZE_H
#define RELABEL_SANITIZE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define SAN_ESC_MAX 12   /* longest visible form, "<U+XXXX>", plus NUL */

/* Look at the character at s (len > 0 bytes available): returns the bytes it
 * takes (at least 1) and its code point in *cp (U+FFFD for an invalid byte).
 * esc is "" if the character is shown as is, else its visible form. */
size_t san_char(const char *s, size_t len, unsigned *cp, char esc[SAN_ESC_MAX]);

/* s in visible form, into buf (size n, cut at a character boundary when it
 * does not fit); returns buf. */
char *san_buf(char *buf, size_t n, const char *s);
/* s in visible form as a new string (the caller frees it). */
char *san_dup(const char *s);
/* Write s in visible form to f. */
void san_fputs(const char *s, FILE *f);
/* Write n bytes of text in visible form to f, keeping its line ends (LF and
 * CRLF) as they are: for CSV records shown on a terminal. With more set
 * (the text continues in a next call), a character cut at the end is left
 * for that call. Returns the bytes consumed. */
size_t san_fwrite_lines(const char *s, size_t n, int more, FILE *f);
/* printf whose format is trusted and written as is, while every %s and %c
 * argument is written in visible form. Supports the conversions of C11
 * except %n. Returns the bytes written or -1. */
int san_vfprintf(FILE *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int san_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int san_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A class name in visible form with its leading and trailing spaces shown as
 * "␠" (U+2420), so that "cat" and "cat " differ wherever they are shown;
 * into buf (size n); returns buf. */
char *san_class(char *buf, size_t n, const char *name);

/* Whether any character of s (len bytes) is shown escaped (cheap: no
 * allocation, decoding only past the first byte that is not printable
 * ASCII). */
int san_needed(const char *s, size_t len);
/* Whether f is a terminal (cached for stdin, stdout and stderr). Ask only
 * when san_needed says it matters: it is a system call for other streams. */
int san_is_terminal(FILE *f);

#endif
