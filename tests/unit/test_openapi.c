/*
 * Unit test: the OpenAPI document compiled into the binary describes
 * exactly the routes the router serves, no more and no fewer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "http/router.h"
#include "util/asset.h"

static json_t *doc;

static int
load(void **state)
{
	const struct asset *a = asset_find(openapi_asset, "/openapi.json");
	json_error_t jerr;

	(void)state;
	if (a == NULL) {
		fprintf(stderr, "openapi: /openapi.json is not embedded\n");
		return -1;
	}
	doc = json_loadb((const char *)a->data, a->len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (doc == NULL) {
		fprintf(stderr, "openapi: not JSON: line %d: %s\n", jerr.line,
		    jerr.text);
		return -1;
	}
	return 0;
}

static int
unload(void **state)
{
	(void)state;
	json_decref(doc);
	return 0;
}

/*
 * Writes pattern with every {name} made "{}" into out, since a path
 * template's parameter names are free to differ from the router's.
 */
static void
shape(const char *pattern, char *out, size_t n)
{
	size_t o = 0;

	for (; *pattern && o + 1 < n; pattern++) {
		out[o++] = *pattern;
		if (*pattern == '{') {
			const char *end = strchr(pattern, '}');

			if (end == NULL)
				break;
			pattern = end - 1;
		}
	}
	out[o] = '\0';
}

static void
lower(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[i] = '\0';
}

/* The document's path item whose template has pattern's shape. */
static json_t *
path_item(json_t *paths, const char *pattern)
{
	char want[256], have[256];
	const char *key;
	json_t *item;

	shape(pattern, want, sizeof want);
	json_object_foreach(paths, key, item) {
		shape(key, have, sizeof have);
		if (strcmp(want, have) == 0)
			return item;
	}
	return NULL;
}

/* The route for a lowercase method and a document path, or NULL. */
static const struct route *
route_for(const char *method, const char *path)
{
	const struct route *rt;
	char want[256], have[256], m[16];

	shape(path, want, sizeof want);
	for (rt = http_routes; rt->pattern != NULL; rt++) {
		lower(http_method_name(rt->method), m, sizeof m);
		shape(rt->pattern, have, sizeof have);
		if (strcmp(m, method) == 0 && strcmp(want, have) == 0)
			return rt;
	}
	return NULL;
}

static int
is_method(const char *key)
{
	static const char *const methods[] = { "get", "put", "post", "delete",
	    "options", "head", "patch", "trace", NULL };
	const char *const *m;

	for (m = methods; *m; m++)
		if (strcmp(*m, key) == 0)
			return 1;
	return 0;
}

static void
test_version(void **state)
{
	const char *v = json_string_value(json_object_get(doc, "openapi"));

	(void)state;
	assert_non_null(v);
	assert_int_equal(strncmp(v, "3.1.", 4), 0);
	assert_true(json_is_object(json_object_get(doc, "info")));
	/* Required by OpenAPI 3.1. */
	assert_non_null(json_string_value(json_object_get(
	    json_object_get(doc, "info"), "title")));
	assert_non_null(json_string_value(json_object_get(
	    json_object_get(doc, "info"), "version")));
}

static void
test_every_route_documented(void **state)
{
	json_t *paths = json_object_get(doc, "paths");
	const struct route *rt;
	int missing = 0, n = 0;

	(void)state;
	if (!json_is_object(paths))
		fail_msg("the document has no \"paths\" object");
	for (rt = http_routes; rt->pattern != NULL; rt++) {
		json_t *item = path_item(paths, rt->pattern);
		char m[16];

		n++;
		lower(http_method_name(rt->method), m, sizeof m);
		if (item == NULL) {
			print_message("# not documented: %s %s (no path)\n",
			    http_method_name(rt->method), rt->pattern);
			missing++;
		} else if (!json_is_object(json_object_get(item, m))) {
			print_message("# not documented: %s %s\n",
			    http_method_name(rt->method), rt->pattern);
			missing++;
		}
	}
	assert_true(n > 0);
	if (missing)
		fail_msg("%d of %d routes are missing from docs/openapi.json",
		    missing, n);
}

static void
test_every_operation_routed(void **state)
{
	json_t *paths = json_object_get(doc, "paths"), *item, *op;
	const char *path, *method;
	int extra = 0, ops = 0;

	(void)state;
	if (!json_is_object(paths))
		fail_msg("the document has no \"paths\" object");
	json_object_foreach(paths, path, item) {
		json_object_foreach(item, method, op) {
			if (!is_method(method))
				continue;	/* summary, parameters, ... */
			ops++;
			/* The router answers HEAD wherever it answers GET. */
			if (route_for(method, path) != NULL ||
			    (strcmp(method, "head") == 0 &&
			    route_for("get", path) != NULL))
				continue;
			print_message("# no such route: %s %s\n", method, path);
			extra++;
		}
	}
	if (extra)
		fail_msg("%d of %d documented operations have no route", extra,
		    ops);
}

static void
test_shape(void **state)
{
	char out[64];

	(void)state;
	shape("/api/v1/people/{id}/episodes/{episode_id}/discharge", out,
	    sizeof out);
	assert_string_equal(out, "/api/v1/people/{}/episodes/{}/discharge");
	shape("/healthz", out, sizeof out);
	assert_string_equal(out, "/healthz");
	assert_non_null(route_for("get", "/healthz"));
	assert_non_null(route_for("patch", "/api/v1/people/{person_id}"));
	assert_null(route_for("put", "/api/v1/people/{id}"));
	assert_null(route_for("get", "/api/v1/people/{id}/episodes"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_every_route_documented),
		cmocka_unit_test(test_every_operation_routed),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
