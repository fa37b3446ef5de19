#ifndef CORE_DEMO_H
#define CORE_DEMO_H

#include "store/db.h"
#include "util/err.h"

/*
 * A fictional organisation for trying Alongside out: teams north and
 * south, seven staff accounts sharing one password, and people we support
 * with generated names, contacts, links and episodes. Nothing here is
 * drawn from real people.
 */

struct demo_account {
	const char	*username;
	const char	*display_name;
	const char	*role;		/* as role_parse() reads it */
	const char	*team;		/* NULL for none */
};

/* The demo accounts; ends with a NULL username. */
extern const struct demo_account demo_accounts[];

/*
 * Fills db with the demo organisation and people people (spread over both
 * teams). ERR_CONFLICT when the teams already exist.
 */
enum err demo_fill(struct db *db, const char *password, int people);

#endif
