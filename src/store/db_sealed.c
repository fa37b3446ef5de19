/*
 * Sealed columns: the free text of records, kept encrypted (util/seal.h)
 * in columns of type TEXT on both backends. This table lists every one;
 * core modules bind and read them only through db_bind_sealed() and
 * db_col_unsealed(), and key rotation (core/encryption.c) walks them.
 * Names of people, codes, dates and ids stay clear: search, matching and
 * ordering need them. docs/data-model.md says why for each table.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db_backend.h"
#include "util/log.h"
#include "util/seal.h"

static const struct db_sealed_column sealed[] = {
	{ "contact.location", "contact", "location", "id", NULL, 0 },
	{ "contact.intervention", "contact", "intervention", "id", NULL, 0 },
	{ "contact.response", "contact", "response", "id", NULL, 0 },
	{ "contact.next_steps", "contact", "next_steps", "id", NULL, 0 },
	{ "contact_addendum.body", "contact_addendum", "body", "id", NULL, 0 },
	{ "contact_comment.body", "contact_comment", "body", "id", NULL, 0 },
	{ "person_contact.note", "person_contact", "note", "id", NULL, 0 },
	{ "plan.title", "plan", "title", "id", NULL, 0 },
	{ "plan_version.content", "plan_version", "content", "plan_id", "n",
	    1 },
	{ "plan_progress.note", "plan_progress", "note", "id", NULL, 0 },
	{ "plan_proposal.content", "plan_proposal", "content", "id", NULL, 0 },
	{ "plan_proposal.note", "plan_proposal", "note", "id", NULL, 0 },
	{ "plan_proposal.reason", "plan_proposal", "reason", "id", NULL, 0 },
	{ "safety_concern.what", "safety_concern", "what", "id", NULL, 0 },
	{ "safety_concern.outcome", "safety_concern", "outcome", "id", NULL,
	    0 },
	{ "safety_step.note", "safety_step", "note", "id", NULL, 0 },
	{ "group_session.topic", "group_session", "topic", "id", NULL, 0 },
	{ "group_session.location", "group_session", "location", "id", NULL,
	    0 },
	{ "group_session.narrative", "group_session", "narrative", "id", NULL,
	    0 },
	{ "group_attendance.note", "group_attendance", "note", "session_id",
	    "person_id", 0 },
	{ "group_attendance.next_steps", "group_attendance", "next_steps",
	    "session_id", "person_id", 0 },
	{ "consent.information", "consent", "information", "id", NULL, 0 },
	{ "consent.purpose_text", "consent", "purpose_text", "id", NULL, 0 },
	{ "consent.revocation_note", "consent", "revocation_note", "id", NULL,
	    0 },
	{ "disclosure.information", "disclosure", "information", "id", NULL,
	    0 },
	{ "disclosure.emergency_nature", "disclosure", "emergency_nature",
	    "id", NULL, 0 },
	{ "break_glass.reason", "break_glass", "reason", "id", NULL, 0 },
	{ "referral.reason", "referral", "reason", "id", NULL, 0 },
	{ "referral.outcome", "referral", "outcome", "id", NULL, 0 },
	{ "referral_event.note", "referral_event", "note", "id", NULL, 0 },
	{ "inpatient_stay.facility", "inpatient_stay", "facility", "id", NULL,
	    0 },
	{ "break_glass.review_note", "break_glass", "review_note", "id", NULL,
	    0 },
	{ "staff.totp_secret", "staff", "totp_secret", "id", NULL, 0 },
	{ "staff.totp_pending", "staff", "totp_pending", "id", NULL, 0 },
};

#define NSEALED (sizeof sealed / sizeof sealed[0])

const struct db_sealed_column *
db_sealed_columns(int *n)
{
	*n = (int)NSEALED;
	return sealed;
}

/* 1 when column is a sealed column: a name not in the table is a bug,
 * and its values would be missed by key rotation. */
static int
known(const char *column)
{
	size_t i;

	for (i = 0; column != NULL && i < NSEALED; i++)
		if (strcmp(sealed[i].name, column) == 0)
			return 1;
	log_error("seal: %s is not a sealed column", column ? column : "?");
	return 0;
}

enum err
db_bind_sealed(struct db_stmt *st, int i, const char *column,
    const char *plain)
{
	char *stored = NULL;
	enum err e;

	if (!known(column))
		e = ERR_INTERNAL;
	else if (plain == NULL)
		return db_bind_text(st, i, NULL);
	else
		e = seal_text(column, plain, &stored);
	if (e == ERR_OK)
		e = db_bind_text(st, i, stored);
	free(stored);
	if (e != ERR_OK) {
		log_error("seal: cannot seal a value for %s: %s", column,
		    err_str(e));
		if (st->bind_err == ERR_OK)
			st->bind_err = e;
	}
	return e;
}

char *
db_col_unsealed(struct db_stmt *st, int i, const char *column, enum err *e)
{
	const char *stored = db_col_text(st, i), *why = NULL;
	char *plain = NULL;
	enum err r;

	if (stored == NULL)
		return NULL;
	if (!known(column))
		r = ERR_INTERNAL;
	else
		r = seal_open(column, stored, &plain, &why);
	if (r == ERR_OK)
		return plain;
	log_error("seal: a value of %s does not open: %s", column,
	    why ? why : err_str(r));
	if (*e == ERR_OK)
		*e = ERR_DB;
	return NULL;
}

enum err
db_set_sealed(struct db *db, const char *sql, const char *column,
    const char *value, const char *id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_sealed(st, 1, column, value);
	db_bind_text(st, 2, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}
