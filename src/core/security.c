#include "access/audit.h"
#include "access/policy.h"
#include "access/twofactor.h"
#include "core/rules.h"
#include "core/security.h"

enum err
security_get(struct db *db, const struct actor *a,
    struct security_settings *out)
{
	enum err e;

	out->require_two_factor = 0;
	if (!a->system && (e = policy_check(a, POL_STAFF_MANAGE, NULL)) !=
	    ERR_OK)
		return e;
	return twofactor_required(db, &out->require_two_factor);
}

enum err
security_set(struct db *db, const struct actor *a,
    const struct security_settings *in)
{
	enum err e;

	if (!a->system && (e = policy_check(a, POL_STAFF_MANAGE, NULL)) !=
	    ERR_OK) {
		audit_actor_alone(db, a, NULL, "setting", TWOFACTOR_SETTING,
		    "update", "denied", NULL);
		return e;
	}
	/* Requiring it of everyone before having it would leave the
	 * administrator's own session fenced in at once. */
	if (!a->system && in->require_two_factor && !a->two_factor)
		return ERR_CONFLICT;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = setting_set(db, TWOFACTOR_SETTING, in->require_two_factor ?
	    "true" : "false")) != ERR_OK ||
	    (e = audit_actor(db, a, NULL, "setting", TWOFACTOR_SETTING,
	    "update", "success", in->require_two_factor ? "on" : "off")) !=
	    ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}
