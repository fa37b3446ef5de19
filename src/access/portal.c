#include <stdio.h>
#include <string.h>

#include "access/audit.h"
#include "access/password.h"
#include "access/portal.h"
#include "access/session.h"
#include "util/crypto.h"
#include "util/timeutil.h"

/* No 0/O, 1/I/L: a code read aloud or copied from paper survives. */
static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

#define PURGE_AFTER_MS	(3600 * 1000)

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

void
portal_code_new(char code[PORTAL_CODE_MAX], char hash[65])
{
	char raw[PORTAL_CODE_CHARS + 1];
	int i, j = 0;

	for (i = 0; i < PORTAL_CODE_CHARS; i++)
		raw[i] = alphabet[crypto_uniform(sizeof alphabet - 1)];
	raw[PORTAL_CODE_CHARS] = '\0';
	crypto_sha256_hex(raw, PORTAL_CODE_CHARS, hash);
	for (i = 0; i < PORTAL_CODE_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			code[j++] = '-';
		code[j++] = raw[i];
	}
	code[j] = '\0';
	crypto_wipe(raw, sizeof raw);
}

int
portal_code_hash(const char *typed, char hash[65])
{
	char raw[PORTAL_CODE_CHARS + 1];
	size_t n = 0;
	const char *p;

	if (typed == NULL || strlen(typed) > 64)
		return 0;
	for (p = typed; *p; p++) {
		char c = *p;

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (strchr(alphabet, c) == NULL || n == PORTAL_CODE_CHARS)
			return 0;
		raw[n++] = c;
	}
	if (n != PORTAL_CODE_CHARS)
		return 0;
	raw[n] = '\0';
	crypto_sha256_hex(raw, n, hash);
	crypto_wipe(raw, sizeof raw);
	return 1;
}

void
portal_name_check(const char *typed, char out[PORTAL_NAME_MAX + 1],
    struct verr *v)
{
	size_t n, i;

	out[0] = '\0';
	if (typed == NULL) {
		verr_add(v, "sign_in_name", "is required");
		return;
	}
	n = strlen(typed);
	if (n < PORTAL_NAME_MIN || n > PORTAL_NAME_MAX) {
		verr_add(v, "sign_in_name", "must be %d to %d characters",
		    PORTAL_NAME_MIN, PORTAL_NAME_MAX);
		return;
	}
	for (i = 0; i < n; i++) {
		char c = typed[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_')) {
			verr_add(v, "sign_in_name", "may use only letters, "
			    "digits, dots, dashes and underscores");
			out[0] = '\0';
			return;
		}
		out[i] = c;
	}
	out[n] = '\0';
}

static enum err
audit_portal(struct db *db, const struct actor *who, const char *object,
    const char *action, const char *outcome, const char *detail)
{
	struct audit_entry e = {
		.actor_id = who->id[0] ? who->id : NULL,
		.actor_role = who->id[0] ? role_name(ROLE_PERSON) : NULL,
		.person_id = who->person_id[0] ? who->person_id : NULL,
		.object_type = object,
		.object_id = who->id[0] ? who->id : NULL,
		.action = action,
		.outcome = outcome,
		.client_addr = who->client_addr[0] ? who->client_addr : NULL,
		.detail = detail,
	};

	return audit_append(db, &e);
}

enum err
portal_end_sessions(struct db *db, const char *account_id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, "DELETE FROM portal_session"
	    " WHERE account_id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, account_id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

/* Inside the caller's write transaction: a new session for out->actor
 * (id and person_id set), audited as a sign-in of kind how. */
static enum err
session_insert(struct db *db, struct portal_sign_in *out, const char *how)
{
	const struct auth_config *c = auth_current();
	struct db_stmt *st = NULL;
	char hash[65];
	int64_t now = time_now_ms();
	enum err e;

	crypto_token(out->token);
	crypto_token(out->actor.csrf_token);
	crypto_sha256_hex(out->token, strlen(out->token), hash);
	copy(out->actor.token_hash, sizeof out->actor.token_hash, hash);
	out->expires_at = now + c->portal_lifetime_ms;
	out->actor.idle_timeout_s = c->portal_idle_ms / 1000;
	/* Abandoned sessions go an hour past their end (a person coming
	 * back sooner meets the audited expiry in portal_resolve()). */
	if ((e = db_prepare(db, "DELETE FROM portal_session"
	    " WHERE expires_at < $1 OR last_seen_at < $2", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now - PURGE_AFTER_MS);
	db_bind_int(st, 2, now - c->portal_idle_ms - PURGE_AFTER_MS);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	if ((e = db_prepare(db, "INSERT INTO portal_session (token_hash,"
	    " account_id, csrf_token, created_at, last_seen_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, $4, $5)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, out->actor.id);
	db_bind_text(st, 3, out->actor.csrf_token);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, out->expires_at);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	if ((e = db_prepare(db, "UPDATE portal_account SET"
	    " last_sign_in_at = $1 WHERE id = $2", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, out->actor.id);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	return audit_portal(db, &out->actor, "portal_session", "sign_in",
	    "success", how);
fail:
	db_done(st);
	return e;
}

enum err
portal_activate(struct db *db, const char *code, const char *name,
    const char *passphrase, const char *addr, struct verr *v,
    struct portal_sign_in *out)
{
	struct db_stmt *st = NULL;
	char hash[65], stored[PORTAL_NAME_MAX + 1], throttle[128];
	char pw[PASSWORD_HASH_MAX];
	int64_t now, expires = 0;
	int row, found = 0, ended = 0;
	int64_t changed = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	copy(out->actor.client_addr, sizeof out->actor.client_addr, addr);
	out->actor.role = ROLE_PERSON;
	portal_name_check(name, stored, v);
	if (passphrase == NULL)
		verr_add(v, "passphrase", "is required");
	else if (password_acceptable(passphrase) != ERR_OK)
		verr_add(v, "passphrase", "must be %d to %d characters",
		    PASSWORD_MIN_CHARS, PASSWORD_MAX_BYTES);
	if (code == NULL)
		verr_add(v, "code", "is required");
	if (v->n)
		return ERR_INVALID;
	if (portal_code_hash(code, hash)) {
		if ((e = db_prepare(db, "SELECT a.id, a.person_id,"
		    " a.invite_expires_at, a.ended_at, p.preferred_name"
		    " FROM portal_account a JOIN person p ON p.id = a.person_id"
		    " WHERE a.invite_hash = $1", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, hash);
		if ((e = db_step(st, &row)) == ERR_OK && row) {
			found = 1;
			copy(out->actor.id, sizeof out->actor.id,
			    db_col_text(st, 0));
			copy(out->actor.person_id, sizeof out->actor.person_id,
			    db_col_text(st, 1));
			expires = db_col_int(st, 2);
			ended = !db_col_is_null(st, 3);
			copy(out->actor.display_name,
			    sizeof out->actor.display_name, db_col_text(st, 4));
		}
		db_done(st);
		if (e != ERR_OK)
			return e;
	}
	now = time_now_ms();
	if (!found || ended || expires <= now) {
		/*
		 * Audited, not throttled: a code has 59 random bits and lasts
		 * a week, so guessing one is not feasible, and counting
		 * failures by address would let one person lock everyone on
		 * a shared connection (a drop-in centre's) out.
		 */
		if ((e = db_begin(db, DB_TX_WRITE)) == ERR_OK) {
			if ((e = audit_portal(db, &out->actor, "portal_account",
			    "activate", "failure", !found ? "unknown code" :
			    ended ? "ended" : "expired")) == ERR_OK)
				e = db_commit(db);
			else
				db_rollback(db);
		}
		memset(&out->actor, 0, sizeof out->actor);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	/* Hash outside any transaction: it is slow. */
	if ((e = password_hash(passphrase, pw)) != ERR_OK)
		return e;
	copy(out->actor.username, sizeof out->actor.username, stored);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		goto out;
	if ((e = db_prepare(db, "SELECT id FROM portal_account"
	    " WHERE sign_in_name = $1 AND id <> $2", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, stored);
	db_bind_text(st, 2, out->actor.id);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if (row) {
		verr_add(v, "sign_in_name", "is taken: choose another");
		e = ERR_CONFLICT;
		goto fail;
	}
	/* Compare-and-set on the code: of two redeeming it at once, one
	 * wins. */
	if ((e = db_prepare(db, "UPDATE portal_account SET sign_in_name = $1,"
	    " passphrase_hash = $2, invite_hash = NULL,"
	    " invite_expires_at = NULL, activated_at = $3,"
	    " version = version + 1 WHERE id = $4 AND invite_hash = $5",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, stored);
	db_bind_text(st, 2, pw);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, out->actor.id);
	db_bind_text(st, 5, hash);
	if ((e = db_run(st, &changed)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if (changed == 0) {
		e = ERR_UNAUTHENTICATED;
		goto fail;
	}
	if ((e = portal_end_sessions(db, out->actor.id)) != ERR_OK)
		goto fail;
	snprintf(throttle, sizeof throttle, "portal:%s", stored);
	if ((e = auth_clear_throttle(db, throttle)) != ERR_OK ||
	    (e = audit_portal(db, &out->actor, "portal_account", "activate",
	    "success", NULL)) != ERR_OK ||
	    (e = session_insert(db, out, "invitation")) != ERR_OK)
		goto fail;
	e = db_commit(db);
	goto out;
fail:
	db_done(st);
	db_rollback(db);
out:
	crypto_wipe(pw, sizeof pw);
	if (e != ERR_OK)
		crypto_wipe(out->token, sizeof out->token);
	return e;
}

enum err
portal_sign_in(struct db *db, const char *name, const char *passphrase,
    const char *addr, struct portal_sign_in *out)
{
	struct db_stmt *st = NULL;
	char stored[PORTAL_NAME_MAX + 1], key[96], hash[PASSWORD_HASH_MAX] = "";
	struct verr v;
	int row, found = 0, ended = 0, ok;
	enum err e;

	memset(out, 0, sizeof *out);
	verr_init(&v);
	copy(out->actor.client_addr, sizeof out->actor.client_addr, addr);
	out->actor.role = ROLE_PERSON;
	portal_name_check(name, stored, &v);
	/* A malformed name is still a failed attempt at that name. */
	snprintf(key, sizeof key, "portal:%s", v.n ? (name ? name : "") :
	    stored);
	if ((e = auth_throttled(db, key, &out->retry_after_s)) != ERR_OK) {
		if (e == ERR_RATE_LIMITED &&
		    db_begin(db, DB_TX_WRITE) == ERR_OK) {
			if (audit_portal(db, &out->actor, "portal_session",
			    "sign_in", "denied", "backing off") == ERR_OK)
				db_commit(db);
			else
				db_rollback(db);
		}
		return e;
	}
	if (v.n == 0) {
		if ((e = db_prepare(db, "SELECT a.id, a.person_id,"
		    " a.passphrase_hash, a.ended_at, p.preferred_name"
		    " FROM portal_account a JOIN person p ON p.id = a.person_id"
		    " WHERE a.sign_in_name = $1", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, stored);
		if ((e = db_step(st, &row)) == ERR_OK && row) {
			found = !db_col_is_null(st, 2);
			copy(out->actor.id, sizeof out->actor.id,
			    db_col_text(st, 0));
			copy(out->actor.person_id, sizeof out->actor.person_id,
			    db_col_text(st, 1));
			copy(hash, sizeof hash, db_col_text(st, 2));
			ended = !db_col_is_null(st, 3);
			copy(out->actor.display_name,
			    sizeof out->actor.display_name, db_col_text(st, 4));
		}
		db_done(st);
		if (e != ERR_OK)
			return e;
	}
	/* Unknown names cost the same time. */
	ok = passphrase != NULL && password_verify(found ? hash : NULL,
	    passphrase);
	crypto_wipe(hash, sizeof hash);
	if (!found || !ok || ended) {
		e = auth_record_failure(db, key, &out->actor, "portal_session",
		    "sign_in", !found ? "unknown account" : ended && ok ?
		    "ended" : "wrong passphrase");
		memset(&out->actor, 0, sizeof out->actor);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	copy(out->actor.username, sizeof out->actor.username, stored);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = auth_clear_throttle(db, key)) != ERR_OK ||
	    (e = session_insert(db, out, NULL)) != ERR_OK) {
		db_rollback(db);
		crypto_wipe(out, sizeof *out);
		return e;
	}
	if ((e = db_commit(db)) != ERR_OK)
		crypto_wipe(out, sizeof *out);
	return e;
}

static enum err
end_session(struct db *db, const char *hash, const struct actor *who,
    const char *outcome, const char *detail)
{
	struct db_stmt *st = NULL;
	int64_t n = 0;
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "DELETE FROM portal_session"
	    " WHERE token_hash = $1", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	if ((e = db_run(st, &n)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	/* Another request may have ended it first; audit it once. */
	if (n > 0 && (e = audit_portal(db, who, "portal_session", "sign_out",
	    outcome, detail)) != ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

enum err
portal_resolve(struct db *db, const char *token, const char *addr,
    struct actor *out, int64_t *expires_at)
{
	const struct auth_config *c = auth_current();
	struct db_stmt *st = NULL;
	char hash[65], where[sizeof out->client_addr];
	int64_t now = time_now_ms(), last_seen, expires, touch;
	int row, ended;
	enum err e;

	copy(where, sizeof where, addr);
	memset(out, 0, sizeof *out);
	*expires_at = 0;
	if (token == NULL || strlen(token) != 43)
		return ERR_UNAUTHENTICATED;
	crypto_sha256_hex(token, 43, hash);
	if ((e = db_prepare(db, "SELECT s.account_id, s.csrf_token,"
	    " s.last_seen_at, s.expires_at, a.person_id, a.sign_in_name,"
	    " a.ended_at, p.preferred_name"
	    " FROM portal_session s JOIN portal_account a"
	    " ON a.id = s.account_id JOIN person p ON p.id = a.person_id"
	    " WHERE s.token_hash = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, hash);
	if ((e = db_step(st, &row)) != ERR_OK || !row) {
		db_done(st);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	copy(out->id, sizeof out->id, db_col_text(st, 0));
	copy(out->csrf_token, sizeof out->csrf_token, db_col_text(st, 1));
	last_seen = db_col_int(st, 2);
	expires = db_col_int(st, 3);
	copy(out->person_id, sizeof out->person_id, db_col_text(st, 4));
	copy(out->username, sizeof out->username, db_col_text(st, 5));
	ended = !db_col_is_null(st, 6);
	copy(out->display_name, sizeof out->display_name, db_col_text(st, 7));
	db_done(st);
	out->role = ROLE_PERSON;
	copy(out->token_hash, sizeof out->token_hash, hash);
	copy(out->client_addr, sizeof out->client_addr, where);
	out->idle_timeout_s = c->portal_idle_ms / 1000;
	touch = c->portal_idle_ms / 10 > 60000 ? 60000 : c->portal_idle_ms / 10;
	if (ended || now >= expires || now - last_seen > c->portal_idle_ms +
	    touch) {
		e = end_session(db, hash, out, "expired", ended ? "ended" :
		    now >= expires ? "lifetime" : "idle");
		memset(out, 0, sizeof *out);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	*expires_at = expires;
	if (now - last_seen >= touch) {
		if ((e = db_prepare(db, "UPDATE portal_session"
		    " SET last_seen_at = $1 WHERE token_hash = $2", &st)) !=
		    ERR_OK)
			return e;
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, hash);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

enum err
portal_sign_out(struct db *db, const struct actor *a)
{
	return end_session(db, a->token_hash, a, "success", NULL);
}
