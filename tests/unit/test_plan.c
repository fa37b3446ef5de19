/*
 * Unit tests: plans (core/plan.c), their structure check
 * (interop/plan_json.c) and their rules (interop/plan_rules_json.c), with
 * the shipped rule sets, real accounts and a temporary database: who must
 * sign, review and expiry dates, the advance directive's witness, agent,
 * invocation and revocation rules, and the rule sets' own checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "access/actor.h"
#include "access/audit.h"
#include "access/session.h"
#include "core/person.h"
#include "core/plan.h"
#include "core/rules.h"
#include "core/staff.h"
#include "interop/plan_json.h"
#include "interop/rules_json.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "tmpdb.h"

struct fx {
	struct tmpdir	 dir;
	struct db	*db;
	struct actor	 peer;
	struct actor	 super;
	struct actor	 south;
	struct actor	 admin;
};

static struct fx *fx;

static void
add_team(const char *name)
{
	struct team_rec t;
	struct actor sys;
	struct verr v;

	actor_system(&sys);
	verr_init(&v);
	assert_int_equal(team_create(fx->db, &sys, name, name, &v, &t),
	    ERR_OK);
	free(t.name);
	free(t.display_name);
}

static void
add_staff(const char *username, enum role role, const char *team,
    struct actor *out)
{
	const char *teams[1] = { team };
	struct staff_input in;
	struct staff_rec rec;
	struct actor sys;
	struct verr v;

	actor_system(&sys);
	verr_init(&v);
	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME | STAFF_SET_ROLE |
	    STAFF_SET_PASSWORD | STAFF_SET_TEAMS;
	in.username = username;
	in.display_name = username;
	in.role = role;
	in.password = "a long enough password";
	in.teams = teams;
	in.nteams = team ? 1 : 0;
	assert_int_equal(staff_create(fx->db, &sys, &in, &v, &rec), ERR_OK);
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", rec.id);
	snprintf(out->username, sizeof out->username, "%s", username);
	snprintf(out->display_name, sizeof out->display_name, "%s", username);
	out->role = role;
	assert_int_equal(auth_load_teams(fx->db, out), ERR_OK);
	staff_rec_clear(&rec);
}

static int
group_setup(void **state)
{
	char why[200];

	(void)state;
	fx = xcalloc(1, sizeof *fx);
	tmpdir_make(&fx->dir);
	if ((fx->db = tmpdb_open(&fx->dir, "plan.db")) == NULL)
		return -1;
	if (rules_seed(fx->db) != ERR_OK ||
	    rules_load(fx->db, why, sizeof why) != ERR_OK) {
		fprintf(stderr, "rules: %s\n", why);
		return -1;
	}
	add_team("north");
	add_team("south");
	add_staff("peer.north", ROLE_PEER, "north", &fx->peer);
	add_staff("super.north", ROLE_SUPERVISOR, "north", &fx->super);
	add_staff("peer.south", ROLE_PEER, "south", &fx->south);
	add_staff("admin", ROLE_ADMIN, NULL, &fx->admin);
	return 0;
}

static int
group_teardown(void **state)
{
	struct audit_check r;

	(void)state;
	if (audit_verify(fx->db, &r) != ERR_OK) {
		fprintf(stderr, "audit: %s\n", r.problem);
		return -1;
	}
	db_close(fx->db);
	tmpdir_remove(&fx->dir);
	free(fx);
	rules_install(NULL);
	return 0;
}

static void
new_person(const char *name, struct person *out)
{
	struct person_input in;
	struct verr v;

	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME;
	in.preferred_name = name;
	verr_init(&v);
	assert_int_equal(person_create(fx->db, &fx->peer, &in, &v, out),
	    ERR_OK);
}

/* Starts a plan of kind with content (JSON text) for a new person. */
static void
new_plan(const char *kind, const char *content, struct plan *out)
{
	struct plan_input in;
	struct plan_content c;
	struct plan_doc doc;
	struct person p;
	struct verr v;
	json_t *j = json_loads(content, 0, NULL);

	assert_non_null(j);
	verr_init(&v);
	assert_int_equal(plan_doc_check(kind, j, &v, &doc), ERR_OK);
	json_decref(j);
	memset(&in, 0, sizeof in);
	in.kind = kind;
	c.text = doc.text;
	c.structure_version = plan_structure_version();
	c.items = doc.items;
	c.nitems = doc.nitems;
	in.content = &c;
	new_person("Testperson Planwright", &p);
	assert_int_equal(plan_create(fx->db, &fx->peer, p.id, &in, &v, out),
	    ERR_OK);
	plan_doc_clear(&doc);
	person_clear(&p);
}

/* Signs out's plan as a with in; returns the result and, on ERR_OK,
 * the plan as it now is in *out. */
static enum err
sign(const struct actor *a, struct plan *p, const struct sign_input *in,
    const char **rule, struct verr *v)
{
	struct plan q;
	int64_t cur = 0;
	enum err e;

	verr_init(v);
	*rule = NULL;
	e = plan_sign(fx->db, a, p->id, p->version, in, v, rule, &q, &cur);
	assert_false(db_in_tx(fx->db));
	if (e == ERR_OK) {
		plan_clear(p);
		*p = q;
	}
	return e;
}

static struct sign_input
as(const char *role, const char *name)
{
	struct sign_input in;

	memset(&in, 0, sizeof in);
	in.role = role;
	in.typed_name = name;
	in.confirmed = 1;
	return in;
}

static void
test_add_months(void **state)
{
	static const struct {
		const char	*from;
		int		 months;
		const char	*to;
	} cases[] = {
		{ "2026-01-31", 1, "2026-02-28" },
		{ "2028-01-31", 1, "2028-02-29" },
		{ "2026-08-31", 6, "2027-02-28" },
		{ "2026-11-23", 6, "2027-05-23" },
		{ "2026-12-15", 1, "2027-01-15" },
		{ "2026-05-31", 36, "2029-05-31" },
		{ "2028-02-29", 36, "2031-02-28" },
		{ "2026-03-10", 0, "2026-03-10" },
	};
	struct date d;
	char out[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(date_parse(cases[i].from, &d), ERR_OK);
		date_format(date_add_months(d, cases[i].months), out);
		assert_string_equal(out, cases[i].to);
	}
}

static void
test_shipped_rules(void **state)
{
	const struct rules *r = rules_get();
	const struct plan_rule *pr = rules_plan(r, "recovery");
	int i;

	(void)state;
	assert_non_null(pr);
	assert_int_equal(pr->nsigners, 3);
	assert_string_equal(pr->signers[0].role, "person");
	assert_int_equal(pr->signers[0].by, SIGNED_BY_PERSON);
	assert_int_equal(pr->signers[1].staff_roles, 1u << ROLE_PEER);
	assert_int_equal(pr->signers[2].staff_roles, 1u << ROLE_SUPERVISOR);
	for (i = 0; i < 3; i++)
		assert_true(pr->signers[i].required);
	assert_int_equal(pr->first_due_months, 1);
	assert_int_equal(pr->review_months, 6);
	assert_int_equal(pr->nsign_requires, 1);
	assert_string_equal(pr->sign_requires[0], "goals");
	assert_null(rules_plan(r, "advance-directive"));
	assert_int_equal(r->pad.valid_years, 3);
	assert_int_equal(r->pad.witness_count, 2);
	assert_true(r->pad.revocation_physician);
	assert_true(r->pad.nwitness_disq >= 3);
	for (i = 0; i < r->pad.nagent_disq; i++)
		assert_string_equal(r->pad.agent_disq[i].unless,
		    "related_to_principal");
	assert_non_null(strstr(r->pad.witness_rule, "43/20"));
	/* Every kind the program knows has a structure. */
	assert_int_equal(plan_structure_load(), ERR_OK);
	for (i = 0; plan_kinds[i] != NULL; i++) {
		struct plan_doc d;
		struct verr v;
		json_t *empty = json_object();

		verr_init(&v);
		assert_int_equal(plan_doc_check(plan_kinds[i], empty, &v, &d),
		    ERR_OK);
		assert_string_equal(d.text, "{}");
		plan_doc_clear(&d);
		json_decref(empty);
	}
}

/* Each broken rule set is refused with a reason naming the place. */
static void
test_rule_sets_checked(void **state)
{
	static const struct {
		const char	*text;
		const char	*why;
	} bad[] = {
		{ "{\"name\":\"plans\",\"version\":\"x\",\"kinds\":{}}",
		    "kinds" },
		{ "{\"name\":\"plans\",\"version\":\"x\",\"kinds\":{\"recovery\":"
		  "{\"signers\":[{\"role\":\"person\",\"label\":\"P\","
		  "\"signed_by\":\"robot\"}]}}}", "signed_by" },
		{ "{\"name\":\"plans\",\"version\":\"x\",\"kinds\":{\"recovery\":"
		  "{\"signers\":[{\"role\":\"p\",\"label\":\"P\",\"signed_by\":"
		  "\"staff\",\"staff_roles\":[\"admin\"]}]}}}", "staff_roles" },
		{ "{\"name\":\"plans\",\"version\":\"x\",\"kinds\":{\"recovery\":"
		  "{\"signers\":[{\"role\":\"p\",\"label\":\"P\",\"signed_by\":"
		  "\"person\"},{\"role\":\"p\",\"label\":\"Q\",\"signed_by\":"
		  "\"person\"}]}}}", "repeats" },
		{ "{\"name\":\"plans\",\"version\":\"x\",\"kinds\":{\"recovery\":"
		  "{\"signers\":[{\"role\":\"p\",\"label\":\"P\",\"signed_by\":"
		  "\"person\"}],\"review_months\":0}}}", "review_months" },
		{ "{\"name\":\"advance-directive\",\"version\":\"x\"}", "state" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "";

		assert_int_equal(rules_parse(bad[i].text, r, why, sizeof why),
		    ERR_INVALID);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("case %zu: reason \"%s\" does not name %s", i,
			    why, bad[i].why);
		rules_free(r);
	}
	/* An agent's disqualification lifted by an exemption that does not
	 * exist is refused too. */
	{
		const struct asset *a = asset_find(data_assets,
		    "/advance-directive.json");
		char *text, *p, why[200] = "";
		struct rules *r = xcalloc(1, sizeof *r);

		assert_non_null(a);
		text = xstrdup((const char *)a->data);
		p = strstr(text, "\"unless\": \"related_to_principal\"");
		assert_non_null(p);
		memcpy(p + strlen("\"unless\": \""), "xelated", 7);
		assert_int_equal(rules_parse(text, r, why, sizeof why),
		    ERR_INVALID);
		assert_non_null(strstr(why, "unless"));
		free(text);
		rules_free(r);
	}
}

static void
test_content_check(void **state)
{
	static const char text[] =
	    "{\"strengths\":[\"  kept  \",\"\",\"   \"],"
	    "\"goals\":[{\"words\":\" My words, as I said them \","
	    "\"lifecycle_status\":\"active\",\"steps\":[{\"what\":\"ask\","
	    "\"who\":\"person\"}],\"objectives\":[]}],\"notes\":\"\"}";
	struct plan_doc d;
	struct verr v;
	json_t *j = json_loads(text, 0, NULL), *out, *bad;
	int i, goals = 0, steps = 0;

	(void)state;
	verr_init(&v);
	assert_int_equal(plan_doc_check("recovery", j, &v, &d), ERR_OK);
	out = json_loads(d.text, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(out, "strengths")),
	    1);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(out, "strengths"), 0)), "  kept  ");
	assert_null(json_object_get(out, "notes"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(out, "goals"), 0), "words")),
	    " My words, as I said them ");
	assert_null(json_object_get(json_array_get(json_object_get(out,
	    "goals"), 0), "objectives"));
	for (i = 0; i < d.nitems; i++) {
		goals += strcmp(d.items[i].path, "goals") == 0 &&
		    d.items[i].progress;
		steps += strcmp(d.items[i].path, "goals.steps") == 0 &&
		    !d.items[i].progress;
	}
	assert_int_equal(goals, 1);
	assert_int_equal(steps, 1);
	json_decref(out);
	plan_doc_clear(&d);
	json_decref(j);

	bad = json_loads("{\"goals\":[{\"words\":\"w\",\"lifecycle_status\":"
	    "\"active\",\"steps\":[{\"what\":\"x\",\"who\":\"support\"}],"
	    "\"colour\":1}],\"life_areas\":[\"home\",\"home\"]}", 0, NULL);
	verr_init(&v);
	assert_int_equal(plan_doc_check("recovery", bad, &v, &d), ERR_INVALID);
	assert_true(verr_has(&v, "content.goals[0].steps[0].support_name"));
	assert_true(verr_has(&v, "content.goals[0].colour"));
	assert_true(verr_has(&v, "content.life_areas[1]"));
	assert_int_equal(v.n, 3);
	assert_null(d.text);
	json_decref(bad);

	/* A directive's named agents are items, so their acceptance can be
	 * asked for. */
	bad = json_loads("{\"attorney_in_fact\":{\"name\":\"A\"},"
	    "\"alternate_attorney_in_fact\":{\"phone\":\"555\"}}", 0, NULL);
	verr_init(&v);
	assert_int_equal(plan_doc_check("advance-directive", bad, &v, &d),
	    ERR_OK);
	assert_int_equal(d.nitems, 1);
	assert_string_equal(d.items[0].path, "attorney_in_fact");
	plan_doc_clear(&d);
	json_decref(bad);
}

static void
test_recovery_signatures(void **state)
{
	struct plan p;
	struct sign_input in;
	struct verr v;
	struct date d;
	const char *rule;
	char due[11];

	(void)state;
	new_plan("recovery", "{\"strengths\":[\"s\"]}", &p);
	assert_int_equal(p.nneeds, 3);
	in = as("person", "Testperson");
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_RULE);
	assert_non_null(strstr(rule, "OMHSAS"));
	assert_true(verr_has(&v, "content.goals"));
	plan_clear(&p);

	new_plan("recovery", "{\"goals\":[{\"words\":\"Keep my job\","
	    "\"lifecycle_status\":\"active\"}]}", &p);
	in = as("person", "Testperson");
	in.confirmed = 0;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_INVALID);
	assert_true(verr_has(&v, "confirmed"));
	in = as("person", "Testperson");
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_OK);
	assert_string_equal(p.status, "signing");
	assert_int_equal(p.nneeds, 2);
	in = as("professional", NULL);
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_RULE);
	assert_non_null(rule);
	in = as("professional", NULL);
	assert_int_equal(sign(&fx->south, &p, &in, &rule, &v), ERR_NOT_FOUND);
	assert_int_equal(sign(&fx->admin, &p, &in, &rule, &v), ERR_FORBIDDEN);
	assert_int_equal(sign(&fx->super, &p, &in, &rule, &v), ERR_OK);
	assert_string_equal(p.current.sigs[1].typed_name, "super.north");
	assert_null(p.review_due);
	in = as("peer", NULL);
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_OK);
	assert_string_equal(p.status, "signed");
	assert_int_equal(p.in_force, 1);
	assert_int_equal(p.nneeds, 0);
	assert_int_equal(date_parse(p.current.signed_on, &d), ERR_OK);
	date_format(date_add_months(d, 6), due);
	assert_string_equal(p.review_due, due);
	in = as("peer", NULL);
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_CONFLICT);
	plan_clear(&p);
}

static const char *const witness_yes[] = { "knows_principal",
    "signed_in_presence", "sound_mind_free_of_duress", "adult" };
static const char *const witness_no[] = { "provider_or_relative",
    "facility_owner_or_relative", "related_to_principal" };

static void
test_directive_rules(void **state)
{
	static const char *const related_yes[] = { "knows_principal",
	    "signed_in_presence", "sound_mind_free_of_duress", "adult",
	    "related_to_principal" };
	static const char *const related_no[] = { "provider_or_relative",
	    "facility_owner_or_relative" };
	static const char *const agent_yes[] = { "provider_or_employee" };
	static const char *const agent_no[] = {
	    "facility_owner_operator_or_employee", "related_to_principal" };
	struct plan p, q;
	struct sign_input in;
	struct event_input ev;
	struct verr v;
	struct date d;
	const char *rule;
	char expires[11];
	int64_t cur;

	(void)state;
	new_plan("advance-directive", "{\"ect\":{\"choice\":\"refuse\"},"
	    "\"attorney_in_fact\":{\"name\":\"Rosalind Testagent\"}}", &p);
	assert_int_equal(p.nneeds, 3);
	in = as("witness", "Wendell Testwitness");
	in.address = "1 Elm St";
	in.yes = witness_yes;
	in.nyes = 4;
	in.no = witness_no;
	in.nno = 3;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_RULE);
	assert_string_equal(rule, rules_get()->pad.principal_rule);
	in = as("person", "Testperson");
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_OK);
	/* A witness related to the person. */
	in = as("witness", "Cousin Testkin");
	in.address = "3 Elm St";
	in.yes = related_yes;
	in.nyes = 5;
	in.no = related_no;
	in.nno = 2;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_RULE);
	assert_non_null(strstr(rule, "43/65"));
	assert_true(verr_has(&v, "answers.related_to_principal"));
	/* A statement left unanswered. */
	in = as("witness", "Wendell Testwitness");
	in.address = "1 Elm St";
	in.yes = witness_yes;
	in.nyes = 3;
	in.no = witness_no;
	in.nno = 3;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_INVALID);
	assert_true(verr_has(&v, "answers.adult"));
	in.nyes = 4;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_OK);
	in.typed_name = "Winifred Testwitness";
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_OK);
	assert_string_equal(p.status, "signing");
	/* The agent works for the provider and is not related: refused. */
	in = as("attorney_in_fact", "Rosalind Testagent");
	in.yes = agent_yes;
	in.nyes = 1;
	in.no = agent_no;
	in.nno = 2;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_RULE);
	assert_non_null(strstr(rule, "43/60"));
	/* A relative who works at the facility may act: the exemption
	 * lifts the disqualification. */
	in.yes = agent_no;
	in.nyes = 2;
	in.no = agent_yes;
	in.nno = 1;
	assert_int_equal(sign(&fx->peer, &p, &in, &rule, &v), ERR_OK);
	assert_string_equal(p.status, "executed");
	assert_int_equal(date_parse(p.executed_on, &d), ERR_OK);
	date_format(date_add_months(d, 36), expires);
	assert_string_equal(p.expires_on, expires);
	assert_int_equal(plan_new_version(fx->db, &fx->peer, p.id, p.version,
	    &q, &cur), ERR_CONFLICT);

	/* Revocation needs a physician; an invoked directive cannot be
	 * revoked. */
	memset(&ev, 0, sizeof ev);
	ev.event = "revoked";
	ev.on_date = p.executed_on;
	ev.principal_typed_name = "Testperson";
	verr_init(&v);
	assert_int_equal(plan_event_add(fx->db, &fx->peer, p.id, p.version,
	    &ev, &v, &rule, &q, &cur), ERR_RULE);
	assert_non_null(strstr(rule, "43/50"));
	assert_true(verr_has(&v, "physician"));
	memset(&ev, 0, sizeof ev);
	ev.event = "invoked";
	ev.on_date = p.executed_on;
	ev.basis = "court";
	verr_init(&v);
	assert_int_equal(plan_event_add(fx->db, &fx->peer, p.id, p.version,
	    &ev, &v, &rule, &q, &cur), ERR_OK);
	assert_string_equal(q.status, "invoked");
	plan_clear(&p);
	p = q;
	memset(&ev, 0, sizeof ev);
	ev.event = "revoked";
	ev.on_date = p.executed_on;
	ev.principal_typed_name = "Testperson";
	ev.physician = "Dr Testdoc";
	verr_init(&v);
	assert_int_equal(plan_event_add(fx->db, &fx->peer, p.id, p.version,
	    &ev, &v, &rule, &q, &cur), ERR_RULE);
	assert_string_equal(rule, rules_get()->pad.incapable_rule);
	assert_int_equal(plan_event_add(fx->db, &fx->peer, p.id, p.version - 1,
	    &ev, &v, &rule, &q, &cur), ERR_STALE);
	assert_int_equal(cur, p.version);
	plan_clear(&p);
}

static void
test_frozen_and_versions(void **state)
{
	struct plan p, q;
	struct plan_input in;
	struct sign_input s;
	struct plan_content c;
	struct verr v;
	const char *rule;
	int64_t cur;

	(void)state;
	new_plan("crisis", "{\"help_from_others\":{\"helps\":[\"a walk\"]}}",
	    &p);
	assert_int_equal(plan_new_version(fx->db, &fx->peer, p.id, p.version,
	    &q, &cur), ERR_CONFLICT);
	s = as("person", "Testperson");
	assert_int_equal(sign(&fx->peer, &p, &s, &rule, &v), ERR_OK);
	assert_string_equal(p.status, "signed");
	assert_null(p.review_due);
	memset(&in, 0, sizeof in);
	memset(&c, 0, sizeof c);
	c.text = "{}";
	c.structure_version = plan_structure_version();
	in.content = &c;
	verr_init(&v);
	assert_int_equal(plan_update(fx->db, &fx->peer, p.id, p.version, &in,
	    &v, &q, &cur), ERR_FROZEN);
	assert_int_equal(plan_new_version(fx->db, &fx->peer, p.id, p.version,
	    &q, &cur), ERR_OK);
	assert_int_equal(q.latest, 2);
	assert_int_equal(q.in_force, 1);
	assert_string_equal(q.status, "revising");
	assert_string_equal(q.current.content, p.current.content);
	plan_clear(&p);
	verr_init(&v);
	assert_int_equal(plan_update(fx->db, &fx->peer, q.id, q.version, &in,
	    &v, &p, &cur), ERR_OK);
	assert_string_equal(p.current.content, "{}");
	plan_clear(&p);
	plan_clear(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_rule_sets_checked),
		cmocka_unit_test(test_content_check),
		cmocka_unit_test(test_recovery_signatures),
		cmocka_unit_test(test_directive_rules),
		cmocka_unit_test(test_frozen_and_versions),
	};

	int rc;

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	db_intern_free();
	return rc;
}
