/*
 * Fuzz target: a request body as the server reads it. The input is parsed
 * with jansson (duplicates rejected, as the server does; NULs allowed so
 * the validator's own NUL check is reached), validated against every
 * request body table the API uses (http/api/bodies.h), and every string in it
 * goes through the core value checks that need no database.
 *
 * Properties (abort on violation): validate_object's answer agrees with
 * the errors it added; error field names hold only characters a plain key
 * or a position can produce, so no submitted text is echoed; each value
 * check's answer agrees with the parser behind it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/check.h"
#include "core/person.h"
#include "http/api/bodies.h"
#include "http/validate.h"
#include "util/parse.h"
#include "util/text.h"
#include "util/uuid.h"
#include "util/verr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A field name is built from plain keys, positions and "(unknown)". */
static void
check_field_name(const char *f)
{
	size_t n = strnlen(f, 96), i;

	if (n == 96)
		abort();	/* not terminated inside its array */
	for (i = 0; i < n; i++) {
		char c = f[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.' || c == '[' || c == ']' || c == '(' ||
		    c == ')'))
			abort();
	}
}

static void
check_verr(const struct verr *v)
{
	int i;

	if (v->n < 0 || v->n > VERR_MAX || v->dropped < 0)
		abort();
	for (i = 0; i < v->n; i++) {
		const char *m = v->e[i].message;
		size_t k, len = strnlen(m, sizeof v->e[i].message);

		check_field_name(v->e[i].field);
		if (len == sizeof v->e[i].message || len == 0)
			abort();
		for (k = 0; k < len; k++)
			if ((unsigned char)m[k] < 0x20 ||
			    (unsigned char)m[k] > 0x7e)
				abort();	/* messages are fixed text */
	}
}

/* Runs every value check on one string; each answer must be explained. */
static void
check_string(const char *s, size_t len)
{
	struct verr v;
	struct date d;
	char out[11];
	int ok;

	if (strlen(s) != len)
		return;	/* the validator refuses embedded NULs first */
	verr_init(&v);
	ok = check_text(&v, "f", s, PERSON_NAME_MAX, CHECK_REQUIRED);
	if (ok != (v.n == 0))
		abort();
	if (ok && (!utf8_valid(s, len) || utf8_chars(s) > PERSON_NAME_MAX ||
	    text_has_control(s, 0)))
		abort();
	verr_init(&v);
	ok = check_text(&v, "f", s, PERSON_NOTE_MAX, CHECK_MULTILINE);
	if (ok == (v.n != 0))
		abort();

	verr_init(&v);
	ok = check_date(&v, "f", s, CHECK_REQUIRED, 1, &d);
	if (ok != (v.n == 0))
		abort();
	if (ok) {
		date_format(d, out);
		if (strcmp(out, s) != 0 || d.y < 1900)
			abort();
	}
	verr_init(&v);
	ok = check_phone(&v, "f", s, 0);
	if (ok != (v.n == 0) || (ok && len > 32))
		abort();
	verr_init(&v);
	ok = check_uuid(&v, "f", s, CHECK_REQUIRED);
	if (ok != (v.n == 0) || ok != uuid_valid(s) || (ok && len != 36))
		abort();
}

static void
walk(json_t *j, int depth)
{
	const char *key;
	json_t *val;
	size_t i;

	if (depth > 64)
		return;
	if (json_is_string(j)) {
		check_string(json_string_value(j), json_string_length(j));
	} else if (json_is_object(j)) {
		json_object_foreach(j, key, val) {
			check_string(key, strlen(key));
			walk(val, depth + 1);
		}
	} else if (json_is_array(j)) {
		for (i = 0; i < json_array_size(j); i++)
			walk(json_array_get(j, i), depth + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *j;
	size_t i;

	j = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		return 0;
	if (json_is_object(j)) {
		for (i = 0; body_tables[i] != NULL; i++) {
			struct verr v;
			int ok;

			verr_init(&v);
			ok = validate_object(j, body_tables[i], NULL, &v);
			if (ok != (v.n == 0 && v.dropped == 0))
				abort();
			check_verr(&v);
			/* With a prefix, as for items of an array. */
			verr_init(&v);
			ok = validate_object(j, body_tables[i], "contacts[7]", &v);
			if (ok != (v.n == 0 && v.dropped == 0))
				abort();
			check_verr(&v);
		}
	}
	walk(j, 0);
	json_decref(j);
	return 0;
}
