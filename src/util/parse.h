#ifndef UTIL_PARSE_H
#define UTIL_PARSE_H

#include <stdint.h>

#include "util/err.h"

/*
 * The checked doors for untrusted numbers and dates. Nothing else in the
 * program turns text into a number or a date.
 */

/*
 * Parses a whole decimal integer (optional leading '-', digits only, no
 * spaces) within [min, max]. ERR_INVALID otherwise; *out untouched.
 */
enum err parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

struct date {
	int	y;
	int	m;
	int	d;
};

/* Parses exactly YYYY-MM-DD naming a real calendar day in 1000..9999. */
enum err date_parse(const char *s, struct date *out);

/* Writes YYYY-MM-DD and a NUL into out. */
void date_format(struct date d, char out[11]);

/* Days since 1970-01-01 (negative before), and back. */
int64_t date_to_days(struct date d);
struct date date_from_days(int64_t days);

int date_cmp(struct date a, struct date b);
struct date date_add_days(struct date d, int64_t n);
/* d plus months (0 or more), on the same day of the month or the month's
 * last day when it is shorter: 2026-01-31 plus 1 is 2026-02-28. */
struct date date_add_months(struct date d, int months);

#endif
