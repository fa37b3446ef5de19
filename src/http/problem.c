/*
 * Problem details (RFC 9457): the one table from the error enum to an HTTP
 * status, and the bodies that go with them. Details never quote input.
 */
#include <stdio.h>

#include "http/http.h"

static const struct {
	enum err	 e;
	int		 status;
	const char	*title;
} table[] = {
	{ ERR_INVALID, 400, "Invalid request" },
	{ ERR_UNAUTHENTICATED, 401, "Not signed in" },
	{ ERR_FORBIDDEN, 403, "Forbidden" },
	{ ERR_NOT_FOUND, 404, "Not Found" },
	{ ERR_CONFLICT, 409, "Conflict" },
	{ ERR_STALE, 412, "Precondition Failed" },
	{ ERR_FROZEN, 409, "Conflict" },
	{ ERR_RULE, 422, "Unprocessable Content" },
	{ ERR_TOO_LARGE, 413, "Content Too Large" },
	{ ERR_MEDIA_TYPE, 415, "Unsupported Media Type" },
	{ ERR_PRECONDITION_REQUIRED, 428, "Precondition Required" },
	{ ERR_RATE_LIMITED, 429, "Too Many Requests" },
	{ ERR_BUSY, 503, "Service Unavailable" },
};

int
http_status_of(enum err e)
{
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].e == e)
			return table[i].status;
	return 500;
}

static const char *
title_of(enum err e)
{
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].e == e)
			return table[i].title;
	return "Internal Server Error";
}

void
http_problem(struct req *r, int status, const char *type, const char *title,
    const char *detail)
{
	json_t *j = json_object();

	json_object_set_new(j, "type", json_string(type ? type :
	    "about:blank"));
	json_object_set_new(j, "title", json_string(title));
	json_object_set_new(j, "status", json_integer(status));
	if (detail)
		json_object_set_new(j, "detail", json_string(detail));
	http_json(r, status, j);
	r->content_type = "application/problem+json";
}

/* The errors member: each field named with what it needs. */
static json_t *
errors_json(const struct verr *v)
{
	json_t *errs = json_array();
	int i;

	for (i = 0; v != NULL && i < v->n; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "field", json_string(v->e[i].field));
		json_object_set_new(e, "message",
		    json_string(v->e[i].message));
		json_array_append_new(errs, e);
	}
	return errs;
}

void
http_problem_fields(struct req *r, const struct verr *v)
{
	json_t *j = json_object(), *errs = errors_json(v);
	json_object_set_new(j, "type",
	    json_string("urn:alongside:problem:validation"));
	json_object_set_new(j, "title", json_string("Invalid request"));
	json_object_set_new(j, "status", json_integer(400));
	json_object_set_new(j, "detail", json_string(v->n == 1 ?
	    "One field needs attention." : "Some fields need attention."));
	json_object_set_new(j, "errors", errs);
	http_json(r, 400, j);
	r->content_type = "application/problem+json";
}

void
http_problem_err(struct req *r, enum err e)
{
	int status = http_status_of(e);
	const char *detail = NULL, *type = NULL;

	switch (e) {
	case ERR_UNAUTHENTICATED:
		type = "urn:alongside:problem:unauthenticated";
		detail = "Sign in to continue.";
		break;
	case ERR_PRECONDITION_REQUIRED:
		type = "urn:alongside:problem:if-match-required";
		detail = "Send If-Match with the ETag of the version you "
		    "changed.";
		break;
	case ERR_CONFLICT:
		type = "urn:alongside:problem:conflict";
		detail = "The record's state does not allow this change.";
		break;
	case ERR_FROZEN:
		type = "urn:alongside:problem:signed-version";
		detail = "A version that is being or has been signed cannot "
		    "change; start a new version.";
		break;
	case ERR_BUSY:
		detail = "The database is busy; try again.";
		http_header_out(r, "Retry-After", "1");
		break;
	case ERR_INVALID: {
		struct verr v;

		verr_init(&v);
		verr_add(&v, "body", "is not acceptable");
		http_problem_fields(r, &v);
		return;
	}
	default:
		break;
	}
	http_problem(r, status, type, title_of(e), detail);
}

void
http_problem_stale(struct req *r, int64_t current, int64_t yours)
{
	json_t *j = json_object();
	char etag[32];

	json_object_set_new(j, "type",
	    json_string("urn:alongside:problem:stale-version"));
	json_object_set_new(j, "title",
	    json_string("The record changed since you read it"));
	json_object_set_new(j, "status", json_integer(412));
	json_object_set_new(j, "detail", json_string("Someone else saved a "
	    "newer version. Reload it, then make your change again."));
	json_object_set_new(j, "current_version", json_integer(current));
	json_object_set_new(j, "your_version", json_integer(yours));
	snprintf(etag, sizeof etag, "\"%lld\"", (long long)current);
	http_header_out(r, "ETag", etag);
	http_json(r, 412, j);
	r->content_type = "application/problem+json";
}

/* A problem whose detail is the first field's message, with every field
 * named. */
static json_t *
named(int status, const char *type, const char *title, const struct verr *v,
    const char *fallback)
{
	json_t *j = json_object();

	json_object_set_new(j, "type", json_string(type));
	json_object_set_new(j, "title", json_string(title));
	json_object_set_new(j, "status", json_integer(status));
	json_object_set_new(j, "detail", json_string(v != NULL && v->n > 0 ?
	    v->e[0].message : fallback));
	json_object_set_new(j, "errors", errors_json(v));
	return j;
}

void
http_problem_named(struct req *r, int status, const char *type,
    const char *title, const struct verr *v, const char *fallback)
{
	http_json(r, status, named(status, type, title, v, fallback));
	r->content_type = "application/problem+json";
}

void
http_problem_rule(struct req *r, const char *rule, const struct verr *v)
{
	json_t *j = named(422, "urn:alongside:problem:rule",
	    "This breaks a rule in force", v, "A rule in force refuses this.");

	json_object_set_new(j, "rule", json_string(rule ? rule : ""));
	http_json(r, 422, j);
	r->content_type = "application/problem+json";
}
