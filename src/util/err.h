#ifndef UTIL_ERR_H
#define UTIL_ERR_H

/*
 * The one error enum of the program. Every layer returns these; http/problem.c
 * holds the single table from an error to an HTTP status and problem type.
 */
enum err {
	ERR_OK = 0,
	ERR_INVALID,		/* input failed validation (400) */
	ERR_UNAUTHENTICATED,	/* no valid session (401) */
	ERR_FORBIDDEN,		/* actor may not do this (403) */
	ERR_NOT_FOUND,		/* no such record, or actor may not know of it (404) */
	ERR_CONFLICT,		/* state forbids it, e.g. already exists (409) */
	ERR_STALE,		/* If-Match names an old version (412) */
	ERR_FROZEN,		/* signed content cannot change (409) */
	ERR_RULE,		/* breaks a rule set's rule, named (422) */
	ERR_TOO_LARGE,		/* body or buffer over its maximum (413) */
	ERR_MEDIA_TYPE,		/* unsupported content type (415) */
	ERR_PRECONDITION_REQUIRED, /* If-Match missing (428) */
	ERR_RATE_LIMITED,	/* too many attempts (429) */
	ERR_BUSY,		/* database busy past its timeout (503) */
	ERR_SCHEMA,		/* database schema is not the one this build knows */
	ERR_IO,			/* file or network failure */
	ERR_DB,			/* database failure */
	ERR_INTERNAL,		/* a bug */
	ERR__COUNT
};

/* Returns a short constant description of e; never NULL. */
const char *err_str(enum err e);

#endif
