/* views_overlay.c — the help screen (from the action table), the label
 * picker, the one-line prompt and the stats view (per-class label quality,
 * the confident joint as a heatmap with a movable cell, agreement between
 * review passes). */
#include <stdio.h>
#include <string.h>

#include "textwidth.h"
#include "views.h"

void view_help(struct ui *u, struct canvas *c)
{
	canvas_fill(c, 0, 0, c->cols, 1, ST_TITLE);
	canvas_put(c, 0, 0, " relabel — keys (q or ? closes; j/k scroll)", c->cols, ST_TITLE);
	int y = 2, i = 0;
	for (const struct action_def *a = action_table; a->name; a++, i++) {
		if (i < u->help_top)
			continue;
		if (y >= c->rows - 1)
			break;
		canvas_put(c, 2, y, a->keys_text, 10, ST_KEY);
		canvas_put(c, 13, y, a->help, c->cols - 40, ST_NORMAL);
		char name[64];
		snprintf(name, sizeof name, "%s%s%s", a->name, a->arg ? " " : "", a->arg ? a->arg : "");
		canvas_put(c, c->cols - 26, y, name, 26, ST_DIM);
		y++;
	}
	if (u->image_why[0])
		canvas_printf(c, 2, c->rows - 1, c->cols - 3, ST_DIM, "image previews: %s",
			      u->image_why);
}

void view_picker(struct ui *u, struct canvas *c)
{
	int m[512], n = ui_picker_matches(u, m, 512);
	int w = 40 < c->cols - 4 ? 40 : c->cols - 4, h = n + 3 < c->rows - 4 ? n + 3 : c->rows - 4;
	int x = (c->cols - w) / 2, y = 3;
	canvas_fill(c, x, y, w, h, ST_STATUS);
	canvas_printf(c, x + 1, y, w - 2, ST_STATUS, "relabel as: %s_", u->input);
	int top = u->picker_sel >= h - 2 ? u->picker_sel - (h - 3) : 0;
	for (int i = 0; i < h - 2 && top + i < n; i++) {
		int k = top + i;
		uint16_t st = k == u->picker_sel ? ST_SELECTED : ST_STATUS;
		canvas_fill(c, x, y + 1 + i, w, 1, st);
		if (k < 9)
			canvas_printf(c, x + 1, y + 1 + i, 2, ST_KEY, "%d", k + 1);
		canvas_put(c, x + 4, y + 1 + i, u->rv->d->class_names[m[k]], w - 5, st);
	}
	if (!n)
		canvas_put(c, x + 1, y + 1, "no class matches", w - 2, ST_ERROR);
	canvas_put(c, x + 1, y + h - 1, "Enter picks, 1-9 pick, Esc cancels", w - 2, ST_DIM);
}

void view_prompt(struct ui *u, struct canvas *c)
{
	const char *what = u->prompt_for == A_SEARCH ? "search" :
			   u->prompt_for == A_NOTE ? "note" :
			   u->prompt_for == A_FILTER ? "filter (given NAME | suggested NAME | pair A B | state S | clear)" :
			   "commit message";
	int y = c->rows - 2;
	canvas_fill(c, 0, y, c->cols, 1, ST_STATUS);
	canvas_printf(c, 0, y, c->cols, ST_STATUS, " %s: %s_", what, u->input);
}

static uint16_t heat(int64_t v, int64_t max)
{
	if (v == 0)
		return ST_NORMAL;
	double f = max ? (double)v / (double)max : 0;
	return f > 0.5 ? ST_HEAT4 : f > 0.1 ? ST_HEAT3 : f > 0.02 ? ST_HEAT2 : ST_HEAT1;
}

static int draw_quality(struct ui *u, struct canvas *c, int y)
{
	const struct stats *st = u->st;
	canvas_printf(c, 1, y++, c->cols - 2, ST_TITLE, "label quality by class (worst first)%s",
		      st->have_health ? "" : "");
	for (size_t i = 0; i < st->k && y < c->rows / 2; i++) {
		const struct cl_class_quality *q = &st->classes[i];
		char name[80];
		tw_fit(name, sizeof name, u->rv->d->class_names[q->class_index], 16, 1);
		canvas_printf(c, 2, y++, c->cols - 3, ST_NORMAL, "%s  quality %.3f  issues %lld",
			      name, q->label_quality, (long long)q->label_issues);
	}
	return y;
}

static int draw_heatmap(struct ui *u, struct canvas *c, int y)
{
	const struct stats *st = u->st;
	size_t k = st->k, show = k;
	int cell = 6, namew = 12;
	if ((int)show > (c->cols - namew - 2) / cell)
		show = (size_t)((c->cols - namew - 2) / cell);
	if ((int)show > c->rows - y - 6)
		show = (size_t)(c->rows - y - 6 > 0 ? c->rows - y - 6 : 0);
	canvas_put(c, 1, y++, "confident joint: rows given, columns suggested (arrows move, Enter filters)",
		   c->cols - 2, ST_TITLE);
	int64_t max = 0;
	for (size_t i = 0; i < k * k; i++)
		if (i / k != i % k && st->cj[i] > max)
			max = st->cj[i];
	for (size_t j = 0; j < show; j++) {
		char name[32];
		tw_fit(name, sizeof name, u->rv->d->class_names[j], (size_t)cell - 1, 0);
		canvas_put(c, namew + 2 + (int)j * cell, y, name, cell - 1, ST_DIM);
	}
	y++;
	for (size_t i = 0; i < show; i++, y++) {
		char name[64];
		tw_fit(name, sizeof name, u->rv->d->class_names[i], (size_t)namew, 1);
		canvas_put(c, 1, y, name, namew, ST_DIM);
		for (size_t j = 0; j < show; j++) {
			int sel = (int)i == u->stats_given && (int)j == u->stats_sugg;
			int64_t v = st->cj[i * k + j];
			canvas_printf(c, namew + 2 + (int)j * cell, y, cell, sel ? ST_CURSOR :
				      i == j ? ST_DIM : heat(v, max), sel ? "[%4lld]" : " %4lld ",
				      (long long)v);
		}
	}
	return y;
}

void view_stats(struct ui *u, struct canvas *c)
{
	canvas_fill(c, 0, 0, c->cols, 1, ST_TITLE);
	canvas_printf(c, 0, 0, c->cols, ST_TITLE, " relabel — dataset health %.3f (q closes)",
		      u->st->have_health ? u->st->health : 0.0);
	int y = draw_quality(u, c, 2) + 1;
	y = draw_heatmap(u, c, y) + 1;
	double agree, kappa;
	size_t n = review_agreement(u->rv, -1, &agree, &kappa);
	if (n)
		canvas_printf(c, 1, y, c->cols - 2, ST_NORMAL, "agreement between passes: %zu "
			      "examples, %.1f%% agree, Cohen's kappa %.3f", n, agree * 100, kappa);
	else
		canvas_put(c, 1, y, "agreement between passes: no example decided in both yet",
			   c->cols - 2, ST_DIM);
	for (size_t cls = 0; n && cls < u->rv->d->k && ++y < c->rows - 1; cls++) {
		review_agreement(u->rv, (int)cls, &agree, &kappa);
		char name[64];
		tw_fit(name, sizeof name, u->rv->d->class_names[cls], 14, 1);
		canvas_printf(c, 3, y, c->cols - 4, ST_NORMAL, "%s %.1f%% agree, kappa %.3f",
			      name, agree * 100, kappa);
	}
}
