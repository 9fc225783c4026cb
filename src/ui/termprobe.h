/* termprobe.h — what the terminal can draw: the kitty graphics query, the
 * primary device attributes (DA1; attribute 4 is sixel), the cell size in
 * pixels (TIOCGWINSZ, else CSI 16 t, else CSI 14 t over the cell count),
 * tmux and its passthrough, and the automatic choice of an image mode.
 * The query is asked before curses starts, with a short timeout: a
 * terminal that does not answer is never waited for. Parsing and choosing
 * are pure functions. No curses here. */
#ifndef RELABEL_TERMPROBE_H
#define RELABEL_TERMPROBE_H

#include <stddef.h>

struct term_caps {
	int answered;            /* the DA1 reply came */
	int kitty;               /* the kitty graphics query was answered OK */
	int sixel;               /* DA1 lists attribute 4 */
	int cell_w, cell_h;      /* pixels, 0 if unknown */
	int win_w, win_h;        /* the text area in pixels (CSI 14 t), 0 if unknown */
	int cols, rows;          /* the terminal's cells (TIOCGWINSZ) */
	int tmux;                /* running inside tmux */
	int passthrough;         /* tmux's allow-passthrough is on */
	int pane_top, pane_left; /* inside tmux: the pane's place on the outer terminal */
	int iterm;               /* the environment names iTerm2 or WezTerm */
	int xterm;               /* XTERM_VERSION is set (its fonts lack sextants) */
};

/* Read the terminal's replies in buf (n bytes) into c. */
void termprobe_parse(const char *buf, size_t n, struct term_caps *c);
/* Whether buf (n bytes, from the keyboard, starting with ESC) is a reply
 * to the probe that came too late for it: DA1 (ESC [ ? ... c), the
 * kitty graphics reply (ESC _ G ... ESC \), the text area or cell size
 * (ESC [ 4 ; H ; W t, ESC [ 6 ; H ; W t). Such bytes are never keys.
 * Returns the reply's length when buf starts with a whole one, -1 while
 * the bytes so far could still become one, 0 when they cannot. */
int termprobe_reply_len(const char *buf, size_t n);
/* What the environment says: tmux (and, by asking tmux, its passthrough
 * and the pane's place), iTerm2. */
void termprobe_env(struct term_caps *c);
/* Ask the terminal on (in, out), both a tty, and wait at most timeout_ms
 * for the replies. Returns 1 if the terminal answered, 0 if not, -1 if
 * the terminal could not be set up for asking. */
int termprobe_query(int in, int out, int timeout_ms, struct term_caps *c);
/* The image mode to use (enum img_mode) given the caps, whether the screen
 * has colours and UTF-8; why says how it was chosen. */
int termprobe_choose(const struct term_caps *c, int colour, int utf8, char *why, size_t n);

#endif
