/* canvas.h — an in-memory grid of terminal cells that views draw into.
 *
 * Only the terminal front end turns a canvas into curses calls; tests and the
 * headless front end read it as text. A cell holds one grapheme (a base
 * character plus combining marks, UTF-8) and its display width; the right
 * half of a wide character is a cell of width 0. Styles are named roles that
 * the front end maps to colours or, without colour, to attributes. An
 * explicit RGB foreground/background (image pixels) overrides the role's.
 */
#ifndef RELABEL_CANVAS_H
#define RELABEL_CANVAS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CANVAS_COLOR_DEFAULT 0u            /* use the role's colour */
#define CANVAS_RGB(r, g, b) \
	(0x01000000u | ((uint32_t)(r) << 16) | ((uint32_t)(g) << 8) | (uint32_t)(b))
#define CANVAS_IS_RGB(c) (((c) & 0x01000000u) != 0)
#define CANVAS_R(c) (((c) >> 16) & 0xffu)
#define CANVAS_G(c) (((c) >> 8) & 0xffu)
#define CANVAS_B(c) ((c) & 0xffu)

struct canvas_cell {
	char text[16];     /* UTF-8 grapheme, NUL-terminated; "" = blank */
	uint8_t width;     /* 1 or 2; 0 = right half of a wide character */
	uint16_t style;    /* a role from the UI's theme (0 = normal) */
	uint32_t fg, bg;   /* CANVAS_COLOR_DEFAULT or CANVAS_RGB(...) */
};

struct canvas {
	int cols, rows;
	struct canvas_cell *cells;   /* rows*cols, row-major */
};

/* Styles: the roles a view can ask for; the terminal maps them to colours
 * or, without colour, to attributes. */
enum canvas_style {
	ST_NORMAL = 0, ST_TITLE, ST_SELECTED, ST_STATUS, ST_KEY, ST_DIM,
	ST_ACCEPT, ST_REJECT, ST_EXCLUDE, ST_RELABEL, ST_GIVEN, ST_SUGGESTED,
	ST_BAR, ST_ERROR, ST_HEAT1, ST_HEAT2, ST_HEAT3, ST_HEAT4, ST_CURSOR,
	ST_COUNT
};

struct canvas *canvas_new(int cols, int rows);
void canvas_free(struct canvas *c);
void canvas_resize(struct canvas *c, int cols, int rows);
/* Blank every cell (style normal). */
void canvas_clear(struct canvas *c);
struct canvas_cell *canvas_at(struct canvas *c, int x, int y);
/* Write UTF-8 text at (x, y), at most maxcols columns (and never past the
 * right edge), as textwidth.h describes: wide characters take two cells and
 * are never cut in half, combining marks join the previous cell, control
 * characters, invalid bytes, C1 and bidi controls are written in visible
 * form ("\e", "\xe9", "<U+202E>"), a tab as spaces to the next multiple of
 * 8 columns from x, and characters terminals disagree on (ZWJ, variation
 * selectors, skin-tone modifiers, ...) are left out. Returns the columns
 * written. */
int canvas_put(struct canvas *c, int x, int y, const char *text, int maxcols,
	       uint16_t style);
/* printf into canvas_put. */
int canvas_printf(struct canvas *c, int x, int y, int maxcols, uint16_t style,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Set the style of w cells from (x, y) (text unchanged), or fill them with
 * spaces in that style. */
void canvas_style(struct canvas *c, int x, int y, int w, uint16_t style);
void canvas_fill(struct canvas *c, int x, int y, int w, int h, uint16_t style);
/* The canvas as text, one line per row, trailing spaces kept. */
void canvas_write_text(const struct canvas *c, FILE *f);

#endif
