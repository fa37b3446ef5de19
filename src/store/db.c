/*
 * db.h for callers, dispatched to the backend named by the database URI:
 * postgresql:// and postgres:// to store/db_pg.c, anything else is a file
 * path for store/db_sqlite.c.
 */
#include <string.h>

#include "store/db_backend.h"
#include "util/xalloc.h"

int
db_uri_is_pg(const char *uri)
{
	return uri != NULL && (strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "postgres://", 11) == 0);
}

enum err
db_open(const char *uri, int flags, struct db **out)
{
	*out = NULL;
	if (uri == NULL || *uri == '\0')
		return ERR_INVALID;
	if (db_uri_is_pg(uri))
		return db_pg_open(uri, flags, out);
	return db_sqlite_open(uri, flags, out);
}

void
db_close(struct db *db)
{
	if (db != NULL)
		db->ops->close(db);
}

const char *
db_backend(const struct db *db)
{
	return db->ops->name;
}

enum err
db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	enum err e;

	*out = NULL;
	if ((e = db->ops->prepare(db, sql, out)) == ERR_OK)
		(*out)->bind_err = ERR_OK;
	return e;
}

void
db_done(struct db_stmt *st)
{
	if (st != NULL)
		st->db->ops->done(st);
}

enum err
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	return st->db->ops->bind_text(st, i, s);
}

enum err
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	return st->db->ops->bind_int(st, i, v);
}

enum err
db_bind_null(struct db_stmt *st, int i)
{
	return st->db->ops->bind_text(st, i, NULL);
}

enum err
db_step(struct db_stmt *st, int *row)
{
	*row = 0;
	if (st->bind_err != ERR_OK)
		return st->bind_err;
	return st->db->ops->step(st, row);
}

enum err
db_run(struct db_stmt *st, int64_t *changes)
{
	if (changes != NULL)
		*changes = 0;
	if (st->bind_err != ERR_OK)
		return st->bind_err;
	return st->db->ops->run(st, changes);
}

enum err
db_set_text(struct db *db, const char *sql, const char *value, const char *id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, value);
	db_bind_text(st, 2, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

enum err
db_set_int(struct db *db, const char *sql, int64_t value, const char *id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, value);
	db_bind_text(st, 2, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	return st->db->ops->col_text(st, i);
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	return st->db->ops->col_int(st, i);
}

int
db_col_is_null(struct db_stmt *st, int i)
{
	return st->db->ops->col_is_null(st, i);
}

enum err
db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

enum err
db_begin(struct db *db, enum db_tx kind)
{
	return db->ops->begin(db, kind);
}

enum err
db_commit(struct db *db)
{
	return db->ops->commit(db);
}

void
db_rollback(struct db *db)
{
	if (db != NULL)
		db->ops->rollback(db);
}

int
db_in_tx(const struct db *db)
{
	return db->in_tx;
}

enum err
db_backup(struct db *db, const char *path)
{
	return db->ops->backup(db, path);
}

enum err
db_compact(struct db *db)
{
	if (strcmp(db_backend(db), "sqlite") != 0)
		return ERR_OK;
	return db_exec(db, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE)");
}

enum err
db_check(struct db *db)
{
	return db->ops->check(db);
}

enum err
db_table_exists(struct db *db, const char *name, int *exists)
{
	*exists = 0;
	return db->ops->table_exists(db, name, exists);
}

int
db_usable(struct db *db)
{
	return db->ops->usable(db);
}

int
db_param_count(const char *sql)
{
	const char *p;
	char quote = 0;
	int max = 0;

	for (p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			int n = 0;

			for (p++; *p >= '0' && *p <= '9' && n < 10000; p++)
				n = n * 10 + (*p - '0');
			if (n > max)
				max = n;
			p--;
		}
	}
	return max;
}

enum err
db_restore_load(const char *uri, const char *backup, char **scratch)
{
	*scratch = NULL;
	return db_uri_is_pg(uri) ? db_pg_restore_load(uri, backup, scratch) :
	    db_sqlite_restore_load(uri, backup, scratch);
}

enum err
db_restore_swap(const char *uri, const char *scratch)
{
	return db_uri_is_pg(uri) ? db_pg_restore_swap(uri, scratch) :
	    db_sqlite_restore_swap(uri, scratch);
}

void
db_restore_drop(const char *scratch)
{
	if (scratch == NULL)
		return;
	if (db_uri_is_pg(scratch))
		db_pg_restore_drop(scratch);
	else
		db_sqlite_restore_drop(scratch);
}

enum err
db_holds_data(const char *uri, int *holds)
{
	*holds = 0;
	return db_uri_is_pg(uri) ? db_pg_holds_data(uri, holds) :
	    db_sqlite_holds_data(uri, holds);
}

char *
db_col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);

	return s ? xstrdup(s) : NULL;
}
