#ifndef ACCESS_PORTAL_H
#define ACCESS_PORTAL_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Sign-in to the person's own portal. A member of staff issues a one-time
 * invitation code (core/portal.c); the person redeems it once, choosing a
 * sign-in name and a passphrase, and signs in with those afterwards. No
 * email address anywhere. Portal sessions are their own (table
 * portal_session, cookie alongside_portal), shorter than staff ones, and
 * resolve to an actor of ROLE_PERSON that the policy lets read only that
 * person's record.
 */

#define PORTAL_CODE_CHARS	12	/* of 31 symbols: 59 random bits */
#define PORTAL_CODE_MAX		16	/* XXXX-XXXX-XXXX and a NUL */
#define PORTAL_NAME_MIN		3
#define PORTAL_NAME_MAX		40
#define PORTAL_INVITE_MS	(7LL * 86400 * 1000)	/* a code lasts 7 days */

struct portal_sign_in {
	char		token[44];	/* the cookie value: wipe after use */
	struct actor	actor;		/* ROLE_PERSON, with the CSRF token */
	int64_t		expires_at;	/* the session's absolute end (ms) */
	int64_t		retry_after_s;	/* with ERR_RATE_LIMITED */
};

/* A new invitation code, formatted XXXX-XXXX-XXXX, and the SHA-256 of its
 * twelve characters (what is stored). */
void portal_code_new(char code[PORTAL_CODE_MAX], char hash[65]);

/* The hash of a code as typed (any case, spaces and dashes ignored); 0
 * when it cannot be a code. */
int portal_code_hash(const char *typed, char hash[65]);

/* A sign-in name as stored (lowercase) into out; adds a field error to v
 * (field "sign_in_name") when it is not 3-40 of a-z 0-9 . - _ . */
void portal_name_check(const char *typed, char out[PORTAL_NAME_MAX + 1],
    struct verr *v);

/*
 * Redeems an invitation: sets the sign-in name and passphrase and starts
 * a session. ERR_INVALID with field errors; ERR_UNAUTHENTICATED for a
 * code that is wrong, used, expired or whose access has ended (one answer
 * for each); ERR_CONFLICT when another account has the name (v names it);
 * ERR_RATE_LIMITED while wrong codes from this address back off.
 */
enum err portal_activate(struct db *db, const char *code, const char *name,
    const char *passphrase, const char *client_addr, struct verr *v,
    struct portal_sign_in *out);

/* Signs in with name and passphrase. ERR_UNAUTHENTICATED for a wrong
 * name or passphrase or ended access (the same answer); ERR_RATE_LIMITED
 * while backing off or locked. Every attempt is audited. */
enum err portal_sign_in(struct db *db, const char *name,
    const char *passphrase, const char *client_addr,
    struct portal_sign_in *out);

/* Resolves a portal session token to its person, enforcing the idle and
 * absolute limits. ERR_UNAUTHENTICATED when there is no live session. */
enum err portal_resolve(struct db *db, const char *token,
    const char *client_addr, struct actor *out, int64_t *expires_at);

/* Ends the person's session. */
enum err portal_sign_out(struct db *db, const struct actor *a);

/* Inside the caller's write transaction: ends every session of the
 * account (a new invitation, ended access). */
enum err portal_end_sessions(struct db *db, const char *account_id);

#endif
