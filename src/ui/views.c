/* views.c — drawing the review screen's list view into a canvas: title,
 * list pane, example detail (labels, probability bars, preview), status
 * bar and key bar. Layout is a pure function of the canvas size; below
 * 60x16 a "terminal too small" notice is drawn instead. Overlays (help,
 * picker, prompt, stats) are in views_overlay.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "review_tools.h"
#include "utf8.h"
#include "textwidth.h"
#include "ui_tools.h"
#include "util.h"
#include "views.h"

static uint16_t state_style(enum review_state s)
{
	switch (s) {
	case RS_ACCEPTED: return ST_ACCEPT;
	case RS_RELABELLED: return ST_RELABEL;
	case RS_REJECTED: return ST_REJECT;
	case RS_EXCLUDED: return ST_EXCLUDE;
	default: return ST_DIM;
	}
}

static int filtered(const struct review *rv)
{
	return rv->filter.given >= 0 || rv->filter.suggested >= 0 || rv->filter.state != RS_ANY;
}

static void draw_list(struct ui *u, struct canvas *c, int x, int y, int w, int h)
{
	struct review *rv = u->rv;
	const struct dataset *d = rv->d;
	/* narrow: no score column, so that the decision and its label fit */
	int sw = w >= 50 ? 7 : 0, idw = w >= 64 ? 12 : 0, rest = w - 6 - sw - (idw ? idw + 1 : 0);
	int pw = rest * 2 / 5 > 14 ? rest * 2 / 5 : 14, dw = rest - pw - 1;
	int xs = x + 6, xp = x + 6 + sw, xd = xp + pw + 1, xi = xd + dw + 1;
	canvas_put(c, x, y, " rank", 5, ST_DIM);
	if (sw)
		canvas_put(c, xs, y, "score", 6, ST_DIM);
	canvas_put(c, xp, y, pw >= 17 ? "given → suggested" : "given → sugg.", pw, ST_DIM);
	canvas_put(c, xd, y, "decision", dw, ST_DIM);
	if (idw)
		canvas_put(c, xi, y, "id", idw, ST_DIM);
	int rows = h - 1;
	u->page = rows > 1 ? rows - 1 : 1;
	if ((int)rv->cursor < u->list_top)
		u->list_top = (int)rv->cursor;
	if ((int)rv->cursor >= u->list_top + rows)
		u->list_top = (int)rv->cursor - rows + 1;
	if (!rv->qlen)
		canvas_put(c, x + 1, y + 2, filtered(rv) ? "nothing matches the filter (F clears it)" :
			   "nothing to review", w - 1, ST_DIM);
	int half = (pw - 3) / 2;
	for (int i = 0; i < rows && u->list_top + i < (int)rv->qlen; i++) {
		size_t qi = (size_t)(u->list_top + i), row = rv->queue[qi];
		int sel = qi == rv->cursor;
		uint16_t st = sel ? ST_SELECTED : ST_NORMAL;
		int yy = y + 1 + i;
		canvas_fill(c, x, yy, w, 1, st);
		char pair[256], name1[80], name2[80], idbuf[32], dec[256];
		tw_fit_class(name1, sizeof name1, d->class_names[d->labels[row]], (size_t)half, 0);
		tw_fit_class(name2, sizeof name2, d->class_names[rv->scan->suggested[row]], (size_t)half, 0);
		snprintf(pair, sizeof pair, "%s → %s", name1, name2);
		long rank = rv->rank[row];
		canvas_put(c, x, yy, sel ? ">" : " ", 1, st);
		const char *why = review_tools_mark(rv, row);   /* added by hand, spot check */
		if (rank >= 0)
			canvas_printf(c, x + 1, yy, 4, st, "%4ld", rank + 1);
		else
			canvas_put(c, x + 1, yy, why ? (why[0] == 's' ? "spot" : "hand") : "   -", 4, st);
		if (sw)
			canvas_printf(c, xs, yy, 6, st, "%.4f", rv->scan->scores[row]);
		canvas_put(c, xp, yy, pair, pw, st);
		review_row_text(rv, row, dec, sizeof dec);
		enum review_state s = review_annotator_hidden(rv, row) ? RS_UNDECIDED :
				      review_state_of(rv, row);
		uint16_t ds = sel ? st : review_disagrees(rv, row) ? ST_ERROR :
			      review_by_other(rv, row) ? ST_DIM : state_style(s);
		canvas_put(c, xd, yy, dec, dw, ds);
		if (idw)
			canvas_put(c, xi, yy, dataset_id(d, row, idbuf), idw, st);
	}
}

/* One bar: the key that picks the class (1-9, 0), G/S marks, name, bar,
 * probability. */
static void draw_bar(struct ui *u, struct canvas *c, size_t row, int j, int rank,
		     int x, int y, int w)
{
	const struct dataset *d = u->rv->d;
	const double *p = d->probs + row * d->k;
	int given = j == d->labels[row], sugg = j == u->rv->scan->suggested[row];
	int namew = w >= 40 ? 14 : 10, barw = w - namew - 14;
	int key = rank < 10 ? ui_pick_key(rank) : 0;
	if (key)
		canvas_printf(c, x, y, 1, ST_KEY, "%c", key);
	canvas_printf(c, x + 2, y, 2, given ? ST_GIVEN : sugg ? ST_SUGGESTED : ST_NORMAL,
		      "%c%c", given ? 'G' : ' ', sugg ? 'S' : ' ');
	char name[80];
	tw_fit_class(name, sizeof name, d->class_names[j], (size_t)namew, 1);
	canvas_put(c, x + 5, y, name, namew, ST_NORMAL);
	int len = barw > 0 ? (int)(p[j] * barw + 0.5) : 0;
	for (int b = 0; b < len; b++)
		canvas_put(c, x + 6 + namew + b, y, "█", 1,
			   given ? ST_GIVEN : sugg ? ST_SUGGESTED : ST_BAR);
	canvas_printf(c, x + 7 + namew + (barw > 0 ? barw : 0), y, 7, ST_NORMAL, "%.3f", p[j]);
}

/* Bars of the model's classes, most likely first, numbered by the key that
 * relabels to them; the given class is marked G and the suggested one S,
 * so no meaning rests on colour alone. When not every class fits in h
 * lines, the middle is elided ("… 3 more") and the given and suggested
 * classes are always shown. */
static int draw_bars(struct ui *u, struct canvas *c, size_t row, int x, int y, int w, int h)
{
	const struct dataset *d = u->rv->d;
	int k = (int)d->k, *order = xmallocarray(d->k, sizeof *order);
	ui_class_order(u, row, order);
	if (h > 12)
		h = 12;
	if (h < 3)
		h = 3;
	int gi = 0, si = 0;
	for (int i = 0; i < k; i++) {
		if (order[i] == d->labels[row])
			gi = i;
		if (order[i] == u->rv->scan->suggested[row])
			si = i;
	}
	int n = 0;
	if (k <= h) {
		for (int i = 0; i < k; i++)
			draw_bar(u, c, row, order[i], i, x, y + n++, w);
	} else {
		/* The top lines, then "… N more", then the G/S rows below them. */
		int top = h - 1, tail = 0;
		for (;;) {
			tail = (gi >= top) + (si >= top && si != gi);
			if (top + 1 + tail <= h || top == 0)
				break;
			top--;
		}
		for (int i = 0; i < top; i++)
			draw_bar(u, c, row, order[i], i, x, y + n++, w);
		canvas_printf(c, x + 5, y + n++, w - 5, ST_DIM, "… %d more hidden", k - top - tail);
		for (int i = top; i < k; i++)
			if ((i == gi || i == si))
				draw_bar(u, c, row, order[i], i, x, y + n++, w);
	}
	free(order);
	return n;
}

/* Text wrapped at spaces by display width; returns lines drawn. */
static void draw_wrapped(struct canvas *c, const char *text, int x, int y, int w,
			 int h, int skip)
{
	int line = 0;
	const char *p = text;
	while (*p && line - skip < h) {
		const char *start = p, *brk = NULL;
		int cols = 0;
		while (*p && *p != '\n' && !(p[0] == '\r' && p[1] == '\n')) {
			struct tw_glyph g;
			size_t n = tw_glyph(p, strlen(p), &g);
			int cw = g.kind == TW_TAB ? TW_TAB_COLS(cols) : g.cols;
			if (cols + cw > w && cols > 0)
				break;
			cols += cw;
			p += n;
			if (g.cp == ' ' || g.cp == '\t')
				brk = p;
		}
		const char *end = p;
		if (p[0] == '\r' && p[1] == '\n')   /* CRLF ends the line like LF */
			p++;
		if (*p && *p != '\n' && brk)
			end = p = brk;
		if (line >= skip) {
			char buf[2048];
			size_t n = (size_t)(end - start) < sizeof buf - 1 ? (size_t)(end - start) : sizeof buf - 1;
			memcpy(buf, start, n);
			buf[n] = '\0';
			canvas_put(c, x, y + line - skip, buf, w, ST_NORMAL);
		}
		line++;
		if (*p == '\n')
			p++;
	}
}

/* The path of a row's image: its image cell, relative to DATA.csv's folder
 * (or --image-root, or the image folder). */
static void image_path(const struct dataset *d, size_t row, char *path, size_t n)
{
	dataset_image_path(d, row, path, n);
}

int ui_prefetch(struct ui *u)
{
	if (review_search_prepare(u->rv, 20000))   /* the search index, a slice at a time */
		return 1;
	return review_tools_idle(u->rv);   /* search-all's index */
}

void ui_prepare(struct ui *u)
{
	struct review *rv = u->rv;
	struct thumb_req req[4];
	char paths[4][4096];
	int n = 0;
	long cur = review_row(rv);
	if (rv->d->image_col >= 0 && !u->images_off && u->img_box.cols > 0 && cur >= 0 &&
	    cur == u->img_path_row && (u->mode == UI_LIST || u->mode == UI_ZOOM ||
				       u->mode == UI_PROMPT)) {
		/* the next two examples as the preview pane shows them (two
		 * workers make them side by side), the current one's zoom view
		 * (from its decoded image, kept: quick to make on the spot
		 * too), then the third example */
		for (size_t a = 1; a <= 4; a++) {
			if (a == 3) {
				if (u->zoom_box.cols > 0) {
					snprintf(paths[n], sizeof paths[n], "%s", u->img_path);
					req[n] = (struct thumb_req){ cur, paths[n], u->zoom_box };
					n++;
				}
				continue;
			}
			size_t next = rv->cursor + (a < 3 ? a : a - 1);
			if (next >= rv->qlen)
				continue;
			long row = (long)rv->queue[next];
			image_path(rv->d, (size_t)row, paths[n], sizeof paths[n]);
			req[n] = (struct thumb_req){ row, paths[n], u->img_box };
			n++;
		}
	}
	thumbcache_prepare(&u->tc, req, n);
}

static void draw_image(struct ui *u, struct canvas *c, size_t row, int x, int y, int w, int h)
{
	const struct dataset *d = u->rv->d;
	const char *img = dataset_cell(d, row, (size_t)d->image_col);
	char path[4096];
	image_path(d, row, path, sizeof path);
	snprintf(u->img_path, sizeof u->img_path, "%s", path);    /* for the zoom view */
	u->img_path_row = (long)row;
	int mode = u->image_mode < 0 ? IMG_SYMBOLS : u->image_mode;
	if (u->images_off || mode == IMG_NONE || h < 3) {
		struct stat sb;
		canvas_printf(c, x, y, w, ST_NORMAL, "image: %s", img);
		if (stat(path, &sb) == 0)
			canvas_printf(c, x, y + 1, w, ST_DIM, "%lld bytes (previews off)", (long long)sb.st_size);
		return;
	}
	u->img_box = (struct img_box){ w, h - 1, (enum img_mode)mode, u->cell_w, u->cell_h,
				     u->colors };
	u->zoom_box = ui_zoom_box(u, c->cols, c->rows);
	const struct thumb_entry *t = thumbcache_get(&u->tc, (long)row, path, &u->img_box);
	if (!t->ok) {
		canvas_printf(c, x, y, w, ST_NORMAL, "image: %s", img);
		canvas_put(c, x, y + 1, t->err, w, ST_ERROR);
		return;
	}
	thumb_draw(&t->t, c, x, y);
	ui_picture_set(u, (long)row, x, y, &t->t);
	canvas_printf(c, x, y + t->t.rows, w, ST_DIM, "%s (%dx%d)", img, t->w, t->h);
}

static void draw_preview(struct ui *u, struct canvas *c, size_t row, int x, int y, int w, int h)
{
	const struct dataset *d = u->rv->d;
	if (h <= 0)
		return;
	if (d->text_col >= 0)
		draw_wrapped(c, dataset_cell(d, row, (size_t)d->text_col), x, y, w, h, u->preview_top);
	else if (d->image_col >= 0)
		draw_image(u, c, row, x, y, w, h);
	else
		canvas_put(c, x, y, "(no text or image column)", w, ST_DIM);
}

/* "2026-12-02T15:04:05.123Z" -> "2026-12-02 15:04" */
static void short_time(const char *iso, char *buf, size_t n)
{
	snprintf(buf, n, "%.10s %.5s", iso, strlen(iso) > 11 ? iso + 11 : "");
}

/* A decision in the detail pane: what it did and to which label, then who,
 * when, and its note. Returns the lines drawn. */
static int draw_decision(struct ui *u, struct canvas *c, const char *what,
			 const struct log_decision *dd, int x, int y, int w, uint16_t st)
{
	struct review *rv = u->rv;
	char text[256], when[40];
	review_decision_text(rv, dd, 0, text, sizeof text);
	short_time(dd->time, when, sizeof when);
	canvas_printf(c, x, y, w, st, "%-10s %s", what, text);
	canvas_printf(c, x, y + 1, w, ST_DIM, "  %s%s %s", dd->reviewer,
		      dd->expert ? " (expert)" : "", when);
	if (!dd->note)
		return 2;
	canvas_printf(c, x, y + 2, w, ST_NORMAL, "  note: %s", dd->note);
	return 3;
}

static void draw_detail(struct ui *u, struct canvas *c, int x, int y, int w, int h)
{
	struct review *rv = u->rv;
	const struct dataset *d = rv->d;
	long row = review_row(rv);
	if (row < 0)
		return;
	char idbuf[32], cls[1024];
	const char *why = review_tools_mark(rv, (size_t)row);
	canvas_printf(c, x, y, w, ST_TITLE, "row %ld  id %s%s%s", row, dataset_id(d, (size_t)row, idbuf),
		      why ? "  " : "", why ? why : "");
	canvas_printf(c, x, y + 1, w, ST_GIVEN, "given:     %s",
		      san_class(cls, sizeof cls, d->class_names[d->labels[row]]));
	canvas_printf(c, x, y + 2, w, ST_SUGGESTED, "suggested: %s",
		      san_class(cls, sizeof cls, d->class_names[rv->scan->suggested[row]]));
	int yy = y + 3;
	long w1 = rv->win1[row], w2 = rv->win2[row];
	int hidden = review_annotator_hidden(rv, (size_t)row);
	if (rv->expert) {
		if (hidden)
			canvas_put(c, x, yy++, "annotator: (hidden until you decide)", w, ST_DIM);
		else if (w1 >= 0)
			yy += draw_decision(u, c, "annotator:", &rv->dec[w1], x, yy, w, ST_NORMAL);
		if (w2 >= 0) {
			enum review_state s = review_state_of(rv, (size_t)row);
			yy += draw_decision(u, c, "expert:", &rv->dec[w2], x, yy, w,
					    review_disagrees(rv, (size_t)row) ? ST_ERROR : state_style(s));
		}
		if (review_disagrees(rv, (size_t)row))
			canvas_put(c, x, yy++, "≠ the passes disagree", w, ST_ERROR);
	} else if (rv->win[row] >= 0) {
		enum review_state s = review_state_of(rv, (size_t)row);
		yy += draw_decision(u, c, "decision:", &rv->dec[rv->win[row]], x, yy, w, state_style(s));
	}
	const struct log_note *notes[2];
	size_t nn = review_notes_of(rv, (size_t)row, notes, 2);
	for (size_t i = 0; i < nn && i < 2; i++) {
		char when[40];
		short_time(notes[i]->time, when, sizeof when);
		canvas_printf(c, x, yy++, w, ST_NORMAL, "note:      %s", notes[i]->text);
		canvas_printf(c, x, yy++, w, ST_DIM, "  %s %s%s", notes[i]->reviewer, when,
			      i == 1 && nn > 2 ? " (older notes: relabel log)" : "");
	}
	yy++;
	int bars = draw_bars(u, c, (size_t)row, x, yy, w, (h - (yy - y)) / 2);
	yy += bars + 1;
	draw_preview(u, c, (size_t)row, x, yy, w, h - (yy - y));
}

/* Where the line of `p` that fits in w columns ends: after its last space
 * when the text goes on and there is one, else at the width. */
static const char *line_end(const char *p, int w)
{
	int cols = 0;
	const char *q = p, *brk = NULL;
	while (*q) {
		unsigned cp;
		size_t nb = utf8_decode(q, strlen(q), &cp);
		int cw = tw_cp_width(cp);
		if (cols + cw > w)
			break;
		cols += cw;
		q += nb;
		if (cp == ' ')
			brk = q;
	}
	return *q && brk ? brk : q;
}

/* The status message on the status line when it fits after `o`, else
 * wrapped at spaces on up to 4 lines just above it (never cut off on any
 * message the session writes). */
static void draw_message(struct canvas *c, const struct review *rv, int o, int y)
{
	const char *m = rv->message;
	int room = c->cols - o - 1;
	uint16_t st = rv->message_error ? ST_ERROR : ST_STATUS;
	if ((int)tw_width(m) <= room) {
		canvas_put(c, o + 1, y, m, room, st);
		return;
	}
	int w = c->cols - 2, lines = 0;
	for (const char *p = m; *p && lines < 4; lines++)
		p = line_end(p, w);
	const char *p = m;
	for (int i = 0; i < lines && *p; i++) {
		const char *q = line_end(p, w);
		int yy = y - lines + i;
		char buf[600];
		size_t nb = (size_t)(q - p) < sizeof buf - 1 ? (size_t)(q - p) : sizeof buf - 1;
		memcpy(buf, p, nb);
		buf[nb] = '\0';
		canvas_fill(c, 0, yy, c->cols, 1, st);
		canvas_put(c, 1, yy, buf, w, st);
		p = q;
	}
}

static void draw_status(struct ui *u, struct canvas *c, int y)
{
	struct review *rv = u->rv;
	struct review_progress p;
	review_progress(rv, &p);
	char filt[300], bar[64], prog[160];
	review_filter_text(rv, filt, sizeof filt);
	int bw = 10, fill = p.total ? (int)((double)p.decided * bw / (double)p.total) : 0;
	for (int i = 0; i < bw; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[bw] = '\0';
	if (rv->expert)
		snprintf(prog, sizeof prog, "decided %zu/%zu annotated [%s]", p.decided,
			 p.total, bar);
	else
		snprintf(prog, sizeof prog, "decided %zu/%zu flagged [%s]", p.decided, p.total, bar);
	if (rv->expert && p.disagree)
		snprintf(prog + strlen(prog), sizeof prog - strlen(prog), " %zu disagree", p.disagree);
	else if (!rv->expert && p.others)
		snprintf(prog + strlen(prog), sizeof prog - strlen(prog), " (%zu by others)",
			 p.others);
	canvas_fill(c, 0, y, c->cols, 1, ST_STATUS);
	int o = canvas_printf(c, 0, y, c->cols, ST_STATUS, " %zu/%zu  %s%s%s%s  %.1f/min  %s%s  v%lld ",
			      rv->qlen ? rv->cursor + 1 : 0, rv->qlen,
			      filt[0] ? "filter " : "", filt, filt[0] ? "  " : "", prog,
			      p.per_minute, rv->reviewer, rv->role_expert ? " (expert)" : "",
			      (long long)rv->version);
	if (rv->message[0])
		draw_message(c, rv, o, y);
}

/* The key bar, most needed first (the second review's keys there), then
 * any other action with a bar label; whatever does not fit is left out and
 * "? help" is always last. */
static void draw_keybar(struct ui *u, struct canvas *c, int y)
{
	static const enum ui_action first[] = {
		A_ACCEPT, A_RELABEL, A_PICK, A_REJECT, A_EXCLUDE, A_UNDO, A_NEXT_UNDECIDED,
		A_NOTE, A_FILTER, A_STATS, A_SEARCH, A_SKIP, A_EXPERT, A_QUIT,
	};
	static const enum ui_action second[] = {
		A_CONFIRM, A_BLIND, A_EXPERT, A_ACCEPT, A_RELABEL, A_REJECT, A_EXCLUDE, A_UNDO,
		A_PICK, A_NEXT_UNDECIDED, A_NOTE, A_FILTER, A_STATS, A_SEARCH, A_SKIP, A_QUIT,
	};
	const enum ui_action *order = u->rv->expert ? second : first;
	size_t norder = u->rv->expert ? sizeof second / sizeof *second : sizeof first / sizeof *first;
	const struct action_def *list[64];
	size_t n = 0;
	for (size_t i = 0; i < norder; i++)
		list[n++] = action_def(order[i]);
	for (const struct action_def *a = action_table; a->name && n < 64; a++) {
		int seen = a->action == A_HELP || !a->bar ||
			   (!u->rv->expert && (a->action == A_CONFIRM || a->action == A_BLIND));
		for (size_t i = 0; i < n && !seen; i++)
			seen = list[i] == a;
		if (!seen)
			list[n++] = a;
	}
	int x = 0, reserve = 7;
	for (size_t i = 0; i < n; i++) {
		const struct action_def *a = list[i];
		if (!a || !a->bar)
			continue;
		char key[16];
		snprintf(key, sizeof key, "%s", a->keys[0] == '\t' ? "Tab" : a->keys_text);
		char *sp = strchr(key, ' ');
		if (sp)
			*sp = '\0';
		const char *label = a->action != A_EXPERT ? a->bar :
				    u->rv->expert ? "1st review" : "2nd review";
		int need = (int)tw_width(key) + 1 + (int)tw_width(label) + 2;
		if (x + need > c->cols - reserve)
			break;
		x += canvas_put(c, x, y, key, c->cols - x, ST_KEY);
		x += canvas_printf(c, x, y, c->cols - x, ST_NORMAL, " %s  ", label);
	}
	x += canvas_put(c, x, y, "?", c->cols - x, ST_KEY);
	canvas_printf(c, x, y, c->cols - x, ST_NORMAL, " help");
}

void ui_draw(struct ui *u, struct canvas *c)
{
	canvas_clear(c);
	u->pic.on = 0;
	if (c->cols < VIEW_MIN_COLS || c->rows < VIEW_MIN_ROWS) {
		canvas_printf(c, 0, 0, c->cols, ST_ERROR, "terminal too small");
		canvas_printf(c, 0, 1, c->cols, ST_NORMAL, "need %dx%d, have %dx%d",
			      VIEW_MIN_COLS, VIEW_MIN_ROWS, c->cols, c->rows);
		return;
	}
	if (u->mode == UI_ZOOM) {
		view_zoom(u, c);
		return;
	}
	if (u->mode == UI_HELP || u->mode == UI_STATS) {
		(u->mode == UI_HELP ? view_help : view_stats)(u, c);
		return;
	}
	struct review *rv = u->rv;
	canvas_fill(c, 0, 0, c->cols, 1, ST_TITLE);
	canvas_printf(c, 0, 0, c->cols, ST_TITLE, " relabel  %s  %s%s", rv->d->data_path,
		      rv->expert ? "second review" : "first review",
		      rv->expert && rv->blind ? " (blind)" : "");
	if (u->model_line[0]) {      /* the probabilities' origin, right-aligned */
		const char *m = u->warn_line[0] ? "built-in model: may be unreliable (S)" :
						  "built-in model (S)";
		int mw = (int)tw_width(m);
		canvas_put(c, c->cols - mw - 1, 0, m, mw, u->warn_line[0] ? ST_ERROR : ST_TITLE);
	}
	int lw = c->cols * 11 / 20 < 70 ? c->cols * 11 / 20 : 70, h = c->rows - 3;
	draw_list(u, c, 0, 1, lw, h);
	for (int yy = 1; yy < 1 + h; yy++)
		canvas_put(c, lw, yy, "│", 1, ST_DIM);
	draw_detail(u, c, lw + 2, 1, c->cols - lw - 2, h);
	draw_status(u, c, c->rows - 2);
	draw_keybar(u, c, c->rows - 1);
	if (u->mode == UI_PICKER)
		view_picker(u, c);
	else if (u->mode == UI_PROMPT)
		view_prompt(u, c);
	else if (u->mode == UI_TOOL)
		view_tool(u, c);
}
