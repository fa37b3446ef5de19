#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/person.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "store/db.h"
#include "util/parse.h"
#include "util/xalloc.h"

static json_t *
episode_json(const struct episode *e)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(e->id));
	json_object_set_new(j, "version", json_integer(e->version));
	json_object_set_new(j, "status", json_string(e->discharge_date ?
	    "closed" : "open"));
	json_object_set_new(j, "agreement_date",
	    jstr_or_null(e->agreement_date));
	json_object_set_new(j, "agreement_witness",
	    jstr_or_null(e->agreement_witness));
	json_object_set_new(j, "intake_date", jstr_or_null(e->intake_date));
	json_object_set_new(j, "referral_source",
	    jstr_or_null(e->referral_source));
	json_object_set_new(j, "discharge_date",
	    jstr_or_null(e->discharge_date));
	json_object_set_new(j, "discharge_reason",
	    jstr_or_null(e->discharge_reason));
	json_object_set_new(j, "exit_strategy",
	    jstr_or_null(e->exit_strategy));
	json_object_set_new(j, "follow_up_due",
	    jstr_or_null(e->follow_up_due));
	json_object_set_new(j, "rules_version",
	    jstr_or_null(e->rules_version));
	json_object_set_new(j, "part2", json_boolean(e->part2));
	json_object_set_new(j, "created_at", jtime(e->created_at));
	json_object_set_new(j, "updated_at", jtime(e->updated_at));
	return j;
}

static json_t *
person_json(const struct person *p)
{
	json_t *j = json_object(), *c = json_array(), *l = json_array();
	json_t *ep = json_array();
	int i;

	json_object_set_new(j, "id", json_string(p->id));
	json_object_set_new(j, "version", json_integer(p->version));
	json_object_set_new(j, "preferred_name",
	    jstr_or_null(p->preferred_name));
	json_object_set_new(j, "legal_name", jstr_or_null(p->legal_name));
	json_object_set_new(j, "pronouns", jstr_or_null(p->pronouns));
	json_object_set_new(j, "date_of_birth",
	    jstr_or_null(p->date_of_birth));
	json_object_set_new(j, "phone", jstr_or_null(p->phone));
	json_object_set_new(j, "language", jstr_or_null(p->language));
	json_object_set_new(j, "team", jstr_or_null(p->team));
	json_object_set_new(j, "primary_peer",
	    jstr_or_null(p->primary_peer_id));
	json_object_set_new(j, "primary_peer_name",
	    jstr_or_null(p->primary_peer_name));
	json_object_set_new(j, "status", jstr_or_null(p->status));
	for (i = 0; i < p->ncontacts; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "kind", jstr_or_null(p->contacts[i].kind));
		json_object_set_new(o, "name", jstr_or_null(p->contacts[i].name));
		json_object_set_new(o, "relationship",
		    jstr_or_null(p->contacts[i].relationship));
		json_object_set_new(o, "phone",
		    jstr_or_null(p->contacts[i].phone));
		json_object_set_new(o, "note", jstr_or_null(p->contacts[i].note));
		json_array_append_new(c, o);
	}
	json_object_set_new(j, "contacts", c);
	for (i = 0; i < p->nlinks; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "person_id",
		    json_string(p->links[i].person_id));
		json_object_set_new(o, "relationship",
		    jstr_or_null(p->links[i].relationship));
		json_array_append_new(l, o);
	}
	json_object_set_new(j, "links", l);
	for (i = 0; i < p->nepisodes; i++)
		json_array_append_new(ep, episode_json(&p->episodes[i]));
	json_object_set_new(j, "episodes", ep);
	json_object_set_new(j, "created_at", jtime(p->created_at));
	json_object_set_new(j, "updated_at", jtime(p->updated_at));
	return j;
}

/* Borrowed views into the request's JSON; freed with input_clear(). */
static void
input_from_json(json_t *o, struct person_input *in)
{
	static const struct {
		const char	*key;
		unsigned	 bit;
		size_t		 off;
	} f[] = {
		{ "preferred_name", PF_PREFERRED_NAME,
		    offsetof(struct person_input, preferred_name) },
		{ "legal_name", PF_LEGAL_NAME,
		    offsetof(struct person_input, legal_name) },
		{ "pronouns", PF_PRONOUNS,
		    offsetof(struct person_input, pronouns) },
		{ "date_of_birth", PF_DATE_OF_BIRTH,
		    offsetof(struct person_input, date_of_birth) },
		{ "phone", PF_PHONE, offsetof(struct person_input, phone) },
		{ "language", PF_LANGUAGE,
		    offsetof(struct person_input, language) },
		{ "team", PF_TEAM, offsetof(struct person_input, team) },
		{ "primary_peer", PF_PRIMARY_PEER,
		    offsetof(struct person_input, primary_peer) },
		{ "status", PF_STATUS, offsetof(struct person_input, status) },
	};
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
	if ((arr = json_object_get(o, "contacts")) != NULL) {
		struct contact *c;
		size_t n = json_array_size(arr);

		in->set |= PF_CONTACTS;
		c = xcalloc(n ? n : 1, sizeof *c);
		for (i = 0; i < n; i++) {
			json_t *x = json_array_get(arr, i);

			/* Casts: core never frees these borrowed strings. */
			c[i].kind = (char *)(uintptr_t)jstr(x, "kind");
			c[i].name = (char *)(uintptr_t)jstr(x, "name");
			c[i].relationship =
			    (char *)(uintptr_t)jstr(x, "relationship");
			c[i].phone = (char *)(uintptr_t)jstr(x, "phone");
			c[i].note = (char *)(uintptr_t)jstr(x, "note");
		}
		in->contacts = c;
		in->ncontacts = (int)n;
	}
	if ((arr = json_object_get(o, "links")) != NULL) {
		struct person_link *l;
		size_t n = json_array_size(arr);

		in->set |= PF_LINKS;
		l = xcalloc(n ? n : 1, sizeof *l);
		for (i = 0; i < n; i++) {
			json_t *x = json_array_get(arr, i);
			const char *id = jstr(x, "person_id");

			snprintf(l[i].person_id, sizeof l[i].person_id, "%s",
			    id && strlen(id) == 36 ? id : "invalid");
			l[i].relationship =
			    (char *)(uintptr_t)jstr(x, "relationship");
		}
		in->links = l;
		in->nlinks = (int)n;
	}
}

static void
input_clear(struct person_input *in)
{
	free((void *)(uintptr_t)in->contacts);
	free((void *)(uintptr_t)in->links);
}

static void
summary_json(json_t *items, const struct person_summary *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "preferred_name",
	    jstr_or_null(s->preferred_name));
	json_object_set_new(o, "pronouns", jstr_or_null(s->pronouns));
	json_object_set_new(o, "team", jstr_or_null(s->team));
	json_object_set_new(o, "status", jstr_or_null(s->status));
	json_object_set_new(o, "primary_peer",
	    jstr_or_null(s->primary_peer_id));
	json_object_set_new(o, "primary_peer_name",
	    jstr_or_null(s->primary_peer_name));
	json_object_set_new(o, "updated_at", jtime(s->updated_at));
	json_array_append_new(items, o);
}

enum err
api_people_list(struct req *r)
{
	static const char *const allowed[] = { "q", "team", "status", "limit",
	    "after", NULL };
	struct db *db = r->db;
	struct person_query q;
	struct person_summary *s = NULL;
	struct verr v;
	const char *limit;
	char next[37];
	int64_t lim = 50;
	int n = 0, i;
	json_t *j, *items;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	memset(&q, 0, sizeof q);
	q.q = http_query(r, "q");
	q.team = http_query(r, "team");
	q.status = http_query(r, "status");
	q.after = http_query(r, "after");
	if (q.q && *q.q == '\0')
		q.q = NULL;
	if (q.team && *q.team == '\0')
		q.team = NULL;
	if (q.status && *q.status == '\0')
		q.status = NULL;
	if ((limit = http_query(r, "limit")) != NULL &&
	    parse_int64(limit, 1, 200, &lim) != ERR_OK) {
		verr_add(&v, "limit", "must be a whole number from 1 to 200");
		lim = 50;
	}
	q.limit = (int)lim;
	/* person_list() adds its own findings to v and refuses when v holds
	 * any, so one answer names every bad parameter. */
	e = person_list(db, &r->actor, &q, &v, &s, &n, next);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		summary_json(items, &s[i]);
	person_summaries_free(s, n);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "next", next[0] ? json_string(next) :
	    json_null());
	http_json(r, 200, j);
	return ERR_OK;
}

/* The person, and when the actor reaches them by break-glass, until when
 * that access lasts (null otherwise). */
static void
reply_person(struct req *r, int status, struct person *p)
{
	json_t *j = person_json(p);
	int64_t until = 0;
	int i;

	for (i = 0; i < r->actor.nglass; i++)
		if (strcmp(r->actor.glass[i].person_id, p->id) == 0 &&
		    !actor_in_team(&r->actor, p->team_id) &&
		    r->actor.glass[i].until_ms > until)
			until = r->actor.glass[i].until_ms;
	json_object_set_new(j, "break_glass_until", until ? jtime(until) :
	    json_null());
	http_etag(r, p->version);
	http_json(r, status, j);
}

enum err
api_people_create(struct req *r)
{
	struct db *db = r->db;
	struct person_input in;
	struct person p;
	struct verr v;
	char loc[80];
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_person_create, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	input_from_json(r->json, &in);
	e = person_create(db, &r->actor, &in, &v, &p);
	input_clear(&in);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/people/%s", p.id);
	http_header_out(r, "Location", loc);
	reply_person(r, 201, &p);
	person_clear(&p);
	return ERR_OK;
}

enum err
api_people_get(struct req *r)
{
	struct db *db = r->db;
	struct person p;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	if ((e = person_get(db, &r->actor, http_param(r, 0), &p)) != ERR_OK)
		return e;
	reply_person(r, 200, &p);
	person_clear(&p);
	return ERR_OK;
}

int
api_if_match(struct req *r, int64_t *version)
{
	enum err e = http_if_match(r, version);
	struct verr v;

	if (e == ERR_OK)
		return 1;
	if (e == ERR_INVALID) {
		verr_init(&v);
		verr_add(&v, "If-Match", "must be the quoted version from "
		    "the ETag, such as \"3\"");
		http_problem_fields(r, &v);
	} else {
		http_problem_err(r, e);
	}
	return 0;
}

enum err
api_people_update(struct req *r)
{
	struct db *db = r->db;
	struct person_input in;
	struct person p;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_person_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	input_from_json(r->json, &in);
	e = person_update(db, &r->actor, http_param(r, 0), want, &in, &v, &p,
	    &current);
	input_clear(&in);
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
	reply_person(r, 200, &p);
	person_clear(&p);
	return ERR_OK;
}

enum err
api_episode_create(struct req *r)
{
	struct db *db = r->db;
	struct episode_input in;
	struct episode ep;
	struct verr v;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_episode, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	in.agreement_date = jstr(r->json, "agreement_date");
	in.agreement_witness = jstr(r->json, "agreement_witness");
	in.intake_date = jstr(r->json, "intake_date");
	in.referral_source = jstr(r->json, "referral_source");
	in.part2 = json_is_true(json_object_get(r->json, "part2"));
	e = episode_start(db, &r->actor, http_param(r, 0), &in, &v, &ep);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:episode-open",
		    "An episode is already open",
		    "Discharge the open episode before enrolling again.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_etag(r, ep.version);
	http_json(r, 201, episode_json(&ep));
	episode_clear(&ep);
	return ERR_OK;
}

enum err
api_episode_discharge(struct req *r)
{
	struct db *db = r->db;
	struct discharge_input in;
	struct episode ep;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_discharge, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	in.discharge_date = jstr(r->json, "discharge_date");
	in.reason = jstr(r->json, "reason");
	in.exit_strategy = jstr(r->json, "exit_strategy");
	e = episode_discharge(db, &r->actor, http_param(r, 0),
	    http_param(r, 1), want, &in, &v, &ep, &current);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e == ERR_STALE) {
		http_problem_stale(r, current, want);
		return e;
	}
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:episode-closed",
		    "The episode is already closed", NULL);
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_etag(r, ep.version);
	http_json(r, 200, episode_json(&ep));
	episode_clear(&ep);
	return ERR_OK;
}
