#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/encryption.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#define MAX_PASSES	20
#define PAUSE_MIN_MS	25	/* between batches, so writers get the lock */
#define FAILS_LOGGED	5	/* per column and pass; then a count */

static void
pause_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* ---- status ------------------------------------------------------- */

void
encryption_status_clear(struct encryption_status *s)
{
	free(s->keys);
	memset(s, 0, sizeof *s);
}

/* The entry for key id in s, added (as a key the file lacks) when new. */
static struct encryption_key *
key_entry(struct encryption_status *s, const char *id)
{
	struct encryption_key *k;
	int i;

	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].id, id) == 0)
			return &s->keys[i];
	s->keys = xreallocarray(s->keys, (size_t)s->nkeys + 1,
	    sizeof *s->keys);
	k = &s->keys[s->nkeys++];
	memset(k, 0, sizeof *k);
	snprintf(k->id, sizeof k->id, "%s", id);
	return k;
}

/* Counts the values of column c under each key into s. */
static enum err
count_column(struct db *db, const struct db_sealed_column *c,
    struct encryption_status *s)
{
	struct db_stmt *st;
	struct buf sql;
	const char *q;
	enum err e;
	int row;

	buf_init(&sql, 1024);
	buf_printf(&sql, "SELECT CASE WHEN substr(%s, 1, 5) = 'enc1:'"
	    " THEN substr(%s, 1, %d) ELSE '' END, count(*) FROM %s"
	    " WHERE %s IS NOT NULL GROUP BY 1", c->column, c->column,
	    SEAL_TAG_LEN, c->table, c->column);
	q = db_intern(buf_cstr(&sql));
	buf_free(&sql);
	if ((e = db_prepare(db, q, &st)) != ERR_OK)
		return e;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		char id[SEAL_ID_LEN + 1];
		int64_t n = db_col_int(st, 1);

		if (seal_key_of(db_col_text(st, 0), id))
			key_entry(s, id)->values += n;
		else
			s->clear += n;
	}
	db_done(st);
	return e;
}

static enum err
last_rotation(struct db *db, struct encryption_status *s)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT key_id, started_at, finished_at,"
	    " values_resealed, values_failed FROM key_rotation"
	    " ORDER BY started_at DESC, id DESC LIMIT 1", &st)) != ERR_OK)
		return e;
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		s->has_rotation = 1;
		snprintf(s->rotation.key_id, sizeof s->rotation.key_id, "%s",
		    db_col_text(st, 0));
		s->rotation.started_at = db_col_int(st, 1);
		s->rotation.finished_at = db_col_is_null(st, 2) ? 0 :
		    db_col_int(st, 2);
		s->rotation.values_resealed = db_col_int(st, 3);
		s->rotation.values_failed = db_col_int(st, 4);
	}
	db_done(st);
	return e;
}

enum err
encryption_status(struct db *db, const struct actor *a,
    struct encryption_status *out)
{
	const struct db_sealed_column *cols;
	struct seal_key_info *keys = NULL;
	enum err e;
	int i, n, ncols;

	memset(out, 0, sizeof *out);
	if (!a->system && (e = policy_check(a, POL_ENCRYPTION_STATUS,
	    NULL)) != ERR_OK) {
		audit_actor_alone(db, a, NULL, "setting", "encryption", "read",
		    "denied", NULL);
		return e;
	}
	if ((e = seal_current(out->current)) != ERR_OK ||
	    (e = seal_keys(&keys, &n)) != ERR_OK)
		return e;
	for (i = 0; i < n; i++) {
		struct encryption_key *k = key_entry(out, keys[i].id);

		snprintf(k->created_at, sizeof k->created_at, "%s",
		    keys[i].created);
		k->in_file = 1;
	}
	free(keys);
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		goto fail;
	cols = db_sealed_columns(&ncols);
	for (i = 0; e == ERR_OK && i < ncols; i++)
		e = count_column(db, &cols[i], out);
	if (e == ERR_OK)
		e = last_rotation(db, out);
	db_rollback(db);
	if (e == ERR_OK)
		return ERR_OK;
fail:
	encryption_status_clear(out);
	return e;
}

enum err
encryption_any_sealed(struct db *db, int *any)
{
	const struct db_sealed_column *cols;
	struct db_stmt *st;
	struct buf sql;
	const char *q;
	enum err e = ERR_OK;
	int i, n, row;

	*any = 0;
	cols = db_sealed_columns(&n);
	for (i = 0; e == ERR_OK && !*any && i < n; i++) {
		buf_init(&sql, 512);
		buf_printf(&sql, "SELECT 1 FROM %s WHERE substr(%s, 1, 5) ="
		    " 'enc1:' LIMIT 1", cols[i].table, cols[i].column);
		q = db_intern(buf_cstr(&sql));
		buf_free(&sql);
		if ((e = db_prepare(db, q, &st)) != ERR_OK)
			break;
		if ((e = db_step(st, &row)) == ERR_OK && row)
			*any = 1;
		db_done(st);
	}
	return e;
}

/* ---- re-sealing --------------------------------------------------- */

/* The SQL for one column: the next batch of values not under the current
 * key after a row's key, and the compare-and-set that replaces one. */
struct column_sql {
	const char	*next;
	const char	*set;
};

static void
column_sql(const struct db_sealed_column *c, struct column_sql *q)
{
	struct buf b;

	buf_init(&b, 2048);
	buf_printf(&b, "SELECT %s%s%s, %s FROM %s WHERE %s IS NOT NULL"
	    " AND substr(%s, 1, %d) <> $1", c->key1, c->key2 ? ", " : "",
	    c->key2 ? c->key2 : "", c->column, c->table, c->column, c->column,
	    SEAL_TAG_LEN);
	if (c->key2)
		buf_printf(&b, " AND (%s > $2 OR (%s = $2 AND %s > $3))"
		    " ORDER BY %s, %s LIMIT $4", c->key1, c->key1, c->key2,
		    c->key1, c->key2);
	else
		buf_printf(&b, " AND %s > $2 ORDER BY %s LIMIT $3", c->key1,
		    c->key1);
	q->next = db_intern(buf_cstr(&b));
	buf_reset(&b);
	if (c->key2)
		buf_printf(&b, "UPDATE %s SET %s = $1 WHERE %s = $2"
		    " AND %s = $3 AND %s = $4", c->table, c->column, c->key1,
		    c->key2, c->column);
	else
		buf_printf(&b, "UPDATE %s SET %s = $1 WHERE %s = $2"
		    " AND %s = $3", c->table, c->column, c->key1, c->column);
	q->set = db_intern(buf_cstr(&b));
	buf_free(&b);
}

/* One row read for re-sealing. */
struct found {
	char	*key1;
	char	*key2;		/* NULL for a one-column key */
	int64_t	 key2_int;
	char	*stored;
};

static void
found_free(struct found *f, int n)
{
	int i;

	for (i = 0; f != NULL && i < n; i++) {
		free(f[i].key1);
		free(f[i].key2);
		free(f[i].stored);
	}
	free(f);
}

/* Counts of one pass. */
struct pass {
	int64_t	resealed;
	int64_t	cleared;	/* of them, values that were in clear */
	int64_t	failed;
	int64_t	changed;	/* changed by someone else meanwhile */
};

/* Re-seals one value; 1 done, 0 it changed meanwhile, -1 it did not
 * open (counted and logged by the caller). */
static int
reseal_one(struct db *db, const struct db_sealed_column *c,
    const struct column_sql *q, const struct found *f, enum err *e,
    const char **why)
{
	struct db_stmt *st;
	char *plain = NULL, *fresh = NULL;
	int64_t changes = 0;
	enum err r;

	*why = NULL;
	if (seal_key_of(f->stored, NULL)) {
		r = seal_open(c->name, f->stored, &plain, why);
		if (r != ERR_OK)
			return -1;
	} else {
		/* A value from before sealing: it is its own text. */
		plain = xstrdup(f->stored);
	}
	r = seal_text(c->name, plain, &fresh);
	crypto_wipe(plain, strlen(plain));
	free(plain);
	if (r != ERR_OK) {
		*e = r;
		return 0;
	}
	if ((*e = db_prepare(db, q->set, &st)) != ERR_OK) {
		free(fresh);
		return 0;
	}
	db_bind_text(st, 1, fresh);
	db_bind_text(st, 2, f->key1);
	if (c->key2 && c->key2_int)
		db_bind_int(st, 3, f->key2_int);
	else if (c->key2)
		db_bind_text(st, 3, f->key2);
	db_bind_text(st, c->key2 ? 4 : 3, f->stored);
	*e = db_run(st, &changes);
	db_done(st);
	free(fresh);
	return *e == ERR_OK && changes == 1;
}

/*
 * One pass over column c, batch rows at a time in write transactions of
 * their own, walking the table's key so each row is met once.
 */
static enum err
pass_column(struct db *db, const struct db_sealed_column *c,
    const char *tag, int batch, const char *rotation_id, struct pass *p)
{
	struct column_sql q;
	struct found *f = NULL;
	struct db_stmt *st;
	char *after1 = xstrdup(""), *after2 = xstrdup("");
	int64_t after2_int = -1, t0, logged = 0;
	enum err e = ERR_OK;
	int n, i, row, more = 1;

	column_sql(c, &q);
	while (e == ERR_OK && more) {
		int64_t resealed = 0, failed = 0, cleared = 0;

		n = 0;
		t0 = time_mono_ms();
		if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			break;
		if ((e = db_prepare(db, q.next, &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, tag);
		db_bind_text(st, 2, after1);
		if (c->key2 && c->key2_int)
			db_bind_int(st, 3, after2_int);
		else if (c->key2)
			db_bind_text(st, 3, after2);
		db_bind_int(st, c->key2 ? 4 : 3, batch);
		f = xcalloc((size_t)batch, sizeof *f);
		n = 0;
		while ((e = db_step(st, &row)) == ERR_OK && row && n < batch) {
			f[n].key1 = db_col_dup(st, 0);
			if (c->key2 && c->key2_int)
				f[n].key2_int = db_col_int(st, 1);
			else if (c->key2)
				f[n].key2 = db_col_dup(st, 1);
			f[n].stored = db_col_dup(st, c->key2 ? 2 : 1);
			n++;
		}
		db_done(st);
		if (e != ERR_OK)
			goto fail;
		more = n == batch;
		for (i = 0; e == ERR_OK && i < n; i++) {
			const char *why;
			int done = reseal_one(db, c, &q, &f[i], &e, &why);

			if (done > 0) {
				resealed++;
				cleared += !seal_key_of(f[i].stored, NULL);
			} else if (done < 0) {
				char id[SEAL_ID_LEN + 1] = "";

				failed++;
				seal_key_of(f[i].stored, id);
				if (logged++ < FAILS_LOGGED)
					log_error("encryption: a value of %s "
					    "(key %s) does not open: %s; it is "
					    "left as it is", c->name,
					    id[0] ? id : "?", why ? why : "");
			} else if (e == ERR_OK) {
				p->changed++;
			}
		}
		if (e != ERR_OK)
			goto fail;
		/* The rotation's progress commits with the batch. */
		if (rotation_id != NULL && resealed) {
			if ((e = db_prepare(db, "UPDATE key_rotation SET"
			    " values_resealed = values_resealed + $1"
			    " WHERE id = $2", &st)) != ERR_OK)
				goto fail;
			db_bind_int(st, 1, resealed);
			db_bind_text(st, 2, rotation_id);
			e = db_run(st, NULL);
			db_done(st);
			if (e != ERR_OK)
				goto fail;
		}
		if ((e = db_commit(db)) != ERR_OK)
			break;
		p->resealed += resealed;
		p->cleared += cleared;
		p->failed += failed;
		if (n > 0) {
			free(after1);
			after1 = xstrdup(f[n - 1].key1);
			if (c->key2 && c->key2_int) {
				after2_int = f[n - 1].key2_int;
			} else if (c->key2) {
				free(after2);
				after2 = xstrdup(f[n - 1].key2);
			}
		}
		found_free(f, n);
		f = NULL;
		/* Let the servers' writers in between batches: a server may
		 * be running (init on a live database, a rotation). */
		if (more) {
			int64_t took = time_mono_ms() - t0;

			pause_ms(took * 2 > PAUSE_MIN_MS ? took * 2 :
			    PAUSE_MIN_MS);
		}
		continue;
fail:
		db_rollback(db);
		found_free(f, n);
		f = NULL;
	}
	if (logged > FAILS_LOGGED)
		log_error("encryption: %lld values of %s did not open",
		    (long long)logged, c->name);
	free(after1);
	free(after2);
	return e;
}

/* Values of all sealed columns not under tag, counted on a snapshot. */
static enum err
count_not_under(struct db *db, const char *tag, int64_t *n)
{
	const struct db_sealed_column *cols;
	struct db_stmt *st;
	struct buf sql;
	const char *q;
	enum err e;
	int i, ncols, row;

	*n = 0;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	cols = db_sealed_columns(&ncols);
	for (i = 0; e == ERR_OK && i < ncols; i++) {
		buf_init(&sql, 512);
		buf_printf(&sql, "SELECT count(*) FROM %s WHERE %s IS NOT NULL"
		    " AND substr(%s, 1, %d) <> $1", cols[i].table,
		    cols[i].column, cols[i].column, SEAL_TAG_LEN);
		q = db_intern(buf_cstr(&sql));
		buf_free(&sql);
		if ((e = db_prepare(db, q, &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, tag);
		if ((e = db_step(st, &row)) == ERR_OK && row)
			*n += db_col_int(st, 0);
		db_done(st);
	}
	db_rollback(db);
	return e;
}

enum err
encryption_reseal(struct db *db, int batch, int settle_ms,
    const char *rotation_id, struct encryption_reseal *out)
{
	const struct db_sealed_column *cols;
	char id[SEAL_ID_LEN + 1], tag[SEAL_TAG_LEN + 1];
	enum err e;
	int i, ncols;

	memset(out, 0, sizeof *out);
	if (batch < 1)
		batch = 1;
	cols = db_sealed_columns(&ncols);
	for (out->passes = 1; out->passes <= MAX_PASSES; out->passes++) {
		struct pass p;

		/* The current key as it is now: a rotation may have come
		 * in between passes. */
		if ((e = seal_current(id)) != ERR_OK)
			return e;
		snprintf(tag, sizeof tag, "%s%s:", SEAL_PREFIX, id);
		memset(&p, 0, sizeof p);
		for (i = 0; i < ncols; i++)
			if ((e = pass_column(db, &cols[i], tag, batch,
			    rotation_id, &p)) != ERR_OK)
				return e;
		out->resealed += p.resealed;
		out->cleared += p.cleared;
		if (out->passes == 1 || p.failed > out->failed)
			out->failed = p.failed;
		if (p.resealed == 0 && p.changed == 0)
			break;
		/* Something was written under an older key while this pass
		 * ran, or changed under it: once every server has had time
		 * to take up the key file, look again. */
		if (out->passes < MAX_PASSES)
			pause_ms(settle_ms);
	}
	if (out->passes > MAX_PASSES)
		out->passes = MAX_PASSES;
	if ((e = seal_current(id)) != ERR_OK)
		return e;
	snprintf(tag, sizeof tag, "%s%s:", SEAL_PREFIX, id);
	return count_not_under(db, tag, &out->remaining);
}

/* ---- rotation ----------------------------------------------------- */

static enum err
rotation_begin(struct db *db, const char *rid, const char *key_id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "INSERT INTO key_rotation (id, key_id,"
	    " started_at, values_resealed, values_failed)"
	    " VALUES ($1, $2, $3, 0, 0)", &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, rid);
	db_bind_text(st, 2, key_id);
	db_bind_int(st, 3, time_now_ms());
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

/* Marks the rotation finished and audits it, in one transaction. */
static enum err
rotation_end(struct db *db, const struct actor *a, const char *rid,
    const char *key_id, const struct encryption_reseal *r)
{
	struct db_stmt *st;
	char detail[128];
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "UPDATE key_rotation SET finished_at = $1,"
	    " values_failed = $2 WHERE id = $3", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, time_now_ms());
	db_bind_int(st, 2, r->failed);
	db_bind_text(st, 3, rid);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "resealed=%lld failed=%lld "
	    "remaining=%lld", (long long)r->resealed, (long long)r->failed,
	    (long long)r->remaining);
	if ((e = audit_actor(db, a, NULL, "encryption", key_id, "rotate",
	    r->remaining > 0 ? "failure" : "success", detail)) != ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return e;
}

enum err
encryption_rotate(struct db *db, const struct actor *a,
    const char *key_file, int batch, char new_id[SEAL_ID_LEN + 1],
    struct encryption_reseal *out, char *why, size_t n)
{
	char rid[37], cur[SEAL_ID_LEN + 1];
	enum err e;

	memset(out, 0, sizeof *out);
	new_id[0] = '\0';
	why[0] = '\0';
	if (!a->system)
		return ERR_FORBIDDEN;
	if ((e = seal_file_add_key(key_file, new_id, why, n)) != ERR_OK)
		return e;
	/* This process seals under the new key from here on; servers take
	 * it up within a second or so. */
	if ((e = seal_load(key_file, why, n)) != ERR_OK)
		return e;
	if ((e = seal_current(cur)) != ERR_OK)
		return e;
	if (strcmp(cur, new_id) != 0) {
		snprintf(why, n, "the key file %s changed during the "
		    "rotation", key_file);
		return ERR_CONFLICT;
	}
	uuid_v7(rid);
	if ((e = rotation_begin(db, rid, new_id)) != ERR_OK)
		return e;
	log_info("encryption: rotating to key %s", new_id);
	/* A server looks at the key file at most a second after its last
	 * look; passes repeat that far apart until none finds an old key. */
	if ((e = encryption_reseal(db, batch, 1500, rid, out)) != ERR_OK)
		return e;
	return rotation_end(db, a, rid, new_id, out);
}

enum err
encryption_seal_clear(struct db *db, const struct actor *a,
    struct encryption_reseal *out)
{
	char detail[128];
	enum err e;

	if ((e = encryption_reseal(db, 500, 0, NULL, out)) != ERR_OK)
		return e;
	if (out->resealed == 0 && out->failed == 0)
		return ERR_OK;
	snprintf(detail, sizeof detail, "sealed=%lld failed=%lld",
	    (long long)out->resealed, (long long)out->failed);
	return audit_actor_alone(db, a, NULL, "encryption", NULL, "seal",
	    out->failed ? "failure" : "success", detail);
}
