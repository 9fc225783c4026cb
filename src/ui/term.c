/* term.c — the review screen on a real terminal: ncursesw setup, colours
 * as named roles (with a monochrome fallback for NO_COLOR and terminals
 * without colour), keys to the UI, the canvas to the screen. Signal
 * handlers only set a flag; the loop notices it, restores the terminal and
 * exits. Nothing is written to stderr while curses owns the screen.
 *
 * Pictures in the pixel modes (sixel, kitty, iTerm2) are written after
 * curses has drawn the frame, over the blank cells the view left for
 * them, and only when the picture or its place changed. The one shown is
 * removed before anything else is drawn there: kitty's by its delete
 * command, sixel and iTerm2 ones by having curses repaint those lines;
 * on resize and on exit as well. A reply to the terminal probe that comes
 * after it stopped waiting is recognised and dropped, never taken for
 * keys. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imgview.h"
#include "palette.h"
#include "ui_tools.h"
#include "pixelproto.h"
#include "termprobe.h"
#include "util.h"

static volatile sig_atomic_t got_signal;

/* The keyboard's end of the terminal hung up or is no longer there. */
static int terminal_gone(void)
{
	struct pollfd pf = { STDIN_FILENO, POLLIN, 0 };
	return poll(&pf, 1, 0) > 0 && (pf.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void on_signal(int sig)
{
	got_signal = sig;
}

static struct term_caps caps;

/* The picture on the screen now (pixel modes). */
static struct {
	int on;
	long row;
	int x, y, cols, rows;
	enum img_mode mode;
	const char *seq;
} shown;

static void out(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Whether mode's bytes go through tmux's passthrough to the outer
 * terminal (not sixel: tmux draws sixel itself when its attributes list
 * it). */
static int through_tmux(enum img_mode mode)
{
	return caps.tmux && caps.passthrough && mode != IMG_SIXEL;
}

/* Write seq as is, or through tmux's passthrough. */
static void out_seq(const char *seq, size_t n, enum img_mode mode)
{
	if (through_tmux(mode)) {
		size_t wl;
		char *w = pixel_tmux_wrap(seq, n, &wl);
		out(w, wl);
		free(w);
	} else {
		out(seq, n);
	}
}

/* Remove the picture shown (kitty); the curses part is the caller's. */
static void picture_delete(void)
{
	if (shown.on && shown.mode == IMG_KITTY) {
		const char *d = pixel_kitty_delete();
		out_seq(d, strlen(d), IMG_KITTY);
	}
}

static void restore(void)
{
	picture_delete();
	shown.on = 0;
	if (!isendwin())
		endwin();
}

/* After a frame: remove a picture that is no longer wanted where it is,
 * draw the wanted one if it is not shown yet. */
static void pictures(const struct ui *u, int cur_y, int cur_x)
{
	const struct thumb *t = u->pic.on ? u->pic.t : NULL;
	if (shown.on && t && shown.row == u->pic.row && shown.x == u->pic.x &&
	    shown.y == u->pic.y && shown.cols == t->cols && shown.rows == t->rows &&
	    shown.mode == t->mode && shown.seq == t->seq)
		return;
	if (shown.on) {
		picture_delete();
		if (shown.mode != IMG_KITTY) {
			/* curses forgets what it believes is there and repaints
			 * the lines, which erases the old picture's cells */
			wredrawln(stdscr, shown.y, shown.rows);
			refresh();
		}
		shown.on = 0;
	}
	if (!t)
		return;
	char pos[64];
	int py = u->pic.y + 1, px = u->pic.x + 1;
	if (through_tmux(t->mode)) {     /* the outer terminal's coordinates */
		py += caps.pane_top;
		px += caps.pane_left;
	}
	int pn = snprintf(pos, sizeof pos, "\0337\033[%d;%dH", py, px);
	out_seq(pos, (size_t)pn, t->mode);
	out_seq(t->seq, t->seqlen, t->mode);
	/* the cursor back where curses left it (through tmux: where tmux
	 * had the outer terminal's cursor) */
	if (through_tmux(t->mode))
		pn = snprintf(pos, sizeof pos, "\0338");
	else
		pn = snprintf(pos, sizeof pos, "\0338\033[%d;%dH", cur_y + 1, cur_x + 1);
	out_seq(pos, (size_t)pn, t->mode);
	shown.on = 1;
	shown.row = u->pic.row;
	shown.x = u->pic.x;
	shown.y = u->pic.y;
	shown.cols = t->cols;
	shown.rows = t->rows;
	shown.mode = t->mode;
	shown.seq = t->seq;
}

static attr_t attrs[ST_COUNT];
static struct paircache pairs;
static int rgb_mode;      /* 0 none, 8/16/256 palette, 1 direct colour */

static int color_number(uint32_t c)
{
	uint32_t rgb = c & 0xffffff;
	if (rgb_mode == 1)
		return (int)rgb;
	if (rgb_mode == 256)
		return palette_256(rgb);
	return palette_basic(rgb, rgb_mode);
}

/* Draw an image cell with its own colours; 0 if it could not be. */
static int rgb_cell(int y, int x, const struct canvas_cell *cell)
{
	if (!rgb_mode)
		return 0;
	int fg = CANVAS_IS_RGB(cell->fg) ? color_number(cell->fg) : -1;
	int bg = CANVAS_IS_RGB(cell->bg) ? color_number(cell->bg) : -1;
	int fresh, pair = paircache_get(&pairs, fg, bg, &fresh);
	if (pair < 0)
		return 0;
	if (fresh && init_extended_pair(pair, fg, bg) == ERR)
		return 0;
	attr_set(A_NORMAL, 0, &pair);
	mvaddstr(y, x, cell->text);
	return 1;
}

static void styles(int color)
{
	static const struct { int st; short fg, bg; attr_t mono; } map[] = {
		{ ST_TITLE, COLOR_BLACK, COLOR_CYAN, A_REVERSE | A_BOLD },
		{ ST_SELECTED, COLOR_BLACK, COLOR_WHITE, A_REVERSE },
		{ ST_STATUS, COLOR_BLACK, COLOR_CYAN, A_REVERSE },
		{ ST_KEY, COLOR_YELLOW, -1, A_BOLD },
		{ ST_DIM, COLOR_BLUE, -1, A_DIM },
		{ ST_ACCEPT, COLOR_GREEN, -1, A_BOLD },
		{ ST_REJECT, COLOR_CYAN, -1, A_NORMAL },
		{ ST_EXCLUDE, COLOR_RED, -1, A_UNDERLINE },
		{ ST_RELABEL, COLOR_MAGENTA, -1, A_BOLD },
		{ ST_GIVEN, COLOR_RED, -1, A_BOLD },
		{ ST_SUGGESTED, COLOR_GREEN, -1, A_BOLD },
		{ ST_BAR, COLOR_BLUE, -1, A_NORMAL },
		{ ST_ERROR, COLOR_WHITE, COLOR_RED, A_BOLD | A_REVERSE },
		{ ST_HEAT1, COLOR_BLUE, -1, A_DIM },
		{ ST_HEAT2, COLOR_CYAN, -1, A_NORMAL },
		{ ST_HEAT3, COLOR_YELLOW, -1, A_BOLD },
		{ ST_HEAT4, COLOR_RED, -1, A_BOLD | A_UNDERLINE },
		{ ST_CURSOR, COLOR_BLACK, COLOR_YELLOW, A_REVERSE | A_BOLD },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (color) {
			init_pair((short)(i + 1), map[i].fg, map[i].bg);
			attrs[map[i].st] = COLOR_PAIR(i + 1) |
				(map[i].mono & (A_BOLD | A_UNDERLINE));
		} else {
			attrs[map[i].st] = map[i].mono;
		}
	}
}

static int translate(int ch, int is_key)
{
	if (!is_key) {
		if (ch == '\n' || ch == '\r')
			return K_ENTER;
		if (ch == 27)
			return K_ESC;
		if (ch == 127 || ch == 8)
			return K_BACKSPACE;
		return ch;
	}
	switch (ch) {
	case KEY_UP: return K_UP;
	case KEY_DOWN: return K_DOWN;
	case KEY_LEFT: return K_LEFT;
	case KEY_RIGHT: return K_RIGHT;
	case KEY_PPAGE: return K_PGUP;
	case KEY_NPAGE: return K_PGDN;
	case KEY_HOME: return K_HOME;
	case KEY_END: return K_END;
	case KEY_ENTER: return K_ENTER;
	case KEY_BACKSPACE: return K_BACKSPACE;
	case KEY_RESIZE: return K_RESIZE;
	default: return -1;
	}
}

static void blit(const struct canvas *c)
{
	paircache_frame(&pairs);
	for (int y = 0; y < c->rows; y++)
		for (int x = 0; x < c->cols; x++) {
			const struct canvas_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
			if (cell->width == 0)
				continue;
			if ((CANVAS_IS_RGB(cell->fg) || CANVAS_IS_RGB(cell->bg)) && rgb_cell(y, x, cell))
				continue;
			attrset(attrs[cell->style < ST_COUNT ? cell->style : 0]);
			mvaddstr(y, x, cell->text[0] ? cell->text : " ");
		}
	attrset(A_NORMAL);
	move(c->rows - 1, c->cols - 1);
	refresh();
}

/* Redraw from inside a long action (a bulk action's progress). */
static struct canvas *screen;
static void redraw(struct ui *u)
{
	if (screen) {
		ui_draw(u, screen);
		blit(screen);
	}
}

/* Feed a typed character to the UI as UTF-8 bytes. */
static void feed_char(struct ui *u, wint_t wc)
{
	char mb[8];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, (wchar_t)wc, &st);
	if (n == (size_t)-1)
		return;
	if (n == 1) {
		ui_key(u, translate((unsigned char)mb[0], 0));
		return;
	}
	for (size_t i = 0; i < n; i++)
		ui_key(u, (unsigned char)mb[i]);
}

/* One read from the keyboard to the UI. */
static void handle(struct ui *u, int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		int k = translate((int)wc, 1);
		if (k == K_RESIZE) {
			picture_delete();
			shown.on = 0;
			clear();
		} else if (k >= 0) {
			ui_key(u, k);
		}
	} else if (wc == 3) {          /* Ctrl-C in raw mode */
		got_signal = SIGINT;
	} else {
		feed_char(u, wc);
	}
}

/* An ESC from the keyboard: the Esc key, Alt with a key, or the start of
 * a reply to the probe that the terminal sent after the probe stopped
 * waiting (termprobe_reply_len). Such a reply is read whole and dropped:
 * its digits would pick classes, its letters run actions. Anything else
 * goes to the UI as the keys it is, in order. */
static void escape(struct ui *u)
{
	char buf[520];
	wint_t got[520];
	int kind[520];
	size_t n = 1;
	buf[0] = 0x1b;
	int r;
	while ((r = termprobe_reply_len(buf, n)) < 0 && n < sizeof buf) {
		/* a reply's bytes come together: a lone Esc waits 10 ms */
		timeout(n == 1 ? 10 : 100);
		wint_t wc;
		int k = get_wch(&wc);
		if (k == ERR)
			break;
		got[n] = wc;
		kind[n] = k;
		int plain = k != KEY_CODE_YES && (wc == 0x1b || (wc >= 0x20 && wc <= 0x7e));
		if (!plain) {                /* a key no reply holds */
			n++;
			r = 0;
			break;
		}
		buf[n++] = (char)wc;
	}
	timeout(-1);
	if (r > 0)
		return;
	ui_key(u, K_ESC);
	for (size_t i = 1; i < n; i++)
		handle(u, kind[i], got[i]);     /* an ESC among them: K_ESC again */
}

int term_run(struct ui *u, int color, struct err *e)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(e, ERR_INPUT, "the review screen needs a terminal on stdin "
			       "and stdout; for a scripted run use --script FILE --size COLSxROWS");
	setlocale(LC_ALL, "");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Ask the terminal what it draws before curses owns it (short
	 * timeout; an explicit choice needs only the cell size). */
	memset(&caps, 0, sizeof caps);
	termprobe_env(&caps);
	if (u->image_mode < 0 || IMG_IS_PIXELS(u->image_mode))
		termprobe_query(STDIN_FILENO, STDOUT_FILENO, 400, &caps);
	if (!initscr())
		return err_set(e, ERR_RUNTIME, "cannot initialise the terminal");
	util_set_die_hook(restore);
	atexit(restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	const char *nc = getenv("NO_COLOR");
	int use = color == 1 || (color < 0 && !(nc && *nc) && has_colors());
	if (use && has_colors()) {
		start_color();
		use_default_colors();
	}
	styles(use && has_colors());
	rgb_mode = 0;
	if (use && has_colors())
		rgb_mode = COLORS >= 0x1000000 ? 1 : COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : 8;
	int cap = COLOR_PAIRS - 33 < 1024 ? COLOR_PAIRS - 33 : 1024;
	paircache_init(&pairs, 32, cap);
	if (u->image_mode < 0) {
		char why[112];
		u->image_mode = termprobe_choose(&caps, rgb_mode != 0,
						 !strcmp(nl_langinfo(CODESET), "UTF-8"), why, sizeof why);
		snprintf(u->image_why, sizeof u->image_why, "%s (auto)", why);
	}
	if (IMG_IS_PIXELS(u->image_mode) && (caps.cell_w < 1 || caps.cell_h < 1)) {
		caps.cell_w = 10;       /* asked for, but the terminal did not say */
		caps.cell_h = 20;
	}
	u->cell_w = caps.cell_w;
	u->cell_h = caps.cell_h;
	u->colors = rgb_mode == 1 ? 0 : rgb_mode;
	memset(&shown, 0, sizeof shown);
	struct canvas *c = canvas_new(COLS, LINES);
	screen = c;
	ui_tools(u)->redraw = redraw;
	int errs = 0, status = 0;
	while (!u->quit && !got_signal) {
		if (c->cols != COLS || c->rows != LINES)
			canvas_resize(c, COLS, LINES);
		/* Keys typed ahead are handled before anything is drawn: held
		 * keys never wait for the previews they pass over. */
		struct pollfd pf = { STDIN_FILENO, POLLIN, 0 };
		if (poll(&pf, 1, 0) <= 0) {
			ui_draw(u, c);
			blit(c);
			pictures(u, c->rows - 1, c->cols - 1);
			/* the next pictures are made in the background while
			 * the reviewer looks at this one */
			ui_prepare(u);
		}
		/* While no key comes, build the search indexes a slice at a
		 * time; once there is nothing left to do, block on the keyboard. */
		wint_t wc;
		int r;
		for (;;) {
			int work = ui_prefetch(u);
			timeout(work ? 0 : -1);
			r = get_wch(&wc);
			if (r != ERR || !work || got_signal || terminal_gone())
				break;
		}
		timeout(-1);
		if (r == ERR) {
			/* the terminal hung up (its window closed, its multiplexer
			 * killed): end as on SIGHUP instead of spinning on reads */
			if (terminal_gone()) {
				got_signal = SIGHUP;
				break;
			}
			if (++errs > 100)
				break;
			continue;
		}
		errs = 0;
		if (r != KEY_CODE_YES && wc == 27)
			escape(u);
		else
			handle(u, r, wc);
	}
	if (shown.on) {                 /* no picture stays over the shell */
		picture_delete();
		shown.on = 0;
		clear();
		refresh();
	}
	ui_tools(u)->redraw = NULL;
	screen = NULL;
	canvas_free(c);
	paircache_free(&pairs);
	restore();
	util_set_die_hook(NULL);
	if (got_signal)
		status = 128 + got_signal;
	return status;
}
