/* views_overlay.c — the help screen (from the action table), the label
 * picker, the one-line prompt and the stats view (per-class label quality,
 * the confident joint as a heatmap with a movable cell, agreement between
 * review passes). */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "textwidth.h"
#include "ui_tools.h"
#include "util.h"
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

/* The picker covers the list pane only, so the given and suggested lines
 * and the bars stay in view; each line is cleared whole before drawing. */
void view_picker(struct ui *u, struct canvas *c)
{
	const struct dataset *d = u->rv->d;
	long row = review_row(u->rv);
	int *m = xmallocarray(d->k ? d->k : 1, sizeof *m), n = ui_picker_matches(u, m, (int)d->k);
	int lw = c->cols * 11 / 20 < 70 ? c->cols * 11 / 20 : 70;
	int w = lw - 2 < 50 ? lw - 2 : 50, x = 1, y = 2;
	int rows = c->rows - 7 < 36 ? c->rows - 7 : 36;
	if (rows > n)
		rows = n > 0 ? n : 1;
	u->picker_rows = rows;
	int h = rows + 3;
	canvas_fill(c, x - 1, y - 1, w + 2, h + 1, ST_NORMAL);
	canvas_fill(c, x, y, w, h, ST_STATUS);
	int o = canvas_printf(c, x + 1, y, w - 2, ST_STATUS, "relabel as: %s_", u->input);
	if (o + 18 <= w - 2)
		canvas_put(c, x + 2 + o, y, "(type to filter)", w - 3 - o, ST_DIM);
	const double *p = row >= 0 ? d->probs + (size_t)row * d->k : NULL;
	int namew = w - 16;
	for (int i = 0; i < rows && u->picker_top + i < n; i++) {
		int k = u->picker_top + i, cls = m[k];
		int given = row >= 0 && cls == d->labels[row];
		int sugg = row >= 0 && cls == u->rv->scan->suggested[row];
		uint16_t st = k == u->picker_sel ? ST_SELECTED : ST_STATUS;
		canvas_fill(c, x, y + 1 + i, w, 1, st);
		int key = ui_pick_key(i);
		if (key)
			canvas_printf(c, x + 1, y + 1 + i, 1, ST_KEY, "%c", key);
		canvas_printf(c, x + 3, y + 1 + i, 2, given ? ST_GIVEN : sugg ? ST_SUGGESTED : st,
			      "%c%c", given ? 'G' : ' ', sugg ? 'S' : ' ');
		char name[160];
		tw_fit_class(name, sizeof name, d->class_names[cls], (size_t)namew, 1);
		canvas_put(c, x + 6, y + 1 + i, name, namew, st);
		if (p)
			canvas_printf(c, x + 7 + namew, y + 1 + i, 6, st, "%.3f", p[cls]);
	}
	if (!n)
		canvas_put(c, x + 1, y + 1, "no class matches", w - 2, ST_ERROR);
	char foot[120];
	if (n > rows)
		snprintf(foot, sizeof foot, "%d-%d of %d, PgDn more, Esc", u->picker_top + 1,
			 u->picker_top + rows < n ? u->picker_top + rows : n, n);
	else
		snprintf(foot, sizeof foot, "%s or Enter picks, Esc cancels",
			 rows > 10 ? "1-9 0 A-Z" : rows == 10 ? "1-9 0" : "1-9");
	canvas_put(c, x + 1, y + h - 1, foot, w - 2, ST_DIM);
	free(m);
}

void view_prompt(struct ui *u, struct canvas *c)
{
	char filt[300], fwhat[420];
	review_filter_text(u->rv, filt, sizeof filt);
	if (filt[0])
		snprintf(fwhat, sizeof fwhat, "filter, adds to %s (same kind replaces; clear empties)", filt);
	else
		snprintf(fwhat, sizeof fwhat, "filter (given NAME | suggested NAME | pair A B | state S)");
	const char *what = ui_tools_prompt_label(u->prompt_for) ? ui_tools_prompt_label(u->prompt_for) :
			   u->prompt_for == A_SEARCH ? "search" :
			   u->prompt_for == A_NOTE ? "note on this example" :
			   u->prompt_for == A_FILTER ? fwhat : "commit message";
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

/* Per class, worst label quality first: cleanlab's quality and its
 * confident-joint estimate of label issues, then what the scan flagged in
 * that given class, how many of those are decided and still open, and the
 * agreement between passes where both decided examples of the class. */
static int draw_quality(struct ui *u, struct canvas *c, int y, int maxy)
{
	const struct stats *st = u->st;
	const struct review *rv = u->rv;
	size_t k = st->k, *fl = xcalloc(k, sizeof *fl), *dec = xcalloc(k, sizeof *dec);
	review_class_progress(rv, fl, dec);
	double agree, kappa;
	int any_both = review_agreement(rv, -1, &agree, &kappa) > 0;
	canvas_printf(c, 2, y++, c->cols - 3, ST_TITLE, "%-16s %7s %6s %7s %7s %5s%s", "class",
		      "quality", "est.", "flagged", "decided", "open",
		      any_both ? "  agreement between passes" : "");
	for (size_t i = 0; i < k && y < maxy; i++) {
		const struct cl_class_quality *q = &st->classes[i];
		size_t cls = q->class_index;
		char name[80], agr[80] = "";
		tw_fit_class(name, sizeof name, rv->d->class_names[cls], 16, 1);
		size_t same = 0, nb = any_both ? review_agreement_count(rv, (int)cls, &same) : 0;
		if (nb)
			snprintf(agr, sizeof agr, "  %zu decided in both, %zu agree (%.0f%%)", nb,
				 same, 100.0 * (double)same / (double)nb);
		canvas_printf(c, 2, y++, c->cols - 3, ST_NORMAL, "%s %7.3f %6lld %7zu %7zu %5zu%s",
			      name, q->label_quality, (long long)q->label_issues, fl[cls], dec[cls],
			      fl[cls] - dec[cls], agr);
	}
	free(fl);
	free(dec);
	return y;
}

static int draw_heatmap(struct ui *u, struct canvas *c, int y)
{
	const struct stats *st = u->st;
	size_t k = st->k, show = k;
	int cell = 6, namew = 12;
	if ((int)show > (c->cols - namew - 2) / cell)
		show = (size_t)((c->cols - namew - 2) / cell);
	if ((int)show > c->rows - y - 4)
		show = (size_t)(c->rows - y - 4 > 0 ? c->rows - y - 4 : 0);
	canvas_put(c, 1, y++, "calibrated confident joint (rows given, columns suggested; "
		   "arrows move, Enter lists the flagged)", c->cols - 2, ST_TITLE);
	int64_t max = 0;
	for (size_t i = 0; i < k * k; i++)
		if (i / k != i % k && st->cj[i] > max)
			max = st->cj[i];
	for (size_t j = 0; j < show; j++) {
		char name[32];
		tw_fit_class(name, sizeof name, u->rv->d->class_names[j], (size_t)cell - 1, 0);
		canvas_put(c, namew + 2 + (int)j * cell, y, name, cell - 1, ST_DIM);
	}
	y++;
	for (size_t i = 0; i < show; i++, y++) {
		char name[64];
		tw_fit_class(name, sizeof name, u->rv->d->class_names[i], (size_t)namew, 1);
		canvas_put(c, 1, y, name, namew, ST_DIM);
		for (size_t j = 0; j < show; j++) {
			int sel = (int)i == u->stats_given && (int)j == u->stats_sugg;
			int64_t v = st->cj[i * k + j];
			canvas_printf(c, namew + 2 + (int)j * cell, y, cell, sel ? ST_CURSOR :
				      i == j ? ST_DIM : heat(v, max), sel ? "[%4lld]" : " %4lld ",
				      (long long)v);
		}
	}
	if (show < k)
		canvas_printf(c, 1, y++, c->cols - 2, ST_DIM, "(%zu of %zu classes fit; a larger "
			      "terminal shows more)", show, k);
	int g = u->stats_given, sg = u->stats_sugg;
	char cg[256], cs[256];
	canvas_printf(c, 1, y++, c->cols - 2, ST_NORMAL, "%s → %s: confident joint %lld, "
		      "flagged by find_label_issues %zu",
		      san_class(cg, sizeof cg, u->rv->d->class_names[g]),
		      san_class(cs, sizeof cs, u->rv->d->class_names[sg]), (long long)st->cj[(size_t)g * k + (size_t)sg],
		      review_cell_flagged(u->rv, g, sg));
	return y;
}

void view_stats(struct ui *u, struct canvas *c)
{
	const struct stats *st = u->st;
	struct review *rv = u->rv;
	size_t k = rv->d->k, *fl = xcalloc(k, sizeof *fl), *dec = xcalloc(k, sizeof *dec);
	size_t nflag = 0, ndec = 0;
	review_class_progress(rv, fl, dec);
	for (size_t i = 0; i < k; i++) {
		nflag += fl[i];
		ndec += dec[i];
	}
	free(fl);
	free(dec);
	double after = u->health_after;
	int have_after = u->have_after;
	canvas_fill(c, 0, 0, c->cols, 1, ST_TITLE);
	if (st->have_health && have_after)
		canvas_printf(c, 0, 0, c->cols, ST_TITLE, " relabel — dataset health %.3f at the "
			      "scan, %.3f with the decisions so far (q closes)", st->health, after);
	else
		canvas_printf(c, 0, 0, c->cols, ST_TITLE, " relabel — dataset health %s (q closes)",
			      st->have_health ? "" : "not computed");
	int y = 1;
	canvas_printf(c, 1, y++, c->cols - 2, ST_NORMAL, "flagged by find_label_issues: %zu "
		      "(%zu decided, %zu open)", nflag, ndec, nflag - ndec);
	if (st->have_off_diag)
		canvas_printf(c, 1, y++, c->cols - 2, ST_DIM, "cleanlab's num_label_issues estimate: "
			      "%zu (est.: per class, from the confident joint)",
			      st->off_diag);
	if (u->scan_line[0])
		canvas_put(c, 1, y++, u->scan_line, c->cols - 2, ST_DIM);
	if (u->model_line[0])
		canvas_put(c, 1, y++, u->model_line, c->cols - 2, ST_NORMAL);
	if (u->warn_line[0])
		canvas_put(c, 1, y++, u->warn_line, c->cols - 2, ST_ERROR);
	int spot = view_tools_spot(u, c, y);    /* the spot check's estimate, if any */
	y += spot;
	int qmax = c->rows - (int)st->k - 6 > y + 4 ? c->rows - (int)st->k - 6 : y + 4;
	y = draw_quality(u, c, y, qmax);
	y = draw_heatmap(u, c, y);
	double agree, kappa;
	size_t n = review_agreement(rv, -1, &agree, &kappa);
	if (y < c->rows) {
		if (n)
			canvas_printf(c, 1, y, c->cols - 2, ST_NORMAL, "agreement between passes: %zu "
				      "examples decided in both, %.1f%% agree, Cohen's kappa %.3f",
				      n, agree * 100, kappa);
		else
			canvas_put(c, 1, y, "agreement between passes: no example decided in both yet",
				   c->cols - 2, ST_DIM);
	}
}
