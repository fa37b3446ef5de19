/*
 * Unit tests: store/ (SQLite backend, statement cache, transactions,
 * migrations, backup) against real database files in a temporary
 * directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "tmpdb.h"

struct fx {
	struct tmpdir	 dir;
	char		 path[512];
	struct db	*db;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	tmpdir_make(&f->dir);
	tmpdir_file(&f->dir, "store.db", f->path, sizeof f->path);
	if ((f->db = tmpdb_open(&f->dir, "store.db")) == NULL) {
		tmpdir_remove(&f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	tmpdir_remove(&f->dir);
	free(f);
	return 0;
}

/* The single integer a one-row query returns. */
static int64_t
query_int(struct db *db, const char *sql)
{
	struct db_stmt *st;
	int64_t v;
	int row;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	v = db_col_int(st, 0);
	db_done(st);
	return v;
}

/* The single text a one-row query returns, copied into out. */
static void
query_text(struct db *db, const char *sql, char *out, size_t n)
{
	struct db_stmt *st;
	const char *s;
	int row;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	s = db_col_text(st, 0);
	snprintf(out, n, "%s", s ? s : "(null)");
	db_done(st);
}

/*
 * Migration 2 gives name-search tokens their person's team: tokens made
 * under version 1 are filled in, and a search by team finds them.
 */
static void
test_migration_2_backfills(void **state)
{
	struct fx *f = *state;
	struct db *db;
	char path[512], team[64];
	int from, to;

	(void)f;
	tmpdir_file(&f->dir, "v1.db", path, sizeof path);
	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db), ERR_OK);
	assert_int_equal(db_migrate_to(db, 1, &from, &to), ERR_OK);
	assert_int_equal(to, 1);
	assert_int_equal(db_exec(db,
	    "INSERT INTO team VALUES ('t1', 'north', 'North', 1, 0);"
	    "INSERT INTO team VALUES ('t2', 'south', 'South', 1, 0);"
	    "INSERT INTO staff (id, username, display_name, role,"
	    " password_hash, version, created_at, updated_at)"
	    " VALUES ('s1', 'peer.one', 'Peer One', 'peer', 'x', 1, 0, 0);"
	    "INSERT INTO person (id, version, team_id, preferred_name,"
	    " sort_name, status, created_at, created_by, updated_at,"
	    " updated_by) VALUES ('p1', 1, 't2', 'Quill Testsome',"
	    " 'quill testsome', 'outreach', 0, 's1', 0, 's1');"
	    "INSERT INTO person_name_token VALUES ('quill', 'p1');"
	    "INSERT INTO person_name_token VALUES ('testsome', 'p1');"),
	    ERR_OK);
	assert_int_equal(db_migrate(db, &from, &to), ERR_OK);
	assert_int_equal(from, 1);
	assert_int_equal(to, db_schema_latest());
	assert_int_equal(query_int(db, "SELECT count(*) FROM person_name_token"
	    " WHERE team_id = 't2'"), 2);
	assert_int_equal(query_int(db, "SELECT count(*) FROM person_name_token"
	    " WHERE team_id IS NULL"), 0);
	query_text(db, "SELECT person_id FROM person_name_token"
	    " WHERE team_id = 't2' AND token >= 'qu' AND token < 'qv'", team,
	    sizeof team);
	assert_string_equal(team, "p1");
	db_close(db);
}

static void
test_open_and_migrate(void **state)
{
	struct fx *f = *state;
	struct db *db = NULL;
	char missing[512];
	int v = -1, from = -1, to = -1;

	assert_true(db_schema_latest() >= 1);
	assert_int_equal(db_schema_version(f->db, &v), ERR_OK);
	assert_int_equal(v, db_schema_latest());
	/* Migrating again is a no-op that reports where it stands. */
	assert_int_equal(db_migrate(f->db, &from, &to), ERR_OK);
	assert_int_equal(from, db_schema_latest());
	assert_int_equal(to, db_schema_latest());
	assert_int_equal(query_int(f->db,
	    "SELECT count(*) FROM schema_migration"), db_schema_latest());
	assert_string_equal(db_backend(f->db), "sqlite");

	/* A fresh file is at version 0 and migrates from there. */
	tmpdir_file(&f->dir, "fresh.db", missing, sizeof missing);
	assert_int_equal(db_open(missing, DB_OPEN_CREATE, &db), ERR_OK);
	assert_int_equal(db_schema_version(db, &v), ERR_OK);
	assert_int_equal(v, 0);
	assert_int_equal(db_migrate(db, &from, &to), ERR_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, db_schema_latest());
	assert_int_equal(query_int(db,
	    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
	    " AND name IN ('audit_no_update', 'audit_no_delete')"), 2);
	db_close(db);

	/* Without DB_OPEN_CREATE a missing file is an error, not a new
	 * empty database. */
	tmpdir_file(&f->dir, "missing.db", missing, sizeof missing);
	assert_int_equal(db_open(missing, 0, &db), ERR_IO);
	assert_null(db);
	assert_int_not_equal(access(missing, F_OK), 0);
	assert_int_equal(db_open("", DB_OPEN_CREATE, &db), ERR_INVALID);
	assert_int_equal(db_open(NULL, DB_OPEN_CREATE, &db), ERR_INVALID);
	/* A PostgreSQL URI goes to that backend: nothing listens here. */
	assert_int_equal(db_open("postgresql://alongside@127.0.0.1:1/x"
	    "?connect_timeout=2", 0, &db), ERR_IO);
	assert_null(db);
	db_close(NULL);
}

static void
test_pragmas(void **state)
{
	struct fx *f = *state;
	struct db *db2 = NULL;
	char mode[32];

	query_text(f->db, "PRAGMA journal_mode", mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(query_int(f->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(f->db, "PRAGMA synchronous"), 2); /* FULL */
	/* Every connection sets them, not just the one that created it. */
	assert_int_equal(db_open(f->path, 0, &db2), ERR_OK);
	query_text(db2, "PRAGMA journal_mode", mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(query_int(db2, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(db2, "PRAGMA synchronous"), 2);
	db_close(db2);
}

static const char sql_cached[] = "SELECT $1 + 1";

static void
test_statement_cache(void **state)
{
	struct fx *f = *state;
	struct db_stmt *a, *b, *c;
	int row;

	assert_int_equal(db_prepare(f->db, sql_cached, &a), ERR_OK);
	db_bind_int(a, 1, 41);
	assert_int_equal(db_step(a, &row), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_int(a, 0), 42);
	db_done(a);

	/* The same SQL again is the same cached statement, reset and with
	 * its bindings cleared. */
	assert_int_equal(db_prepare(f->db, sql_cached, &b), ERR_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(b, &row), ERR_OK);
	assert_true(row);
	assert_true(db_col_is_null(b, 0));	/* NULL + 1 */

	/* While b is in use the same SQL gets a private statement, and
	 * both work independently. */
	assert_int_equal(db_prepare(f->db, sql_cached, &c), ERR_OK);
	assert_ptr_not_equal(b, c);
	db_bind_int(c, 1, 9);
	assert_int_equal(db_step(c, &row), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_int(c, 0), 10);
	db_done(c);	/* frees the private one */
	assert_int_equal(db_step(b, &row), ERR_OK);
	assert_false(row);
	db_done(b);

	/* The cached one is free again. */
	assert_int_equal(db_prepare(f->db, sql_cached, &c), ERR_OK);
	assert_ptr_equal(c, a);
	db_done(c);
	db_done(NULL);
}

static void
test_statement_cache_full(void **state)
{
	struct fx *f = *state;
	struct buf b;
	int i, row;

	/* More shapes than the cache has slots: the rest get private
	 * statements, which must still work and be freed (ASan checks). */
	buf_init(&b, 256);
	for (i = 0; i < 300; i++) {
		struct db_stmt *st;
		const char *sql;

		buf_reset(&b);
		assert_int_equal(buf_printf(&b, "SELECT %d + $1", i), ERR_OK);
		sql = db_intern(buf_cstr(&b));
		assert_int_equal(db_prepare(f->db, sql, &st), ERR_OK);
		db_bind_int(st, 1, 1);
		assert_int_equal(db_step(st, &row), ERR_OK);
		assert_true(row);
		assert_int_equal(db_col_int(st, 0), i + 1);
		db_done(st);
	}
	buf_free(&b);
}

static void
test_prepare_error(void **state)
{
	struct fx *f = *state;
	char sentinel = 0;
	struct db_stmt *st = (struct db_stmt *)(void *)&sentinel;

	assert_int_equal(db_prepare(f->db, "SELEC nonsense", &st), ERR_DB);
	assert_null(st);
	assert_int_equal(db_prepare(f->db, "SELECT * FROM no_such_table",
	    &st), ERR_DB);
	assert_null(st);
	/* A failed prepare leaves the cache usable. */
	assert_int_equal(query_int(f->db, "SELECT 7"), 7);
}

static void
test_placeholders(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;
	int row;

	/* $N outside quotes is a parameter; inside quotes it is text,
	 * including after a doubled quote. */
	assert_int_equal(db_prepare(f->db,
	    "SELECT '$1', $1, 'it''s $2', $2 || 'x', $12", &st), ERR_OK);
	assert_int_equal(db_bind_text(st, 1, "one"), ERR_OK);
	assert_int_equal(db_bind_int(st, 2, 2), ERR_OK);
	assert_int_equal(db_bind_text(st, 12, "twelve"), ERR_OK);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_string_equal(db_col_text(st, 0), "$1");
	assert_string_equal(db_col_text(st, 1), "one");
	assert_string_equal(db_col_text(st, 2), "it's $2");
	assert_string_equal(db_col_text(st, 3), "2x");
	assert_string_equal(db_col_text(st, 4), "twelve");
	db_done(st);

	/* The same parameter used twice binds once. */
	assert_int_equal(db_prepare(f->db, "SELECT $1 = $1, $1 * $1", &st),
	    ERR_OK);
	db_bind_int(st, 1, 12);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_int_equal(db_col_int(st, 1), 144);
	db_done(st);
}

static void
test_bind_columns(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;
	int row;

	assert_int_equal(db_exec(f->db,
	    "CREATE TABLE t (a TEXT, b BIGINT, c TEXT)"), ERR_OK);
	assert_int_equal(db_prepare(f->db,
	    "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", &st), ERR_OK);
	assert_int_equal(db_bind_text(st, 1, NULL), ERR_OK);
	assert_int_equal(db_bind_int(st, 2, INT64_MIN), ERR_OK);
	assert_int_equal(db_bind_text(st, 3, "Zoë 'x' \"y\""), ERR_OK);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
	assert_int_equal(db_prepare(f->db,
	    "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", &st), ERR_OK);
	db_bind_text(st, 1, "");
	db_bind_int(st, 2, INT64_MAX);
	assert_int_equal(db_bind_null(st, 3), ERR_OK);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	db_done(st);

	assert_int_equal(db_prepare(f->db, "SELECT a, b, c FROM t ORDER BY b",
	    &st), ERR_OK);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_true(db_col_is_null(st, 0));
	assert_null(db_col_text(st, 0));
	assert_true(db_col_int(st, 1) == INT64_MIN);
	assert_false(db_col_is_null(st, 2));
	assert_string_equal(db_col_text(st, 2), "Zoë 'x' \"y\"");
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_false(db_col_is_null(st, 0));	/* empty text is not NULL */
	assert_string_equal(db_col_text(st, 0), "");
	assert_true(db_col_int(st, 1) == INT64_MAX);
	assert_true(db_col_is_null(st, 2));
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_false(row);
	db_done(st);

	/* Binding past the last parameter is an error, not a crash. */
	assert_int_equal(db_prepare(f->db, "SELECT $1", &st), ERR_OK);
	assert_int_not_equal(db_bind_int(st, 2, 1), ERR_OK);
	db_done(st);
}

static void
test_run_changes(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;
	int64_t changes = -1;
	int i;

	assert_int_equal(db_exec(f->db, "CREATE TABLE n (v BIGINT)"), ERR_OK);
	for (i = 0; i < 5; i++) {
		assert_int_equal(db_prepare(f->db,
		    "INSERT INTO n (v) VALUES ($1)", &st), ERR_OK);
		db_bind_int(st, 1, i);
		assert_int_equal(db_run(st, &changes), ERR_OK);
		assert_int_equal(changes, 1);
		db_done(st);
	}
	assert_int_equal(db_prepare(f->db,
	    "UPDATE n SET v = v + 10 WHERE v >= $1", &st), ERR_OK);
	db_bind_int(st, 1, 2);
	assert_int_equal(db_run(st, &changes), ERR_OK);
	assert_int_equal(changes, 3);
	db_done(st);
	assert_int_equal(db_prepare(f->db, "DELETE FROM n WHERE v > $1", &st),
	    ERR_OK);
	db_bind_int(st, 1, 1000);
	assert_int_equal(db_run(st, &changes), ERR_OK);
	assert_int_equal(changes, 0);
	db_done(st);
	/* RETURNING rows are stepped through by db_run. */
	assert_int_equal(db_prepare(f->db,
	    "DELETE FROM n WHERE v < $1 RETURNING v", &st), ERR_OK);
	db_bind_int(st, 1, 10);
	assert_int_equal(db_run(st, &changes), ERR_OK);
	assert_int_equal(changes, 2);
	db_done(st);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM n"), 3);
}

static void
insert_team(struct db *db, const char *id, const char *name, enum err want)
{
	struct db_stmt *st;

	assert_int_equal(db_prepare(db,
	    "INSERT INTO team (id, name, display_name, version, created_at)"
	    " VALUES ($1, $2, $2, 1, 0)", &st), ERR_OK);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, name);
	assert_int_equal(db_run(st, NULL), want);
	db_done(st);
}

static void
test_transactions(void **state)
{
	struct fx *f = *state;
	struct db *other = NULL;

	assert_int_equal(db_open(f->path, 0, &other), ERR_OK);
	assert_false(db_in_tx(f->db));
	assert_int_equal(db_commit(f->db), ERR_INTERNAL);	/* none open */
	db_rollback(f->db);	/* harmless without one */
	db_rollback(NULL);

	/* Committed: another connection sees it. */
	assert_int_equal(db_begin(f->db, DB_TX_WRITE), ERR_OK);
	assert_true(db_in_tx(f->db));
	assert_int_equal(db_begin(f->db, DB_TX_WRITE), ERR_INTERNAL);
	assert_int_equal(db_begin(f->db, DB_TX_READ), ERR_INTERNAL);
	assert_true(db_in_tx(f->db));	/* the outer one is still open */
	insert_team(f->db, "t1", "one", ERR_OK);
	/* Not visible elsewhere before the commit. */
	assert_int_equal(query_int(other,
	    "SELECT count(*) FROM team WHERE id = 't1'"), 0);
	assert_int_equal(db_commit(f->db), ERR_OK);
	assert_false(db_in_tx(f->db));
	assert_int_equal(query_int(other,
	    "SELECT count(*) FROM team WHERE id = 't1'"), 1);

	/* Rolled back: nobody sees it, not even the writer. */
	assert_int_equal(db_begin(f->db, DB_TX_WRITE), ERR_OK);
	insert_team(f->db, "t2", "two", ERR_OK);
	assert_int_equal(query_int(f->db,
	    "SELECT count(*) FROM team WHERE id = 't2'"), 1);
	db_rollback(f->db);
	assert_false(db_in_tx(f->db));
	assert_int_equal(query_int(f->db,
	    "SELECT count(*) FROM team WHERE id = 't2'"), 0);
	assert_int_equal(query_int(other,
	    "SELECT count(*) FROM team WHERE id = 't2'"), 0);

	/* A read transaction is a snapshot: a commit by another connection
	 * after it started is not seen until it ends. */
	assert_int_equal(db_begin(f->db, DB_TX_READ), ERR_OK);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM team"), 1);
	insert_team(other, "t3", "three", ERR_OK);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM team"), 1);
	assert_int_equal(db_commit(f->db), ERR_OK);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM team"), 2);
	db_close(other);
}

static void
test_constraints(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;

	insert_team(f->db, "t1", "north", ERR_OK);
	insert_team(f->db, "t2", "north", ERR_CONFLICT);	/* UNIQUE */
	insert_team(f->db, "t1", "south", ERR_CONFLICT);	/* the key */
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM team"), 1);

	/* Foreign keys are enforced: no membership of a missing account. */
	assert_int_equal(db_prepare(f->db,
	    "INSERT INTO staff_team (staff_id, team_id) VALUES ($1, $2)", &st),
	    ERR_OK);
	db_bind_text(st, 1, "no-such-staff");
	db_bind_text(st, 2, "t1");
	assert_int_equal(db_run(st, NULL), ERR_INVALID);
	db_done(st);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM staff_team"),
	    0);
	/* NOT NULL and CHECK constraints are refused as invalid input. */
	assert_int_equal(db_prepare(f->db,
	    "INSERT INTO staff (id, username, display_name, role,"
	    " password_hash, version, created_at, updated_at)"
	    " VALUES ('s1', 'u', 'U', $1, 'h', 1, 0, 0)", &st), ERR_OK);
	db_bind_text(st, 1, "wizard");
	assert_int_equal(db_run(st, NULL), ERR_INVALID);
	db_done(st);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM staff"), 0);
}

static void
test_backup(void **state)
{
	struct fx *f = *state;
	struct db *other = NULL, *copy = NULL;
	char out[512], mode[32];
	unsigned char hdr[100];
	struct stat sb;
	FILE *fp;
	int v = 0;

	insert_team(f->db, "t1", "north", ERR_OK);
	/* Another connection holds an uncommitted write while the backup
	 * runs: the copy is consistent and leaves it out. */
	assert_int_equal(db_open(f->path, 0, &other), ERR_OK);
	assert_int_equal(db_begin(other, DB_TX_WRITE), ERR_OK);
	insert_team(other, "t2", "south", ERR_OK);
	tmpdir_file(&f->dir, "backup.db", out, sizeof out);
	assert_int_equal(db_backup(f->db, out), ERR_OK);
	assert_int_equal(db_commit(other), ERR_OK);
	db_close(other);

	/* The copy is in WAL mode on disk (header bytes 18 and 19 are 2). */
	fp = fopen(out, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(hdr, 1, sizeof hdr, fp), sizeof hdr);
	fclose(fp);
	assert_memory_equal(hdr, "SQLite format 3", 16);
	assert_int_equal(hdr[18], 2);
	assert_int_equal(hdr[19], 2);

	assert_int_equal(db_open(out, 0, &copy), ERR_OK);
	assert_int_equal(db_schema_version(copy, &v), ERR_OK);
	assert_int_equal(v, db_schema_latest());
	assert_int_equal(query_int(copy, "SELECT count(*) FROM team"), 1);
	query_text(copy, "SELECT name FROM team", mode, sizeof mode);
	assert_string_equal(mode, "north");
	assert_int_equal(db_check(copy), ERR_OK);
	db_close(copy);

	/* An existing file is never overwritten. */
	assert_int_equal(stat(out, &sb), 0);
	assert_int_equal(db_backup(f->db, out), ERR_CONFLICT);
	assert_int_equal(db_open(out, 0, &copy), ERR_OK);
	assert_int_equal(query_int(copy, "SELECT count(*) FROM team"), 1);
	db_close(copy);
	/* A path that cannot be created fails and leaves nothing behind. */
	tmpdir_file(&f->dir, "no-such-dir/backup.db", out, sizeof out);
	assert_int_equal(db_backup(f->db, out), ERR_IO);
	assert_int_not_equal(stat(out, &sb), 0);
}

static void
test_check(void **state)
{
	struct fx *f = *state;

	assert_int_equal(db_check(f->db), ERR_OK);
	insert_team(f->db, "t1", "north", ERR_OK);
	assert_int_equal(db_check(f->db), ERR_OK);
}

static void
test_intern(void **state)
{
	char a[] = "SELECT 1 FROM interned", b[] = "SELECT 1 FROM interned";
	const char *pa, *pb, *pc;

	(void)state;
	pa = db_intern(a);
	pb = db_intern(b);
	pc = db_intern("SELECT 2 FROM interned");
	assert_ptr_equal(pa, pb);
	assert_ptr_not_equal(pa, a);	/* a copy, not the caller's buffer */
	assert_ptr_not_equal(pa, pc);
	assert_string_equal(pa, a);
	assert_string_equal(pc, "SELECT 2 FROM interned");
	a[0] = 'X';	/* the copy does not change with the source */
	assert_string_equal(pa, "SELECT 1 FROM interned");
	assert_ptr_equal(db_intern(b), pa);
}

static void
test_migrate_refuses_newer(void **state)
{
	struct fx *f = *state;
	int from = -1, v = 0;

	assert_int_equal(db_exec(f->db,
	    "INSERT INTO schema_migration (version, applied_at)"
	    " VALUES (99, 0)"), ERR_OK);
	assert_int_equal(db_schema_version(f->db, &v), ERR_OK);
	assert_int_equal(v, 99);
	assert_int_equal(db_migrate(f->db, &from, NULL), ERR_SCHEMA);
	assert_int_equal(from, 99);
	assert_false(db_in_tx(f->db));
	/* Nothing was changed by the refusal. */
	assert_int_equal(query_int(f->db,
	    "SELECT count(*) FROM schema_migration"), db_schema_latest() + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migration_2_backfills,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_and_migrate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pragmas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache_full,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_placeholders, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bind_columns, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_run_changes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_constraints, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test(test_intern),
		cmocka_unit_test_setup_teardown(test_migrate_refuses_newer,
		    setup, teardown),
	};
	int rc;

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	db_intern_free();
	return rc;
}
