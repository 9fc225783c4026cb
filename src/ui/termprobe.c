/* termprobe.c — asking the terminal what it can draw (see termprobe.h). */
#include "termprobe.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "imgview.h"
#include "pixelproto.h"

/* The numbers of a CSI parameter list "1;2;3" up to the final byte. */
static int params(const char *p, const char *end, int *v, int max)
{
	int n = 0, cur = 0, have = 0;
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			cur = cur * 10 + (*p - '0');
			if (cur > 100000)
				cur = 100000;
			have = 1;
		} else if (*p == ';') {
			if (n < max)
				v[n++] = have ? cur : 0;
			cur = have = 0;
		}
	}
	if (have && n < max)
		v[n++] = cur;
	return n;
}

#define REPLY_MAX 512      /* longer is no reply relabel asked for */

int termprobe_reply_len(const char *buf, size_t n)
{
	if (n < 1 || buf[0] != 0x1b)
		return 0;
	if (n < 2)
		return -1;
	if (buf[1] == '_') {              /* ESC _ G ... ESC \ */
		if (n >= 3 && buf[2] != 'G')
			return 0;
		for (size_t i = 3; i + 1 < n; i++)
			if (buf[i] == 0x1b)
				return buf[i + 1] == '\\' ? (int)i + 2 : 0;
		return n < REPLY_MAX ? -1 : 0;
	}
	if (buf[1] != '[')
		return 0;
	size_t i = 2;
	int priv = n > 2 && buf[2] == '?';
	if (priv)
		i++;
	int fields = 1, digits = 0, first = 0;
	for (; i < n && i < REPLY_MAX; i++) {
		char ch = buf[i];
		if (ch >= '0' && ch <= '9') {
			if (fields == 1 && digits < 3)
				first = first * 10 + (ch - '0');
			digits++;
		} else if (ch == ';') {
			fields++;
		} else if (priv) {
			return ch == 'c' && digits ? (int)i + 1 : 0;
		} else {
			return ch == 't' && fields == 3 && (first == 4 || first == 6) ? (int)i + 1 : 0;
		}
	}
	/* the parameters so far: a size reply starts 4 ; or 6 ; */
	if (!priv && i > 2 && first != 4 && first != 6)
		return 0;
	return i < REPLY_MAX ? -1 : 0;
}

void termprobe_parse(const char *buf, size_t n, struct term_caps *c)
{
	for (size_t i = 0; i + 2 < n; i++) {
		if (buf[i] != 0x1b)
			continue;
		const char *p = buf + i + 2, *end = buf + n;
		if (buf[i + 1] == '_' && p < end && *p == 'G') {
			/* kitty: ESC _ G i=31;OK ESC \ */
			const char *semi = memchr(p, ';', (size_t)(end - p));
			if (semi && end - semi >= 3 && !memcmp(semi + 1, "OK", 2))
				c->kitty = 1;
			continue;
		}
		if (buf[i + 1] != '[')
			continue;
		const char *q = p;
		int priv = q < end && *q == '?';
		if (priv)
			q++;
		const char *f = q;
		while (f < end && ((*f >= '0' && *f <= '9') || *f == ';'))
			f++;
		if (f >= end)
			break;
		int v[32], k = params(q, f, v, 32);
		if (priv && *f == 'c') {         /* DA1: ESC [ ? 62 ; 4 ; ... c */
			c->answered = 1;
			for (int j = 1; j < k; j++)
				if (v[j] == 4)
					c->sixel = 1;
		} else if (!priv && *f == 't' && k == 3 && v[1] > 0 && v[2] > 0) {
			if (v[0] == 6) {         /* cell size: ESC [ 6 ; H ; W t */
				c->cell_h = v[1];
				c->cell_w = v[2];
			} else if (v[0] == 4) {  /* text area: ESC [ 4 ; H ; W t */
				c->win_h = v[1];
				c->win_w = v[2];
			}
		}
	}
	if ((!c->cell_w || !c->cell_h) && c->win_w && c->cols > 0 && c->rows > 0) {
		c->cell_w = c->win_w / c->cols;
		c->cell_h = c->win_h / c->rows;
	}
}

void termprobe_env(struct term_caps *c)
{
	const char *tp = getenv("TERM_PROGRAM"), *lt = getenv("LC_TERMINAL");
	if ((tp && (!strcmp(tp, "iTerm.app") || !strcmp(tp, "WezTerm"))) ||
	    (lt && !strcmp(lt, "iTerm2")))
		c->iterm = 1;
	const char *xv = getenv("XTERM_VERSION");
	c->xterm = xv && *xv;
	const char *tm = getenv("TMUX");
	if (!tm || !*tm)
		return;
	c->tmux = 1;
	FILE *p = popen("tmux display-message -p "
			"'#{pane_top} #{pane_left} #{allow-passthrough}' 2>/dev/null", "r");
	if (!p)
		return;
	char line[128] = "";
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	pclose(p);
	char pass[32] = "";
	if (sscanf(line, "%d %d %31s", &c->pane_top, &c->pane_left, pass) >= 2)
		c->passthrough = !strcmp(pass, "1") || !strcmp(pass, "on") || !strcmp(pass, "all");
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int termprobe_query(int in, int out, int timeout_ms, struct term_caps *c)
{
	struct winsize ws;
	if (ioctl(out, TIOCGWINSZ, &ws) == 0) {
		c->cols = ws.ws_col;
		c->rows = ws.ws_row;
		if (ws.ws_xpixel > 0 && ws.ws_ypixel > 0 && ws.ws_col > 0 && ws.ws_row > 0) {
			c->cell_w = ws.ws_xpixel / ws.ws_col;
			c->cell_h = ws.ws_ypixel / ws.ws_row;
		}
	}
	const char *term = getenv("TERM");
	if (term && (!strcmp(term, "dumb") || !strncmp(term, "linux", 5)))
		return 0;       /* no graphics there, and no APC to ask with */
	struct termios old, raw;
	if (tcgetattr(in, &old) < 0)
		return -1;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in, TCSANOW, &raw) < 0)
		return -1;
	/* The kitty query first, DA1 last: every terminal answers DA1, and in
	 * order, so its reply ends the wait. Inside tmux the kitty query goes
	 * to the outer terminal through the passthrough, if it is on. */
	const char *kq = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";
	char q[256];
	size_t ql = 0;
	if (!c->tmux || c->passthrough) {
		size_t wl;
		char *w = c->tmux ? pixel_tmux_wrap(kq, strlen(kq), &wl) : NULL;
		ql = (size_t)snprintf(q, sizeof q, "%s", w ? w : kq);
		free(w);
	}
	ql += (size_t)snprintf(q + ql, sizeof q - ql, "\x1b[16t\x1b[14t\x1b[c");
	ssize_t wr = write(out, q, ql);
	(void)wr;
	char buf[4096];
	size_t n = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int cell_known = c->cell_w > 0;
	for (;;) {
		long left = timeout_ms - ms_since(&t0);
		if (left <= 0)
			break;
		struct pollfd pf = { in, POLLIN, 0 };
		int r = poll(&pf, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		ssize_t got = read(in, buf + n, sizeof buf - 1 - n);
		if (got <= 0)
			break;
		n += (size_t)got;
		struct term_caps t = *c;
		termprobe_parse(buf, n, &t);
		if (t.answered || n >= sizeof buf - 1)
			break;
	}
	int tw = c->cell_w, th = c->cell_h;
	termprobe_parse(buf, n, c);
	if (cell_known) {         /* the kernel's figure wins */
		c->cell_w = tw;
		c->cell_h = th;
	}
	/* no late reply may reach the screen as keys */
	tcflush(in, TCIFLUSH);
	tcsetattr(in, TCSANOW, &old);
	return c->answered;
}

int termprobe_choose(const struct term_caps *c, int colour, int utf8, char *why, size_t n)
{
	int cell = c->cell_w > 0 && c->cell_h > 0;
	/* colours off (NO_COLOR, --color=never, a monochrome terminal): no
	 * colour pictures either, whatever the terminal can draw; the
	 * character ramp shows the picture's light and dark */
	if (!colour) {
		snprintf(why, n, "ascii: colours are off (NO_COLOR, --color=never or a "
			 "terminal without colours)");
		return IMG_ASCII;
	}
	if (c->kitty) {
		snprintf(why, n, "kitty: the terminal answered the graphics query%s",
			 c->tmux ? " (through tmux's passthrough)" : "");
		return IMG_KITTY;
	}
	if (c->sixel && cell) {
		snprintf(why, n, "sixel: the terminal's attributes list sixel, cells %dx%d px",
			 c->cell_w, c->cell_h);
		return IMG_SIXEL;
	}
	if (c->iterm && cell && (!c->tmux || c->passthrough)) {
		snprintf(why, n, "iterm: the environment names iTerm2 or WezTerm");
		return IMG_ITERM;
	}
	const char *because = c->tmux && !c->passthrough ?
			      "inside tmux without allow-passthrough" :
			      c->sixel ? "sixel, but the cell size is unknown" :
			      c->answered ? "no graphics protocol answered" : "the terminal did not answer";
	if (colour && utf8 && c->xterm) {
		snprintf(why, n, "blocks: %s; xterm's fonts have no sextants", because);
		return IMG_BLOCKS;
	}
	if (colour && utf8) {
		snprintf(why, n, "symbols: %s", because);
		return IMG_SYMBOLS;
	}
	snprintf(why, n, "ascii: %s, and no UTF-8", because);
	return IMG_ASCII;
}
