/*
 * Fuzz target: request routing (http/router.c) without libmicrohttpd.
 * The If-Match, listen-address and query-string parsers sit behind MHD
 * connections or are static in http/server.c, so this drives what is
 * reachable: router_match() on a zeroed struct req (it reads only
 * r->method and fills r->params), router_allow(), and the checked parsers
 * the handlers then apply to path parameters and cursors.
 *
 * Input: the first byte picks the method; the rest is the path.
 *
 * Properties (abort on violation): a match has exactly one parameter per
 * {name} in its pattern, each 1-64 bytes without '/', and putting them
 * back into the pattern gives the path; no match leaves no parameters; a
 * route found for a method is listed in Allow for that path, and Allow is
 * empty exactly when no method matches.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/router.h"
#include "util/buf.h"
#include "util/parse.h"
#include "util/uuid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rebuilds a path from a pattern and parameters. */
static void
rebuild(const char *pattern, char *const *params, int nparams,
    struct buf *out)
{
	const char *p;
	int i = 0;

	for (p = pattern; *p; p++) {
		if (*p == '{') {
			if (i >= nparams)
				abort();
			if (buf_puts(out, params[i++]) != ERR_OK)
				abort();
			p = strchr(p, '}');
			if (p == NULL)
				abort();
			continue;
		}
		if (buf_putc(out, *p) != ERR_OK)
			abort();
	}
	if (i != nparams)
		abort();
}

static int
braces(const char *pattern)
{
	int n = 0;

	for (; *pattern; pattern++)
		n += *pattern == '{';
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct route *rt;
	struct req *r;
	char *path, allow[256];
	int other = -1, i;

	if (size < 1 || size > 4096)
		return 0;
	path = malloc(size);
	if (path == NULL)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	r = calloc(1, sizeof *r);
	if (r == NULL) {
		free(path);
		return 0;
	}
	r->method = (enum http_method)(data[0] % (HTTP_OTHER + 1));

	rt = router_match(r, path, &other);
	router_allow(path, allow, sizeof allow);
	if (other != 0 && other != 1)
		abort();
	if (rt != NULL) {
		struct buf b;

		if (r->nparams != braces(rt->pattern))
			abort();
		for (i = 0; i < r->nparams; i++) {
			size_t len;
			int64_t v;

			if (r->params[i] == NULL)
				abort();
			len = strlen(r->params[i]);
			if (len < 1 || len > 64 || strchr(r->params[i], '/'))
				abort();
			/* What handlers do with a parameter next. */
			(void)uuid_valid(r->params[i]);
			(void)parse_int64(r->params[i], 0, INT64_MAX, &v);
		}
		buf_init(&b, 8192);
		rebuild(rt->pattern, r->params, r->nparams, &b);
		if (strcmp(buf_cstr(&b), path) != 0)
			abort();
		buf_free(&b);
		if (strstr(allow, http_method_name(rt->method)) == NULL)
			abort();
		if (rt->method != (r->method == HTTP_HEAD ? HTTP_GET :
		    r->method))
			abort();
	} else {
		if (r->nparams != 0)
			abort();
		for (i = 0; i < HTTP_MAX_PARAMS; i++)
			if (r->params[i] != NULL)
				abort();
		/* Allow lists methods exactly when some route has the path. */
		if ((allow[0] != '\0') != (other == 1))
			abort();
	}
	for (i = 0; i < r->nparams; i++)
		free(r->params[i]);
	free(r);
	free(path);
	return 0;
}
