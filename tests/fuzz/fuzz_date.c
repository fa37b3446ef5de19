/*
 * Fuzz target: the checked doors for numbers, dates and times
 * (util/parse.c, util/timeutil.c) on a NUL-terminated copy of the input.
 *
 * Properties (abort on violation): a date that parses formats back to
 * the same text and survives the day-number round trip; a time that
 * parses formats back to the same instant (".000" added when it had no
 * milliseconds); an integer that parses prints back to itself when
 * written canonically, and bounds are honoured.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/parse.h"
#include "util/timeutil.h"
#include "util/uuid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_date(const char *s)
{
	struct date d, back;
	char out[11];

	if (date_parse(s, &d) != ERR_OK)
		return;
	date_format(d, out);
	if (strcmp(out, s) != 0)
		abort();
	if (d.y < 1000 || d.y > 9999 || d.m < 1 || d.m > 12 || d.d < 1 ||
	    d.d > 31)
		abort();
	back = date_from_days(date_to_days(d));
	if (date_cmp(back, d) != 0)
		abort();
	if (date_cmp(date_add_days(d, 1), d) <= 0 ||
	    date_cmp(date_add_days(d, -1), d) >= 0)
		abort();
	if (date_to_days(date_add_days(d, 366)) - date_to_days(d) != 366)
		abort();
}

static void
check_time(const char *s)
{
	char out[25], want[25];
	int64_t ms, again;
	size_t n = strlen(s);

	if (time_parse_utc(s, &ms) != ERR_OK)
		return;
	time_format_utc(ms, out);
	if (n == 24) {
		snprintf(want, sizeof want, "%s", s);
	} else if (n == 20) {
		memcpy(want, s, 19);
		memcpy(want + 19, ".000Z", 6);
	} else {
		abort();	/* only the two documented lengths parse */
	}
	if (strcmp(out, want) != 0)
		abort();
	if (time_parse_utc(out, &again) != ERR_OK || again != ms)
		abort();
}

/* 1 when s is how printf writes a number: no leading zeros, no "-0". */
static int
canonical(const char *s)
{
	const char *p = s[0] == '-' ? s + 1 : s;

	if (p[0] == '0' && (p[1] != '\0' || s != p))
		return 0;
	return 1;
}

static void
check_int(const char *s)
{
	int64_t v = 0, w = 0;
	char out[24];

	if (parse_int64(s, INT64_MIN, INT64_MAX, &v) != ERR_OK) {
		/* Narrower bounds never accept what the widest refuse. */
		if (parse_int64(s, 1, 200, &w) == ERR_OK)
			abort();
		return;
	}
	snprintf(out, sizeof out, "%lld", (long long)v);
	if (canonical(s) && strcmp(out, s) != 0)
		abort();
	if (parse_int64(out, INT64_MIN, INT64_MAX, &w) != ERR_OK || w != v)
		abort();
	w = -7;
	if (parse_int64(s, 1, 200, &w) == ERR_OK) {
		if (w != v || v < 1 || v > 200)
			abort();
	} else if (v >= 1 && v <= 200) {
		abort();
	} else if (w != -7) {
		abort();	/* a refusal leaves the output untouched */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_date(s);
	check_time(s);
	check_int(s);
	(void)uuid_valid(s);
	free(s);
	return 0;
}
