/* output_priv.h — what the output files share (output.c: opening and
 * closing; output_where.c: what a path names, the protected inputs and
 * out_check; output_tmp.c: temporary files, signals, leftovers). Not for
 * other modules: they use output.h. */
#ifndef RELABEL_OUTPUT_PRIV_H
#define RELABEL_OUTPUT_PRIV_H

#include <limits.h>
#include <sys/stat.h>

#include "output.h"

enum { K_STDOUT, K_FD, K_INPLACE, K_SOCKET, K_REPLACE };

/* Which file a path is: device and inode if it exists, else the directory
 * it would be created in and its name. */
struct ident {
	int valid, exists, chr, fd;
	dev_t dev;
	ino_t ino;
	char base[NAME_MAX + 1];
};

/* What a path names and how it is to be written. */
struct where {
	int kind, fd, exists;
	char *final;           /* symlinks followed (not for K_STDOUT, K_FD) */
	struct stat st;
	struct ident id;
};

/* output_where.c */
int out_resolve(const char *path, struct where *w, struct err *e);
void out_where_free(struct where *w);
/* The first registered input that w is, or -1; its role and path. */
long out_protected_match(const struct where *w);
const char *out_protected_role(long i);
const char *out_protected_path(long i);
/* "- (standard output)" for standard output, else path. */
const char *out_shown(const char *path);
/* Split p into its directory (malloc'd; "." if none) and its last name. */
char *out_dir_of(const char *p, const char **base);

/* output_tmp.c */
/* Remember p for removal on a fatal signal; returns its slot + 1, or 0. */
int out_temp_track(const char *p);
void out_temp_untrack(int slot);
/* A fresh name DIR/BASE.tmp.PID.XXXXXX beside final. */
char *out_temp_name(const char *final);
/* Remove BASE.tmp.PID.XXXXXX files beside final whose process is gone. */
void out_clean_leftovers(const char *final);
/* SIGPIPE ignored while a named in-place output is open (counted). */
void out_pipe_ignore(void);
void out_pipe_restore(void);

#endif
