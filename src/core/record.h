#ifndef CORE_RECORD_H
#define CORE_RECORD_H

#include "access/actor.h"
#include "access/policy.h"
#include "store/db.h"
#include "util/err.h"

/*
 * Steps every core function on a person's record shares: refusing roles
 * without a roster before any lookup, and recording a refusal.
 */

/*
 * ERR_OK when the actor's role works with people's records at all.
 * Otherwise the attempt is audited (with object_id when it is a valid id,
 * and person_id likewise) and the policy's error returned, before any
 * lookup, so the answer does not depend on whether the id exists.
 */
enum err record_allowed(struct db *db, const struct actor *a,
    const char *object, const char *person_id, const char *object_id,
    const char *action);

/* Rolls back, records the denial in a transaction of its own and hands e
 * on. */
enum err record_deny(struct db *db, const struct actor *a,
    const char *person_id, const char *object, const char *object_id,
    const char *action, enum err e);

/*
 * The access policy for act (POL_PERSON_READ or POL_PERSON_UPDATE) on the
 * record of person_id, held by team_id: the policy's answer, or ERR_OK
 * when the actor is not on the team but a break-glass grant in force opens
 * this one record. A person in the portal (ROLE_PERSON) may read their
 * own record and respond in it (POL_PERSON_RESPOND), and nothing else:
 * ERR_NOT_FOUND for any other.
 */
enum err record_policy(const struct actor *a, enum policy_action act,
    const char *team_id, const char *person_id);

/* The team whose roster holds the person; ERR_NOT_FOUND when there is no
 * such person. No policy check: callers ask the policy with it. */
enum err record_person_team(struct db *db, const char *person_id,
    char team_id[37]);

#endif
