#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/record.h"
#include "util/uuid.h"

enum err
record_allowed(struct db *db, const struct actor *a, const char *object,
    const char *person_id, const char *object_id, const char *action)
{
	enum err e;

	/* A person in the portal: record_policy() answers once the record
	 * is found, and opens only their own. */
	if (a->role == ROLE_PERSON)
		return ERR_OK;
	if ((e = policy_check(a, POL_PERSON_RECORDS, NULL)) == ERR_OK)
		return ERR_OK;
	audit_actor_alone(db, a, uuid_valid(person_id) ? person_id : NULL,
	    object, uuid_valid(object_id) ? object_id : NULL, action,
	    "denied", NULL);
	return e;
}

enum err
record_deny(struct db *db, const struct actor *a, const char *person_id,
    const char *object, const char *object_id, const char *action,
    enum err e)
{
	db_rollback(db);
	audit_actor_alone(db, a, person_id, object, object_id, action,
	    "denied", NULL);
	return e;
}

enum err
record_person_team(struct db *db, const char *person_id, char team_id[37])
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT team_id FROM person WHERE id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			snprintf(team_id, 37, "%s", db_col_text(st, 0));
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

enum err
record_policy(const struct actor *a, enum policy_action act,
    const char *team_id, const char *person_id)
{
	enum err e;

	/* The person reads their own record and answers in it (comments,
	 * suggested plan changes); any other record does not exist for
	 * them. */
	if (a->role == ROLE_PERSON)
		return (act == POL_PERSON_READ || act == POL_PERSON_RESPOND) &&
		    a->person_id[0] != '\0' && person_id != NULL &&
		    strcmp(a->person_id, person_id) == 0 ? ERR_OK :
		    ERR_NOT_FOUND;
	e = policy_check(a, act, team_id);
	if (e == ERR_NOT_FOUND && (act == POL_PERSON_READ ||
	    act == POL_PERSON_UPDATE) && actor_glass(a, person_id))
		return ERR_OK;
	return e;
}
