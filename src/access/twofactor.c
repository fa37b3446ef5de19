#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "access/session.h"
#include "access/twofactor.h"
#include "util/crypto.h"
#include "util/timeutil.h"

/* Recovery codes use Crockford's base32 digits: no i, l, o or u, so a
 * code read off paper is not mistyped; those letters are read as the
 * digits they look like. */
static const char rc_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Column i of st, a secret sealed in column (staff.totp_secret or
 * staff.totp_pending), opened into dst ("" for NULL); the opened copy is
 * wiped. */
static enum err
copy_secret(char *dst, size_t n, struct db_stmt *st, int i,
    const char *column)
{
	enum err e = ERR_OK;
	char *s = db_col_unsealed(st, i, column, &e);

	copy(dst, n, s);
	if (s != NULL) {
		crypto_wipe(s, strlen(s));
		free(s);
	}
	return e;
}

/* A typed recovery code as its 16 characters; 0 when it cannot be one. */
static int
recovery_normalise(const char *in, char out[TWOFACTOR_RECOVERY_CHARS + 1])
{
	size_t n = 0;

	for (; *in; in++) {
		int c = (unsigned char)*in;

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c == 'o')
			c = '0';
		else if (c == 'i' || c == 'l')
			c = '1';
		if (c == '\0' || strchr(rc_alphabet, c) == NULL ||
		    n == TWOFACTOR_RECOVERY_CHARS)
			return 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == TWOFACTOR_RECOVERY_CHARS;
}

/* What the database keeps of a recovery code: 80 random bits need no
 * slow hash, as a session token's 256 do not. */
static void
recovery_hash(const char *norm, char hex[65])
{
	crypto_sha256_hex(norm, strlen(norm), hex);
}

static enum err
audit_tf(struct db *db, const struct actor *a, const char *staff_id,
    const char *action, const char *outcome, const char *detail)
{
	return audit_actor(db, a, NULL, "two_factor", staff_id, action,
	    outcome, detail);
}

enum err
twofactor_required(struct db *db, int *required)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*required = 0;
	if ((e = db_prepare(db, "SELECT value FROM setting WHERE name = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, TWOFACTOR_SETTING);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		*required = strcmp(db_col_text(st, 0) ? db_col_text(st, 0) : "",
		    "true") == 0;
	db_done(st);
	return e;
}

enum err
twofactor_status(struct db *db, const char *staff_id,
    struct twofactor_status *out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(out, 0, sizeof *out);
	if ((e = twofactor_required(db, &out->required)) != ERR_OK)
		return e;
	if ((e = db_prepare(db,
	    "SELECT CASE WHEN totp_enabled_at IS NULL THEN 0 ELSE 1 END,"
	    " CASE WHEN totp_pending IS NULL THEN 0 ELSE 1 END,"
	    " (SELECT count(*) FROM recovery_code r"
	    "  WHERE r.staff_id = staff.id AND r.used_at IS NULL)"
	    " FROM staff WHERE id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, staff_id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			out->enabled = db_col_int(st, 0) != 0;
			out->pending = db_col_int(st, 1) != 0;
			out->recovery_left = out->enabled ?
			    (int)db_col_int(st, 2) : 0;
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	return e;
}

/* Inside a write transaction: replaces staff_id's recovery codes with a
 * new set, in out. */
static enum err
make_codes(struct db *db, const char *staff_id, struct twofactor_codes *out)
{
	struct db_stmt *st;
	char norm[TWOFACTOR_RECOVERY_CHARS + 1], hex[65];
	int64_t now = time_now_ms();
	enum err e;
	int i, j;

	if ((e = db_prepare(db, "DELETE FROM recovery_code WHERE staff_id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, staff_id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		return e;
	for (i = 0; i < TWOFACTOR_RECOVERY_CODES; i++) {
		char *t = out->code[i];

		for (j = 0; j < TWOFACTOR_RECOVERY_CHARS; j++)
			norm[j] = rc_alphabet[crypto_uniform(32)];
		norm[j] = '\0';
		/* Shown in groups of four. */
		for (j = 0; j < 4; j++) {
			memcpy(t + 5 * j, norm + 4 * j, 4);
			t[5 * j + 4] = j < 3 ? '-' : '\0';
		}
		recovery_hash(norm, hex);
		if ((e = db_prepare(db,
		    "INSERT INTO recovery_code (staff_id, code_hash, created_at)"
		    " VALUES ($1, $2, $3)", &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, staff_id);
		db_bind_text(st, 2, hex);
		db_bind_int(st, 3, now);
		e = db_run(st, NULL);
		db_done(st);
		/* 80 random bits do not repeat; a clash is a broken RNG. */
		if (e != ERR_OK)
			break;
	}
	crypto_wipe(norm, sizeof norm);
	return e;
}

enum err
twofactor_spend(struct db *db, const char *staff_id, const char *code,
    const char *recovery_code, const char **why)
{
	struct db_stmt *st = NULL;
	char secret[TOTP_SECRET_B32 + 8] = "";
	char norm[TWOFACTOR_RECOVERY_CHARS + 1], hex[65];
	int64_t last = 0, step = 0, n = 0;
	enum totp_result r;
	enum err e;
	int row;

	*why = recovery_code ? "wrong recovery code" : "wrong code";
	if ((e = db_prepare(db,
	    "SELECT totp_secret, totp_last_step FROM staff WHERE id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, staff_id);
	if ((e = db_step(st, &row)) == ERR_OK && row &&
	    !db_col_is_null(st, 0)) {
		e = copy_secret(secret, sizeof secret, st, 0,
		    "staff.totp_secret");
		last = db_col_int(st, 1);
	}
	db_done(st);
	if (e != ERR_OK) {
		crypto_wipe(secret, sizeof secret);
		return e;
	}
	if (secret[0] == '\0')
		return ERR_CONFLICT;
	if (recovery_code != NULL) {
		crypto_wipe(secret, sizeof secret);
		if (!recovery_normalise(recovery_code, norm))
			return ERR_RULE;
		recovery_hash(norm, hex);
		crypto_wipe(norm, sizeof norm);
		/* Spent by whichever request gets here first. */
		if ((e = db_prepare(db,
		    "UPDATE recovery_code SET used_at = $1 WHERE staff_id = $2"
		    " AND code_hash = $3 AND used_at IS NULL", &st)) != ERR_OK)
			return e;
		db_bind_int(st, 1, time_now_ms());
		db_bind_text(st, 2, staff_id);
		db_bind_text(st, 3, hex);
		e = db_run(st, &n);
		db_done(st);
		if (e != ERR_OK)
			return e;
		return n == 1 ? ERR_OK : ERR_RULE;
	}
	r = totp_verify(secret, time_now_ms() / 1000, last, code ? code : "",
	    &step);
	crypto_wipe(secret, sizeof secret);
	if (r != TOTP_OK) {
		if (r == TOTP_REPLAYED)
			*why = "replayed code";
		return ERR_RULE;
	}
	/* Another server may have taken this step meanwhile. */
	if ((e = db_prepare(db,
	    "UPDATE staff SET totp_last_step = $1 WHERE id = $2"
	    " AND totp_last_step < $1", &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, step);
	db_bind_text(st, 2, staff_id);
	e = db_run(st, &n);
	db_done(st);
	if (e != ERR_OK)
		return e;
	if (n != 1) {
		*why = "replayed code";
		return ERR_RULE;
	}
	return ERR_OK;
}

enum err
twofactor_start(struct db *db, const struct actor *a,
    char secret[TOTP_SECRET_B32])
{
	struct db_stmt *st = NULL;
	enum err e;
	int row;

	totp_secret_new(secret);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		goto out;
	if ((e = db_prepare(db, "SELECT totp_enabled_at FROM staff"
	    " WHERE id = $1", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, a->id);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	if (!row) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if (!db_col_is_null(st, 0)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	db_done(st);
	st = NULL;
	if ((e = db_set_sealed(db, "UPDATE staff SET totp_pending = $1"
	    " WHERE id = $2", "staff.totp_pending", secret, a->id)) != ERR_OK)
		goto fail;
	if ((e = audit_tf(db, a, a->id, "start", "success", NULL)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		goto out;
	return ERR_OK;
fail:
	db_done(st);
	db_rollback(db);
out:
	crypto_wipe(secret, TOTP_SECRET_B32);
	return e;
}

enum err
twofactor_confirm(struct db *db, const struct actor *a, const char *code,
    struct twofactor_codes *out)
{
	struct db_stmt *st = NULL;
	char pending[TOTP_SECRET_B32 + 8] = "";
	int64_t step = 0, now = time_now_ms();
	enum totp_result r;
	enum err e;
	int row, enabled = 0;

	memset(out, 0, sizeof *out);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT totp_pending, totp_enabled_at"
	    " FROM staff WHERE id = $1", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, a->id);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	if (row) {
		e = copy_secret(pending, sizeof pending, st, 0,
		    "staff.totp_pending");
		enabled = !db_col_is_null(st, 1);
	}
	db_done(st);
	st = NULL;
	if (e != ERR_OK)
		goto fail;
	if (pending[0] == '\0' || enabled) {
		e = ERR_CONFLICT;
		goto fail;
	}
	/* The secret is new: no step has been used with it yet. */
	r = totp_verify(pending, now / 1000, 0, code, &step);
	if (r != TOTP_OK) {
		db_rollback(db);
		audit_actor_alone(db, a, NULL, "two_factor", a->id, "enable",
		    "failure", "wrong code");
		e = ERR_RULE;
		goto out;
	}
	/* Sealed again for its new column: a sealed value opens only in
	 * the column it was sealed for. */
	if ((e = db_prepare(db,
	    "UPDATE staff SET totp_secret = $4, totp_pending = NULL,"
	    " totp_enabled_at = $1, totp_last_step = $2 WHERE id = $3",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, step);
	db_bind_text(st, 3, a->id);
	db_bind_sealed(st, 4, "staff.totp_secret", pending);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = make_codes(db, a->id, out)) != ERR_OK)
		goto fail;
	if ((e = audit_tf(db, a, a->id, "enable", "success", NULL)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		goto out;
	crypto_wipe(pending, sizeof pending);
	return ERR_OK;
fail:
	db_done(st);
	db_rollback(db);
out:
	crypto_wipe(pending, sizeof pending);
	crypto_wipe(out, sizeof *out);
	return e;
}

/*
 * Proves the actor holds the second factor before a change to it: waits
 * out back-off, then spends the code inside the caller's transaction.
 * ERR_RULE counts a failure (after rolling back) with the reason audited
 * under action.
 */
static enum err
prove(struct db *db, const struct actor *a, const char *action,
    const char *code, const char *recovery_code, int64_t *retry_after_s)
{
	const char *why = "wrong code";
	enum err e;

	if ((e = auth_throttled(db, a->username, retry_after_s)) != ERR_OK) {
		if (e == ERR_RATE_LIMITED)
			audit_actor_alone(db, a, NULL, "two_factor", a->id,
			    action, "denied", "backing off");
		return e;
	}
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	e = twofactor_spend(db, a->id, code, recovery_code, &why);
	if (e == ERR_OK)
		return ERR_OK;	/* the transaction stays open */
	db_rollback(db);
	if (e == ERR_RULE) {
		enum err c = auth_count_failure(db, a, "two_factor", action,
		    why);

		return c != ERR_OK ? c : ERR_RULE;
	}
	return e;
}

enum err
twofactor_disable(struct db *db, const struct actor *a, const char *code,
    const char *recovery_code, int64_t *retry_after_s)
{
	struct db_stmt *st = NULL;
	int required;
	enum err e;

	*retry_after_s = 0;
	if ((e = twofactor_required(db, &required)) != ERR_OK)
		return e;
	if (required) {
		audit_actor_alone(db, a, NULL, "two_factor", a->id, "disable",
		    "denied", "required");
		return ERR_FORBIDDEN;
	}
	if ((e = prove(db, a, "disable", code, recovery_code,
	    retry_after_s)) != ERR_OK)
		return e;
	if ((e = db_prepare(db,
	    "UPDATE staff SET totp_secret = NULL, totp_pending = NULL,"
	    " totp_enabled_at = NULL WHERE id = $1", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, a->id);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	if ((e = db_prepare(db, "DELETE FROM recovery_code WHERE staff_id = $1",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, a->id);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = audit_tf(db, a, a->id, "disable", "success",
	    recovery_code ? "recovery code" : NULL)) != ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

enum err
twofactor_new_codes(struct db *db, const struct actor *a, const char *code,
    const char *recovery_code, int64_t *retry_after_s,
    struct twofactor_codes *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	*retry_after_s = 0;
	if ((e = prove(db, a, "recovery_codes", code, recovery_code,
	    retry_after_s)) != ERR_OK)
		return e;
	if ((e = make_codes(db, a->id, out)) != ERR_OK ||
	    (e = audit_tf(db, a, a->id, "recovery_codes", "success",
	    recovery_code ? "recovery code" : NULL)) != ERR_OK ||
	    (e = db_commit(db)) != ERR_OK) {
		db_rollback(db);
		crypto_wipe(out, sizeof *out);
		return e;
	}
	return ERR_OK;
}

enum err
twofactor_reset(struct db *db, const struct actor *a, const char *staff_id)
{
	static const char *const sql[] = {
		("UPDATE staff SET totp_secret = NULL, totp_pending = NULL,"
		" totp_enabled_at = NULL WHERE id = $1"),
		"DELETE FROM recovery_code WHERE staff_id = $1",
		"DELETE FROM signin_challenge WHERE staff_id = $1",
		"DELETE FROM session WHERE staff_id = $1",
	};
	struct db_stmt *st = NULL;
	enum err e;
	size_t i;
	int row;

	if (!a->system && (e = policy_check(a, POL_STAFF_MANAGE, NULL)) !=
	    ERR_OK) {
		audit_actor_alone(db, a, NULL, "two_factor", staff_id, "reset",
		    "denied", NULL);
		return e;
	}
	if (staff_id == NULL)
		return ERR_NOT_FOUND;
	if (!a->system && strcmp(a->id, staff_id) == 0)
		return ERR_CONFLICT;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT 1 FROM staff WHERE id = $1", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, staff_id);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if (!row) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((e = db_prepare(db, sql[i], &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, staff_id);
		if ((e = db_run(st, NULL)) != ERR_OK)
			goto fail;
		db_done(st);
		st = NULL;
	}
	if ((e = audit_tf(db, a, staff_id, "reset", "success", NULL)) !=
	    ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_done(st);
	db_rollback(db);
	return e;
}
