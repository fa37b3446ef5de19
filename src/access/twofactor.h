#ifndef ACCESS_TWOFACTOR_H
#define ACCESS_TWOFACTOR_H

#include <stdint.h>

#include "access/actor.h"
#include "access/totp.h"
#include "store/db.h"
#include "util/err.h"

/*
 * Two-step sign-in for staff: a TOTP secret shared with an authenticator
 * app (access/totp.h), set up in two steps (start, then confirm with a
 * first code), and ten one-time recovery codes for a lost phone, of which
 * the database keeps only the SHA-256. The organisation may require it
 * (setting require_two_factor). Codes and secrets never reach the audit
 * log or the logs.
 */

#define TWOFACTOR_RECOVERY_CODES	10
#define TWOFACTOR_RECOVERY_CHARS	16	/* 80 random bits */
#define TWOFACTOR_RECOVERY_TEXT		20	/* "xxxx-xxxx-xxxx-xxxx" + NUL */
#define TWOFACTOR_SETTING		"require_two_factor"

struct twofactor_status {
	int	enabled;
	int	required;	/* by the organisation */
	int	pending;	/* started, not confirmed */
	int	recovery_left;	/* recovery codes not used yet */
};

/* A fresh set of recovery codes, as shown to their owner once. */
struct twofactor_codes {
	char	code[TWOFACTOR_RECOVERY_CODES][TWOFACTOR_RECOVERY_TEXT];
};

/* Whether the organisation requires two-step sign-in of all staff. */
enum err twofactor_required(struct db *db, int *required);

/* The state of staff_id's two-step sign-in. */
enum err twofactor_status(struct db *db, const char *staff_id,
    struct twofactor_status *out);

/*
 * Starts setting up two-step sign-in for the actor: a new secret, kept
 * pending (replacing one pending before) until twofactor_confirm().
 * ERR_CONFLICT when it is on already. Audited.
 */
enum err twofactor_start(struct db *db, const struct actor *a,
    char secret[TOTP_SECRET_B32]);

/*
 * Turns two-step sign-in on with a code from the pending secret, and makes
 * the first recovery codes (in out; wipe after showing them). ERR_CONFLICT
 * when nothing is pending; ERR_RULE for a wrong code. Audited.
 */
enum err twofactor_confirm(struct db *db, const struct actor *a,
    const char *code, struct twofactor_codes *out);

/*
 * Turns the actor's two-step sign-in off, proven with a code or a
 * recovery code (one of them NULL). ERR_FORBIDDEN when the organisation
 * requires it; ERR_CONFLICT when it is off; ERR_RULE for a wrong code,
 * which counts as a failed sign-in; ERR_RATE_LIMITED (*retry_after_s)
 * while the account backs off. Audited.
 */
enum err twofactor_disable(struct db *db, const struct actor *a,
    const char *code, const char *recovery_code, int64_t *retry_after_s);

/*
 * Replaces the actor's recovery codes with new ones (in out), proven as
 * for twofactor_disable(), with the same answers but ERR_FORBIDDEN.
 */
enum err twofactor_new_codes(struct db *db, const struct actor *a,
    const char *code, const char *recovery_code, int64_t *retry_after_s,
    struct twofactor_codes *out);

/*
 * An administrator turns two-step sign-in off for staff_id (a lost
 * phone): secret, pending secret, recovery codes and open sign-in
 * challenges go, and the account's sessions end. ERR_FORBIDDEN for
 * anyone but an administrator; ERR_NOT_FOUND for no such account;
 * ERR_CONFLICT for the administrator's own account (that needs a code,
 * twofactor_disable()). staff_id may be NULL (not an id: ERR_NOT_FOUND
 * after the policy's answer). Audited.
 */
enum err twofactor_reset(struct db *db, const struct actor *a,
    const char *staff_id);

/*
 * Inside the caller's write transaction: checks code (TOTP) or
 * recovery_code (the other NULL) for staff_id and spends it: a TOTP step
 * is good once (a later code of the same step or before is refused), a
 * recovery code once. ERR_OK when right; ERR_RULE when not, with *why
 * "wrong code", "replayed code" or "wrong recovery code" for the audit
 * log; ERR_CONFLICT when the account has two-step sign-in off.
 */
enum err twofactor_spend(struct db *db, const char *staff_id,
    const char *code, const char *recovery_code, const char **why);

#endif
