/*
 * What a disclosure sends: the parts of a person's record its categories
 * name, as JSON. Demographics (names, date of birth, phone, language,
 * enrollment), the signed version in force of each plan, signed contact
 * notes, or only the dates and kinds of contact (attendance). Drafts never
 * leave. The caller has checked consent and recorded the disclosure.
 */
#include <stdlib.h>
#include <string.h>

#include "interop/record_export.h"
#include "util/timeutil.h"

static int
wants(const char *const *cats, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (cats[i] != NULL && strcmp(cats[i], code) == 0)
			return 1;
	return 0;
}

static json_t *
time_json(int64_t ms)
{
	char t[25];

	time_format_utc(ms, t);
	return json_string(t);
}

static json_t *
col_json(struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? json_null() :
	    json_string(db_col_text(st, i));
}

/* A sealed column opened, as JSON; *e set when it does not open. */
static json_t *
sealed_json(struct db_stmt *st, int i, const char *column, enum err *e)
{
	char *s = db_col_unsealed(st, i, column, e);
	json_t *j = s ? json_string(s) : json_null();

	free(s);
	return j;
}

static enum err
demographics(struct db *db, const char *person_id, json_t *out)
{
	struct db_stmt *st;
	json_t *p = json_object(), *eps = json_array();
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT preferred_name, legal_name, pronouns,"
	    " date_of_birth, phone, language, status FROM person"
	    " WHERE id = $1", &st)) != ERR_OK)
		goto out;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		json_object_set_new(p, "preferred_name", col_json(st, 0));
		json_object_set_new(p, "legal_name", col_json(st, 1));
		json_object_set_new(p, "pronouns", col_json(st, 2));
		json_object_set_new(p, "date_of_birth", col_json(st, 3));
		json_object_set_new(p, "phone", col_json(st, 4));
		json_object_set_new(p, "language", col_json(st, 5));
		json_object_set_new(p, "status", col_json(st, 6));
	}
	db_done(st);
	if (e != ERR_OK)
		goto out;
	if ((e = db_prepare(db, "SELECT intake_date, agreement_date,"
	    " discharge_date, discharge_reason FROM episode"
	    " WHERE person_id = $1 ORDER BY intake_date", &st)) != ERR_OK)
		goto out;
	db_bind_text(st, 1, person_id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		json_t *o = json_object();

		json_object_set_new(o, "intake_date", col_json(st, 0));
		json_object_set_new(o, "agreement_date", col_json(st, 1));
		json_object_set_new(o, "discharge_date", col_json(st, 2));
		json_object_set_new(o, "discharge_reason", col_json(st, 3));
		json_array_append_new(eps, o);
	}
	db_done(st);
	json_object_set_new(p, "episodes", json_incref(eps));
out:
	json_decref(eps);
	if (e == ERR_OK)
		json_object_set_new(out, "person", json_incref(p));
	json_decref(p);
	return e;
}

static enum err
plans(struct db *db, const char *person_id, json_t *out)
{
	struct db_stmt *st;
	json_t *a = json_array();
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT p.kind, p.title, v.n, v.signed_on,"
	    " v.content FROM plan p JOIN plan_version v ON v.plan_id = p.id"
	    " AND v.n = p.in_force WHERE p.person_id = $1 AND p.in_force > 0"
	    " ORDER BY p.kind, p.id", &st)) == ERR_OK) {
		db_bind_text(st, 1, person_id);
		while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK &&
		    row) {
			json_t *o = json_object(), *c;
			char *text;

			json_object_set_new(o, "kind", col_json(st, 0));
			json_object_set_new(o, "title", sealed_json(st, 1,
			    "plan.title", &e));
			json_object_set_new(o, "version",
			    json_integer(db_col_int(st, 2)));
			json_object_set_new(o, "signed_on", col_json(st, 3));
			text = db_col_unsealed(st, 4, "plan_version.content",
			    &e);
			c = text ? json_loads(text, 0, NULL) : NULL;
			free(text);
			json_object_set_new(o, "content", c ? c : json_null());
			json_array_append_new(a, o);
		}
		db_done(st);
	}
	if (e == ERR_OK)
		json_object_set_new(out, "plans", json_incref(a));
	json_decref(a);
	return e;
}

/* Signed contacts: with their notes, or (attendance) only when and what
 * kind. */
static enum err
contacts(struct db *db, const char *person_id, int notes, json_t *out)
{
	struct db_stmt *st;
	json_t *a = json_array();
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT c.service_date, c.type, c.minutes,"
	    " c.started_at, c.location, c.intervention, c.response,"
	    " c.next_steps, s.display_name, c.credential FROM contact c"
	    " JOIN staff s ON s.id = c.staff_id WHERE c.person_id = $1"
	    " AND c.status = 'signed' ORDER BY c.started_at, c.id", &st)) ==
	    ERR_OK) {
		db_bind_text(st, 1, person_id);
		while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK &&
		    row) {
			json_t *o = json_object();

			json_object_set_new(o, "service_date", col_json(st, 0));
			json_object_set_new(o, "type", col_json(st, 1));
			json_object_set_new(o, "minutes",
			    json_integer(db_col_int(st, 2)));
			if (notes) {
				json_object_set_new(o, "started_at",
				    time_json(db_col_int(st, 3)));
				json_object_set_new(o, "location",
				    sealed_json(st, 4, "contact.location", &e));
				json_object_set_new(o, "intervention",
				    sealed_json(st, 5, "contact.intervention",
				    &e));
				json_object_set_new(o, "response",
				    sealed_json(st, 6, "contact.response", &e));
				json_object_set_new(o, "next_steps",
				    sealed_json(st, 7, "contact.next_steps",
				    &e));
				json_object_set_new(o, "author",
				    col_json(st, 8));
				json_object_set_new(o, "credential",
				    col_json(st, 9));
			}
			json_array_append_new(a, o);
		}
		db_done(st);
	}
	if (e == ERR_OK)
		json_object_set_new(out, notes ? "notes" : "attendance",
		    json_incref(a));
	json_decref(a);
	return e;
}

enum err
record_export(struct db *db, const char *person_id,
    const char *const *categories, int n, json_t **out)
{
	json_t *j = json_object();
	enum err e;

	*out = NULL;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK) {
		json_decref(j);
		return e;
	}
	if (wants(categories, n, "demographics"))
		e = demographics(db, person_id, j);
	if (e == ERR_OK && wants(categories, n, "plans"))
		e = plans(db, person_id, j);
	if (e == ERR_OK && wants(categories, n, "notes"))
		e = contacts(db, person_id, 1, j);
	if (e == ERR_OK && wants(categories, n, "attendance") &&
	    !wants(categories, n, "notes"))
		e = contacts(db, person_id, 0, j);
	db_rollback(db);
	if (e != ERR_OK) {
		json_decref(j);
		return e;
	}
	*out = j;
	return ERR_OK;
}
