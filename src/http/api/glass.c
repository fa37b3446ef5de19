/*
 * Break-glass: opening one record outside the actor's teams, and the
 * privacy officers' reviews; thin handlers over core/glass.c. See
 * docs/security.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/glass.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"

static json_t *
glass_json(const struct glass_rec *g)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(g->id));
	json_object_set_new(j, "version", json_integer(g->version));
	json_object_set_new(j, "staff_id", json_string(g->staff_id));
	json_object_set_new(j, "staff_name", jstr_or_null(g->staff_name));
	json_object_set_new(j, "person_id", json_string(g->person_id));
	json_object_set_new(j, "reason", jstr_or_null(g->reason));
	json_object_set_new(j, "started_at", jtime(g->started_at));
	json_object_set_new(j, "expires_at", jtime(g->expires_at));
	json_object_set_new(j, "reviewed_by_name",
	    jstr_or_null(g->reviewed_by_name));
	json_object_set_new(j, "reviewed_at", jtime_or_null(g->reviewed_at));
	json_object_set_new(j, "review_outcome",
	    jstr_or_null(g->review_outcome));
	json_object_set_new(j, "review_note", jstr_or_null(g->review_note));
	return j;
}

enum err
api_glass_open(struct req *r)
{
	struct glass_rec g;
	struct verr v;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_break_glass, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = glass_open(r->db, &r->actor, http_param(r, 0),
	    jstr(r->json, "reason"), &v, &g);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	else if (e == ERR_CONFLICT)
		http_problem(r, 409, "urn:alongside:problem:no-glass-to-break",
		    "You can open this record already",
		    "The person is on one of your teams; break-glass is for "
		    "records outside them.");
	if (e != ERR_OK)
		return e;
	http_etag(r, g.version);
	http_json(r, 201, glass_json(&g));
	glass_clear(&g);
	return ERR_OK;
}

enum err
api_glass_list(struct req *r)
{
	static const char *const allowed[] = { "pending", NULL };
	struct glass_rec *g = NULL;
	struct verr v;
	const char *pending = http_query(r, "pending");
	json_t *j, *items;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if (pending != NULL && strcmp(pending, "true") != 0 &&
	    strcmp(pending, "false") != 0)
		verr_add(&v, "pending", "must be true or false");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if ((e = glass_list(r->db, &r->actor, pending != NULL &&
	    strcmp(pending, "true") == 0, &g, &n)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, glass_json(&g[i]));
	glasses_free(g, n);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "minutes", json_integer((glass_seconds() +
	    59) / 60));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_glass_review(struct req *r)
{
	struct glass_rec g;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_break_glass_review, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	e = glass_review(r->db, &r->actor, http_param(r, 0), want,
	    jstr(r->json, "outcome"), jstr(r->json, "note"), &v, &g, &current);
	switch (e) {
	case ERR_OK:
		http_etag(r, g.version);
		http_json(r, 200, glass_json(&g));
		glass_clear(&g);
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		break;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:reviewed",
		    "This access is reviewed already",
		    "Each break-glass access is reviewed once.");
		break;
	default:
		break;
	}
	return e;
}
