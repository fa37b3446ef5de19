/*
 * The HTTP server: libmicrohttpd with an epoll thread pool. Each request
 * is read into a bounded buffer, routed, authenticated and handed to one
 * handler; the response is queued on the final call so keep-alive holds.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "access/portal.h"
#include "access/session.h"
#include "http/http.h"
#include "http/json.h"
#include "http/router.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define HEADER_MEMORY	(32 * 1024)

struct server {
	struct MHD_Daemon	*d;
	char			*cert;
	char			*key;
};

static struct server_options options;

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "manifest-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

const struct server_options *
http_options(void)
{
	return &options;
}

static enum http_method
method_of(const char *m)
{
	static const struct {
		const char *name;
		enum http_method m;
	} t[] = {
		{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD },
		{ "POST", HTTP_POST }, { "PUT", HTTP_PUT },
		{ "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(m, t[i].name) == 0)
			return t[i].m;
	return HTTP_OTHER;
}

const char *
http_header_in(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
http_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
http_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *
http_param(struct req *r, int i)
{
	return i < r->nparams ? r->params[i] : NULL;
}

struct allow_ctx {
	const char *const	*allowed;
	struct verr		*v;
	const char		*seen[16];
	int			 nseen;
};

static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct allow_ctx *c = cls;
	const char *const *a;
	int i;

	(void)kind;
	(void)value;
	for (a = c->allowed; *a; a++)
		if (strcmp(*a, key) == 0)
			break;
	if (*a == NULL) {
		verr_add(c->v, "query", "has a parameter this list does not "
		    "take");
		return MHD_YES;
	}
	for (i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i], key) == 0) {
			verr_add(c->v, key, "is given more than once");
			return MHD_YES;
		}
	if (c->nseen < 16)
		c->seen[c->nseen++] = *a;
	return MHD_YES;
}

void
http_query_allow(struct req *r, const char *const *allowed, struct verr *v)
{
	struct allow_ctx c = { allowed, v, { 0 }, 0 };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg,
	    &c);
}

void
http_header_out(struct req *r, const char *name, const char *value)
{
	if (r->nheaders >= HTTP_MAX_HEADERS) {
		log_error("http: too many response headers");
		return;
	}
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(value);
	r->nheaders++;
}

void
http_json(struct req *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	buf_reset(&r->out);
	if (s == NULL || buf_puts(&r->out, s) != ERR_OK) {
		free(s);
		r->status = 500;
		buf_reset(&r->out);
		buf_puts(&r->out, "{\"type\":\"about:blank\",\"status\":500,"
		    "\"title\":\"Internal Server Error\"}");
		r->content_type = "application/problem+json";
		r->responded = 1;
		return;
	}
	free(s);
	r->status = status;
	r->content_type = "application/json";
	r->responded = 1;
}

void
http_empty(struct req *r, int status)
{
	buf_reset(&r->out);
	r->status = status;
	r->content_type = NULL;
	r->responded = 1;
}

void
http_etag(struct req *r, int64_t version)
{
	char v[32];

	snprintf(v, sizeof v, "\"%lld\"", (long long)version);
	http_header_out(r, "ETag", v);
}

enum err
http_if_match(struct req *r, int64_t *v)
{
	const char *h = http_header_in(r, "If-Match");
	char digits[24];
	size_t n;

	if (h == NULL)
		return ERR_PRECONDITION_REQUIRED;
	n = strlen(h);
	if (n < 3 || n > 22 || h[0] != '"' || h[n - 1] != '"')
		return ERR_INVALID;
	memcpy(digits, h + 1, n - 2);
	digits[n - 2] = '\0';
	return parse_int64(digits, 1, INT64_MAX, v);
}

static void
client_address(struct req *r, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const char *xff;

	out[0] = '\0';
	if (options.trust_proxy &&
	    (xff = http_header_in(r, "X-Forwarded-For")) != NULL) {
		/* The last address is the one the proxy saw. */
		const char *last = strrchr(xff, ',');
		struct in6_addr a6;
		struct in_addr a4;
		char tmp[64];

		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		snprintf(tmp, sizeof tmp, "%s", last);
		if (inet_pton(AF_INET, tmp, &a4) == 1 ||
		    inet_pton(AF_INET6, tmp, &a6) == 1) {
			snprintf(out, n, "%s", tmp);
			return;
		}
	}
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, out, (socklen_t)n);
}

static void
req_free(struct req *r)
{
	int i;

	if (r == NULL)
		return;
	db_release(r->db);
	for (i = 0; i < r->nparams; i++)
		free(r->params[i]);
	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	json_decref(r->json);
	buf_free(&r->body);	/* secret: wiped */
	buf_free(&r->out);
	crypto_wipe(&r->actor, sizeof r->actor);
	free(r);
}

static int
is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/healthz") == 0;
}

static int
json_content_type(const char *ct, int patch)
{
	size_t n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, ";");
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return 1;
	return patch && n == 28 &&
	    strncasecmp(ct, "application/merge-patch+json", 28) == 0;
}

static void
serve_static(struct req *r)
{
	const struct asset *a;
	const char *path = r->path;

	r->log_route = "static";
	if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
		http_header_out(r, "Allow", "GET, HEAD");
		http_problem(r, 405, NULL, "Method Not Allowed", NULL);
		return;
	}
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	else if (strcmp(path, "/portal") == 0)
		path = "/portal.html";
	if ((a = asset_find(web_assets, path)) == NULL) {
		http_problem(r, 404, NULL, "Not Found", NULL);
		return;
	}
	r->status = 200;
	r->content_type = a->type;
	r->static_body = a->data;
	r->static_len = a->len;
	r->responded = 1;
}

static void
dispatch(struct req *r)
{
	const struct route *rt;
	int other;
	enum err e;

	if (r->body_too_large) {
		/* The access log still names the route refused. */
		rt = is_api(r->path) ? router_match(r, r->path, &other) : NULL;
		r->log_route = rt ? rt->pattern : is_api(r->path) ?
		    "unmatched" : "static";
		http_problem(r, 413, NULL, "Content Too Large",
		    "The request body is larger than this server accepts.");
		return;
	}
	if (!is_api(r->path)) {
		serve_static(r);
		return;
	}
	if ((rt = router_match(r, r->path, &other)) == NULL) {
		r->log_route = "unmatched";
		if (other) {
			char allow[64];

			router_allow(r->path, allow, sizeof allow);
			http_header_out(r, "Allow", allow);
			http_problem(r, 405, NULL, "Method Not Allowed", NULL);
		} else {
			http_problem(r, 404, NULL, "Not Found", NULL);
		}
		return;
	}
	r->route = rt;
	r->log_route = rt->pattern;
	if ((r->db = db_acquire()) == NULL) {
		http_problem_err(r, ERR_BUSY);
		return;
	}
	if (!(rt->flags & ROUTE_PUBLIC)) {
		/* Two kinds of session that never stand in for each other:
		 * staff's, and the person's in their portal. */
		if (rt->flags & ROUTE_PORTAL)
			e = portal_resolve(r->db, http_cookie(r,
			    http_portal_cookie), r->actor.client_addr,
			    &r->actor, &r->portal_expires_at);
		else
			e = auth_resolve(r->db, http_cookie(r,
			    http_session_cookie), r->actor.client_addr,
			    &r->actor);
		if (e != ERR_OK) {
			http_problem_err(r, e);
			return;
		}
		r->signed_in = 1;
		if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
			const char *t = http_header_in(r, "X-CSRF-Token");

			if (t == NULL || !crypto_str_equal(t,
			    r->actor.csrf_token)) {
				http_problem(r, 403,
				    "urn:alongside:problem:csrf",
				    "Missing or wrong CSRF token",
				    "Send the csrf_token given at sign-in in "
				    "the X-CSRF-Token header.");
				return;
			}
		}
		/* The one place the organisation's requirement of two-step
		 * sign-in is enforced: until it is set up, a session reaches
		 * only the routes that set it up. */
		if (r->actor.two_factor_missing && !(rt->flags & ROUTE_ENROL)) {
			http_problem(r, 403,
			    "urn:alongside:problem:two-factor-required",
			    "Set up two-step sign-in first",
			    "Your organisation requires two-step sign-in. Set "
			    "it up on your account page to continue.");
			return;
		}
	}
	if (rt->flags & ROUTE_BODY) {
		json_error_t jerr;
		struct verr v;

		if (!json_content_type(http_header_in(r, "Content-Type"),
		    r->method == HTTP_PATCH)) {
			http_problem(r, 415, NULL, "Unsupported Media Type",
			    "Send the body as application/json.");
			return;
		}
		verr_init(&v);
		if (r->body.len == 0) {
			verr_add(&v, "body", "is required");
			http_problem_fields(r, &v);
			return;
		}
		r->json = json_loadb(r->body.data, r->body.len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (r->json == NULL) {
			/* jansson's text may quote the input; give only the
			 * position. */
			verr_add(&v, "body", "is not valid JSON (line %d, "
			    "column %d)", jerr.line, jerr.column);
			http_problem_fields(r, &v);
			return;
		}
		if (!json_is_object(r->json)) {
			verr_add(&v, "body", "must be a JSON object");
			http_problem_fields(r, &v);
			return;
		}
	}
	e = rt->fn(r);
	/* A writer that waited past the lock timeout gets one more go. */
	if (e == ERR_BUSY && !r->responded) {
		log_warn("http: %s busy; trying once more", rt->pattern);
		e = rt->fn(r);
	}
	if (!r->responded)
		http_problem_err(r, e == ERR_OK ? ERR_INTERNAL : e);
}

static enum MHD_Result
queue(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	int i;

	if (r->static_body != NULL) {
		resp = MHD_create_response_from_buffer(r->static_len,
		    (void *)(uintptr_t)r->static_body, MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len = r->out.len;

		resp = MHD_create_response_from_buffer(len, buf_take(&r->out),
		    MHD_RESPMEM_MUST_FREE);
	}
	if (resp == NULL)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	    "camera=(), microphone=(), geolocation=()");
	if (r->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	/* Records never sit in caches; the UI's own files revalidate. */
	MHD_add_response_header(resp, "Cache-Control",
	    r->static_body ? "no-cache" : "no-store");
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name,
		    r->headers[i].value);
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;

	(void)cls;
	(void)version;
	if (r == NULL) {
		const char *cl;
		int64_t len;

		r = xcalloc(1, sizeof *r);
		r->conn = conn;
		r->method = method_of(method);
		r->path = url;
		r->start_ms = time_mono_ms();
		r->log_route = "-";
		r->tls = options.tls_cert != NULL;
		buf_init(&r->body, options.max_body);
		buf_secret(&r->body);	/* passwords, personal information */
		buf_init(&r->out, 16 * 1024 * 1024);
		client_address(r, r->actor.client_addr,
		    sizeof r->actor.client_addr);
		*con_cls = r;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "Content-Length");
		if (cl != NULL && (parse_int64(cl, 0, INT64_MAX, &len) !=
		    ERR_OK || (uint64_t)len > options.max_body)) {
			/* Refuse before reading; the connection closes. */
			r->body_too_large = 1;
			dispatch(r);
			db_release(r->db);
			r->db = NULL;
			return queue(r);
		}
		return MHD_YES;
	}
	if (*upload_size != 0) {
		if (!r->body_too_large &&
		    buf_append(&r->body, upload, *upload_size) != ERR_OK)
			r->body_too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->responded)
		return MHD_YES;
	dispatch(r);
	db_release(r->db);
	r->db = NULL;
	return queue(r);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	(void)cls;
	(void)conn;
	if (r == NULL)
		return;
	/* The route template only: never the path, query or body. */
	log_info("http %s %s %d %lldms%s", http_method_name(r->method),
	    r->log_route, r->status, (long long)(time_mono_ms() - r->start_ms),
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	req_free(r);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("mhd: %s", line);
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n) != ERR_OK) {
			buf_free(&b);
			fclose(f);
			return NULL;
		}
	fclose(f);
	return buf_take(&b);
}

static enum err
parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6)
{
	char host[64];
	const char *colon;
	int64_t port;
	size_t hl;

	memset(ss, 0, sizeof *ss);
	if (listen[0] == '[') {
		const char *end = strchr(listen, ']');

		if (end == NULL || end[1] != ':')
			return ERR_INVALID;
		hl = (size_t)(end - listen - 1);
		colon = end + 1;
		if (hl >= sizeof host)
			return ERR_INVALID;
		memcpy(host, listen + 1, hl);
	} else {
		if ((colon = strrchr(listen, ':')) == NULL)
			return ERR_INVALID;
		hl = (size_t)(colon - listen);
		if (hl >= sizeof host)
			return ERR_INVALID;
		memcpy(host, listen, hl);
	}
	host[hl] = '\0';
	if (parse_int64(colon + 1, 1, 65535, &port) != ERR_OK)
		return ERR_INVALID;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)(void *)ss)->
	    sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)(void *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*v6 = 0;
		return ERR_OK;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)(void *)ss)->
	    sin6_addr) == 1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return ERR_OK;
	}
	return ERR_INVALID;
}

enum err
server_start(const struct server_options *o, struct server **out)
{
	struct sockaddr_storage ss;
	struct server *s;
	unsigned flags = MHD_USE_ERROR_LOG;
	int v6;

	*out = NULL;
	options = *o;
	json_wipe_on_free();
	if (parse_listen(o->listen, &ss, &v6) != ERR_OK) {
		log_error("serve: --listen must be HOST:PORT with a numeric "
		    "IPv4 address or [IPv6] address");
		return ERR_INVALID;
	}
	s = xcalloc(1, sizeof *s);
	/* A pool of epoll threads suits SQLite, whose calls are short; a
	 * PostgreSQL round trip blocks its thread, so there each connection
	 * gets its own. */
	if (o->thread_model == THREADS_PER_CONNECTION)
		flags |= MHD_USE_THREAD_PER_CONNECTION |
		    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	else
		flags |= MHD_USE_EPOLL_INTERNAL_THREAD;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (o->tls_cert) {
		if ((s->cert = read_file(o->tls_cert)) == NULL ||
		    (s->key = read_file(o->tls_key)) == NULL) {
			log_error("serve: cannot read the TLS certificate or "
			    "key");
			goto fail;
		}
		flags |= MHD_USE_TLS;
	}
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE,
	    o->thread_model == THREADS_POOL ? (unsigned)o->threads : 0u,
	    MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_ip_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    o->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, s->key,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		log_error("serve: cannot listen on %s", o->listen);
		goto fail;
	}
	*out = s;
	return ERR_OK;
fail:
	server_stop(s);
	return ERR_IO;
}

void
server_stop(struct server *s)
{
	if (s == NULL)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	if (s->key)
		crypto_wipe(s->key, strlen(s->key));
	free(s->cert);
	free(s->key);
	free(s);
}
