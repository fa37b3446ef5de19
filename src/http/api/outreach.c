/*
 * /api/v1/outreach, /api/v1/people/{id}/inpatient-stays and
 * /api/v1/inpatient-stays/{id}: thin handlers over core/outreach.c. See
 * docs/outreach.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/billing.h"
#include "core/outreach.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"

static json_t *
stay_json(const struct inpatient_stay *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(s->id));
	json_object_set_new(j, "version", json_integer(s->version));
	json_object_set_new(j, "person_id", json_string(s->person_id));
	json_object_set_new(j, "kind", jstr_or_null(s->kind));
	json_object_set_new(j, "admitted_on", jstr_or_null(s->admitted_on));
	json_object_set_new(j, "discharged_on",
	    jstr_or_null(s->discharged_on));
	json_object_set_new(j, "facility", jstr_or_null(s->facility));
	json_object_set_new(j, "recorded_by", jstr_or_null(s->recorded_by));
	json_object_set_new(j, "recorded_by_name",
	    jstr_or_null(s->recorded_by_name));
	json_object_set_new(j, "recorded_at", jtime(s->recorded_at));
	return j;
}

static json_t *
stay_kinds_json(void)
{
	const struct resource_rules *rr = &rules_get()->resources;
	json_t *a = json_array();
	int i;

	for (i = 0; i < rr->nstay_kinds; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code",
		    json_string(rr->stay_kinds[i].code));
		json_object_set_new(o, "label",
		    json_string(rr->stay_kinds[i].label));
		json_array_append_new(a, o);
	}
	return a;
}

static void
stay_input(json_t *o, struct stay_input *in)
{
	memset(in, 0, sizeof *in);
	if (jhas(o, "kind")) {
		in->set |= STAY_KIND;
		in->kind = jstr(o, "kind");
	}
	if (jhas(o, "admitted_on")) {
		in->set |= STAY_ADMITTED_ON;
		in->admitted_on = jstr(o, "admitted_on");
	}
	if (jhas(o, "discharged_on")) {
		in->set |= STAY_DISCHARGED_ON;
		in->discharged_on = jstr(o, "discharged_on");
	}
	if (jhas(o, "facility")) {
		in->set |= STAY_FACILITY;
		in->facility = jstr(o, "facility");
	}
}

static void
reply_stay(struct req *r, int status, struct inpatient_stay *s)
{
	http_etag(r, s->version);
	http_json(r, status, stay_json(s));
	inpatient_stay_clear(s);
}

enum err
api_stays_list(struct req *r)
{
	static const char *const allowed[] = { NULL };
	struct inpatient_stay *s = NULL;
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
	if ((e = inpatient_stay_list(r->db, &r->actor, http_param(r, 0), &s,
	    &n)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, stay_json(&s[i]));
	inpatient_stays_free(s, n);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "kinds", stay_kinds_json());
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_stays_create(struct req *r)
{
	struct stay_input in;
	struct inpatient_stay s;
	struct verr v;
	char loc[80];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_inpatient_stay, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	stay_input(r->json, &in);
	e = inpatient_stay_create(r->db, &r->actor, http_param(r, 0), &in, &v,
	    &s);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/inpatient-stays/%s", s.id);
	http_header_out(r, "Location", loc);
	reply_stay(r, 201, &s);
	return ERR_OK;
}

enum err
api_stay_update(struct req *r)
{
	struct stay_input in;
	struct inpatient_stay s;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_inpatient_stay_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	stay_input(r->json, &in);
	e = inpatient_stay_update(r->db, &r->actor, http_param(r, 0), want,
	    &in, &v, &s, &current);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e == ERR_STALE) {
		http_problem_stale(r, current, want);
		return e;
	}
	if (e != ERR_OK)
		return e;
	reply_stay(r, 200, &s);
	return ERR_OK;
}

static json_t *
date_or_null(const char *d)
{
	return d[0] ? json_string(d) : json_null();
}

/* The person's id, name and primary peer, which every list shows. */
static json_t *
item_json(const struct outreach_item *x)
{
	json_t *j = json_object();

	json_object_set_new(j, "person_id", json_string(x->person_id));
	json_object_set_new(j, "team_id", json_string(x->team_id));
	json_object_set_new(j, "preferred_name",
	    jstr_or_null(x->preferred_name));
	json_object_set_new(j, "primary_peer_name",
	    jstr_or_null(x->primary_peer_name));
	return j;
}

static json_t *
attempt_json(const struct outreach_attempt *at)
{
	const struct billing_rules *br = &rules_get()->billing;
	const struct billing_setting *bs = at->setting ?
	    billing_setting_find(br, at->setting) : NULL;
	json_t *j = json_object();

	json_object_set_new(j, "contact_id", json_string(at->contact_id));
	json_object_set_new(j, "on", date_or_null(at->on));
	json_object_set_new(j, "type", jstr_or_null(at->type));
	json_object_set_new(j, "setting", jstr_or_null(at->setting));
	json_object_set_new(j, "setting_label",
	    jstr_or_null(bs ? bs->label : NULL));
	json_object_set_new(j, "status", jstr_or_null(at->status));
	return j;
}

enum err
api_outreach_lists(struct req *r)
{
	static const char *const allowed[] = { "team", NULL };
	struct outreach_lists l;
	struct verr v;
	json_t *j, *t, *a, *cut;
	int i, k;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = outreach_lists_get(r->db, &r->actor, http_query(r, "team"), &v,
	    &l);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "today", json_string(l.today));
	t = json_object();
	json_object_set_new(t, "not_seen_days", json_integer(l.not_seen_days));
	json_object_set_new(t, "not_seen_on_or_before",
	    json_string(l.not_seen_before));
	json_object_set_new(t, "frequent_stays",
	    json_integer(l.frequent_stays));
	json_object_set_new(t, "frequent_stays_months",
	    json_integer(l.frequent_stays_months));
	json_object_set_new(t, "stays_admitted_since",
	    json_string(l.stays_since));
	json_object_set_new(t, "follow_up_days",
	    json_integer(l.follow_up_days));
	json_object_set_new(j, "thresholds", t);
	a = json_array();
	for (i = 0; i < l.nteams; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(l.teams[i].id));
		json_object_set_new(o, "name", jstr_or_null(l.teams[i].name));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "teams", a);

	a = json_array();
	for (i = 0; i < l.nfollow_up; i++) {
		const struct outreach_item *x = &l.follow_up[i];
		json_t *o = item_json(x);

		json_object_set_new(o, "discharge_date",
		    date_or_null(x->discharge_date));
		json_object_set_new(o, "follow_up_due",
		    date_or_null(x->follow_up_due));
		json_object_set_new(o, "state",
		    json_string(x->overdue ? "overdue" : "due"));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "follow_up", a);

	a = json_array();
	for (i = 0; i < l.nfrequent; i++) {
		const struct outreach_item *x = &l.frequent[i];
		json_t *o = item_json(x);

		json_object_set_new(o, "stays", json_integer(x->stays));
		json_object_set_new(o, "last_admitted_on",
		    date_or_null(x->last_admitted_on));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "frequent_stays", a);

	a = json_array();
	for (i = 0; i < l.nnot_seen; i++) {
		const struct outreach_item *x = &l.not_seen[i];
		json_t *o = item_json(x);

		json_object_set_new(o, "last_seen", date_or_null(x->last_seen));
		json_object_set_new(o, "days", x->days >= 0 ?
		    json_integer(x->days) : json_null());
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "not_seen", a);

	a = json_array();
	for (i = 0; i < l.noutreach; i++) {
		const struct outreach_item *x = &l.outreach[i];
		json_t *o = item_json(x), *rec = json_array();

		json_object_set_new(o, "attempts", json_integer(x->attempts));
		json_object_set_new(o, "last_attempt_on",
		    date_or_null(x->last_attempt_on));
		for (k = 0; k < x->nrecent; k++)
			json_array_append_new(rec, attempt_json(&x->recent[k]));
		json_object_set_new(o, "recent_attempts", rec);
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "outreach", a);

	cut = json_array();
	if (l.truncated & OUTREACH_CUT_FOLLOW_UP)
		json_array_append_new(cut, json_string("follow_up"));
	if (l.truncated & OUTREACH_CUT_FREQUENT)
		json_array_append_new(cut, json_string("frequent_stays"));
	if (l.truncated & OUTREACH_CUT_NOT_SEEN)
		json_array_append_new(cut, json_string("not_seen"));
	if (l.truncated & OUTREACH_CUT_OUTREACH)
		json_array_append_new(cut, json_string("outreach"));
	json_object_set_new(j, "truncated", cut);
	json_object_set_new(j, "list_max", json_integer(OUTREACH_LIST_MAX));
	outreach_lists_clear(&l);
	http_json(r, 200, j);
	return ERR_OK;
}
