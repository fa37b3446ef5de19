/*
 * The person's own portal: signing in with an invitation and a
 * passphrase, and what the person reads and writes there (their plans,
 * signed notes, comments, suggested plan changes, the accounting of
 * disclosures and their whole record). The routes under /api/v1/portal/
 * take only the portal's cookie and act as ROLE_PERSON, whose record is
 * always the session's own: no route takes a person's id. Also the staff
 * side: invitations, ending access, answering suggestions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/portal.h"
#include "access/session.h"
#include "core/consent.h"
#include "core/contact.h"
#include "core/person.h"
#include "core/plan.h"
#include "core/portal.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "interop/plan_json.h"
#include "util/crypto.h"
#include "util/qr.h"
#include "util/timeutil.h"

const char http_portal_cookie[] = "alongside_portal";

#define PORTAL_PLANS_MAX	100
#define PORTAL_NOTES_MAX	500

static int
secure(struct req *r)
{
	return r->tls || http_options()->secure_cookies;
}

static json_t *
me_json(const struct actor *a, const struct person *p, int64_t expires_at)
{
	json_t *j = json_object();

	json_object_set_new(j, "preferred_name",
	    jstr_or_null(p ? p->preferred_name : a->display_name));
	json_object_set_new(j, "pronouns", jstr_or_null(p ? p->pronouns :
	    NULL));
	json_object_set_new(j, "sign_in_name", json_string(a->username));
	json_object_set_new(j, "csrf_token", json_string(a->csrf_token));
	json_object_set_new(j, "idle_timeout_seconds",
	    json_integer(a->idle_timeout_s));
	json_object_set_new(j, "expires_at", jtime(expires_at));
	return j;
}

static void
signed_in(struct req *r, struct portal_sign_in *s)
{
	struct person p;
	char cookie[160];
	int have;

	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%lld%s", http_portal_cookie, s->token,
	    (long long)(auth_current()->portal_lifetime_ms / 1000),
	    secure(r) ? "; Secure" : "");
	http_header_out(r, "Set-Cookie", cookie);
	crypto_wipe(cookie, sizeof cookie);
	crypto_wipe(s->token, sizeof s->token);
	have = person_get(r->db, &s->actor, s->actor.person_id, &p) == ERR_OK;
	http_json(r, 201, me_json(&s->actor, have ? &p : NULL,
	    s->expires_at));
	if (have)
		person_clear(&p);
	crypto_wipe(s, sizeof *s);
}

static void
locked(struct req *r, int64_t retry_after_s)
{
	char ra[24];

	snprintf(ra, sizeof ra, "%lld", (long long)retry_after_s);
	http_header_out(r, "Retry-After", ra);
	http_problem(r, 429, "urn:alongside:problem:sign-in-locked",
	    "Too many tries", "Wait a little, then try again. If it keeps "
	    "happening, ask your peer specialist for a new invitation.");
}

enum err
api_portal_activate(struct req *r)
{
	struct portal_sign_in s;
	struct verr v;
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_portal_activate, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = portal_activate(r->db, jstr(r->json, "code"),
	    jstr(r->json, "sign_in_name"), jstr(r->json, "passphrase"),
	    r->actor.client_addr, &v, &s);
	switch (e) {
	case ERR_OK:
		signed_in(r, &s);
		return ERR_OK;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		return e;
	case ERR_CONFLICT:
		http_problem_fields(r, &v);
		r->status = 409;
		return e;
	case ERR_UNAUTHENTICATED:
		http_problem(r, 401, "urn:alongside:problem:invitation-invalid",
		    "That invitation code does not work",
		    "It may be mistyped, used already or out of date. Ask "
		    "your peer specialist for a new one.");
		return e;
	default:
		return e;
	}
}

enum err
api_portal_session_create(struct req *r)
{
	struct portal_sign_in s;
	struct verr v;
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_portal_sign_in, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = portal_sign_in(r->db, jstr(r->json, "sign_in_name"),
	    jstr(r->json, "passphrase"), r->actor.client_addr, &s);
	if (e == ERR_RATE_LIMITED) {
		locked(r, s.retry_after_s);
		return e;
	}
	if (e == ERR_UNAUTHENTICATED) {
		http_problem(r, 401, "urn:alongside:problem:sign-in-failed",
		    "Sign-in did not work", "The sign-in name or passphrase "
		    "is not right. If you have forgotten them, your peer "
		    "specialist can give you a new invitation.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	signed_in(r, &s);
	return ERR_OK;
}

enum err
api_portal_session_delete(struct req *r)
{
	char cookie[128];
	enum err e;

	if ((e = portal_sign_out(r->db, &r->actor)) != ERR_OK)
		return e;
	snprintf(cookie, sizeof cookie, "%s=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0%s", http_portal_cookie,
	    secure(r) ? "; Secure" : "");
	http_header_out(r, "Set-Cookie", cookie);
	http_empty(r, 204);
	return ERR_OK;
}

enum err
api_portal_me(struct req *r)
{
	struct person p;
	enum err e;

	if ((e = person_get(r->db, &r->actor, r->actor.person_id, &p)) !=
	    ERR_OK)
		return e;
	http_json(r, 200, me_json(&r->actor, &p, r->portal_expires_at));
	person_clear(&p);
	return ERR_OK;
}

/* ---- plans ------------------------------------------------------- */

static const char *
kind_label(const char *kind)
{
	json_t *st = plan_structure_json(), *kinds, *k;
	size_t i;

	kinds = st ? json_object_get(st, "kinds") : NULL;
	json_array_foreach(kinds, i, k) {
		const char *c = jstr(k, "kind");

		if (c != NULL && kind != NULL && strcmp(c, kind) == 0)
			return jstr(k, "label");
	}
	return NULL;
}

/* A version as the person reads it: content and who signed. */
static json_t *
version_json(const struct plan_version *v)
{
	json_t *j = json_object(), *sigs = json_array(), *c;
	int i;

	json_object_set_new(j, "n", json_integer(v->n));
	json_object_set_new(j, "status", jstr_or_null(v->status));
	c = v->content ? json_loads(v->content, 0, NULL) : NULL;
	json_object_set_new(j, "content", c ? c : json_object());
	json_object_set_new(j, "signed_on", jstr_or_null(v->signed_on));
	json_object_set_new(j, "updated_at", jtime(v->updated_at));
	for (i = 0; i < v->nsigs; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "role", jstr_or_null(v->sigs[i].role));
		json_object_set_new(s, "typed_name",
		    jstr_or_null(v->sigs[i].typed_name));
		json_object_set_new(s, "signed_on",
		    jstr_or_null(v->sigs[i].signed_on));
		json_array_append_new(sigs, s);
	}
	json_object_set_new(j, "signatures", sigs);
	return j;
}

static json_t *
proposal_json(const struct proposal_rec *p, int with_content)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(p->id));
	json_object_set_new(j, "plan_id", json_string(p->plan_id));
	json_object_set_new(j, "n", json_integer(p->n));
	json_object_set_new(j, "status", jstr_or_null(p->status));
	json_object_set_new(j, "note", jstr_or_null(p->note));
	json_object_set_new(j, "reason", jstr_or_null(p->reason));
	json_object_set_new(j, "created_at", jtime(p->created_at));
	json_object_set_new(j, "decided_at", jtime_or_null(p->decided_at));
	json_object_set_new(j, "decided_by_name",
	    jstr_or_null(p->decided_by_name));
	if (with_content) {
		json_t *c = p->content ? json_loads(p->content, 0, NULL) :
		    NULL;

		json_object_set_new(j, "content", c ? c : json_object());
	}
	return j;
}

/* The plan id as the person reads it, into *out. */
static enum err
plan_detail(struct req *r, const char *id, json_t **out)
{
	struct plan p;
	struct plan_version sv;
	struct proposal_rec *props = NULL;
	json_t *j, *a;
	char kind[32];
	int n = 0, i;
	enum err e;

	*out = NULL;
	if ((e = plan_get(r->db, &r->actor, id, &p)) != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "id", json_string(p.id));
	json_object_set_new(j, "version", json_integer(p.version));
	json_object_set_new(j, "kind", jstr_or_null(p.kind));
	json_object_set_new(j, "kind_label", jstr_or_null(kind_label(p.kind)));
	json_object_set_new(j, "title", jstr_or_null(p.title));
	json_object_set_new(j, "status", jstr_or_null(p.status));
	json_object_set_new(j, "latest", json_integer(p.latest));
	json_object_set_new(j, "in_force", p.in_force ?
	    json_integer(p.in_force) : json_null());
	json_object_set_new(j, "review_due", jstr_or_null(p.review_due));
	json_object_set_new(j, "current", version_json(&p.current));
	json_object_set_new(j, "signed", json_null());
	if (p.in_force && p.in_force != p.latest) {
		if ((e = plan_version_get(r->db, &r->actor, id, p.in_force, &sv,
		    kind)) != ERR_OK)
			goto fail;
		json_object_set_new(j, "signed", version_json(&sv));
		plan_version_clear(&sv);
	}
	if ((e = proposal_list(r->db, &r->actor, id, &props, &n)) != ERR_OK)
		goto fail;
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, proposal_json(&props[i], 0));
	proposals_free(props, n);
	json_object_set_new(j, "proposals", a);
	plan_clear(&p);
	*out = j;
	return ERR_OK;
fail:
	plan_clear(&p);
	json_decref(j);
	return e;
}

/* The person's plans, newest first, into *out (items). */
static enum err
plan_items(struct req *r, json_t **out)
{
	struct plan_summary *s = NULL;
	struct plan_due *due = NULL;
	struct verr v;
	char next[37];
	int n = 0, nd = 0, i;
	enum err e;

	*out = NULL;
	verr_init(&v);
	if ((e = plan_list(r->db, &r->actor, r->actor.person_id, NULL, NULL,
	    PORTAL_PLANS_MAX, &v, &s, &n, next, &due, &nd)) != ERR_OK)
		return e;
	*out = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(s[i].id));
		json_object_set_new(o, "kind", jstr_or_null(s[i].kind));
		json_object_set_new(o, "kind_label",
		    jstr_or_null(kind_label(s[i].kind)));
		json_object_set_new(o, "title", jstr_or_null(s[i].title));
		json_object_set_new(o, "status", jstr_or_null(s[i].status));
		json_object_set_new(o, "in_force", s[i].in_force ?
		    json_integer(s[i].in_force) : json_null());
		json_object_set_new(o, "review_due",
		    jstr_or_null(s[i].review_due));
		json_object_set_new(o, "updated_at", jtime(s[i].updated_at));
		json_array_append_new(*out, o);
	}
	plan_summaries_free(s, n, due, nd);
	return ERR_OK;
}

enum err
api_portal_plans(struct req *r)
{
	json_t *items, *j;
	enum err e;

	if ((e = plan_items(r, &items)) != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_portal_plan(struct req *r)
{
	json_t *j;
	enum err e;

	if ((e = plan_detail(r, http_param(r, 0), &j)) != ERR_OK)
		return e;
	http_etag(r, json_integer_value(json_object_get(j, "version")));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_portal_proposal_create(struct req *r)
{
	struct proposal_rec p;
	struct plan_doc doc;
	struct plan pl;
	struct verr v;
	int64_t want, current = 0;
	char kind[32];
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_proposal, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	/* The content's structure is the plan's kind's; reading the plan
	 * is the person's own read, audited. */
	if ((e = plan_get(r->db, &r->actor, http_param(r, 0), &pl)) != ERR_OK)
		return e;
	snprintf(kind, sizeof kind, "%s", pl.kind ? pl.kind : "");
	plan_clear(&pl);
	memset(&doc, 0, sizeof doc);
	if (plan_doc_check(kind, json_object_get(r->json, "content"), &v,
	    &doc) != ERR_OK && v.n == 0)
		verr_add(&v, "content", "is not a plan of this kind");
	e = proposal_create(r->db, &r->actor, http_param(r, 0), want,
	    doc.text, jstr(r->json, "note"), &v, &p, &current);
	plan_doc_clear(&doc);
	switch (e) {
	case ERR_OK:
		http_json(r, 201, proposal_json(&p, 1));
		proposal_clear(&p);
		return ERR_OK;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		return e;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		return e;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:not-a-draft",
		    "This plan is not a draft now",
		    "Changes can be suggested while a plan is being written. "
		    "Talk with your peer specialist about starting a new "
		    "version.");
		return e;
	default:
		return e;
	}
}

/* ---- notes ------------------------------------------------------- */

static const char *
type_label(const char *code)
{
	const struct billing_type *t = code ? billing_type_find(
	    &rules_get()->billing, code) : NULL;

	return t ? t->label : NULL;
}

static const char *
setting_label(const char *code)
{
	const struct billing_setting *t = code ? billing_setting_find(
	    &rules_get()->billing, code) : NULL;

	return t ? t->label : NULL;
}

/* The words of the item with id item_id anywhere in content. Borrowed. */
static const char *
item_words(json_t *content, const char *item_id)
{
	const char *key, *s;
	json_t *val;
	size_t i;

	if (json_is_object(content)) {
		s = jstr(content, "id");
		if (s != NULL && strcmp(s, item_id) == 0) {
			if ((s = jstr(content, "words")) != NULL ||
			    (s = jstr(content, "what")) != NULL)
				return s;
		}
		json_object_foreach(content, key, val)
			if ((s = item_words(val, item_id)) != NULL)
				return s;
	} else if (json_is_array(content)) {
		json_array_foreach(content, i, val)
			if ((s = item_words(val, item_id)) != NULL)
				return s;
	}
	return NULL;
}

/* The plan goals a note worked on, with their words from the plans'
 * newest versions; plans (plan id -> content) keeps each plan read once
 * however many notes name it. */
static json_t *
goals_json(struct req *r, const struct contact_rec *c, json_t *plans)
{
	json_t *a = json_array(), *content;
	int i;

	for (i = 0; i < c->ngoals; i++) {
		const char *pid = c->goals[i].plan_id;
		json_t *o = json_object();

		if ((content = json_object_get(plans, pid)) == NULL) {
			struct plan p;

			if (plan_get(r->db, &r->actor, pid, &p) == ERR_OK) {
				if (p.current.content)
					content = json_loads(p.current.content,
					    0, NULL);
				plan_clear(&p);
			}
			if (content == NULL)
				content = json_null();
			json_object_set_new(plans, pid, content);
		}
		json_object_set_new(o, "plan_id", json_string(pid));
		json_object_set_new(o, "item_id",
		    json_string(c->goals[i].item_id));
		json_object_set_new(o, "words",
		    jstr_or_null(item_words(content, c->goals[i].item_id)));
		json_array_append_new(a, o);
	}
	return a;
}

/* A signed note as the person reads it: the words, not the billing. */
static json_t *
note_json(struct req *r, const struct contact_rec *c, json_t *plans)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(c->id));
	json_object_set_new(j, "service_date", jstr_or_null(c->service_date));
	json_object_set_new(j, "started_at", jtime(c->started_at));
	json_object_set_new(j, "ended_at", jtime(c->ended_at));
	json_object_set_new(j, "minutes", json_integer(c->minutes));
	json_object_set_new(j, "type", jstr_or_null(c->type));
	json_object_set_new(j, "type_label", jstr_or_null(type_label(c->type)));
	json_object_set_new(j, "setting", jstr_or_null(setting_label(
	    c->setting)));
	json_object_set_new(j, "location", jstr_or_null(c->location));
	json_object_set_new(j, "intervention", jstr_or_null(c->intervention));
	json_object_set_new(j, "response", jstr_or_null(c->response));
	json_object_set_new(j, "next_steps", jstr_or_null(c->next_steps));
	json_object_set_new(j, "written_together",
	    c->written_together < 0 ? json_null() :
	    json_boolean(c->written_together));
	json_object_set_new(j, "group_name", c->group_session_id ?
	    jstr_or_null(c->group_name) : json_null());
	json_object_set_new(j, "goals", goals_json(r, c, plans));
	json_object_set_new(j, "author_name", jstr_or_null(c->author_name));
	json_object_set_new(j, "credential", jstr_or_null(c->credential));
	json_object_set_new(j, "signed_at", jtime_or_null(c->signed_at));
	json_object_set_new(j, "addenda", api_contact_addenda_json(c));
	json_object_set_new(j, "comments", api_contact_comments_json(c));
	return j;
}

/* A signed note of the person's, read and audited; drafts are not theirs
 * to read yet (ERR_NOT_FOUND). */
static enum err
note_get(struct req *r, const char *id, struct contact_rec *c)
{
	enum err e;

	if ((e = contact_get(r->db, &r->actor, id, c)) != ERR_OK)
		return e;
	if (c->status == NULL || strcmp(c->status, "signed") != 0) {
		contact_clear(c);
		return ERR_NOT_FOUND;
	}
	return ERR_OK;
}

/* The person's signed notes, newest first: the list's lines from the
 * summaries (one audited read of the list), or with detail each note
 * whole (each an audited read). */
static enum err
note_items(struct req *r, int detail, json_t **out)
{
	struct contact_summary *s = NULL;
	struct verr v;
	json_t *plans = json_object();
	char after[37] = "", next[37];
	int n, i, total = 0;
	enum err e = ERR_OK;

	*out = json_array();
	do {
		verr_init(&v);
		n = 0;
		if ((e = contact_list(r->db, &r->actor, r->actor.person_id,
		    after[0] ? after : NULL, 100, &v, &s, &n, next)) != ERR_OK)
			break;
		for (i = 0; i < n && total < PORTAL_NOTES_MAX; i++) {
			struct contact_rec c;
			json_t *o;

			if (strcmp(s[i].status, "signed") != 0)
				continue;
			if (detail) {
				if ((e = note_get(r, s[i].id, &c)) != ERR_OK)
					break;
				o = note_json(r, &c, plans);
				contact_clear(&c);
			} else {
				o = json_object();
				json_object_set_new(o, "id", json_string(s[i].id));
				json_object_set_new(o, "service_date",
				    json_string(s[i].service_date));
				json_object_set_new(o, "type",
				    jstr_or_null(s[i].type));
				json_object_set_new(o, "type_label",
				    jstr_or_null(type_label(s[i].type)));
				json_object_set_new(o, "author_name",
				    jstr_or_null(s[i].author_name));
				json_object_set_new(o, "credential",
				    jstr_or_null(s[i].credential));
				json_object_set_new(o, "minutes",
				    json_integer(s[i].minutes));
				json_object_set_new(o, "comments",
				    json_integer(s[i].ncomments));
			}
			json_array_append_new(*out, o);
			total++;
		}
		contact_summaries_free(s, n);
		snprintf(after, sizeof after, "%s", next);
	} while (e == ERR_OK && next[0] && total < PORTAL_NOTES_MAX);
	json_decref(plans);
	if (e != ERR_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}

enum err
api_portal_notes(struct req *r)
{
	json_t *items, *j;
	enum err e;

	if ((e = note_items(r, 0, &items)) != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "items", items);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_portal_note(struct req *r)
{
	struct contact_rec c;
	json_t *plans;
	enum err e;

	if ((e = note_get(r, http_param(r, 0), &c)) != ERR_OK)
		return e;
	plans = json_object();
	http_json(r, 200, note_json(r, &c, plans));
	json_decref(plans);
	contact_clear(&c);
	return ERR_OK;
}

enum err
api_portal_comment(struct req *r)
{
	struct contact_rec c;
	struct verr v;
	json_t *ack, *plans;
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_portal_comment, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	ack = json_object_get(r->json, "acknowledged");
	/* The name on the comment is the person's own: they are signed in. */
	e = contact_comment_add(r->db, &r->actor, http_param(r, 0),
	    r->actor.display_name, jstr(r->json, "body"), json_is_true(ack),
	    &v, &c);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e == ERR_CONFLICT) {
		/* Drafts are not the person's to see. */
		return ERR_NOT_FOUND;
	}
	if (e != ERR_OK)
		return e;
	plans = json_object();
	http_json(r, 201, note_json(r, &c, plans));
	json_decref(plans);
	contact_clear(&c);
	return ERR_OK;
}

enum err
api_portal_disclosures(struct req *r)
{
	return api_accounting(r, r->actor.person_id);
}

/* ---- the whole record -------------------------------------------- */

enum err
api_portal_record(struct req *r)
{
	struct person p;
	struct disclosure_rec *d = NULL;
	json_t *j, *o, *a, *plans = NULL, *notes = NULL;
	struct date t = time_today();
	char stamp[25];
	size_t i;
	int n = 0, k;
	enum err e;

	if ((e = person_get(r->db, &r->actor, r->actor.person_id, &p)) !=
	    ERR_OK)
		return e;
	j = json_object();
	time_format_utc(time_now_ms(), stamp);
	json_object_set_new(j, "generated_at", json_string(stamp));
	o = json_object();
	json_object_set_new(o, "preferred_name", jstr_or_null(p.preferred_name));
	json_object_set_new(o, "legal_name", jstr_or_null(p.legal_name));
	json_object_set_new(o, "pronouns", jstr_or_null(p.pronouns));
	json_object_set_new(o, "date_of_birth", jstr_or_null(p.date_of_birth));
	json_object_set_new(o, "phone", jstr_or_null(p.phone));
	json_object_set_new(o, "language", jstr_or_null(p.language));
	json_object_set_new(j, "person", o);
	a = json_array();
	for (k = 0; k < p.nepisodes; k++) {
		o = json_object();
		json_object_set_new(o, "intake_date",
		    jstr_or_null(p.episodes[k].intake_date));
		json_object_set_new(o, "agreement_date",
		    jstr_or_null(p.episodes[k].agreement_date));
		json_object_set_new(o, "discharge_date",
		    jstr_or_null(p.episodes[k].discharge_date));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "episodes", a);
	person_clear(&p);
	if ((e = plan_items(r, &plans)) != ERR_OK)
		goto fail;
	a = json_array();
	json_array_foreach(plans, i, o) {
		json_t *detail;

		if ((e = plan_detail(r, jstr(o, "id"), &detail)) != ERR_OK) {
			json_decref(a);
			goto fail;
		}
		json_array_append_new(a, detail);
	}
	json_object_set_new(j, "plans", a);
	if ((e = note_items(r, 1, &notes)) != ERR_OK)
		goto fail;
	json_object_set_new(j, "notes", notes);
	notes = NULL;
	/* Six years back: the longest accounting the rules ask for. */
	t.y -= rules_get()->consents.hipaa_years > 0 ?
	    rules_get()->consents.hipaa_years : 6;
	if (t.m == 2 && t.d == 29)
		t.d = 28;
	if ((e = disclosure_list(r->db, &r->actor, r->actor.person_id,
	    time_day_start_ms(t), time_now_ms() + 1, &d, &n)) != ERR_OK)
		goto fail;
	a = json_array();
	for (k = 0; k < n; k++)
		json_array_append_new(a, api_disclosure_json(&d[k]));
	disclosures_free(d, n);
	json_object_set_new(j, "disclosures", a);
	json_decref(plans);
	http_header_out(r, "Content-Disposition",
	    "attachment; filename=\"my-record.json\"");
	http_header_out(r, "Cache-Control", "no-store");
	http_json(r, 200, j);
	return ERR_OK;
fail:
	json_decref(plans);
	json_decref(j);
	return e;
}

/* ---- staff: invitations and suggestions -------------------------- */

static json_t *
status_json(const struct portal_status *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "status", json_string(portal_state(s)));
	json_object_set_new(j, "sign_in_name", s->sign_in_name[0] ?
	    json_string(s->sign_in_name) : json_null());
	json_object_set_new(j, "invited_at", jtime_or_null(s->invited_at));
	json_object_set_new(j, "invite_expires_at",
	    jtime_or_null(s->invite_expires_at));
	json_object_set_new(j, "activated_at", jtime_or_null(s->activated_at));
	json_object_set_new(j, "last_sign_in_at",
	    jtime_or_null(s->last_sign_in_at));
	json_object_set_new(j, "ended_at", jtime_or_null(s->ended_at));
	return j;
}

enum err
api_portal_status(struct req *r)
{
	struct portal_status s;
	enum err e;

	if ((e = portal_status_get(r->db, &r->actor, http_param(r, 0), &s)) !=
	    ERR_OK)
		return e;
	http_json(r, 200, status_json(&s));
	return ERR_OK;
}

/* The address the invitation's QR code opens: this server as the
 * browser reached it. */
static void
portal_url(struct req *r, const char *code, char *out, size_t n)
{
	const char *host = http_header_in(r, "Host");
	const char *p;
	int ok = host != NULL && *host != '\0' && strlen(host) <= 255;

	for (p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == ':' || *p == '[' || *p == ']';
	snprintf(out, n, "%s://%s/portal.html#code=%s",
	    secure(r) ? "https" : "http", ok ? host : http_options()->listen,
	    code);
}

enum err
api_portal_invite(struct req *r)
{
	struct portal_status s;
	char code[PORTAL_CODE_MAX], url[400];
	char *svg = NULL;
	json_t *j;
	enum err e;

	if ((e = portal_invite(r->db, &r->actor, http_param(r, 0), code,
	    &s)) != ERR_OK)
		return e;
	portal_url(r, code, url, sizeof url);
	if ((e = qr_svg(url, &svg)) != ERR_OK) {
		crypto_wipe(code, sizeof code);
		crypto_wipe(url, sizeof url);
		return e;
	}
	j = status_json(&s);
	json_object_set_new(j, "code", json_string(code));
	json_object_set_new(j, "url", json_string(url));
	json_object_set_new(j, "qr_svg", json_string(svg));
	free(svg);
	crypto_wipe(code, sizeof code);
	crypto_wipe(url, sizeof url);
	http_header_out(r, "Cache-Control", "no-store");
	http_json(r, 201, j);
	return ERR_OK;
}

enum err
api_portal_end(struct req *r)
{
	enum err e;

	if ((e = portal_end(r->db, &r->actor, http_param(r, 0))) != ERR_OK)
		return e;
	http_empty(r, 204);
	return ERR_OK;
}

enum err
api_plan_proposals(struct req *r)
{
	struct proposal_rec *p = NULL;
	json_t *j, *a;
	int n = 0, i;
	enum err e;

	if ((e = proposal_list(r->db, &r->actor, http_param(r, 0), &p, &n)) !=
	    ERR_OK)
		return e;
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, proposal_json(&p[i], 1));
	proposals_free(p, n);
	j = json_object();
	json_object_set_new(j, "items", a);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_proposal_accept(struct req *r)
{
	struct proposal_rec pr;
	struct plan_input in;
	struct plan_content content;
	struct plan_doc doc;
	struct plan p;
	struct verr v;
	json_t *c;
	int64_t want, current = 0;
	char kind[32];
	enum err e;

	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	if ((e = proposal_get(r->db, &r->actor, http_param(r, 0), &pr)) !=
	    ERR_OK)
		return e;
	verr_init(&v);
	memset(&in, 0, sizeof in);
	memset(&doc, 0, sizeof doc);
	c = pr.content ? json_loads(pr.content, 0, NULL) : NULL;
	if ((e = plan_kind(r->db, &r->actor, pr.plan_id, kind)) != ERR_OK)
		goto out;
	/* Checked when it was made; checked again against the structure
	 * in force now. */
	if (c == NULL || plan_doc_check(kind, c, &v, &doc) != ERR_OK) {
		if (v.n == 0)
			verr_add(&v, "content", "is not a plan of this kind");
		http_problem_rule(r, "the plan's structure", &v);
		e = ERR_RULE;
		goto out;
	}
	content.text = doc.text;
	content.structure_version = plan_structure_version();
	content.items = doc.items;
	content.nitems = doc.nitems;
	in.content = &content;
	in.proposal_id = pr.id;
	e = plan_update(r->db, &r->actor, pr.plan_id, want, &in, &v, &p,
	    &current);
	switch (e) {
	case ERR_OK:
		api_reply_plan(r, 200, &p);
		break;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		break;
	case ERR_FROZEN:
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:proposal-outdated",
		    "This suggestion cannot be accepted as it is",
		    "It was answered already, or the draft has changed since "
		    "it was made. Go through it together and change the draft "
		    "by hand, or decline it.");
		break;
	case ERR_INVALID:
		http_problem_fields(r, &v);
		break;
	default:
		break;
	}
out:
	json_decref(c);
	plan_doc_clear(&doc);
	proposal_clear(&pr);
	return e;
}

enum err
api_proposal_decline(struct req *r)
{
	struct proposal_rec p;
	struct verr v;
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_proposal_decline, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	e = proposal_decline(r->db, &r->actor, http_param(r, 0),
	    jstr(r->json, "reason"), &v, &p);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:proposal-answered",
		    "This suggestion has been answered",
		    "It was accepted or declined already.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_json(r, 200, proposal_json(&p, 1));
	proposal_clear(&p);
	return ERR_OK;
}
