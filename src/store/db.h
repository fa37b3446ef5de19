#ifndef STORE_DB_H
#define STORE_DB_H

#include <stdint.h>

#include "util/err.h"

/*
 * The storage interface. Every statement is prepared and takes its values
 * through bound parameters, written $1, $2, ... in SQL kept to the subset
 * that SQLite and PostgreSQL both run. A connection belongs to one thread
 * at a time. See docs/internals/db.md.
 */

struct db;
struct db_stmt;

enum db_tx {
	DB_TX_READ,	/* a consistent snapshot */
	DB_TX_WRITE,	/* takes the writer's place up front */
	DB_TX_APPEND,	/* only appends to the audit chain, whose head row
			 * orders it; on PostgreSQL it does not wait for the
			 * writer (on SQLite it is a write like any other) */
};

#define DB_OPEN_CREATE	0x1	/* create the database when it does not exist */

/*
 * Opens the database named by uri: postgresql://user@host:port/dbname (or
 * postgres://) for PostgreSQL, anything else a file path for the embedded
 * SQLite backend. Returns a new connection in *out; caller frees with
 * db_close().
 */
enum err db_open(const char *uri, int flags, struct db **out);
void db_close(struct db *db);

/* 1 when uri names a PostgreSQL database. */
int db_uri_is_pg(const char *uri);

/* "sqlite" or "postgresql". Borrowed; static. */
const char *db_backend(const struct db *db);

/* 1 while the connection can still be used (PostgreSQL connections can
 * break; SQLite ones cannot). */
int db_usable(struct db *db);

/* Whether the table exists in the database's schema. */
enum err db_table_exists(struct db *db, const char *name, int *exists);

/*
 * Prepares sql, which must be a string that lives as long as the
 * connection (a literal): it keys the per-connection statement cache.
 * The statement is borrowed until db_done().
 */
enum err db_prepare(struct db *db, const char *sql, struct db_stmt **out);

/*
 * Returns a copy of sql that lives until the process ends, the same
 * pointer for the same text, so SQL assembled from a bounded set of
 * shapes can key the statement cache. Borrowed; never freed.
 */
const char *db_intern(const char *sql);
/* Frees interned SQL at exit, after every connection is closed. */
void db_intern_free(void);

/* Resets st and gives it back to its connection. Accepts NULL. */
void db_done(struct db_stmt *st);

/* Binds parameter i (1-based). A NULL string binds SQL NULL. */
enum err db_bind_text(struct db_stmt *st, int i, const char *s);
enum err db_bind_int(struct db_stmt *st, int i, int64_t v);
enum err db_bind_null(struct db_stmt *st, int i);

/* Advances st: *row is 1 when a row is ready, 0 when there are no more. */
enum err db_step(struct db_stmt *st, int *row);

/* Runs st to completion; *changes (may be NULL) gets the rows changed. */
enum err db_run(struct db_stmt *st, int64_t *changes);

/* Runs sql with two parameters, a value ($1) and an id ($2): the shape of
 * "UPDATE t SET column = $1 WHERE id = $2". */
enum err db_set_text(struct db *db, const char *sql, const char *value,
    const char *id);
enum err db_set_int(struct db *db, const char *sql, int64_t value,
    const char *id);

/* Column i (0-based) of the current row. Text is borrowed until the next
 * step; NULL for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
/* A new copy of column i's text (caller frees), or NULL for SQL NULL. */
char *db_col_dup(struct db_stmt *st, int i);
int db_col_is_null(struct db_stmt *st, int i);

/*
 * Sealed columns (store/db_sealed.c): free text kept encrypted under the
 * key file's keys (util/seal.h). column names the column as
 * "table.column" and must be one of db_sealed_columns(); it is bound
 * into the seal, so a value only opens in its own column. NULL stays
 * NULL. See docs/internals/db.md.
 *
 * db_bind_sealed() binds plain sealed under the current key. When it
 * cannot (no key file loaded, an unknown column), it returns the error
 * and the statement's next db_step() or db_run() fails with it too, so a
 * value is never stored as NULL by mistake.
 */
enum err db_bind_sealed(struct db_stmt *st, int i, const char *column,
    const char *plain);
/*
 * Column i of the current row opened: a new string (caller frees), or
 * NULL for SQL NULL. A value that does not open (not sealed, changed, a
 * key the key file lacks) returns NULL and sets *e to ERR_DB unless it
 * already holds an error; the log names the column and why, never the
 * value.
 */
char *db_col_unsealed(struct db_stmt *st, int i, const char *column,
    enum err *e);
/* db_set_text() with the value sealed for column. */
enum err db_set_sealed(struct db *db, const char *sql, const char *column,
    const char *value, const char *id);

/* One sealed column: its table, its name, and the key of its table (one
 * column, or two with key2 set; key2_int when key2 is an integer). */
struct db_sealed_column {
	const char	*name;		/* "table.column" */
	const char	*table;
	const char	*column;
	const char	*key1;
	const char	*key2;
	int		 key2_int;
};

/* Every sealed column. Borrowed; static. */
const struct db_sealed_column *db_sealed_columns(int *n);

/* Runs one or more statements without parameters (schema changes). */
enum err db_exec(struct db *db, const char *sql);

/*
 * Write transactions of one process queue on a mutex (SQLite has one
 * writer at a time), so a thread must not begin a write on a second
 * connection while it holds one open on another.
 */
enum err db_begin(struct db *db, enum db_tx kind);
enum err db_commit(struct db *db);
/* Rolls back when a transaction is open; otherwise does nothing. */
void db_rollback(struct db *db);
int db_in_tx(const struct db *db);

/*
 * Copies the whole database into a new file at path, consistently, while
 * other connections go on writing. ERR_CONFLICT when path exists. For
 * PostgreSQL the copy is made by pg_dump (custom format).
 */
enum err db_backup(struct db *db, const char *path);

/*
 * Rewrites the database so that space freed by changed rows keeps none of
 * their old contents: SQLite runs VACUUM and a truncating checkpoint of
 * its write-ahead log. PostgreSQL keeps old row versions until their
 * space is reused; this does nothing there (VACUUM FULL is for the
 * operator to choose). Not inside a transaction.
 */
enum err db_compact(struct db *db);

/* Runs the backend's own integrity check. */
enum err db_check(struct db *db);

/*
 * Restoring a backup made by db_backup(), in steps, so nothing is
 * replaced before the copy has been checked:
 * db_restore_load() loads backup into a new scratch database beside uri
 * (a file beside it, or a database named after it on the same server) and
 * names it in *scratch (caller frees with free()); the caller opens and
 * checks it; then db_restore_swap() puts it in place of uri, or
 * db_restore_drop() removes it. The database at uri must not be in use.
 */
enum err db_restore_load(const char *uri, const char *backup,
    char **scratch);
enum err db_restore_swap(const char *uri, const char *scratch);
void db_restore_drop(const char *scratch);

/* Whether uri names a database that already holds something: an existing
 * file, or a PostgreSQL database with Alongside's tables. */
enum err db_holds_data(const char *uri, int *holds);

/*
 * Connections for the server (store/db_pool.c). db_pool_setup() names the
 * database once. SQLite: each thread has its own connection, opened on
 * first use and closed when the thread exits. PostgreSQL: at most max
 * connections shared by all threads. db_acquire() returns one for the
 * request at hand (NULL when none comes free within the busy timeout);
 * db_release() gives it back.
 */
enum err db_pool_setup(const char *uri, int max);
struct db *db_acquire(void);
void db_release(struct db *db);
void db_pool_teardown(void);

/* Schema migrations (store/migrate.c). */
int db_schema_latest(void);
/* Current schema version; 0 for an empty database. */
enum err db_schema_version(struct db *db, int *version);
/* Brings the schema to the latest version; from and to may be NULL. */
enum err db_migrate(struct db *db, int *from, int *to);
/* As db_migrate(), stopping at version target (for tests of a step). */
enum err db_migrate_to(struct db *db, int target, int *from, int *to);

#endif
