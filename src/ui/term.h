/* term.h — the interactive front end (the only user of curses). */
#ifndef RELABEL_TERM_H
#define RELABEL_TERM_H

#include "ui.h"

/* Run the review screen until the user quits or a signal arrives. Refuses
 * a stdin or stdout that is not a terminal. Returns the exit status (0, or
 * 128 + signal) or -1 with e filled. The terminal is restored on every
 * path. color: -1 auto (NO_COLOR and the terminal decide), 0 never, 1 always. */
int term_run(struct ui *u, int color, struct err *e);

#endif
