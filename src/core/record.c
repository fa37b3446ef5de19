#include <stddef.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/record.h"
#include "util/uuid.h"

enum err
record_allowed(struct db *db, const struct actor *a, const char *object,
    const char *person_id, const char *object_id, const char *action)
{
	enum err e;

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
