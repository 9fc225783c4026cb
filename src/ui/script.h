/* script.h — the headless front end: replays one named action per line
 * (the names the help screen shows) against a review screen of a fixed
 * size, recording decisions exactly as keystrokes would, and writes text
 * snapshots of the screen and the session state. No terminal, no sleeps. */
#ifndef RELABEL_SCRIPT_H
#define RELABEL_SCRIPT_H

#include <stdio.h>

#include "ui.h"

/* Run the script read from f (named `name` in messages). Snapshots go to
 * snapdir/NAME.txt. Returns 0, or -1 with e filled (bad line: ERR_INPUT
 * naming name:line). */
int script_run(struct ui *u, FILE *f, const char *name, int cols, int rows,
	       const char *snapdir, struct err *e);

/* Parse "COLSxROWS"; returns 0 or -1. */
int script_parse_size(const char *s, int *cols, int *rows);

#endif
