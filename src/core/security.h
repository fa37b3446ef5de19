#ifndef CORE_SECURITY_H
#define CORE_SECURITY_H

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"

/* The organisation's security settings, kept in the setting table. */

struct security_settings {
	int	require_two_factor;	/* every member of staff */
};

/* The settings as they stand; administrators only (ERR_FORBIDDEN). */
enum err security_get(struct db *db, const struct actor *a,
    struct security_settings *out);

/*
 * Replaces the settings; administrators only (ERR_FORBIDDEN, audited).
 * ERR_CONFLICT when requiring two-step sign-in of everyone while the
 * administrator has not set up their own. Audited as setting
 * require_two_factor update, detail "on" or "off".
 */
enum err security_set(struct db *db, const struct actor *a,
    const struct security_settings *in);

#endif
