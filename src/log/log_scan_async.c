/* log_scan_async.c — recording a scan off the path to the first screen: a
 * thread of its own writes the scan and its issues (log_record_scan: one
 * transaction, prepared batches) on a connection of its own while the
 * screen opens; the next write of the session waits for it first
 * (log_record_scan_finish), so every decision names the scan it came from. */
#include <pthread.h>
#include <stdlib.h>

#include "log.h"
#include "util.h"

struct log_scan_job {
	pthread_t th;
	int threaded;
	char *db_path;
	struct cl_scan_params prm;
	const struct cl_scan *s;
	const int *labels;
	int64_t scan_id;
	int rc;
	struct err e;
};

static void *record(void *arg)
{
	struct log_scan_job *j = arg;
	struct logdb *l;
	j->rc = log_open_existing(&l, j->db_path, &j->e);
	if (j->rc == 0) {
		j->rc = log_record_scan(l, &j->prm, j->s, j->labels, 0, &j->scan_id, &j->e);
		log_close(l);
	}
	return NULL;
}

struct log_scan_job *log_record_scan_start(struct logdb *db, const struct cl_scan_params *prm,
					   const struct cl_scan *s, const int *labels)
{
	struct log_scan_job *j = xcalloc(1, sizeof *j);
	j->db_path = xstrdup(log_path(db));
	j->prm = *prm;
	j->s = s;
	j->labels = labels;
	j->threaded = pthread_create(&j->th, NULL, record, j) == 0;
	if (!j->threaded)
		record(j);        /* no thread to be had: record it here and now */
	return j;
}

int log_record_scan_finish(struct log_scan_job *j, int64_t *scan_id, struct err *e)
{
	if (j->threaded)
		pthread_join(j->th, NULL);
	int rc = j->rc;
	if (rc == 0)
		*scan_id = j->scan_id;
	else
		*e = j->e;
	free(j->db_path);
	free(j);
	return rc < 0 ? -1 : 0;
}
