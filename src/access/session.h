#ifndef ACCESS_SESSION_H
#define ACCESS_SESSION_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"

/*
 * Sign-in, sessions and lock-out. A session is a 256-bit random token held
 * by the browser in a cookie; the database keeps only its SHA-256, so a
 * copy of the database does not let anyone in.
 */

struct auth_config {
	int64_t	idle_ms;	/* idle logoff (default 15 minutes) */
	int64_t	lifetime_ms;	/* absolute session lifetime (12 hours) */
	int	lock_after;	/* failures that lock the account (5) */
	int64_t	lock_ms;	/* how long a lock lasts (15 minutes) */
	/* The person's portal: shorter, for phones that are shared. */
	int64_t	portal_idle_ms;		/* 10 minutes */
	int64_t	portal_lifetime_ms;	/* 60 minutes */
};

/* The defaults above. */
void auth_config_default(struct auth_config *c);
/* Sets the configuration; call before threads start. */
void auth_configure(const struct auth_config *c);
const struct auth_config *auth_current(void);

#define AUTH_CHALLENGE_MS	(5 * 60 * 1000)	/* to answer the second step */
#define AUTH_CHALLENGE_TRIES	5	/* wrong codes before it ends */

struct sign_in {
	char		token[44];	/* the cookie value: wipe after use */
	struct actor	actor;		/* includes the CSRF token */
	int64_t		retry_after_s;	/* with ERR_RATE_LIMITED */
	/* ERR_OK with second_factor set: the password was right and the
	 * account has two-step sign-in, so there is no session yet, only a
	 * challenge (256 random bits; wipe after use) to answer with a code
	 * by challenge_expires (ms). */
	int		second_factor;
	char		challenge[44];
	int64_t		challenge_expires;
	/* ERR_UNAUTHENTICATED from auth_second_factor(): wrong tries the
	 * challenge still takes; 0 when it has ended (sign in again). */
	int		tries_left;
};

/*
 * Checks a username and password. ERR_OK with a new session in out;
 * ERR_UNAUTHENTICATED for a wrong name or password or a disabled account
 * (the same answer for each); ERR_RATE_LIMITED while backing off or
 * locked. Failures are counted per name typed, known or not, so names
 * cannot be told apart. Every attempt is audited.
 */
enum err auth_sign_in(struct db *db, const char *username,
    const char *password, const char *client_addr, struct sign_in *out);

/*
 * The second step of a sign-in: a code from the authenticator app (code)
 * or one of the account's recovery codes (recovery_code; the other NULL)
 * for a challenge from auth_sign_in(). ERR_OK with a new session in out,
 * the code or recovery code spent; ERR_UNAUTHENTICATED for a wrong,
 * replayed or spent code (out->tries_left > 0) or a challenge that has
 * expired, run out of tries or never was (tries_left 0); ERR_RATE_LIMITED
 * while the account backs off. Wrong codes count with wrong passwords
 * towards back-off and lock-out. Every attempt is audited, never a code.
 */
enum err auth_second_factor(struct db *db, const char *challenge,
    const char *code, const char *recovery_code, const char *client_addr,
    struct sign_in *out);

/*
 * ERR_RATE_LIMITED, with *retry_after_s, while failed sign-ins counted
 * against username make it wait or lock it; ERR_OK otherwise.
 */
enum err auth_throttled(struct db *db, const char *username,
    int64_t *retry_after_s);

/*
 * Counts a wrong code the signed-in actor typed (turning two-step sign-in
 * off, new recovery codes) against their username, exactly as a failed
 * sign-in, in a transaction of its own; audits object/action as a failure
 * with detail why (or "locked").
 */
enum err auth_count_failure(struct db *db, const struct actor *a,
    const char *object, const char *action, const char *why);

/*
 * Resolves a session token to its actor, enforcing idle logoff and the
 * absolute lifetime. ERR_UNAUTHENTICATED when there is no live session.
 */
enum err auth_resolve(struct db *db, const char *token,
    const char *client_addr, struct actor *out);

/*
 * Forgets the failed sign-ins counted against username, lifting a lock;
 * inside the caller's write transaction.
 */
enum err auth_clear_throttle(struct db *db, const char *username);

/*
 * Counts a failed attempt against key (any text: a name typed, "invite:"
 * and an address), exactly as a failed sign-in, in a transaction of its
 * own; audits object/action as a failure by who with detail why (or
 * "locked").
 */
enum err auth_record_failure(struct db *db, const char *key,
    const struct actor *who, const char *object, const char *action,
    const char *why);

/* Ends the actor's session. */
enum err auth_sign_out(struct db *db, const struct actor *a);

/* Fills a's teams from the database (a->id set). */
enum err auth_load_teams(struct db *db, struct actor *a);

#endif
