/* views.c — drawing the review screen's list view into a canvas: title,
 * list pane, example detail (labels, probability bars, preview), status
 * bar and key bar. Layout is a pure function of the canvas size; below
 * 60x16 a "terminal too small" notice is drawn instead. Overlays (help,
 * picker, prompt, stats) are in views_overlay.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "textwidth.h"
#include "views.h"

static const char *state_mark(enum review_state s)
{
	static const char *const m[] = { "·", "accepted", "relabelled", "rejected", "excluded" };
	return s >= RS_UNDECIDED && s <= RS_EXCLUDED ? m[s] : "?";
}

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

static void draw_list(struct ui *u, struct canvas *c, int x, int y, int w, int h)
{
	struct review *rv = u->rv;
	const struct dataset *d = rv->d;
	int idw = w >= 64 ? 12 : 0, pw = w - 25 - (idw ? idw + 1 : 0);
	int xs = x + 6, xp = x + 13, xd = xp + pw + 1, xi = xd + 11;
	canvas_put(c, x, y, " rank", 5, ST_DIM);
	canvas_put(c, xs, y, "score", 6, ST_DIM);
	canvas_put(c, xp, y, "given → suggested", pw, ST_DIM);
	canvas_put(c, xd, y, "decision", 10, ST_DIM);
	if (idw)
		canvas_put(c, xi, y, "id", idw, ST_DIM);
	int rows = h - 1;
	u->page = rows > 1 ? rows - 1 : 1;
	if ((int)rv->cursor < u->list_top)
		u->list_top = (int)rv->cursor;
	if ((int)rv->cursor >= u->list_top + rows)
		u->list_top = (int)rv->cursor - rows + 1;
	if (!rv->qlen)
		canvas_put(c, x + 1, y + 2, rv->filter.given >= 0 || rv->filter.suggested >= 0 ||
			   rv->filter.state != RS_ANY ? "nothing matches the filter (F clears it)" :
			   "nothing to review", w - 1, ST_DIM);
	int half = (pw - 3) / 2;
	for (int i = 0; i < rows && u->list_top + i < (int)rv->qlen; i++) {
		size_t qi = (size_t)(u->list_top + i), row = rv->queue[qi];
		int sel = qi == rv->cursor;
		uint16_t st = sel ? ST_SELECTED : ST_NORMAL;
		int yy = y + 1 + i;
		canvas_fill(c, x, yy, w, 1, st);
		char pair[256], name1[80], name2[80], idbuf[32];
		tw_fit(name1, sizeof name1, d->class_names[d->labels[row]], (size_t)half, 0);
		tw_fit(name2, sizeof name2, d->class_names[rv->scan->suggested[row]], (size_t)half, 0);
		snprintf(pair, sizeof pair, "%s → %s", name1, name2);
		long rank = rv->rank[row];
		canvas_put(c, x, yy, sel ? ">" : " ", 1, st);
		if (rank >= 0)
			canvas_printf(c, x + 1, yy, 4, st, "%4ld", rank + 1);
		else
			canvas_put(c, x + 4, yy, "-", 1, st);
		canvas_printf(c, xs, yy, 6, st, "%.4f", rv->scan->scores[row]);
		canvas_put(c, xp, yy, pair, pw, st);
		enum review_state s = review_state_of(rv, row);
		canvas_put(c, xd, yy, state_mark(s), 10, sel ? st : state_style(s));
		if (idw)
			canvas_put(c, xi, yy, dataset_id(d, row, idbuf), idw, st);
	}
}

/* Bars of the model's most likely classes; the given class is marked G and
 * the suggested one S, so no meaning rests on colour alone. */
static int draw_bars(struct ui *u, struct canvas *c, size_t row, int x, int y, int w, int h)
{
	const struct dataset *d = u->rv->d;
	const double *p = d->probs + row * d->k;
	int shown[12], n = 0, max = h < 12 ? h : 12;
	if (max > (int)d->k)
		max = (int)d->k;
	while (n < max) {       /* top classes by probability, first index on ties */
		int best = -1;
		for (size_t j = 0; j < d->k; j++) {
			int used = 0;
			for (int a = 0; a < n; a++)
				used |= shown[a] == (int)j;
			if (!used && (best < 0 || p[j] > p[best]))
				best = (int)j;
		}
		shown[n++] = best;
	}
	int namew = 14, barw = w - namew - 13;
	for (int i = 0; i < n; i++) {
		int j = shown[i];
		int given = j == d->labels[row], sugg = j == u->rv->scan->suggested[row];
		char name[80];
		tw_fit(name, sizeof name, d->class_names[j], (size_t)namew, 1);
		canvas_printf(c, x, y + i, 2, given ? ST_GIVEN : sugg ? ST_SUGGESTED : ST_NORMAL,
			      "%c%c", given ? 'G' : ' ', sugg ? 'S' : ' ');
		canvas_put(c, x + 3, y + i, name, namew, ST_NORMAL);
		int len = barw > 0 ? (int)(p[j] * barw + 0.5) : 0;
		for (int b = 0; b < len; b++)
			canvas_put(c, x + 4 + namew + b, y + i, "█", 1,
				   given ? ST_GIVEN : sugg ? ST_SUGGESTED : ST_BAR);
		canvas_printf(c, x + 5 + namew + (barw > 0 ? barw : 0), y + i, 7, ST_NORMAL,
			      "%.3f", p[j]);
	}
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
		while (*p && *p != '\n') {
			unsigned cp;
			size_t n = tw_decode(p, strlen(p), &cp);
			int cw = tw_cp_width(cp);
			if (cols + cw > w)
				break;
			cols += cw;
			p += n;
			if (cp == ' ')
				brk = p;
		}
		const char *end = p;
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

/* The path of a row's image: its image cell, relative to DATA.csv's folder. */
static void image_path(const struct dataset *d, size_t row, char *path, size_t n)
{
	const char *img = dataset_cell(d, row, (size_t)d->image_col);
	const char *slash = strrchr(d->data_path, '/');
	if (img[0] == '/')
		snprintf(path, n, "%s", img);
	else
		snprintf(path, n, "%.*s%s", slash ? (int)(slash - d->data_path + 1) : 0,
			 d->data_path, img);
}

int ui_prefetch(struct ui *u)
{
	const struct review *rv = u->rv;
	if (rv->d->image_col < 0 || u->images_off || u->img_box.cols <= 0)
		return 0;
	for (size_t a = 1; a <= 3 && rv->cursor + a < rv->qlen; a++) {
		long row = (long)rv->queue[rv->cursor + a];
		if (thumbcache_has(&u->tc, row, &u->img_box))
			continue;
		char path[4096];
		image_path(rv->d, (size_t)row, path, sizeof path);
		thumbcache_get(&u->tc, row, path, &u->img_box);
		return 1;
	}
	return 0;
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

static void draw_detail(struct ui *u, struct canvas *c, int x, int y, int w, int h)
{
	struct review *rv = u->rv;
	const struct dataset *d = rv->d;
	long row = review_row(rv);
	if (row < 0)
		return;
	char idbuf[32];
	canvas_printf(c, x, y, w, ST_TITLE, "row %ld  id %s", row, dataset_id(d, (size_t)row, idbuf));
	canvas_printf(c, x, y + 1, w, ST_NORMAL, "given:     %s", d->class_names[d->labels[row]]);
	canvas_printf(c, x, y + 2, w, ST_NORMAL, "suggested: %s",
		      d->class_names[rv->scan->suggested[row]]);
	int yy = y + 3;
	long w1 = rv->win1[row];
	if (rv->expert && w1 >= 0) {
		const struct log_decision *a = &rv->dec[w1];
		if (review_annotator_hidden(rv, (size_t)row))
			canvas_put(c, x, yy++, "annotator: (hidden until you decide)", w, ST_DIM);
		else
			canvas_printf(c, x, yy++, w, ST_NORMAL, "annotator: %s%s%s by %s%s%s",
				      log_action_name(a->action), a->label ? " " : "",
				      a->label ? a->label : "", a->reviewer, a->note ? " — " : "",
				      a->note ? a->note : "");
	}
	enum review_state s = review_state_of(rv, (size_t)row);
	if (s != RS_UNDECIDED && !review_annotator_hidden(rv, (size_t)row)) {
		const struct log_decision *dd = &rv->dec[rv->win[row]];
		canvas_printf(c, x, yy++, w, state_style(s), "decision:  %s by %s%s%s",
			      review_state_name(s), dd->reviewer, dd->note ? " — " : "",
			      dd->note ? dd->note : "");
	}
	if (rv->note[0] && rv->note_row == row)
		canvas_printf(c, x, yy++, w, ST_DIM, "note for next decision: %s", rv->note);
	yy++;
	int bars = draw_bars(u, c, (size_t)row, x, yy, w, (h - (yy - y)) / 2);
	yy += bars + 1;
	draw_preview(u, c, (size_t)row, x, yy, w, h - (yy - y));
}

static void draw_status(struct ui *u, struct canvas *c, int y)
{
	struct review *rv = u->rv;
	struct review_progress p;
	review_progress(rv, &p);
	char filt[300], bar[64];
	review_filter_text(rv, filt, sizeof filt);
	int bw = 12, fill = p.total ? (int)((double)p.decided * bw / (double)p.total) : 0;
	for (int i = 0; i < bw; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[bw] = '\0';
	canvas_fill(c, 0, y, c->cols, 1, ST_STATUS);
	int o = canvas_printf(c, 0, y, c->cols, ST_STATUS, " %zu/%zu  %s%s%sreviewed %zu/%zu [%s] "
			      "%.1f/min  %s%s  v%lld ", rv->qlen ? rv->cursor + 1 : 0, rv->qlen,
			      filt[0] ? "filter " : "", filt, filt[0] ? "  " : "", p.decided,
			      p.total, bar, p.per_minute, rv->reviewer, rv->expert ? " (expert)" : "",
			      (long long)rv->version);
	if (rv->message[0])
		canvas_put(c, o + 1, y, rv->message, c->cols - o - 1,
			   rv->message_error ? ST_ERROR : ST_STATUS);
}

static void draw_keybar(struct canvas *c, int y)
{
	int x = 0;
	for (const struct action_def *a = action_table; a->name && x < c->cols; a++) {
		if (!a->bar)
			continue;
		char key[8];
		snprintf(key, sizeof key, "%s", a->keys[0] == '\t' ? "Tab" : a->keys_text);
		char *sp = strchr(key, ' ');
		if (sp)
			*sp = '\0';
		x += canvas_put(c, x, y, key, c->cols - x, ST_KEY);
		x += canvas_printf(c, x, y, c->cols - x, ST_NORMAL, " %s  ", a->bar);
	}
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
	int lw = c->cols * 11 / 20 < 70 ? c->cols * 11 / 20 : 70, h = c->rows - 3;
	draw_list(u, c, 0, 1, lw, h);
	for (int yy = 1; yy < 1 + h; yy++)
		canvas_put(c, lw, yy, "│", 1, ST_DIM);
	draw_detail(u, c, lw + 2, 1, c->cols - lw - 2, h);
	draw_status(u, c, c->rows - 2);
	draw_keybar(c, c->rows - 1);
	if (u->mode == UI_PICKER)
		view_picker(u, c);
	else if (u->mode == UI_PROMPT)
		view_prompt(u, c);
}
