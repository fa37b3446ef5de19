#include <stddef.h>

#include "access/policy.h"

static int
works_rosters(const struct actor *a)
{
	return a->role == ROLE_PEER || a->role == ROLE_SUPERVISOR;
}

enum err
policy_check(const struct actor *a, enum policy_action act,
    const char *team_id)
{
	/* A person in the portal reaches only their own record, and only
	 * through record_policy(); nothing here is theirs. */
	if (a->role == ROLE_PERSON)
		return ERR_FORBIDDEN;
	switch (act) {
	case POL_PERSON_RECORDS:
		/* Asked before looking a record up, so roles without a roster
		 * cannot learn which ids exist. */
		return works_rosters(a) ? ERR_OK : ERR_FORBIDDEN;
	case POL_PERSON_READ:
	case POL_PERSON_UPDATE:
		/* Records are reached through a team's shared roster;
		 * administrators and privacy officers have no roster. */
		if (!works_rosters(a))
			return ERR_FORBIDDEN;
		return actor_in_team(a, team_id) ? ERR_OK : ERR_NOT_FOUND;
	case POL_PERSON_LIST:
	case POL_PERSON_CREATE:
		if (!works_rosters(a))
			return ERR_FORBIDDEN;
		if (team_id != NULL && !actor_in_team(a, team_id))
			return ERR_FORBIDDEN;
		return ERR_OK;
	case POL_PERSON_RESPOND:
		/* Staff change a record with POL_PERSON_UPDATE. */
		return ERR_FORBIDDEN;
	case POL_PERSON_MOVE:
		/* A supervisor may hand a person to any team; a peer only to
		 * a team they work in. */
		if (a->role == ROLE_SUPERVISOR)
			return ERR_OK;
		if (a->role == ROLE_PEER && actor_in_team(a, team_id))
			return ERR_OK;
		return ERR_FORBIDDEN;
	case POL_AUDIT_READ:
		return a->role == ROLE_PRIVACY ? ERR_OK : ERR_FORBIDDEN;
	case POL_STAFF_MANAGE:
	case POL_TEAM_MANAGE:
		return a->role == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN;
	case POL_STAFF_DIRECTORY:
		return ERR_OK;
	case POL_LANGUAGE_USE:
		/* Every member of staff writes, so every one is coached. */
		return ERR_OK;
	case POL_LANGUAGE_EDIT:
		return a->role == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN;
	case POL_SAFETY_ANSWER:
		/* The supervisors of the person's team answer a concern; the
		 * team's peer specialists see it but do not answer it. */
		if (!works_rosters(a))
			return ERR_FORBIDDEN;
		if (!actor_in_team(a, team_id))
			return ERR_NOT_FOUND;
		return a->role == ROLE_SUPERVISOR ? ERR_OK : ERR_FORBIDDEN;
	case POL_ENCRYPTION_STATUS:
		/* Key ids, counts and times: nothing of a record. The
		 * administrator keeps the key, the privacy officer
		 * answers for how records are protected. */
		return a->role == ROLE_ADMIN || a->role == ROLE_PRIVACY ?
		    ERR_OK : ERR_FORBIDDEN;
	case POL_RESOURCE_READ:
	case POL_RESOURCE_WRITE:
		/* Places in the community, nothing about a person: everyone
		 * who connects people with them, and the administrator who
		 * keeps the directory. The privacy officer has no part in
		 * it. */
		return a->role == ROLE_PRIVACY ? ERR_FORBIDDEN : ERR_OK;
	case POL_RESOURCE_IMPORT:
		return a->role == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN;
	case POL_REPORT_UNITS:
		/* Names and dates of service: the supervisors of the teams
		 * whose people they are. */
		if (a->role != ROLE_SUPERVISOR)
			return ERR_FORBIDDEN;
		return team_id == NULL || actor_in_team(a, team_id) ? ERR_OK :
		    ERR_FORBIDDEN;
	}
	return ERR_FORBIDDEN;
}
