/* actions.h — every action of the review screen, in one table: its script
 * name, its keys, its help text. The key bar, the help screen, the key
 * dispatcher and the headless script parser all read this table. */
#ifndef RELABEL_ACTIONS_H
#define RELABEL_ACTIONS_H

/* Keys beyond ASCII, as the front ends report them. */
enum {
	K_UP = 0x10000, K_DOWN, K_LEFT, K_RIGHT, K_PGUP, K_PGDN, K_HOME, K_END,
	K_ENTER, K_ESC, K_BACKSPACE, K_RESIZE,
};

enum ui_action {
	A_NONE, A_DOWN, A_UP, A_PAGE_DOWN, A_PAGE_UP, A_TOP, A_BOTTOM,
	A_NEXT_UNDECIDED, A_ACCEPT, A_RELABEL, A_PICK, A_REJECT, A_EXCLUDE, A_SKIP, A_UNDO,
	A_NOTE, A_SEARCH, A_SEARCH_NEXT, A_SEARCH_PREV, A_FILTER, A_CLEAR_FILTER,
	A_COMMIT, A_STATS, A_EXPERT, A_CONFIRM, A_BLIND, A_REFRESH,
	A_PREVIEW_DOWN, A_PREVIEW_UP, A_IMAGES, A_HELP, A_QUIT, A_ZOOM,
	A_GOTO, A_SEARCH_ALL, A_SPOT_CHECK, A_BULK, A_UNSURE, A_EXAMPLES, A_GUIDE, A_SORT,
	A_COUNT
};

struct action_def {
	enum ui_action action;
	const char *name;       /* as written in scripts */
	const char *arg;        /* argument it takes in scripts, or NULL */
	int keys[3];            /* 0-terminated */
	const char *keys_text;  /* how the help shows the keys */
	const char *bar;        /* short label for the key bar, or NULL */
	const char *help;
};

extern const struct action_def action_table[];

const struct action_def *action_for_key(int key);
const struct action_def *action_named(const char *name);
const struct action_def *action_def(enum ui_action a);

#endif
