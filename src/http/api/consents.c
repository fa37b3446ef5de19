/*
 * Consents, the disclosure check, disclosures and their accounting: thin
 * handlers over core/consent.c. See docs/consents.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/consent.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "interop/record_export.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* The rule named when no consent covers a disclosure. */
static const char no_consent_rule[] = "42 CFR 2.31 and 2.33 (2024): "
    "records under Part 2 are disclosed only with a written consent that "
    "covers the recipient, purpose and information; 45 CFR 164.508(a) "
    "likewise for an authorisation.";

static json_t *
consent_json(const struct consent_rec *c)
{
	const struct consent_kind *k =
	    consent_kind_find(&rules_get()->consents, c->kind);
	json_t *j = json_object(), *a;
	int i;

	json_object_set_new(j, "id", json_string(c->id));
	json_object_set_new(j, "version", json_integer(c->version));
	json_object_set_new(j, "person_id", json_string(c->person_id));
	json_object_set_new(j, "kind", jstr_or_null(c->kind));
	json_object_set_new(j, "kind_label", jstr_or_null(k ? k->label :
	    NULL));
	json_object_set_new(j, "status", jstr_or_null(c->status));
	json_object_set_new(j, "part2", json_boolean(c->part2));
	json_object_set_new(j, "discloses", json_boolean(c->discloses));
	json_object_set_new(j, "person_name", jstr_or_null(c->person_name));
	json_object_set_new(j, "disclosers", jstr_or_null(c->disclosers));
	a = json_array();
	for (i = 0; i < c->nrecipients; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "name",
		    jstr_or_null(c->recipients[i].name));
		json_object_set_new(o, "address",
		    jstr_or_null(c->recipients[i].address));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "recipients", a);
	json_object_set_new(j, "intermediary", jstr_or_null(c->intermediary));
	json_object_set_new(j, "information", jstr_or_null(c->information));
	json_object_set_new(j, "categories", jcodes(c->categories));
	json_object_set_new(j, "purposes", jcodes(c->purposes));
	json_object_set_new(j, "purpose_text", jstr_or_null(c->purpose_text));
	json_object_set_new(j, "revocation_statement",
	    json_boolean(c->revocation_statement));
	json_object_set_new(j, "expires_on", jstr_or_null(c->expires_on));
	json_object_set_new(j, "expiry_event", jstr_or_null(c->expiry_event));
	json_object_set_new(j, "signer_name", jstr_or_null(c->signer_name));
	json_object_set_new(j, "signer_authority",
	    jstr_or_null(c->signer_authority));
	json_object_set_new(j, "signed_on", jstr_or_null(c->signed_on));
	json_object_set_new(j, "conditioning_statement",
	    json_boolean(c->conditioning_statement));
	json_object_set_new(j, "redisclosure_statement",
	    json_boolean(c->redisclosure_statement));
	json_object_set_new(j, "revoked_on", jstr_or_null(c->revoked_on));
	json_object_set_new(j, "revocation_method",
	    jstr_or_null(c->revocation_method));
	json_object_set_new(j, "revocation_note",
	    jstr_or_null(c->revocation_note));
	json_object_set_new(j, "revoked_by_name",
	    jstr_or_null(c->revoked_by_name));
	json_object_set_new(j, "recorded_by_name",
	    jstr_or_null(c->recorded_by_name));
	json_object_set_new(j, "rules_version", jstr_or_null(c->rules_version));
	json_object_set_new(j, "created_at", jtime(c->created_at));
	return j;
}

json_t *
api_disclosure_json(const struct disclosure_rec *d)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(d->id));
	json_object_set_new(j, "person_id", json_string(d->person_id));
	json_object_set_new(j, "basis", jstr_or_null(d->basis));
	json_object_set_new(j, "consent_id", jstr_or_null(d->consent_id));
	json_object_set_new(j, "consent_kind", jstr_or_null(d->consent_kind));
	json_object_set_new(j, "recipient_name",
	    jstr_or_null(d->recipient_name));
	json_object_set_new(j, "recipient_address",
	    jstr_or_null(d->recipient_address));
	json_object_set_new(j, "disclosed_at", jtime(d->disclosed_at));
	json_object_set_new(j, "information", jstr_or_null(d->information));
	json_object_set_new(j, "categories", jcodes(d->categories));
	json_object_set_new(j, "purpose", jstr_or_null(d->purpose));
	json_object_set_new(j, "method", jstr_or_null(d->method));
	json_object_set_new(j, "notice_code", jstr_or_null(d->notice_code));
	json_object_set_new(j, "notice_version",
	    jstr_or_null(d->notice_version));
	json_object_set_new(j, "part2", json_boolean(d->part2));
	json_object_set_new(j, "discloser_name",
	    jstr_or_null(d->discloser_name));
	json_object_set_new(j, "emergency_facility",
	    jstr_or_null(d->emergency_facility));
	json_object_set_new(j, "emergency_nature",
	    jstr_or_null(d->emergency_nature));
	return j;
}

static json_t *
notice_json(const struct consent_notice *n)
{
	json_t *j;

	if (n == NULL)
		return json_null();
	j = json_object();
	json_object_set_new(j, "code", json_string(n->code));
	json_object_set_new(j, "version", json_string(n->version));
	json_object_set_new(j, "rule", json_string(n->rule));
	json_object_set_new(j, "text", json_string(n->text));
	return j;
}

/* The strings of a JSON array, in a new array (the strings borrowed). */
static const char **
strings_of(json_t *arr, int *n)
{
	const char **s;
	size_t i;

	*n = 0;
	if (!json_is_array(arr))
		return NULL;
	s = xcalloc(json_array_size(arr) + 1, sizeof *s);
	for (i = 0; i < json_array_size(arr); i++)
		s[i] = json_string_value(json_array_get(arr, i));
	*n = (int)json_array_size(arr);
	return s;
}

static int
flag(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return v == NULL ? -1 : json_is_true(v) ? 1 : 0;
}

enum err
api_consents_create(struct req *r)
{
	struct consent_input in;
	struct consent_recipient *rec = NULL;
	struct consent_rec c;
	struct verr v;
	const char **cats, **purps, *rule = NULL;
	json_t *arr;
	char loc[80];
	size_t i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_consent, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	memset(&in, 0, sizeof in);
	in.kind = jstr(r->json, "kind");
	in.person_name = jstr(r->json, "person_name");
	in.disclosers = jstr(r->json, "disclosers");
	in.information = jstr(r->json, "information");
	in.intermediary = jstr(r->json, "intermediary");
	in.purpose_text = jstr(r->json, "purpose_text");
	in.expires_on = jstr(r->json, "expires_on");
	in.expiry_event = jstr(r->json, "expiry_event");
	in.signer_name = jstr(r->json, "signer_name");
	in.signer_authority = jstr(r->json, "signer_authority");
	in.signed_on = jstr(r->json, "signed_on");
	in.revocation_statement = flag(r->json, "revocation_statement");
	in.conditioning_statement = flag(r->json, "conditioning_statement");
	in.redisclosure_statement = flag(r->json, "redisclosure_statement");
	cats = strings_of(json_object_get(r->json, "categories"),
	    &in.ncategories);
	purps = strings_of(json_object_get(r->json, "purposes"),
	    &in.npurposes);
	in.categories = cats;
	in.purposes = purps;
	if ((arr = json_object_get(r->json, "recipients")) != NULL &&
	    json_array_size(arr) > 0) {
		rec = xcalloc(json_array_size(arr), sizeof *rec);
		for (i = 0; i < json_array_size(arr); i++) {
			json_t *o = json_array_get(arr, i);

			rec[i].name = (char *)(uintptr_t)jstr(o, "name");
			rec[i].address = (char *)(uintptr_t)jstr(o, "address");
		}
		in.recipients = rec;
		in.nrecipients = (int)json_array_size(arr);
	}
	e = consent_create(r->db, &r->actor, http_param(r, 0), &in, &v, &rule,
	    &c);
	free(cats);
	free(purps);
	free(rec);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	else if (e == ERR_RULE)
		http_problem_rule(r, rule, &v);
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/consents/%s", c.id);
	http_header_out(r, "Location", loc);
	http_etag(r, c.version);
	http_json(r, 201, consent_json(&c));
	consent_clear(&c);
	return ERR_OK;
}

enum err
api_consents_list(struct req *r)
{
	struct consent_rec *c = NULL;
	json_t *j, *items;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = consent_list(r->db, &r->actor, http_param(r, 0), &c, &n)) !=
	    ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, consent_json(&c[i]));
	consents_free(c, n);
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_consent_get(struct req *r)
{
	struct consent_rec c;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = consent_get(r->db, &r->actor, http_param(r, 0), &c)) !=
	    ERR_OK)
		return e;
	http_etag(r, c.version);
	http_json(r, 200, consent_json(&c));
	consent_clear(&c);
	return ERR_OK;
}

enum err
api_consent_revoke(struct req *r)
{
	struct consent_rec c;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_consent_revoke, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	e = consent_revoke(r->db, &r->actor, http_param(r, 0), want,
	    jstr(r->json, "revoked_on"), jstr(r->json, "method"),
	    jstr(r->json, "note"), &v, &c, &current);
	switch (e) {
	case ERR_OK:
		http_etag(r, c.version);
		http_json(r, 200, consent_json(&c));
		consent_clear(&c);
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		break;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:consent-revoked",
		    "This consent is revoked already",
		    "A consent is revoked once; record a new consent if the "
		    "person agrees again.");
		break;
	default:
		break;
	}
	return e;
}

static void
request_from_json(json_t *o, struct disclosure_request *q, const char ***cats)
{
	memset(q, 0, sizeof *q);
	q->recipient_name = jstr(o, "recipient_name");
	q->recipient_address = jstr(o, "recipient_address");
	q->purpose = jstr(o, "purpose");
	q->method = jstr(o, "method");
	q->information = jstr(o, "information");
	*cats = strings_of(json_object_get(o, "categories"), &q->ncategories);
	q->categories = *cats;
}

static json_t *
answer_json(const struct disclosure_answer *a)
{
	json_t *j = json_object();

	json_object_set_new(j, "allowed", json_boolean(a->allowed));
	json_object_set_new(j, "consent_id", a->allowed ?
	    json_string(a->consent_id) : json_null());
	json_object_set_new(j, "part2", json_boolean(a->part2));
	json_object_set_new(j, "field", jstr_or_null(a->field));
	json_object_set_new(j, "reason", a->allowed ? json_null() :
	    json_string(a->reason));
	json_object_set_new(j, "notice", notice_json(a->notice));
	return j;
}

enum err
api_disclosure_check(struct req *r)
{
	struct disclosure_request q;
	struct disclosure_answer ans;
	struct verr v;
	const char **cats;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_disclosure, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	request_from_json(r->json, &q, &cats);
	e = disclosure_ask(r->db, &r->actor, http_param(r, 0), &q, &v, &ans);
	free(cats);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	if (e != ERR_OK)
		return e;
	http_json(r, 200, answer_json(&ans));
	return ERR_OK;
}

enum err
api_disclosures_create(struct req *r)
{
	struct disclosure_request q;
	struct disclosure_answer ans;
	struct disclosure_rec d;
	struct verr v;
	const char **cats;
	json_t *j, *record;
	char loc[120];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_disclosure, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	request_from_json(r->json, &q, &cats);
	e = disclosure_make(r->db, &r->actor, http_param(r, 0), &q, &v, &ans,
	    &d);
	if (e == ERR_OK)
		e = record_export(r->db, d.person_id, q.categories,
		    q.ncategories, &record);
	free(cats);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	else if (e == ERR_RULE)
		http_problem_rule(r, no_consent_rule, &v);
	if (e != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "disclosure", api_disclosure_json(&d));
	json_object_set_new(j, "notice", notice_json(ans.notice));
	json_object_set_new(j, "record", record);
	snprintf(loc, sizeof loc, "/api/v1/people/%s/disclosures",
	    d.person_id);
	http_header_out(r, "Location", loc);
	disclosure_clear(&d);
	http_json(r, 201, j);
	return ERR_OK;
}

enum err
api_disclosure_emergency(struct req *r)
{
	struct emergency_input in;
	struct disclosure_rec d;
	struct verr v;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_emergency_disclosure, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	memset(&in, 0, sizeof in);
	in.personnel_name = jstr(r->json, "personnel_name");
	in.facility = jstr(r->json, "facility");
	in.nature = jstr(r->json, "nature");
	in.information = jstr(r->json, "information");
	in.method = jstr(r->json, "method");
	in.disclosed_at = jstr(r->json, "disclosed_at");
	e = disclosure_emergency(r->db, &r->actor, http_param(r, 0), &in, &v,
	    &d);
	if (e == ERR_INVALID)
		http_problem_fields(r, &v);
	if (e != ERR_OK)
		return e;
	http_json(r, 201, api_disclosure_json(&d));
	disclosure_clear(&d);
	return ERR_OK;
}

/* GET .../disclosures?years=N or ?from=&to= (dates, inclusive). */
enum err
api_disclosures_list(struct req *r)
{
	return api_accounting(r, http_param(r, 0));
}

enum err
api_accounting(struct req *r, const char *person_id)
{
	static const char *const allowed[] = { "years", "from", "to", NULL };
	const struct consent_rules *cr = &rules_get()->consents;
	struct disclosure_rec *d = NULL;
	struct verr v;
	struct date df, dt;
	const char *years = http_query(r, "years"), *from = http_query(r,
	    "from"), *to = http_query(r, "to");
	int64_t y = 0, from_ms, to_ms;
	json_t *j, *items;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if (years != NULL && (from != NULL || to != NULL))
		verr_add(&v, "years", "is instead of from and to");
	if (years != NULL && parse_int64(years, 1, 10, &y) != ERR_OK)
		verr_add(&v, "years", "must be a whole number from 1 to 10");
	if (from != NULL && date_parse(from, &df) != ERR_OK)
		verr_add(&v, "from", "must be a date, YYYY-MM-DD");
	if (to != NULL && date_parse(to, &dt) != ERR_OK)
		verr_add(&v, "to", "must be a date, YYYY-MM-DD");
	else if (to != NULL && from != NULL && v.n == 0 &&
	    date_cmp(dt, df) < 0)
		verr_add(&v, "to", "must not be before from");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	to_ms = to != NULL ? time_day_start_ms(date_add_days(dt, 1)) :
	    time_now_ms() + 1;
	if (from != NULL) {
		from_ms = time_day_start_ms(df);
	} else {
		struct date t = time_today();

		if (y == 0)
			y = cr->hipaa_years > 0 ? cr->hipaa_years : 6;
		t.y -= (int)y;
		if (t.m == 2 && t.d == 29)
			t.d = 28;
		from_ms = time_day_start_ms(t);
	}
	if ((e = disclosure_list(r->db, &r->actor, person_id, from_ms,
	    to_ms, &d, &n)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, api_disclosure_json(&d[i]));
	disclosures_free(d, n);
	json_object_set_new(j, "from", jtime(from_ms));
	json_object_set_new(j, "to", jtime(to_ms));
	json_object_set_new(j, "part2_years", json_integer(cr->part2_years));
	json_object_set_new(j, "hipaa_years", json_integer(cr->hipaa_years));
	json_object_set_new(j, "rule", jstr_or_null(cr->accounting_rule));
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}
