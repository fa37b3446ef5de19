#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define VERIFY_PAGE	10000	/* entries read at a time */
#define GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

static enum err
put_field(struct buf *b, const char *s)
{
	enum err e;

	if (s == NULL)
		return buf_puts(b, "-\n");
	if ((e = buf_printf(b, "%zu:", strlen(s))) != ERR_OK ||
	    (e = buf_puts(b, s)) != ERR_OK)
		return e;
	return buf_putc(b, '\n');
}

/* The hash of one entry, over its predecessor's hash and every field. */
static enum err
entry_hash(const char *prev, int64_t seq, int64_t at,
    const struct audit_entry *e, char out[65])
{
	const char *fields[9] = { e->actor_id, e->actor_role, e->person_id,
	    e->object_type, e->object_id, e->action, e->outcome,
	    e->client_addr, e->detail };
	struct buf b;
	enum err err;
	int i;

	buf_init(&b, 64 * 1024);
	err = buf_printf(&b, "%s\n%lld\n%lld\n", prev, (long long)seq,
	    (long long)at);
	for (i = 0; i < 9 && err == ERR_OK; i++)
		err = put_field(&b, fields[i]);
	if (err == ERR_OK)
		crypto_sha256_hex(b.data, b.len, out);
	buf_free(&b);
	return err;
}

/* The chain head: the last sequence number and its hash. */
static enum err
entry_insert(struct db *db, int64_t seq, int64_t at,
    const struct audit_entry *e, const char *prev, const char *hash)
{
	struct db_stmt *st;
	enum err err;

	if ((err = db_prepare(db,
	    "INSERT INTO audit (seq, at, actor_id, actor_role, person_id,"
	    " object_type, object_id, action, outcome, client_addr, detail,"
	    " prev_hash, hash)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	    &st)) != ERR_OK)
		return err;
	db_bind_int(st, 1, seq);
	db_bind_int(st, 2, at);
	db_bind_text(st, 3, e->actor_id);
	db_bind_text(st, 4, e->actor_role);
	db_bind_text(st, 5, e->person_id);
	db_bind_text(st, 6, e->object_type);
	db_bind_text(st, 7, e->object_id);
	db_bind_text(st, 8, e->action);
	db_bind_text(st, 9, e->outcome);
	db_bind_text(st, 10, e->client_addr);
	db_bind_text(st, 11, e->detail);
	db_bind_text(st, 12, prev);
	db_bind_text(st, 13, hash);
	err = db_run(st, NULL);
	db_done(st);
	return err;
}

/*
 * Claims n sequence numbers at the head of the chain: *seq gets the last
 * one before them and hash that entry's hash. The claim is an UPDATE, so
 * on PostgreSQL it takes the head row's lock first thing, and appends from
 * every server queue on that row until their transactions end.
 */
static enum err
head_claim(struct db *db, int n, int64_t *seq, char hash[65])
{
	struct db_stmt *st;
	enum err err;
	int row;

	if ((err = db_prepare(db,
	    "UPDATE audit_head SET seq = seq + $1 WHERE id = 1"
	    " RETURNING seq, hash", &st)) != ERR_OK)
		return err;
	db_bind_int(st, 1, n);
	if ((err = db_step(st, &row)) == ERR_OK) {
		if (row) {
			*seq = db_col_int(st, 0) - n;
			snprintf(hash, 65, "%s", db_col_text(st, 1));
		} else {
			err = ERR_DB;
			log_error("audit: the chain head is missing");
		}
	}
	db_done(st);
	return err;
}

static enum err
head_write(struct db *db, const char *hash)
{
	struct db_stmt *st;
	enum err err;

	if ((err = db_prepare(db,
	    "UPDATE audit_head SET hash = $1 WHERE id = 1", &st)) != ERR_OK)
		return err;
	db_bind_text(st, 1, hash);
	err = db_run(st, NULL);
	db_done(st);
	return err;
}

enum err
audit_append_many(struct db *db, const struct audit_entry *e, int n)
{
	char prev[65], hash[65];
	int64_t seq;
	enum err err;
	int i;

	if (!db_in_tx(db) || n < 0)
		return ERR_INTERNAL;
	if (n == 0)
		return ERR_OK;
	/* The head is claimed once and written once: a batch is as much
	 * one piece of the chain as a single entry is. */
	if ((err = head_claim(db, n, &seq, prev)) != ERR_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		int64_t at = time_now_ms();

		seq++;
		if ((err = entry_hash(prev, seq, at, &e[i], hash)) != ERR_OK ||
		    (err = entry_insert(db, seq, at, &e[i], prev, hash)) !=
		    ERR_OK)
			goto fail;
		memcpy(prev, hash, sizeof prev);
	}
	if ((err = head_write(db, prev)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	log_error("audit: append failed: %s", err_str(err));
	return err;
}

enum err
audit_append(struct db *db, const struct audit_entry *e)
{
	return audit_append_many(db, e, 1);
}

enum err
audit_actor_alone(struct db *db, const struct actor *a, const char *person_id,
    const char *object_type, const char *object_id, const char *action,
    const char *outcome, const char *detail)
{
	enum err err;

	if ((err = db_begin(db, DB_TX_APPEND)) != ERR_OK)
		return err;
	if ((err = audit_actor(db, a, person_id, object_type, object_id,
	    action, outcome, detail)) != ERR_OK) {
		db_rollback(db);
		return err;
	}
	return db_commit(db);
}

enum err
audit_append_alone(struct db *db, const struct audit_entry *e)
{
	enum err err;

	if ((err = db_begin(db, DB_TX_APPEND)) != ERR_OK)
		return err;
	if ((err = audit_append(db, e)) != ERR_OK) {
		db_rollback(db);
		return err;
	}
	return db_commit(db);
}

/* The detail of an entry about a person whose record the actor opened
 * by break-glass: flagged "break_glass" before anything else it says. */
static const char *
glass_detail(const struct actor *a, const char *person_id,
    const char *detail, char out[AUDIT_DETAIL_MAX])
{
	if (!actor_glass(a, person_id))
		return detail;
	snprintf(out, AUDIT_DETAIL_MAX, "break_glass%s%s", detail ? " " : "",
	    detail ? detail : "");
	return out;
}

enum err
audit_actor(struct db *db, const struct actor *a, const char *person_id,
    const char *object_type, const char *object_id, const char *action,
    const char *outcome, const char *detail)
{
	struct audit_entry e = {
		.actor_id = a->id[0] ? a->id : NULL,
		.actor_role = a->system ? "system" :
		    a->id[0] ? role_name(a->role) : NULL,
		.person_id = person_id,
		.object_type = object_type,
		.object_id = object_id,
		.action = action,
		.outcome = outcome,
		.client_addr = a->client_addr[0] ? a->client_addr : NULL,
		.detail = detail,
	};
	char flagged[AUDIT_DETAIL_MAX];

	e.detail = glass_detail(a, person_id, detail, flagged);
	return audit_append(db, &e);
}

enum err
audit_actor_people(struct db *db, const struct actor *a,
    const char *const *person_ids, int n, const char *object_type,
    const char *object_id, const char *action, const char *outcome,
    const char *detail)
{
	struct audit_entry *e;
	enum err err;
	int i;

	if (n <= 0)
		return ERR_OK;
	e = xcalloc((size_t)n, sizeof *e);
	for (i = 0; i < n; i++) {
		e[i].actor_id = a->id[0] ? a->id : NULL;
		e[i].actor_role = a->system ? "system" :
		    a->id[0] ? role_name(a->role) : NULL;
		e[i].person_id = person_ids[i];
		e[i].object_type = object_type;
		e[i].object_id = object_id;
		e[i].action = action;
		e[i].outcome = outcome;
		e[i].client_addr = a->client_addr[0] ? a->client_addr : NULL;
		e[i].detail = actor_glass(a, person_ids[i]) ? "break_glass" :
		    detail;
	}
	err = audit_append_many(db, e, n);
	free(e);
	return err;
}

static const char *
col(struct db_stmt *st, int i)
{
	return db_col_text(st, i);
}

enum err
audit_verify(struct db *db, struct audit_check *r)
{
	return audit_verify_paged(db, r, VERIFY_PAGE);
}

enum err
audit_verify_paged(struct db *db, struct audit_check *r, int page)
{
	struct db_stmt *st = NULL;
	char prev[65] = GENESIS, hash[65];
	int64_t expect = 1, head_seq = 0, after = 0;
	char head_hash[65] = "";
	enum err err;
	int row, more;

	memset(r, 0, sizeof *r);
	if ((err = db_begin(db, DB_TX_READ)) != ERR_OK)
		return err;
	if ((err = db_prepare(db,
	    "SELECT seq, hash FROM audit_head WHERE id = 1", &st)) != ERR_OK)
		goto done;
	if ((err = db_step(st, &row)) != ERR_OK)
		goto done;
	if (row) {
		head_seq = db_col_int(st, 0);
		snprintf(head_hash, sizeof head_hash, "%s", col(st, 1));
	}
	db_done(st);
	st = NULL;
	/* Page by page within the one snapshot, so a long log never has to
	 * sit in memory at once. */
	for (more = 1; more && r->bad_seq == 0;) {
		int got = 0;

		if ((err = db_prepare(db,
		    "SELECT seq, at, actor_id, actor_role, person_id,"
		    " object_type, object_id, action, outcome, client_addr,"
		    " detail, prev_hash, hash"
		    " FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2", &st)) !=
		    ERR_OK)
			goto done;
		db_bind_int(st, 1, after);
		db_bind_int(st, 2, page);
		for (;;) {
			struct audit_entry e;
			int64_t seq;
			const char *stored_prev, *stored_hash;

			if ((err = db_step(st, &row)) != ERR_OK)
				goto done;
			if (!row)
				break;
			got++;
			seq = after = db_col_int(st, 0);
			e.actor_id = col(st, 2);
			e.actor_role = col(st, 3);
			e.person_id = col(st, 4);
			e.object_type = col(st, 5);
			e.object_id = col(st, 6);
			e.action = col(st, 7);
			e.outcome = col(st, 8);
			e.client_addr = col(st, 9);
			e.detail = col(st, 10);
			stored_prev = col(st, 11);
			stored_hash = col(st, 12);
			r->entries++;
			if (seq != expect) {
				r->bad_seq = expect;
				snprintf(r->problem, sizeof r->problem,
				    "entry %lld is missing (removed or "
				    "renumbered)", (long long)expect);
				break;
			}
			if (stored_prev == NULL ||
			    strcmp(stored_prev, prev) != 0) {
				r->bad_seq = seq;
				snprintf(r->problem, sizeof r->problem,
				    "entry %lld does not follow entry %lld (an "
				    "entry was altered, removed or reordered)",
				    (long long)seq, (long long)seq - 1);
				break;
			}
			if ((err = entry_hash(prev, seq, db_col_int(st, 1), &e,
			    hash)) != ERR_OK)
				goto done;
			if (stored_hash == NULL || strcmp(stored_hash, hash) !=
			    0) {
				r->bad_seq = seq;
				snprintf(r->problem, sizeof r->problem,
				    "entry %lld was altered", (long long)seq);
				break;
			}
			snprintf(prev, sizeof prev, "%s", stored_hash);
			expect++;
		}
		db_done(st);
		st = NULL;
		more = got == page;
	}
	if (r->bad_seq == 0 && head_seq != expect - 1) {
		/* Fewer entries than the head counts: the first missing one;
		 * more: the first the head does not cover (never 0, which
		 * would read as intact). */
		r->bad_seq = head_seq > expect - 1 ? expect :
		    head_seq >= 0 ? head_seq + 1 : 1;
		snprintf(r->problem, sizeof r->problem, head_seq > expect - 1 ?
		    "entries from %lld on were removed" :
		    "entry %lld was added outside the chain head",
		    (long long)r->bad_seq);
	} else if (r->bad_seq == 0 && strcmp(head_hash, prev) != 0) {
		r->bad_seq = head_seq;
		snprintf(r->problem, sizeof r->problem,
		    "entry %lld does not match the chain head (altered)",
		    (long long)head_seq);
	}
	if (r->bad_seq != 0)
		err = ERR_CONFLICT;
done:
	db_done(st);
	db_rollback(db);
	return err;
}

void
audit_rows_free(struct audit_row *rows, int n)
{
	int i;

	for (i = 0; rows != NULL && i < n; i++) {
		free(rows[i].actor_id);
		free(rows[i].actor_role);
		free(rows[i].person_id);
		free(rows[i].object_type);
		free(rows[i].object_id);
		free(rows[i].action);
		free(rows[i].outcome);
		free(rows[i].client_addr);
		free(rows[i].detail);
	}
	free(rows);
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

enum err
audit_list(struct db *db, const struct actor *a, const struct audit_filter *f,
    struct audit_row **rows_out, int *n_out, int64_t *next)
{
	struct db_stmt *st = NULL;
	struct audit_row *rows = NULL;
	struct buf sql;
	const char *q;
	int n = 0, p = 1, row, limit = f->limit;
	char detail[160];
	enum err err;

	*rows_out = NULL;
	*n_out = 0;
	*next = 0;
	if (limit < 1 || limit > AUDIT_LIST_MAX)
		return ERR_INVALID;
	if ((err = policy_check(a, POL_AUDIT_READ, NULL)) != ERR_OK) {
		audit_actor_alone(db, a, NULL, "audit", NULL, "list", "denied",
		    NULL);
		return err;
	}
	/* Read on a snapshot, then record the reading. */
	if ((err = db_begin(db, DB_TX_READ)) != ERR_OK)
		return err;
	/* Only the filters in use appear, so each shape uses its index. */
	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT seq, at, actor_id, actor_role, person_id,"
	    " object_type, object_id, action, outcome, client_addr, detail"
	    " FROM audit WHERE seq > $1");
	p = 2;
	if (f->person_id)
		buf_printf(&sql, " AND person_id = $%d", p++);
	if (f->actor_id)
		buf_printf(&sql, " AND actor_id = $%d", p++);
	if (f->from_ms)
		buf_printf(&sql, " AND at >= $%d", p++);
	if (f->to_ms)
		buf_printf(&sql, " AND at < $%d", p++);
	buf_printf(&sql, " ORDER BY seq LIMIT $%d", p++);
	q = db_intern(buf_cstr(&sql));
	buf_free(&sql);
	if ((err = db_prepare(db, q, &st)) != ERR_OK)
		goto fail;
	p = 1;
	db_bind_int(st, p++, f->after_seq);
	if (f->person_id)
		db_bind_text(st, p++, f->person_id);
	if (f->actor_id)
		db_bind_text(st, p++, f->actor_id);
	if (f->from_ms)
		db_bind_int(st, p++, f->from_ms);
	if (f->to_ms)
		db_bind_int(st, p++, f->to_ms);
	db_bind_int(st, p++, limit + 1);
	rows = xcalloc((size_t)limit + 1, sizeof *rows);
	for (;;) {
		struct audit_row *r;

		if ((err = db_step(st, &row)) != ERR_OK)
			goto fail;
		if (!row)
			break;
		if (n == limit) {
			*next = rows[n - 1].seq;
			break;
		}
		r = &rows[n++];
		r->seq = db_col_int(st, 0);
		r->at = db_col_int(st, 1);
		r->actor_id = dup_or_null(db_col_text(st, 2));
		r->actor_role = dup_or_null(db_col_text(st, 3));
		r->person_id = dup_or_null(db_col_text(st, 4));
		r->object_type = dup_or_null(db_col_text(st, 5));
		r->object_id = dup_or_null(db_col_text(st, 6));
		r->action = dup_or_null(db_col_text(st, 7));
		r->outcome = dup_or_null(db_col_text(st, 8));
		r->client_addr = dup_or_null(db_col_text(st, 9));
		r->detail = dup_or_null(db_col_text(st, 10));
	}
	db_done(st);
	st = NULL;
	db_rollback(db);	/* ends the read snapshot */
	/* Filed under no person, so reading a person's entries does not
	 * add to them (a page walk would never end). */
	snprintf(detail, sizeof detail, "count=%d%s%s", n,
	    f->person_id ? " filter=person" : "",
	    f->actor_id ? " filter=actor" : "");
	if ((err = audit_actor_alone(db, a, NULL, "audit", f->person_id,
	    "list", "success", detail)) != ERR_OK)
		goto fail;
	*rows_out = rows;
	*n_out = n;
	return ERR_OK;
fail:
	db_done(st);
	db_rollback(db);
	audit_rows_free(rows, n);
	return err;
}
