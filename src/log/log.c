/* log.c — opening the corrections log: checking the file before SQLite
 * touches it, read-write and read-only opens, making a new log, pragmas,
 * the schema and its migrations, lock waits and error hints (disk full,
 * file size limit), and the dataset the log belongs to (paths and hashes).
 *
 * Schema versions 1 to 4 (PRAGMA user_version; 3 in log_schema3.c, 4 in
 * log_schema4.c),
 * application_id 'RLBD'. Records are append-only, enforced by triggers.
 */
#include "log_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "util.h"

#define APP_ID 0x524c4244

static const char schema_v1[] =
	"CREATE TABLE dataset (id INTEGER PRIMARY KEY CHECK (id = 1),"
	" data_path TEXT NOT NULL, data_size INTEGER NOT NULL, data_sha256 TEXT NOT NULL,"
	" probs_path TEXT, probs_size INTEGER, probs_sha256 TEXT,"
	" n INTEGER NOT NULL, k INTEGER NOT NULL, created TEXT NOT NULL);"
	"CREATE TABLE class (idx INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE mismatch (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
	" file TEXT NOT NULL, recorded TEXT, found TEXT, forced INTEGER NOT NULL);"
	"CREATE TABLE scan (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
	" filter_by TEXT NOT NULL, rank_by TEXT NOT NULL, adjust INTEGER NOT NULL,"
	" thresholds TEXT NOT NULL, confident_joint_raw TEXT NOT NULL,"
	" confident_joint TEXT NOT NULL, n_flagged INTEGER NOT NULL, seconds REAL);"
	"CREATE TABLE issue (scan_id INTEGER NOT NULL REFERENCES scan(id),"
	" rank INTEGER NOT NULL, row INTEGER NOT NULL, score REAL NOT NULL,"
	" given INTEGER NOT NULL, suggested INTEGER NOT NULL,"
	" PRIMARY KEY (scan_id, rank)) WITHOUT ROWID;"
	"CREATE TABLE decision (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" row INTEGER NOT NULL, example_id TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('accept','relabel','reject','exclude','undo')),"
	" label TEXT, reviewer TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('annotator','expert')),"
	" pass INTEGER NOT NULL CHECK (pass IN (1, 2)), time TEXT NOT NULL, note TEXT,"
	" scan_id INTEGER REFERENCES scan(id), undoes INTEGER REFERENCES decision(id));"
	"CREATE INDEX decision_row ON decision(row);"
	"CREATE TABLE version (number INTEGER PRIMARY KEY, last_decision INTEGER NOT NULL,"
	" author TEXT NOT NULL, time TEXT NOT NULL, message TEXT NOT NULL,"
	" n_accept INTEGER, n_relabel INTEGER, n_reject INTEGER, n_exclude INTEGER,"
	" n_undo INTEGER);"
	"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER version_append_only_u BEFORE UPDATE ON version"
	" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;"
	"CREATE TRIGGER version_append_only_d BEFORE DELETE ON version"
	" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;";

static const char schema_v2[] =
	"CREATE TABLE model_probs (id INTEGER PRIMARY KEY, data_sha256 TEXT NOT NULL,"
	" settings TEXT NOT NULL, n INTEGER NOT NULL, k INTEGER NOT NULL,"
	" probs BLOB NOT NULL, features TEXT, folds INTEGER, accuracy REAL, logloss REAL,"
	" seconds REAL, created TEXT NOT NULL);";

void log_format_time(uint64_t unix_ms, char buf[32])
{
	time_t sec = (time_t)(unix_ms / 1000);
	struct tm tm;
	gmtime_r(&sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03dZ", (int)(unix_ms % 1000));
}

void log_now(char buf[32])
{
	log_format_time(log_now_unix_ms(), buf);
}

static void uuid_text(const unsigned char b[16], char buf[37])
{
	static const char digits[] = "0123456789abcdef";
	char *o = buf;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = digits[b[i] >> 4];
		*o++ = digits[b[i] & 15];
	}
	*o = '\0';
}

void log_uuid(char buf[37])
{
	unsigned char b[16];
	log_random(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	uuid_text(b, buf);
}

void log_random(void *buf, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t k = getrandom((char *)buf + got, n - got, 0);
		if (k <= 0)
			die("no random bytes for a decision id");
		got += (size_t)k;
	}
}

uint64_t log_now_unix_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void log_uuid7(uint64_t unix_ms, const unsigned char rnd[10], char buf[37])
{
	unsigned char b[16];
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(unix_ms >> (40 - 8 * i));
	memcpy(b + 6, rnd, 10);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x70);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	uuid_text(b, buf);
}

const char *log_default_reviewer(void)
{
	const char *r = getenv("RELABEL_REVIEWER");
	if (r && *r)
		return r;
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	r = getenv("USER");
	return r && *r ? r : "unknown";
}

char *log_default_path(const char *data_path)
{
	size_t n = strlen(data_path);
	char *p = xmalloc(n + 16);
	memcpy(p, data_path, n + 1);
	while (n > 1 && p[n - 1] == '/')     /* an image folder: DIR.relabel.db */
		p[--n] = '\0';
	if (n > 4 && (!strcmp(p + n - 4, ".csv") || !strcmp(p + n - 4, ".tsv") ||
		      !strcmp(p + n - 4, ".tab") || !strcmp(p + n - 4, ".npy")))
		p[n - 4] = '\0';
	strcat(p, ".relabel.db");
	return p;
}

static int exec(struct logdb *l, const char *sql, struct err *e)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot set up the database");
	return 0;
}

static int pragma_int(struct logdb *l, const char *sql, int *out, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, sql, e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read the database");
	return 0;
}

/* Bring an existing log's schema up to date (forward migrations, each in
 * one transaction). The version is read again inside each transaction:
 * another process may have migrated the log while this one waited. */
static int migrate(struct logdb *l, int uv, struct err *e)
{
	if (uv >= LOG_SCHEMA_VERSION)
		return 0;
	/* Tables are rebuilt: foreign keys are checked after, not during. */
	if (exec(l, "PRAGMA foreign_keys=OFF", e) < 0 || log_begin(l, e) < 0)
		return -1;
	int rc = pragma_int(l, "PRAGMA user_version", &uv, e);
	if (rc == 0 && uv < 2 &&
	    (exec(l, schema_v2, e) < 0 || exec(l, "PRAGMA user_version=2", e) < 0))
		rc = -1;
	if (rc == 0 && uv < 3 && log_migrate_v3(l, e) < 0)
		rc = -1;
	if (rc == 0 && uv < 4 && log_migrate_v4(l, e) < 0)
		rc = -1;
	if (rc == 0 && uv < 5 && log_migrate_v5(l, e) < 0)
		rc = -1;
	if (rc < 0)
		log_rollback(l);
	else
		rc = log_commit_tx(l, e);
	struct err ignored;
	exec(l, "PRAGMA foreign_keys=ON", rc < 0 ? &ignored : e);
	return rc;
}

static int check_version(struct logdb *l, int *uv, struct err *e)
{
	int app;
	if (pragma_int(l, "PRAGMA user_version", uv, e) < 0 ||
	    pragma_int(l, "PRAGMA application_id", &app, e) < 0)
		return -1;
	if (app != APP_ID)
		return err_set(e, ERR_INPUT, "%s: not a relabel corrections log (it "
			       "holds other tables); expected a database made by relabel",
			       l->path);
	if (*uv > LOG_SCHEMA_VERSION)
		return err_set(e, ERR_INPUT, "%s: made by a newer relabel (schema %d; "
			       "this one knows up to %d); refusing to open it", l->path,
			       *uv, LOG_SCHEMA_VERSION);
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Does another process hold one of SQLite's locks on the file (it is
 * making the log)? */
static int sqlite_locked(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 0x40000000, .l_len = 512 };
	int locked = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	return locked;
}

/* A 0-byte file may be a log another process is making right now (it
 * claims the name, then commits the schema): wait for that, at most the
 * lock timeout, and briefly when nobody holds a lock on it. */
static void wait_for_maker(const char *path, int lock_ms)
{
	double start = log_now_ms();
	for (;;) {
		double t = log_now_ms() - start;
		if (file_size(path) != 0 || t >= lock_ms || (t >= 200 && !sqlite_locked(path)))
			return;
		usleep(5000);
	}
}

/* Look at the file before SQLite does, so that a file that is not a
 * corrections log is refused without a byte of it (or a -wal/-shm beside
 * it) changed. Returns 1 when there is no file, 0 when it looks like a
 * relabel log (or may be one: see below), -1 with e filled otherwise. */
static int sniff(const char *path, int lock_ms, struct err *e)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
		wait_for_maker(path, lock_ms);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 1;
		return err_set(e, ERR_RUNTIME, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_INPUT, "%s: not a regular file; expected a corrections "
			       "log", path);
	if (st.st_size == 0)
		return err_set(e, ERR_INPUT, "%s: empty file (0 bytes), not a corrections "
			       "log; remove it to start a new log there", path);
	unsigned char h[100];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_set(e, ERR_RUNTIME, "%s: cannot open: %s", path, strerror(errno));
	ssize_t got = read(fd, h, sizeof h);
	int saved = errno;
	close(fd);
	if (got < 0)
		return err_set(e, ERR_RUNTIME, "%s: cannot read: %s", path, strerror(saved));
	if (got < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16))
		return err_set(e, ERR_INPUT, "%s: not an SQLite database (not a relabel "
			       "database); expected a corrections log made by relabel", path);
	uint32_t app = be32(h + 68);
	if (app == APP_ID)
		return 0;
	/* An older relabel wrote the header through the WAL: a log killed
	 * before its first checkpoint still has application_id 0 in the file.
	 * SQLite reads such a file read-only first (which changes nothing). */
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (app == 0 && file_size(wal) > 0)
		return 0;
	return err_set(e, ERR_INPUT, "%s: not a relabel corrections log (an SQLite "
		       "database of another application, id 0x%08x); expected a database "
		       "made by relabel; it was left untouched", path, (unsigned)app);
}

static int open_db(struct logdb *l, const char *uri, int flags, struct err *e)
{
	if (l->db) {
		sqlite3_close(l->db);
		l->db = NULL;
	}
	/* NOMUTEX: a connection is used by one thread at a time (the scan's
	 * record in a thread of its own opens its own), so SQLite need not
	 * lock it around every call (each column read and bind did). */
	if (sqlite3_open_v2(uri, &l->db, flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		log_sql_err(l, e, "cannot open");
		log_io_hint(l, e);
		return -1;
	}
	sqlite3_extended_result_codes(l->db, 0);
	log_set_lock_timeout(l, l->lock_ms);
	return 0;
}

static char *file_uri(const char *path, const char *query)
{
	size_t n = strlen(path);
	char *u = xmalloc(3 * n + 32 + strlen(query)), *o = u;
	/* "file:" + "//x" would name a host: an empty authority first */
	o += sprintf(o, path[0] == '/' && path[1] == '/' ? "file://" : "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f)
			o += sprintf(o, "%%%02X", *p);
		else
			*o++ = (char)*p;
	sprintf(o, "%s", query);
	return u;
}

static void remove_files(const char *path)
{
	const char *sfx[] = { "-wal", "-shm", "-journal", "" };
	for (size_t i = 0; i < 4; i++) {
		char p[PATH_MAX + 16];
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/* A new log: made in rollback-journal mode so that the file's header holds
 * relabel's application_id from the first commit, then switched to WAL.
 * On failure the files it made are removed again. */
static int create_log(struct logdb *l, struct err *e)
{
	/* Claim the name: of two processes making the same log at once, one
	 * makes it and the other opens it once made. */
	int fd = open(l->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0 && errno == EEXIST)
		return 1;
	if (fd < 0)
		return err_set(e, ERR_RUNTIME, "%s: cannot create the corrections log: %s",
			       l->path, strerror(errno));
	close(fd);
	char *uri = file_uri(l->path, "");
	int rc = open_db(l, uri, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, e);
	free(uri);
	/* 16 KiB pages (SQLite's default is 4 KiB): a bulk batch's commit
	 * writes a quarter as many WAL frames (two writes each) for the same
	 * bytes. Set before the first table; a log keeps its page size. */
	if (rc == 0)
		rc = exec(l, "PRAGMA page_size=16384", e);
	if (rc == 0 && log_begin(l, e) == 0) {
		char pragmas[96];
		snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
			 APP_ID, LOG_SCHEMA_VERSION);
		if (exec(l, schema_v1, e) < 0 || exec(l, schema_v2, e) < 0 ||
		    log_migrate_v3(l, e) < 0 || log_migrate_v4(l, e) < 0 ||
		    log_migrate_v5(l, e) < 0 ||
		    exec(l, pragmas, e) < 0) {
			log_io_hint(l, e);
			log_rollback(l);
			rc = -1;
		} else if (log_commit_tx(l, e) < 0) {
			log_io_hint(l, e);
			rc = -1;
		}
	} else
		rc = -1;
	if (rc < 0) {
		sqlite3_close(l->db);
		l->db = NULL;
		remove_files(l->path);
	}
	return rc;
}

/* Read-only: no journal mode change, no migration on disk (an older
 * schema is copied into memory and migrated there). */
static void drop_stubs(const char *path, int had_wal, int had_shm);

static int connect_ro(struct logdb *l, int had_wal, int had_shm, struct err *e)
{
	char *uri = file_uri(l->path, "");
	int rc = open_db(l, uri, SQLITE_OPEN_READONLY, e);
	free(uri);
	int uv;
	int code;
	if (rc == 0 && (rc = check_version(l, &uv, e)) < 0 &&
	    ((code = sqlite3_errcode(l->db)) == SQLITE_CANTOPEN || code == SQLITE_READONLY ||
	     code == SQLITE_IOERR)) {
		/* A WAL log whose -shm cannot be made (a directory we cannot
		 * write, a full disk) and with no pending -wal: read it as
		 * immutable. */
		char wal[PATH_MAX + 8];
		snprintf(wal, sizeof wal, "%s-wal", l->path);
		sqlite3_close(l->db);
		l->db = NULL;
		drop_stubs(l->path, had_wal, had_shm);
		if (file_size(wal) <= 0) {
			err_clear(e);
			uri = file_uri(l->path, "?immutable=1");
			rc = open_db(l, uri, SQLITE_OPEN_READONLY, e);
			free(uri);
			if (rc == 0)
				rc = check_version(l, &uv, e);
		}
	}
	/* Version 4 changed only how new decisions are checked: a version 3
	 * log is read as it is. */
	if (rc < 0 || uv >= 3)
		return rc;
	sqlite3 *mem;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot read the log into memory");
	sqlite3_backup *b = sqlite3_backup_init(mem, "main", l->db, "main");
	int brc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	sqlite3_backup_finish(b);
	sqlite3_close(l->db);
	l->db = mem;
	if (brc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read the log into memory");
	l->old_schema = uv;
	l->read_only = 0;         /* the copy in memory is migrated */
	rc = migrate(l, uv, e);
	l->read_only = 1;
	return rc;
}

/* A failed first open on a full disk leaves a -shm of a few bytes and an
 * empty -wal that later opens trip over: remove them when this open made
 * them (a -shm in use is at least 32 KiB). */
static void drop_stubs(const char *path, int had_wal, int had_shm)
{
	char p[PATH_MAX + 8];
	snprintf(p, sizeof p, "%s-shm", path);
	off_t shm = file_size(p);
	if (!had_shm && shm >= 0 && shm < 32768)
		unlink(p);
	snprintf(p, sizeof p, "%s-wal", path);
	if (!had_wal && file_size(p) == 0)
		unlink(p);
}

static int connect_files(struct logdb **out, const char *path, int create,
			 int read_only, int had_wal, int had_shm, struct err *e);

static int connect(struct logdb **out, const char *path, int create, int read_only,
		   struct err *e)
{
	char p[PATH_MAX + 8];
	snprintf(p, sizeof p, "%s-wal", path);
	int had_wal = file_size(p) >= 0;
	snprintf(p, sizeof p, "%s-shm", path);
	int had_shm = file_size(p) >= 0;
	int rc = connect_files(out, path, create, read_only, had_wal, had_shm, e);
	if (rc < 0 && *out && (*out)->db) {
		sqlite3_close((*out)->db);
		(*out)->db = NULL;
		drop_stubs(path, had_wal, had_shm);
	}
	return rc;
}

static int connect_files(struct logdb **out, const char *path, int create,
			 int read_only, int had_wal, int had_shm, struct err *e)
{
	struct logdb *l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	l->read_only = read_only;
	const char *env = getenv("RELABEL_LOCK_TIMEOUT");
	int ms = env ? log_parse_lock_timeout(env) : -1;
	l->lock_ms = ms >= 0 ? ms : LOG_LOCK_TIMEOUT_DEFAULT_MS;
	*out = l;
	int absent = sniff(path, l->lock_ms, e);
	if (absent < 0)
		return -1;
	if (absent && (!create || read_only))
		return err_set(e, ERR_INPUT, "%s: no such corrections log%s", path,
			       read_only ? " (decide or review makes one)" : "");
	if (read_only)
		return connect_ro(l, had_wal, had_shm, e);
	/* A write beyond `ulimit -f` fails with EFBIG instead of killing us. */
	signal(SIGXFSZ, SIG_IGN);
	int made = absent ? create_log(l, e) : 1;
	if (made < 0)
		return -1;
	if (absent && made == 0)
		l->created = 1;
	if (absent && made == 1) {
		/* Another process is making it: sniff waits for its commit. */
		int gone = sniff(path, l->lock_ms, e);
		if (gone)
			return gone < 0 ? -1 : err_set(e, ERR_RUNTIME, "%s: removed while "
						       "being opened", path);
	}
	if (!l->created) {
		/* Check what the file is before anything may write to it. */
		char *uri = file_uri(path, "");
		int rc = open_db(l, uri, SQLITE_OPEN_READONLY, e);
		int uv, tables;
		if (rc == 0)
			rc = check_version(l, &uv, e);
		/* then a first read tells whether the file is writable */
		if (rc == 0 && (rc = open_db(l, uri, SQLITE_OPEN_READWRITE, e)) == 0)
			rc = pragma_int(l, "SELECT count(*) FROM sqlite_master", &tables, e);
		free(uri);
		if (rc < 0) {
			if (l->db && sqlite3_errcode(l->db) == SQLITE_READONLY)
				err_set(e, ERR_RUNTIME, "%s: the log (or its directory, for the "
					"-wal and -shm files beside it) is read-only; expected a "
					"writable corrections log", path);
			return -1;
		}
		if (sqlite3_db_readonly(l->db, "main") == 1)
			return err_set(e, ERR_RUNTIME, "%s: the database is read-only; "
				       "expected a writable corrections log", path);
	}
	if (exec(l, "PRAGMA foreign_keys=ON", e) < 0)
		return -1;
	char *mode = NULL;
	sqlite3_stmt *st = log_prepare(l, "PRAGMA journal_mode=WAL", e);
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		mode = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	int wal = mode && !strcmp(mode, "wal");
	free(mode);
	if (!wal) {
		log_sql_err(l, e, "cannot switch to WAL journal");
		log_io_hint(l, e);
		return -1;
	}
	/* A bulk batch touches many index pages at once: 32 MB of page cache
	 * (SQLite's default is 2 MB) keeps them from being spilled and re-read
	 * in the middle of its transaction. Statement journals (the undo of
	 * one statement inside a transaction, e.g. an INSERT of 64 records
	 * that a trigger refuses) stay in memory instead of spilling to a
	 * temporary file past 64 KiB; crash recovery is the WAL's, unchanged. */
	if (exec(l, "PRAGMA synchronous=FULL", e) < 0 || exec(l, "PRAGMA cache_size=-32768", e) < 0 ||
	    exec(l, "PRAGMA temp_store=MEMORY", e) < 0)
		return -1;
	int uv;
	if (check_version(l, &uv, e) < 0 || migrate(l, uv, e) < 0) {
		log_io_hint(l, e);
		return -1;
	}
	return 0;
}

static int record_mismatch(struct logdb *l, const char *file, const char *was,
			   const char *now, int forced, struct err *e)
{
	char t[32];
	log_now(t);
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO mismatch (time, file, recorded, "
				       "found, forced) VALUES (?, ?, ?, ?, ?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, was, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 5, forced);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot record a mismatch");
}

static int insert_dataset(struct logdb *l, const struct dataset *d, const char *dsha,
			  uint64_t dsize, const char *psha, uint64_t psize, struct err *e)
{
	char t[32];
	log_now(t);
	if (log_begin(l, e) < 0)
		return -1;
	int have;
	if (pragma_int(l, "SELECT count(*) FROM dataset", &have, e) < 0)
		goto fail;
	if (have) {               /* another process recorded it meanwhile */
		log_rollback(l);
		return 1;
	}
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO dataset VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		goto fail;
	char *abs = realpath(d->data_path, NULL);
	sqlite3_bind_text(st, 1, abs ? abs : d->data_path, -1, SQLITE_TRANSIENT);
	free(abs);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)dsize);
	sqlite3_bind_text(st, 3, dsha, -1, SQLITE_TRANSIENT);
	if (d->probs_path) {
		char *pabs = realpath(d->probs_path, NULL);
		sqlite3_bind_text(st, 4, pabs ? pabs : d->probs_path, -1, SQLITE_TRANSIENT);
		free(pabs);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)psize);
		sqlite3_bind_text(st, 6, psha, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int64(st, 7, (sqlite3_int64)d->n);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)d->k);
	sqlite3_bind_text(st, 9, t, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || !(st = log_prepare(l, "INSERT INTO class VALUES (?, ?)", e)))
		goto fail_sql;
	for (size_t c = 0; c < d->k && rc == SQLITE_DONE; c++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c);
		sqlite3_bind_text(st, 2, d->class_names[c], -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail_sql;
	return log_commit_tx(l, e);
fail_sql:
	log_sql_err(l, e, "cannot record the dataset");
fail:
	log_rollback(l);
	return -1;
}

/* The dataset record of a log opened on its own. */
static int read_dataset(struct logdb *l, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT data_path, data_sha256 FROM dataset", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		l->data_path = xstrdup((const char *)sqlite3_column_text(st, 0));
		snprintf(l->data_sha, sizeof l->data_sha, "%s",
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read the dataset record");
	return err_set(e, ERR_INPUT, "%s: the log records no dataset", l->path);
}

/* The log's dataset against the loaded one: same content, or refused. */
static int check_dataset(struct logdb *l, const struct dataset *d, int force,
			 struct err *e)
{
	char dsha[65], psha[65] = "";
	uint64_t dsize, psize = 0;
	if (dataset_content_sha256(d, dsha, &dsize, e) < 0 ||
	    (d->probs_path && dataset_hash_input(d->probs_path, psha, &psize, e) < 0))
		return -1;
	l->has_ids = d->id_col >= 0;
	l->d = d;
	sqlite3_stmt *st = log_prepare(l, "SELECT data_path, data_sha256, probs_sha256, k "
				       "FROM dataset WHERE id = 1", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return log_sql_err(l, e, "cannot read the dataset record");
		if (l->read_only)
			return err_set(e, ERR_INPUT, "%s: the log records no dataset", l->path);
		int made = insert_dataset(l, d, dsha, dsize, psha, psize, e);
		if (made <= 0) {
			l->data_path = xstrdup(d->data_path);
			memcpy(l->data_sha, dsha, sizeof dsha);
			return made;
		}
		/* recorded by another process meanwhile: check it like any */
		if (!(st = log_prepare(l, "SELECT data_path, data_sha256, probs_sha256, k "
				       "FROM dataset WHERE id = 1", e)))
			return -1;
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return log_sql_err(l, e, "cannot read the dataset record");
		}
	}
	l->data_path = xstrdup((const char *)sqlite3_column_text(st, 0));
	snprintf(l->data_sha, sizeof l->data_sha, "%s", (const char *)sqlite3_column_text(st, 1));
	const char *was_p = (const char *)sqlite3_column_text(st, 2);
	char was_psha[65] = "";
	if (was_p)
		snprintf(was_psha, sizeof was_psha, "%s", was_p);
	int64_t k = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	const char *file = NULL, *was = NULL, *now = NULL;
	char was_dsha[65];
	memcpy(was_dsha, l->data_sha, sizeof was_dsha);
	if (strcmp(l->data_sha, dsha))
		file = d->data_path, was = was_dsha, now = dsha;
	else if (d->probs_path && was_psha[0] && strcmp(was_psha, psha))
		file = d->probs_path, was = was_psha, now = psha;
	if (file) {
		if (!l->read_only && record_mismatch(l, file, was, now, force, e) < 0)
			return -1;
		if (force && now == dsha) {
			/* Decisions follow their ids into the data as it is now
			 * (log_list), and exports describe that data. */
			l->data_changed = 1;
			memcpy(l->data_sha, dsha, sizeof dsha);
		}
		if (!force)
			return err_set(e, ERR_INPUT, "%s: changed since the corrections log "
				       "%s was made for it (SHA-256 %.12s…, now %.12s…); "
				       "refusing to mix decisions across versions of the data "
				       "(--force opens it anyway)", file, l->path, was, now);
	}
	if (!file && (size_t)k != d->k)
		return err_set(e, ERR_INPUT, "%s: made for %lld classes, the data has "
			       "%zu", l->path, (long long)k, d->k);
	return 0;
}

int log_open(struct logdb **out, const char *db_path, const struct dataset *d,
	     int force, struct err *e)
{
	if (connect(out, db_path, 1, 0, e) < 0 || check_dataset(*out, d, force, e) < 0) {
		log_close_discard(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int log_open_read_only(struct logdb **out, const char *db_path, const struct dataset *d,
		       int force, struct err *e)
{
	if (connect(out, db_path, 0, 1, e) < 0 ||
	    (d ? check_dataset(*out, d, force, e) : read_dataset(*out, e)) < 0) {
		log_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int log_open_existing(struct logdb **out, const char *db_path, struct err *e)
{
	if (connect(out, db_path, 0, 0, e) < 0 || read_dataset(*out, e) < 0) {
		log_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void log_close_discard(struct logdb *l)
{
	if (l && l->created) {
		char *path = xstrdup(l->path), wal[PATH_MAX + 8];
		log_close(l);
		/* The last connection to close removes the -wal: one left means
		 * another process has the new log open, and it stays. */
		snprintf(wal, sizeof wal, "%s-wal", path);
		if (file_size(wal) < 0)
			remove_files(path);
		free(path);
		return;
	}
	log_close(l);
}

void log_close(struct logdb *l)
{
	if (!l)
		return;
	if (l->db)
		sqlite3_close(l->db);
	for (size_t i = 0; i < l->n_classes; i++)
		free(l->classes[i]);
	free(l->classes);
	free(l->path);
	free(l->data_path);
	free(l);
}

int log_old_schema(const struct logdb *l)
{
	return l->old_schema;
}

const char *log_path(const struct logdb *l)
{
	return l->path;
}

const char *log_data_path(const struct logdb *l)
{
	return l->data_path;
}

const char *log_data_sha256(const struct logdb *l)
{
	return l->data_sha;
}
