#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/timeutil.h"

static _Atomic int64_t shift_ms;

int64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + shift_ms;
}

void
time_shift_ms(int64_t ms)
{
	shift_ms += ms;
}

int64_t
time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + (v / 10) % 10);
	p[1] = (char)('0' + v % 10);
}

void
time_format_utc(int64_t ms, char out[25])
{
	int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	int64_t rem = ms - days * 86400000;
	struct date d = date_from_days(days);
	int h = (int)(rem / 3600000), mi = (int)(rem / 60000 % 60);
	int s = (int)(rem / 1000 % 60), milli = (int)(rem % 1000);

	date_format(d, out);
	out[10] = 'T';
	put2(out + 11, h);
	out[13] = ':';
	put2(out + 14, mi);
	out[16] = ':';
	put2(out + 17, s);
	out[19] = '.';
	out[20] = (char)('0' + milli / 100);
	put2(out + 21, milli % 100);
	out[23] = 'Z';
	out[24] = '\0';
}

enum err
time_parse_utc(const char *s, int64_t *ms)
{
	char day[11];
	struct date d;
	size_t n;
	int v[3], i, milli = 0;

	if (s == NULL)
		return ERR_INVALID;
	n = strlen(s);
	if ((n != 20 && n != 24) || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[n - 1] != 'Z')
		return ERR_INVALID;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != ERR_OK)
		return ERR_INVALID;
	for (i = 0; i < 3; i++) {
		const char *p = s + 11 + i * 3;

		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return ERR_INVALID;
		v[i] = (p[0] - '0') * 10 + (p[1] - '0');
	}
	if (v[0] > 23 || v[1] > 59 || v[2] > 59)
		return ERR_INVALID;
	if (n == 24) {
		if (s[19] != '.')
			return ERR_INVALID;
		for (i = 20; i < 23; i++) {
			if (s[i] < '0' || s[i] > '9')
				return ERR_INVALID;
			milli = milli * 10 + (s[i] - '0');
		}
	}
	*ms = date_to_days(d) * 86400000 + (int64_t)v[0] * 3600000 +
	    (int64_t)v[1] * 60000 + (int64_t)v[2] * 1000 + milli;
	return ERR_OK;
}

enum err
time_set_zone(const char *tz)
{
	const char *p;

	if (tz == NULL || *tz == '\0' || strlen(tz) > 64 || tz[0] == '/' ||
	    strstr(tz, "..") != NULL)
		return ERR_INVALID;
	for (p = tz; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '+' ||
		    *p == '-' || *p == '/'))
			return ERR_INVALID;
	}
	/* glibc quietly treats an unknown zone as UTC: insist on one the
	 * system's zone database has. */
	if (strcmp(tz, "UTC") != 0) {
		char path[128];

		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
		if (access(path, R_OK) != 0)
			return ERR_INVALID;
	}
	if (setenv("TZ", tz, 1) != 0)
		return ERR_INTERNAL;
	tzset();
	return ERR_OK;
}

int64_t
time_day_start_ms(struct date d)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_isdst = -1;	/* let the zone say whether DST applies */
	if ((t = mktime(&tm)) == (time_t)-1)
		return date_to_days(d) * 86400000;
	return (int64_t)t * 1000;
}

struct date
time_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	struct date d;

	localtime_r(&now, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return d;
}

struct date
time_date_of(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	struct date d;

	localtime_r(&t, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return d;
}
