/*
 * Unit tests: billing units (core/billing.c) and the billing rule set
 * (interop/billing_json.c, data/billing.json). The units table of
 * REFERENCE.md 1.3 at every boundary for each rounding mode, the day's
 * minutes summed before rounding, every modifier and place-of-service
 * rule, every reason a contact is not billable (alone and together), the
 * caps, the rule set's own checks, and the shipped rule set loading.
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

#include "core/billing.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "tmpdb.h"

/* The shipped rule set, parsed once. */
static struct rules *shipped;
static const struct billing_rules *BR;

static const char *
shipped_text(void)
{
	const struct asset *a = asset_find(data_assets, "/billing.json");

	if (a == NULL) {
		fprintf(stderr, "billing.json is not compiled in\n");
		abort();
	}
	return (const char *)a->data;
}

static int
group_setup(void **state)
{
	char why[200] = "";

	(void)state;
	log_quiet(1);
	shipped = xcalloc(1, sizeof *shipped);
	if (rules_parse(shipped_text(), shipped, why, sizeof why) != ERR_OK) {
		fprintf(stderr, "billing.json: %s\n", why);
		return -1;
	}
	BR = &shipped->billing;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rules_free(shipped);
	return 0;
}

/* A billable individual face-to-face contact in the office. */
static struct billing_contact
contact(const char *type, int minutes)
{
	struct billing_contact c;

	memset(&c, 0, sizeof c);
	c.type = type;
	c.modality = BILLING_INDIVIDUAL;
	c.method = BILLING_FACE_TO_FACE;
	c.setting = "office";
	c.minutes = minutes;
	c.goal_linked = 1;
	c.agreement_active = 1;
	return c;
}

static struct billing_result
run(const struct billing_rules *br, const struct billing_contact *c,
    const struct billing_prior *p)
{
	struct billing_result res;

	assert_int_equal(billing_contact(br, c, p, &res), ERR_OK);
	return res;
}

/* Words REFERENCE.md section 7 asks us not to use, in any reason. */
static void
assert_plain(const struct billing_reason *r)
{
	static const char *const avoid[] = { "client", "caseload", "refus",
	    "fail", "complian", "non-compliant", "abuse", "addict", "denied",
	    "reject", "violat", "invalid", NULL };
	int i;

	assert_true(r->text[0] != '\0');
	assert_non_null(r->code);
	for (i = 0; avoid[i] != NULL; i++)
		if (strstr(r->text, avoid[i]) != NULL)
			fail_msg("reason \"%s\" uses \"%s\"", r->text, avoid[i]);
}

/* The result is not billable for exactly the reasons named, in order. */
static void
assert_reasons(const struct billing_result *res, const char *const *codes)
{
	int i;

	assert_false(res->billable);
	assert_int_equal(res->units, 0);
	assert_int_equal(res->ncuts, 0);
	for (i = 0; codes[i] != NULL; i++) {
		if (i >= res->nreasons)
			fail_msg("missing reason %s", codes[i]);
		assert_string_equal(res->reasons[i].code, codes[i]);
		assert_plain(&res->reasons[i]);
	}
	if (res->nreasons != i)
		fail_msg("%d reasons, expected %d (extra: %s)", res->nreasons,
		    i, res->reasons[i].code);
}

static void
assert_billable(const struct billing_result *res, int units)
{
	if (!res->billable)
		fail_msg("not billable: %s", res->nreasons ?
		    res->reasons[0].text : "(no reason)");
	assert_int_equal(res->nreasons, 0);
	assert_int_equal(res->units, units);
}

/* The REFERENCE.md 1.3 table, and on past the 16-unit day cap. */
static void
test_units_midpoint(void **state)
{
	static const int table[][2] = {
		{ 0, 0 }, { 1, 0 }, { 7, 0 },
		{ 8, 1 }, { 22, 1 }, { 23, 2 }, { 37, 2 }, { 38, 3 },
		{ 52, 3 }, { 53, 4 }, { 67, 4 }, { 68, 5 }, { 82, 5 },
		{ 83, 6 }, { 97, 6 }, { 98, 7 }, { 112, 7 }, { 113, 8 },
		{ 127, 8 }, { 128, 9 }, { 142, 9 }, { 143, 10 }, { 157, 10 },
		{ 158, 11 }, { 172, 11 }, { 173, 12 }, { 187, 12 },
		{ 188, 13 }, { 202, 13 }, { 203, 14 }, { 217, 14 },
		{ 218, 15 }, { 232, 15 }, { 233, 16 }, { 247, 16 },
		{ 248, 17 }, { 262, 17 }, { 263, 18 }, { 277, 18 },
		{ 480, 32 }, { 1440, 96 }, { -1, 0 }, { -100, 0 },
	};
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (billing_units(BILLING_ROUND_MIDPOINT, table[i][0]) !=
		    table[i][1])
			fail_msg("midpoint %d minutes: %d units, expected %d",
			    table[i][0],
			    billing_units(BILLING_ROUND_MIDPOINT, table[i][0]),
			    table[i][1]);
	/* The formula REFERENCE.md 1.3 gives, everywhere. */
	for (m = 0; m <= 3000; m++)
		assert_int_equal(billing_units(BILLING_ROUND_MIDPOINT, m),
		    m >= 8 ? (m + 7) / 15 : 0);
	/* The midpoint must be passed: half of a 30-minute unit is not
	 * enough, one minute more is. */
	assert_int_equal(billing_units_per(BILLING_ROUND_MIDPOINT, 30, 15), 0);
	assert_int_equal(billing_units_per(BILLING_ROUND_MIDPOINT, 30, 16), 1);
	assert_int_equal(billing_units_per(BILLING_ROUND_MIDPOINT, 60, 30), 0);
	assert_int_equal(billing_units_per(BILLING_ROUND_MIDPOINT, 60, 31), 1);
	assert_int_equal(billing_units_per(BILLING_ROUND_MIDPOINT, 0, 31), 0);
	assert_int_equal(billing_units(BILLING_ROUND_MIDPOINT, 2147483647),
	    143165576);
}

/* The same boundaries under whole units and always up. */
static void
test_units_whole_and_up(void **state)
{
	static const int bounds[] = { 0, 1, 7, 8, 14, 15, 16, 22, 23, 29, 30,
	    31, 37, 38, 44, 45, 52, 53, 60, 67, 68, 75, 82, 83, 97, 98, 112,
	    113, 127, 128, 239, 240, 241, 247, 248, 255, 256, 1440 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
		int m = bounds[i];

		assert_int_equal(billing_units(BILLING_ROUND_WHOLE, m), m / 15);
		assert_int_equal(billing_units(BILLING_ROUND_UP, m),
		    (m + 14) / 15);
	}
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, 14), 0);
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, 15), 1);
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, 29), 1);
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, 30), 2);
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, 239), 15);
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, 240), 16);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 0), 0);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 1), 1);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 15), 1);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 16), 2);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 226), 16);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 240), 16);
	assert_int_equal(billing_units(BILLING_ROUND_UP, 241), 17);
	assert_int_equal(billing_units(BILLING_ROUND_WHOLE, -5), 0);
	assert_int_equal(billing_units(BILLING_ROUND_UP, -5), 0);
	assert_int_equal(billing_units((enum billing_rounding)7, 30), 0);
}

static void
test_shipped_rules(void **state)
{
	static const char *const activities[] = { "transportation",
	    "documentation", "volunteer_services", "household_tasks",
	    "grocery_shopping", "on_the_job_training", "case_management",
	    "outreach", "room_and_board", "public_support_groups" };
	static const char *const types[] = { "individual", "phone", "video",
	    "group", "community_integration", "employment_education",
	    "accompaniment", "post_discharge_follow_up", "outreach_attempt",
	    "team_meeting", "transportation", "other" };
	const struct billing_code *bc = billing_code_find(BR, "H0038");
	int i;

	(void)state;
	assert_string_equal(BR->version, "MEDICAID-H0038-2026.1");
	assert_string_equal(BR->payer, "Medicaid");
	assert_non_null(bc);
	assert_int_equal(BR->ncodes, 1);
	assert_string_equal(bc->label,
	    "Self-help/peer services, per 15 minutes");
	assert_int_equal(bc->unit_minutes, 15);
	assert_int_equal(bc->rounding, BILLING_ROUND_MIDPOINT);
	assert_int_equal(bc->aggregation, BILLING_PER_DAY);
	assert_int_equal(bc->cap_day, 16);
	assert_int_equal(bc->cap_year, 0);
	assert_int_equal(bc->cap_episode, 0);
	assert_int_equal(bc->year_starts_month, 1);
	assert_true(bc->requires_goal);
	assert_true(bc->requires_agreement);
	assert_string_equal(BR->group_modifier, "HQ");
	assert_string_equal(billing_program_find(BR, "mental_health")->modifier,
	    "HE");
	assert_string_equal(billing_program_find(BR, "substance_use")->modifier,
	    "HF");
	assert_int_equal(BR->naudio_video, 1);
	assert_string_equal(BR->audio_video[0], "95");
	assert_int_equal(BR->naudio_only, 1);
	assert_string_equal(BR->audio_only[0], "93");
	assert_string_equal(BR->tele_pos, "02");
	assert_string_equal(BR->tele_pos_home, "10");
	assert_int_equal(BR->group_max_per_facilitator, 10);
	assert_non_null(strstr(BR->group_rule, "12VAC30-130-5210"));
	/* Virginia's list, exactly (REFERENCE.md 1.4). */
	assert_int_equal(BR->nactivities, 10);
	for (i = 0; i < 10; i++) {
		assert_string_equal(BR->activities[i].code, activities[i]);
		assert_non_null(strstr(BR->activities[i].rule,
		    "12VAC30-130-5210(E)"));
	}
	/* The contact types of issue 5, in its order. */
	assert_int_equal(BR->ntypes, 12);
	for (i = 0; i < 12; i++)
		assert_string_equal(BR->types[i].code, types[i]);
	assert_null(billing_type_find(BR, "outreach_attempt")->billing_code);
	assert_null(billing_type_find(BR, "team_meeting")->billing_code);
	assert_null(billing_type_find(BR, "transportation")->billing_code);
	assert_string_equal(billing_type_find(BR, "group")->billing_code,
	    "H0038");
	assert_null(billing_type_find(BR, "nope"));
	assert_null(billing_code_find(BR, "H0039"));
	assert_null(billing_setting_find(BR, NULL));
	assert_string_equal(billing_setting_find(BR, "home")->pos, "12");
}

/* The shipped rule set is stored by rules_seed and put in force by
 * rules_load, as serve does. */
static void
test_shipped_rules_load(void **state)
{
	struct tmpdir dir;
	struct db *db;
	char why[200] = "";
	char *body = NULL;

	(void)state;
	tmpdir_make(&dir);
	assert_non_null(db = tmpdb_open(&dir, "billing.db"));
	assert_int_equal(rules_seed(db), ERR_OK);
	assert_int_equal(rules_fetch(db, "billing", &body), ERR_OK);
	assert_non_null(strstr(body, "\"H0038\""));
	free(body);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load: %s", why);
	assert_int_equal(rules_get()->billing.ncodes, 1);
	assert_string_equal(rules_get()->billing.version,
	    "MEDICAID-H0038-2026.1");
	rules_install(NULL);
	db_close(db);
	tmpdir_remove(&dir);
}

static void
test_individual_billable(void **state)
{
	struct billing_contact c = contact("individual", 30);
	struct billing_result res = run(BR, &c, NULL);

	(void)state;
	assert_billable(&res, 2);
	assert_string_equal(res.code, "H0038");
	assert_int_equal(res.nmodifiers, 0);
	assert_string_equal(res.pos, "11");
	assert_int_equal(res.minutes, 30);
	assert_int_equal(res.counted_minutes, 30);
	assert_int_equal(res.modality, BILLING_INDIVIDUAL);
	assert_int_equal(res.method, BILLING_FACE_TO_FACE);
	assert_int_equal(res.ncuts, 0);
	/* Every contact type that has a code bills 8 minutes as 1 unit. */
	c.minutes = 8;
	c.group_size = 1;
	res = run(BR, &c, NULL);
	assert_billable(&res, 1);
	c.type = "community_integration";
	res = run(BR, &c, NULL);
	assert_billable(&res, 1);
	c.type = "employment_education";
	res = run(BR, &c, NULL);
	assert_billable(&res, 1);
	c.type = "accompaniment";
	res = run(BR, &c, NULL);
	assert_billable(&res, 1);
	c.type = "post_discharge_follow_up";
	res = run(BR, &c, NULL);
	assert_billable(&res, 1);
}

/* Per-day aggregation: the day's minutes are summed before rounding. */
static void
test_day_aggregation(void **state)
{
	struct billing_contact c = contact("individual", 10);
	struct billing_prior p;
	struct billing_result res;
	struct billing_code code = BR->codes[0];
	struct billing_rules br = *BR;
	uint32_t seed = 12345;
	int i, round, total;

	(void)state;
	/* Two 10-minute contacts: 1 unit in all, not 2. */
	memset(&p, 0, sizeof p);
	res = run(BR, &c, &p);
	assert_billable(&res, 1);
	p.day_units += res.units;
	p.day_minutes += res.counted_minutes;
	res = run(BR, &c, &p);
	{
		static const char *const r[] = { "too_short", NULL };

		assert_reasons(&res, r);
	}
	assert_non_null(strstr(res.reasons[0].text, "20 minutes today"));
	assert_non_null(strstr(res.reasons[0].text, "23 minutes"));
	assert_int_equal(res.counted_minutes, 10);
	p.day_units += res.units;
	p.day_minutes += res.counted_minutes;
	assert_int_equal(p.day_units, 1);
	/* A third brings 30 minutes: the second unit. */
	res = run(BR, &c, &p);
	assert_billable(&res, 1);

	/* Three 5-minute contacts: 0, then 1 at 10 minutes, then 0. */
	memset(&p, 0, sizeof p);
	c.minutes = 5;
	res = run(BR, &c, &p);
	assert_int_equal(res.units, 0);
	assert_non_null(strstr(res.reasons[0].text, "starts at 8 minutes"));
	p.day_minutes += res.counted_minutes;
	res = run(BR, &c, &p);
	assert_billable(&res, 1);
	p.day_units += res.units;
	p.day_minutes += res.counted_minutes;
	res = run(BR, &c, &p);
	assert_int_equal(res.units, 0);

	/* Per contact instead: two 10-minute contacts are 2 units. */
	code.aggregation = BILLING_PER_CONTACT;
	br.codes = &code;
	memset(&p, 0, sizeof p);
	c.minutes = 10;
	for (i = 0; i < 2; i++) {
		res = run(&br, &c, &p);
		assert_billable(&res, 1);
		p.day_units += res.units;
		p.day_minutes += res.counted_minutes;
	}
	assert_int_equal(p.day_units, 2);

	/* Whatever the day's contacts, under each mode the day's units are
	 * those of its summed minutes (up to the cap). */
	for (round = 0; round < 3; round++) {
		code = BR->codes[0];
		code.rounding = (enum billing_rounding)round;
		br.codes = &code;
		for (i = 0; i < 200; i++) {
			int n, k, sum = 0;

			memset(&p, 0, sizeof p);
			seed = seed * 1103515245u + 12345u;
			n = 1 + (int)(seed >> 16) % 6;
			total = 0;
			for (k = 0; k < n; k++) {
				seed = seed * 1103515245u + 12345u;
				c.minutes = (int)(seed >> 16) % 40;
				sum += c.minutes;
				res = run(&br, &c, &p);
				total += res.units;
				p.day_units += res.units;
				p.day_minutes += res.counted_minutes;
			}
			assert_int_equal(total,
			    billing_units_per(code.rounding, 15, sum));
		}
	}
}

/* A contact that does not count toward the code (no goal) leaves the
 * day's minutes as they were. */
static void
test_counted_minutes(void **state)
{
	struct billing_contact c = contact("individual", 10);
	struct billing_prior p;
	struct billing_result res;

	(void)state;
	memset(&p, 0, sizeof p);
	c.goal_linked = 0;
	res = run(BR, &c, &p);
	assert_int_equal(res.counted_minutes, 0);
	p.day_minutes += res.counted_minutes;
	c.goal_linked = 1;
	c.minutes = 7;
	res = run(BR, &c, &p);
	assert_int_equal(res.units, 0);
	assert_int_equal(res.counted_minutes, 7);
	c.type = "transportation";
	c.minutes = 60;
	res = run(BR, &c, &p);
	assert_int_equal(res.counted_minutes, 0);
	assert_int_equal(res.minutes, 60);
}

/* The rounding modes through the engine. */
static void
test_engine_rounding_modes(void **state)
{
	struct billing_contact c = contact("individual", 14);
	struct billing_code code = BR->codes[0];
	struct billing_rules br = *BR;
	struct billing_result res;
	static const char *const short_[] = { "too_short", NULL };

	(void)state;
	br.codes = &code;
	code.rounding = BILLING_ROUND_WHOLE;
	res = run(&br, &c, NULL);
	assert_reasons(&res, short_);
	assert_non_null(strstr(res.reasons[0].text, "starts at 15 minutes"));
	c.minutes = 15;
	res = run(&br, &c, NULL);
	assert_billable(&res, 1);
	c.minutes = 44;
	res = run(&br, &c, NULL);
	assert_billable(&res, 2);

	code.rounding = BILLING_ROUND_UP;
	c.minutes = 1;
	res = run(&br, &c, NULL);
	assert_billable(&res, 1);
	c.minutes = 16;
	res = run(&br, &c, NULL);
	assert_billable(&res, 2);
	c.minutes = 0;
	res = run(&br, &c, NULL);
	assert_reasons(&res, short_);
	assert_non_null(strstr(res.reasons[0].text, "starts at 1 minute."));

	code.rounding = BILLING_ROUND_MIDPOINT;
	c.minutes = 7;
	res = run(&br, &c, NULL);
	assert_reasons(&res, short_);
	c.minutes = 8;
	res = run(&br, &c, NULL);
	assert_billable(&res, 1);
}

static void
assert_mods(const struct billing_result *res, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= res->nmodifiers)
			fail_msg("missing modifier %s", want[i]);
		assert_string_equal(res->modifiers[i], want[i]);
	}
	assert_int_equal(res->nmodifiers, i);
}

static void
test_modifiers(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const hq[] = { "HQ", NULL };
	static const char *const he[] = { "HE", NULL };
	static const char *const hf[] = { "HF", NULL };
	static const char *const m95[] = { "95", NULL };
	static const char *const m93[] = { "93", NULL };
	static const char *const all[] = { "HQ", "HF", "95", NULL };
	static const char *const tele_first[] = { "95", "HF", "HQ", NULL };
	static const char *const fq[] = { "HE", "93", "FQ", NULL };
	struct billing_contact c = contact("individual", 30);
	struct billing_rules br = *BR;
	struct billing_result res;
	char fq_mod[] = "FQ";

	(void)state;
	res = run(BR, &c, NULL);
	assert_mods(&res, none);
	/* Group: HQ. */
	c.type = "group";
	c.group_size = 6;
	res = run(BR, &c, NULL);
	assert_billable(&res, 2);
	assert_mods(&res, hq);
	assert_int_equal(res.modality, BILLING_GROUP);
	/* A group contact of another type is a group too. */
	c.type = "community_integration";
	c.modality = BILLING_GROUP;
	res = run(BR, &c, NULL);
	assert_mods(&res, hq);
	/* The type fixes the modality: an individual contact is never a
	 * group. */
	c.type = "individual";
	res = run(BR, &c, NULL);
	assert_mods(&res, none);
	c.modality = BILLING_INDIVIDUAL;
	/* Programs. */
	c.program = "mental_health";
	res = run(BR, &c, NULL);
	assert_mods(&res, he);
	c.program = "substance_use";
	res = run(BR, &c, NULL);
	assert_mods(&res, hf);
	c.program = NULL;
	/* Telehealth: audio and video 95; phone and audio-only 93. */
	c.type = "video";
	res = run(BR, &c, NULL);
	assert_mods(&res, m95);
	assert_int_equal(res.method, BILLING_AUDIO_VIDEO);
	c.type = "phone";
	res = run(BR, &c, NULL);
	assert_mods(&res, m93);
	assert_int_equal(res.method, BILLING_PHONE);
	c.type = "accompaniment";
	c.method = BILLING_AUDIO_ONLY;
	res = run(BR, &c, NULL);
	assert_mods(&res, m93);
	c.method = BILLING_PHONE;
	res = run(BR, &c, NULL);
	assert_mods(&res, m93);
	c.method = BILLING_AUDIO_VIDEO;
	res = run(BR, &c, NULL);
	assert_mods(&res, m95);
	/* The type fixes the method: face to face has no telehealth
	 * modifier whatever the contact says. */
	c.type = "individual";
	res = run(BR, &c, NULL);
	assert_mods(&res, none);
	assert_int_equal(res.method, BILLING_FACE_TO_FACE);
	/* All three, in the rules' order. */
	c.type = "group";
	c.group_size = 4;
	c.program = "substance_use";
	c.method = BILLING_AUDIO_VIDEO;
	res = run(BR, &c, NULL);
	assert_billable(&res, 2);
	assert_mods(&res, all);
	br.order[0] = BILLING_MOD_TELEHEALTH;
	br.order[1] = BILLING_MOD_PROGRAM;
	br.order[2] = BILLING_MOD_GROUP;
	res = run(&br, &c, NULL);
	assert_mods(&res, tele_first);
	/* A payer that uses FQ lists it after 93. */
	br = *BR;
	br.audio_only[1] = fq_mod;
	br.naudio_only = 2;
	c.type = "phone";
	c.program = "mental_health";
	res = run(&br, &c, NULL);
	assert_mods(&res, fq);
	/* A rule set without a group modifier adds none. */
	br = *BR;
	br.group_modifier = NULL;
	c.type = "group";
	c.program = NULL;
	c.method = BILLING_FACE_TO_FACE;
	res = run(&br, &c, NULL);
	assert_mods(&res, none);
	/* Not billed: no code, no modifiers. */
	c.type = "transportation";
	res = run(BR, &c, NULL);
	assert_null(res.code);
	assert_int_equal(res.nmodifiers, 0);
}

static void
test_place_of_service(void **state)
{
	static const struct {
		const char	*type;
		int		 method;
		const char	*setting;
		int		 at_home;
		const char	*pos;
	} cases[] = {
		{ "individual", -1, "office", 0, "11" },
		{ "individual", -1, "home", 0, "12" },
		{ "individual", -1, "community_mental_health_center", 0, "53" },
		{ "individual", -1, "community", 0, "99" },
		{ "individual", -1, "other", 0, "99" },
		{ "individual", -1, NULL, 1, "12" },
		{ "individual", -1, NULL, 0, "99" },
		/* The setting wins over the flag for face-to-face. */
		{ "individual", -1, "office", 1, "11" },
		/* Telehealth: 02 away from home, 10 at home, whatever the
		 * modality. */
		{ "video", -1, NULL, 0, "02" },
		{ "video", -1, NULL, 1, "10" },
		{ "video", -1, "home", 0, "10" },
		{ "video", -1, "office", 0, "02" },
		{ "phone", -1, NULL, 0, "02" },
		{ "phone", -1, NULL, 1, "10" },
		{ "accompaniment", BILLING_AUDIO_ONLY, NULL, 1, "10" },
		{ "accompaniment", BILLING_AUDIO_VIDEO, "community", 0, "02" },
		{ "accompaniment", BILLING_FACE_TO_FACE, "community", 0, "99" },
		{ "group", BILLING_AUDIO_VIDEO, NULL, 1, "10" },
		/* A contact that is not billed still has its place. */
		{ "transportation", -1, "community", 0, "99" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct billing_contact c = contact(cases[i].type, 30);
		struct billing_result res;

		c.group_size = 3;
		c.setting = cases[i].setting;
		c.at_home = cases[i].at_home;
		if (cases[i].method >= 0)
			c.method = (enum billing_method)cases[i].method;
		res = run(BR, &c, NULL);
		if (res.pos == NULL || strcmp(res.pos, cases[i].pos) != 0)
			fail_msg("case %zu: place %s, expected %s", i,
			    res.pos ? res.pos : "(none)", cases[i].pos);
	}
}

/* Each reason a contact is not billable, alone. */
static void
test_each_reason(void **state)
{
	static const char *const too_short[] = { "too_short", NULL };
	static const char *const activity[] = { "non_billable_activity",
	    NULL };
	static const char *const not_billed[] = { "not_billed", NULL };
	static const char *const no_goal[] = { "no_plan_goal", NULL };
	static const char *const no_agreement[] = { "no_agreement", NULL };
	static const char *const group[] = { "group_too_large", NULL };
	static const char *const cap_day[] = { "cap_day", NULL };
	static const char *const cap_year[] = { "cap_year", NULL };
	static const char *const cap_episode[] = { "cap_episode", NULL };
	struct billing_contact c;
	struct billing_prior p;
	struct billing_result res;
	struct billing_code code = BR->codes[0];
	struct billing_rules br = *BR;

	(void)state;
	c = contact("individual", 7);
	res = run(BR, &c, NULL);
	assert_reasons(&res, too_short);
	assert_non_null(strstr(res.reasons[0].text, "7 minutes"));
	assert_string_equal(res.code, "H0038");

	c = contact("transportation", 60);
	res = run(BR, &c, NULL);
	assert_reasons(&res, activity);
	assert_null(res.code);
	assert_non_null(strstr(res.reasons[0].text, "Transportation"));
	assert_non_null(strstr(res.reasons[0].rule, "12VAC30-130-5210(E)"));
	c.type = "outreach_attempt";
	res = run(BR, &c, NULL);
	assert_reasons(&res, activity);
	assert_non_null(strstr(res.reasons[0].text, "Outreach"));

	c.type = "team_meeting";
	res = run(BR, &c, NULL);
	assert_reasons(&res, not_billed);
	assert_non_null(strstr(res.reasons[0].rule, "1.3 (c)"));
	c.type = "other";
	res = run(BR, &c, NULL);
	assert_reasons(&res, not_billed);

	c = contact("individual", 30);
	c.goal_linked = 0;
	res = run(BR, &c, NULL);
	assert_reasons(&res, no_goal);
	/* A code that does not ask for a goal bills without one. */
	br.codes = &code;
	code.requires_goal = 0;
	res = run(&br, &c, NULL);
	assert_billable(&res, 2);

	c = contact("individual", 30);
	c.agreement_active = 0;
	res = run(BR, &c, NULL);
	assert_reasons(&res, no_agreement);
	code = BR->codes[0];
	code.requires_agreement = 0;
	res = run(&br, &c, NULL);
	assert_billable(&res, 2);

	/* Groups: at most 10 people for each peer specialist. */
	c = contact("group", 60);
	c.group_size = 10;
	res = run(BR, &c, NULL);
	assert_billable(&res, 4);
	c.group_size = 11;
	res = run(BR, &c, NULL);
	assert_reasons(&res, group);
	assert_non_null(strstr(res.reasons[0].text, "11 people"));
	assert_non_null(strstr(res.reasons[0].text, "at most 10"));
	assert_int_equal(res.counted_minutes, 0);
	c.facilitators = 2;
	c.group_size = 20;
	res = run(BR, &c, NULL);
	assert_billable(&res, 4);
	c.group_size = 21;
	res = run(BR, &c, NULL);
	assert_reasons(&res, group);
	assert_non_null(strstr(res.reasons[0].text, "2 peer specialists"));
	/* An individual contact has no group size. */
	c = contact("individual", 30);
	c.group_size = 500;
	res = run(BR, &c, NULL);
	assert_billable(&res, 2);

	c = contact("individual", 30);
	memset(&p, 0, sizeof p);
	p.day_units = 16;
	res = run(BR, &c, &p);
	assert_reasons(&res, cap_day);
	assert_non_null(strstr(res.reasons[0].text, "16 units"));
	p.day_units = 40;	/* more than the cap: still just reached */
	res = run(BR, &c, &p);
	assert_reasons(&res, cap_day);

	code = BR->codes[0];
	code.cap_year = 3600;
	memset(&p, 0, sizeof p);
	p.year_units = 3600;
	res = run(&br, &c, &p);
	assert_reasons(&res, cap_year);
	assert_non_null(strstr(res.reasons[0].text, "year"));

	code = BR->codes[0];
	code.cap_episode = 24;
	memset(&p, 0, sizeof p);
	p.episode_units = 24;
	res = run(&br, &c, &p);
	assert_reasons(&res, cap_episode);
	assert_non_null(strstr(res.reasons[0].text, "episode"));
	/* Unset caps never stop anything. */
	memset(&p, 0, sizeof p);
	p.year_units = BILLING_UNITS_MAX;
	p.episode_units = BILLING_UNITS_MAX;
	res = run(BR, &c, &p);
	assert_billable(&res, 2);
}

/* Several reasons together, every one named, in a fixed order. */
static void
test_several_reasons(void **state)
{
	static const char *const all[] = { "too_short", "no_plan_goal",
	    "no_agreement", "group_too_large", "cap_day", "cap_year",
	    "cap_episode", NULL };
	static const char *const two[] = { "no_plan_goal", "no_agreement",
	    NULL };
	static const char *const short_goal[] = { "too_short",
	    "no_plan_goal", NULL };
	struct billing_contact c = contact("group", 5);
	struct billing_code code = BR->codes[0];
	struct billing_rules br = *BR;
	struct billing_prior p;
	struct billing_result res;

	(void)state;
	br.codes = &code;
	code.cap_year = 100;
	code.cap_episode = 24;
	memset(&p, 0, sizeof p);
	p.day_units = 16;
	p.year_units = 100;
	p.episode_units = 24;
	c.goal_linked = 0;
	c.agreement_active = 0;
	c.group_size = 12;
	res = run(&br, &c, &p);
	assert_reasons(&res, all);

	c = contact("individual", 45);
	c.goal_linked = 0;
	c.agreement_active = 0;
	res = run(BR, &c, NULL);
	assert_reasons(&res, two);
	assert_int_equal(res.counted_minutes, 0);

	c = contact("individual", 3);
	c.goal_linked = 0;
	res = run(BR, &c, NULL);
	assert_reasons(&res, short_goal);

	/* A kind of contact that is not billed gives only that reason:
	 * the code's needs do not apply to it. */
	c = contact("transportation", 3);
	c.goal_linked = 0;
	c.agreement_active = 0;
	res = run(BR, &c, &p);
	assert_int_equal(res.nreasons, 1);
	assert_string_equal(res.reasons[0].code, "non_billable_activity");
}

static void
test_caps(void **state)
{
	static const char *const cap_day[] = { "cap_day", NULL };
	struct billing_contact c = contact("individual", 30);
	struct billing_code code = BR->codes[0];
	struct billing_rules br = *BR;
	struct billing_prior p;
	struct billing_result res;
	int total, i;

	(void)state;
	/* The day cap cuts the units and says so. */
	memset(&p, 0, sizeof p);
	p.day_units = 15;
	res = run(BR, &c, &p);
	assert_billable(&res, 1);
	assert_int_equal(res.ncuts, 1);
	assert_string_equal(res.cuts[0].code, "cap_day");
	assert_non_null(strstr(res.cuts[0].text, "1 of the 2 units"));
	assert_plain(&res.cuts[0]);
	/* Not cut: no cut reason. */
	p.day_units = 14;
	res = run(BR, &c, &p);
	assert_billable(&res, 2);
	assert_int_equal(res.ncuts, 0);

	/* One long day: 250 minutes earn 17 units, 16 are claimed. */
	c.minutes = 250;
	res = run(BR, &c, NULL);
	assert_billable(&res, 16);
	assert_int_equal(res.ncuts, 1);
	assert_non_null(strstr(res.cuts[0].text, "16 of the 17 units"));
	c.minutes = 247;
	res = run(BR, &c, NULL);
	assert_billable(&res, 16);
	assert_int_equal(res.ncuts, 0);
	c.minutes = 248;
	res = run(BR, &c, NULL);
	assert_billable(&res, 16);
	assert_int_equal(res.ncuts, 1);

	/* Hour after hour: four units each until the cap, then none. */
	memset(&p, 0, sizeof p);
	c.minutes = 60;
	total = 0;
	for (i = 0; i < 6; i++) {
		res = run(BR, &c, &p);
		total += res.units;
		p.day_units += res.units;
		p.day_minutes += res.counted_minutes;
		if (i < 4)
			assert_billable(&res, 4);
		else
			assert_reasons(&res, cap_day);
	}
	assert_int_equal(total, 16);

	/* The year and the episode cut the same way. */
	br.codes = &code;
	code.cap_year = 3600;
	code.cap_episode = 24;
	c.minutes = 60;
	memset(&p, 0, sizeof p);
	p.year_units = 3598;
	res = run(&br, &c, &p);
	assert_billable(&res, 2);
	assert_int_equal(res.ncuts, 1);
	assert_string_equal(res.cuts[0].code, "cap_year");
	memset(&p, 0, sizeof p);
	p.episode_units = 21;
	res = run(&br, &c, &p);
	assert_billable(&res, 3);
	assert_string_equal(res.cuts[0].code, "cap_episode");
	/* Two caps cut at once: both are named, the smaller wins. */
	memset(&p, 0, sizeof p);
	p.day_units = 14;
	p.episode_units = 23;
	res = run(&br, &c, &p);
	assert_billable(&res, 1);
	assert_int_equal(res.ncuts, 2);
	assert_string_equal(res.cuts[0].code, "cap_day");
	assert_string_equal(res.cuts[1].code, "cap_episode");
	/* A cap reached stops the contact even when another only cuts. */
	p.day_units = 15;
	p.episode_units = 24;
	res = run(&br, &c, &p);
	{
		static const char *const ep[] = { "cap_episode", NULL };

		assert_reasons(&res, ep);
	}
	/* Per contact, too. */
	code = BR->codes[0];
	code.aggregation = BILLING_PER_CONTACT;
	memset(&p, 0, sizeof p);
	p.day_units = 15;
	p.day_minutes = 600;	/* ignored per contact */
	res = run(&br, &c, &p);
	assert_billable(&res, 1);
	assert_int_equal(res.ncuts, 1);
}

static void
test_bad_input(void **state)
{
	struct billing_contact c;
	struct billing_prior p;
	struct billing_result res;

	(void)state;
#define BAD(what) do {							\
	memset(&res, 0x5a, sizeof res);					\
	if (billing_contact(BR, &c, &p, &res) != ERR_INVALID)		\
		fail_msg("not refused: %s", what);			\
	assert_null(res.code);						\
	assert_int_equal(res.units, 0);					\
	assert_int_equal(res.nreasons, 0);				\
} while (0)
	memset(&p, 0, sizeof p);
	c = contact("nope", 30);
	BAD("unknown type");
	c = contact(NULL, 30);
	BAD("no type");
	c = contact("individual", 30);
	c.setting = "moon";
	BAD("unknown setting");
	c = contact("individual", 30);
	c.program = "gardening";
	BAD("unknown program");
	c = contact("individual", -1);
	BAD("negative minutes");
	c = contact("individual", BILLING_MINUTES_MAX + 1);
	BAD("more than a day");
	c = contact("individual", 30);
	c.modality = (enum billing_modality)2;
	BAD("modality");
	c = contact("individual", 30);
	c.method = (enum billing_method)-1;
	BAD("method");
	c = contact("group", 30);
	c.group_size = 0;
	BAD("an empty group");
	c = contact("individual", 30);
	p.day_units = -1;
	BAD("negative day units");
	memset(&p, 0, sizeof p);
	p.day_minutes = BILLING_DAY_MINUTES_MAX + 1;
	BAD("too many day minutes");
	memset(&p, 0, sizeof p);
	p.year_units = BILLING_UNITS_MAX + 1;
	BAD("too many year units");
	memset(&p, 0, sizeof p);
	c.facilitators = -1;
	BAD("negative facilitators");
#undef BAD
	c = contact("individual", BILLING_MINUTES_MAX);
	assert_int_equal(billing_contact(BR, &c, NULL, &res), ERR_OK);
	assert_int_equal(billing_contact(NULL, &c, NULL, &res), ERR_INVALID);
	assert_int_equal(billing_contact(BR, NULL, NULL, &res), ERR_INVALID);
}

static void
test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(billing_rounding_parse(
		    billing_rounding_name((enum billing_rounding)i)), i);
	for (i = 0; i < 2; i++) {
		assert_int_equal(billing_aggregation_parse(
		    billing_aggregation_name((enum billing_aggregation)i)), i);
		assert_int_equal(billing_modality_parse(
		    billing_modality_name((enum billing_modality)i)), i);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(billing_method_parse(
		    billing_method_name((enum billing_method)i)), i);
	assert_null(billing_rounding_name((enum billing_rounding)3));
	assert_int_equal(billing_rounding_parse("nearest"), -1);
	assert_int_equal(billing_method_parse(NULL), -1);
}

/* Applies one change to the shipped rule set: sets path (dotted, with
 * [n] for list entries) to the JSON value text, or removes it when
 * value is NULL. */
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

/* Each broken rule set is refused with a reason naming the place. */
static void
test_rule_set_checked(void **state)
{
	static const struct {
		const char	*path;
		const char	*value;		/* NULL: removed */
		const char	*why;
	} bad[] = {
		{ "codes", "[]", "codes must be a list" },
		{ "codes[0].rounding", "\"nearest\"", "codes[0].rounding" },
		{ "codes[0].aggregation", "\"weekly\"", "codes[0].aggregation" },
		{ "codes[0].caps.day", "0", "codes[0].caps.day" },
		{ "codes[0].caps.day", "\"16\"", "codes[0].caps.day" },
		{ "codes[0].caps.year", "-1", "codes[0].caps.year" },
		{ "codes[0].caps.episode", "1.5", "codes[0].caps.episode" },
		{ "codes[0].caps.year_starts_month", "13",
		    "codes[0].caps.year_starts_month" },
		{ "codes[0].caps.dya", "16", "codes[0].caps.dya" },
		{ "codes[0].caps", "[]", "codes[0].caps must be an object" },
		{ "codes[0].unit_minutes", "\"15\"", "codes[0].unit_minutes" },
		{ "codes[0].unit_minutes", "0", "codes[0].unit_minutes" },
		{ "codes[0].code", "\"h0038\"", "codes[0].code" },
		{ "codes[0].code", "\"\"", "codes[0].code" },
		{ "codes[0].label", NULL, "codes[0].label" },
		{ "codes[0].rule", NULL, "codes[0].rule" },
		{ "codes[0].requires_plan_goal", NULL,
		    "codes[0].requires_plan_goal" },
		{ "codes[0].requires_agreement", "1",
		    "codes[0].requires_agreement" },
		{ "codes[1]", "{\"code\":\"H0038\"}", "codes[1].code repeats" },
		{ "modifiers", NULL, "modifiers must be an object" },
		{ "modifiers.group", "\"HQQ\"", "modifiers.group" },
		{ "modifiers.group", "\"hq\"", "modifiers.group" },
		{ "modifiers.order", "[\"group\",\"group\",\"program\"]",
		    "modifiers.order[1]" },
		{ "modifiers.order", "[\"group\",\"program\"]",
		    "modifiers.order" },
		{ "modifiers.audio_only", "[\"93\",\"FQ\",\"GT\"]",
		    "modifiers.audio_only" },
		{ "modifiers.audio_video", "[\"9\"]",
		    "modifiers.audio_video[0]" },
		{ "modifiers.programs[1].code", "\"mental_health\"",
		    "modifiers.programs[1].code repeats" },
		{ "modifiers.programs[0].modifier", "\"H E\"",
		    "modifiers.programs[0].modifier" },
		{ "modifiers.programs[0].colour", "\"red\"",
		    "modifiers.programs[0].colour" },
		{ "places_of_service[0].code", "\"2\"",
		    "places_of_service[0].code" },
		{ "places_of_service[1].code", "\"02\"",
		    "places_of_service[1].code repeats" },
		{ "settings[0].place_of_service", "\"21\"",
		    "settings[0].place_of_service must name" },
		{ "settings[1].person_at_home", "\"yes\"",
		    "settings[1].person_at_home" },
		{ "telehealth_place_of_service.at_home", "\"15\"",
		    "telehealth_place_of_service.at_home" },
		{ "telehealth_place_of_service.away_from_home", NULL,
		    "telehealth_place_of_service.away_from_home" },
		{ "default_setting", "\"moon\"", "default_setting" },
		{ "group.max_attendees_per_facilitator", "0",
		    "group.max_attendees_per_facilitator" },
		{ "group.rule", NULL, "group.rule" },
		{ "non_billable_activities[0].rule", NULL,
		    "non_billable_activities[0].rule" },
		{ "non_billable_activities[1].code", "\"Transport Time\"",
		    "non_billable_activities[1].code" },
		{ "contact_types[0].billing_code", "\"H9999\"",
		    "contact_types[0].billing_code must name" },
		{ "contact_types[8].activity", "\"fishing\"",
		    "contact_types[8].activity must name" },
		{ "contact_types[0].activity", "\"transportation\"",
		    "contact_types[0] names both" },
		{ "contact_types[11].rule", NULL, "contact_types[11] has no" },
		{ "contact_types[0].method", "\"telepathy\"",
		    "contact_types[0].method" },
		{ "contact_types[3].modality", "\"crowd\"",
		    "contact_types[3].modality" },
		{ "contact_types[1].code", "\"individual\"",
		    "contact_types[1].code repeats" },
		{ "contact_types", "[]", "contact_types must be a list" },
		{ "caps", "{}", "caps is not a field" },
		{ "sources", "[]", "sources must be a list" },
		{ "sources[0]", "7", "sources[0]" },
		{ "payer", NULL, "payer" },
		{ "description", NULL, "description" },
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
		/* Nothing half-parsed is left behind. */
		assert_int_equal(r->billing.ncodes, 0);
		assert_null(r->billing.types);
		assert_null(r->billing.version);
		rules_free(r);
		free(text);
	}
	/* Not JSON at all. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "";

		assert_int_equal(rules_parse("{\"name\":\"billing\",", r, why,
		    sizeof why), ERR_INVALID);
		assert_non_null(strstr(why, "not JSON"));
		rules_free(r);
	}
	/* The shipped text, unchanged, passes the same way; and parsing
	 * again over a parsed rule set leaks nothing. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *text = mutate("payer", "\"Medicaid\"");

		assert_int_equal(rules_parse(text, r, why, sizeof why), ERR_OK);
		assert_int_equal(rules_parse(text, r, why, sizeof why), ERR_OK);
		assert_int_equal(r->billing.ncodes, 1);
		free(text);
		rules_free(r);
	}
	/* Optional parts may go: no group modifier, no caps, no order. */
	{
		static const char *const gone[] = { "modifiers.group",
		    "codes[0].caps", "modifiers.order",
		    "settings[1].person_at_home", "contact_types[0].rule",
		    NULL };
		int k;

		for (k = 0; gone[k] != NULL; k++) {
			struct rules *r = xcalloc(1, sizeof *r);
			char why[200] = "", *text = mutate(gone[k], NULL);

			if (rules_parse(text, r, why, sizeof why) != ERR_OK)
				fail_msg("without %s: %s", gone[k], why);
			free(text);
			rules_free(r);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_midpoint),
		cmocka_unit_test(test_units_whole_and_up),
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_shipped_rules_load),
		cmocka_unit_test(test_individual_billable),
		cmocka_unit_test(test_day_aggregation),
		cmocka_unit_test(test_counted_minutes),
		cmocka_unit_test(test_engine_rounding_modes),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_place_of_service),
		cmocka_unit_test(test_each_reason),
		cmocka_unit_test(test_several_reasons),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_rule_set_checked),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
