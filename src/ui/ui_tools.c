/* ui_tools.c — prompts, confirmation and views of the power tools (see
 * ui_tools.h). Handlers only change state; view_tool draws it. */
#include "ui_tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_tools.h"
#include "util.h"

struct ui_tools *ui_tools(struct ui *u)
{
	if (!u->tools)
		u->tools = xcalloc(1, sizeof *u->tools);
	return u->tools;
}

void ui_tools_free(struct ui *u)
{
	if (!u->tools)
		return;
	guide_free(u->tools->guide);
	free(u->tools);
	u->tools = NULL;
}

static void bulk_progress(void *ctx, size_t done, size_t total)
{
	struct ui *u = ctx;
	struct ui_tools *t = ui_tools(u);
	snprintf(u->rv->message, sizeof u->rv->message, "bulk %s: %zu of %zu recorded...",
		 log_action_name(t->bulk_action), done, total);
	u->rv->message_error = 0;
	t->redraws++;
	if (t->redraw)
		t->redraw(u);
}

static int parse_bulk(struct review *rv, const char *arg, enum log_action *a)
{
	while (arg && *arg == ' ')
		arg++;
	if (arg && (!strcmp(arg, "accept") || !strcmp(arg, "reject") || !strcmp(arg, "exclude"))) {
		log_action_parse(arg, a);
		return 0;
	}
	snprintf(rv->message, sizeof rv->message, "bulk: expected accept, reject or exclude, "
		 "not \"%.100s\"", arg ? arg : "");
	rv->message_error = 1;
	return -1;
}

static long run_bulk(struct ui *u, enum log_action a)
{
	struct ui_tools *t = ui_tools(u);
	struct review_tools *rt = review_tools(u->rv);
	t->bulk_action = a;
	t->redraws = 0;
	rt->progress = bulk_progress;
	rt->progress_ctx = u;
	long n = review_bulk(u->rv, a);
	rt->progress = NULL;
	return n;
}

static void open_view(struct ui *u, enum tool_view v)
{
	struct ui_tools *t = ui_tools(u);
	if (u->mode == UI_TOOL && t->view == v) {    /* the same key closes it */
		u->mode = UI_LIST;
		t->view = TV_NONE;
		return;
	}
	u->mode = UI_TOOL;
	t->view = v;
	t->top = 0;
}

int ui_tools_run(struct ui *u, enum ui_action a, const char *arg)
{
	struct review *rv = u->rv;
	struct ui_tools *t = ui_tools(u);
	enum log_action act;
	switch ((int)a) {
	case A_GOTO: return review_goto(rv, arg ? arg : "");
	case A_SEARCH_ALL: return review_search_all(rv, arg ? arg : "") < 0 ? -1 : 0;
	case A_SORT: return review_sort(rv, arg ? arg : "");
	case A_SPOT_CHECK: return review_spot_check(rv, arg ? arg : "");
	case A_UNSURE: return review_unsure(rv);
	case A_BULK:            /* a script's line is its own confirmation */
		if (parse_bulk(rv, arg, &act) < 0)
			return -1;
		return run_bulk(u, act) < 0 ? -1 : 0;
	case A_BULK_ASK:
		if (parse_bulk(rv, arg, &act) < 0)
			return -1;
		t->bulk_action = act;
		t->bulk_count = review_bulk_count(rv);
		if (!t->bulk_count) {
			snprintf(rv->message, sizeof rv->message,
				 "bulk: no undecided example in this queue");
			rv->message_error = 1;
			return -1;
		}
		u->mode = UI_TOOL;
		t->view = TV_CONFIRM;
		return 0;
	case A_EXAMPLES:
		if (review_row(rv) < 0) {
			snprintf(rv->message, sizeof rv->message, "examples: the queue is empty");
			rv->message_error = 1;
			return -1;
		}
		open_view(u, TV_EXAMPLES);
		return 0;
	case A_GUIDE:
		if (!t->guide) {
			snprintf(rv->message, sizeof rv->message, "no guidelines: start relabel review "
				 "with --guidelines FILE");
			rv->message_error = 1;
			return -1;
		}
		if (review_row(rv) < 0) {
			snprintf(rv->message, sizeof rv->message, "guide: the queue is empty");
			rv->message_error = 1;
			return -1;
		}
		open_view(u, TV_GUIDE);
		return 0;
	default:
		return 0;
	}
}

const char *ui_tools_prompt_label(enum ui_action a)
{
	switch ((int)a) {
	case A_GOTO: return "goto (row number or id; \"row N\" or \"id X\" to say which)";
	case A_SEARCH_ALL: return "search the whole dataset (empty: back to the flagged queue)";
	case A_SORT: return "sort by (rank | score | given | suggested | confidence)";
	case A_SPOT_CHECK: return "spot check (N, N new, N SEED; empty reopens the last sample)";
	case A_BULK_ASK: return "bulk (accept | reject | exclude every undecided example here)";
	default: return NULL;
	}
}

int ui_tools_key_action(struct ui *u, enum ui_action a)
{
	switch (a) {
	case A_GOTO: case A_SEARCH_ALL: case A_SORT: case A_SPOT_CHECK: case A_BULK:
		u->mode = UI_PROMPT;
		u->prompt_for = a == A_BULK ? A_BULK_ASK : a;
		u->input[0] = '\0';
		return 1;
	default:
		return 0;
	}
}

int ui_tools_key(struct ui *u, int key)
{
	struct ui_tools *t = ui_tools(u);
	if (t->view == TV_CONFIRM) {
		u->mode = UI_LIST;
		t->view = TV_NONE;
		if (key == 'y' || key == 'Y')
			run_bulk(u, t->bulk_action);
		else
			snprintf(u->rv->message, sizeof u->rv->message, "bulk cancelled: nothing recorded");
		return 0;
	}
	const struct action_def *a = action_for_key(key);
	if (key == 'q' || key == K_ESC || (a && ((a->action == A_EXAMPLES && t->view == TV_EXAMPLES) ||
					   (a->action == A_GUIDE && t->view == TV_GUIDE)))) {
		u->mode = UI_LIST;
		t->view = TV_NONE;
	} else if (key == 'j' || key == K_DOWN) {
		t->top++;
	} else if ((key == 'k' || key == K_UP) && t->top > 0) {
		t->top--;
	} else if (key == K_PGDN || key == ' ') {
		t->top += u->page > 1 ? u->page : 10;
	} else if (key == K_PGUP) {
		t->top = t->top > u->page ? t->top - u->page : 0;
	} else if (key == 'g' || key == K_HOME) {
		t->top = 0;
	}
	return 0;
}
