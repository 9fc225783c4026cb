/* ui_tools.h — the review screen's side of the power tools: their prompts,
 * the bulk confirmation, the class-examples and guidelines views and their
 * keys (drawing in views_tools.c). The state lives in ui.tools, created on
 * first use and freed by ui_free. */
#ifndef RELABEL_UI_TOOLS_H
#define RELABEL_UI_TOOLS_H

#include "guide.h"
#include "ui.h"

enum tool_view { TV_NONE, TV_EXAMPLES, TV_GUIDE, TV_CONFIRM };

/* A prompt's target that is not in the action table: the bulk action typed
 * after B, which asks for a confirmation before anything is recorded. */
#define A_BULK_ASK ((enum ui_action)(A_COUNT + 1))

struct ui_tools {
	enum tool_view view;
	int top;                      /* first line shown (guidelines) */
	enum log_action bulk_action;  /* TV_CONFIRM: what y records */
	size_t bulk_count;
	struct guide *guide;          /* --guidelines, or NULL (owned) */
	int redraws;                  /* bulk progress reports drawn */
	/* Redraw while a bulk action records (the terminal front end sets it). */
	void (*redraw)(struct ui *u);
};

struct ui_tools *ui_tools(struct ui *u);
void ui_tools_free(struct ui *u);

/* Run a tool action (ui_run's default); returns 0 or -1 (message says why).
 * Actions that are not tools return 0 and do nothing. */
int ui_tools_run(struct ui *u, enum ui_action a, const char *arg);
/* A key bound to a tool that needs an argument opens its prompt: returns 1
 * if it did. */
int ui_tools_key_action(struct ui *u, enum ui_action a);
/* Keys while a tool view is open (mode UI_TOOL). */
int ui_tools_key(struct ui *u, int key);
/* The prompt's label for a tool action, or NULL. */
const char *ui_tools_prompt_label(enum ui_action a);

/* Drawing (views_tools.c): the open tool view over the list view. */
void view_tool(struct ui *u, struct canvas *c);
/* The spot check's estimate from line y of the health view, wrapped;
 * returns the lines drawn (0 when there is no sample). */
int view_tools_spot(struct ui *u, struct canvas *c, int y);

#endif
