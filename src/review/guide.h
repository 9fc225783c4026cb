/* guide.h — labelling guidelines (--guidelines FILE): a Markdown file read
 * once at start, split into sections at its headings, so the review screen
 * can show the sections whose headings name a class.
 *
 * A section is a heading (ATX "# Title" or a setext underline) and what
 * follows it up to the next heading of the same or a higher level. A
 * heading names a class when the class name occurs in it as a whole word,
 * ignoring ASCII case. */
#ifndef RELABEL_GUIDE_H
#define RELABEL_GUIDE_H

#include <stddef.h>

#include "err.h"

struct guide_section {
	int level;            /* 1-6 */
	size_t title;         /* line index of the heading */
	size_t first, end;    /* its lines: [first, end), heading included */
	char *heading;        /* the heading's text, markers removed */
};

struct guide {
	char *path;
	char **lines;         /* the file's lines, NUL-terminated, no newline */
	size_t nlines;
	struct guide_section *sec;
	size_t nsec;
};

/* Read and split FILE. Fails with ERR_INPUT for a file that cannot be read
 * ("FILE: cannot read the guidelines: REASON") or has a NUL byte or
 * invalid UTF-8 (FILE:LINE:COLUMN). */
int guide_load(struct guide **out, const char *path, struct err *e);
void guide_free(struct guide *g);

/* Whether the heading text names `name` (whole word, ASCII case ignored). */
int guide_names(const char *heading, const char *name);

/* The sections naming `name`, in file order: up to max indices into
 * g->sec; returns how many. A section inside one already chosen is left
 * out (it is shown as part of it). */
size_t guide_sections_for(const struct guide *g, const char *name, size_t *out, size_t max);

#endif
