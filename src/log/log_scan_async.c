/* log_scan_async.c — recording a scan off the path to the first screen: a
 * thread of its own, on a connection of its own, writes the scan's row in
 * one transaction and then its ranked issues ISSUE_CHUNK at a time, each
 * chunk a transaction of its own. The session's writes go between chunks:
 * each claims the log (log_scan_job_claim: waits for the scan's row and
 * for the chunk being written, never for the rest) and lets it go again
 * (log_scan_job_release), so a decision made as the screen opens waits
 * milliseconds, not the whole recording, and still names the scan it came
 * from. A recording cut off (the process killed) leaves a scan whose
 * issues stop short of its n_flagged; log_scan_complete finds it and the
 * next session records the scan anew. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log_priv.h"
#include "util.h"

/* About 4 ms of inserts: the longest a claim waits for the recorder. */
#define ISSUE_CHUNK 4096

struct log_scan_job {
	pthread_t th;
	int threaded;
	char *db_path;
	struct logdb *main;       /* the session's connection (its thread only) */
	struct cl_scan_params prm;
	const struct cl_scan *s;
	const int *labels;
	pthread_mutex_t m;
	pthread_cond_t cv;
	int published;            /* the scan's row is in (or its recording failed) */
	int recording;            /* the recorder is inside a transaction */
	int waiting;              /* the session waits for a claim */
	int claimed;              /* the session is writing */
	int done;                 /* the recorder has finished */
	int checkpoints_off;      /* the session's automatic checkpoints are off */
	int64_t scan_id;
	int rc;
	struct err e;
};

/* The recorder's transactions: none while the session writes or waits to
 * (once the row it waits for is in). */
static void gate_enter(struct log_scan_job *j)
{
	pthread_mutex_lock(&j->m);
	while (j->claimed || (j->waiting && j->published))
		pthread_cond_wait(&j->cv, &j->m);
	j->recording = 1;
	pthread_mutex_unlock(&j->m);
}

static void gate_leave(struct log_scan_job *j, int published)
{
	pthread_mutex_lock(&j->m);
	j->recording = 0;
	j->published |= published;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->m);
}

static int record_row(struct log_scan_job *j, struct logdb *l)
{
	gate_enter(j);
	int rc = log_begin(l, &j->e);
	if (rc == 0) {
		if (log_scan_insert_row(l, &j->prm, j->s, 0, &j->scan_id, &j->e) < 0) {
			log_rollback(l);
			rc = -1;
		} else {
			rc = log_commit_tx(l, &j->e);
		}
	}
	j->rc = rc;
	gate_leave(j, 1);
	return rc;
}

static int record_chunk(struct log_scan_job *j, struct logdb *l, size_t from, size_t to)
{
	gate_enter(j);
	int rc = log_begin(l, &j->e);
	if (rc == 0) {
		if (log_scan_insert_issues(l, j->scan_id, j->s, j->labels, from, to, &j->e) < 0) {
			log_rollback(l);
			rc = -1;
		} else {
			rc = log_commit_tx(l, &j->e);
		}
	}
	gate_leave(j, 0);
	return rc;
}

static void *record(void *arg)
{
	struct log_scan_job *j = arg;
	struct logdb *l = NULL;
	int rc = log_open_existing(&l, j->db_path, &j->e);
	if (rc == 0) {
		/* Issues name the scan whose row this connection wrote first: no
		 * per-row foreign-key lookup. A chunk lost to a power cut is a
		 * scan found incomplete and recorded again, so no fsync of its
		 * own (the session's next commit syncs what came before it).
		 * The checkpoint waits for the end. */
		sqlite3_exec(l->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
		sqlite3_exec(l->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
		sqlite3_wal_autocheckpoint(l->db, 0);
		rc = record_row(j, l);
	} else {
		j->rc = rc;
		gate_leave(j, 1);
	}
	/* The session's decisions are committed with an fsync of the WAL,
	 * which would flush every chunk written before them: the recorder
	 * flushes each of its own instead, outside the gate, so a decision
	 * flushes at most the chunk just written. */
	size_t plen = strlen(j->db_path);
	char *wal = xmalloc(plen + 5);
	memcpy(wal, j->db_path, plen);
	memcpy(wal + plen, "-wal", 5);
	int wal_fd = rc == 0 ? open(wal, O_RDONLY | O_CLOEXEC) : -1;
	free(wal);
	for (size_t from = 0; rc == 0 && from < j->s->n_ranked; from += ISSUE_CHUNK) {
		size_t to = j->s->n_ranked - from > ISSUE_CHUNK ? from + ISSUE_CHUNK : j->s->n_ranked;
		rc = record_chunk(j, l, from, to);
		if (wal_fd >= 0)
			fdatasync(wal_fd);
	}
	if (wal_fd >= 0)
		close(wal_fd);
	if (l) {
		/* PASSIVE: copies what it can without waiting for the session's
		 * readers or writers. */
		sqlite3_wal_checkpoint_v2(l->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		log_close(l);
	}
	pthread_mutex_lock(&j->m);
	j->rc = rc;
	j->done = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->m);
	return NULL;
}

struct log_scan_job *log_record_scan_start(struct logdb *db, const struct cl_scan_params *prm,
					   const struct cl_scan *s, const int *labels)
{
	struct log_scan_job *j = xcalloc(1, sizeof *j);
	j->db_path = xstrdup(log_path(db));
	j->main = db;
	j->prm = *prm;
	j->s = s;
	j->labels = labels;
	pthread_mutex_init(&j->m, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->threaded = pthread_create(&j->th, NULL, record, j) == 0;
	if (!j->threaded)
		record(j);        /* no thread to be had: record it here and now */
	return j;
}

/* The session's automatic checkpoint back on once the recording is over
 * (the next pause checkpoints, log_idle); off while it runs, so that no
 * decision's commit copies the recording's pages. */
static void session_checkpoints(struct log_scan_job *j, int done)
{
	if (!done && !j->checkpoints_off) {
		sqlite3_wal_autocheckpoint(j->main->db, 0);
		j->checkpoints_off = 1;
	} else if (done && j->checkpoints_off) {
		sqlite3_wal_autocheckpoint(j->main->db, 1000);
		j->main->checkpoint_due = 1;
		j->checkpoints_off = 0;
	}
}

int log_scan_job_claim(struct log_scan_job *j, int64_t *scan_id, struct err *e)
{
	pthread_mutex_lock(&j->m);
	j->waiting++;
	while (!j->published || j->recording)
		pthread_cond_wait(&j->cv, &j->m);
	j->waiting--;
	j->claimed = 1;
	int done = j->done, rc = j->rc;
	int have_row = j->scan_id > 0;
	if (have_row)
		*scan_id = j->scan_id;
	else if (rc < 0)
		*e = j->e;
	pthread_mutex_unlock(&j->m);
	session_checkpoints(j, done);
	return have_row ? 0 : -1;
}

void log_scan_job_release(struct log_scan_job *j)
{
	pthread_mutex_lock(&j->m);
	j->claimed = 0;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->m);
}

int log_record_scan_finish(struct log_scan_job *j, int64_t *scan_id, struct err *e)
{
	if (j->threaded)
		pthread_join(j->th, NULL);
	session_checkpoints(j, 1);
	int rc = j->rc;
	if (rc == 0)
		*scan_id = j->scan_id;
	else
		*e = j->e;
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->m);
	free(j->db_path);
	free(j);
	return rc < 0 ? -1 : 0;
}
