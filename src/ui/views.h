/* views.h — the review screen's overlays and fixed sizes (views*.c). */
#ifndef RELABEL_VIEWS_H
#define RELABEL_VIEWS_H

#include "canvas.h"
#include "ui.h"

#define VIEW_MIN_COLS 60
#define VIEW_MIN_ROWS 16

void view_help(struct ui *u, struct canvas *c);
void view_stats(struct ui *u, struct canvas *c);
void view_picker(struct ui *u, struct canvas *c);
void view_prompt(struct ui *u, struct canvas *c);
/* The current image full-screen (views_zoom.c). */
void view_zoom(struct ui *u, struct canvas *c);
/* The box the zoom view fits the image to on a screen of cols x rows. */
struct img_box ui_zoom_box(const struct ui *u, int cols, int rows);
/* Ask the front end to draw a pixel-mode thumbnail at (x, y) (no-op for
 * symbol modes, whose cells are already in the canvas). */
void ui_picture_set(struct ui *u, long row, int x, int y, const struct thumb *t);

#endif
