#ifndef UTIL_TIMEUTIL_H
#define UTIL_TIMEUTIL_H

#include <stdint.h>

#include "util/err.h"
#include "util/parse.h"

/* Wall-clock time in milliseconds since the Unix epoch (UTC). */
int64_t time_now_ms(void);

/* Moves time_now_ms() on by ms for the rest of the process: tests that
 * follow a deadline step the clock instead of sleeping. */
void time_shift_ms(int64_t ms);

/* Monotonic milliseconds, for durations only. */
int64_t time_mono_ms(void);

/* Writes ms as RFC 3339 UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" into out. */
void time_format_utc(int64_t ms, char out[25]);

/*
 * Parses RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" (optionally with .mmm)
 * into milliseconds. ERR_INVALID for anything else.
 */
enum err time_parse_utc(const char *s, int64_t *ms);

/*
 * Sets the organisation's time zone (an IANA name such as
 * "America/Chicago"); call once at start, before threads exist.
 * ERR_INVALID for a name with characters outside [A-Za-z0-9_+/-] or one
 * the system's zone database (/usr/share/zoneinfo) lacks.
 */
enum err time_set_zone(const char *tz);

/* Today's date in the organisation's time zone. */
struct date time_today(void);

/* The day, in the organisation's time zone, that ms falls on. */
struct date time_date_of(int64_t ms);

/* The first millisecond of day d in the organisation's time zone. */
int64_t time_day_start_ms(struct date d);

#endif
