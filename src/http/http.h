#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "access/actor.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * One HTTP request and the response being built for it. Handlers get a
 * request with its route matched, its session resolved and, where the
 * route takes one, its body parsed; they fill in the response with the
 * helpers below.
 */

struct MHD_Connection;
struct db;
struct route;

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OTHER,
};

#define HTTP_MAX_PARAMS		4
#define HTTP_MAX_HEADERS	8

struct http_header {
	char	*name;
	char	*value;
};

struct req {
	struct MHD_Connection	*conn;
	enum http_method	 method;
	const char		*path;
	const struct route	*route;
	char			*params[HTTP_MAX_PARAMS];
	int			 nparams;
	struct buf		 body;
	int			 body_too_large;
	json_t			*json;		/* parsed body, owned */
	struct actor		 actor;
	int			 signed_in;
	int64_t			 portal_expires_at; /* portal session's end */
	struct db		*db;		/* for this request, from the pool */
	int			 tls;
	int64_t			 start_ms;
	const char		*log_route;	/* route template for the log */

	/* the response */
	int			 status;
	struct buf		 out;
	const char		*content_type;
	const unsigned char	*static_body;	/* embedded asset, not copied */
	size_t			 static_len;
	struct http_header	 headers[HTTP_MAX_HEADERS];
	int			 nheaders;
	int			 responded;
};

enum thread_model {
	THREADS_POOL,		/* an epoll thread pool (SQLite's default) */
	THREADS_PER_CONNECTION,	/* a thread per connection (PostgreSQL's) */
};

struct server_options {
	const char	*listen;	/* "127.0.0.1:8080" or "[::1]:8080" */
	enum thread_model thread_model;
	int		 threads;	/* pool size */
	const char	*tls_cert;	/* PEM files, both or neither */
	const char	*tls_key;
	int		 secure_cookies; /* Secure flag without TLS here */
	int		 trust_proxy;	/* take client address from X-Forwarded-For */
	unsigned	 max_connections;
	unsigned	 per_ip_connections;
	unsigned	 timeout_s;
	size_t		 max_body;
};

struct server;

/* Starts serving; returns a new server in *out (stop with server_stop()). */
enum err server_start(const struct server_options *o, struct server **out);
void server_stop(struct server *s);

/* Request accessors. Borrowed; valid for the request's life. */
const char *http_header_in(struct req *r, const char *name);
const char *http_query(struct req *r, const char *name);
const char *http_cookie(struct req *r, const char *name);
const char *http_param(struct req *r, int i);

/*
 * Adds a field error for each query parameter not in allowed (a NULL-
 * terminated list) and for each given twice.
 */
void http_query_allow(struct req *r, const char *const *allowed,
    struct verr *v);

/* Response builders. */
void http_header_out(struct req *r, const char *name, const char *value);
/* Sends j as the body (takes the reference). */
void http_json(struct req *r, int status, json_t *j);
void http_empty(struct req *r, int status);
void http_etag(struct req *r, int64_t version);

/* Problems (RFC 9457), http/problem.c. */
void http_problem(struct req *r, int status, const char *type,
    const char *title, const char *detail);
void http_problem_fields(struct req *r, const struct verr *v);
void http_problem_err(struct req *r, enum err e);
void http_problem_stale(struct req *r, int64_t current, int64_t yours);
/* A problem of status naming the fields in v, its detail the first
 * one's message (fallback when there is none): a state that refuses a
 * change (409) with the field that asked for it. */
void http_problem_named(struct req *r, int status, const char *type,
    const char *title, const struct verr *v, const char *fallback);
/* 422 naming the rule broken (its citation) and the fields involved. */
void http_problem_rule(struct req *r, const char *rule,
    const struct verr *v);
int http_status_of(enum err e);

/*
 * The version named by If-Match ("N" as sent in ETag). ERR_OK with *v set;
 * ERR_PRECONDITION_REQUIRED when missing; ERR_INVALID when malformed.
 */
enum err http_if_match(struct req *r, int64_t *v);

/* Session cookie handling, http/api/session.c; the person's portal's,
 * http/api/portal.c. */
extern const char http_session_cookie[];
extern const char http_portal_cookie[];

/* The server's options while it runs. */
const struct server_options *http_options(void);

#endif
