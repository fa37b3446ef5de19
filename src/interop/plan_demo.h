#ifndef INTEROP_PLAN_DEMO_H
#define INTEROP_PLAN_DEMO_H

#include "store/db.h"
#include "util/err.h"

/*
 * Adds plans to the demo organisation (after demo_fill()): for up to
 * per_team active people on each team, a signed recovery plan, and for
 * some a signed crisis plan, a community integration plan with a year of
 * peer contacts, and a draft advance directive.
 */
enum err plan_demo_fill(struct db *db, int per_team);

#endif
