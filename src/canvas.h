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

#endif
