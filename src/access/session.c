#include <stdio.h>
#include <string.h>

#include "access/audit.h"
#include "access/password.h"
#include "access/session.h"
#include "access/twofactor.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"

#define BACKOFF_AFTER	3	/* failures before each retry must wait */
#define PURGE_AFTER_MS	(3600 * 1000)	/* abandoned sessions kept this long */
#define BACKOFF_MAX_MS	60000

static struct auth_config config = {
	.idle_ms = 15 * 60 * 1000,
	.lifetime_ms = 12 * 3600 * 1000,
	.lock_after = 5,
	.lock_ms = 15 * 60 * 1000,
	.portal_idle_ms = 10 * 60 * 1000,
	.portal_lifetime_ms = 60 * 60 * 1000,
};

void
auth_config_default(struct auth_config *c)
{
	c->idle_ms = 15 * 60 * 1000;
	c->lifetime_ms = 12 * 3600 * 1000;
	c->lock_after = 5;
	c->lock_ms = 15 * 60 * 1000;
	c->portal_idle_ms = 10 * 60 * 1000;
	c->portal_lifetime_ms = 60 * 60 * 1000;
}

void
auth_configure(const struct auth_config *c)
{
	config = *c;
}

const struct auth_config *
auth_current(void)
{
	return &config;
}

/* How often a session's last use is written: a tenth of the idle
 * timeout, at most a minute. */
static int64_t
touch_interval(void)
{
	return config.idle_ms / 10 > 60000 ? 60000 : config.idle_ms / 10;
}

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

enum err
auth_load_teams(struct db *db, struct actor *a)
{
	struct db_stmt *st;
	enum err e;
	int row;

	a->nteams = 0;
	a->nglass = 0;
	if ((e = db_prepare(db,
	    "SELECT team_id FROM staff_team WHERE staff_id = $1"
	    " ORDER BY team_id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, a->id);
	while ((e = db_step(st, &row)) == ERR_OK && row &&
	    a->nteams < ACTOR_MAX_TEAMS)
		copy(a->teams[a->nteams++], sizeof a->teams[0],
		    db_col_text(st, 0));
	db_done(st);
	if (e != ERR_OK)
		return e;
	/* Break-glass grants in force, newest first. */
	if ((e = db_prepare(db, "SELECT person_id, expires_at FROM break_glass"
	    " WHERE staff_id = $1 AND expires_at > $2"
	    " ORDER BY started_at DESC", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, a->id);
	db_bind_int(st, 2, time_now_ms());
	while ((e = db_step(st, &row)) == ERR_OK && row &&
	    a->nglass < ACTOR_MAX_GLASS) {
		copy(a->glass[a->nglass].person_id,
		    sizeof a->glass[0].person_id, db_col_text(st, 0));
		a->glass[a->nglass++].until_ms = db_col_int(st, 1);
	}
	db_done(st);
	return e;
}

static enum err
audit_sign_in(struct db *db, const char *staff_id, const char *role,
    const char *addr, const char *action, const char *outcome,
    const char *detail)
{
	struct audit_entry e = {
		.actor_id = staff_id,
		.actor_role = role,
		.object_type = "session",
		.action = action,
		.outcome = outcome,
		.client_addr = addr,
		.detail = detail,
	};

	return audit_append(db, &e);
}

/*
 * Failed sign-ins are counted per username as typed, whether or not an
 * account has it, so a wrong guess at a name answers exactly as a wrong
 * password does. The key is the SHA-256 of the name: a password typed
 * into the name field by mistake is not stored.
 */
static void
throttle_key(const char *username, char key[65])
{
	crypto_sha256_hex(username, strlen(username), key);
}

enum err
auth_clear_throttle(struct db *db, const char *username)
{
	struct db_stmt *st;
	char key[65];
	enum err e;

	throttle_key(username, key);
	if ((e = db_prepare(db, "DELETE FROM signin_throttle WHERE key = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, key);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

enum err
auth_throttled(struct db *db, const char *username, int64_t *retry_after_s)
{
	struct db_stmt *st;
	char key[65];
	int64_t until = 0, now;
	enum err e;
	int row;

	*retry_after_s = 0;
	throttle_key(username, key);
	if ((e = db_prepare(db,
	    "SELECT locked_until FROM signin_throttle WHERE key = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, key);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		until = db_col_int(st, 0);
	db_done(st);
	if (e != ERR_OK)
		return e;
	now = time_now_ms();
	if (until > now) {
		*retry_after_s = (until - now + 999) / 1000;
		return ERR_RATE_LIMITED;
	}
	return ERR_OK;
}

/*
 * Records a failed attempt inside the caller's write transaction, backing
 * off and locking as failures grow, and audits it as a failure of
 * object/action (detail why, or "locked" for the failure that locks).
 */
static enum err
record_failure_tx(struct db *db, const char *key, const struct actor *who,
    const char *object, const char *action, const char *why)
{
	struct db_stmt *st = NULL;
	int64_t now = time_now_ms(), count = 1, until = 0;
	enum err e;
	int row;

	if ((e = db_prepare(db,
	    "SELECT failed_count, locked_until FROM signin_throttle"
	    " WHERE key = $1", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, key);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	if (row) {
		count = db_col_int(st, 0) + 1;
		/* A lock that has run out starts the count again. */
		if (count > config.lock_after && db_col_int(st, 1) <= now)
			count = 1;
	}
	db_done(st);
	st = NULL;
	if (count >= config.lock_after)
		until = now + config.lock_ms;
	else if (count >= BACKOFF_AFTER) {
		int64_t wait = 1000LL << (count - BACKOFF_AFTER);

		until = now + (wait > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : wait);
	}
	if ((e = db_prepare(db,
	    "INSERT INTO signin_throttle (key, failed_count, locked_until,"
	    " updated_at) VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT (key) DO UPDATE SET failed_count = excluded.failed_count,"
	    " locked_until = excluded.locked_until,"
	    " updated_at = excluded.updated_at", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, count);
	db_bind_int(st, 3, until);
	db_bind_int(st, 4, now);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	{
		struct audit_entry a = {
			.actor_id = who->id[0] ? who->id : NULL,
			.actor_role = who->id[0] ? role_name(who->role) : NULL,
			.person_id = who->role == ROLE_PERSON &&
			    who->person_id[0] ? who->person_id : NULL,
			.object_type = object,
			.object_id = strcmp(object, "session") != 0 &&
			    who->id[0] ? who->id : NULL,
			.action = action,
			.outcome = "failure",
			.client_addr = who->client_addr[0] ? who->client_addr :
			    NULL,
			.detail = count >= config.lock_after ? "locked" : why,
		};

		e = audit_append(db, &a);
	}
	return e;
fail:
	db_done(st);
	return e;
}

/* A failed sign-in, in a transaction of its own. */
static enum err
record_failure(struct db *db, const char *key, const char *staff_id,
    const char *role, const char *addr, const char *why)
{
	struct actor who;
	enum err e;

	memset(&who, 0, sizeof who);
	copy(who.id, sizeof who.id, staff_id);
	who.role = role ? role_parse(role) : ROLE__COUNT;
	copy(who.client_addr, sizeof who.client_addr, addr);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_failure_tx(db, key, &who, "session", "sign_in",
	    why)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

enum err
auth_record_failure(struct db *db, const char *key_text,
    const struct actor *who, const char *object, const char *action,
    const char *why)
{
	char key[65];
	enum err e;

	throttle_key(key_text, key);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_failure_tx(db, key, who, object, action, why)) !=
	    ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

enum err
auth_count_failure(struct db *db, const struct actor *a, const char *object,
    const char *action, const char *why)
{
	char key[65];
	enum err e;

	throttle_key(a->username, key);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_failure_tx(db, key, a, object, action, why)) !=
	    ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

/*
 * Inside the caller's write transaction: a new session for out->actor,
 * its sign-in audited as a success with detail how (NULL for a password
 * alone).
 */
static enum err
session_insert(struct db *db, struct sign_in *out, const char *addr,
    const char *how)
{
	struct db_stmt *st = NULL;
	char hash[65];
	int64_t now = time_now_ms();
	enum err e;

	crypto_token(out->token);
	crypto_token(out->actor.csrf_token);
	crypto_sha256_hex(out->token, strlen(out->token), hash);
	copy(out->actor.token_hash, sizeof out->actor.token_hash, hash);
	if ((e = auth_clear_throttle(db, out->actor.username)) != ERR_OK)
		goto fail;
	/* Sign-ins tidy up abandoned sessions, an hour past their end, so a
	 * person coming back sooner meets the audited expiry in
	 * auth_resolve(); and old counts of failures that locked nothing. */
	if ((e = db_prepare(db,
	    "DELETE FROM session WHERE expires_at < $1 OR last_seen_at < $2",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now - PURGE_AFTER_MS);
	db_bind_int(st, 2, now - config.idle_ms - touch_interval() -
	    PURGE_AFTER_MS);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	if ((e = db_prepare(db,
	    "DELETE FROM signin_throttle WHERE locked_until < $1"
	    " AND updated_at < $2", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now - 86400000);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	if ((e = db_prepare(db,
	    "INSERT INTO session (token_hash, staff_id, csrf_token,"
	    " created_at, last_seen_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, $4, $5)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, out->actor.id);
	db_bind_text(st, 3, out->actor.csrf_token);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now + config.lifetime_ms);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = auth_load_teams(db, &out->actor)) != ERR_OK)
		goto fail;
	if ((e = audit_sign_in(db, out->actor.id, role_name(out->actor.role),
	    addr, "sign_in", "success", how)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_done(st);
	return e;
}

static enum err
create_session(struct db *db, struct sign_in *out, const char *addr)
{
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = session_insert(db, out, addr, NULL)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

/*
 * The password was right and the account has two-step sign-in: a
 * challenge for the second step instead of a session. Only its hash is
 * stored, so any server process can take the answer.
 */
static enum err
create_challenge(struct db *db, struct sign_in *out, const char *addr)
{
	struct db_stmt *st = NULL;
	char hash[65];
	int64_t now = time_now_ms();
	enum err e;

	crypto_token(out->challenge);
	crypto_sha256_hex(out->challenge, strlen(out->challenge), hash);
	out->second_factor = 1;
	out->challenge_expires = now + AUTH_CHALLENGE_MS;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db,
	    "DELETE FROM signin_challenge WHERE expires_at < $1", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	if ((e = db_prepare(db,
	    "INSERT INTO signin_challenge (token_hash, staff_id, created_at,"
	    " expires_at, attempts) VALUES ($1, $2, $3, $4, 0)", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, out->actor.id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, out->challenge_expires);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = audit_sign_in(db, out->actor.id, role_name(out->actor.role),
	    addr, "sign_in", "pending", "second factor")) != ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

enum err
auth_sign_in(struct db *db, const char *username, const char *password,
    const char *addr, struct sign_in *out)
{
	struct db_stmt *st = NULL;
	char staff_id[37] = "", hash[PASSWORD_HASH_MAX] = "", role[16] = "";
	char key[65];
	int64_t locked_until = 0, now;
	int row, disabled = 0, found, ok, totp = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	throttle_key(username, key);
	if ((e = db_prepare(db,
	    "SELECT locked_until FROM signin_throttle WHERE key = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, key);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		locked_until = db_col_int(st, 0);
	db_done(st);
	if (e != ERR_OK)
		return e;
	if ((e = db_prepare(db,
	    "SELECT id, password_hash, disabled, role, username, display_name,"
	    " CASE WHEN totp_enabled_at IS NULL THEN 0 ELSE 1 END"
	    " FROM staff WHERE username = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, username);
	if ((e = db_step(st, &row)) != ERR_OK) {
		db_done(st);
		return e;
	}
	found = row;
	if (found) {
		copy(staff_id, sizeof staff_id, db_col_text(st, 0));
		copy(hash, sizeof hash, db_col_text(st, 1));
		disabled = db_col_int(st, 2) != 0;
		copy(role, sizeof role, db_col_text(st, 3));
		copy(out->actor.id, sizeof out->actor.id, staff_id);
		copy(out->actor.username, sizeof out->actor.username,
		    db_col_text(st, 4));
		copy(out->actor.display_name, sizeof out->actor.display_name,
		    db_col_text(st, 5));
		out->actor.role = role_parse(role);
		totp = db_col_int(st, 6) != 0;
	}
	db_done(st);
	copy(out->actor.client_addr, sizeof out->actor.client_addr, addr);
	now = time_now_ms();
	if (locked_until > now) {
		out->retry_after_s = (locked_until - now + 999) / 1000;
		memset(&out->actor, 0, sizeof out->actor);
		crypto_wipe(hash, sizeof hash);
		if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			return e;
		if ((e = audit_sign_in(db, found ? staff_id : NULL,
		    found ? role : NULL, addr, "sign_in", "denied",
		    "backing off")) != ERR_OK) {
			db_rollback(db);
			return e;
		}
		if ((e = db_commit(db)) != ERR_OK)
			return e;
		return ERR_RATE_LIMITED;
	}
	/* Hash outside any transaction: it is slow and must not hold the
	 * write lock. Unknown accounts cost the same time. */
	ok = password_verify(found ? hash : NULL, password);
	crypto_wipe(hash, sizeof hash);
	if (!found || !ok || disabled || out->actor.role == ROLE__COUNT) {
		e = record_failure(db, key, found ? staff_id : NULL,
		    found ? role : NULL, addr, !found ? "unknown account" :
		    disabled && ok ? "disabled" : "wrong password");
		memset(&out->actor, 0, sizeof out->actor);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	if (totp) {
		/* The failures counted so far stand until the second step
		 * succeeds, so a known password cannot reset the count
		 * between guesses at codes. */
		if ((e = create_challenge(db, out, addr)) != ERR_OK) {
			crypto_wipe(out, sizeof *out);
			return e;
		}
		return ERR_OK;
	}
	if ((e = create_session(db, out, addr)) != ERR_OK) {
		crypto_wipe(out->token, sizeof out->token);
		return e;
	}
	out->actor.idle_timeout_s = config.idle_ms / 1000;
	return ERR_OK;
}

/* Ends a challenge that can no longer be answered; audits why. */
static enum err
challenge_ended(struct db *db, const char *hash, const char *staff_id,
    const char *role, const char *addr, const char *why)
{
	struct db_stmt *st = NULL;
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db,
	    "DELETE FROM signin_challenge WHERE token_hash = $1", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = audit_sign_in(db, staff_id, role, addr, "sign_in", "failure",
	    why)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		return e;
	return ERR_UNAUTHENTICATED;
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

enum err
auth_second_factor(struct db *db, const char *challenge, const char *code,
    const char *recovery_code, const char *addr, struct sign_in *out)
{
	struct db_stmt *st = NULL;
	char hash[65], role[16] = "", staff_id[37] = "", key[65];
	const char *why = "wrong code";
	int64_t now = time_now_ms(), expires = 0, attempts = 0, changed = 0;
	int row, found, disabled = 0, totp = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	if (challenge == NULL || strlen(challenge) != 43)
		return challenge_ended(db, "", NULL, NULL, addr,
		    "unknown challenge");
	crypto_sha256_hex(challenge, 43, hash);
	if ((e = db_prepare(db,
	    "SELECT c.staff_id, c.expires_at, c.attempts, s.username,"
	    " s.display_name, s.role, s.disabled,"
	    " CASE WHEN s.totp_enabled_at IS NULL THEN 0 ELSE 1 END"
	    " FROM signin_challenge c JOIN staff s ON s.id = c.staff_id"
	    " WHERE c.token_hash = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, hash);
	if ((e = db_step(st, &row)) != ERR_OK) {
		db_done(st);
		return e;
	}
	if ((found = row) != 0) {
		copy(staff_id, sizeof staff_id, db_col_text(st, 0));
		expires = db_col_int(st, 1);
		attempts = db_col_int(st, 2);
		copy(out->actor.username, sizeof out->actor.username,
		    db_col_text(st, 3));
		copy(out->actor.display_name, sizeof out->actor.display_name,
		    db_col_text(st, 4));
		copy(role, sizeof role, db_col_text(st, 5));
		disabled = db_col_int(st, 6) != 0;
		totp = db_col_int(st, 7) != 0;
	}
	db_done(st);
	if (!found || now >= expires || attempts >= AUTH_CHALLENGE_TRIES ||
	    disabled || !totp || role_parse(role) == ROLE__COUNT) {
		memset(&out->actor, 0, sizeof out->actor);
		return challenge_ended(db, hash, found ? staff_id : NULL,
		    found ? role : NULL, addr, !found ? "unknown challenge" :
		    now >= expires ? "challenge expired" :
		    attempts >= AUTH_CHALLENGE_TRIES ? "challenge used up" :
		    disabled ? "disabled" : "two-step sign-in off");
	}
	copy(out->actor.id, sizeof out->actor.id, staff_id);
	copy(out->actor.client_addr, sizeof out->actor.client_addr, addr);
	out->actor.role = role_parse(role);
	/* Backing off or locked: refused without looking at the code, and
	 * without spending a try. */
	if ((e = auth_throttled(db, out->actor.username, &out->retry_after_s))
	    != ERR_OK) {
		if (e == ERR_RATE_LIMITED && (e = db_begin(db, DB_TX_WRITE)) ==
		    ERR_OK) {
			if ((e = audit_sign_in(db, staff_id, role, addr,
			    "sign_in", "denied", "backing off")) == ERR_OK)
				e = db_commit(db);
			else
				db_rollback(db);
			if (e == ERR_OK)
				e = ERR_RATE_LIMITED;
		}
		out->tries_left = AUTH_CHALLENGE_TRIES - (int)attempts;
		memset(&out->actor, 0, sizeof out->actor);
		return e;
	}
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	/* Each answer spends a try first, whichever process takes it. */
	if ((e = db_prepare(db,
	    "UPDATE signin_challenge SET attempts = attempts + 1"
	    " WHERE token_hash = $1 AND attempts < $2 AND expires_at > $3",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, AUTH_CHALLENGE_TRIES);
	db_bind_int(st, 3, now);
	if ((e = db_run(st, &changed)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if (changed != 1) {
		db_rollback(db);
		memset(&out->actor, 0, sizeof out->actor);
		return challenge_ended(db, hash, staff_id, role, addr,
		    "challenge used up");
	}
	attempts++;
	e = twofactor_spend(db, staff_id, code, recovery_code, &why);
	if (e == ERR_OK) {
		if ((e = db_prepare(db,
		    "DELETE FROM signin_challenge WHERE token_hash = $1",
		    &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, hash);
		if ((e = db_run(st, NULL)) != ERR_OK)
			goto fail;
		db_done(st);
		st = NULL;
		if ((e = session_insert(db, out, addr, recovery_code ?
		    "recovery code" : "code")) != ERR_OK)
			goto fail;
		if ((e = db_commit(db)) != ERR_OK)
			goto out;
		out->actor.idle_timeout_s = config.idle_ms / 1000;
		return ERR_OK;
	}
	if (e != ERR_RULE)
		goto fail;
	/* A wrong code counts as a failed sign-in; the try stays spent. */
	throttle_key(out->actor.username, key);
	if ((e = record_failure_tx(db, key, &out->actor, "session", "sign_in",
	    why)) != ERR_OK)
		goto fail;
	if (attempts >= AUTH_CHALLENGE_TRIES) {
		if ((e = db_prepare(db,
		    "DELETE FROM signin_challenge WHERE token_hash = $1",
		    &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, hash);
		if ((e = db_run(st, NULL)) != ERR_OK)
			goto fail;
		db_done(st);
		st = NULL;
	}
	if ((e = db_commit(db)) != ERR_OK)
		goto out;
	memset(&out->actor, 0, sizeof out->actor);
	out->tries_left = AUTH_CHALLENGE_TRIES - (int)attempts;
	return ERR_UNAUTHENTICATED;
fail:
	db_done(st);
	db_rollback(db);
out:
	crypto_wipe(out->token, sizeof out->token);
	memset(&out->actor, 0, sizeof out->actor);
	return e;
}

static enum err
end_session(struct db *db, const char *hash, const char *staff_id,
    const char *role, const char *addr, const char *outcome,
    const char *detail)
{
	struct db_stmt *st = NULL;
	enum err e;
	int64_t n = 0;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "DELETE FROM session WHERE token_hash = $1",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, hash);
	if ((e = db_run(st, &n)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	/* Another request may have ended it first; audit it once. */
	if (n > 0 && (e = audit_sign_in(db, staff_id, role, addr, "sign_out",
	    outcome, detail)) != ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

enum err
auth_resolve(struct db *db, const char *token, const char *addr,
    struct actor *out)
{
	struct db_stmt *st = NULL;
	char hash[65], role[16], where[sizeof out->client_addr];
	int64_t now = time_now_ms(), last_seen, expires, touch;
	int row, disabled;
	enum err e;

	/* addr may point into out (the request's actor): keep it first. */
	copy(where, sizeof where, addr);
	addr = where;
	memset(out, 0, sizeof *out);
	if (token == NULL || strlen(token) != 43)
		return ERR_UNAUTHENTICATED;
	crypto_sha256_hex(token, 43, hash);
	if ((e = db_prepare(db,
	    "SELECT s.staff_id, s.csrf_token, s.last_seen_at, s.expires_at,"
	    " t.username, t.display_name, t.role, t.disabled,"
	    " CASE WHEN t.totp_enabled_at IS NULL THEN 0 ELSE 1 END,"
	    " (SELECT count(*) FROM setting g WHERE g.name = $2"
	    "  AND g.value = 'true')"
	    " FROM session s JOIN staff t ON t.id = s.staff_id"
	    " WHERE s.token_hash = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, TWOFACTOR_SETTING);
	if ((e = db_step(st, &row)) != ERR_OK || !row) {
		db_done(st);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	copy(out->id, sizeof out->id, db_col_text(st, 0));
	copy(out->csrf_token, sizeof out->csrf_token, db_col_text(st, 1));
	last_seen = db_col_int(st, 2);
	expires = db_col_int(st, 3);
	copy(out->username, sizeof out->username, db_col_text(st, 4));
	copy(out->display_name, sizeof out->display_name, db_col_text(st, 5));
	copy(role, sizeof role, db_col_text(st, 6));
	disabled = db_col_int(st, 7) != 0;
	out->two_factor = db_col_int(st, 8) != 0;
	out->two_factor_missing = !out->two_factor && db_col_int(st, 9) > 0;
	db_done(st);
	copy(out->token_hash, sizeof out->token_hash, hash);
	copy(out->client_addr, sizeof out->client_addr, addr);
	out->role = role_parse(role);
	out->idle_timeout_s = config.idle_ms / 1000;
	/* The last use is written only every `touch` ms (below), so it may
	 * lag by that much: allow for it, so a session never ends before a
	 * full idle period has passed since its last request. */
	touch = touch_interval();
	if (disabled || out->role == ROLE__COUNT || now >= expires ||
	    now - last_seen > config.idle_ms + touch) {
		e = end_session(db, hash, out->id, role, addr, "expired",
		    disabled ? "disabled" : now >= expires ? "lifetime" :
		    "idle");
		memset(out, 0, sizeof *out);
		return e != ERR_OK ? e : ERR_UNAUTHENTICATED;
	}
	/* Touch the session now and then, not on every request. */
	if (now - last_seen >= touch) {
		if ((e = db_prepare(db,
		    "UPDATE session SET last_seen_at = $1 WHERE token_hash = $2",
		    &st)) != ERR_OK)
			return e;
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, hash);
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK)
			return e;
	}
	return auth_load_teams(db, out);
}

enum err
auth_sign_out(struct db *db, const struct actor *a)
{
	return end_session(db, a->token_hash, a->id, role_name(a->role),
	    a->client_addr[0] ? a->client_addr : NULL, "success", NULL);
}
