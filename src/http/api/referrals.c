/*
 * /api/v1/referrals, /api/v1/people/{id}/referrals and the receiving
 * organisation's /api/v1/referral-link: thin handlers over
 * core/referral.c. See docs/referrals.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/referral.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "util/crypto.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static json_t *
referral_json(const struct referral *r, int full)
{
	json_t *j = json_object(), *s, *a;
	int i;

	json_object_set_new(j, "id", json_string(r->id));
	json_object_set_new(j, "version", json_integer(r->version));
	json_object_set_new(j, "person_id", json_string(r->person_id));
	json_object_set_new(j, "person_name", jstr_or_null(r->person_name));
	json_object_set_new(j, "team_id", json_string(r->team_id));
	s = json_object();
	json_object_set_new(s, "id", json_string(r->service_id));
	json_object_set_new(s, "name", jstr_or_null(r->service_name));
	json_object_set_new(s, "organization_name",
	    jstr_or_null(r->organization_name));
	json_object_set_new(j, "service", s);
	json_object_set_new(j, "plan_id", jstr_or_null(r->plan_id));
	json_object_set_new(j, "goal_id", jstr_or_null(r->goal_id));
	json_object_set_new(j, "category", jstr_or_null(r->category));
	json_object_set_new(j, "reason", jstr_or_null(r->reason));
	json_object_set_new(j, "status", jstr_or_null(r->status));
	json_object_set_new(j, "outcome", jstr_or_null(r->outcome));
	json_object_set_new(j, "open", json_boolean(referral_open(r->status)));
	json_object_set_new(j, "shared_outside",
	    json_boolean(r->shared_outside));
	json_object_set_new(j, "disclosure_id", jstr_or_null(r->disclosure_id));
	json_object_set_new(j, "made_by_name", jstr_or_null(r->made_by_name));
	json_object_set_new(j, "made_at", jtime(r->made_at));
	json_object_set_new(j, "status_at", jtime(r->status_at));
	json_object_set_new(j, "follow_up_at", referral_open(r->status) ?
	    jtime(r->follow_up_at) : json_null());
	json_object_set_new(j, "link_active", json_boolean(r->link_active));
	json_object_set_new(j, "link_expires_at", r->link_active ?
	    jtime(r->link_expires_at) : json_null());
	if (!full)
		return j;
	a = json_array();
	for (i = 0; i < r->nevents; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "at", jtime(r->events[i].at));
		json_object_set_new(x, "status",
		    jstr_or_null(r->events[i].status));
		json_object_set_new(x, "by", jstr_or_null(r->events[i].actor_name));
		json_object_set_new(x, "via", jstr_or_null(r->events[i].via));
		json_object_set_new(x, "note", jstr_or_null(r->events[i].note));
		json_array_append_new(a, x);
	}
	json_object_set_new(j, "events", a);
	return j;
}

static void
reply(struct req *r, int status, struct referral *x)
{
	http_etag(r, x->version);
	http_json(r, status, referral_json(x, 1));
	referral_clear(x);
}

static void
conflict(struct req *r, const struct verr *v, const char *detail)
{
	http_problem_named(r, 409, "urn:alongside:problem:referral-state",
	    "The referral cannot make this move", v, detail);
}

static enum err
list_reply(struct req *r, enum err e, struct referral *x, int n)
{
	json_t *j, *items;
	int i;

	if (e != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, referral_json(&x[i], 0));
	referrals_free(x, n);
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_referrals_create(struct req *r)
{
	struct referral_input in;
	struct referral x;
	struct verr v;
	json_t *share, *cats;
	const char **codes = NULL;
	char loc[80];
	size_t i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_referral, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	memset(&in, 0, sizeof in);
	in.service_id = jstr(r->json, "service_id");
	in.goal_id = jstr(r->json, "goal_id");
	in.category = jstr(r->json, "category");
	in.reason = jstr(r->json, "reason");
	share = json_object_get(r->json, "share");
	if (json_is_object(share)) {
		in.share = 1;
		cats = json_object_get(share, "categories");
		in.nshare_categories = (int)json_array_size(cats);
		codes = xcalloc(in.nshare_categories + 1, sizeof *codes);
		for (i = 0; i < json_array_size(cats); i++)
			codes[i] = json_string_value(json_array_get(cats, i));
		in.share_categories = codes;
		in.share_information = jstr(share, "information");
	}
	e = referral_create(r->db, &r->actor, http_param(r, 0), &in, &v, &x);
	free(codes);
	switch (e) {
	case ERR_OK:
		snprintf(loc, sizeof loc, "/api/v1/referrals/%s", x.id);
		http_header_out(r, "Location", loc);
		reply(r, 201, &x);
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	case ERR_RULE:
		http_problem_rule(r, "42 CFR 2.31 and 2.33; 45 CFR 164.508: "
		    "no consent of the person covers sharing this with the "
		    "service", &v);
		break;
	default:
		break;
	}
	return e;
}

enum err
api_referrals_person(struct req *r)
{
	struct referral *x = NULL;
	int n = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	e = referral_list_person(r->db, &r->actor, http_param(r, 0), &x, &n);
	return list_reply(r, e, x, n);
}

enum err
api_referrals_list(struct req *r)
{
	static const char *const allowed[] = { "view", "team", NULL };
	struct referral *x = NULL;
	struct verr v;
	const char *view, *team;
	int n = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	view = http_query(r, "view");
	team = http_query(r, "team");
	if (view == NULL || strcmp(view, "follow_up") != 0)
		verr_add(&v, "view", "must be follow_up");
	if (team != NULL && !uuid_valid(team))
		verr_add(&v, "team", "must be a team's id");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = referral_follow_up(r->db, &r->actor, team, &x, &n);
	return list_reply(r, e, x, n);
}

enum err
api_referrals_get(struct req *r)
{
	struct referral x;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = referral_get(r->db, &r->actor, http_param(r, 0), &x)) !=
	    ERR_OK)
		return e;
	reply(r, 200, &x);
	return ERR_OK;
}

enum err
api_referrals_status(struct req *r)
{
	struct referral x;
	struct verr v;
	int64_t want;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_referral_status, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	e = referral_set_status(r->db, &r->actor, http_param(r, 0), want,
	    jstr(r->json, "status"), jstr(r->json, "note"),
	    jstr(r->json, "outcome"), &v, &x);
	switch (e) {
	case ERR_OK:
		reply(r, 200, &x);
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	case ERR_STALE:
		http_problem_stale(r, x.version, want);
		break;
	case ERR_CONFLICT:
		conflict(r, &v, "");
		break;
	default:
		break;
	}
	return e;
}

enum err
api_referrals_link(struct req *r)
{
	char token[44], url[128];
	int64_t expires;
	json_t *j;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	e = referral_link_issue(r->db, &r->actor, http_param(r, 0), token,
	    &expires);
	if (e == ERR_CONFLICT) {
		conflict(r, NULL, "A link is only for an open referral that "
		    "shares information with the service under the person's "
		    "consent.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	/* After '#', so the token never reaches a server's log. */
	snprintf(url, sizeof url, "/referral.html#token=%s", token);
	j = json_object();
	json_object_set_new(j, "token", json_string(token));
	json_object_set_new(j, "url", json_string(url));
	json_object_set_new(j, "expires_at", jtime(expires));
	crypto_wipe(token, sizeof token);
	http_header_out(r, "Cache-Control", "no-store");
	http_json(r, 201, j);
	return ERR_OK;
}

static json_t *
view_json(const struct referral_link_view *w)
{
	json_t *j = json_object(), *next = json_array();
	const struct resource_category *c;
	int i;

	json_object_set_new(j, "service_name", jstr_or_null(w->service_name));
	json_object_set_new(j, "organization_name",
	    jstr_or_null(w->organization_name));
	json_object_set_new(j, "person_name", jstr_or_null(w->person_name));
	json_object_set_new(j, "category", jstr_or_null(w->category));
	c = w->category ? resource_category_find(&rules_get()->resources,
	    w->category) : NULL;
	json_object_set_new(j, "category_label", jstr_or_null(c ? c->label :
	    NULL));
	json_object_set_new(j, "for_goal", json_boolean(w->for_goal));
	json_object_set_new(j, "made_by_name", jstr_or_null(w->made_by_name));
	json_object_set_new(j, "made_at", jtime(w->made_at));
	json_object_set_new(j, "status", jstr_or_null(w->status));
	json_object_set_new(j, "expires_at", jtime_or_null(w->expires_at));
	for (i = 0; referral_link_moves[i] != NULL; i++)
		if (w->expires_at && referral_may_move(w->status,
		    referral_link_moves[i]))
			json_array_append_new(next,
			    json_string(referral_link_moves[i]));
	json_object_set_new(j, "next", next);
	return j;
}

enum err
api_referral_link_read(struct req *r)
{
	struct referral_link_view w;
	struct verr v;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_referral_link, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = referral_link_read(r->db, r->actor.client_addr,
	    jstr(r->json, "token"), &w);
	if (e == ERR_NOT_FOUND) {
		http_problem(r, 404, "urn:alongside:problem:link-ended",
		    "This link does not work",
		    "It was used already, has ended, or was replaced. Ask the "
		    "peer specialist who sent it for a new one.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_header_out(r, "Cache-Control", "no-store");
	http_json(r, 200, view_json(&w));
	referral_link_view_clear(&w);
	return ERR_OK;
}

enum err
api_referral_link_update(struct req *r)
{
	struct referral_link_view w;
	struct verr v;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_referral_link_update, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = referral_link_update(r->db, r->actor.client_addr,
	    jstr(r->json, "token"), jstr(r->json, "status"),
	    jstr(r->json, "note"), jstr(r->json, "outcome"), &v, &w);
	switch (e) {
	case ERR_OK:
		http_header_out(r, "Cache-Control", "no-store");
		http_json(r, 200, view_json(&w));
		referral_link_view_clear(&w);
		break;
	case ERR_NOT_FOUND:
		http_problem(r, 404, "urn:alongside:problem:link-ended",
		    "This link does not work",
		    "It was used already, has ended, or was replaced. Ask the "
		    "peer specialist who sent it for a new one.");
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	case ERR_CONFLICT:
		conflict(r, &v, "");
		break;
	default:
		break;
	}
	return e;
}
