/*
 * Unit tests: access/audit.c, the hash-chained audit log. The tampering
 * is done the way an intruder with the database file would do it: with
 * the SQLite library directly, after dropping the append-only triggers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "access/actor.h"
#include "access/audit.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "tmpdb.h"

#define NENTRIES	6
#define PERSON_1	"01900000-0000-7000-8000-0000000000p1"
#define PERSON_2	"01900000-0000-7000-8000-0000000000p2"
#define STAFF_1		"01900000-0000-7000-8000-0000000000s1"
#define STAFF_2		"01900000-0000-7000-8000-0000000000s2"

struct fx {
	struct tmpdir	 dir;
	char		 path[512];
	struct db	*db;
};

/* The entries every test starts with; NULLs in several places. */
static const struct audit_entry entries[NENTRIES] = {
	{ NULL, NULL, NULL, "session", NULL, "sign_in", "failure", "192.0.2.1",
	    "unknown account" },
	{ STAFF_1, "peer", NULL, "session", NULL, "sign_in", "success",
	    "192.0.2.1", NULL },
	{ STAFF_1, "peer", PERSON_1, "person", PERSON_1, "create", "success",
	    "192.0.2.1", NULL },
	{ STAFF_1, "peer", PERSON_1, "person", PERSON_1, "read", "success",
	    "192.0.2.1", NULL },
	{ STAFF_2, "supervisor", PERSON_2, "person", PERSON_2, "update",
	    "success", NULL, "phone" },
	{ STAFF_2, "supervisor", PERSON_1, "person", PERSON_1, "read",
	    "denied", "198.51.100.7", NULL },
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	int i;

	if (f == NULL)
		return -1;
	tmpdir_make(&f->dir);
	tmpdir_file(&f->dir, "audit.db", f->path, sizeof f->path);
	if ((f->db = tmpdb_open(&f->dir, "audit.db")) == NULL)
		return -1;
	/* Several entries in one write transaction, the rest alone. */
	if (db_begin(f->db, DB_TX_WRITE) != ERR_OK)
		return -1;
	for (i = 0; i < 4; i++)
		if (audit_append(f->db, &entries[i]) != ERR_OK)
			return -1;
	if (db_commit(f->db) != ERR_OK)
		return -1;
	for (; i < NENTRIES; i++)
		if (audit_append_alone(f->db, &entries[i]) != ERR_OK)
			return -1;
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

/* Runs sql on its own connection, as an intruder would; SQLite's code. */
static int
raw_exec(struct fx *f, const char *sql, char *msg, size_t msglen)
{
	sqlite3 *h = NULL;
	char *err = NULL;
	int rc;

	assert_int_equal(sqlite3_open_v2(f->path, &h, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	if (msg != NULL)
		snprintf(msg, msglen, "%s", err ? err : "");
	sqlite3_free(err);
	sqlite3_close(h);
	return rc;
}

static void
untrigger(struct fx *f)
{
	assert_int_equal(raw_exec(f, "DROP TRIGGER audit_no_update;"
	    "DROP TRIGGER audit_no_delete", NULL, 0), SQLITE_OK);
}

static int64_t
verify(struct fx *f, struct audit_check *r)
{
	enum err e = audit_verify(f->db, r);

	assert_false(db_in_tx(f->db));
	if (e == ERR_OK) {
		assert_int_equal(r->bad_seq, 0);
		return 0;
	}
	assert_int_equal(e, ERR_CONFLICT);
	assert_true(r->bad_seq != 0);
	assert_true(r->problem[0] != '\0');
	return r->bad_seq;
}

/* The chain hash of an entry, computed the documented way: SHA-256 over
 * "prev\nseq\nat\n" and each field as "len:text\n", or "-\n" for NULL. */
static void
chain_hash(const char *prev, int64_t seq, int64_t at,
    const char *const fields[9], char out[65])
{
	struct buf b;
	int i;

	buf_init(&b, 1 << 16);
	assert_int_equal(buf_printf(&b, "%s\n%lld\n%lld\n", prev,
	    (long long)seq, (long long)at), ERR_OK);
	for (i = 0; i < 9; i++) {
		if (fields[i] == NULL)
			assert_int_equal(buf_puts(&b, "-\n"), ERR_OK);
		else
			assert_int_equal(buf_printf(&b, "%zu:%s\n",
			    strlen(fields[i]), fields[i]), ERR_OK);
	}
	crypto_sha256_hex(b.data, b.len, out);
	buf_free(&b);
}

/*
 * Recomputes and stores the hash of entry seq from its present fields
 * and prev_hash: what a careful intruder does after altering it.
 */
static void
forge_hash(struct fx *f, int64_t seq, char out[65])
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	const char *fields[9];
	char prev[65];
	int64_t at;
	int i;

	assert_int_equal(sqlite3_open_v2(f->path, &h, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT prev_hash, at,"
	    " actor_id, actor_role, person_id, object_type, object_id, action,"
	    " outcome, client_addr, detail FROM audit WHERE seq = ?1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(prev, sizeof prev, "%s", sqlite3_column_text(st, 0));
	at = sqlite3_column_int64(st, 1);
	for (i = 0; i < 9; i++)
		fields[i] = (const char *)sqlite3_column_text(st, 2 + i);
	chain_hash(prev, seq, at, fields, out);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h,
	    "UPDATE audit SET hash = ?1 WHERE seq = ?2", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, out, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, seq);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void
test_intact(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.entries, NENTRIES);
	assert_string_equal(r.problem, "");
}

static void
test_empty_log(void **state)
{
	struct tmpdir d;
	struct audit_check r;
	struct db *db;

	(void)state;
	tmpdir_make(&d);
	db = tmpdb_open(&d, "empty.db");
	assert_non_null(db);
	assert_int_equal(audit_verify(db, &r), ERR_OK);
	assert_int_equal(r.entries, 0);
	assert_int_equal(r.bad_seq, 0);
	db_close(db);
	tmpdir_remove(&d);
}

static void
test_append_rules(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;
	struct actor a;
	int row;

	/* Outside a transaction an entry cannot be made part of the
	 * change it records, so it is refused. */
	assert_int_equal(audit_append(f->db, &entries[0]), ERR_INTERNAL);

	/* Entries appended in a transaction that rolls back vanish with
	 * it, and the chain stays whole. */
	assert_int_equal(db_begin(f->db, DB_TX_WRITE), ERR_OK);
	assert_int_equal(audit_append(f->db, &entries[2]), ERR_OK);
	db_rollback(f->db);

	/* audit_actor fills the fields from the actor. */
	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s", STAFF_1);
	a.role = ROLE_SUPERVISOR;
	snprintf(a.client_addr, sizeof a.client_addr, "%s", "203.0.113.9");
	assert_int_equal(audit_actor_alone(f->db, &a, PERSON_1, "episode",
	    "e1", "create", "success", "enroll"), ERR_OK);
	actor_system(&a);
	assert_int_equal(audit_actor_alone(f->db, &a, NULL, "team", "t1",
	    "create", "success", NULL), ERR_OK);

	assert_int_equal(db_prepare(f->db, "SELECT seq, actor_id, actor_role,"
	    " person_id, object_type, object_id, client_addr, detail"
	    " FROM audit WHERE seq > $1 ORDER BY seq", &st), ERR_OK);
	db_bind_int(st, 1, NENTRIES);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_int(st, 0), NENTRIES + 1);
	assert_string_equal(db_col_text(st, 1), STAFF_1);
	assert_string_equal(db_col_text(st, 2), "supervisor");
	assert_string_equal(db_col_text(st, 3), PERSON_1);
	assert_string_equal(db_col_text(st, 4), "episode");
	assert_string_equal(db_col_text(st, 5), "e1");
	assert_string_equal(db_col_text(st, 6), "203.0.113.9");
	assert_string_equal(db_col_text(st, 7), "enroll");
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_int_equal(db_col_int(st, 0), NENTRIES + 2);
	assert_null(db_col_text(st, 1));	/* the system has no account */
	assert_string_equal(db_col_text(st, 2), "system");
	assert_null(db_col_text(st, 3));
	assert_string_equal(db_col_text(st, 6), "local");
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_false(row);
	db_done(st);
	assert_int_equal(verify(f, &(struct audit_check){ 0 }), 0);
}

/* Every one of the n entries links to the one before; the head to the
 * last. */
static void
check_chain(struct fx *f, int expect)
{
	struct db_stmt *st;
	char prev[65] = "0000000000000000000000000000000000000000000000000000"
	    "000000000000", h[65];
	int row, n = 0;

	assert_int_equal(db_prepare(f->db, "SELECT seq, at, actor_id,"
	    " actor_role, person_id, object_type, object_id, action, outcome,"
	    " client_addr, detail, prev_hash, hash FROM audit ORDER BY seq",
	    &st), ERR_OK);
	while (db_step(st, &row) == ERR_OK && row) {
		const char *fields[9];
		int i;

		for (i = 0; i < 9; i++)
			fields[i] = db_col_text(st, 2 + i);
		assert_int_equal(db_col_int(st, 0), ++n);
		assert_string_equal(db_col_text(st, 11), prev);
		chain_hash(prev, n, db_col_int(st, 1), fields, h);
		assert_string_equal(db_col_text(st, 12), h);
		snprintf(prev, sizeof prev, "%s", h);
	}
	db_done(st);
	assert_int_equal(n, expect);
	assert_int_equal(db_prepare(f->db,
	    "SELECT seq, hash FROM audit_head", &st), ERR_OK);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(db_col_int(st, 0), expect);
	assert_string_equal(db_col_text(st, 1), prev);
	db_done(st);
}

static void
test_chain_links(void **state)
{
	check_chain(*state, NENTRIES);
}

/*
 * A batch appended with one read of the chain head links up exactly as
 * entries appended one by one do, before and after it; a batch rolled
 * back leaves nothing behind.
 */
static void
test_append_many(void **state)
{
	struct fx *f = *state;
	struct audit_check r;
	struct db_stmt *st;
	int row;

	assert_int_equal(audit_append_many(f->db, entries, NENTRIES),
	    ERR_INTERNAL);	/* outside a transaction */
	assert_int_equal(db_begin(f->db, DB_TX_WRITE), ERR_OK);
	assert_int_equal(audit_append_many(f->db, entries, -1), ERR_INTERNAL);
	assert_int_equal(audit_append_many(f->db, entries, 0), ERR_OK);
	assert_int_equal(audit_append_many(f->db, entries, NENTRIES), ERR_OK);
	db_rollback(f->db);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.entries, NENTRIES);

	assert_int_equal(db_begin(f->db, DB_TX_WRITE), ERR_OK);
	assert_int_equal(audit_append_many(f->db, entries, NENTRIES), ERR_OK);
	assert_int_equal(audit_append_many(f->db, &entries[1], 2), ERR_OK);
	assert_int_equal(db_commit(f->db), ERR_OK);
	assert_int_equal(audit_append_alone(f->db, &entries[4]), ERR_OK);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.entries, 2 * NENTRIES + 3);
	/* In order, every field kept: the batch's entry 5 is entries[4]. */
	assert_int_equal(db_prepare(f->db, "SELECT actor_role, detail,"
	    " client_addr FROM audit WHERE seq = $1", &st), ERR_OK);
	db_bind_int(st, 1, NENTRIES + 5);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_string_equal(db_col_text(st, 0), "supervisor");
	assert_string_equal(db_col_text(st, 1), "phone");
	assert_null(db_col_text(st, 2));
	db_done(st);
	check_chain(f, 2 * NENTRIES + 3);
}

static void
test_triggers_block(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;
	char msg[256];

	assert_int_equal(raw_exec(f, "UPDATE audit SET outcome = 'success'"
	    " WHERE seq = 6", msg, sizeof msg) & 0xff, SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_equal(raw_exec(f, "DELETE FROM audit WHERE seq = 6", msg,
	    sizeof msg) & 0xff, SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "append-only"));
	assert_int_equal(raw_exec(f, "DELETE FROM audit", NULL, 0) & 0xff,
	    SQLITE_CONSTRAINT);
	/* Through our own layer too. */
	assert_int_equal(db_prepare(f->db, "DELETE FROM audit WHERE seq = $1",
	    &st), ERR_OK);
	db_bind_int(st, 1, 1);
	assert_int_not_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
	assert_int_equal(verify(f, &(struct audit_check){ 0 }), 0);
}

static void
test_altered_fields(void **state)
{
	static const char *const changes[][2] = {
		/* column, entry 3 is changed with this SQL expression */
		{ "at", "at + 1" },
		{ "actor_id", "'" STAFF_2 "'" },
		{ "actor_role", "'supervisor'" },
		{ "person_id", "'" PERSON_2 "'" },
		{ "person_id", "NULL" },
		{ "object_type", "'episode'" },
		{ "object_id", "'other'" },
		{ "action", "'update'" },
		{ "outcome", "'denied'" },
		{ "client_addr", "'10.0.0.1'" },
		{ "client_addr", "NULL" },
		{ "detail", "'-'" },		/* NULL and "-" differ */
		{ "detail", "''" },		/* NULL and "" differ */
		{ "prev_hash", "hash" },
		{ "hash", "prev_hash" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		struct audit_check r;
		char sql[256];
		void *fs;

		/* A fresh log for each change. */
		assert_int_equal(setup(&fs), 0);
		untrigger(fs);
		snprintf(sql, sizeof sql, "UPDATE audit SET %s = %s"
		    " WHERE seq = 3", changes[i][0], changes[i][1]);
		assert_int_equal(raw_exec(fs, sql, NULL, 0), SQLITE_OK);
		if (verify(fs, &r) != 3)
			fail_msg("changing %s to %s: bad_seq %lld (%s)",
			    changes[i][0], changes[i][1],
			    (long long)r.bad_seq, r.problem);
		teardown(&fs);
	}
}

static void
test_altered_last(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	untrigger(f);
	assert_int_equal(raw_exec(f, "UPDATE audit SET outcome = 'success'"
	    " WHERE seq = 6", NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 6);
	assert_int_equal(r.entries, NENTRIES);
}

static void
test_forged_hash(void **state)
{
	struct fx *f = *state;
	struct audit_check r;
	char h[65];

	/* Entry 3 altered and its hash recomputed: entry 4 no longer
	 * follows it. */
	untrigger(f);
	assert_int_equal(raw_exec(f, "UPDATE audit SET action = 'update'"
	    " WHERE seq = 3", NULL, 0), SQLITE_OK);
	forge_hash(f, 3, h);
	assert_int_equal(verify(f, &r), 4);
	assert_non_null(strstr(r.problem, "does not follow"));
}

static void
test_forged_last(void **state)
{
	struct fx *f = *state;
	struct audit_check r;
	char h[65];

	/* The last entry altered and rehashed: the chain head holds the
	 * old hash. */
	untrigger(f);
	assert_int_equal(raw_exec(f, "UPDATE audit SET outcome = 'success'"
	    " WHERE seq = 6", NULL, 0), SQLITE_OK);
	forge_hash(f, 6, h);
	assert_int_equal(verify(f, &r), 6);
	assert_non_null(strstr(r.problem, "chain head"));
}

static void
test_deleted_middle(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	untrigger(f);
	assert_int_equal(raw_exec(f, "DELETE FROM audit WHERE seq = 3", NULL,
	    0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 3);
	assert_non_null(strstr(r.problem, "3"));
}

static void
test_deleted_first(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	untrigger(f);
	assert_int_equal(raw_exec(f, "DELETE FROM audit WHERE seq = 1", NULL,
	    0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 1);
}

static void
test_deleted_last(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	untrigger(f);
	assert_int_equal(raw_exec(f, "DELETE FROM audit WHERE seq = 6", NULL,
	    0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 6);
	assert_int_equal(r.entries, NENTRIES - 1);
	assert_non_null(strstr(r.problem, "removed"));

	/* Everything removed: the head still remembers six entries. */
	assert_int_equal(raw_exec(f, "DELETE FROM audit", NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 1);
}

/*
 * The walk reads the log a page at a time; with pages of one to six
 * entries every boundary falls somewhere, and each must give the same
 * answer as reading it whole.
 */
static void
test_paged_walk(void **state)
{
	struct fx *f = *state;
	struct audit_check r;
	int page;

	for (page = 1; page <= NENTRIES + 1; page++) {
		assert_int_equal(audit_verify_paged(f->db, &r, page), ERR_OK);
		assert_int_equal(r.entries, NENTRIES);
	}
	untrigger(f);
	assert_int_equal(raw_exec(f, "DELETE FROM audit WHERE seq = 4", NULL,
	    0), SQLITE_OK);
	for (page = 1; page <= NENTRIES + 1; page++) {
		assert_int_equal(audit_verify_paged(f->db, &r, page),
		    ERR_CONFLICT);
		assert_int_equal(r.bad_seq, 4);
	}
	assert_int_equal(raw_exec(f, "UPDATE audit SET outcome = 'denied'"
	    " WHERE seq = 6", NULL, 0), SQLITE_OK);
	assert_int_equal(raw_exec(f, "INSERT INTO audit SELECT 4, at,"
	    " actor_id, actor_role, person_id, object_type, object_id, action,"
	    " outcome, client_addr, detail, prev_hash, hash FROM audit"
	    " WHERE seq = 3", NULL, 0), SQLITE_OK);
	/* Entry 4 is back but a copy of 3: it does not follow 3. */
	for (page = 1; page <= NENTRIES + 1; page++) {
		assert_int_equal(audit_verify_paged(f->db, &r, page),
		    ERR_CONFLICT);
		assert_int_equal(r.bad_seq, 4);
	}
}

static void
test_swapped_rows(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	/* Rows 2 and 4 exchange everything but their numbers. */
	untrigger(f);
	assert_int_equal(raw_exec(f,
	    "CREATE TEMP TABLE x AS SELECT * FROM audit WHERE seq IN (2, 4);"
	    "UPDATE audit SET (at, actor_id, actor_role, person_id,"
	    " object_type, object_id, action, outcome, client_addr, detail,"
	    " prev_hash, hash) = (SELECT at, actor_id, actor_role, person_id,"
	    " object_type, object_id, action, outcome, client_addr, detail,"
	    " prev_hash, hash FROM x WHERE x.seq = 6 - audit.seq)"
	    " WHERE seq IN (2, 4)", NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 2);
}

static void
test_renumbered_rows(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	/* Rows 2 and 4 exchange their numbers: a reordering. */
	untrigger(f);
	assert_int_equal(raw_exec(f,
	    "UPDATE audit SET seq = 100 WHERE seq = 2;"
	    "UPDATE audit SET seq = 2 WHERE seq = 4;"
	    "UPDATE audit SET seq = 4 WHERE seq = 100", NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 2);
}

static void
test_added_outside_head(void **state)
{
	struct fx *f = *state;
	struct audit_check r;
	char sql[512], h[65];

	/* A well-forged seventh entry that the chain head does not know. */
	untrigger(f);
	assert_int_equal(raw_exec(f,
	    "INSERT INTO audit (seq, at, actor_id, actor_role, person_id,"
	    " object_type, object_id, action, outcome, client_addr, detail,"
	    " prev_hash, hash) SELECT 7, at + 1, actor_id, actor_role,"
	    " person_id, object_type, object_id, action, outcome, client_addr,"
	    " detail, hash, 'x' FROM audit WHERE seq = 6", NULL, 0), SQLITE_OK);
	forge_hash(f, 7, h);
	assert_int_equal(verify(f, &r), 7);
	assert_non_null(strstr(r.problem, "7"));

	/* Or the head wound back to the start: every entry is outside
	 * it, and that must not pass as intact. */
	snprintf(sql, sizeof sql, "UPDATE audit_head SET seq = 0, hash = '%s'",
	    "0000000000000000000000000000000000000000000000000000000000000000");
	assert_int_equal(raw_exec(f, sql, NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &r), 1);
}

static void
test_head_altered(void **state)
{
	struct fx *f = *state;
	struct audit_check r;

	assert_int_equal(raw_exec(f, "UPDATE audit_head SET hash ="
	    " (SELECT hash FROM audit WHERE seq = 5)", NULL, 0), SQLITE_OK);
	assert_int_equal(verify(f, &r), NENTRIES);
	assert_int_equal(raw_exec(f, "UPDATE audit_head SET hash ="
	    " (SELECT hash FROM audit WHERE seq = 6), seq = 9", NULL, 0),
	    SQLITE_OK);
	assert_int_equal(verify(f, &r), NENTRIES + 1);
	assert_non_null(strstr(r.problem, "removed"));
}

/* audit_list */

static struct actor
list_actor(enum role role)
{
	struct actor a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s",
	    "01900000-0000-7000-8000-00000000priv");
	a.role = role;
	return a;
}

static void
test_list_policy(void **state)
{
	static const enum role others[] = { ROLE_PEER, ROLE_SUPERVISOR,
	    ROLE_ADMIN };
	struct fx *f = *state;
	struct audit_filter flt = { .limit = 50 };
	struct audit_row *rows = NULL;
	struct actor a;
	int64_t next = -1;
	size_t i;
	int n = -1;

	for (i = 0; i < sizeof others / sizeof others[0]; i++) {
		a = list_actor(others[i]);
		assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next),
		    ERR_FORBIDDEN);
		assert_null(rows);
		assert_int_equal(n, 0);
		assert_int_equal(next, 0);
		assert_false(db_in_tx(f->db));
	}
	/* Each refusal is itself on the record. */
	a = list_actor(ROLE_PRIVACY);
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, NENTRIES + 3);
	assert_int_equal(next, 0);
	for (i = 0; i < 3; i++) {
		struct audit_row *r = &rows[NENTRIES + i];

		assert_string_equal(r->object_type, "audit");
		assert_string_equal(r->action, "list");
		assert_string_equal(r->outcome, "denied");
		assert_string_equal(r->actor_role, role_name(others[i]));
	}
	/* Oldest first, fields as written, NULLs kept. */
	assert_int_equal(rows[0].seq, 1);
	assert_null(rows[0].actor_id);
	assert_string_equal(rows[0].detail, "unknown account");
	assert_string_equal(rows[4].detail, "phone");
	assert_null(rows[4].client_addr);
	assert_true(rows[0].at > 0 && rows[0].at <= rows[NENTRIES - 1].at);
	audit_rows_free(rows, n);
	/* ...and so is the privacy officer's reading. */
	flt.after_seq = NENTRIES + 3;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].actor_id, a.id);
	assert_string_equal(rows[0].outcome, "success");
	assert_string_equal(rows[0].detail, "count=9");
	audit_rows_free(rows, n);
	assert_int_equal(verify(f, &(struct audit_check){ 0 }), 0);
}

static void
test_list_filters(void **state)
{
	struct fx *f = *state;
	struct actor a = list_actor(ROLE_PRIVACY);
	struct audit_filter flt = { .limit = 200 };
	struct audit_row *all = NULL, *rows = NULL;
	int64_t next = 0, from, to;
	int nall = 0, n = 0, i, want;

	assert_int_equal(audit_list(f->db, &a, &flt, &all, &nall, &next),
	    ERR_OK);
	assert_int_equal(nall, NENTRIES);

	flt.person_id = PERSON_1;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_string_equal(rows[i].person_id, PERSON_1);
	audit_rows_free(rows, n);

	flt.actor_id = STAFF_2;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].seq, 6);
	audit_rows_free(rows, n);

	flt.person_id = NULL;
	flt.actor_id = STAFF_1;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].seq, 2);
	audit_rows_free(rows, n);

	/* A time window [from, to) over the entries' own times. */
	from = all[2].at;
	to = all[4].at + 1;
	want = 0;
	for (i = 0; i < nall; i++)
		want += all[i].at >= from && all[i].at < to;
	memset(&flt, 0, sizeof flt);
	flt.limit = 200;
	flt.from_ms = from;
	flt.to_ms = to;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	/* The listings' own entries may fall in the window when all of this
	 * runs within a millisecond; count the original six. */
	for (i = 0; i < n; i++) {
		assert_true(rows[i].at >= from && rows[i].at < to);
		want -= rows[i].seq <= NENTRIES;
	}
	assert_int_equal(want, 0);
	audit_rows_free(rows, n);
	flt.to_ms = from;	/* an empty window */
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 0);
	audit_rows_free(rows, n);
	audit_rows_free(all, nall);
}

static void
test_list_cursor(void **state)
{
	struct fx *f = *state;
	struct actor a = list_actor(ROLE_PRIVACY);
	struct audit_filter flt = { .limit = 4 };
	struct audit_row *rows = NULL;
	int64_t next = 0, seen[16];
	int n = 0, i, nseen = 0, pages = 0;

	/* Pages of two over one actor's entries (the listing's own entries
	 * are by another actor, so they do not join in). */
	flt.actor_id = STAFF_1;
	flt.limit = 2;
	do {
		flt.after_seq = next;
		assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next),
		    ERR_OK);
		for (i = 0; i < n && nseen < 16; i++)
			seen[nseen++] = rows[i].seq;
		if (next != 0)
			assert_int_equal(next, rows[n - 1].seq);
		audit_rows_free(rows, n);
		pages++;
	} while (next != 0 && pages < 10);
	assert_int_equal(pages, 2);
	assert_int_equal(nseen, 3);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], 3);
	assert_int_equal(seen[2], 4);

	/* A page that ends exactly at the last entry has no next. */
	flt.after_seq = 0;
	flt.limit = 3;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(next, 0);
	audit_rows_free(rows, n);
}

static void
test_list_bad_limit(void **state)
{
	struct fx *f = *state;
	struct actor a = list_actor(ROLE_PRIVACY);
	struct audit_filter flt = { .limit = 0 };
	struct audit_row *rows = NULL;
	int64_t next = 0;
	int n = 0;

	/* Regression: a limit of 0 read before the row array. */
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next),
	    ERR_INVALID);
	assert_null(rows);
	flt.limit = -1;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next),
	    ERR_INVALID);
	flt.limit = 201;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next),
	    ERR_INVALID);
	assert_false(db_in_tx(f->db));
	flt.limit = 1;
	assert_int_equal(audit_list(f->db, &a, &flt, &rows, &n, &next), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(next, 1);
	audit_rows_free(rows, n);
	audit_rows_free(NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
		cmocka_unit_test(test_empty_log),
		cmocka_unit_test_setup_teardown(test_append_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chain_links, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_append_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_triggers_block, setup,
		    teardown),
		cmocka_unit_test(test_altered_fields),
		cmocka_unit_test_setup_teardown(test_altered_last, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forged_hash, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forged_last, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deleted_middle, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deleted_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deleted_last, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_paged_walk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_swapped_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_renumbered_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_added_outside_head, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_head_altered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_policy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_filters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_cursor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_bad_limit, setup,
		    teardown),
	};
	int rc;

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	db_intern_free();
	return rc;
}
