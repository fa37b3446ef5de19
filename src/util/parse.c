#include <string.h>

#include "util/parse.h"

enum err
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int neg = 0;
	uint64_t v = 0, limit;

	if (s == NULL || *s == '\0')
		return ERR_INVALID;
	if (*s == '-') {
		neg = 1;
		s++;
		if (*s == '\0')
			return ERR_INVALID;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s; s++) {
		unsigned dgt;

		if (*s < '0' || *s > '9')
			return ERR_INVALID;
		dgt = (unsigned)(*s - '0');
		if (v > (limit - dgt) / 10)
			return ERR_INVALID;
		v = v * 10 + dgt;
	}
	{
		int64_t r;

		if (neg)
			r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		else
			r = (int64_t)v;
		if (r < min || r > max)
			return ERR_INVALID;
		*out = r;
	}
	return ERR_OK;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

enum err
date_parse(const char *s, struct date *out)
{
	struct date d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return ERR_INVALID;
	if (digits(s, 4, &d.y) || digits(s + 5, 2, &d.m) ||
	    digits(s + 8, 2, &d.d))
		return ERR_INVALID;
	if (d.y < 1000 || d.m < 1 || d.m > 12 || d.d < 1 ||
	    d.d > days_in_month(d.y, d.m))
		return ERR_INVALID;
	*out = d;
	return ERR_OK;
}

void
date_format(struct date d, char out[11])
{
	int v[3] = { d.y, d.m, d.d }, w[3] = { 4, 2, 2 }, i, j, pos = 0;

	/* Hand-rolled so no printf width juggling can overflow out. */
	for (i = 0; i < 3; i++) {
		int x = v[i];

		if (x < 0)
			x = 0;
		for (j = w[i] - 1; j >= 0; j--) {
			out[pos + j] = (char)('0' + x % 10);
			x /= 10;
		}
		pos += w[i];
		if (i < 2)
			out[pos++] = '-';
	}
	out[10] = '\0';
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t
date_to_days(struct date d)
{
	int64_t y = d.y - (d.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct date
date_from_days(int64_t z)
{
	struct date d;
	int64_t era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(y + (d.m <= 2));
	return d;
}

int
date_cmp(struct date a, struct date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

struct date
date_add_days(struct date d, int64_t n)
{
	return date_from_days(date_to_days(d) + n);
}

struct date
date_add_months(struct date d, int months)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int m = d.m - 1 + months, last;

	d.y += m / 12;
	d.m = m % 12 + 1;
	last = mdays[d.m - 1];
	if (d.m == 2 && ((d.y % 4 == 0 && d.y % 100 != 0) || d.y % 400 == 0))
		last = 29;
	if (d.d > last)
		d.d = last;
	return d;
}
