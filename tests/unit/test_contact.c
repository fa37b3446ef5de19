/*
 * Unit tests: contact notes (core/contact.c) under the shipped notes rules
 * (data/notes.json): deadlines in business days that skip weekends and the
 * organisation's holidays and end at the close of the day in its time
 * zone, deadlines by the hour, and the notes rule set's own checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/contact.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "util/asset.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static int
setup(void **state)
{
	const char *names[] = { "/episode.json", "/languages.json",
	    "/plan-rules.json", "/advance-directive.json", "/notes.json",
	    "/billing.json" };
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

static int64_t
at(const char *rfc3339)
{
	int64_t ms;

	assert_int_equal(time_parse_utc(rfc3339, &ms), ERR_OK);
	return ms;
}

static void
expect_due(const char *type, const char *ended, const char *due)
{
	char out[25];

	time_format_utc(contact_due_at(type, at(ended)), out);
	if (strcmp(out, due) != 0)
		fail_msg("%s ended %s: due %s, expected %s", type, ended, out,
		    due);
}

static void
test_business_days(void **state)
{
	(void)state;
	assert_int_equal(time_set_zone("UTC"), ERR_OK);
	/* Monday: Wednesday's close. */
	expect_due("individual", "2026-11-16T15:00:00.000Z",
	    "2026-11-18T23:59:59.999Z");
	/* Friday: the weekend does not count. */
	expect_due("individual", "2026-11-20T15:00:00.000Z",
	    "2026-11-24T23:59:59.999Z");
	/* Saturday: Monday and Tuesday. */
	expect_due("phone", "2026-11-21T10:00:00.000Z",
	    "2026-11-24T23:59:59.999Z");
	/* Wednesday before Thanksgiving (a holiday): Friday and Monday. */
	expect_due("individual", "2026-11-25T15:00:00.000Z",
	    "2026-11-30T23:59:59.999Z");
	/* Christmas Eve 2026 is a Thursday; Christmas a holiday. */
	expect_due("individual", "2026-12-24T15:00:00.000Z",
	    "2026-12-29T23:59:59.999Z");
	/* A kind with its own deadline: the next business day. */
	expect_due("post_discharge_follow_up", "2026-11-20T15:00:00.000Z",
	    "2026-11-23T23:59:59.999Z");
}

static void
test_time_zone(void **state)
{
	(void)state;
	/* 03:00 UTC on Tuesday is still Monday evening in Chicago: the
	 * deadline is Wednesday's close there (06:00 UTC Thursday, CST). */
	assert_int_equal(time_set_zone("America/Chicago"), ERR_OK);
	expect_due("individual", "2026-11-17T03:00:00.000Z",
	    "2026-11-19T05:59:59.999Z");
	assert_int_equal(time_set_zone("UTC"), ERR_OK);
}

static void
test_hours(void **state)
{
	static const char text[] =
	    "{\"name\":\"notes\",\"version\":\"t\","
	    "\"deadline\":{\"hours\":24,\"rule\":\"r\"},"
	    "\"required\":{\"default\":[\"intervention\"],\"billable\":[],"
	    "\"rule\":\"r\"},"
	    "\"cosign\":{\"required_for_roles\":[\"peer\"],"
	    "\"cosigner_roles\":[\"supervisor\"],\"business_days\":3,"
	    "\"rule\":\"r\"},\"holidays\":[\"2026-12-25\",\"2026-01-01\"]}";
	struct rules *r = (struct rules *)(uintptr_t)rules_get();
	char why[200] = "";

	(void)state;
	assert_int_equal(rules_parse(text, r, why, sizeof why), ERR_OK);
	assert_int_equal(r->notes.deadlines[0].hours, 24);
	assert_int_equal(r->notes.cosign_roles, 1u << ROLE_PEER);
	assert_string_equal(r->notes.holidays[0], "2026-01-01");
	expect_due("individual", "2026-11-20T15:00:00.000Z",
	    "2026-11-21T15:00:00.000Z");
}

static void
test_rule_set_checked(void **state)
{
	static const struct {
		const char	*text;
		const char	*why;
	} bad[] = {
		{ "{\"name\":\"notes\",\"version\":\"x\"}", "deadline" },
		{ "{\"name\":\"notes\",\"version\":\"x\",\"deadline\":"
		  "{\"business_days\":2,\"hours\":3,\"rule\":\"r\"}}",
		  "one of them" },
		{ "{\"name\":\"notes\",\"version\":\"x\",\"deadline\":"
		  "{\"business_days\":2,\"rule\":\"r\"},\"required\":{\"default\":"
		  "[\"feelings\"],\"billable\":[],\"rule\":\"r\"}}",
		  "required.default[0]" },
		{ "{\"name\":\"notes\",\"version\":\"x\",\"deadline\":"
		  "{\"business_days\":2,\"rule\":\"r\"},\"required\":{\"default\":"
		  "[],\"billable\":[],\"rule\":\"r\"},\"cosign\":"
		  "{\"required_for_roles\":[\"admin\"],\"cosigner_roles\":[],"
		  "\"business_days\":1,\"rule\":\"r\"}}",
		  "required_for_roles" },
		{ "{\"name\":\"notes\",\"version\":\"x\",\"deadline\":"
		  "{\"business_days\":2,\"rule\":\"r\"},\"required\":{\"default\":"
		  "[],\"billable\":[],\"rule\":\"r\"},\"cosign\":"
		  "{\"required_for_roles\":[],\"cosigner_roles\":[],"
		  "\"business_days\":1,\"rule\":\"r\"},\"holidays\":"
		  "[\"2026-02-30\"]}", "holidays[0]" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "";

		assert_int_equal(rules_parse(bad[i].text, r, why, sizeof why),
		    ERR_INVALID);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("case %zu: \"%s\" does not name %s", i, why,
			    bad[i].why);
		rules_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_time_zone),
		cmocka_unit_test(test_rule_set_checked),
		cmocka_unit_test(test_hours),
	};

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
