#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "interop/plan_json.h"
#include "util/parse.h"
#include "util/xalloc.h"

static json_t *
signature_json(const struct plan_signature *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(s->id));
	json_object_set_new(j, "role", jstr_or_null(s->role));
	json_object_set_new(j, "signed_by", jstr_or_null(s->signed_by));
	json_object_set_new(j, "typed_name", jstr_or_null(s->typed_name));
	json_object_set_new(j, "staff_id", jstr_or_null(s->staff_id));
	json_object_set_new(j, "credential", jstr_or_null(s->credential));
	json_object_set_new(j, "address", jstr_or_null(s->address));
	json_object_set_new(j, "affirmed", jcodes(s->affirmed));
	json_object_set_new(j, "denied", jcodes(s->denied));
	json_object_set_new(j, "rules_version", jstr_or_null(s->rules_version));
	json_object_set_new(j, "signed_on", jstr_or_null(s->signed_on));
	json_object_set_new(j, "signed_at", jtime(s->signed_at));
	return j;
}

/* A version; its content only when loaded. */
static json_t *
version_json(const struct plan_version *v)
{
	json_t *j = json_object(), *sigs = json_array();
	int i;

	json_object_set_new(j, "n", json_integer(v->n));
	json_object_set_new(j, "status", jstr_or_null(v->status));
	if (v->content != NULL) {
		json_t *c = json_loads(v->content, 0, NULL);

		json_object_set_new(j, "content", c ? c : json_object());
	}
	json_object_set_new(j, "structure_version",
	    jstr_or_null(v->structure_version));
	json_object_set_new(j, "signed_on", jstr_or_null(v->signed_on));
	json_object_set_new(j, "created_at", jtime(v->created_at));
	json_object_set_new(j, "created_by_name",
	    jstr_or_null(v->created_by_name));
	json_object_set_new(j, "updated_at", jtime(v->updated_at));
	for (i = 0; i < v->nsigs; i++)
		json_array_append_new(sigs, signature_json(&v->sigs[i]));
	json_object_set_new(j, "signatures", sigs);
	return j;
}

static json_t *
progress_json(const struct plan_progress *g)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(g->id));
	json_object_set_new(j, "item_id", jstr_or_null(g->item_id));
	json_object_set_new(j, "entry_date", jstr_or_null(g->entry_date));
	json_object_set_new(j, "note", jstr_or_null(g->note));
	json_object_set_new(j, "achievement_status",
	    jstr_or_null(g->achievement_status));
	json_object_set_new(j, "author_name", jstr_or_null(g->author_name));
	json_object_set_new(j, "created_at", jtime(g->created_at));
	return j;
}

static json_t *
plan_json(const struct plan *p)
{
	json_t *j = json_object(), *a;
	int i;

	json_object_set_new(j, "id", json_string(p->id));
	json_object_set_new(j, "version", json_integer(p->version));
	json_object_set_new(j, "person_id", json_string(p->person_id));
	json_object_set_new(j, "kind", jstr_or_null(p->kind));
	json_object_set_new(j, "title", jstr_or_null(p->title));
	json_object_set_new(j, "status", jstr_or_null(p->status));
	json_object_set_new(j, "latest", json_integer(p->latest));
	json_object_set_new(j, "in_force", p->in_force ?
	    json_integer(p->in_force) : json_null());
	json_object_set_new(j, "review_due", jstr_or_null(p->review_due));
	json_object_set_new(j, "executed_on", jstr_or_null(p->executed_on));
	json_object_set_new(j, "expires_on", jstr_or_null(p->expires_on));
	json_object_set_new(j, "rules_version", jstr_or_null(p->rules_version));
	json_object_set_new(j, "current", version_json(&p->current));
	a = json_array();
	for (i = 0; i < p->nneeds; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "role", json_string(p->needs[i].role));
		json_object_set_new(o, "label", json_string(p->needs[i].label));
		json_object_set_new(o, "count", json_integer(p->needs[i].count));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "needs", a);
	a = json_array();
	for (i = 0; i < p->ncopies; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "holder",
		    jstr_or_null(p->copies[i].holder));
		json_object_set_new(o, "relationship",
		    jstr_or_null(p->copies[i].relationship));
		json_object_set_new(o, "given_on",
		    jstr_or_null(p->copies[i].given_on));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "copies", a);
	a = json_array();
	for (i = 0; i < p->nprogress; i++)
		json_array_append_new(a, progress_json(&p->progress[i]));
	json_object_set_new(j, "progress", a);
	a = json_array();
	for (i = 0; i < p->nevents; i++) {
		json_t *o = json_object();
		const struct plan_event *ev = &p->events[i];

		json_object_set_new(o, "id", json_string(ev->id));
		json_object_set_new(o, "event", jstr_or_null(ev->event));
		json_object_set_new(o, "on_date", jstr_or_null(ev->on_date));
		json_object_set_new(o, "basis", jstr_or_null(ev->basis));
		json_object_set_new(o, "physician",
		    jstr_or_null(ev->physician));
		json_object_set_new(o, "delivered_on",
		    jstr_or_null(ev->delivered_on));
		json_object_set_new(o, "rules_version",
		    jstr_or_null(ev->rules_version));
		json_object_set_new(o, "created_at", jtime(ev->created_at));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "events", a);
	json_object_set_new(j, "created_at", jtime(p->created_at));
	json_object_set_new(j, "updated_at", jtime(p->updated_at));
	return j;
}

void
api_reply_plan(struct req *r, int status, struct plan *p)
{
	http_etag(r, p->version);
	http_json(r, status, plan_json(p));
	plan_clear(p);
}

/* Fills in from the body: title, copies (views into the body) and the
 * content, checked against kind's structure into doc. */
static void
input_from_json(json_t *o, const char *kind, struct plan_input *in,
    struct plan_doc *doc, struct plan_content *content, struct verr *v)
{
	json_t *arr, *c;
	size_t i;

	memset(doc, 0, sizeof *doc);
	if (jhas(o, "title")) {
		in->set_title = 1;
		in->title = jstr(o, "title");
	}
	if ((arr = json_object_get(o, "copies")) != NULL) {
		struct plan_copy *cp;
		size_t n = json_array_size(arr);

		cp = xcalloc(n ? n : 1, sizeof *cp);
		for (i = 0; i < n; i++) {
			json_t *x = json_array_get(arr, i);

			cp[i].holder = (char *)(uintptr_t)jstr(x, "holder");
			cp[i].relationship =
			    (char *)(uintptr_t)jstr(x, "relationship");
			cp[i].given_on = (char *)(uintptr_t)jstr(x, "given_on");
		}
		in->set_copies = 1;
		in->copies = cp;
		in->ncopies = (int)n;
	}
	if ((c = json_object_get(o, "content")) != NULL && kind != NULL &&
	    plan_kind_known(kind)) {
		if (plan_doc_check(kind, c, v, doc) == ERR_OK) {
			content->text = doc->text;
			content->structure_version = plan_structure_version();
			content->items = doc->items;
			content->nitems = doc->nitems;
			in->content = content;
		}
	}
}

static void
input_clear(struct plan_input *in, struct plan_doc *doc)
{
	free((void *)(uintptr_t)in->copies);
	plan_doc_clear(doc);
}

enum err
api_plans_create(struct req *r)
{
	struct db *db = r->db;
	struct plan_input in;
	struct plan_content content;
	struct plan_doc doc;
	struct plan p;
	struct verr v;
	const char *kind, *qkind;
	char loc[80];
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	memset(&in, 0, sizeof in);
	memset(&doc, 0, sizeof doc);
	if (!validate_object(r->json, body_plan_create, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	kind = jstr(r->json, "kind");
	qkind = http_query(r, "kind");
	if (kind != NULL && qkind != NULL && strcmp(kind, qkind) != 0)
		verr_add(&v, "kind", "must agree with the kind in the query");
	in.kind = kind ? kind : qkind;
	if (in.kind == NULL)
		verr_add(&v, "kind", "is required (in the body or the query)");
	input_from_json(r->json, in.kind, &in, &doc, &content, &v);
	e = plan_create(db, &r->actor, http_param(r, 0), &in, &v, &p);
	input_clear(&in, &doc);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/plans/%s", p.id);
	http_header_out(r, "Location", loc);
	api_reply_plan(r, 201, &p);
	return ERR_OK;
}

enum err
api_plan_get(struct req *r)
{
	struct plan p;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = plan_get(r->db, &r->actor, http_param(r, 0), &p)) != ERR_OK)
		return e;
	api_reply_plan(r, 200, &p);
	return ERR_OK;
}

/* Answers the errors the changing calls share. */
static enum err
answer(struct req *r, enum err e, const struct verr *v, const char *rule,
    int64_t want, int64_t current, struct plan *p, int status)
{
	switch (e) {
	case ERR_OK:
		api_reply_plan(r, status, p);
		break;
	case ERR_INVALID:
		http_problem_fields(r, v);
		break;
	case ERR_RULE:
		http_problem_rule(r, rule, v);
		break;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		break;
	default:
		break;
	}
	return e;
}

enum err
api_plan_update(struct req *r)
{
	struct db *db = r->db;
	struct plan_input in;
	struct plan_content content;
	struct plan_doc doc;
	struct plan p;
	struct verr v;
	int64_t want, current = 0;
	const char *kind;
	char k[32];
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	memset(&in, 0, sizeof in);
	memset(&doc, 0, sizeof doc);
	if (!validate_object(r->json, body_plan_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	kind = NULL;
	/* The content's structure depends on the plan's kind. */
	if (json_object_get(r->json, "content") != NULL) {
		if ((e = plan_kind(db, &r->actor, http_param(r, 0), k)) !=
		    ERR_OK)
			return e;
		kind = k;
	}
	input_from_json(r->json, kind, &in, &doc, &content, &v);
	e = plan_update(db, &r->actor, http_param(r, 0), want, &in, &v, &p,
	    &current);
	input_clear(&in, &doc);
	return answer(r, e, &v, NULL, want, current, &p, 200);
}

/* The answers object: each key a statement's code, each value true or
 * false. Views into the body; caller frees the two arrays. */
static void
answers_from_json(json_t *o, struct sign_input *in, struct verr *v)
{
	const char *key;
	json_t *val;
	const char **yes, **no;
	char f[96];

	in->yes = in->no = NULL;
	in->nyes = in->nno = 0;
	if (o == NULL)
		return;
	if (json_object_size(o) > 32) {
		verr_add(v, "answers", "must answer at most 32 statements");
		return;
	}
	yes = xcalloc(json_object_size(o) + 1, sizeof *yes);
	no = xcalloc(json_object_size(o) + 1, sizeof *no);
	json_object_foreach(o, key, val) {
		size_t n = strlen(key), i;
		int plain = n > 0 && n <= 64;

		for (i = 0; plain && i < n; i++)
			plain = (key[i] >= 'a' && key[i] <= 'z') ||
			    (key[i] >= '0' && key[i] <= '9') || key[i] == '_' ||
			    key[i] == '-';
		snprintf(f, sizeof f, "answers.%s", plain ? key : "(unknown)");
		if (!plain)
			verr_add(v, f, "is not a statement code");
		else if (!json_is_boolean(val))
			verr_add(v, f, "must be true or false");
		else if (json_is_true(val))
			yes[in->nyes++] = key;
		else
			no[in->nno++] = key;
	}
	in->yes = yes;
	in->no = no;
}

enum err
api_plan_sign(struct req *r)
{
	struct sign_input in;
	struct plan p;
	struct verr v;
	const char *rule = NULL;
	json_t *conf;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_plan_sign, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	memset(&in, 0, sizeof in);
	in.role = jstr(r->json, "role");
	in.typed_name = jstr(r->json, "typed_name");
	in.credential = jstr(r->json, "credential");
	in.address = jstr(r->json, "address");
	conf = json_object_get(r->json, "confirmed");
	in.confirmed = conf == NULL ? -1 : json_is_true(conf);
	answers_from_json(json_object_get(r->json, "answers"), &in, &v);
	if (v.n) {
		free((void *)(uintptr_t)in.yes);
		free((void *)(uintptr_t)in.no);
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = plan_sign(r->db, &r->actor, http_param(r, 0), want, &in, &v,
	    &rule, &p, &current);
	free((void *)(uintptr_t)in.yes);
	free((void *)(uintptr_t)in.no);
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:already-signed",
		    "This signature is not needed",
		    "The signer has signed this version already, or the "
		    "version is fully signed.");
		return e;
	}
	return answer(r, e, &v, rule, want, current, &p, 200);
}

enum err
api_plan_versions(struct req *r)
{
	struct plan_version *vs;
	json_t *j, *items;
	int n, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = plan_versions(r->db, &r->actor, http_param(r, 0), &vs, &n)) !=
	    ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, version_json(&vs[i]));
	plan_versions_free(vs, n);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "next", json_null());
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_plan_version_new(struct req *r)
{
	struct plan p;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	e = plan_new_version(r->db, &r->actor, http_param(r, 0), want, &p,
	    &current);
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:version-open",
		    "A new version cannot start now",
		    "The newest version is still a draft (change it in "
		    "place), or the plan is an executed advance directive "
		    "(revoke it and write a new one).");
		return e;
	}
	return answer(r, e, NULL, NULL, want, current, &p, 201);
}

enum err
api_plan_version_get(struct req *r)
{
	struct plan_version pv;
	int64_t n;
	char kind[32];
	json_t *j;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if (parse_int64(http_param(r, 1), 1, 100000, &n) != ERR_OK)
		return ERR_NOT_FOUND;
	if ((e = plan_version_get(r->db, &r->actor, http_param(r, 0), (int)n,
	    &pv, kind)) != ERR_OK)
		return e;
	j = version_json(&pv);
	json_object_set_new(j, "kind", json_string(kind));
	plan_version_clear(&pv);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_plan_progress(struct req *r)
{
	struct progress_input in;
	struct plan_progress g;
	struct verr v;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_plan_progress, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	in.item_id = jstr(r->json, "item_id");
	in.entry_date = jstr(r->json, "entry_date");
	in.note = jstr(r->json, "note");
	in.achievement_status = jstr(r->json, "achievement_status");
	if (in.achievement_status != NULL &&
	    !plan_code_known("goal_achievement", in.achievement_status))
		verr_add(&v, "achievement_status", "must be a code from the "
		    "goal achievement list");
	e = plan_progress_add(r->db, &r->actor, http_param(r, 0), &in, &v,
	    &g);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_json(r, 201, progress_json(&g));
	plan_progress_clear(&g);
	return ERR_OK;
}

enum err
api_plan_event(struct req *r)
{
	struct event_input in;
	struct plan p;
	struct verr v;
	const char *rule = NULL;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_plan_event, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	in.event = jstr(r->json, "event");
	in.on_date = jstr(r->json, "on_date");
	in.basis = jstr(r->json, "basis");
	in.physician = jstr(r->json, "physician");
	in.delivered_on = jstr(r->json, "delivered_on");
	in.principal_typed_name = jstr(r->json, "principal_typed_name");
	e = plan_event_add(r->db, &r->actor, http_param(r, 0), want, &in, &v,
	    &rule, &p, &current);
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:directive-state",
		    "The directive's standing does not allow this",
		    "Only an executed directive is invoked or revoked, and "
		    "only an invoked one has capacity restored.");
		return e;
	}
	return answer(r, e, &v, rule, want, current, &p, 200);
}

enum err
api_plans_list(struct req *r)
{
	static const char *const allowed[] = { "kind", "limit", "after", NULL };
	struct plan_summary *s = NULL;
	struct plan_due *due = NULL;
	struct verr v;
	const char *limit, *kind, *after;
	char next[37];
	int64_t lim = 50;
	int n = 0, nd = 0, i;
	json_t *j, *items, *dues;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	kind = http_query(r, "kind");
	after = http_query(r, "after");
	if (kind != NULL && *kind == '\0')
		kind = NULL;
	if (after != NULL && *after == '\0')
		after = NULL;
	if ((limit = http_query(r, "limit")) != NULL &&
	    parse_int64(limit, 1, PLAN_LIST_MAX, &lim) != ERR_OK) {
		verr_add(&v, "limit", "must be a whole number from 1 to 200");
		lim = 50;
	}
	e = plan_list(r->db, &r->actor, http_param(r, 0), kind, after,
	    (int)lim, &v, &s, &n, next, &due, &nd);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(s[i].id));
		json_object_set_new(o, "version", json_integer(s[i].version));
		json_object_set_new(o, "kind", jstr_or_null(s[i].kind));
		json_object_set_new(o, "title", jstr_or_null(s[i].title));
		json_object_set_new(o, "status", jstr_or_null(s[i].status));
		json_object_set_new(o, "latest", json_integer(s[i].latest));
		json_object_set_new(o, "in_force", s[i].in_force ?
		    json_integer(s[i].in_force) : json_null());
		json_object_set_new(o, "review_due",
		    jstr_or_null(s[i].review_due));
		json_object_set_new(o, "expires_on",
		    jstr_or_null(s[i].expires_on));
		json_object_set_new(o, "updated_at", jtime(s[i].updated_at));
		json_array_append_new(items, o);
	}
	dues = json_array();
	for (i = 0; i < nd; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "kind", json_string(due[i].kind));
		json_object_set_new(o, "due_on", json_string(due[i].due_on));
		json_object_set_new(o, "rule", jstr_or_null(due[i].rule));
		json_array_append_new(dues, o);
	}
	plan_summaries_free(s, n, due, nd);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "next", next[0] ? json_string(next) :
	    json_null());
	json_object_set_new(j, "due", dues);
	http_json(r, 200, j);
	return ERR_OK;
}

static json_t *
statements_json(const struct statement *s, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(s[i].code));
		json_object_set_new(o, "label", json_string(s[i].label));
		json_object_set_new(o, "rule", jstr_or_null(s[i].rule));
		json_object_set_new(o, "unless", jstr_or_null(s[i].unless));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
staff_roles_json(unsigned roles)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ROLE__COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(role_name(i)));
	return a;
}

enum err
api_plan_kinds(struct req *r)
{
	const struct rules *ru = rules_get();
	const struct pad_rules *pad = &ru->pad;
	json_t *st = plan_structure_json(), *j, *signers, *d, *a;
	int i, k;

	if (st == NULL)
		return ERR_INTERNAL;
	j = json_deep_copy(st);
	signers = json_object();
	for (i = 0; i < ru->nplan_rules; i++) {
		const struct plan_rule *pr = &ru->plan_rules[i];
		json_t *o = json_object();

		a = json_array();
		for (k = 0; k < pr->nsigners; k++) {
			json_t *s = json_object();

			json_object_set_new(s, "role",
			    json_string(pr->signers[k].role));
			json_object_set_new(s, "label",
			    json_string(pr->signers[k].label));
			json_object_set_new(s, "signed_by", json_string(
			    pr->signers[k].by == SIGNED_BY_PERSON ? "person" :
			    "staff"));
			json_object_set_new(s, "required",
			    json_boolean(pr->signers[k].required));
			json_object_set_new(s, "staff_roles",
			    staff_roles_json(pr->signers[k].staff_roles));
			json_array_append_new(a, s);
		}
		json_object_set_new(o, "signers", a);
		json_object_set_new(o, "first_due_months_after_enrollment",
		    pr->first_due_months ? json_integer(pr->first_due_months) :
		    json_null());
		json_object_set_new(o, "review_months", pr->review_months ?
		    json_integer(pr->review_months) : json_null());
		json_object_set_new(o, "rule", jstr_or_null(pr->rule));
		json_object_set(signers, pr->kind, o);
		json_decref(o);
	}
	json_object_set_new(j, "rules", signers);
	json_object_set_new(j, "rules_version",
	    jstr_or_null(ru->plans_version));
	d = json_object();
	json_object_set_new(d, "version", jstr_or_null(ru->pad_version));
	json_object_set_new(d, "state", jstr_or_null(pad->state));
	json_object_set_new(d, "title", jstr_or_null(pad->title));
	json_object_set_new(d, "statute", jstr_or_null(pad->statute));
	json_object_set_new(d, "valid_years", json_integer(pad->valid_years));
	json_object_set_new(d, "witness_count",
	    json_integer(pad->witness_count));
	json_object_set_new(d, "witness_attestations",
	    statements_json(pad->witness_attest, pad->nwitness_attest));
	json_object_set_new(d, "witness_disqualifications",
	    statements_json(pad->witness_disq, pad->nwitness_disq));
	json_object_set_new(d, "agent_disqualifications",
	    statements_json(pad->agent_disq, pad->nagent_disq));
	json_object_set_new(d, "agent_exemptions",
	    statements_json(pad->agent_exempt, pad->nagent_exempt));
	a = json_array();
	for (i = 0; i < pad->ninvocation_bases; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code",
		    json_string(pad->invocation_bases[i].code));
		json_object_set_new(o, "label",
		    json_string(pad->invocation_bases[i].label));
		json_array_append_new(a, o);
	}
	json_object_set_new(d, "invocation_bases", a);
	json_object_set_new(d, "revocation_requires_physician",
	    json_boolean(pad->revocation_physician));
	json_object_set_new(d, "valid_rule", jstr_or_null(pad->valid_rule));
	json_object_set_new(d, "principal_rule",
	    jstr_or_null(pad->principal_rule));
	json_object_set_new(d, "witness_rule", jstr_or_null(pad->witness_rule));
	json_object_set_new(d, "acceptance_rule",
	    jstr_or_null(pad->acceptance_rule));
	json_object_set_new(d, "invocation_rule",
	    jstr_or_null(pad->invocation_rule));
	json_object_set_new(d, "revocation_rule",
	    jstr_or_null(pad->revocation_rule));
	json_object_set_new(d, "not_while_incapable_rule",
	    jstr_or_null(pad->incapable_rule));
	json_object_set_new(j, "advance_directive", d);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_peer_minutes(struct req *r)
{
	static const char *const allowed[] = { "months", NULL };
	struct month_minutes m[PLAN_MINUTES_MONTHS_MAX];
	struct verr v;
	const char *q;
	int64_t months = 12;
	json_t *j, *items;
	int i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if ((q = http_query(r, "months")) != NULL &&
	    parse_int64(q, 1, PLAN_MINUTES_MONTHS_MAX, &months) != ERR_OK)
		verr_add(&v, "months", "must be a whole number from 1 to 36");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if ((e = plan_peer_minutes(r->db, &r->actor, http_param(r, 0),
	    (int)months, m)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < months; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "month", json_string(m[i].month));
		json_object_set_new(o, "minutes", json_integer(m[i].minutes));
		json_object_set_new(o, "contacts",
		    json_integer(m[i].contacts));
		json_array_append_new(items, o);
	}
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}
