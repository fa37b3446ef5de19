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
};

/* The defaults above. */
void auth_config_default(struct auth_config *c);
/* Sets the configuration; call before threads start. */
void auth_configure(const struct auth_config *c);
const struct auth_config *auth_current(void);

struct sign_in {
	char		token[44];	/* the cookie value: wipe after use */
	struct actor	actor;		/* includes the CSRF token */
	int64_t		retry_after_s;	/* with ERR_RATE_LIMITED */
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

/* Ends the actor's session. */
enum err auth_sign_out(struct db *db, const struct actor *a);

/* Fills a's teams from the database (a->id set). */
enum err auth_load_teams(struct db *db, struct actor *a);

#endif
