/* actions.c — the review screen's action table (see actions.h). */
#include "actions.h"

#include <string.h>

#define CTRL(c) ((c) & 0x1f)

const struct action_def action_table[] = {
	{ A_DOWN, "down", NULL, { 'j', K_DOWN }, "j Down", NULL, "next example" },
	{ A_UP, "up", NULL, { 'k', K_UP }, "k Up", NULL, "previous example" },
	{ A_PAGE_DOWN, "page-down", NULL, { K_PGDN, CTRL('f') }, "PgDn ^F", NULL, "a page down" },
	{ A_PAGE_UP, "page-up", NULL, { K_PGUP, CTRL('b') }, "PgUp ^B", NULL, "a page up" },
	{ A_TOP, "top", NULL, { 'g', K_HOME }, "g Home", NULL, "first example" },
	{ A_BOTTOM, "bottom", NULL, { 'G', K_END }, "G End", NULL, "last example" },
	{ A_GOTO, "goto", "ROW|ID", { ':' }, ":", NULL, "go to any example by row or id (unflagged: added by hand)" },
	{ A_NEXT_UNDECIDED, "next-undecided", NULL, { '\t', '.' }, "Tab .", "next", "jump to the next undecided example" },
	{ A_ACCEPT, "accept", NULL, { 'a' }, "a", "accept", "accept the suggested label" },
	{ A_RELABEL, "relabel", "NAME", { 'l' }, "l", "relabel", "pick a label, most likely first (type filters; 1-9 0 A-Z)" },
	{ A_PICK, "pick", "N", { 0 }, "1-9 0", "pick", "relabel to the N-th most likely class (the numbered bars)" },
	{ A_REJECT, "reject", NULL, { 'r' }, "r", "reject", "reject the flag: keep the given label" },
	{ A_EXCLUDE, "exclude", NULL, { 'x' }, "x", "exclude", "exclude the example from the dataset" },
	{ A_UNSURE, "unsure", NULL, { 'U' }, "U", NULL, "unsure: cannot tell; label stays, the expert sees it" },
	{ A_SKIP, "skip", NULL, { 's', ' ' }, "s Space", "skip", "skip: decide later (nothing is recorded)" },
	{ A_UNDO, "undo", NULL, { 'u' }, "u", "undo", "undo your last decision and go back to it" },
	{ A_NOTE, "note", "TEXT", { 'c' }, "c", "note", "write a note on this example (kept in the log)" },
	{ A_SEARCH, "search", "TEXT", { '/' }, "/", "search", "search ids and text" },
	{ A_SEARCH_NEXT, "search-next", NULL, { 'n' }, "n", NULL, "next match" },
	{ A_SEARCH_PREV, "search-prev", NULL, { 'N' }, "N", NULL, "previous match" },
	{ A_SEARCH_ALL, "search-all", "TEXT", { 'A' }, "A", NULL, "search the whole dataset, flagged matches first" },
	{ A_FILTER, "filter", "SPEC", { 'f' }, "f", "filter", "filter: given/suggested NAME, pair A B, state S (adds)" },
	{ A_CLEAR_FILTER, "clear-filter", NULL, { 'F' }, "F", NULL, "clear the filter; back to the flagged examples" },
	{ A_SORT, "sort", "KEY", { 'o' }, "o", NULL, "sort: rank | score | given | suggested | confidence" },
	{ A_BULK, "bulk", "ACTION", { 'B' }, "B", NULL, "bulk accept|reject|exclude: every undecided one here" },
	{ A_COMMIT, "commit", "MESSAGE", { 'C' }, "C", NULL, "commit a version with a message" },
	{ A_STATS, "stats", NULL, { 'S' }, "S", "stats", "stats: label quality, confident joint, agreement" },
	{ A_SPOT_CHECK, "spot-check", "N", { 'P' }, "P", NULL, "spot check: a seeded sample of N unflagged examples" },
	{ A_EXAMPLES, "examples", NULL, { 'e' }, "e", NULL, "most confident examples of the given and suggested class" },
	{ A_GUIDE, "guide", NULL, { 'H' }, "H", NULL, "guidelines on the given and suggested class" },
	{ A_EXPERT, "expert", NULL, { 'E' }, "E", "pass", "switch between first review and second (expert) review" },
	{ A_CONFIRM, "confirm", NULL, { 'y' }, "y", "confirm", "expert: confirm the annotator's decision" },
	{ A_BLIND, "blind", NULL, { 'b' }, "b", "blind", "expert: hide or show the annotator's decision" },
	{ A_REFRESH, "refresh", NULL, { 'R', CTRL('l') }, "R ^L", NULL, "re-read decisions made by others and redraw" },
	{ A_PREVIEW_DOWN, "preview-down", NULL, { 'J' }, "J", NULL, "scroll the preview down" },
	{ A_PREVIEW_UP, "preview-up", NULL, { 'K' }, "K", NULL, "scroll the preview up" },
	{ A_IMAGES, "images", NULL, { 'i' }, "i", NULL, "turn image previews off or on" },
	{ A_ZOOM, "zoom", NULL, { 'z' }, "z", NULL, "the image full-screen (any key returns)" },
	{ A_HELP, "help", NULL, { '?' }, "?", "help", "this help" },
	{ A_QUIT, "quit", NULL, { 'q' }, "q", "quit", "leave the view; quit from the list" },
	{ A_NONE, NULL, NULL, { 0 }, NULL, NULL, NULL },
};

const struct action_def *action_for_key(int key)
{
	for (const struct action_def *a = action_table; a->name; a++)
		for (int i = 0; i < 3 && a->keys[i]; i++)
			if (a->keys[i] == key)
				return a;
	return NULL;
}

const struct action_def *action_named(const char *name)
{
	for (const struct action_def *a = action_table; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

const struct action_def *action_def(enum ui_action act)
{
	for (const struct action_def *a = action_table; a->name; a++)
		if (a->action == act)
			return a;
	return NULL;
}
