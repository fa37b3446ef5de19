#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "http/json.h"
#include "util/crypto.h"
#include "util/timeutil.h"

const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int
jhas(json_t *o, const char *key)
{
	return json_object_get(o, key) != NULL;
}

json_t *
jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
jtime(int64_t ms)
{
	char ts[25];

	time_format_utc(ms, ts);
	return json_string(ts);
}

static void *
json_alloc(size_t n)
{
	return malloc(n);
}

static void
json_release(void *p)
{
	if (p == NULL)
		return;
	/* glibc knows each block's size; jansson does not pass it. */
	crypto_wipe(p, malloc_usable_size(p));
	free(p);
}

void
json_wipe_on_free(void)
{
	json_set_alloc_funcs(json_alloc, json_release);
}

json_t *
jtime_or_null(int64_t ms)
{
	return ms ? jtime(ms) : json_null();
}

json_t *
jcodes(const char *csv)
{
	json_t *a = json_array();
	const char *p = csv, *c;

	while (p != NULL && *p) {
		c = strchr(p, ',');
		json_array_append_new(a, json_stringn(p, c ? (size_t)(c - p) :
		    strlen(p)));
		p = c ? c + 1 : NULL;
	}
	return a;
}
