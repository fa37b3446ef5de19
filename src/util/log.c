#include <stdarg.h>
#include <stdio.h>

#include "util/log.h"
#include "util/timeutil.h"

static int quiet;

void
log_quiet(int q)
{
	quiet = q;
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char ts[25], line[1024];

	time_format_utc(time_now_ms(), ts);
	vsnprintf(line, sizeof line, fmt, ap);
	/* One fprintf call keeps lines from threads whole. */
	fprintf(stderr, "%s %s %s\n", ts, level, line);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warn", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}
