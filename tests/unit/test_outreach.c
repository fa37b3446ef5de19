/* Unit tests: core/outreach.c's date arithmetic (the stays' window, days
 * not seen, when a follow-up is overdue). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/outreach.h"
#include "util/parse.h"

static struct date
d(const char *s)
{
	struct date x;

	assert_int_equal(date_parse(s, &x), ERR_OK);
	return x;
}

static void
assert_date(struct date x, const char *want)
{
	char got[11];

	date_format(x, got);
	assert_string_equal(got, want);
}

static void
test_months_before(void **state)
{
	(void)state;
	assert_date(outreach_months_before(d("2026-05-10"), 12), "2025-05-10");
	assert_date(outreach_months_before(d("2026-05-10"), 0), "2026-05-10");
	assert_date(outreach_months_before(d("2026-01-15"), 1), "2025-12-15");
	assert_date(outreach_months_before(d("2026-03-31"), 1), "2026-02-28");
	assert_date(outreach_months_before(d("2024-03-31"), 1), "2024-02-29");
	assert_date(outreach_months_before(d("2026-02-28"), 24), "2024-02-28");
	assert_date(outreach_months_before(d("2025-02-28"), 12), "2024-02-28");
	assert_date(outreach_months_before(d("2024-02-29"), 12), "2023-02-28");
	assert_date(outreach_months_before(d("2026-12-31"), 60), "2021-12-31");
	assert_date(outreach_months_before(d("2026-07-31"), 13), "2025-06-30");
}

static void
test_days_between(void **state)
{
	(void)state;
	assert_int_equal(outreach_days_between(d("2026-05-10"),
	    d("2026-05-10")), 0);
	assert_int_equal(outreach_days_between(d("2026-04-10"),
	    d("2026-05-10")), 30);
	assert_int_equal(outreach_days_between(d("2026-05-10"),
	    d("2026-04-10")), -30);
	assert_int_equal(outreach_days_between(d("2024-02-28"),
	    d("2024-03-01")), 2);
	assert_int_equal(outreach_days_between(d("2025-12-31"),
	    d("2026-01-01")), 1);
	assert_int_equal(outreach_days_between(d("2025-01-01"),
	    d("2026-01-01")), 365);
}

static void
test_overdue(void **state)
{
	(void)state;
	assert_false(outreach_overdue(d("2026-05-10"), d("2026-05-10")));
	assert_false(outreach_overdue(d("2026-05-10"), d("2026-06-09")));
	assert_true(outreach_overdue(d("2026-05-10"), d("2026-05-09")));
	assert_true(outreach_overdue(d("2027-01-01"), d("2026-12-31")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_months_before),
		cmocka_unit_test(test_days_between),
		cmocka_unit_test(test_overdue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
