#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact.h"
#include "core/group.h"
#include "core/note_rules.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "util/buf.h"
#include "util/parse.h"
#include "util/xalloc.h"

json_t *
contact_missing_json(unsigned m)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} el[] = {
		{ NOTE_EL_LOCATION, "location" },
		{ NOTE_EL_INTERVENTION, "intervention" },
		{ NOTE_EL_RESPONSE, "response" },
		{ NOTE_EL_NEXT_STEPS, "next_steps" },
		{ NOTE_EL_GOALS, "goals" },
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof el / sizeof el[0]; i++)
		if (m & el[i].bit)
			json_array_append_new(a, json_string(el[i].name));
	return a;
}

json_t *
contact_billing_json(const struct contact_rec *c)
{
	json_t *a, *b;
	int i;

	b = json_object();
	json_object_set_new(b, "billing_code", jstr_or_null(c->billing_code));
	json_object_set_new(b, "modifiers", jcodes(c->modifiers));
	json_object_set_new(b, "place_of_service",
	    jstr_or_null(c->place_of_service));
	json_object_set_new(b, "units", json_integer(c->units));
	json_object_set_new(b, "billable", json_boolean(c->billable));
	a = json_array();
	for (i = 0; i < c->nreasons; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code", jstr_or_null(c->reasons[i].code));
		json_object_set_new(o, "text", json_string(c->reasons[i].text));
		json_object_set_new(o, "rule", jstr_or_null(c->reasons[i].rule));
		json_array_append_new(a, o);
	}
	json_object_set_new(b, "not_billable", a);
	json_object_set_new(b, "rules_version",
	    jstr_or_null(c->billing_version ? c->billing_version :
	    rules_get()->billing.version));
	return b;
}

json_t *
api_contact_addenda_json(const struct contact_rec *c)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < c->naddenda; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(c->addenda[i].id));
		json_object_set_new(o, "body", jstr_or_null(c->addenda[i].body));
		json_object_set_new(o, "author_name",
		    jstr_or_null(c->addenda[i].author_name));
		json_object_set_new(o, "created_at",
		    jtime(c->addenda[i].created_at));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
api_contact_comments_json(const struct contact_rec *c)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < c->ncomments; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(c->comments[i].id));
		json_object_set_new(o, "body", jstr_or_null(c->comments[i].body));
		json_object_set_new(o, "acknowledged",
		    json_boolean(c->comments[i].acknowledged));
		json_object_set_new(o, "typed_name",
		    jstr_or_null(c->comments[i].typed_name));
		json_object_set_new(o, "created_at",
		    jtime(c->comments[i].created_at));
		json_object_set_new(o, "from_portal",
		    json_boolean(c->comments[i].from_portal));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
contact_json(const struct contact_rec *c)
{
	json_t *j = json_object(), *a, *b;
	int i;

	json_object_set_new(j, "id", json_string(c->id));
	json_object_set_new(j, "version", json_integer(c->version));
	json_object_set_new(j, "person_id", json_string(c->person_id));
	json_object_set_new(j, "type", jstr_or_null(c->type));
	json_object_set_new(j, "started_at", jtime(c->started_at));
	json_object_set_new(j, "ended_at", jtime(c->ended_at));
	json_object_set_new(j, "minutes", json_integer(c->minutes));
	json_object_set_new(j, "service_date", jstr_or_null(c->service_date));
	json_object_set_new(j, "setting", jstr_or_null(c->setting));
	json_object_set_new(j, "location", jstr_or_null(c->location));
	json_object_set_new(j, "program", jstr_or_null(c->program));
	json_object_set_new(j, "person_at_home",
	    json_boolean(c->person_at_home));
	json_object_set_new(j, "intervention", jstr_or_null(c->intervention));
	json_object_set_new(j, "response", jstr_or_null(c->response));
	json_object_set_new(j, "next_steps", jstr_or_null(c->next_steps));
	json_object_set_new(j, "written_together",
	    json_boolean(c->written_together));
	a = json_array();
	for (i = 0; i < c->ngoals; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "plan_id",
		    json_string(c->goals[i].plan_id));
		json_object_set_new(o, "item_id",
		    json_string(c->goals[i].item_id));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "goals", a);
	json_object_set_new(j, "author_id", jstr_or_null(c->author_id));
	json_object_set_new(j, "author_name", jstr_or_null(c->author_name));
	json_object_set_new(j, "credential", jstr_or_null(c->credential));
	json_object_set_new(j, "status", jstr_or_null(c->status));
	json_object_set_new(j, "due_at", jtime(c->due_at));
	json_object_set_new(j, "signed_at", jtime_or_null(c->signed_at));
	json_object_set_new(j, "late", json_boolean(c->late));
	json_object_set_new(j, "missing", contact_missing_json(c->missing));
	json_object_set_new(j, "cosign_required",
	    json_boolean(c->cosign_required));
	json_object_set_new(j, "cosign_due_at",
	    jtime_or_null(c->cosign_due_at));
	json_object_set_new(j, "cosigned_by", jstr_or_null(c->cosigned_by));
	json_object_set_new(j, "cosigner_name", jstr_or_null(c->cosigner_name));
	json_object_set_new(j, "cosigned_at", jtime_or_null(c->cosigned_at));
	json_object_set_new(j, "rules_version", jstr_or_null(c->rules_version));
	json_object_set_new(j, "billing", contact_billing_json(c));
	if (c->group_session_id != NULL) {
		b = json_object();
		json_object_set_new(b, "session_id",
		    json_string(c->group_session_id));
		json_object_set_new(b, "group_id", jstr_or_null(c->group_id));
		json_object_set_new(b, "name", jstr_or_null(c->group_name));
		json_object_set_new(b, "curriculum",
		    jstr_or_null(c->group_curriculum));
		json_object_set_new(b, "topic", jstr_or_null(c->group_topic));
		json_object_set_new(b, "size", json_integer(c->group_size));
		json_object_set_new(b, "facilitators",
		    json_integer(c->group_facilitators));
		json_object_set_new(j, "group", b);
	} else {
		json_object_set_new(j, "group", json_null());
	}
	json_object_set_new(j, "addenda", api_contact_addenda_json(c));
	json_object_set_new(j, "comments", api_contact_comments_json(c));
	json_object_set_new(j, "created_at", jtime(c->created_at));
	json_object_set_new(j, "updated_at", jtime(c->updated_at));
	return j;
}

static void
reply(struct req *r, int status, struct contact_rec *c)
{
	http_etag(r, c->version);
	http_json(r, status, contact_json(c));
	contact_clear(c);
}

/* Borrowed views into the body; the goals array is freed by the caller. */
static void
input_from_json(json_t *o, struct contact_input *in)
{
	static const struct {
		const char	*key;
		unsigned	 bit;
		size_t		 off;
	} f[] = {
		{ "type", CF_TYPE, offsetof(struct contact_input, type) },
		{ "started_at", CF_STARTED_AT,
		    offsetof(struct contact_input, started_at) },
		{ "ended_at", CF_ENDED_AT,
		    offsetof(struct contact_input, ended_at) },
		{ "setting", CF_SETTING, offsetof(struct contact_input, setting) },
		{ "location", CF_LOCATION,
		    offsetof(struct contact_input, location) },
		{ "program", CF_PROGRAM, offsetof(struct contact_input, program) },
		{ "intervention", CF_INTERVENTION,
		    offsetof(struct contact_input, intervention) },
		{ "response", CF_RESPONSE,
		    offsetof(struct contact_input, response) },
		{ "next_steps", CF_NEXT_STEPS,
		    offsetof(struct contact_input, next_steps) },
		{ "credential", CF_CREDENTIAL,
		    offsetof(struct contact_input, credential) },
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
	if (json_object_get(o, "person_at_home") != NULL) {
		in->set |= CF_AT_HOME;
		in->person_at_home = json_is_true(json_object_get(o,
		    "person_at_home"));
	}
	if (json_object_get(o, "written_together") != NULL) {
		in->set |= CF_TOGETHER;
		in->written_together = json_is_true(json_object_get(o,
		    "written_together"));
	}
	if ((arr = json_object_get(o, "goals")) != NULL) {
		const char **g = xcalloc(json_array_size(arr) + 1, sizeof *g);

		for (i = 0; i < json_array_size(arr); i++)
			g[i] = json_string_value(json_array_get(arr, i));
		in->set |= CF_GOALS;
		in->goals = g;
		in->ngoals = (int)json_array_size(arr);
	}
}

enum err
api_contacts_create(struct req *r)
{
	struct contact_input in;
	struct contact_rec c;
	struct verr v;
	char loc[80];
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_contact, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	input_from_json(r->json, &in);
	e = contact_create(r->db, &r->actor, http_param(r, 0), &in, &v, &c);
	free((void *)(uintptr_t)in.goals);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	snprintf(loc, sizeof loc, "/api/v1/contacts/%s", c.id);
	http_header_out(r, "Location", loc);
	reply(r, 201, &c);
	return ERR_OK;
}

enum err
api_contact_get(struct req *r)
{
	struct contact_rec c;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = contact_get(r->db, &r->actor, http_param(r, 0), &c)) != ERR_OK)
		return e;
	reply(r, 200, &c);
	return ERR_OK;
}

enum err
api_contact_update(struct req *r)
{
	struct contact_input in;
	struct contact_rec c;
	struct verr v;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_contact_patch, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	input_from_json(r->json, &in);
	e = contact_update(r->db, &r->actor, http_param(r, 0), want, &in, &v,
	    &c, &current);
	free((void *)(uintptr_t)in.goals);
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
	reply(r, 200, &c);
	return ERR_OK;
}

enum err
api_contact_sign(struct req *r)
{
	struct contact_rec c;
	struct verr v;
	const char *as, *rule = NULL;
	int64_t want, current = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_contact_sign, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	as = jstr(r->json, "as");
	if (as != NULL && strcmp(as, "author") != 0 &&
	    strcmp(as, "cosigner") != 0) {
		verr_add(&v, "as", "must be author or cosigner");
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (!api_if_match(r, &want))
		return ERR_PRECONDITION_REQUIRED;
	e = contact_sign(r->db, &r->actor, http_param(r, 0), want,
	    as != NULL && strcmp(as, "cosigner") == 0, &v, &rule, &c,
	    &current);
	switch (e) {
	case ERR_OK:
		reply(r, 200, &c);
		break;
	case ERR_RULE:
		http_problem_rule(r, rule, &v);
		break;
	case ERR_STALE:
		http_problem_stale(r, current, want);
		break;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:already-signed",
		    "This signature is not needed",
		    "The note is signed already, or needs no co-signature, or "
		    "has one.");
		break;
	default:
		break;
	}
	return e;
}

static enum err
after_signed(struct req *r, enum err e, struct verr *v,
    struct contact_rec *c)
{
	if (e == ERR_INVALID) {
		http_problem_fields(r, v);
		return e;
	}
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:note-not-signed",
		    "The note is not signed yet",
		    "Addenda and comments are for signed notes; change the "
		    "draft instead.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	reply(r, 201, c);
	return ERR_OK;
}

enum err
api_contact_addendum(struct req *r)
{
	struct contact_rec c;
	struct verr v;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_contact_addendum, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	return after_signed(r, contact_addendum_add(r->db, &r->actor,
	    http_param(r, 0), jstr(r->json, "body"), &v, &c), &v, &c);
}

enum err
api_contact_comment(struct req *r)
{
	struct contact_rec c;
	struct verr v;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_contact_comment, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	return after_signed(r, contact_comment_add(r->db, &r->actor,
	    http_param(r, 0), jstr(r->json, "typed_name"),
	    jstr(r->json, "body"),
	    json_is_true(json_object_get(r->json, "acknowledged")), &v, &c),
	    &v, &c);
}

static json_t *
summary_json(const struct contact_summary *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "person_id", json_string(s->person_id));
	json_object_set_new(o, "person_name", jstr_or_null(s->person_name));
	json_object_set_new(o, "type", jstr_or_null(s->type));
	json_object_set_new(o, "started_at", jtime(s->started_at));
	json_object_set_new(o, "minutes", json_integer(s->minutes));
	json_object_set_new(o, "status", jstr_or_null(s->status));
	json_object_set_new(o, "due_at", jtime(s->due_at));
	json_object_set_new(o, "late", json_boolean(s->late));
	json_object_set_new(o, "cosign_required",
	    json_boolean(s->cosign_required));
	json_object_set_new(o, "cosigned_at", jtime_or_null(s->cosigned_at));
	json_object_set_new(o, "author_name", jstr_or_null(s->author_name));
	json_object_set_new(o, "units", strcmp(s->status, "signed") == 0 ?
	    json_integer(s->units) : json_null());
	json_object_set_new(o, "billable", json_boolean(s->billable));
	json_object_set_new(o, "missing", contact_missing_json(s->missing));
	return o;
}

enum err
api_contacts_list(struct req *r)
{
	static const char *const allowed[] = { "limit", "after", NULL };
	struct contact_summary *s = NULL;
	struct verr v;
	const char *limit, *after;
	char next[37];
	int64_t lim = 50;
	int n = 0, i;
	json_t *j, *items;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	after = http_query(r, "after");
	if (after != NULL && *after == '\0')
		after = NULL;
	if ((limit = http_query(r, "limit")) != NULL &&
	    parse_int64(limit, 1, CONTACT_LIST_MAX, &lim) != ERR_OK) {
		verr_add(&v, "limit", "must be a whole number from 1 to 200");
		lim = 50;
	}
	e = contact_list(r->db, &r->actor, http_param(r, 0), after, (int)lim,
	    &v, &s, &n, next);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, summary_json(&s[i]));
	contact_summaries_free(s, n);
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "next", next[0] ? json_string(next) :
	    json_null());
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_documentation_due(struct req *r)
{
	struct contact_summary *s = NULL;
	struct group_session_summary *g = NULL;
	json_t *j, *items;
	int n = 0, ng = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = contact_due(r->db, &r->actor, &s, &n)) != ERR_OK)
		return e;
	if ((e = group_sessions_due(r->db, &r->actor, &g, &ng)) != ERR_OK) {
		contact_summaries_free(s, n);
		return e;
	}
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, summary_json(&s[i]));
	contact_summaries_free(s, n);
	json_object_set_new(j, "items", items);
	items = json_array();
	for (i = 0; i < ng; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(g[i].id));
		json_object_set_new(o, "version", json_integer(g[i].version));
		json_object_set_new(o, "group_id", json_string(g[i].group_id));
		json_object_set_new(o, "group_name",
		    jstr_or_null(g[i].group_name));
		json_object_set_new(o, "started_at", jtime(g[i].started_at));
		json_object_set_new(o, "ended_at", jtime(g[i].ended_at));
		json_object_set_new(o, "topic", jstr_or_null(g[i].topic));
		json_object_set_new(o, "present", json_integer(g[i].present));
		json_object_set_new(o, "listed", json_integer(g[i].listed));
		json_object_set_new(o, "due_at", jtime(g[i].due_at));
		json_array_append_new(items, o);
	}
	group_session_summaries_free(g, ng);
	json_object_set_new(j, "group_sessions", items);
	http_json(r, 200, j);
	return ERR_OK;
}

/* A CSV field: quoted when it holds a comma, quote or line break; a
 * leading =, +, - or @ gets a ' so a spreadsheet shows it as text. */
static int
csv_field(struct buf *b, const char *s, int last)
{
	const char *p;
	int quote = 0, bad = 0;

	if (s == NULL)
		s = "";
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	if (quote)
		bad |= buf_putc(b, '"') != ERR_OK;
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		bad |= buf_putc(b, '\'') != ERR_OK;
	for (p = s; *p; p++) {
		if (*p == '"')
			bad |= buf_putc(b, '"') != ERR_OK;
		bad |= buf_putc(b, *p) != ERR_OK;
	}
	if (quote)
		bad |= buf_putc(b, '"') != ERR_OK;
	bad |= buf_puts(b, last ? "\r\n" : ",") != ERR_OK;
	return bad;
}

enum err
api_report_units(struct req *r)
{
	static const char *const allowed[] = { "from", "to", "team", "format",
	    NULL };
	struct units_row *rows = NULL;
	struct verr v;
	const char *format, *accept;
	int n = 0, i, csv;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	format = http_query(r, "format");
	accept = http_header_in(r, "Accept");
	if (format != NULL && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0)
		verr_add(&v, "format", "must be csv or json");
	csv = (format != NULL && strcmp(format, "csv") == 0) ||
	    (format == NULL && accept != NULL && strstr(accept, "text/csv"));
	e = contact_units_report(r->db, &r->actor, http_query(r, "from"),
	    http_query(r, "to"), http_query(r, "team"), &v, &rows, &n);
	if (e == ERR_INVALID) {
		http_problem_fields(r, &v);
		return e;
	}
	if (e != ERR_OK)
		return e;
	if (csv) {
		char num[16];

		buf_reset(&r->out);
		buf_puts(&r->out, "person_id,preferred_name,legal_name,"
		    "service_date,billing_code,modifiers,place_of_service,"
		    "units,contacts\r\n");
		int bad = 0;

		for (i = 0; i < n && !bad; i++) {
			bad |= csv_field(&r->out, rows[i].person_id, 0);
			bad |= csv_field(&r->out, rows[i].person_name, 0);
			bad |= csv_field(&r->out, rows[i].legal_name, 0);
			bad |= csv_field(&r->out, rows[i].service_date, 0);
			bad |= csv_field(&r->out, rows[i].billing_code, 0);
			bad |= csv_field(&r->out, rows[i].modifiers, 0);
			bad |= csv_field(&r->out, rows[i].place_of_service, 0);
			snprintf(num, sizeof num, "%d", rows[i].units);
			bad |= csv_field(&r->out, num, 0);
			snprintf(num, sizeof num, "%d", rows[i].contacts);
			bad |= csv_field(&r->out, num, 1);
		}
		units_rows_free(rows, n);
		if (bad) {
			verr_init(&v);
			verr_add(&v, "to", "makes a report too large to send: "
			    "choose a shorter period or one team");
			buf_reset(&r->out);
			http_problem_fields(r, &v);
			return ERR_INVALID;
		}
		r->status = 200;
		r->content_type = "text/csv; charset=utf-8";
		http_header_out(r, "Content-Disposition",
		    "attachment; filename=\"units.csv\"");
		r->responded = 1;
		return ERR_OK;
	}
	{
		json_t *j = json_object(), *items = json_array();

		for (i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "person_id",
			    json_string(rows[i].person_id));
			json_object_set_new(o, "preferred_name",
			    jstr_or_null(rows[i].person_name));
			json_object_set_new(o, "legal_name",
			    jstr_or_null(rows[i].legal_name));
			json_object_set_new(o, "service_date",
			    jstr_or_null(rows[i].service_date));
			json_object_set_new(o, "billing_code",
			    jstr_or_null(rows[i].billing_code));
			json_object_set_new(o, "modifiers",
			    jcodes(rows[i].modifiers));
			json_object_set_new(o, "place_of_service",
			    jstr_or_null(rows[i].place_of_service));
			json_object_set_new(o, "units",
			    json_integer(rows[i].units));
			json_object_set_new(o, "contacts",
			    json_integer(rows[i].contacts));
			json_array_append_new(items, o);
		}
		units_rows_free(rows, n);
		json_object_set_new(j, "items", items);
		http_json(r, 200, j);
	}
	return ERR_OK;
}
