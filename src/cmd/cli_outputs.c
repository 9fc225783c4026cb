/* cli_outputs.c — what every command checks about its outputs before it does
 * any work: the files it reads or keeps (DATA, PROBS, the corrections log
 * and its -wal/-shm/-journal files) are registered as files no output may
 * be, and each output (the command's own plus --save-probs) must be a place
 * that can be written and differ from the others (see out_check). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "output.h"
#include "util.h"

/* probs.csv beside DATA.csv: what the loader reads when --probs is not given. */
static char *default_probs(const char *data_path)
{
	const char *slash = strrchr(data_path, '/');
	size_t dir = slash ? (size_t)(slash - data_path) + 1 : 0;
	char *p = xmalloc(dir + sizeof "probs.csv");
	memcpy(p, data_path, dir);
	strcpy(p + dir, "probs.csv");
	return p;
}

void cli_protect_inputs(const struct dataset_opts *o, const char *log_path)
{
	if (o->data_path)
		out_protect("DATA", o->data_path);
	if (o->probs_path) {
		out_protect("PROBS", o->probs_path);
	} else if (o->data_path) {
		char *p = default_probs(o->data_path);
		if (access(p, F_OK) == 0)
			out_protect("PROBS", p);
		free(p);
	}
	char *lp = log_path ? xstrdup(log_path) : o->data_path ? log_default_path(o->data_path) : NULL;
	out_protect_log(lp);
	free(lp);
}

int cli_check_outputs(const struct dataset_opts *o, const char *log_path,
		      const struct out_spec *outs, size_t n, struct err *e)
{
	cli_protect_inputs(o, log_path);
	struct out_spec *all = xcalloc(n + 1, sizeof *all);
	if (n)
		memcpy(all, outs, n * sizeof *all);
	all[n].option = cli_model.save_probs ? "--save-probs" : NULL;
	all[n].path = cli_model.save_probs;
	int rc = out_check(all, n + 1, e);
	free(all);
	return rc;
}
