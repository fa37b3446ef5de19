/*
 * The PostgreSQL backend, on libpq. Statements are prepared once per
 * connection and run with text parameters. Write transactions take one
 * transaction-scoped advisory lock first, so writers queue one at a time
 * across every server process, as SQLite's writers do: a core function
 * sees the same semantics on both backends, and the audit chain stays a
 * single chain. Read transactions are REPEATABLE READ snapshots.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/db_backend.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/xalloc.h"

#define CACHE_SLOTS	128
#define MAX_PARAMS	64
#define WRITE_LOCK_KEY	"727041920"	/* any constant: "the writer" */

struct pg_stmt {
	struct db_stmt	 base;
	const char	*key;		/* NULL when not cached */
	const char	*sql;
	char		 name[16];	/* server-side statement; "" for none */
	int		 nparams;
	char		*params[MAX_PARAMS];
	PGresult	*res;
	int		 row;		/* next row to hand out */
	int		 nrows;
	int		 busy;
};

struct pg_db {
	struct db	 base;
	PGconn		*conn;
	int		 broken;
	int		 next_name;
	struct pg_stmt	 cache[CACHE_SLOTS];
};

static const struct db_ops pg_ops;

static struct pg_db *
PG(struct db *db)
{
	return (struct pg_db *)(void *)db;
}

static struct pg_stmt *
PGS(struct db_stmt *st)
{
	return (struct pg_stmt *)(void *)st;
}

/*
 * Maps a failed result to the error enum by SQLSTATE. The log names the
 * state, table and constraint only: PostgreSQL's messages and details can
 * quote values, which may be personal information.
 */
static enum err
map_result(struct pg_db *db, PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res,
	    PG_DIAG_SQLSTATE) : NULL;
	const char *table = res ? PQresultErrorField(res,
	    PG_DIAG_TABLE_NAME) : NULL;
	const char *cons = res ? PQresultErrorField(res,
	    PG_DIAG_CONSTRAINT_NAME) : NULL;

	if (PQstatus(db->conn) != CONNECTION_OK) {
		db->broken = 1;
		log_error("db: %s: the connection to PostgreSQL is lost", what);
		return ERR_IO;
	}
	if (state == NULL) {
		log_error("db: %s: failed without a SQLSTATE", what);
		return ERR_DB;
	}
	if (strcmp(state, "23505") == 0)
		return ERR_CONFLICT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "53300") == 0 ||
	    strcmp(state, "57014") == 0) {
		log_warn("db: %s: busy (%s)", what, state);
		return ERR_BUSY;
	}
	log_warn("db: %s: SQLSTATE %s%s%s%s%s", what, state,
	    table ? " table " : "", table ? table : "",
	    cons ? " constraint " : "", cons ? cons : "");
	if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
		return ERR_INVALID;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		db->broken = 1;
		return ERR_IO;
	}
	return ERR_DB;
}

static enum err
check(struct pg_db *db, PGresult *res, const char *what)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
		return ERR_OK;
	return map_result(db, res, what);
}

static enum err
pg_exec(struct db *base, const char *sql)
{
	struct pg_db *db = PG(base);
	PGresult *res = PQexec(db->conn, sql);
	enum err e = check(db, res, "exec");

	PQclear(res);
	return e;
}

/* libpq's notices (e.g. "there is no transaction in progress") are not
 * for the log of a server; warnings and worse still reach the result. */
static void
quiet_notices(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

enum err
db_pg_open(const char *uri, int flags, struct db **out)
{
	struct pg_db *db;
	enum err e;

	(void)flags;	/* the database must exist; its schema need not */
	*out = NULL;
	db = xcalloc(1, sizeof *db);
	db->base.ops = &pg_ops;
	db->conn = PQconnectdb(uri);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		/* libpq's message names the host, never a password. */
		log_error("db: cannot connect to PostgreSQL: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		e = ERR_IO;
		goto fail;
	}
	PQsetNoticeReceiver(db->conn, quiet_notices, NULL);
	/* Waits for the writer lock or any row end like SQLite's busy
	 * timeout; times are stored as numbers, so the zone is moot. */
	if ((e = pg_exec(&db->base,
	    "SET lock_timeout = '5s';"
	    "SET statement_timeout = '60s';"
	    "SET client_min_messages = warning;"
	    "SET TIME ZONE 'UTC'")) != ERR_OK)
		goto fail;
	*out = &db->base;
	return ERR_OK;
fail:
	db_close(&db->base);
	return e;
}

static void
clear_params(struct pg_stmt *st)
{
	int i;

	for (i = 0; i < MAX_PARAMS; i++) {
		free(st->params[i]);
		st->params[i] = NULL;
	}
}

static void
pg_close(struct db *base)
{
	struct pg_db *db = PG(base);
	int i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		PQclear(db->cache[i].res);
		clear_params(&db->cache[i]);
	}
	PQfinish(db->conn);
	free(db);
}

static enum err
setup(struct pg_db *db, struct pg_stmt *st, const char *sql, int named)
{
	st->base.db = &db->base;
	st->sql = sql;
	st->nparams = db_param_count(sql);
	if (st->nparams > MAX_PARAMS) {
		log_error("db: a statement has more than %d parameters",
		    MAX_PARAMS);
		return ERR_INTERNAL;
	}
	st->name[0] = '\0';
	if (named) {
		PGresult *res;
		enum err e;

		snprintf(st->name, sizeof st->name, "s%d", db->next_name++);
		res = PQprepare(db->conn, st->name, sql, 0, NULL);
		e = check(db, res, "prepare");
		PQclear(res);
		if (e != ERR_OK) {
			st->name[0] = '\0';
			return e;
		}
	}
	return ERR_OK;
}

static enum err
pg_prepare(struct db *base, const char *sql, struct db_stmt **out)
{
	struct pg_db *db = PG(base);
	uintptr_t h = (uintptr_t)sql;
	unsigned i, slot;
	struct pg_stmt *st;
	enum err e;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	slot = (unsigned)(h >> 7) % CACHE_SLOTS;
	for (i = 0; i < CACHE_SLOTS; i++) {
		st = &db->cache[(slot + i) % CACHE_SLOTS];
		if (st->key == sql) {
			if (st->busy)
				break;	/* in use: a one-off statement */
			st->busy = 1;
			*out = &st->base;
			return ERR_OK;
		}
		if (st->key == NULL) {
			if ((e = setup(db, st, sql, 1)) != ERR_OK)
				return e;
			st->key = sql;
			st->busy = 1;
			*out = &st->base;
			return ERR_OK;
		}
	}
	/* A full cache or a statement in use: run this one unprepared. */
	st = xcalloc(1, sizeof *st);
	if ((e = setup(db, st, sql, 0)) != ERR_OK) {
		free(st);
		return e;
	}
	st->busy = 1;
	*out = &st->base;
	return ERR_OK;
}

static void
pg_done(struct db_stmt *base)
{
	struct pg_stmt *st = PGS(base);

	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	clear_params(st);
	if (st->key == NULL) {
		free(st);
		return;
	}
	st->busy = 0;
}

static enum err
pg_bind_text(struct db_stmt *base, int i, const char *s)
{
	struct pg_stmt *st = PGS(base);

	if (i < 1 || i > st->nparams)
		return ERR_INTERNAL;
	free(st->params[i - 1]);
	st->params[i - 1] = s ? xstrdup(s) : NULL;
	return ERR_OK;
}

static enum err
pg_bind_int(struct db_stmt *base, int i, int64_t v)
{
	char n[24];

	snprintf(n, sizeof n, "%lld", (long long)v);
	return pg_bind_text(base, i, n);
}

static enum err
execute(struct pg_stmt *st)
{
	struct pg_db *db = PG(st->base.db);
	const char *const *params = (const char *const *)st->params;
	enum err e;

	PQclear(st->res);
	if (st->name[0])
		st->res = PQexecPrepared(db->conn, st->name, st->nparams,
		    params, NULL, NULL, 0);
	else
		st->res = PQexecParams(db->conn, st->sql, st->nparams, NULL,
		    params, NULL, NULL, 0);
	if ((e = check(db, st->res, "step")) != ERR_OK) {
		PQclear(st->res);
		st->res = NULL;
		return e;
	}
	st->row = 0;
	st->nrows = PQntuples(st->res);
	return ERR_OK;
}

static enum err
pg_step(struct db_stmt *base, int *row)
{
	struct pg_stmt *st = PGS(base);
	enum err e;

	*row = 0;
	if (st->res == NULL && (e = execute(st)) != ERR_OK)
		return e;
	/* Columns of the row handed out are read at row - 1. */
	if (st->row < st->nrows) {
		st->row++;
		*row = 1;
	}
	return ERR_OK;
}

static enum err
pg_run(struct db_stmt *base, int64_t *changes)
{
	struct pg_stmt *st = PGS(base);
	const char *n;
	int64_t v = 0;
	enum err e;

	if ((e = execute(st)) != ERR_OK)
		return e;
	n = PQcmdTuples(st->res);
	if (n != NULL && *n != '\0')
		(void)parse_int64(n, 0, INT64_MAX, &v);
	if (changes)
		*changes = v;
	return ERR_OK;
}

static const char *
pg_col_text(struct db_stmt *base, int i)
{
	struct pg_stmt *st = PGS(base);

	if (st->res == NULL || st->row < 1 || i >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row - 1, i))
		return NULL;
	return PQgetvalue(st->res, st->row - 1, i);
}

static int64_t
pg_col_int(struct db_stmt *base, int i)
{
	const char *s = pg_col_text(base, i);
	int64_t v = 0;

	if (s != NULL && parse_int64(s, INT64_MIN, INT64_MAX, &v) != ERR_OK)
		v = 0;
	return v;
}

static int
pg_col_is_null(struct db_stmt *base, int i)
{
	return pg_col_text(base, i) == NULL;
}

static enum err
pg_begin(struct db *base, enum db_tx kind)
{
	enum err e;

	if (base->in_tx) {
		log_error("db: nested transaction");
		return ERR_INTERNAL;
	}
	/* One round trip: begin, and for a write take the writer lock. An
	 * append-only transaction needs no writer lock: its first statement
	 * locks the audit chain's head row, which is all it touches before
	 * it inserts. (A writer takes the writer lock, then that row; an
	 * appender only the row: no cycle.) */
	e = pg_exec(base, kind == DB_TX_WRITE ?
	    "BEGIN ISOLATION LEVEL READ COMMITTED;"
	    "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")" :
	    kind == DB_TX_APPEND ? "BEGIN ISOLATION LEVEL READ COMMITTED" :
	    "BEGIN ISOLATION LEVEL REPEATABLE READ");
	if (e != ERR_OK) {
		PQclear(PQexec(PG(base)->conn, "ROLLBACK"));
		return e;
	}
	base->in_tx = 1;
	return ERR_OK;
}

static void
pg_rollback(struct db *base)
{
	if (!base->in_tx)
		return;
	PQclear(PQexec(PG(base)->conn, "ROLLBACK"));
	base->in_tx = 0;
}

static enum err
pg_commit(struct db *base)
{
	enum err e;

	if (!base->in_tx)
		return ERR_INTERNAL;
	if ((e = pg_exec(base, "COMMIT")) != ERR_OK) {
		pg_rollback(base);
		return e;
	}
	base->in_tx = 0;
	return ERR_OK;
}

/*
 * A PostgreSQL database is copied by pg_dump (custom format, for
 * pg_restore), consistent while others write. The connection's password,
 * if any, goes to pg_dump in its environment, not on its command line.
 */
static enum err
pg_backup(struct db *base, const char *path)
{
	PGconn *c = PG(base)->conn;
	struct stat sb;
	pid_t pid;
	int status;

	if (stat(path, &sb) == 0)
		return ERR_CONFLICT;
	pid = fork();
	if (pid < 0)
		return ERR_IO;
	if (pid == 0) {
		const char *pw = PQpass(c);

		if (pw != NULL && *pw != '\0')
			setenv("PGPASSWORD", pw, 1);
		execlp("pg_dump", "pg_dump", "--format=custom", "--no-owner",
		    "--file", path, "--host", PQhost(c), "--port", PQport(c),
		    "--username", PQuser(c), "--dbname", PQdb(c),
		    (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return ERR_IO;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_error("db: pg_dump failed%s", WIFEXITED(status) &&
		    WEXITSTATUS(status) == 127 ? " (is postgresql-client "
		    "installed?)" : "");
		unlink(path);
		return ERR_IO;
	}
	return ERR_OK;
}

static enum err
pg_check(struct db *base)
{
	/* PostgreSQL checks its own pages; here: the server answers. */
	return pg_exec(base, "SELECT 1");
}

static enum err
pg_table_exists(struct db *base, const char *name, int *exists)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(base, "SELECT count(*) FROM pg_catalog.pg_tables"
	    " WHERE schemaname = current_schema() AND tablename = $1", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, name);
	if ((e = db_step(st, &row)) == ERR_OK)
		*exists = row && db_col_int(st, 0) > 0;
	db_done(st);
	return e;
}

static int
pg_usable(struct db *base)
{
	struct pg_db *db = PG(base);

	return !db->broken && PQstatus(db->conn) == CONNECTION_OK;
}

static const struct db_ops pg_ops = {
	.name = "postgresql",
	.close = pg_close,
	.prepare = pg_prepare,
	.done = pg_done,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.step = pg_step,
	.run = pg_run,
	.col_text = pg_col_text,
	.col_int = pg_col_int,
	.col_is_null = pg_col_is_null,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.backup = pg_backup,
	.check = pg_check,
	.table_exists = pg_table_exists,
	.usable = pg_usable,
};

/*
 * Restoring on PostgreSQL: the backup is a pg_dump file, loaded by
 * pg_restore into a scratch database named after the target on the same
 * server; once checked it takes the target's name. Creating, renaming and
 * dropping databases happen on a connection to the server's "postgres"
 * database, so the account needs CREATEDB.
 */

/* A connection to the maintenance database of uri's server. */
static PGconn *
maintenance(const char *uri)
{
	const char *const kw[] = { "dbname", "dbname", NULL };
	const char *const val[] = { uri, "postgres", NULL };
	PGconn *c = PQconnectdbParams(kw, val, 1);

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		log_error("db: cannot reach the server's postgres database: %s",
		    c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeReceiver(c, quiet_notices, NULL);
	return c;
}

/* The value of keyword in uri's connection options; caller frees. */
static char *
uri_option(const char *uri, const char *keyword)
{
	PQconninfoOption *opts, *o;
	char *err = NULL, *v = NULL;

	if ((opts = PQconninfoParse(uri, &err)) == NULL) {
		PQfreemem(err);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val != NULL)
			v = xstrdup(o->val);
	PQconninfoFree(opts);
	return v;
}

/*
 * uri with its database name replaced by name; caller frees. NULL when
 * uri names no database in its path.
 */
static char *
uri_with_db(const char *uri, const char *name)
{
	const char *start = strstr(uri, "://"), *slash, *end;
	size_t n;
	char *out;

	if (start == NULL || (slash = strchr(start + 3, '/')) == NULL ||
	    slash[1] == '\0' || slash[1] == '?')
		return NULL;
	end = strchr(slash + 1, '?');
	if (end == NULL)
		end = slash + strlen(slash);
	n = (size_t)(slash + 1 - uri) + strlen(name) + strlen(end) + 1;
	out = xmalloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(slash + 1 - uri), uri, name, end);
	return out;
}

/* Runs "sql" with one quoted identifier (%s) on the maintenance link. */
static enum err
admin_exec(PGconn *c, const char *fmt, const char *ident, const char *ident2)
{
	char *q1 = PQescapeIdentifier(c, ident, strlen(ident));
	char *q2 = ident2 ? PQescapeIdentifier(c, ident2, strlen(ident2)) :
	    NULL;
	char sql[1024];
	PGresult *res;
	const char *state;
	enum err e = ERR_OK;

	if (q1 == NULL || (ident2 && q2 == NULL)) {
		e = ERR_INVALID;
		goto done;
	}
	snprintf(sql, sizeof sql, fmt, q1, q2 ? q2 : "");
	res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		log_error("db: %s (SQLSTATE %s)", strncmp(fmt, "ALTER", 5) == 0 ?
		    "cannot rename a database: is a server still using it?" :
		    "cannot create or drop a database", state ? state : "?");
		e = state && strcmp(state, "55006") == 0 ? ERR_CONFLICT :
		    ERR_DB;
	}
	PQclear(res);
done:
	PQfreemem(q1);
	PQfreemem(q2);
	return e;
}

static int
database_exists(PGconn *c, const char *name)
{
	const char *params[1] = { name };
	PGresult *res = PQexecParams(c,
	    "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params,
	    NULL, NULL, 0);
	int found = PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) > 0;

	PQclear(res);
	return found;
}

enum err
db_pg_restore_load(const char *uri, const char *backup, char **scratch)
{
	char *target = uri_option(uri, "dbname"), *name = NULL, *to = NULL;
	char *host = uri_option(uri, "host"), *port = uri_option(uri, "port");
	char *user = uri_option(uri, "user"), *pw = uri_option(uri,
	    "password");
	PGconn *c = NULL;
	enum err e;
	pid_t pid;
	int status;

	if (access(backup, R_OK) != 0) {
		e = ERR_NOT_FOUND;
		goto done;
	}
	if (target != NULL) {
		name = xmalloc(strlen(target) + 12);
		snprintf(name, strlen(target) + 12, "%s_restoring", target);
	}
	if (name == NULL || (to = uri_with_db(uri, name)) == NULL) {
		log_error("db: the PostgreSQL URI must name its database");
		e = ERR_INVALID;
		goto done;
	}
	if ((c = maintenance(uri)) == NULL) {
		e = ERR_IO;
		goto done;
	}
	if ((e = admin_exec(c, "DROP DATABASE IF EXISTS %s", name, NULL)) !=
	    ERR_OK || (e = admin_exec(c, "CREATE DATABASE %s", name, NULL)) !=
	    ERR_OK)
		goto done;
	pid = fork();
	if (pid < 0) {
		e = ERR_IO;
		goto fail;
	}
	if (pid == 0) {
		if (pw != NULL && *pw != '\0')
			setenv("PGPASSWORD", pw, 1);
		execlp("pg_restore", "pg_restore", "--no-owner",
		    "--exit-on-error", "--single-transaction", "--host",
		    host ? host : "localhost", "--port", port ? port : "5432",
		    "--username", user ? user : "postgres", "--dbname", name,
		    backup, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			e = ERR_IO;
			goto fail;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_error("db: pg_restore failed%s", WIFEXITED(status) &&
		    WEXITSTATUS(status) == 127 ? " (is postgresql-client "
		    "installed?)" : "");
		e = ERR_IO;
		goto fail;
	}
	*scratch = to;
	to = NULL;
	goto done;
fail:
	admin_exec(c, "DROP DATABASE IF EXISTS %s", name, NULL);
done:
	free(to);
	PQfinish(c);
	free(target);
	free(name);
	free(host);
	free(port);
	free(user);
	if (pw)
		crypto_wipe(pw, strlen(pw));
	free(pw);
	return e;
}

enum err
db_pg_restore_swap(const char *uri, const char *scratch)
{
	char *target = uri_option(uri, "dbname");
	char *from = uri_option(scratch, "dbname"), *old = NULL;
	PGconn *c = NULL;
	enum err e;

	if (target == NULL || from == NULL) {
		e = ERR_INVALID;
		goto done;
	}
	if ((c = maintenance(uri)) == NULL) {
		e = ERR_IO;
		goto done;
	}
	old = xmalloc(strlen(target) + 12);
	snprintf(old, strlen(target) + 12, "%s_replaced", target);
	if ((e = admin_exec(c, "DROP DATABASE IF EXISTS %s", old, NULL)) !=
	    ERR_OK)
		goto done;
	if (database_exists(c, target) && (e = admin_exec(c,
	    "ALTER DATABASE %s RENAME TO %s", target, old)) != ERR_OK)
		goto done;
	if ((e = admin_exec(c, "ALTER DATABASE %s RENAME TO %s", from,
	    target)) != ERR_OK)
		goto done;
	e = admin_exec(c, "DROP DATABASE IF EXISTS %s", old, NULL);
done:
	PQfinish(c);
	free(target);
	free(from);
	free(old);
	return e;
}

void
db_pg_restore_drop(const char *scratch)
{
	char *name = uri_option(scratch, "dbname");
	PGconn *c;

	if (name != NULL && (c = maintenance(scratch)) != NULL) {
		admin_exec(c, "DROP DATABASE IF EXISTS %s", name, NULL);
		PQfinish(c);
	}
	free(name);
}

enum err
db_pg_holds_data(const char *uri, int *holds)
{
	char *name = uri_option(uri, "dbname");
	struct db *db = NULL;
	PGconn *c;
	enum err e = ERR_OK;
	int exists;

	*holds = 0;
	if (name == NULL)
		return ERR_INVALID;
	if ((c = maintenance(uri)) == NULL) {
		free(name);
		return ERR_IO;
	}
	exists = database_exists(c, name);
	PQfinish(c);
	free(name);
	if (!exists)
		return ERR_OK;
	if ((e = db_pg_open(uri, 0, &db)) == ERR_OK)
		e = db_table_exists(db, "schema_migration", holds);
	db_close(db);
	return e;
}
