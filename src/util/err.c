#include <stddef.h>

#include "util/err.h"

static const char *const names[ERR__COUNT] = {
	[ERR_OK] = "ok",
	[ERR_INVALID] = "invalid input",
	[ERR_UNAUTHENTICATED] = "not signed in",
	[ERR_FORBIDDEN] = "forbidden",
	[ERR_NOT_FOUND] = "not found",
	[ERR_CONFLICT] = "conflict",
	[ERR_STALE] = "stale version",
	[ERR_FROZEN] = "signed and frozen",
	[ERR_RULE] = "breaks a rule",
	[ERR_TOO_LARGE] = "too large",
	[ERR_MEDIA_TYPE] = "unsupported media type",
	[ERR_PRECONDITION_REQUIRED] = "precondition required",
	[ERR_RATE_LIMITED] = "rate limited",
	[ERR_BUSY] = "database busy",
	[ERR_SCHEMA] = "schema mismatch",
	[ERR_IO] = "i/o error",
	[ERR_DB] = "database error",
	[ERR_INTERNAL] = "internal error",
};

const char *
err_str(enum err e)
{
	if ((unsigned)e >= ERR__COUNT || names[e] == NULL)
		return "unknown error";
	return names[e];
}
