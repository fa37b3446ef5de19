/*
 * /api/v1/resources: the resource directory's search, one resource, and
 * the changes staff make; thin handlers over core/resource.c. See
 * docs/resources.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/policy.h"
#include "core/resource.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "util/parse.h"
#include "util/xalloc.h"

static json_t *
degrees(int64_t e6)
{
	return json_real((double)e6 / 1e6);
}

static json_t *
categories_json(const struct resource *r)
{
	const struct resource_rules *rr = &rules_get()->resources;
	json_t *a = json_array();
	int i;

	for (i = 0; i < r->ncategories; i++) {
		const struct resource_category *c =
		    resource_category_find(rr, r->categories[i]);
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(r->categories[i]));
		json_object_set_new(o, "label", jstr_or_null(c ? c->label :
		    NULL));
		json_object_set_new(o, "group", jstr_or_null(c ? c->group :
		    NULL));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
location_json(const struct resource_location *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(l->id));
	json_object_set_new(o, "name", jstr_or_null(l->name));
	json_object_set_new(o, "description", jstr_or_null(l->description));
	json_object_set_new(o, "transportation",
	    jstr_or_null(l->transportation));
	json_object_set_new(o, "address_1", jstr_or_null(l->address_1));
	json_object_set_new(o, "address_2", jstr_or_null(l->address_2));
	json_object_set_new(o, "city", jstr_or_null(l->city));
	json_object_set_new(o, "state_province",
	    jstr_or_null(l->state_province));
	json_object_set_new(o, "postal_code", jstr_or_null(l->postal_code));
	json_object_set_new(o, "country", jstr_or_null(l->country));
	json_object_set_new(o, "latitude", l->has_point ?
	    degrees(l->lat_e6) : json_null());
	json_object_set_new(o, "longitude", l->has_point ?
	    degrees(l->lon_e6) : json_null());
	json_object_set_new(o, "distance_km", l->distance_km >= 0 ?
	    json_real(round(l->distance_km * 10) / 10) : json_null());
	return o;
}

static json_t *
resource_json(const struct resource *r, int full)
{
	json_t *j = json_object(), *o, *a;
	int i;

	json_object_set_new(j, "id", json_string(r->id));
	json_object_set_new(j, "name", jstr_or_null(r->text[RT_NAME]));
	o = json_object();
	json_object_set_new(o, "id", r->organization_id[0] ?
	    json_string(r->organization_id) : json_null());
	json_object_set_new(o, "name", jstr_or_null(r->organization_name));
	if (full) {
		json_object_set_new(o, "description",
		    jstr_or_null(r->organization_description));
		json_object_set_new(o, "website",
		    jstr_or_null(r->organization_website));
		json_object_set_new(o, "email",
		    jstr_or_null(r->organization_email));
	}
	json_object_set_new(j, "organization", o);
	json_object_set_new(j, "description",
	    jstr_or_null(r->text[RT_DESCRIPTION]));
	json_object_set_new(j, "status", jstr_or_null(r->text[RT_STATUS]));
	json_object_set_new(j, "local", json_boolean(r->local));
	json_object_set_new(j, "stale", json_boolean(r->stale));
	json_object_set_new(j, "verified_at", jtime_or_null(r->verified_at));
	json_object_set_new(j, "categories", categories_json(r));
	a = json_array();
	for (i = 0; i < r->nlanguages; i++)
		if (!full && r->languages[i].code != NULL)
			json_array_append_new(a,
			    json_string(r->languages[i].code));
		else if (full) {
			json_t *l = json_object();

			json_object_set_new(l, "code",
			    jstr_or_null(r->languages[i].code));
			json_object_set_new(l, "name",
			    jstr_or_null(r->languages[i].name));
			json_object_set_new(l, "note",
			    jstr_or_null(r->languages[i].note));
			json_array_append_new(a, l);
		}
	json_object_set_new(j, "languages", a);
	json_object_set_new(j, "open_now", r->open_now < 0 ? json_null() :
	    json_boolean(r->open_now));
	o = json_object();
	json_object_set_new(o, "made", json_integer(r->referrals_made));
	json_object_set_new(o, "accepted",
	    json_integer(r->referrals_accepted));
	json_object_set_new(o, "completed",
	    json_integer(r->referrals_completed));
	json_object_set_new(j, "referrals", o);
	if (!full) {
		json_object_set_new(j, "location", r->nlocations ?
		    location_json(&r->locations[0]) : json_null());
		json_object_set_new(j, "phone", r->nphones ?
		    jstr_or_null(r->phones[0].number) : json_null());
		return j;
	}
	json_object_set_new(j, "version", json_integer(r->version));
	for (i = 0; i < RT__COUNT; i++)
		if (i != RT_NAME && i != RT_DESCRIPTION && i != RT_STATUS)
			json_object_set_new(j, resource_text_key(i),
			    jstr_or_null(r->text[i]));
	json_object_set_new(j, "minimum_age", r->minimum_age >= 0 ?
	    json_integer(r->minimum_age) : json_null());
	json_object_set_new(j, "maximum_age", r->maximum_age >= 0 ?
	    json_integer(r->maximum_age) : json_null());
	json_object_set_new(j, "added_by_name", jstr_or_null(r->added_by_name));
	json_object_set_new(j, "added_at", jtime(r->added_at));
	json_object_set_new(j, "verified_by_name",
	    jstr_or_null(r->verified_by_name));
	a = json_array();
	for (i = 0; i < r->nphones; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "number",
		    jstr_or_null(r->phones[i].number));
		json_object_set_new(p, "extension",
		    jstr_or_null(r->phones[i].extension));
		json_object_set_new(p, "type", jstr_or_null(r->phones[i].type));
		json_object_set_new(p, "description",
		    jstr_or_null(r->phones[i].description));
		json_array_append_new(a, p);
	}
	json_object_set_new(j, "phones", a);
	a = json_array();
	for (i = 0; i < r->nlocations; i++)
		json_array_append_new(a, location_json(&r->locations[i]));
	json_object_set_new(j, "locations", a);
	a = json_array();
	for (i = 0; i < r->nschedules; i++) {
		const struct resource_schedule *s = &r->schedules[i];
		json_t *h = json_object();

		json_object_set_new(h, "location_id",
		    jstr_or_null(s->location_id));
		json_object_set_new(h, "freq", jstr_or_null(s->freq));
		json_object_set_new(h, "byday", jstr_or_null(s->byday));
		json_object_set_new(h, "opens_at", jstr_or_null(s->opens_at));
		json_object_set_new(h, "closes_at", jstr_or_null(s->closes_at));
		json_object_set_new(h, "description",
		    jstr_or_null(s->description));
		json_array_append_new(a, h);
	}
	json_object_set_new(j, "schedules", a);
	return j;
}

static void
reply(struct req *r, int status, struct resource *res)
{
	http_etag(r, res->version);
	http_json(r, status, resource_json(res, 1));
	resource_clear(res);
}

enum err
api_resources_search(struct req *r)
{
	static const char *const allowed[] = { "q", "category", "language",
	    "open_now", "near", "radius_km", "status", "local", "limit",
	    "offset", NULL };
	struct resource_query q;
	struct resource_point from;
	struct resource *res = NULL;
	struct verr v;
	const char *s;
	json_t *j, *items, *near;
	int64_t x;
	int n = 0, more = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	memset(&q, 0, sizeof q);
	http_query_allow(r, allowed, &v);
	q.q = http_query(r, "q");
	if (q.q != NULL && strlen(q.q) > 200)
		verr_add(&v, "q", "must be at most 200 characters");
	q.category = http_query(r, "category");
	q.language = http_query(r, "language");
	if ((s = http_query(r, "open_now")) != NULL) {
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			verr_add(&v, "open_now", "must be true or false");
		q.open_now = strcmp(s, "true") == 0;
	}
	if ((s = http_query(r, "local")) != NULL) {
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			verr_add(&v, "local", "must be true or false");
		q.local_only = strcmp(s, "true") == 0;
	}
	if ((s = http_query(r, "status")) != NULL) {
		if (strcmp(s, "active") != 0 && strcmp(s, "any") != 0)
			verr_add(&v, "status", "must be active or any");
		q.any_status = strcmp(s, "any") == 0;
	}
	q.near = http_query(r, "near");
	if (q.near != NULL && (*q.near == '\0' || strlen(q.near) > 64))
		verr_add(&v, "near", "must be latitude,longitude or a postal "
		    "code");
	if ((s = http_query(r, "radius_km")) != NULL) {
		if (parse_int64(s, 1, 500, &x) != ERR_OK)
			verr_add(&v, "radius_km", "must be a whole number from "
			    "1 to 500");
		else
			q.radius_km = (int)x;
		if (q.near == NULL)
			verr_add(&v, "radius_km", "needs near");
	}
	q.limit = 25;
	if ((s = http_query(r, "limit")) != NULL) {
		if (parse_int64(s, 1, RESOURCE_LIST_MAX, &x) != ERR_OK)
			verr_add(&v, "limit", "must be a whole number from 1 "
			    "to 100");
		else
			q.limit = (int)x;
	}
	if ((s = http_query(r, "offset")) != NULL) {
		if (parse_int64(s, 0, RESOURCE_OFFSET_MAX, &x) != ERR_OK)
			verr_add(&v, "offset", "must be a whole number from 0 "
			    "to 10000");
		else
			q.offset = (int)x;
	}
	/* Core names what it finds (category, language, near) with
	 * these. */
	e = resource_search(r->db, &r->actor, &q, &v, &res, &n, &more, &from);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, resource_json(&res[i], 0));
	resources_free(res, n);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "more", json_boolean(more));
	if (from.set) {
		near = json_object();
		json_object_set_new(near, "latitude", degrees(from.lat_e6));
		json_object_set_new(near, "longitude", degrees(from.lon_e6));
		json_object_set_new(near, "from", json_string(
		    from.from_postal_code ? "postal_code" : "point"));
	} else
		near = json_null();
	json_object_set_new(j, "near", near);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_resources_categories(struct req *r)
{
	const struct resource_rules *rr = &rules_get()->resources;
	json_t *j = json_object(), *items = json_array();
	int i;

	if (policy_check(&r->actor, POL_RESOURCE_READ, NULL) != ERR_OK) {
		json_decref(j);
		json_decref(items);
		return ERR_FORBIDDEN;
	}
	for (i = 0; i < rr->ncategories; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code",
		    json_string(rr->categories[i].code));
		json_object_set_new(o, "label",
		    json_string(rr->categories[i].label));
		json_object_set_new(o, "group",
		    json_string(rr->categories[i].group));
		json_array_append_new(items, o);
	}
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "stale_after_days",
	    json_integer(rr->stale_after_days));
	json_object_set_new(j, "version", jstr_or_null(rr->version));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_resources_get(struct req *r)
{
	struct resource res;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = resource_get(r->db, &r->actor, http_param(r, 0), &res)) !=
	    ERR_OK)
		return e;
	reply(r, 200, &res);
	return ERR_OK;
}

/* Holds the arrays an input borrows. */
struct input_store {
	const char		**categories;
	const char		**languages;
	struct resource_schedule *schedules;
};

static void
store_free(struct input_store *s)
{
	free(s->categories);
	free(s->languages);
	free(s->schedules);
}

static const char **
strings(json_t *a, int *n)
{
	const char **out;
	size_t i;

	*n = (int)json_array_size(a);
	out = xcalloc(*n + 1, sizeof *out);
	for (i = 0; i < json_array_size(a); i++)
		out[i] = json_string_value(json_array_get(a, i));
	return out;
}

/* 1 when the JSON number fits (whole part) and sets *e6. */
static void
input_from_json(json_t *b, struct resource_input *in, struct input_store *s,
    struct verr *v)
{
	json_t *x, *loc;
	size_t i;
	int k;

	memset(in, 0, sizeof *in);
	memset(s, 0, sizeof *s);
	for (k = 0; k < RT__COUNT; k++)
		if (jhas(b, resource_text_key(k)))
			in->text[k] = jstr(b, resource_text_key(k)) ?
			    jstr(b, resource_text_key(k)) : "";
	if (jhas(b, "minimum_age")) {
		in->has_minimum_age = 1;
		x = json_object_get(b, "minimum_age");
		in->minimum_age = json_is_integer(x) ?
		    json_integer_value(x) : -1;
	}
	if (jhas(b, "maximum_age")) {
		in->has_maximum_age = 1;
		x = json_object_get(b, "maximum_age");
		in->maximum_age = json_is_integer(x) ?
		    json_integer_value(x) : -1;
	}
	in->organization_id = jstr(b, "organization_id");
	in->organization_name = jstr(b, "organization_name");
	if (json_is_array(x = json_object_get(b, "categories"))) {
		s->categories = strings(x, &in->ncategories);
		in->categories = s->categories;
	}
	if (json_is_array(x = json_object_get(b, "languages"))) {
		s->languages = strings(x, &in->nlanguages);
		in->languages = s->languages;
	}
	if (jhas(b, "phone"))
		in->phone = jstr(b, "phone") ? jstr(b, "phone") : "";
	loc = json_object_get(b, "location");
	if (jhas(b, "location") && json_is_null(loc))
		in->location_cleared = 1;
	if (json_is_object(loc)) {
		json_t *la = json_object_get(loc, "latitude");
		json_t *lo = json_object_get(loc, "longitude");

		in->has_location = 1;
		in->location_name = jstr(loc, "name");
		in->address_1 = jstr(loc, "address_1");
		in->address_2 = jstr(loc, "address_2");
		in->city = jstr(loc, "city");
		in->state_province = jstr(loc, "state_province");
		in->postal_code = jstr(loc, "postal_code");
		in->country = jstr(loc, "country");
		in->transportation = jstr(loc, "transportation");
		if (json_is_number(la) != json_is_number(lo))
			verr_add(v, json_is_number(la) ? "location.longitude" :
			    "location.latitude", "is needed with the other");
		else if (json_is_number(la)) {
			double a = json_number_value(la),
			    o = json_number_value(lo);

			if (!(a >= -90 && a <= 90))
				verr_add(v, "location.latitude", "must be from "
				    "-90 to 90");
			else if (!(o >= -180 && o <= 180))
				verr_add(v, "location.longitude", "must be "
				    "from -180 to 180");
			else {
				in->has_point = 1;
				in->lat_e6 = llround(a * 1e6);
				in->lon_e6 = llround(o * 1e6);
			}
		}
	}
	if (json_is_array(x = json_object_get(b, "schedules"))) {
		in->has_schedules = 1;
		in->nschedules = (int)json_array_size(x);
		s->schedules = xcalloc(in->nschedules + 1,
		    sizeof *s->schedules);
		for (i = 0; i < json_array_size(x); i++) {
			json_t *h = json_array_get(x, i);

			s->schedules[i].byday = (char *)jstr(h, "byday");
			s->schedules[i].opens_at = (char *)jstr(h, "opens_at");
			s->schedules[i].closes_at = (char *)jstr(h,
			    "closes_at");
			s->schedules[i].description = (char *)jstr(h,
			    "description");
		}
		in->schedules = s->schedules;
	}
}

static enum err
answer(struct req *r, enum err e, struct verr *v, int status,
    struct resource *res)
{
	switch (e) {
	case ERR_OK:
		reply(r, status, res);
		break;
	case ERR_INVALID:
		http_problem_fields(r, v);
		break;
	default:
		break;
	}
	return e;
}

enum err
api_resources_create(struct req *r)
{
	struct resource_input in;
	struct input_store s;
	struct resource res;
	struct verr v;
	char loc[80];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_resource, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	/* Core adds what it finds to what the body's shape showed. */
	input_from_json(r->json, &in, &s, &v);
	e = resource_create(r->db, &r->actor, &in, &v, &res);
	store_free(&s);
	if (e == ERR_OK) {
		snprintf(loc, sizeof loc, "/api/v1/resources/%s", res.id);
		http_header_out(r, "Location", loc);
	}
	return answer(r, e, &v, 201, &res);
}

enum err
api_resources_update(struct req *r)
{
	struct resource_input in;
	struct input_store s;
	struct resource res;
	struct verr v;
	int64_t want;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_resource_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	/* Core adds what it finds to what the body's shape showed. */
	input_from_json(r->json, &in, &s, &v);
	e = resource_update(r->db, &r->actor, http_param(r, 0), want, &in, &v,
	    &res);
	store_free(&s);
	if (e == ERR_STALE) {
		http_problem_stale(r, res.version, want);
		return e;
	}
	return answer(r, e, &v, 200, &res);
}

enum err
api_resources_verify(struct req *r)
{
	struct resource res;
	struct verr v;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	return answer(r, resource_verify(r->db, &r->actor, http_param(r, 0),
	    &res), &v, 200, &res);
}
