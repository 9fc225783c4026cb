/* ui.c — keys and named actions to session operations and view changes
 * (see ui.h). Handlers only change state; ui_draw shows it. */
#include "ui.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_tools.h"
#include "ui_tools.h"
#include "util.h"

void ui_init(struct ui *u, struct review *rv)
{
	memset(u, 0, sizeof *u);
	u->rv = rv;
	u->page = 10;
	u->image_mode = -1;
	u->img_path_row = -1;
	thumbcache_init(&u->tc);
	u->stats_given = u->stats_sugg = 0;
}

void ui_free(struct ui *u)
{
	if (u->st)
		stats_free(u->st);
	thumbcache_free(&u->tc);
	ui_tools_free(u);
	u->st = NULL;
}

static int ci_prefix_or_sub(const char *name, const char *typed)
{
	size_t n = strlen(typed);
	for (const char *p = name; *p; p++) {
		size_t i = 0;
		while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)typed[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

void ui_class_order(const struct ui *u, size_t row, int *out)
{
	const struct dataset *d = u->rv->d;
	const double *p = d->probs + row * d->k;
	for (size_t j = 0; j < d->k; j++) {     /* insertion sort: stable, k is small */
		size_t i = j;
		while (i > 0 && p[out[i - 1]] < p[j]) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = (int)j;
	}
}

int ui_picker_matches(const struct ui *u, int *out, int max)
{
	int m = 0;
	const struct dataset *d = u->rv->d;
	long row = review_row(u->rv);
	int *order = xmallocarray(d->k, sizeof *order);
	if (row >= 0)
		ui_class_order(u, (size_t)row, order);
	else
		for (size_t c = 0; c < d->k; c++)
			order[c] = (int)c;
	for (size_t i = 0; i < d->k && m < max; i++)
		if (ci_prefix_or_sub(d->class_names[order[i]], u->input))
			out[m++] = order[i];
	free(order);
	return m;
}

int ui_pick_key(int i)
{
	return i < 0 ? 0 : i < 9 ? '1' + i : i == 9 ? '0' : i < 36 ? 'A' + i - 10 : 0;
}

int ui_pick_index(int key)
{
	return key >= '1' && key <= '9' ? key - '1' : key == '0' ? 9 :
	       key >= 'A' && key <= 'Z' ? key - 'A' + 10 : -1;
}

/* Digit N in the list: relabel to the N-th most likely class at once (the
 * given class keeps the label: a reject; the suggested one: an accept). */
static int pick_nth(struct ui *u, const char *arg)
{
	struct review *rv = u->rv;
	long row = review_row(rv);
	int n = arg ? atoi(arg) : 0;
	if (arg && !strcmp(arg, "0"))
		n = 10;
	if (row < 0 || n < 1 || n > (int)rv->d->k) {
		snprintf(rv->message, sizeof rv->message, "pick: no class number %s here",
			 arg ? arg : "");
		rv->message_error = 1;
		return -1;
	}
	int *order = xmallocarray(rv->d->k, sizeof *order);
	ui_class_order(u, (size_t)row, order);
	int c = order[n - 1];
	free(order);
	if (c == rv->d->labels[row])
		return review_decide(rv, LOG_REJECT, NULL);
	if (c == rv->scan->suggested[row])
		return review_decide(rv, LOG_ACCEPT, NULL);
	return review_decide(rv, LOG_RELABEL, rv->d->class_names[c]);
}

static void open_prompt(struct ui *u, enum ui_action a)
{
	u->mode = UI_PROMPT;
	u->prompt_for = a;
	u->input[0] = '\0';
}

/* Actions that need an argument open a prompt or the picker from a key. */
int ui_run(struct ui *u, enum ui_action a, const char *arg)
{
	struct review *rv = u->rv;
	rv->message[0] = '\0';
	switch (a) {
	case A_DOWN: review_move(rv, 1); break;
	case A_UP: review_move(rv, -1); break;
	case A_PAGE_DOWN: review_move(rv, u->page); break;
	case A_PAGE_UP: review_move(rv, -u->page); break;
	case A_TOP: review_top(rv); break;
	case A_BOTTOM: review_bottom(rv); break;
	case A_NEXT_UNDECIDED:
		if (review_next_undecided(rv) < 0)
			snprintf(rv->message, sizeof rv->message, "every example here is decided");
		break;
	case A_ACCEPT: return review_decide(rv, LOG_ACCEPT, NULL);
	case A_REJECT: return review_decide(rv, LOG_REJECT, NULL);
	case A_EXCLUDE: return review_decide(rv, LOG_EXCLUDE, NULL);
	case A_RELABEL: return review_decide(rv, LOG_RELABEL, arg);
	case A_PICK: return pick_nth(u, arg);
	case A_SKIP: return review_skip(rv);
	case A_UNDO: return review_tools_undo(rv);   /* a bulk batch as a whole */
	case A_CONFIRM: return review_confirm(rv);
	case A_NOTE: return review_set_note(rv, arg ? arg : "");
	case A_SEARCH: return review_search(rv, arg, 1);
	case A_SEARCH_NEXT: return review_search(rv, NULL, 1);
	case A_SEARCH_PREV: return review_search(rv, NULL, -1);
	case A_FILTER: return review_filter(rv, arg ? arg : "");
	case A_CLEAR_FILTER: review_tools_back(rv); return review_filter(rv, "clear");
	case A_COMMIT: return review_commit(rv, arg && *arg ? arg : "review");
	case A_REFRESH: return review_refresh(rv);
	case A_STATS:
		if (!u->st) {
			if (rv->scan->work)
				stats_compute_work(rv->d, rv->scan->work, &u->st_store);
			else
				stats_compute(rv->d, &u->st_store);
			u->st = &u->st_store;
		}
		u->mode = u->mode == UI_STATS ? UI_LIST : UI_STATS;
		if (u->mode == UI_STATS) {   /* once per opening: it copies the data */
			size_t kept;
			struct err e = { 0 };
			u->have_after = u->st->have_health &&
					review_health_after(rv, &u->health_after, &kept, &e) == 0;
		}
		break;
	case A_HELP: u->mode = u->mode == UI_HELP ? UI_LIST : UI_HELP; u->help_top = 0; break;
	case A_EXPERT:
		rv->expert = !rv->expert;
		review_filter(rv, "clear");
		snprintf(rv->message, sizeof rv->message, "%s as %s (%s)", rv->expert ?
			 "second review: examples annotators decided" : "first review",
			 rv->reviewer, rv->role_expert ? "expert" : "annotator");
		break;
	case A_BLIND:
		rv->blind = !rv->blind;
		snprintf(rv->message, sizeof rv->message, "annotator's decision %s",
			 rv->blind ? "hidden until you decide" : "shown");
		break;
	case A_IMAGES:
		u->images_off = !u->images_off;
		snprintf(rv->message, sizeof rv->message, "image previews %s",
			 u->images_off ? "off" : "on");
		break;
	case A_ZOOM:
		if (review_row(rv) < 0 || rv->d->image_col < 0)
			snprintf(rv->message, sizeof rv->message, "no image to zoom");
		else
			u->mode = u->mode == UI_ZOOM ? UI_LIST : UI_ZOOM;
		break;
	case A_PREVIEW_DOWN: u->preview_top++; break;
	case A_PREVIEW_UP: if (u->preview_top > 0) u->preview_top--; break;
	case A_QUIT:
		if (u->mode != UI_LIST)
			u->mode = UI_LIST;
		else
			u->quit = 1;
		break;
	default: return ui_tools_run(u, a, arg);
	}
	if (a == A_DOWN || a == A_UP || a == A_PAGE_DOWN || a == A_PAGE_UP ||
	    a == A_TOP || a == A_BOTTOM)
		u->preview_top = 0;
	return 0;
}

static void typed(struct ui *u, int key)
{
	size_t n = strlen(u->input);
	if (key == K_BACKSPACE || key == 127 || key == 8) {
		while (n > 0 && ((unsigned char)u->input[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0)
			n--;
		u->input[n] = '\0';
	} else if (key >= 0x20 && key < 0x100 && key != 0x7f && n + 1 < sizeof u->input) {
		u->input[n] = (char)key;
		u->input[n + 1] = '\0';
	}
}

static int prompt_key(struct ui *u, int key)
{
	if (key == K_ESC) {
		u->mode = UI_LIST;
	} else if (key == K_ENTER || key == '\n' || key == '\r') {
		u->mode = UI_LIST;
		ui_run(u, u->prompt_for, u->input);
	} else {
		typed(u, key);
	}
	return 0;
}

/* The picker: matches most likely first; 1-9, 0, then A-Z pick the
 * matches shown (lower case and other characters filter); PgDn/PgUp
 * (or Right/Left) page; arrows and Enter pick by selection. */
static int picker_key(struct ui *u, int key)
{
	int *m = xmallocarray(u->rv->d->k, sizeof *m);
	int n = ui_picker_matches(u, m, (int)u->rv->d->k);
	int rows = u->picker_rows > 0 ? u->picker_rows : 10, pick = -1;
	int idx = ui_pick_index(key);
	if (key == K_ESC) {
		u->mode = UI_LIST;
	} else if (key == K_DOWN || key == K_UP) {
		u->picker_sel += key == K_DOWN ? 1 : -1;
	} else if (key == K_PGDN || key == K_RIGHT) {
		u->picker_top = u->picker_top + rows < n ? u->picker_top + rows : 0;
		u->picker_sel = u->picker_top;
	} else if (key == K_PGUP || key == K_LEFT) {
		u->picker_top = u->picker_top >= rows ? u->picker_top - rows : 0;
		u->picker_sel = u->picker_top;
	} else if (idx >= 0 && idx < rows && u->picker_top + idx < n) {
		pick = m[u->picker_top + idx];
	} else if ((key == K_ENTER || key == '\n' || key == '\r') && n) {
		pick = m[u->picker_sel];
	} else {
		typed(u, key);
		u->picker_sel = u->picker_top = 0;
	}
	if (u->picker_sel >= n)
		u->picker_sel = n ? n - 1 : 0;
	if (u->picker_sel < 0)
		u->picker_sel = 0;
	if (u->picker_sel < u->picker_top)
		u->picker_top = u->picker_sel;
	if (u->picker_sel >= u->picker_top + rows)
		u->picker_top = u->picker_sel - rows + 1;
	if (pick >= 0) {
		u->mode = UI_LIST;
		ui_run(u, A_RELABEL, u->rv->d->class_names[pick]);
	}
	free(m);
	return 0;
}

static int stats_key(struct ui *u, int key)
{
	int k = (int)u->rv->d->k;
	if (key == K_DOWN || key == 'j') u->stats_given = (u->stats_given + 1) % k;
	else if (key == K_UP || key == 'k') u->stats_given = (u->stats_given + k - 1) % k;
	else if (key == K_RIGHT || key == 'l') u->stats_sugg = (u->stats_sugg + 1) % k;
	else if (key == K_LEFT || key == 'h') u->stats_sugg = (u->stats_sugg + k - 1) % k;
	else if (key == K_ENTER || key == '\n' || key == '\r') {
		review_filter_pair(u->rv, u->stats_given, u->stats_sugg);
		u->mode = UI_LIST;
	} else if (key == 'q' || key == K_ESC || key == 'S')
		u->mode = UI_LIST;
	return 0;
}

int ui_key(struct ui *u, int key)
{
	if (u->mode == UI_PROMPT)
		return prompt_key(u, key);
	if (u->mode == UI_PICKER)
		return picker_key(u, key);
	if (u->mode == UI_STATS)
		return stats_key(u, key);
	if (u->mode == UI_ZOOM) {       /* any key returns */
		u->mode = UI_LIST;
		return 0;
	}
	if (u->mode == UI_TOOL)
		return ui_tools_key(u, key);
	if (u->mode == UI_HELP && key != 'q' && key != '?' && key != K_ESC) {
		if (key == K_DOWN || key == 'j') u->help_top++;
		if ((key == K_UP || key == 'k') && u->help_top > 0) u->help_top--;
		return 0;
	}
	if (key == K_ESC) {
		u->mode = UI_LIST;
		return 0;
	}
	if (u->mode == UI_LIST && ui_pick_index(key) >= 0 && ui_pick_index(key) < 10) {
		char arg[16];
		snprintf(arg, sizeof arg, "%d", ui_pick_index(key) + 1);
		ui_run(u, A_PICK, arg);
		return 0;
	}
	const struct action_def *a = action_for_key(key);
	if (!a)
		return 0;
	switch (a->action) {
	case A_RELABEL:
		u->mode = UI_PICKER;
		u->input[0] = '\0';
		u->picker_sel = u->picker_top = 0;
		return 0;
	case A_NOTE: case A_SEARCH: case A_FILTER: case A_COMMIT:
		open_prompt(u, a->action);
		return 0;
	default:
		if (ui_tools_key_action(u, a->action))
			return 0;
		ui_run(u, a->action, NULL);
		return u->quit;
	}
}
