#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/staff.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "store/db.h"
#include "util/parse.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static json_t *
team_json(const struct team_rec *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(t->id));
	json_object_set_new(o, "version", json_integer(t->version));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "display_name", json_string(t->display_name));
	json_object_set_new(o, "created_at", jtime(t->created_at));
	return o;
}

/* An account; with_two_factor (for administrators) adds whether its
 * two-step sign-in is on. */
static json_t *
staff_json(const struct staff_rec *s, int with_two_factor)
{
	json_t *o = json_object(), *t = json_array();
	int i;

	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "username", json_string(s->username));
	json_object_set_new(o, "display_name", json_string(s->display_name));
	json_object_set_new(o, "role", json_string(role_name(s->role)));
	for (i = 0; i < s->nteams; i++)
		json_array_append_new(t, json_string(s->teams[i]));
	json_object_set_new(o, "teams", t);
	json_object_set_new(o, "disabled", json_boolean(s->disabled));
	if (with_two_factor)
		json_object_set_new(o, "two_factor",
		    json_boolean(s->two_factor));
	return o;
}

static json_t *
page(json_t *items, const char *next)
{
	json_t *j = json_object();

	json_object_set_new(j, "items", items);
	json_object_set_new(j, "next", next[0] ? json_string(next) :
	    json_null());
	return j;
}

/*
 * Reads limit (1..200, default 200) and after (an id) from the query,
 * answering for the handler when they are bad.
 */
static int
page_query(struct req *r, const char **after, int *limit)
{
	static const char *const allowed[] = { "limit", "after", NULL };
	const char *s;
	struct verr v;
	int64_t lim = 200;

	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if ((s = http_query(r, "limit")) != NULL &&
	    parse_int64(s, 1, 200, &lim) != ERR_OK)
		verr_add(&v, "limit", "must be a whole number from 1 to 200");
	*after = http_query(r, "after");
	if (*after && !uuid_valid(*after))
		verr_add(&v, "after", "is not a cursor from this list");
	if (v.n) {
		http_problem_fields(r, &v);
		return 0;
	}
	*limit = (int)lim;
	return 1;
}

static void
bad_cursor(struct req *r)
{
	struct verr v;

	verr_init(&v);
	verr_add(&v, "after", "is not a cursor from this list");
	http_problem_fields(r, &v);
}

enum err
api_teams_list(struct req *r)
{
	struct db *db = r->db;
	struct team_rec *t;
	const char *after;
	char next[37];
	json_t *items;
	int n, i, limit;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	if (!page_query(r, &after, &limit))
		return ERR_INVALID;
	e = team_list(db, &r->actor, after, limit, &t, &n, next);
	if (e == ERR_INVALID)
		bad_cursor(r);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, team_json(&t[i]));
	team_recs_free(t, n);
	http_json(r, 200, page(items, next));
	return ERR_OK;
}

enum err
api_teams_create(struct req *r)
{
	struct db *db = r->db;
	struct team_rec t;
	struct verr v;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_team, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = team_create(db, &r->actor, jstr(r->json, "name"),
	    jstr(r->json, "display_name"), &v, &t);
	if (e == ERR_INVALID || (e == ERR_CONFLICT && v.n)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (e != ERR_OK)
		return e;
	http_etag(r, t.version);
	http_json(r, 201, team_json(&t));
	free(t.name);
	free(t.display_name);
	return ERR_OK;
}

enum err
api_staff_list(struct req *r)
{
	struct db *db = r->db;
	struct staff_rec *s;
	const char *after;
	char next[37];
	json_t *items;
	int n, i, limit;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	if (!page_query(r, &after, &limit))
		return ERR_INVALID;
	e = staff_list(db, &r->actor, after, limit, &s, &n, next);
	if (e == ERR_INVALID)
		bad_cursor(r);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, staff_json(&s[i],
		    r->actor.role == ROLE_ADMIN));
	staff_recs_free(s, n);
	http_json(r, 200, page(items, next));
	return ERR_OK;
}

/* Fills in from the body; team names are borrowed into *names. */
static void
staff_input(json_t *o, struct staff_input *in, const char ***names)
{
	json_t *t;
	size_t i;

	memset(in, 0, sizeof *in);
	*names = NULL;
	if (jhas(o, "username")) {
		in->set |= STAFF_SET_USERNAME;
		in->username = jstr(o, "username");
	}
	if (jhas(o, "display_name")) {
		in->set |= STAFF_SET_DISPLAY_NAME;
		in->display_name = jstr(o, "display_name");
	}
	if (jhas(o, "role")) {
		in->set |= STAFF_SET_ROLE;
		in->role = role_parse(jstr(o, "role"));
	}
	if (jhas(o, "password")) {
		in->set |= STAFF_SET_PASSWORD;
		in->password = jstr(o, "password");
	}
	if (jhas(o, "disabled")) {
		in->set |= STAFF_SET_DISABLED;
		in->disabled = json_is_true(json_object_get(o, "disabled"));
	}
	if ((t = json_object_get(o, "teams")) != NULL) {
		size_t n = json_array_size(t);

		in->set |= STAFF_SET_TEAMS;
		*names = xcalloc(n ? n : 1, sizeof **names);
		for (i = 0; i < n; i++)
			(*names)[i] = json_string_value(json_array_get(t, i));
		in->teams = *names;
		in->nteams = (int)n;
	}
}

enum err
api_staff_create(struct req *r)
{
	struct db *db = r->db;
	struct staff_input in;
	struct staff_rec s;
	struct verr v;
	const char **names;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_staff_create, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	staff_input(r->json, &in, &names);
	e = staff_create(db, &r->actor, &in, &v, &s);
	free(names);
	if (e == ERR_INVALID || (e == ERR_CONFLICT && v.n)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (e != ERR_OK)
		return e;
	http_etag(r, s.version);
	http_json(r, 201, staff_json(&s, 1));
	staff_rec_clear(&s);
	return ERR_OK;
}

enum err
api_staff_update(struct req *r)
{
	struct db *db = r->db;
	struct staff_input in;
	struct staff_rec s;
	struct verr v;
	const char **names;
	int64_t want, current = 0;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_staff_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if ((e = http_if_match(r, &want)) != ERR_OK) {
		if (e == ERR_INVALID) {
			verr_add(&v, "If-Match", "must be the quoted version "
			    "from the ETag, such as \"3\"");
			http_problem_fields(r, &v);
		}
		return e;
	}
	staff_input(r->json, &in, &names);
	memset(&s, 0, sizeof s);
	e = staff_update(db, &r->actor, http_param(r, 0), want, &in, &v, &s,
	    &current);
	free(names);
	if (e == ERR_INVALID || (e == ERR_CONFLICT && v.n)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (e == ERR_STALE) {
		http_problem_stale(r, current, want);
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_etag(r, s.version);
	http_json(r, 200, staff_json(&s, 1));
	staff_rec_clear(&s);
	return ERR_OK;
}
