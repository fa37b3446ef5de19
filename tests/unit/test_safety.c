/*
 * Unit tests: safety concerns (core/safety.c) and their rule set
 * (data/safety.json, interop/safety_json.c): the shipped rules parse, bad
 * ones are refused with their place named, and a concern nobody
 * acknowledged is passed on exactly once however many sweeps run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "access/policy.h"
#include "core/demo.h"
#include "core/rules.h"
#include "core/safety.h"
#include "interop/rules_json.h"
#include "util/asset.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "tmpdb.h"

static int
setup(void **state)
{
	const char *names[] = { "/episode.json", "/languages.json",
	    "/plan-rules.json", "/advance-directive.json", "/notes.json",
	    "/billing.json", "/safety.json", "/resources.json" };
	struct rules *r = xcalloc(1, sizeof *r);
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct asset *a = asset_find(data_assets, names[i]);

		if (a == NULL || rules_parse((const char *)a->data, r, why,
		    sizeof why) != ERR_OK) {
			fprintf(stderr, "%s: %s\n", names[i], a ? why : "missing");
			rules_free(r);
			return -1;
		}
	}
	rules_install(r);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rules_install(NULL);
	return 0;
}

static void
test_shipped_rules(void **state)
{
	const struct safety_rules *s = &rules_get()->safety;

	(void)state;
	assert_int_equal(s->escalate_minutes, 10);
	assert_int_equal(s->escalate_to,
	    SAFETY_TO_SUPERVISORS | SAFETY_TO_ADMINS);
	assert_non_null(s->rule);
	safety_set_escalate_seconds(0);
	assert_int_equal(safety_escalate_ms(), 600000);
	safety_set_escalate_seconds(3);
	assert_int_equal(safety_escalate_ms(), 3000);
	safety_set_escalate_seconds(0);
}

static void
refused(const char *text, const char *place)
{
	struct rules *r = xcalloc(1, sizeof *r);
	char why[200];

	assert_int_equal(rules_parse(text, r, why, sizeof why), ERR_INVALID);
	if (strstr(why, place) == NULL)
		fail_msg("%s: reason \"%s\" does not name %s", text, why, place);
	rules_free(r);
}

static void
test_bad_rules(void **state)
{
	(void)state;
	refused("{\"name\":\"safety\",\"version\":\"1\",\"sources\":[\"x\"],"
	    "\"escalation\":{\"minutes\":0,\"to\":[\"admins\"],\"rule\":\"r\"}}",
	    "escalation.minutes");
	refused("{\"name\":\"safety\",\"version\":\"1\",\"sources\":[\"x\"],"
	    "\"escalation\":{\"minutes\":5,\"to\":[\"everyone\"],"
	    "\"rule\":\"r\"}}", "escalation.to[0]");
	refused("{\"name\":\"safety\",\"version\":\"1\",\"sources\":[\"x\"],"
	    "\"escalation\":{\"minutes\":5,\"to\":[\"admins\",\"admins\"],"
	    "\"rule\":\"r\"}}", "escalation.to[1]");
	refused("{\"name\":\"safety\",\"version\":\"1\",\"sources\":[\"x\"],"
	    "\"escalation\":{\"minutes\":5,\"to\":[\"admins\"]}}",
	    "escalation.rule");
	refused("{\"name\":\"safety\",\"version\":\"1\",\"sources\":[\"x\"],"
	    "\"escalation\":{\"minutes\":5,\"to\":[\"admins\"],\"rule\":\"r\","
	    "\"extra\":1}}", "extra");
	refused("{\"name\":\"safety\",\"version\":\"1\",\"escalation\":"
	    "{\"minutes\":5,\"to\":[\"admins\"],\"rule\":\"r\"}}", "sources");
}

static void
test_policy(void **state)
{
	static const char team_a[] = "01900000-0000-7000-8000-00000000000a";
	static const char team_b[] = "01900000-0000-7000-8000-00000000000b";
	struct actor peer, sup, admin;

	(void)state;
	memset(&peer, 0, sizeof peer);
	peer.role = ROLE_PEER;
	peer.nteams = 1;
	snprintf(peer.teams[0], sizeof peer.teams[0], "%s", team_a);
	sup = peer;
	sup.role = ROLE_SUPERVISOR;
	admin = peer;
	admin.role = ROLE_ADMIN;
	admin.nteams = 0;
	assert_int_equal(policy_check(&sup, POL_SAFETY_ANSWER, team_a), ERR_OK);
	assert_int_equal(policy_check(&sup, POL_SAFETY_ANSWER, team_b),
	    ERR_NOT_FOUND);
	assert_int_equal(policy_check(&peer, POL_SAFETY_ANSWER, team_a),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&peer, POL_SAFETY_ANSWER, team_b),
	    ERR_NOT_FOUND);
	assert_int_equal(policy_check(&admin, POL_SAFETY_ANSWER, team_a),
	    ERR_FORBIDDEN);
}

/* The actor for a demo account, with its teams. */
static void
actor_for(struct db *db, const char *username, enum role role,
    struct actor *a)
{
	struct db_stmt *st;
	int row;

	memset(a, 0, sizeof *a);
	a->role = role;
	snprintf(a->username, sizeof a->username, "%s", username);
	assert_int_equal(db_prepare(db, "SELECT s.id, t.team_id FROM staff s"
	    " JOIN staff_team t ON t.staff_id = s.id WHERE s.username = $1",
	    &st), ERR_OK);
	db_bind_text(st, 1, username);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	snprintf(a->id, sizeof a->id, "%s", db_col_text(st, 0));
	snprintf(a->teams[0], sizeof a->teams[0], "%s", db_col_text(st, 1));
	a->nteams = 1;
	db_done(st);
}

static int64_t
count(struct db *db, const char *sql, const char *id)
{
	struct db_stmt *st;
	int64_t n = -1;
	int row;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	db_bind_text(st, 1, id);
	assert_int_equal(db_step(st, &row), ERR_OK);
	if (row)
		n = db_col_int(st, 0);
	db_done(st);
	return n;
}

static void
test_escalates_once(void **state)
{
	struct tmpdir t;
	struct db *db, *db2 = NULL;
	struct actor peer, sup;
	struct safety_concern c, got;
	struct safety_input in;
	struct verr v;
	struct db_stmt *st;
	char path[512], person[37];
	int row, n1 = -1, n2 = -1;

	(void)state;
	tmpdir_make(&t);
	db = tmpdb_open(&t, "a.db");
	assert_non_null(db);
	assert_int_equal(demo_fill(db, "unit-test-password-x", 2), ERR_OK);
	actor_for(db, "peer.north", ROLE_PEER, &peer);
	actor_for(db, "super.north", ROLE_SUPERVISOR, &sup);
	assert_int_equal(db_prepare(db, "SELECT id FROM person"
	    " WHERE team_id = $1", &st), ERR_OK);
	db_bind_text(st, 1, peer.teams[0]);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	snprintf(person, sizeof person, "%s", db_col_text(st, 0));
	db_done(st);

	safety_set_escalate_seconds(1);
	memset(&in, 0, sizeof in);
	in.person_id = person;
	in.kind = "self";
	in.what = "Said they had a plan to hurt themselves tonight.";
	verr_init(&v);
	assert_int_equal(safety_raise(db, &peer, &in, &v, &c), ERR_OK);
	assert_string_equal(c.status, "raised");
	assert_int_equal(count(db, "SELECT count(*) FROM notification"
	    " WHERE concern_id = $1", c.id), 1);

	/* Not due yet: nothing happens. */
	assert_int_equal(safety_sweep(db, c.raised_at, &n1), ERR_OK);
	assert_int_equal(n1, 0);

	/* Two sweeps on two connections: one passes it on. */
	tmpdir_file(&t, "a.db", path, sizeof path);
	assert_int_equal(db_open(path, 0, &db2), ERR_OK);
	assert_int_equal(safety_sweep(db, c.escalate_at + 1, &n1), ERR_OK);
	assert_int_equal(safety_sweep(db2, c.escalate_at + 1, &n2), ERR_OK);
	assert_int_equal(n1 + n2, 1);
	/* super.south and admin: the team's supervisor was told already. */
	assert_int_equal(count(db, "SELECT count(*) FROM notification"
	    " WHERE concern_id = $1 AND kind = 'safety_escalated'", c.id), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM safety_step"
	    " WHERE concern_id = $1 AND action = 'escalated'", c.id), 1);

	/* The supervisor still acknowledges it; then nothing is due. */
	verr_init(&v);
	assert_int_equal(safety_acknowledge(db, &sup, c.id, &v, &got), ERR_OK);
	assert_string_equal(got.status, "acknowledged");
	assert_int_equal(got.level, 2);
	safety_concern_clear(&got);
	verr_init(&v);
	assert_int_equal(safety_acknowledge(db, &sup, c.id, &v, &got),
	    ERR_CONFLICT);
	verr_init(&v);
	assert_int_equal(safety_acknowledge(db, &peer, c.id, &v, &got),
	    ERR_FORBIDDEN);
	assert_int_equal(safety_sweep(db, c.escalate_at + 60000, &n1), ERR_OK);
	assert_int_equal(n1, 0);

	safety_set_escalate_seconds(0);
	safety_concern_clear(&c);
	db_close(db2);
	db_close(db);
	tmpdir_remove(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_escalates_once),
	};

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
