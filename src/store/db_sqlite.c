/*
 * The embedded backend: one SQLite file in WAL mode with synchronous=FULL,
 * foreign keys on and a busy timeout. Statements are cached per connection.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CACHE_SLOTS	128
#define BUSY_TIMEOUT_MS	5000

struct db_stmt {
	struct db	*db;
	sqlite3_stmt	*st;
	const char	*key;	/* NULL when not cached */
	int		 busy;
};

struct db {
	sqlite3		*h;
	int		 in_tx;
	int		 writing;	/* holds write_lock */
	struct db_stmt	 cache[CACHE_SLOTS];
};

/*
 * SQLite lets one connection write at a time and makes the others retry
 * with sleeps, which gives long latency tails under load. Writers in this
 * process queue on a mutex instead; other processes still meet the busy
 * timeout.
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static enum err
map_rc(struct db *db, int rc, const char *what)
{
	int ext = sqlite3_extended_errcode(db->h);

	switch (rc & 0xFF) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return ERR_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		log_warn("db: %s: busy", what);
		return ERR_BUSY;
	case SQLITE_CONSTRAINT:
		if (ext == SQLITE_CONSTRAINT_UNIQUE ||
		    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return ERR_CONFLICT;
		log_warn("db: %s: %s", what, sqlite3_errmsg(db->h));
		return ERR_INVALID;
	case SQLITE_TOOBIG:
		return ERR_TOO_LARGE;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		log_error("db: %s: %s", what, sqlite3_errmsg(db->h));
		return ERR_IO;
	default:
		/* SQLite's messages name tables and columns, never values. */
		log_error("db: %s: %s", what, sqlite3_errmsg(db->h));
		return ERR_DB;
	}
}

enum err
db_open(const char *uri, int flags, struct db **out)
{
	struct db *db;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	enum err e;

	*out = NULL;
	if (uri == NULL || *uri == '\0')
		return ERR_INVALID;
	if (strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "postgres://", 11) == 0) {
		log_error("db: this build has no PostgreSQL backend");
		return ERR_INVALID;
	}
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	db = xcalloc(1, sizeof *db);
	if (sqlite3_open_v2(uri, &db->h, oflags, NULL) != SQLITE_OK) {
		log_error("db: cannot open database: %s",
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		e = ERR_IO;
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	if ((e = db_exec(db,
	    "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA trusted_schema=OFF;")) != ERR_OK)
		goto fail;
	*out = db;
	return ERR_OK;
fail:
	db_close(db);
	return e;
}

void
db_close(struct db *db)
{
	int i;

	if (db == NULL)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close_v2(db->h);
	free(db);
}

const char *
db_backend(const struct db *db)
{
	(void)db;
	return "sqlite";
}

/* Rewrites $N placeholders to SQLite's ?N, leaving quoted text alone. */
static enum err
rewrite_params(const char *sql, struct buf *out)
{
	const char *p;
	char quote = 0;
	enum err e = ERR_OK;

	for (p = sql; *p && e == ERR_OK; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			e = buf_putc(out, '?');
			continue;
		}
		e = buf_putc(out, *p);
	}
	return e;
}

static enum err
compile(struct db *db, const char *sql, unsigned pflags, sqlite3_stmt **st)
{
	struct buf b;
	enum err e;
	int rc;

	buf_init(&b, 1 << 20);
	if ((e = rewrite_params(sql, &b)) != ERR_OK)
		goto done;
	rc = sqlite3_prepare_v3(db->h, buf_cstr(&b), (int)b.len, pflags, st,
	    NULL);
	e = map_rc(db, rc, "prepare");
done:
	buf_free(&b);
	return e;
}

enum err
db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	uintptr_t h = (uintptr_t)sql;
	unsigned i, slot;
	struct db_stmt *st;
	enum err e;

	*out = NULL;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	slot = (unsigned)(h >> 7) % CACHE_SLOTS;
	for (i = 0; i < CACHE_SLOTS; i++) {
		st = &db->cache[(slot + i) % CACHE_SLOTS];
		if (st->key == sql) {
			if (st->busy)
				break;	/* in use: hand out a private one */
			st->busy = 1;
			*out = st;
			return ERR_OK;
		}
		if (st->key == NULL) {
			if ((e = compile(db, sql, SQLITE_PREPARE_PERSISTENT,
			    &st->st)) != ERR_OK)
				return e;
			st->db = db;
			st->key = sql;
			st->busy = 1;
			*out = st;
			return ERR_OK;
		}
	}
	st = xcalloc(1, sizeof *st);
	st->db = db;
	if ((e = compile(db, sql, 0, &st->st)) != ERR_OK) {
		free(st);
		return e;
	}
	st->busy = 1;
	*out = st;
	return ERR_OK;
}

void
db_done(struct db_stmt *st)
{
	if (st == NULL)
		return;
	if (st->key == NULL) {
		sqlite3_finalize(st->st);
		free(st);
		return;
	}
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	st->busy = 0;
}

enum err
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	int rc;

	if (s == NULL)
		rc = sqlite3_bind_null(st->st, i);
	else
		rc = sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT);
	return map_rc(st->db, rc, "bind");
}

enum err
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	return map_rc(st->db, sqlite3_bind_int64(st->st, i, v), "bind");
}

enum err
db_bind_null(struct db_stmt *st, int i)
{
	return map_rc(st->db, sqlite3_bind_null(st->st, i), "bind");
}

enum err
db_step(struct db_stmt *st, int *row)
{
	int rc = sqlite3_step(st->st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return ERR_OK;
	return map_rc(st->db, rc, "step");
}

enum err
db_run(struct db_stmt *st, int64_t *changes)
{
	enum err e;
	int row;

	do {
		if ((e = db_step(st, &row)) != ERR_OK)
			return e;
	} while (row);
	if (changes)
		*changes = sqlite3_changes64(st->db->h);
	return ERR_OK;
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

int
db_col_is_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

enum err
db_exec(struct db *db, const char *sql)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	return map_rc(db, rc, "exec");
}

static void
release(struct db *db)
{
	if (db->writing) {
		db->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

enum err
db_begin(struct db *db, enum db_tx kind)
{
	enum err e;

	if (db->in_tx) {
		log_error("db: nested transaction");
		return ERR_INTERNAL;
	}
	if (kind == DB_TX_WRITE) {
		pthread_mutex_lock(&write_lock);
		db->writing = 1;
	}
	e = db_exec(db, kind == DB_TX_WRITE ? "BEGIN IMMEDIATE" : "BEGIN");
	if (e == ERR_OK)
		db->in_tx = 1;
	else
		release(db);
	return e;
}

enum err
db_commit(struct db *db)
{
	enum err e;

	if (!db->in_tx)
		return ERR_INTERNAL;
	if ((e = db_exec(db, "COMMIT")) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db->in_tx = 0;
	release(db);
	return ERR_OK;
}

void
db_rollback(struct db *db)
{
	if (db == NULL || !db->in_tx)
		return;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
	release(db);
}

int
db_in_tx(const struct db *db)
{
	return db->in_tx;
}

enum err
db_backup(struct db *db, const char *path)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	struct stat sb;
	enum err e = ERR_OK;
	int rc;

	if (stat(path, &sb) == 0)
		return ERR_CONFLICT;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		e = ERR_IO;
		goto done;
	}
	if ((bk = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL) {
		log_error("db: backup: %s", sqlite3_errmsg(dst));
		e = ERR_IO;
		goto done;
	}
	/* One step copies every page inside one read transaction: a
	 * consistent snapshot that, in WAL mode, does not block writers and
	 * cannot be restarted by them. */
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		log_error("db: backup failed: %s", sqlite3_errstr(rc));
		e = ERR_IO;
		goto done;
	}
	/* The copy is a rollback-journal file until opened in WAL mode. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
	    SQLITE_OK)
		e = ERR_IO;
done:
	sqlite3_close_v2(dst);
	if (e != ERR_OK && e != ERR_CONFLICT)
		unlink(path);
	return e;
}

enum err
db_check(struct db *db)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "PRAGMA integrity_check", &st)) != ERR_OK)
		return e;
	if ((e = db_step(st, &row)) == ERR_OK) {
		const char *r = row ? db_col_text(st, 0) : NULL;

		if (r == NULL || strcmp(r, "ok") != 0) {
			log_error("db: integrity check failed");
			e = ERR_DB;
		}
	}
	db_done(st);
	return e;
}
