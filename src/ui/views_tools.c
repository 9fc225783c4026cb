/* views_tools.c — drawing the power tools' views: the bulk confirmation
 * box, the class examples side by side (the given class left, the
 * suggested class right, most confident first, with text or image
 * previews) and the guidelines' sections on both classes, scrollable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_tools.h"
#include "utf8.h"
#include "util.h"
#include "textwidth.h"
#include "ui_tools.h"
#include "views.h"

/* Wrap text at spaces into width w; calls out for each line (or counts).
 * Returns the number of lines. */
static int wrap(const char *text, int w, int maxlines,
		void (*out)(void *ctx, int line, const char *s), void *ctx)
{
	int line = 0;
	const char *p = text;
	if (w < 1)
		return 0;
	do {
		const char *start = p, *brk = NULL;
		int cols = 0;
		while (*p && *p != '\n') {
			unsigned cp;
			size_t n = utf8_decode(p, strlen(p), &cp);
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
		if (out) {
			char buf[2048];
			size_t n = (size_t)(end - start) < sizeof buf - 1 ? (size_t)(end - start) : sizeof buf - 1;
			memcpy(buf, start, n);
			buf[n] = '\0';
			out(ctx, line, buf);
		}
		line++;
		if (*p == '\n')
			p++;
	} while (*p && line < maxlines);
	return line;
}

struct put_ctx { struct canvas *c; int x, y, w, skip, h; uint16_t st; };

static void put_line(void *ctx, int line, const char *s)
{
	struct put_ctx *k = ctx;
	int yy = line - k->skip;
	if (yy >= 0 && yy < k->h)
		canvas_put(k->c, k->x, k->y + yy, s, k->w, k->st);
}

static void confirm_box(struct ui *u, struct canvas *c)
{
	struct ui_tools *t = ui_tools(u);
	int w = c->cols - 8 < 72 ? c->cols - 8 : 72, x = (c->cols - w) / 2, y = 4;
	char filt[300];
	review_filter_text(u->rv, filt, sizeof filt);
	canvas_fill(c, x, y, w, 5, ST_STATUS);
	canvas_printf(c, x + 2, y + 1, w - 4, ST_STATUS, "bulk %s: %zu undecided example%s of this "
		      "queue", log_action_name(t->bulk_action), t->bulk_count,
		      t->bulk_count == 1 ? "" : "s");
	canvas_printf(c, x + 2, y + 2, w - 4, ST_DIM, "queue: %s", filt[0] ? filt : "every flagged example");
	canvas_put(c, x + 2, y + 3, "y records them as one batch (u undoes it); any other key cancels",
		   w - 4, ST_KEY);
}

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

/* One example: a line of facts, then its preview in h-1 rows. */
static void example(struct ui *u, struct canvas *c, size_t row, int cls, int x, int y, int w, int h)
{
	const struct dataset *d = u->rv->d;
	char idbuf[32];
	canvas_printf(c, x, y, w, ST_TITLE, "p %.3f  row %zu  id %s", d->probs[row * d->k + (size_t)cls],
		      row, dataset_id(d, row, idbuf));
	if (h < 2)
		return;
	if (d->text_col >= 0) {
		struct put_ctx k = { c, x, y + 1, w, 0, h - 1, ST_NORMAL };
		wrap(dataset_cell(d, row, (size_t)d->text_col), w, h - 1, put_line, &k);
	} else if (d->image_col >= 0 && !u->images_off) {
		char path[4096];
		image_path(d, row, path, sizeof path);
		int mode = u->image_mode < 0 ? IMG_BLOCKS : u->image_mode;
		if (mode == IMG_NONE) {
			canvas_printf(c, x, y + 1, w, ST_NORMAL, "image: %s", dataset_cell(d, row, (size_t)d->image_col));
			return;
		}
		/* small pictures side by side: always cells (pixel pictures are
		 * drawn only for the preview pane) */
		if (mode == IMG_SIXEL || mode == IMG_KITTY || mode == IMG_ITERM)
			mode = IMG_SYMBOLS;
		struct img_box box = { w, h - 1, (enum img_mode)mode, u->cell_w, u->cell_h,
				       u->colors };
		const struct thumb_entry *te = thumbcache_get(&u->tc, (long)row, path, &box);
		if (te->ok)
			thumb_draw(&te->t, c, x, y + 1);
		else
			canvas_put(c, x, y + 1, te->err, w, ST_ERROR);
	} else if (d->image_col >= 0) {
		canvas_printf(c, x, y + 1, w, ST_NORMAL, "image: %s", dataset_cell(d, row, (size_t)d->image_col));
	}
}

static void class_column(struct ui *u, struct canvas *c, int cls, const char *role, int x,
			 int y, int w, int h)
{
	const struct dataset *d = u->rv->d;
	char name[80];
	tw_fit(name, sizeof name, d->class_names[cls], 30, 0);
	canvas_printf(c, x, y, w, ST_KEY, "%s: %s", role, name);
	int each = d->image_col >= 0 && d->text_col < 0 ? (h - 1) / 3 : 5;
	if (each < 2)
		each = 2;
	size_t rows[64], max = (size_t)((h - 1) / each);
	if (max > 64)
		max = 64;
	size_t n = review_class_examples(u->rv, cls, rows, max);
	if (!n)
		canvas_put(c, x, y + 2, "(no unflagged example is labelled this class)", w, ST_DIM);
	for (size_t i = 0; i < n; i++)
		example(u, c, rows[i], cls, x, y + 1 + (int)i * each, w, each - 1);
}

static void examples_view(struct ui *u, struct canvas *c)
{
	struct review *rv = u->rv;
	long row = review_row(rv);
	if (row < 0)
		return;
	int g = rv->d->labels[row], s = rv->scan->suggested[row];
	canvas_fill(c, 0, 0, c->cols, c->rows - 2, ST_NORMAL);
	canvas_fill(c, 0, 0, c->cols, 1, ST_TITLE);
	canvas_printf(c, 0, 0, c->cols, ST_TITLE, " relabel — row %ld: the most confident unflagged "
		      "examples of each class (e or q closes)", row);
	int h = c->rows - 4;
	if (g == s) {
		class_column(u, c, g, "given and suggested", 1, 2, c->cols - 2, h);
		return;
	}
	int w = (c->cols - 3) / 2;
	class_column(u, c, g, "given", 1, 2, w, h);
	for (int yy = 2; yy < 2 + h; yy++)
		canvas_put(c, w + 1, yy, "│", 1, ST_DIM);
	class_column(u, c, s, "suggested", w + 2, 2, c->cols - w - 3, h);
}

/* The guidelines' lines for one class, appended as (text, style) pairs. */
struct gl { const char *text; uint16_t st; int alloc; };

static size_t add_line(struct gl **v, size_t n, const char *text, uint16_t st, int alloc)
{
	*v = xrealloc(*v, (n + 1) * sizeof **v);
	(*v)[n] = (struct gl){ text, st, alloc };
	return n + 1;
}

static size_t class_lines(const struct guide *g, const char *role, const char *name,
			  struct gl **v, size_t n)
{
	char *head = xmalloc(300);
	snprintf(head, 300, "%s class: %s", role, name);
	n = add_line(v, n, head, ST_KEY, 1);
	size_t sec[32], m = guide_sections_for(g, name, sec, 32);
	if (!m) {
		char *none = xmalloc(400);
		snprintf(none, 400, "(no heading of the guidelines names \"%s\")", name);
		n = add_line(v, n, none, ST_DIM, 1);
	}
	for (size_t i = 0; i < m; i++)
		for (size_t l = g->sec[sec[i]].first; l < g->sec[sec[i]].end; l++) {
			int heading = 0;
			for (size_t s = 0; s < g->nsec; s++)
				heading |= g->sec[s].title == l;
			n = add_line(v, n, g->lines[l], heading ? ST_TITLE : ST_NORMAL, 0);
		}
	return add_line(v, n, "", ST_NORMAL, 0);
}

static void guide_view(struct ui *u, struct canvas *c)
{
	struct ui_tools *t = ui_tools(u);
	struct review *rv = u->rv;
	long row = review_row(rv);
	if (row < 0 || !t->guide)
		return;
	const struct dataset *d = rv->d;
	int g = d->labels[row], s = rv->scan->suggested[row];
	struct gl *v = NULL;
	size_t n = class_lines(t->guide, "given", d->class_names[g], &v, 0);
	if (s != g)
		n = class_lines(t->guide, "suggested", d->class_names[s], &v, n);
	canvas_fill(c, 0, 0, c->cols, c->rows - 2, ST_NORMAL);
	canvas_fill(c, 0, 0, c->cols, 1, ST_TITLE);
	canvas_printf(c, 0, 0, c->cols, ST_TITLE, " relabel — guidelines %s for row %ld (j/k "
		      "scroll, H or q closes)", t->guide->path, row);
	/* Wrapped display lines, then the window from t->top. */
	int w = c->cols - 2, h = c->rows - 4, total = 0;
	for (size_t i = 0; i < n; i++)
		total += wrap(v[i].text, w, 1000, NULL, NULL);
	if (t->top > total - h)
		t->top = total - h > 0 ? total - h : 0;
	int at = 0;
	for (size_t i = 0; i < n; i++) {
		struct put_ctx k = { c, 1, 2 + at - t->top, w, 0, 0, v[i].st };
		int lines = wrap(v[i].text, w, 1000, NULL, NULL);
		/* draw the lines of this entry that fall in the window */
		k.skip = 0;
		k.h = lines;
		if (at + lines > t->top && at < t->top + h) {
			int first = t->top > at ? t->top - at : 0;
			k.y = 2 + at + first - t->top;
			k.skip = first;
			k.h = h - (at + first - t->top);
			wrap(v[i].text, w, 1000, put_line, &k);
		}
		at += lines;
	}
	if (total > h)
		canvas_printf(c, c->cols - 24, 1, 23, ST_DIM, "lines %d-%d of %d",
			      t->top + 1, t->top + h < total ? t->top + h : total, total);
	for (size_t i = 0; i < n; i++)
		if (v[i].alloc)
			free((char *)v[i].text);
	free(v);
}

void view_tool(struct ui *u, struct canvas *c)
{
	struct ui_tools *t = ui_tools(u);
	if (t->view == TV_CONFIRM)
		confirm_box(u, c);
	else if (t->view == TV_EXAMPLES)
		examples_view(u, c);
	else if (t->view == TV_GUIDE)
		guide_view(u, c);
}

int view_tools_spot(struct ui *u, struct canvas *c, int y)
{
	struct spot_estimate est;
	if (!review_spot_estimate(u->rv, &est))
		return 0;
	char line[400];
	spot_line(&est, line, sizeof line);
	struct put_ctx k = { c, 1, y, c->cols - 2, 0, 3, ST_KEY };
	return wrap(line, c->cols - 2, 3, put_line, &k);
}
