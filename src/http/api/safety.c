/*
 * /api/v1/safety-concerns and /api/v1/notifications: thin handlers over
 * core/safety.c. See docs/safety.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safety.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "util/parse.h"

static json_t *
concern_json(const struct safety_concern *c, int full)
{
	json_t *j = json_object(), *a, *p, *content;
	int i;

	json_object_set_new(j, "id", json_string(c->id));
	json_object_set_new(j, "version", json_integer(c->version));
	json_object_set_new(j, "person_id", json_string(c->person_id));
	json_object_set_new(j, "person_name", jstr_or_null(c->person_name));
	json_object_set_new(j, "contact_id", jstr_or_null(c->contact_id));
	json_object_set_new(j, "kind", jstr_or_null(c->kind));
	json_object_set_new(j, "what", jstr_or_null(c->what));
	json_object_set_new(j, "status", jstr_or_null(c->status));
	json_object_set_new(j, "level", json_integer(c->level));
	json_object_set_new(j, "raised_by", jstr_or_null(c->raised_by));
	json_object_set_new(j, "raised_by_name",
	    jstr_or_null(c->raised_by_name));
	json_object_set_new(j, "raised_at", jtime(c->raised_at));
	json_object_set_new(j, "escalate_at", jtime(c->escalate_at));
	json_object_set_new(j, "acknowledged_by",
	    jstr_or_null(c->acknowledged_by));
	json_object_set_new(j, "acknowledged_by_name",
	    jstr_or_null(c->acknowledged_by_name));
	json_object_set_new(j, "acknowledged_at",
	    jtime_or_null(c->acknowledged_at));
	json_object_set_new(j, "escalated_at", jtime_or_null(c->escalated_at));
	json_object_set_new(j, "closed_by", jstr_or_null(c->closed_by));
	json_object_set_new(j, "closed_by_name",
	    jstr_or_null(c->closed_by_name));
	json_object_set_new(j, "closed_at", jtime_or_null(c->closed_at));
	json_object_set_new(j, "outcome", jstr_or_null(c->outcome));
	json_object_set_new(j, "rules_version", jstr_or_null(c->rules_version));
	if (!full)
		return j;
	a = json_array();
	for (i = 0; i < c->nsteps; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(c->steps[i].id));
		json_object_set_new(o, "at", jtime(c->steps[i].at));
		json_object_set_new(o, "action",
		    jstr_or_null(c->steps[i].action));
		json_object_set_new(o, "actor_id",
		    jstr_or_null(c->steps[i].actor_id));
		json_object_set_new(o, "actor_name",
		    jstr_or_null(c->steps[i].actor_name));
		json_object_set_new(o, "note", jstr_or_null(c->steps[i].note));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "steps", a);
	if (c->plan_id == NULL) {
		json_object_set_new(j, "crisis_plan", json_null());
		return j;
	}
	p = json_object();
	json_object_set_new(p, "id", json_string(c->plan_id));
	json_object_set_new(p, "kind", jstr_or_null(c->plan_kind));
	json_object_set_new(p, "title", jstr_or_null(c->plan_title));
	json_object_set_new(p, "version", json_integer(c->plan_n));
	content = c->plan_content ? json_loads(c->plan_content, 0, NULL) :
	    NULL;
	json_object_set_new(p, "content", content ? content : json_null());
	json_object_set_new(j, "crisis_plan", p);
	return j;
}

static void
reply(struct req *r, int status, struct safety_concern *c)
{
	http_etag(r, c->version);
	http_json(r, status, concern_json(c, 1));
	safety_concern_clear(c);
}

/* The answer to a change that failed or succeeded. */
static enum err
answer(struct req *r, enum err e, struct verr *v, int status,
    struct safety_concern *c)
{
	switch (e) {
	case ERR_OK:
		reply(r, status, c);
		break;
	case ERR_INVALID:
		http_problem_fields(r, v);
		break;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:concern-answered",
		    "This concern has moved on",
		    "It is acknowledged or closed already; reload it to see "
		    "who answered.");
		break;
	default:
		break;
	}
	return e;
}

enum err
api_safety_create(struct req *r)
{
	struct safety_input in;
	struct safety_concern c;
	struct verr v;
	char loc[80];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_safety_concern, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	memset(&in, 0, sizeof in);
	in.person_id = jstr(r->json, "person_id");
	in.contact_id = jstr(r->json, "contact_id");
	in.kind = jstr(r->json, "kind");
	in.what = jstr(r->json, "what");
	e = safety_raise(r->db, &r->actor, &in, &v, &c);
	if (e == ERR_OK) {
		snprintf(loc, sizeof loc, "/api/v1/safety-concerns/%s", c.id);
		http_header_out(r, "Location", loc);
	}
	return answer(r, e, &v, 201, &c);
}

enum err
api_safety_list(struct req *r)
{
	static const char *const allowed[] = { NULL };
	struct safety_concern *c = NULL;
	struct verr v;
	json_t *j, *items;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if ((e = safety_list_open(r->db, &r->actor, &c, &n)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, concern_json(&c[i], 0));
	safety_concerns_free(c, n);
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_safety_get(struct req *r)
{
	struct safety_concern c;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = safety_get(r->db, &r->actor, http_param(r, 0), &c)) != ERR_OK)
		return e;
	reply(r, 200, &c);
	return ERR_OK;
}

enum err
api_safety_acknowledge(struct req *r)
{
	struct safety_concern c;
	struct verr v;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	return answer(r, safety_acknowledge(r->db, &r->actor, http_param(r, 0),
	    &v, &c), &v, 200, &c);
}

enum err
api_safety_step(struct req *r)
{
	struct safety_concern c;
	struct verr v;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_safety_step, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	return answer(r, safety_step_add(r->db, &r->actor, http_param(r, 0),
	    jstr(r->json, "action"), jstr(r->json, "note"), &v, &c), &v, 201,
	    &c);
}

enum err
api_safety_close(struct req *r)
{
	struct safety_concern c;
	struct verr v;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_safety_close, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	return answer(r, safety_close(r->db, &r->actor, http_param(r, 0),
	    jstr(r->json, "outcome"), &v, &c), &v, 200, &c);
}

enum err
api_notifications_list(struct req *r)
{
	static const char *const allowed[] = { "limit", NULL };
	struct notification *x = NULL;
	struct verr v;
	const char *limit;
	json_t *j, *items;
	int64_t lim = 50, unread = 0;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if ((limit = http_query(r, "limit")) != NULL &&
	    parse_int64(limit, 0, NOTIFY_LIST_MAX, &lim) != ERR_OK)
		verr_add(&v, "limit", "must be a whole number from 0 to 100");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if ((e = notification_list(r->db, &r->actor, (int)lim, &x, &n,
	    &unread)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(x[i].id));
		json_object_set_new(o, "kind", jstr_or_null(x[i].kind));
		json_object_set_new(o, "concern_id",
		    jstr_or_null(x[i].concern_id));
		json_object_set_new(o, "break_glass_id",
		    jstr_or_null(x[i].break_glass_id));
		json_object_set_new(o, "person_name",
		    jstr_or_null(x[i].person_name));
		json_object_set_new(o, "concern_kind",
		    jstr_or_null(x[i].concern_kind));
		json_object_set_new(o, "status", jstr_or_null(x[i].status));
		json_object_set_new(o, "created_at", jtime(x[i].created_at));
		json_object_set_new(o, "read_at", jtime_or_null(x[i].read_at));
		json_array_append_new(items, o);
	}
	notifications_free(x, n);
	json_object_set_new(j, "unread", json_integer(unread));
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_notification_read(struct req *r)
{
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = notification_read(r->db, &r->actor, http_param(r, 0))) !=
	    ERR_OK)
		return e;
	http_empty(r, 204);
	return ERR_OK;
}
