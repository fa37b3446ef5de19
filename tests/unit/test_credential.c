/*
 * Credential definitions (data/credentials) and their arithmetic: every
 * shipped credential parses, and its renewal counts out as its rules say
 * (Illinois CPRS: 30 hours, 20 in the peer role of which 6 in ethics, and
 * 10 in core functions).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/credential.h"
#include "interop/credentials_json.h"
#include "util/asset.h"

static void
load(const char *path, struct credential_def *d)
{
	const struct asset *a = asset_find(credential_assets, path);
	char why[256];

	assert_non_null(a);
	if (credential_def_parse((const char *)a->data, d, why,
	    sizeof why) != ERR_OK)
		fail_msg("%s: %s", path, why);
}

static int
bucket(const struct credential_def *d, const char *code)
{
	int i;

	for (i = 0; i < d->nrenewal; i++)
		if (strcmp(d->renewal[i].code, code) == 0)
			return i;
	fail_msg("no domain %s", code);
	return -1;
}

static void
test_shipped_parse(void **state)
{
	const struct asset *a;
	struct credential_def d;
	int n = 0;

	(void)state;
	for (a = credential_assets; a->path != NULL; a++, n++) {
		load(a->path, &d);
		assert_true(d.validity_months > 0);
		assert_true(d.renewal_total > 0);
		credential_def_clear(&d);
	}
	assert_int_equal(n, 4);
}

/* The example: 29 hours with 5 in ethics is short one hour in
 * total and one in ethics, and exactly that. */
static void
test_cprs_short(void **state)
{
	struct credential_def d;
	struct cred_progress p;
	struct cred_hours h[] = {
		{ "ethics", 50 },
		{ "peer_role", 140 },
		{ "core_functions", 100 },
	};
	int eth, peer, core;

	(void)state;
	load("/il-cprs.json", &d);
	assert_int_equal(d.renewal_total, 300);
	eth = bucket(&d, "ethics");
	peer = bucket(&d, "peer_role");
	core = bucket(&d, "core_functions");
	assert_int_equal(d.renewal[eth].within, peer);
	credential_renewal(&d, h, 3, &p);
	assert_int_equal(p.total_done, 290);
	assert_int_equal(p.total_short, 10);
	assert_int_equal(p.done[peer], 190);	/* ethics counts within */
	assert_int_equal(p.shortfall[peer], 10);
	assert_int_equal(p.done[eth], 50);
	assert_int_equal(p.shortfall[eth], 10);
	assert_int_equal(p.shortfall[core], 0);
	assert_false(p.complete);
	/* One more hour of ethics meets every minimum and the total. */
	h[0].tenths = 60;
	credential_renewal(&d, h, 3, &p);
	assert_int_equal(p.total_short, 0);
	assert_int_equal(p.shortfall[eth], 0);
	assert_int_equal(p.shortfall[peer], 0);
	assert_true(p.complete);
	/* The total met with the wrong hours is still short where it
	 * counts. */
	h[0].tenths = 0;
	h[1].tenths = 0;
	h[2].tenths = 300;
	credential_renewal(&d, h, 3, &p);
	assert_int_equal(p.total_short, 0);
	assert_int_equal(p.shortfall[peer], 200);
	assert_int_equal(p.shortfall[eth], 60);
	assert_false(p.complete);
	credential_def_clear(&d);
}

static void
test_others(void **state)
{
	struct credential_def d;
	struct cred_progress p;
	struct cred_hours crss[] = { { "peer_role", 150 },
	    { "core_functions", 200 }, { "elsewhere", 50 } };
	struct cred_hours icrc[] = { { "ethics", 55 }, { "other", 145 } };
	struct cred_hours pa[] = { { "peer_role", 240 }, { "other", 110 } };

	(void)state;
	/* CRSS: 40 hours, 15 peer role and 25 core functions; hours in an
	 * unnamed domain count toward the total only. */
	load("/il-crss.json", &d);
	credential_renewal(&d, crss, 3, &p);
	assert_int_equal(p.total_done, 400);
	assert_int_equal(p.total_short, 0);
	assert_int_equal(p.shortfall[bucket(&d, "core_functions")], 50);
	assert_false(p.complete);
	credential_def_clear(&d);
	/* IC&RC PR: 20 hours with 6 in ethics. */
	load("/icrc-pr.json", &d);
	credential_renewal(&d, icrc, 2, &p);
	assert_int_equal(p.total_short, 0);
	assert_int_equal(p.shortfall[bucket(&d, "ethics")], 5);
	credential_def_clear(&d);
	/* Pennsylvania CPS: 36 with 24 in peer support; 35 is one short. */
	load("/pa-cps.json", &d);
	credential_renewal(&d, pa, 2, &p);
	assert_int_equal(p.total_short, 10);
	assert_int_equal(p.shortfall[bucket(&d, "peer_role")], 0);
	credential_def_clear(&d);
}

static void
test_training(void **state)
{
	struct credential_def d;
	struct cred_progress p;
	struct cred_hours h[] = { { "cprs_specific", 400 }, { "ethics", 100 },
	    { "core_functions", 440 } };

	(void)state;
	load("/il-cprs.json", &d);
	assert_int_equal(d.training_total, 1000);
	assert_int_equal(d.work_hours, 2000);
	assert_int_equal(d.supervision_hours, 100);
	credential_training(&d, h, 3, &p);
	assert_int_equal(p.total_short, 60);
	assert_int_equal(p.shortfall[1], 60);	/* ethics: 16 needed */
	assert_int_equal(p.shortfall[0], 0);
	credential_def_clear(&d);
}

static void
test_alerts(void **state)
{
	int64_t left;

	(void)state;
	assert_int_equal(credential_alert(1000, 1091, &left), -1);
	assert_int_equal(left, 91);
	assert_int_equal(credential_alert(1000, 1090, &left), 90);
	assert_int_equal(credential_alert(1000, 1061, &left), 90);
	assert_int_equal(credential_alert(1000, 1060, &left), 60);
	assert_int_equal(credential_alert(1000, 1031, &left), 60);
	assert_int_equal(credential_alert(1000, 1030, &left), 30);
	assert_int_equal(credential_alert(1000, 1000, &left), 30);
	assert_int_equal(credential_alert(1000, 999, &left), 0);
	assert_int_equal(left, -1);
}

static void
test_bad_definitions(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"code\":\"x\"}",
		/* training not adding up to its total */
		"{\"code\":\"x\",\"name\":\"X\",\"issuer\":\"I\",\"version\":"
		"\"1\",\"sources\":[\"s\"],\"initial\":{\"training\":[{\"code\":"
		"\"a\",\"label\":\"A\",\"hours\":10}],\"training_total\":11,"
		"\"work_hours\":0,\"supervision_hours\":0,\"exam\":\"E\"},"
		"\"validity_months\":24,\"renewal\":{\"total_hours\":10,"
		"\"domains\":[]}}",
		/* a domain within itself */
		"{\"code\":\"x\",\"name\":\"X\",\"issuer\":\"I\",\"version\":"
		"\"1\",\"sources\":[\"s\"],\"initial\":{\"training\":[{\"code\":"
		"\"a\",\"label\":\"A\",\"hours\":10}],\"training_total\":10,"
		"\"work_hours\":0,\"supervision_hours\":0,\"exam\":\"E\"},"
		"\"validity_months\":24,\"renewal\":{\"total_hours\":10,"
		"\"domains\":[{\"code\":\"e\",\"label\":\"E\",\"min_hours\":2,"
		"\"within\":\"e\"}]}}",
		/* a loop of two */
		"{\"code\":\"x\",\"name\":\"X\",\"issuer\":\"I\",\"version\":"
		"\"1\",\"sources\":[\"s\"],\"initial\":{\"training\":[{\"code\":"
		"\"a\",\"label\":\"A\",\"hours\":10}],\"training_total\":10,"
		"\"work_hours\":0,\"supervision_hours\":0,\"exam\":\"E\"},"
		"\"validity_months\":24,\"renewal\":{\"total_hours\":10,"
		"\"domains\":[{\"code\":\"e\",\"label\":\"E\",\"min_hours\":2,"
		"\"within\":\"f\"},{\"code\":\"f\",\"label\":\"F\","
		"\"min_hours\":2,\"within\":\"e\"}]}}",
		/* minimums over the total; hours finer than a tenth */
		"{\"code\":\"x\",\"name\":\"X\",\"issuer\":\"I\",\"version\":"
		"\"1\",\"sources\":[\"s\"],\"initial\":{\"training\":[{\"code\":"
		"\"a\",\"label\":\"A\",\"hours\":10}],\"training_total\":10,"
		"\"work_hours\":0,\"supervision_hours\":0,\"exam\":\"E\"},"
		"\"validity_months\":24,\"renewal\":{\"total_hours\":10,"
		"\"domains\":[{\"code\":\"e\",\"label\":\"E\",\"min_hours\":11}]}}",
		"{\"code\":\"x\",\"name\":\"X\",\"issuer\":\"I\",\"version\":"
		"\"1\",\"sources\":[\"s\"],\"initial\":{\"training\":[{\"code\":"
		"\"a\",\"label\":\"A\",\"hours\":10.05}],\"training_total\":10,"
		"\"work_hours\":0,\"supervision_hours\":0,\"exam\":\"E\"},"
		"\"validity_months\":24,\"renewal\":{\"total_hours\":10,"
		"\"domains\":[]}}",
	};
	struct credential_def d;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		assert_int_equal(credential_def_parse(bad[i], &d, why,
		    sizeof why), ERR_INVALID);
		assert_true(why[0] != '\0');
		assert_null(d.code);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_parse),
		cmocka_unit_test(test_cprs_short),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_training),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_bad_definitions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
