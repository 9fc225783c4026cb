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

#endif
