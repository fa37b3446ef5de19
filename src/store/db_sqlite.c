/*
 * The embedded backend: one SQLite file in WAL mode with synchronous=FULL,
 * foreign keys on and a busy timeout. Statements are cached per connection.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db_backend.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CACHE_SLOTS	128
#define BUSY_TIMEOUT_MS	5000

struct sq_stmt {
	struct db_stmt	 base;
	sqlite3_stmt	*st;
	const char	*key;	/* NULL when not cached */
	int		 busy;
};

struct sq_db {
	struct db	 base;
	sqlite3		*h;
	int		 writing;	/* holds write_lock */
	struct sq_stmt	 cache[CACHE_SLOTS];
};

/*
 * SQLite lets one connection write at a time and makes the others retry
 * with sleeps, which gives long latency tails under load. Writers in this
 * process queue on a mutex instead; other processes still meet the busy
 * timeout.
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct db_ops sqlite_ops;

static struct sq_db *
SQ(struct db *db)
{
	return (struct sq_db *)(void *)db;
}

static struct sq_stmt *
SQS(struct db_stmt *st)
{
	return (struct sq_stmt *)(void *)st;
}

static enum err
map_rc(struct sq_db *db, int rc, const char *what)
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

static enum err
sq_exec(struct db *base, const char *sql)
{
	struct sq_db *db = SQ(base);

	return map_rc(db, sqlite3_exec(db->h, sql, NULL, NULL, NULL), "exec");
}

enum err
db_sqlite_open(const char *path, int flags, struct db **out)
{
	struct sq_db *db;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	enum err e;

	*out = NULL;
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	db = xcalloc(1, sizeof *db);
	db->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
		log_error("db: cannot open database: %s",
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		e = ERR_IO;
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	if ((e = sq_exec(&db->base,
	    "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA trusted_schema=OFF;")) != ERR_OK)
		goto fail;
	*out = &db->base;
	return ERR_OK;
fail:
	db_close(&db->base);
	return e;
}

static void
sq_close(struct db *base)
{
	struct sq_db *db = SQ(base);
	int i;

	for (i = 0; i < CACHE_SLOTS; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close_v2(db->h);
	free(db);
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
compile(struct sq_db *db, const char *sql, unsigned pflags,
    sqlite3_stmt **st)
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

static enum err
sq_prepare(struct db *base, const char *sql, struct db_stmt **out)
{
	struct sq_db *db = SQ(base);
	uintptr_t h = (uintptr_t)sql;
	unsigned i, slot;
	struct sq_stmt *st;
	enum err e;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	slot = (unsigned)(h >> 7) % CACHE_SLOTS;
	for (i = 0; i < CACHE_SLOTS; i++) {
		st = &db->cache[(slot + i) % CACHE_SLOTS];
		if (st->key == sql) {
			if (st->busy)
				break;	/* in use: hand out a private one */
			st->busy = 1;
			*out = &st->base;
			return ERR_OK;
		}
		if (st->key == NULL) {
			if ((e = compile(db, sql, SQLITE_PREPARE_PERSISTENT,
			    &st->st)) != ERR_OK)
				return e;
			st->base.db = base;
			st->key = sql;
			st->busy = 1;
			*out = &st->base;
			return ERR_OK;
		}
	}
	st = xcalloc(1, sizeof *st);
	st->base.db = base;
	if ((e = compile(db, sql, 0, &st->st)) != ERR_OK) {
		free(st);
		return e;
	}
	st->busy = 1;
	*out = &st->base;
	return ERR_OK;
}

static void
sq_done(struct db_stmt *base)
{
	struct sq_stmt *st = SQS(base);

	if (st->key == NULL) {
		sqlite3_finalize(st->st);
		free(st);
		return;
	}
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	st->busy = 0;
}

static enum err
sq_bind_text(struct db_stmt *base, int i, const char *s)
{
	struct sq_stmt *st = SQS(base);
	int rc;

	if (s == NULL)
		rc = sqlite3_bind_null(st->st, i);
	else
		rc = sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT);
	return map_rc(SQ(base->db), rc, "bind");
}

static enum err
sq_bind_int(struct db_stmt *base, int i, int64_t v)
{
	return map_rc(SQ(base->db), sqlite3_bind_int64(SQS(base)->st, i, v),
	    "bind");
}

static enum err
sq_step(struct db_stmt *base, int *row)
{
	int rc = sqlite3_step(SQS(base)->st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return ERR_OK;
	return map_rc(SQ(base->db), rc, "step");
}

static enum err
sq_run(struct db_stmt *base, int64_t *changes)
{
	enum err e;
	int row;

	do {
		if ((e = sq_step(base, &row)) != ERR_OK)
			return e;
	} while (row);
	if (changes)
		*changes = sqlite3_changes64(SQ(base->db)->h);
	return ERR_OK;
}

static const char *
sq_col_text(struct db_stmt *base, int i)
{
	return (const char *)sqlite3_column_text(SQS(base)->st, i);
}

static int64_t
sq_col_int(struct db_stmt *base, int i)
{
	return sqlite3_column_int64(SQS(base)->st, i);
}

static int
sq_col_is_null(struct db_stmt *base, int i)
{
	return sqlite3_column_type(SQS(base)->st, i) == SQLITE_NULL;
}

static void
release(struct sq_db *db)
{
	if (db->writing) {
		db->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

static enum err
sq_begin(struct db *base, enum db_tx kind)
{
	struct sq_db *db = SQ(base);
	enum err e;

	if (base->in_tx) {
		log_error("db: nested transaction");
		return ERR_INTERNAL;
	}
	if (kind != DB_TX_READ) {
		pthread_mutex_lock(&write_lock);
		db->writing = 1;
	}
	e = sq_exec(base, kind != DB_TX_READ ? "BEGIN IMMEDIATE" : "BEGIN");
	if (e == ERR_OK)
		base->in_tx = 1;
	else
		release(db);
	return e;
}

static void
sq_rollback(struct db *base)
{
	struct sq_db *db = SQ(base);

	if (!base->in_tx)
		return;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	base->in_tx = 0;
	release(db);
}

static enum err
sq_commit(struct db *base)
{
	enum err e;

	if (!base->in_tx)
		return ERR_INTERNAL;
	if ((e = sq_exec(base, "COMMIT")) != ERR_OK) {
		sq_rollback(base);
		return e;
	}
	base->in_tx = 0;
	release(SQ(base));
	return ERR_OK;
}

static enum err
sq_backup(struct db *base, const char *path)
{
	struct sq_db *db = SQ(base);
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

static enum err
sq_check(struct db *base)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(base, "PRAGMA integrity_check", &st)) != ERR_OK)
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

static enum err
sq_table_exists(struct db *base, const char *name, int *exists)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(base, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, name);
	if ((e = db_step(st, &row)) == ERR_OK)
		*exists = row && db_col_int(st, 0) > 0;
	db_done(st);
	return e;
}

static int
sq_usable(struct db *base)
{
	(void)base;
	return 1;
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.prepare = sq_prepare,
	.done = sq_done,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.step = sq_step,
	.run = sq_run,
	.col_text = sq_col_text,
	.col_int = sq_col_int,
	.col_is_null = sq_col_is_null,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.backup = sq_backup,
	.check = sq_check,
	.table_exists = sq_table_exists,
	.usable = sq_usable,
};

static void
remove_files(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof side, "%.4000s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%.4000s-shm", path);
	unlink(side);
}

enum err
db_sqlite_restore_load(const char *path, const char *backup, char **scratch)
{
	struct db *in = NULL;
	struct buf b;
	enum err e;

	if (access(backup, R_OK) != 0)
		return ERR_NOT_FOUND;
	buf_init(&b, 8192);
	if ((e = buf_printf(&b, "%s.restoring", path)) != ERR_OK) {
		buf_free(&b);
		return e;
	}
	*scratch = buf_take(&b);
	remove_files(*scratch);
	if ((e = db_sqlite_open(backup, 0, &in)) == ERR_OK)
		e = sq_backup(in, *scratch);
	db_close(in);
	if (e != ERR_OK) {
		remove_files(*scratch);
		free(*scratch);
		*scratch = NULL;
	}
	return e;
}

enum err
db_sqlite_restore_swap(const char *path, const char *scratch)
{
	remove_files(path);
	if (rename(scratch, path) != 0) {
		log_error("db: cannot move the restored copy into place");
		return ERR_IO;
	}
	return ERR_OK;
}

void
db_sqlite_restore_drop(const char *scratch)
{
	remove_files(scratch);
}

enum err
db_sqlite_holds_data(const char *path, int *holds)
{
	*holds = access(path, F_OK) == 0;
	return ERR_OK;
}
