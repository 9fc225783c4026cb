/* ui.h — the review screen's state above the session: which view is open
 * (list, help, label picker, text prompt, stats, zoom), what is being
 * typed, and how keys and named actions change it. Drawing is ui_draw's
 * (views.c); nothing here knows about curses. */
#ifndef RELABEL_UI_H
#define RELABEL_UI_H

#include "actions.h"
#include "canvas.h"
#include "review.h"
#include "stats.h"
#include "thumbcache.h"

struct ui_tools;

enum ui_mode { UI_LIST, UI_HELP, UI_PICKER, UI_PROMPT, UI_STATS, UI_TOOL, UI_ZOOM };

struct ui {
	struct review *rv;
	struct stats *st;             /* dataset health, computed on first use */
	struct stats st_store;
	enum ui_mode mode;
	enum ui_action prompt_for;    /* A_SEARCH, A_NOTE, A_FILTER or A_COMMIT */
	char input[256];              /* what is typed in a prompt or the picker */
	int picker_sel, picker_top;   /* selected match; first match shown */
	int picker_rows;              /* matches the picker shows at once (drawn) */
	char model_line[300];         /* "built-in model: ..." or "" (probabilities given) */
	char warn_line[300];          /* why confident learning may be unreliable, or "" */
	double health_after;          /* health with the decisions, when S opened */
	int have_after;
	char scan_line[200];          /* how the queue was built (filter_by, rank_by), or "" */
	int help_top, preview_top;
	int stats_given, stats_sugg;  /* selected heatmap cell */
	int list_top;                 /* first queue row shown */
	int page;                     /* rows in a page of the list */
	int image_mode;               /* enum img_mode, or -1 for auto (front end decides) */
	char image_why[128];          /* how the front end chose it (the help screen says) */
	int cell_w, cell_h;           /* the terminal's cell size in pixels, 0 if unknown */
	int colors;                   /* the terminal's palette: 8, 16, 256, or 0 (direct) */
	int images_off;               /* previews toggled off */
	struct thumbcache tc;
	struct img_box img_box;       /* the last image box drawn (prefetch fits to it) */
	struct img_box zoom_box;      /* the zoom view's box on that screen */
	char img_path[4096];          /* the image file of the last example drawn, */
	long img_path_row;            /* of this row (the zoom view shows it) */
	/* A picture in a pixel mode that the front end draws after the frame,
	 * set by every ui_draw (on = 0: none; the front end removes one it
	 * drew). t stays valid until the next ui_draw or ui_prepare. */
	struct ui_picture {
		int on;
		long row;
		int x, y;
		const struct thumb *t;
	} pic;
	int quit;
	struct ui_tools *tools;       /* examples, guidelines, bulk confirmation (ui_tools.h) */
};

void ui_init(struct ui *u, struct review *rv);
void ui_free(struct ui *u);

/* Handle one key; returns 1 when the program should end. */
int ui_key(struct ui *u, int key);
/* Run a named action (scripts); arg as its table entry says. Returns 0, or
 * -1 with the reason in rv->message. */
int ui_run(struct ui *u, enum ui_action a, const char *arg);

/* Draw the whole screen into c (its size is the terminal's). */
void ui_draw(struct ui *u, struct canvas *c);

/* While the reviewer looks at an example: one slice of the search
 * indexes' building. Returns 1 if it did some, 0 when there is nothing
 * left to do. */
int ui_prefetch(struct ui *u);
/* Right after a frame is shown: ask the background worker for the
 * pictures of the next examples (and the current one's zoom view), fitted
 * as the screen just drew them, so that moving on finds them ready. */
void ui_prepare(struct ui *u);

/* Classes matching the picker's typed filter, most likely first for the
 * cursor's example (first class on ties): writes up to max indices,
 * returns how many. */
int ui_picker_matches(const struct ui *u, int *out, int max);
/* Every class of `row`, most likely first (first class on ties); out has
 * room for d->k. */
void ui_class_order(const struct ui *u, size_t row, int *out);
/* The key that picks the i-th shown item of a numbered list: 1-9, then 0,
 * then A-Z; 0 when i has no key. ui_pick_index is the inverse (-1). */
int ui_pick_key(int i);
int ui_pick_index(int key);

#endif
