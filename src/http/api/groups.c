/*
 * /api/v1/groups: peer groups, their rosters and sessions; thin handlers
 * over core/group.c. See docs/groups.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/group.h"
#include "core/group_rules.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "util/xalloc.h"

static const char *
curriculum_label(const char *code)
{
	const struct group_curriculum *c =
	    group_curriculum_find(&rules_get()->groups, code);

	return c ? c->label : NULL;
}

static json_t *
group_json(const struct group_rec *g, int full)
{
	json_t *j = json_object(), *a;
	int i;

	json_object_set_new(j, "id", json_string(g->id));
	json_object_set_new(j, "version", json_integer(g->version));
	json_object_set_new(j, "team", jstr_or_null(g->team));
	json_object_set_new(j, "name", jstr_or_null(g->name));
	json_object_set_new(j, "curriculum", jstr_or_null(g->curriculum));
	json_object_set_new(j, "curriculum_label",
	    jstr_or_null(curriculum_label(g->curriculum)));
	json_object_set_new(j, "description", jstr_or_null(g->description));
	json_object_set_new(j, "setting", jstr_or_null(g->setting));
	json_object_set_new(j, "location", jstr_or_null(g->location));
	json_object_set_new(j, "program", jstr_or_null(g->program));
	json_object_set_new(j, "max_size", g->max_size > 0 ?
	    json_integer(g->max_size) : json_null());
	json_object_set_new(j, "active", json_boolean(g->active));
	json_object_set_new(j, "member_count", json_integer(g->nmembers));
	json_object_set_new(j, "created_at", jtime(g->created_at));
	json_object_set_new(j, "updated_at", jtime(g->updated_at));
	if (!full)
		return j;
	a = json_array();
	for (i = 0; i < g->nmembers && g->members; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "person_id",
		    json_string(g->members[i].person_id));
		json_object_set_new(o, "name", jstr_or_null(g->members[i].name));
		json_object_set_new(o, "joined_at",
		    jtime(g->members[i].joined_at));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "members", a);
	a = json_array();
	for (i = 0; i < g->nsessions; i++) {
		const struct group_session_summary *s = &g->sessions[i];
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "version", json_integer(s->version));
		json_object_set_new(o, "started_at", jtime(s->started_at));
		json_object_set_new(o, "ended_at", jtime(s->ended_at));
		json_object_set_new(o, "topic", jstr_or_null(s->topic));
		json_object_set_new(o, "status", jstr_or_null(s->status));
		json_object_set_new(o, "author_name",
		    jstr_or_null(s->author_name));
		json_object_set_new(o, "present", json_integer(s->present));
		json_object_set_new(o, "listed", json_integer(s->listed));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "sessions", a);
	return j;
}

static json_t *
session_json(const struct group_session *s)
{
	json_t *j = json_object(), *a, *o, *g;
	int i, k;

	json_object_set_new(j, "id", json_string(s->id));
	json_object_set_new(j, "version", json_integer(s->version));
	json_object_set_new(j, "group_id", json_string(s->group_id));
	json_object_set_new(j, "group_name", jstr_or_null(s->group_name));
	json_object_set_new(j, "curriculum", jstr_or_null(s->curriculum));
	json_object_set_new(j, "curriculum_label",
	    jstr_or_null(curriculum_label(s->curriculum)));
	json_object_set_new(j, "started_at", jtime(s->started_at));
	json_object_set_new(j, "ended_at", jtime(s->ended_at));
	json_object_set_new(j, "minutes", json_integer(s->minutes));
	json_object_set_new(j, "topic", jstr_or_null(s->topic));
	json_object_set_new(j, "setting", jstr_or_null(s->setting));
	json_object_set_new(j, "location", jstr_or_null(s->location));
	json_object_set_new(j, "program", jstr_or_null(s->program));
	json_object_set_new(j, "narrative", jstr_or_null(s->narrative));
	json_object_set_new(j, "credential", jstr_or_null(s->credential));
	json_object_set_new(j, "status", jstr_or_null(s->status));
	json_object_set_new(j, "author_id", jstr_or_null(s->author_id));
	json_object_set_new(j, "author_name", jstr_or_null(s->author_name));
	json_object_set_new(j, "signed_at", jtime_or_null(s->signed_at));
	json_object_set_new(j, "created_at", jtime(s->created_at));
	json_object_set_new(j, "updated_at", jtime(s->updated_at));
	json_object_set_new(j, "present", json_integer(s->present));
	json_object_set_new(j, "size_limit", s->limit > 0 ?
	    json_integer(s->limit) : json_null());
	json_object_set_new(j, "group_max_size", s->max_size > 0 ?
	    json_integer(s->max_size) : json_null());
	json_object_set_new(j, "size_rule",
	    jstr_or_null(rules_get()->billing.group_rule));
	a = json_array();
	for (i = 0; i < s->nfacilitators; i++) {
		o = json_object();
		json_object_set_new(o, "staff_id",
		    json_string(s->facilitators[i].staff_id));
		json_object_set_new(o, "name",
		    jstr_or_null(s->facilitators[i].name));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "facilitators", a);
	a = json_array();
	for (i = 0; i < s->nattendees; i++) {
		const struct group_attendee *t = &s->attendees[i];
		int has = t->contact.type != NULL;

		o = json_object();
		json_object_set_new(o, "person_id", json_string(t->person_id));
		json_object_set_new(o, "name", jstr_or_null(t->name));
		json_object_set_new(o, "present", json_boolean(t->present));
		json_object_set_new(o, "note", jstr_or_null(t->note));
		json_object_set_new(o, "next_steps", jstr_or_null(t->next_steps));
		g = json_array();
		for (k = 0; k < t->ngoals; k++)
			json_array_append_new(g, json_string(t->goals[k]));
		json_object_set_new(o, "goals", g);
		json_object_set_new(o, "contact_id", t->contact_id[0] ?
		    json_string(t->contact_id) : json_null());
		json_object_set_new(o, "billing", has ?
		    contact_billing_json(&t->contact) : json_null());
		json_object_set_new(o, "missing", contact_missing_json(has &&
		    strcmp(s->status, "draft") == 0 ? t->contact.missing : 0));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "attendance", a);
	return j;
}

static void
group_reply(struct req *r, int status, struct group_rec *g)
{
	http_etag(r, g->version);
	http_json(r, status, group_json(g, 1));
	group_clear(g);
}

static void
session_reply(struct req *r, int status, struct group_session *s)
{
	http_etag(r, s->version);
	http_json(r, status, session_json(s));
	group_session_clear(s);
}

static void
group_input_from_json(json_t *o, struct group_input *in)
{
	static const struct {
		const char	*key;
		unsigned	 bit;
		size_t		 off;
	} f[] = {
		{ "team", GF_TEAM, offsetof(struct group_input, team) },
		{ "name", GF_NAME, offsetof(struct group_input, name) },
		{ "curriculum", GF_CURRICULUM,
		    offsetof(struct group_input, curriculum) },
		{ "description", GF_DESCRIPTION,
		    offsetof(struct group_input, description) },
		{ "setting", GF_SETTING, offsetof(struct group_input, setting) },
		{ "location", GF_LOCATION,
		    offsetof(struct group_input, location) },
		{ "program", GF_PROGRAM, offsetof(struct group_input, program) },
	};
	json_t *m;
	size_t i;

	memset(in, 0, sizeof *in);
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!jhas(o, f[i].key))
			continue;
		in->set |= f[i].bit;
		*(const char **)(void *)((char *)in + f[i].off) =
		    jstr(o, f[i].key);
	}
	if ((m = json_object_get(o, "max_size")) != NULL) {
		json_int_t v = json_integer_value(m);

		in->set |= GF_MAX_SIZE;
		/* null: no limit; out of range is core's to refuse */
		in->max_size = json_is_null(m) ? 0 : (v < 1 || v > 100000) ?
		    -1 : (int)v;
	}
	if (json_object_get(o, "active") != NULL) {
		in->set |= GF_ACTIVE;
		in->active = json_is_true(json_object_get(o, "active"));
	}
}

static const char **
strings_of(json_t *arr)
{
	const char **s = xcalloc(json_array_size(arr) + 1, sizeof *s);
	size_t i;

	for (i = 0; i < json_array_size(arr); i++)
		s[i] = json_string_value(json_array_get(arr, i));
	return s;
}

static void
session_input_from_json(json_t *o, struct group_session_input *in)
{
	static const struct {
		const char	*key;
		unsigned	 bit;
		size_t		 off;
	} f[] = {
		{ "started_at", GS_STARTED_AT,
		    offsetof(struct group_session_input, started_at) },
		{ "ended_at", GS_ENDED_AT,
		    offsetof(struct group_session_input, ended_at) },
		{ "topic", GS_TOPIC, offsetof(struct group_session_input,
		    topic) },
		{ "setting", GS_SETTING,
		    offsetof(struct group_session_input, setting) },
		{ "location", GS_LOCATION,
		    offsetof(struct group_session_input, location) },
		{ "program", GS_PROGRAM,
		    offsetof(struct group_session_input, program) },
		{ "narrative", GS_NARRATIVE,
		    offsetof(struct group_session_input, narrative) },
		{ "credential", GS_CREDENTIAL,
		    offsetof(struct group_session_input, credential) },
	};
	struct group_attendance_input *x;
	json_t *arr;
	size_t i;

	memset(in, 0, sizeof *in);
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!jhas(o, f[i].key))
			continue;
		in->set |= f[i].bit;
		*(const char **)(void *)((char *)in + f[i].off) =
		    jstr(o, f[i].key);
	}
	if ((arr = json_object_get(o, "facilitators")) != NULL) {
		in->set |= GS_FACILITATORS;
		in->facilitators = strings_of(arr);
		in->nfacilitators = (int)json_array_size(arr);
	}
	if ((arr = json_object_get(o, "attendance")) == NULL)
		return;
	in->set |= GS_ATTENDANCE;
	in->nattendance = (int)json_array_size(arr);
	x = xcalloc(json_array_size(arr) + 1, sizeof *x);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i), *g;

		x[i].person_id = jstr(e, "person_id");
		x[i].present = json_is_true(json_object_get(e, "present"));
		x[i].note = jstr(e, "note");
		x[i].next_steps = jstr(e, "next_steps");
		if ((g = json_object_get(e, "goals")) != NULL) {
			x[i].goals = strings_of(g);
			x[i].ngoals = (int)json_array_size(g);
		}
	}
	in->attendance = x;
}

static void
session_input_free(struct group_session_input *in)
{
	int i;

	free((void *)(uintptr_t)in->facilitators);
	for (i = 0; i < in->nattendance; i++)
		free((void *)(uintptr_t)in->attendance[i].goals);
	free((void *)(uintptr_t)in->attendance);
}

enum err
api_groups_list(struct req *r)
{
	static const char *const allowed[] = { "team", "all", NULL };
	struct group_rec *g = NULL;
	struct verr v;
	const char *team, *all;
	json_t *j, *items;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	team = http_query(r, "team");
	if (team != NULL && *team == '\0')
		team = NULL;
	all = http_query(r, "all");
	if (all != NULL && strcmp(all, "true") != 0 &&
	    strcmp(all, "false") != 0)
		verr_add(&v, "all", "must be true or false");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = group_list(r->db, &r->actor, team, all != NULL &&
	    strcmp(all, "true") == 0, &v, &g, &n);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, group_json(&g[i], 0));
	groups_free(g, n);
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_groups_create(struct req *r)
{
	struct group_input in;
	struct group_rec g;
	struct verr v;
	char loc[80];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_group, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	group_input_from_json(r->json, &in);
	e = group_create(r->db, &r->actor, &in, &v, &g);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/groups/%s", g.id);
	http_header_out(r, "Location", loc);
	group_reply(r, 201, &g);
	return ERR_OK;
}

enum err
api_group_get(struct req *r)
{
	struct group_rec g;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = group_get(r->db, &r->actor, http_param(r, 0), &g)) != ERR_OK)
		return e;
	group_reply(r, 200, &g);
	return ERR_OK;
}

enum err
api_group_update(struct req *r)
{
	struct group_input in;
	struct group_rec g;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_group_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	group_input_from_json(r->json, &in);
	e = group_update(r->db, &r->actor, http_param(r, 0), want, &in, &v,
	    &g, &current);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	else if (e == ERR_STALE)
		http_problem_stale(r, current, want);
	if (e != ERR_OK)
		return e;
	group_reply(r, 200, &g);
	return ERR_OK;
}

enum err
api_group_member_add(struct req *r)
{
	struct group_rec g;
	struct verr v;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_group_member, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = group_member_add(r->db, &r->actor, http_param(r, 0),
	    jstr(r->json, "person_id"), &v, &g);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	if (e != ERR_OK)
		return e;
	group_reply(r, 200, &g);
	return ERR_OK;
}

enum err
api_group_member_remove(struct req *r)
{
	struct group_rec g;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = group_member_remove(r->db, &r->actor, http_param(r, 0),
	    http_param(r, 1), &g)) != ERR_OK)
		return e;
	group_reply(r, 200, &g);
	return ERR_OK;
}

enum err
api_group_session_create(struct req *r)
{
	struct group_session_input in;
	struct group_session s;
	struct verr v;
	char loc[160];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_group_session, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	session_input_from_json(r->json, &in);
	e = group_session_create(r->db, &r->actor, http_param(r, 0), &in, &v,
	    &s);
	session_input_free(&in);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/groups/%s/sessions/%s", s.group_id,
	    s.id);
	http_header_out(r, "Location", loc);
	session_reply(r, 201, &s);
	return ERR_OK;
}

enum err
api_group_session_get(struct req *r)
{
	struct group_session s;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = group_session_get(r->db, &r->actor, http_param(r, 0),
	    http_param(r, 1), &s)) != ERR_OK)
		return e;
	session_reply(r, 200, &s);
	return ERR_OK;
}

enum err
api_group_session_update(struct req *r)
{
	struct group_session_input in;
	struct group_session s;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_group_session_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	session_input_from_json(r->json, &in);
	e = group_session_update(r->db, &r->actor, http_param(r, 0),
	    http_param(r, 1), want, &in, &v, &s, &current);
	session_input_free(&in);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	else if (e == ERR_STALE)
		http_problem_stale(r, current, want);
	if (e != ERR_OK)
		return e;
	session_reply(r, 200, &s);
	return ERR_OK;
}

enum err
api_group_session_sign(struct req *r)
{
	struct group_session s;
	struct verr v;
	const char *rule = NULL;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	e = group_session_sign(r->db, &r->actor, http_param(r, 0),
	    http_param(r, 1), want, &v, &rule, &s, &current);
	switch (e) {
	case ERR_OK:
		session_reply(r, 200, &s);
		break;
	case ERR_RULE:
		http_problem_rule(r, rule, &v);
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		break;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:already-signed",
		    "This session is signed already",
		    "Each attendee's note is in their record; corrections are "
		    "addenda to those notes.");
		break;
	default:
		break;
	}
	return e;
}
