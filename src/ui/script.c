/* script.c — replaying named actions headlessly (see script.h). Besides the
 * action table's names it knows: resize COLSxROWS, snapshot NAME, key K
 * (a character, or Up Down Left Right PgUp PgDn Home End Enter Esc
 * Backspace Tab Space), type TEXT (each character as a key), idle (what
 * the screen does while no key comes, to its end: the search indexes, and
 * the next pictures, waited for), pause MS (the reviewer looks at the
 * screen for MS milliseconds: idle work until then, while the background
 * worker prepares what it can). After every line the screen asks for the
 * next pictures as the terminal front end does after a frame. */
#include "script.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "numparse.h"
#include "util.h"

int script_parse_size(const char *s, int *cols, int *rows)
{
	/* plain decimal COLSxROWS, each 1..1000 */
	const char *x = strpbrk(s, "xX");
	char c[16];
	unsigned long long a, b;
	if (!x || (size_t)(x - s) >= sizeof c)
		return -1;
	memcpy(c, s, (size_t)(x - s));
	c[x - s] = '\0';
	if (numparse_uint(c, 1000, &a) < 0 || numparse_uint(x + 1, 1000, &b) < 0 ||
	    a == 0 || b == 0)
		return -1;
	*cols = (int)a;
	*rows = (int)b;
	return 0;
}

static int key_named(const char *k)
{
	static const struct { const char *name; int key; } names[] = {
		{ "Up", K_UP }, { "Down", K_DOWN }, { "Left", K_LEFT }, { "Right", K_RIGHT },
		{ "PgUp", K_PGUP }, { "PgDn", K_PGDN }, { "Home", K_HOME }, { "End", K_END },
		{ "Enter", K_ENTER }, { "Esc", K_ESC }, { "Backspace", K_BACKSPACE },
		{ "Tab", '\t' }, { "Space", ' ' },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(k, names[i].name))
			return names[i].key;
	return strlen(k) == 1 ? (unsigned char)k[0] : -1;
}

static int snapshot(struct ui *u, struct canvas *c, const char *dir, const char *name,
		    struct err *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.txt", dir ? dir : ".", name);
	FILE *f = fopen(path, "w");
	if (!f)
		return err_set(e, ERR_RUNTIME, "%s: cannot write snapshot", path);
	ui_draw(u, c);
	canvas_write_text(c, f);
	struct review *rv = u->rv;
	char filt[300], idbuf[32];
	review_filter_text(rv, filt, sizeof filt);
	long row = review_row(rv);
	fprintf(f, "--- state\nmode: %d\nqueue: %zu\ncursor: %zu\nrow: %ld\nid: %s\n"
		"filter: %s\ndecisions: %zu\nversion: %lld\nmessage: %s\n", (int)u->mode,
		rv->qlen, rv->cursor, row, row >= 0 ? dataset_id(rv->d, (size_t)row, idbuf) : "",
		filt, rv->ndec, (long long)rv->version, rv->message);
	return fclose(f) == 0 ? 0 : err_set(e, ERR_RUNTIME, "%s: cannot write snapshot", path);
}

static double now_ms(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int line_cmd(struct ui *u, struct canvas *c, char *cmd, char *arg,
		    const char *snapdir, const char *where, struct err *e)
{
	if (!strcmp(cmd, "resize")) {
		int cols, rows;
		if (script_parse_size(arg, &cols, &rows) < 0)
			return err_set(e, ERR_INPUT, "%s: resize needs COLSxROWS", where);
		canvas_resize(c, cols, rows);
		return 0;
	}
	if (!strcmp(cmd, "idle")) {     /* the reviewer pauses: everything is made */
		ui_draw(u, c);
		ui_prepare(u);
		while (ui_prefetch(u))
			;
		review_search_settle(u->rv);   /* its own thread's part */
		while (ui_prefetch(u))
			;
		thumbcache_settle(&u->tc);
		return 0;
	}
	if (!strcmp(cmd, "pause")) {    /* the reviewer looks for MS milliseconds */
		unsigned long long ms;
		if (numparse_uint(arg, 60000, &ms) < 0)
			return err_set(e, ERR_INPUT, "%s: pause needs milliseconds (0-60000)", where);
		double end = now_ms(CLOCK_MONOTONIC) + (double)ms;
		ui_draw(u, c);
		ui_prepare(u);
		while (now_ms(CLOCK_MONOTONIC) < end && ui_prefetch(u))
			;
		double left = end - now_ms(CLOCK_MONOTONIC);
		if (left > 0) {
			struct timespec ts = { (time_t)(left / 1e3),
					       (long)((left - (double)(time_t)(left / 1e3) * 1e3) * 1e6) };
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
		return 0;
	}
	if (!strcmp(cmd, "snapshot"))
		return *arg ? snapshot(u, c, snapdir, arg, e) :
			      err_set(e, ERR_INPUT, "%s: snapshot needs a name", where);
	if (!strcmp(cmd, "key") || !strcmp(cmd, "type")) {
		int k = cmd[0] == 'k' ? key_named(arg) : 0;
		if (cmd[0] == 'k' && k < 0)
			return err_set(e, ERR_INPUT, "%s: unknown key '%s'", where, arg);
		ui_draw(u, c);    /* keys act on what is on screen (page size) */
		if (cmd[0] == 'k')
			ui_key(u, k);
		else
			for (char *p = arg; *p; p++)
				ui_key(u, (unsigned char)*p);
		return 0;
	}
	const struct action_def *a = action_named(cmd);
	if (!a)
		return err_set(e, ERR_INPUT, "%s: unknown action '%s' (see relabel review "
			       "--help or the ? screen)", where, cmd);
	if (a->arg && !*arg && a->action != A_COMMIT)
		return err_set(e, ERR_INPUT, "%s: %s needs %s", where, cmd, a->arg);
	ui_draw(u, c);
	ui_run(u, a->action, a->arg ? arg : NULL);
	return 0;
}

/* Milliseconds since this process started (Linux: /proc/self/stat's start
 * time, in clock ticks since boot), or -1. */
static double since_start_ms(void)
{
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return -1;
	char buf[1024];
	size_t got = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[got] = '\0';
	char *p = strrchr(buf, ')');    /* the command name may hold spaces */
	unsigned long long start = 0;
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &start) != 1)
		return -1;
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	double ticks = (double)sysconf(_SC_CLK_TCK);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - (double)start / ticks) * 1e3;
}

int script_run(struct ui *u, FILE *f, const char *name, int cols, int rows,
	       const char *snapdir, struct err *e)
{
	struct canvas *c = canvas_new(cols, rows);
	/* RELABEL_SCRIPT_TIMES=FILE: time of each line, action plus redraw:
	 * "NAME WALL-MS CPU-MS UI-CPU-MS" (CPU of every thread of the
	 * process, then of this thread only), after a first line
	 * "first-screen MS CPU-MS": the time from the start of the process to
	 * the first frame drawn (10 ms resolution). */
	const char *tpath = getenv("RELABEL_SCRIPT_TIMES");
	FILE *times = tpath && *tpath ? fopen(tpath, "w") : NULL;
	if (times) {
		ui_draw(u, c);
		fprintf(times, "first-screen %.0f %.3f\n", since_start_ms(),
			now_ms(CLOCK_PROCESS_CPUTIME_ID));
	}
	char line[4096];
	size_t lineno = 0;
	int rc = 0;
	while (rc == 0 && !u->quit && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char *cmd = line + strspn(line, " \t");
		if (!*cmd || *cmd == '#')
			continue;
		char *arg = cmd + strcspn(cmd, " \t");
		if (*arg)
			*arg++ = '\0';
		arg += strspn(arg, " \t");
		char where[600];
		snprintf(where, sizeof where, "%s:%zu", name, lineno);
		double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID),
		       u0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
		rc = line_cmd(u, c, cmd, arg, snapdir, where, e);
		/* the frame the line leaves (a dataset without images is not
		 * drawn again), then, once it is shown, the next pictures are
		 * asked for, as the terminal front end does */
		if (times || (rc == 0 && u->rv->d->image_col >= 0))
			ui_draw(u, c);
		if (times)
			fprintf(times, "%s %.3f %.3f %.3f\n", cmd, now_ms(CLOCK_MONOTONIC) - t0,
				now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0,
				now_ms(CLOCK_THREAD_CPUTIME_ID) - u0);
		if (rc == 0)
			ui_prepare(u);
	}
	if (times)
		fclose(times);
	canvas_free(c);
	return rc;
}
