/* output_tmp.c — named temporary files (where O_TMPFILE is not to be had,
 * and for the instant between naming an unnamed one and renaming it over
 * its target): their names, their removal on a fatal signal, the removal of
 * those a killed run left, and SIGPIPE while an in-place output is open. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output_priv.h"
#include "util.h"

/* ---- temporary files: names, signals, leftovers ------------------------ */

#define TMP_BASE_MAX 200       /* leaves room for ".tmp.PID.XXXXXX" */
#define MAX_TEMPS 8

static char temp_paths[MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_used[MAX_TEMPS];
static const int temp_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
static struct sigaction temp_old[4];
static int temp_hooked[4], ntemps;

/* A fatal signal while named temporary files exist: remove them, then die
 * of the signal as before. */
static void on_fatal_signal(int sig)
{
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temp_used[i])
			unlink(temp_paths[i]);
	for (int k = 0; k < 4; k++)
		if (temp_signals[k] == sig)
			sigaction(sig, &temp_old[k], NULL);
	raise(sig);
}

int out_temp_track(const char *p)
{
	if (strlen(p) >= PATH_MAX)
		return 0;
	for (int i = 0; i < MAX_TEMPS; i++) {
		if (temp_used[i])
			continue;
		strcpy(temp_paths[i], p);
		temp_used[i] = 1;
		if (ntemps++ == 0)
			for (int k = 0; k < 4; k++) {
				struct sigaction sa;
				memset(&sa, 0, sizeof sa);
				sa.sa_handler = on_fatal_signal;
				sigemptyset(&sa.sa_mask);
				/* only where nobody else handles (or ignores) the signal */
				temp_hooked[k] = sigaction(temp_signals[k], NULL, &temp_old[k]) == 0 &&
						 temp_old[k].sa_handler == SIG_DFL &&
						 sigaction(temp_signals[k], &sa, NULL) == 0;
			}
		return i + 1;
	}
	return 0;
}

void out_temp_untrack(int slot)
{
	if (slot <= 0 || !temp_used[slot - 1])
		return;
	temp_used[slot - 1] = 0;
	if (--ntemps == 0)
		for (int k = 0; k < 4; k++)
			if (temp_hooked[k])
				sigaction(temp_signals[k], &temp_old[k], NULL);
}

char *out_temp_name(const char *final)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long seq;
	const char *base;
	char *dir = out_dir_of(final, &base);
	size_t bl = strlen(base) < TMP_BASE_MAX ? strlen(base) : TMP_BASE_MAX;
	char *t = xmalloc(strlen(dir) + bl + 40);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
			  (++seq * 2654435761UL);
	char x[7];
	for (int i = 0; i < 6; i++, r /= 62)
		x[i] = abc[r % 62];
	x[6] = '\0';
	sprintf(t, "%s/%.*s.tmp.%ld.%s", dir, (int)bl, base, (long)getpid(), x);
	free(dir);
	return t;
}

/* Remove DIR/BASE.tmp.PID.XXXXXX files left by runs that were killed (their
 * process no longer exists). */
void out_clean_leftovers(const char *final)
{
	const char *base;
	char *dir = out_dir_of(final, &base);
	size_t bl = strlen(base) < TMP_BASE_MAX ? strlen(base) : TMP_BASE_MAX;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *nm = de->d_name, *p = nm + bl;
		if (strncmp(nm, base, bl) || strncmp(p, ".tmp.", 5))
			continue;
		char *end;
		errno = 0;
		long pid = strtol(p + 5, &end, 10);
		struct stat st;
		if (errno || end == p + 5 || *end != '.' || strlen(end + 1) != 6 || pid <= 0 ||
		    pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(d), nm, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			unlinkat(dirfd(d), nm, 0);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* SIGPIPE is ignored while a named in-place output is open. */
static int pipe_ignored;
static struct sigaction pipe_old;

void out_pipe_ignore(void)
{
	if (pipe_ignored++ == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_IGN;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGPIPE, &sa, &pipe_old);
	}
}

void out_pipe_restore(void)
{
	if (pipe_ignored > 0 && --pipe_ignored == 0)
		sigaction(SIGPIPE, &pipe_old, NULL);
}
