/* canvas.c — the in-memory cell grid views draw into (see canvas.h). */
#include "canvas.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "textwidth.h"
#include "util.h"

struct canvas *canvas_new(int cols, int rows)
{
	struct canvas *c = xcalloc(1, sizeof *c);
	canvas_resize(c, cols, rows);
	return c;
}

void canvas_free(struct canvas *c)
{
	if (c) {
		free(c->cells);
		free(c);
	}
}

void canvas_resize(struct canvas *c, int cols, int rows)
{
	c->cols = cols < 1 ? 1 : cols;
	c->rows = rows < 1 ? 1 : rows;
	free(c->cells);
	c->cells = xcalloc((size_t)c->cols * (size_t)c->rows, sizeof *c->cells);
	canvas_clear(c);
}

void canvas_clear(struct canvas *c)
{
	canvas_fill(c, 0, 0, c->cols, c->rows, ST_NORMAL);
}

struct canvas_cell *canvas_at(struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->cols || y >= c->rows)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

static void set_blank(struct canvas_cell *cell, uint16_t style)
{
	strcpy(cell->text, " ");
	cell->width = 1;
	cell->style = style;
	cell->fg = cell->bg = CANVAS_COLOR_DEFAULT;
}

void canvas_fill(struct canvas *c, int x, int y, int w, int h, uint16_t style)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++) {
			struct canvas_cell *cell = canvas_at(c, i, j);
			if (cell)
				set_blank(cell, style);
		}
}

void canvas_style(struct canvas *c, int x, int y, int w, uint16_t style)
{
	for (int i = x; i < x + w; i++) {
		struct canvas_cell *cell = canvas_at(c, i, y);
		if (cell)
			cell->style = style;
	}
}

/* Overwriting half of a wide character blanks its other half. */
static void unwide(struct canvas *c, int x, int y)
{
	struct canvas_cell *cell = canvas_at(c, x, y);
	if (!cell)
		return;
	if (cell->width == 0) {
		struct canvas_cell *left = canvas_at(c, x - 1, y);
		if (left)
			set_blank(left, left->style);
	} else if (cell->width == 2) {
		struct canvas_cell *right = canvas_at(c, x + 1, y);
		if (right)
			set_blank(right, right->style);
	}
}

/* One cell of text (width 1 or 2) at (col, y). */
static void put_cell(struct canvas *c, int col, int y, const char *text, size_t n,
		     int w, uint16_t style)
{
	unwide(c, col, y);
	if (w == 2)
		unwide(c, col + 1, y);
	struct canvas_cell *cell = canvas_at(c, col, y);
	memcpy(cell->text, text, n);
	cell->text[n] = '\0';
	cell->width = (uint8_t)w;
	cell->style = style;
	cell->fg = cell->bg = CANVAS_COLOR_DEFAULT;
	if (w == 2) {
		struct canvas_cell *r = canvas_at(c, col + 1, y);
		r->text[0] = '\0';
		r->width = 0;
		r->style = style;
		r->fg = r->bg = CANVAS_COLOR_DEFAULT;
	}
}

int canvas_put(struct canvas *c, int x, int y, const char *text, int maxcols,
	       uint16_t style)
{
	if (y < 0 || y >= c->rows)
		return 0;
	int limit = x + maxcols < c->cols ? x + maxcols : c->cols, col = x;
	size_t len = strlen(text);
	struct canvas_cell *last = NULL;
	while (len) {
		struct tw_glyph g;
		size_t n = tw_glyph(text, len, &g);
		if (g.kind == TW_MARK) {
			size_t have = last ? strlen(last->text) : 0;
			if (last && have + n < sizeof last->text) {
				memcpy(last->text + have, text, n);
				last->text[have + n] = '\0';
			}
		} else if (g.kind != TW_DROP) {
			int w = g.kind == TW_TAB ? TW_TAB_COLS(col - x) : g.cols;
			if (col + w > limit)
				break;
			if (g.kind == TW_CHAR)
				put_cell(c, col, y, text, n, w, style);
			else   /* an escape or a tab: one ASCII cell per column */
				for (int i = 0; i < w; i++)
					put_cell(c, col + i, y, g.kind == TW_TAB ? " " : &g.esc[i],
						 1, 1, style);
			last = g.kind == TW_CHAR ? canvas_at(c, col, y) : NULL;
			col += w;
		}
		text += n;
		len -= n;
	}
	return col - x;
}

int canvas_printf(struct canvas *c, int x, int y, int maxcols, uint16_t style,
		  const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return canvas_put(c, x, y, buf, maxcols, style);
}

void canvas_write_text(const struct canvas *c, FILE *f)
{
	for (int y = 0; y < c->rows; y++) {
		for (int x = 0; x < c->cols; x++) {
			const struct canvas_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
			fputs(cell->text, f);
		}
		fputc('\n', f);
	}
}
