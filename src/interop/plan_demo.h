#ifndef INTEROP_PLAN_DEMO_H
#define INTEROP_PLAN_DEMO_H

#include <stddef.h>

#include "store/db.h"
#include "util/err.h"

/*
 * Adds plans to the demo organisation (after demo_fill()): for up to
 * per_team active people on each team, a signed recovery plan, and for
 * some a signed crisis plan, a community integration plan with a year of
 * peer contacts, and a draft advance directive. The first of team
 * north's gets a portal account with the sign-in name DEMO_PORTAL_NAME and
 * the passphrase portal_passphrase; their preferred name goes into
 * portal_person (n bytes).
 */
#define DEMO_PORTAL_NAME	"demo.person"

enum err plan_demo_fill(struct db *db, int per_team,
    const char *portal_passphrase, char *portal_person, size_t n);

#endif
