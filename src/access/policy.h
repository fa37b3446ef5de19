#ifndef ACCESS_POLICY_H
#define ACCESS_POLICY_H

#include "access/actor.h"
#include "util/err.h"

/*
 * The access policy: the one place that decides who may do what. Every
 * core function asks it before touching a record. See
 * docs/internals/access.md for the table.
 */

enum policy_action {
	POL_PERSON_RECORDS,	/* work with people's records at all (any team) */
	POL_PERSON_LIST,	/* see a team's roster */
	POL_PERSON_CREATE,	/* add a person to a team */
	POL_PERSON_READ,	/* read a person's record */
	POL_PERSON_RESPOND,	/* the person: comment, suggest plan changes */
	POL_PERSON_UPDATE,	/* change a person's record, enroll, discharge */
	POL_PERSON_MOVE,	/* move a person into another team */
	POL_AUDIT_READ,		/* read the audit log */
	POL_STAFF_MANAGE,	/* add, change and disable accounts */
	POL_TEAM_MANAGE,	/* add and rename teams */
	POL_STAFF_DIRECTORY,	/* see colleagues' names and roles */
	POL_LANGUAGE_USE,	/* check text, read the language dictionary */
	POL_LANGUAGE_EDIT,	/* replace the language dictionary */
	POL_REPORT_UNITS,	/* a team's billing units, person by person */
	POL_SAFETY_ANSWER,	/* acknowledge and close a safety concern */
	POL_ENCRYPTION_STATUS,	/* which keys seal the records, rotations */
	POL_RESOURCE_READ,	/* search and read the resource directory */
	POL_RESOURCE_WRITE,	/* add, change and verify resources */
	POL_RESOURCE_IMPORT,	/* import an HSDS package into the directory */
};

/*
 * ERR_OK when a may do act; for a person's record team_id is the team
 * whose roster holds it. ERR_NOT_FOUND when the actor may not even know
 * the record exists (another team's person); ERR_FORBIDDEN otherwise.
 */
enum err policy_check(const struct actor *a, enum policy_action act,
    const char *team_id);

#endif
