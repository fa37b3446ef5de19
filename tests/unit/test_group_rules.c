/*
 * Unit tests: the groups rule set (data/groups.json,
 * interop/groups_json.c, core/group_rules.c): the shipped curricula parse
 * with their topics, an older database picks the rule set up on migrate,
 * every broken rule set is refused with a reason naming the place, and the
 * find functions answer by code.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/group_rules.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/xalloc.h"
#include "tmpdb.h"

static const char *
shipped_text(void)
{
	const struct asset *a = asset_find(data_assets, "/groups.json");

	if (a == NULL) {
		fprintf(stderr, "groups.json is not compiled in\n");
		abort();
	}
	return (const char *)a->data;
}

/* A new struct rules holding the shipped groups rule set. */
static struct rules *
shipped_rules(void)
{
	struct rules *r = xcalloc(1, sizeof *r);
	char why[200] = "";

	if (rules_parse(shipped_text(), r, why, sizeof why) != ERR_OK)
		fail_msg("groups.json: %s", why);
	return r;
}

/* Fails unless curriculum code of g has exactly the topics listed. */
static void
has_topics(const struct group_rules *g, const char *code,
    const char *const *topics)
{
	const struct group_curriculum *c = group_curriculum_find(g, code);
	int n;

	if (c == NULL)
		fail_msg("no curriculum %s", code);
	for (n = 0; topics[n] != NULL; n++)
		if (group_topic_find(c, topics[n]) == NULL)
			fail_msg("%s has no topic %s", code, topics[n]);
	if (n != c->ntopics)
		fail_msg("%s has %d topics, not %d", code, c->ntopics, n);
}

static void
test_shipped(void **state)
{
	static const char *const wrap[] = { "wellness_toolbox",
	    "daily_maintenance", "triggers", "early_warning_signs",
	    "breaking_down", "crisis_planning", "post_crisis", NULL };
	static const char *const wham[] = { "whole_health_goal",
	    "weekly_action_plan", "stress_management", "healthy_eating",
	    "physical_activity", "restful_sleep", "service_to_others",
	    "social_support", "optimism", "cognitive_skills",
	    "spiritual_beliefs", "sense_of_purpose", "health_screenings",
	    "shared_decision_making", NULL };
	static const char *const coaching[] = { "stress_management",
	    "healthy_leisure", "wellness", "alternative_treatment_options",
	    "recovery", "self_affirmation", "self_advocacy",
	    "treatment_management", "community_involvement", NULL };
	static const char *const codes[] = { "wellness_action_planning",
	    "dual_recovery", "twelve_step_facilitation", "wham",
	    "wellness_coaching", "open_topic" };
	struct rules *r = shipped_rules();
	const struct group_rules *g = &r->groups;
	const struct group_curriculum *c;
	size_t i;
	int k;

	(void)state;
	assert_string_equal(g->version, "2026.1");
	assert_int_equal(g->ncurricula, 6);
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		assert_non_null(c = group_curriculum_find(g, codes[i]));
		assert_string_equal(c->code, codes[i]);
		assert_non_null(c->label);
		assert_non_null(c->description);
		assert_non_null(c->source);
		assert_true(c->ntopics <= GROUP_TOPICS_MAX);
		for (k = 0; k < c->ntopics; k++) {
			assert_non_null(c->topics[k].code);
			assert_non_null(c->topics[k].label);
		}
	}
	has_topics(g, "wellness_action_planning", wrap);
	has_topics(g, "wham", wham);
	has_topics(g, "wellness_coaching", coaching);

	/* WRAP is AHP's: named with its mark, led by its facilitators. */
	c = group_curriculum_find(g, "wellness_action_planning");
	assert_string_equal(c->label, "Wellness Recovery Action Plan (WRAP®)");
	assert_non_null(c->facilitation);
	assert_non_null(strstr(c->facilitation, "trained WRAP facilitator"));
	assert_non_null(strstr(c->facilitation, "Advocates for Human "
	    "Potential"));
	c = group_curriculum_find(g, "twelve_step_facilitation");
	assert_non_null(strstr(c->description, "Alcoholics Anonymous"));
	assert_non_null(strstr(c->description, "Narcotics Anonymous"));
	assert_true(group_curriculum_find(g, "dual_recovery")->ntopics > 0);
	assert_null(group_curriculum_find(g, "dual_recovery")->facilitation);
	assert_true(group_curriculum_find(g, "open_topic")->ntopics <= 10);
	rules_free(r);
}

/* The shipped text uses none of the words the language guide retires
 * (shared/domain/REFERENCE.md section 7); an organisation's own name
 * (Alcoholics Anonymous) is the guide's exception. */
static void
test_shipped_wording(void **state)
{
	static const char *const avoid[] = { "addict", "clean", "dirty",
	    "abuse", "compliant", "alcoholic", "relapse", "suffer",
	    "caseload", NULL };
	static const char org[] = "alcoholics anonymous";
	char *low = xstrdup(shipped_text()), *p;
	const char *found = NULL;
	int i;

	(void)state;
	for (p = low; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	while ((p = strstr(low, org)) != NULL)
		memset(p, '-', sizeof org - 1);
	for (i = 0; found == NULL && avoid[i] != NULL; i++)
		if (strstr(low, avoid[i]) != NULL)
			found = avoid[i];
	free(low);
	if (found != NULL)
		fail_msg("groups.json says \"%s\"", found);
}

static void
run_sql(struct db *db, const char *sql, const char *a1, const char *a2)
{
	struct db_stmt *st;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	if (a1 != NULL)
		db_bind_text(st, 1, a1);
	if (a2 != NULL)
		db_bind_text(st, 2, a2);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
}

/*
 * Stored at init and put in force by rules_load, as serve does. A
 * database made before the rule set existed lacks its row: serve says to
 * migrate, and migrate's rules_seed stores it. An administrator's edited
 * copy is never overwritten by the shipped one.
 */
static void
test_seed_and_load(void **state)
{
	static const char edited[] = "{\"name\":\"groups\","
	    "\"version\":\"local.1\",\"description\":\"d\","
	    "\"sources\":[\"s\"],\"curricula\":["
	    "{\"code\":\"art\",\"label\":\"Art together\",\"description\":"
	    "\"d\",\"source\":\"Organisation policy\",\"topics\":[]}]}";
	struct tmpdir dir;
	struct db *db;
	char why[200] = "", *body = NULL;

	(void)state;
	tmpdir_make(&dir);
	assert_non_null(db = tmpdb_open(&dir, "groups.db"));
	assert_int_equal(rules_seed(db), ERR_OK);
	assert_int_equal(rules_fetch(db, "groups", &body), ERR_OK);
	assert_string_equal(body, shipped_text());
	free(body);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load: %s", why);
	assert_int_equal(rules_get()->groups.ncurricula, 6);
	assert_non_null(group_curriculum_find(&rules_get()->groups, "wham"));

	/* An older database. */
	run_sql(db, "DELETE FROM ruleset WHERE name = $1", "groups", NULL);
	assert_int_equal(rules_load(db, why, sizeof why), ERR_NOT_FOUND);
	assert_non_null(strstr(why, "groups"));
	assert_non_null(strstr(why, "migrate"));
	assert_int_equal(rules_seed(db), ERR_OK);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load after seeding: %s", why);
	assert_int_equal(rules_get()->groups.ncurricula, 6);

	/* An edited copy stays and is the one in force. */
	run_sql(db, "UPDATE ruleset SET version = 'local.1', body = $1"
	    " WHERE name = $2", edited, "groups");
	assert_int_equal(rules_seed(db), ERR_OK);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load of the edited copy: %s", why);
	assert_string_equal(rules_get()->groups.version, "local.1");
	assert_int_equal(rules_get()->groups.ncurricula, 1);
	assert_non_null(group_curriculum_find(&rules_get()->groups, "art"));
	assert_null(group_curriculum_find(&rules_get()->groups, "wham"));

	/* A broken stored copy stops the load, naming the place. */
	run_sql(db, "UPDATE ruleset SET body = $1 WHERE name = $2",
	    "{\"name\":\"groups\",\"version\":\"local.2\",\"description\":"
	    "\"d\",\"sources\":[\"s\"],\"curricula\":[]}", "groups");
	assert_int_equal(rules_load(db, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "curricula"));
	/* The rules in force before stay in force. */
	assert_string_equal(rules_get()->groups.version, "local.1");

	rules_install(NULL);
	db_close(db);
	tmpdir_remove(&dir);
}

/* Applies one change to the shipped rule set: sets path (dotted, with
 * [n] for list entries) to the JSON value text, or removes it when
 * value is NULL. A new text; caller frees with free(). */
static char *
mutate(const char *pathspec, const char *value)
{
	json_t *root = json_loads(shipped_text(), 0, NULL), *o = root, *v;
	char buf[200], *p, *next, *out;

	assert_non_null(root);
	snprintf(buf, sizeof buf, "%s", pathspec);
	for (p = buf; ; p = next + 1) {
		char *br;
		long idx = -1;

		next = strchr(p, '.');
		if (next != NULL)
			*next = '\0';
		if ((br = strchr(p, '[')) != NULL) {
			idx = strtol(br + 1, NULL, 10);
			*br = '\0';
		}
		if (next == NULL && idx < 0) {
			if (value == NULL)
				json_object_del(o, p);
			else {
				assert_non_null(v = json_loads(value,
				    JSON_DECODE_ANY, NULL));
				json_object_set_new(o, p, v);
			}
			break;
		}
		o = json_object_get(o, p);
		if (idx >= 0) {
			if (next == NULL) {
				v = value == NULL ? NULL : json_loads(value,
				    JSON_DECODE_ANY, NULL);
				if (v == NULL)
					json_array_remove(o, (size_t)idx);
				else if ((size_t)idx >= json_array_size(o))
					json_array_append_new(o, v);
				else
					json_array_set_new(o, (size_t)idx, v);
				break;
			}
			o = json_array_get(o, (size_t)idx);
		}
		assert_non_null(o);
	}
	out = json_dumps(root, 0);
	json_decref(root);
	return out;
}

/* A topics list of n distinct topics, as JSON text. */
static char *
topics_of(int n)
{
	json_t *a = json_array();
	char *out;
	int i;

	for (i = 0; i < n; i++) {
		char code[16];

		snprintf(code, sizeof code, "t%d", i);
		json_array_append_new(a, json_pack("{s:s,s:s}", "code", code,
		    "label", "A topic"));
	}
	out = json_dumps(a, 0);
	json_decref(a);
	return out;
}

#define LABEL_CHARS 120

/* A JSON string of n copies of unit; caller frees with free(). */
static char *
label_of(const char *unit, int n)
{
	size_t len = strlen(unit);
	char *out = xcalloc((size_t)n * len + 3, 1), *p = out;
	int i;

	*p++ = '"';
	for (i = 0; i < n; i++, p += len)
		memcpy(p, unit, len);
	*p = '"';
	return out;
}

/* Each broken rule set is refused with a reason naming the place, and
 * leaves nothing half-parsed behind. */
static void
test_refused(void **state)
{
	static const struct {
		const char	*path;
		const char	*value;		/* NULL: removed */
		const char	*why;
	} bad[] = {
		/* Unknown keys, at each level. */
		{ "extra", "1", "groups: unknown key extra" },
		{ "curricula[1].modules", "[]",
		    "curricula[1]: unknown key modules" },
		{ "curricula[0].topics[2].notes", "\"n\"",
		    "curricula[0].topics[2]: unknown key notes" },
		/* Codes unique and plain. */
		{ "curricula[3].code", "\"dual_recovery\"",
		    "curricula[3].code dual_recovery repeats curricula[1]" },
		{ "curricula[0].topics[4].code", "\"triggers\"",
		    "curricula[0].topics[4].code triggers repeats "
		    "curricula[0].topics[2]" },
		{ "curricula[0].code", "\"Wrap\"",
		    "curricula[0].code must be" },
		{ "curricula[0].code", "\"1wrap\"",
		    "curricula[0].code must be" },
		{ "curricula[0].code", "\"_wrap\"",
		    "curricula[0].code must be" },
		{ "curricula[0].code", "\"wrap-group\"",
		    "curricula[0].code must be" },
		{ "curricula[0].code", "\"\"", "curricula[0].code must be" },
		{ "curricula[0].code",
		    "\"a2345678901234567890123456789012345678901\"",
		    "curricula[0].code must be" },
		{ "curricula[0].code", "7", "curricula[0].code must be" },
		{ "curricula[0].code", NULL, "curricula[0].code is missing" },
		{ "curricula[2].topics[0].code", "\"First meeting\"",
		    "curricula[2].topics[0].code must be" },
		/* Labels. */
		{ "curricula[1].label", "\"\"", "curricula[1].label must be" },
		{ "curricula[1].label", NULL, "curricula[1].label is missing" },
		{ "curricula[1].topics[0].label", "\"\"",
		    "curricula[1].topics[0].label must be" },
		{ "curricula[1].topics[0].label", NULL,
		    "curricula[1].topics[0].label is missing" },
		/* A source, a description; facilitation text when given. */
		{ "curricula[2].source", NULL,
		    "curricula[2].source is missing" },
		{ "curricula[2].source", "\"\"",
		    "curricula[2].source must be" },
		{ "curricula[4].description", NULL,
		    "curricula[4].description is missing" },
		{ "curricula[0].facilitation", "\"\"",
		    "curricula[0].facilitation must be" },
		{ "curricula[0].facilitation", "true",
		    "curricula[0].facilitation must be" },
		{ "sources", "[]", "groups.sources" },
		{ "sources", NULL, "groups.sources" },
		{ "sources[1]", "7", "groups.sources[1]" },
		{ "description", NULL, "groups.description is missing" },
		{ "version", "\"\"", "groups.version" },
		/* Lists. */
		{ "curricula", "[]", "groups.curricula must list 1 to" },
		{ "curricula", NULL, "groups.curricula must list 1 to" },
		{ "curricula", "{}", "groups.curricula must list 1 to" },
		{ "curricula[5]", "\"open_topic\"", "curricula[5] must be an "
		    "object" },
		{ "curricula[5].topics", NULL,
		    "curricula[5].topics must list" },
		{ "curricula[5].topics", "{}",
		    "curricula[5].topics must list" },
		{ "curricula[5].topics[0]", "[]",
		    "curricula[5].topics[0] must be an object" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *text = mutate(bad[i].path, bad[i].value);

		assert_int_equal(rules_parse(text, r, why, sizeof why),
		    ERR_INVALID);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("case %zu (%s): reason \"%s\" does not name "
			    "%s", i, bad[i].path, why, bad[i].why);
		assert_int_equal(r->groups.ncurricula, 0);
		assert_null(r->groups.curricula);
		assert_null(r->groups.version);
		rules_free(r);
		free(text);
	}
	/* GROUP_TOPICS_MAX topics pass; one more is refused. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *t = topics_of(GROUP_TOPICS_MAX), *text;

		text = mutate("curricula[5].topics", t);
		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("%d topics: %s", GROUP_TOPICS_MAX, why);
		assert_int_equal(r->groups.curricula[5].ntopics,
		    GROUP_TOPICS_MAX);
		free(text);
		free(t);
		t = topics_of(GROUP_TOPICS_MAX + 1);
		text = mutate("curricula[5].topics", t);
		assert_int_equal(rules_parse(text, r, why, sizeof why),
		    ERR_INVALID);
		assert_non_null(strstr(why, "curricula[5].topics must list at "
		    "most 40"));
		assert_int_equal(r->groups.ncurricula, 0);
		free(text);
		free(t);
		rules_free(r);
	}
	/* A label of 121 characters. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *l = label_of("x", LABEL_CHARS + 1), *text;

		text = mutate("curricula[1].topics[0].label", l);
		assert_int_equal(rules_parse(text, r, why, sizeof why),
		    ERR_INVALID);
		assert_non_null(strstr(why, "curricula[1].topics[0].label must "
		    "be a label of 1 to 120 characters"));
		free(text);
		free(l);
		rules_free(r);
	}
}

/* What may vary: no topics, no facilitation, a 120-character label of
 * characters that are not ASCII; and parsing again leaks nothing. */
static void
test_accepted(void **state)
{
	static const struct {
		const char	*path;
		const char	*value;		/* NULL: removed */
	} ok[] = {
		{ "curricula[5].topics", "[]" },
		{ "curricula[0].facilitation", NULL },
		{ "curricula[0].facilitation", "null" },
		{ "curricula[1].code",
		    "\"a234567890123456789012345678901234567890\"" },
		{ "curricula[1].topics[0].code", "\"wellness_toolbox\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *text = mutate(ok[i].path, ok[i].value);

		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("case %zu (%s): %s", i, ok[i].path, why);
		assert_int_equal(r->groups.ncurricula, 6);
		free(text);
		rules_free(r);
	}
	/* 120 characters of two bytes each. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *l = label_of("é", LABEL_CHARS), *text;

		text = mutate("curricula[1].label", l);
		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("a label of 120 characters: %s", why);
		assert_int_equal(strlen(r->groups.curricula[1].label),
		    2 * LABEL_CHARS);
		free(text);
		free(l);
		rules_free(r);
	}
	{
		struct rules *r = shipped_rules();
		char why[200] = "";

		assert_int_equal(rules_parse(shipped_text(), r, why,
		    sizeof why), ERR_OK);
		assert_int_equal(r->groups.ncurricula, 6);
		rules_free(r);
	}
}

static void
test_find(void **state)
{
	struct rules *r = shipped_rules();
	const struct group_rules *g = &r->groups;
	const struct group_curriculum *c;
	const struct group_topic *t;
	struct group_rules empty;

	(void)state;
	assert_non_null(c = group_curriculum_find(g, "wellness_coaching"));
	assert_non_null(t = group_topic_find(c, "healthy_leisure"));
	assert_string_equal(t->label, "Healthy leisure activities");
	/* Topics belong to their curriculum. */
	assert_null(group_topic_find(c, "crisis_planning"));
	assert_non_null(group_topic_find(group_curriculum_find(g,
	    "wellness_action_planning"), "crisis_planning"));
	/* Codes match whole and exactly. */
	assert_null(group_curriculum_find(g, "WHAM"));
	assert_null(group_curriculum_find(g, "wha"));
	assert_null(group_curriculum_find(g, "whamx"));
	assert_null(group_curriculum_find(g, ""));
	assert_null(group_curriculum_find(g, NULL));
	assert_null(group_topic_find(c, NULL));
	assert_null(group_topic_find(NULL, "recovery"));
	assert_null(group_curriculum_find(NULL, "wham"));
	/* An empty rule set finds nothing, and clears twice. */
	memset(&empty, 0, sizeof empty);
	assert_null(group_curriculum_find(&empty, "wham"));
	group_rules_clear(&empty);
	group_rules_clear(&empty);
	group_rules_clear(NULL);
	/* Cleared, the rule set is empty. */
	group_rules_clear(&r->groups);
	assert_int_equal(r->groups.ncurricula, 0);
	assert_null(group_curriculum_find(&r->groups, "wham"));
	rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_shipped_wording),
		cmocka_unit_test(test_seed_and_load),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
