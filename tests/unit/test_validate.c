/*
 * Unit tests: http/validate.c, the strict structural check of request
 * bodies, with the people endpoint's tables (copied from
 * http/api/people.c) and a table using every type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/person.h"
#include "http/validate.h"
#include "util/buf.h"
#include "util/verr.h"

static const struct vfield contact_fields[] = {
	{ "kind", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "name", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "relationship", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "phone", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "note", VT_STRING, VF_NULLABLE, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield link_fields[] = {
	{ "person_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "relationship", VT_STRING, VF_REQUIRED, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield create_fields[] = {
	{ "preferred_name", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "legal_name", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "pronouns", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "date_of_birth", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "phone", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "language", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "team", VT_STRING, 0, 64, NULL },
	{ "primary_peer", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "status", VT_STRING, 0, 64, NULL },
	{ "contacts", VT_ARRAY, 0, PERSON_MAX_CONTACTS, contact_fields },
	{ "links", VT_ARRAY, 0, PERSON_MAX_LINKS, link_fields },
	{ "id", VT_STRING, VF_READONLY, 0, NULL },
	{ "version", VT_INT, VF_READONLY, 0, NULL },
	{ "primary_peer_name", VT_STRING, VF_READONLY, 0, NULL },
	{ "episodes", VT_ARRAY, VF_READONLY, 0, NULL },
	{ "created_at", VT_STRING, VF_READONLY, 0, NULL },
	{ "updated_at", VT_STRING, VF_READONLY, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield phone_fields[] = {
	{ "phone", VT_STRING, VF_NULLABLE, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield typed_fields[] = {
	{ "count", VT_INT, VF_NULLABLE, 0, NULL },
	{ "flag", VT_BOOL, 0, 0, NULL },
	{ "tags", VT_ARRAY, 0, 3, NULL },	/* strings */
	{ "text", VT_STRING, 0, 0, NULL },	/* default maximum */
	{ NULL, VT_STRING, 0, 0, NULL },
};

struct result {
	struct verr	v;
	int		ok;
};

/* Validates text (which must parse) against spec. */
static struct result
check(const char *text, const struct vfield *spec)
{
	struct result r;
	json_error_t jerr;
	json_t *j;

	j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		fail_msg("test JSON does not parse: %s: %s", jerr.text, text);
	verr_init(&r.v);
	r.ok = validate_object(j, spec, NULL, &r.v);
	json_decref(j);
	return r;
}

/* The message given for field, or NULL. */
static const char *
message(const struct result *r, const char *field)
{
	int i;

	for (i = 0; i < r->v.n; i++)
		if (strcmp(r->v.e[i].field, field) == 0)
			return r->v.e[i].message;
	return NULL;
}

static void
expect_error(const char *text, const struct vfield *spec, const char *field,
    const char *msg)
{
	struct result r = check(text, spec);
	const char *m = message(&r, field);

	if (r.ok || m == NULL || strstr(m, msg) == NULL) {
		int i;

		for (i = 0; i < r.v.n; i++)
			print_message("  got %s: %s\n", r.v.e[i].field,
			    r.v.e[i].message);
		fail_msg("%s: expected %s \"%s\"", text, field, msg);
	}
}

static void
expect_ok(const char *text, const struct vfield *spec)
{
	struct result r = check(text, spec);

	if (!r.ok || r.v.n != 0)
		fail_msg("%s: expected no errors, got %d (first %s: %s)", text,
		    r.v.n, r.v.n ? r.v.e[0].field : "",
		    r.v.n ? r.v.e[0].message : "");
}

static void
test_valid(void **state)
{
	(void)state;
	expect_ok("{\"preferred_name\": \"Sam\"}", create_fields);
	expect_ok("{\"preferred_name\": \"Sam\", \"legal_name\": null,"
	    " \"pronouns\": \"they/them\", \"date_of_birth\": \"1990-01-02\","
	    " \"phone\": \"555-0100\", \"language\": \"es\","
	    " \"team\": \"north\","
	    " \"primary_peer\": null, \"status\": \"outreach\","
	    " \"contacts\": [{\"kind\": \"emergency_contact\","
	    " \"name\": \"Ana\","
	    " \"phone\": \"555-0101\", \"relationship\": null,"
	    " \"note\": null}],"
	    " \"links\": []}", create_fields);
	expect_ok("{\"count\": 3, \"flag\": false, \"tags\": [\"a\", \"b\"],"
	    " \"text\": \"\"}", typed_fields);
	expect_ok("{\"count\": null}", typed_fields);
	expect_ok("{}", typed_fields);
}

static void
test_unknown_keys(void **state)
{
	struct result r;
	char text[512];
	int i;

	(void)state;
	expect_error("{\"preferred_name\": \"Sam\", \"nickname\": \"S\"}",
	    create_fields, "nickname", "is not a field");
	/* Keys that are long or not plain never appear in an error. */
	expect_error("{\"preferred_name\": \"Sam\", \"Nickname\": 1}",
	    create_fields, "(unknown)", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\", \"<script>\": 1}",
	    create_fields, "(unknown)", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\", \"\": 1}",
	    create_fields, "(unknown)", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\", \"jane doe 555 0100\": 1}",
	    create_fields, "(unknown)", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\", \"caf\\u00e9\": 1}",
	    create_fields, "(unknown)", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\", \"a.b\": 1}",
	    create_fields, "(unknown)", "is not a field");
	/* 40 plain characters are named; 41 are not. */
	expect_error("{\"preferred_name\": \"Sam\","
	    " \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": 1}", create_fields,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\","
	    " \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": 1}", create_fields,
	    "(unknown)", "is not a field");
	/* Nested, with the prefix. */
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": [{\"kind\":"
	    " \"natural_support\", \"name\": \"Ana\", \"e-mail\": \"x\"}]}",
	    create_fields, "contacts[0].(unknown)", "is not a field");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": [{\"kind\":"
	    " \"natural_support\", \"name\": \"Ana\", \"email\": \"x\"}]}",
	    create_fields, "contacts[0].email", "is not a field");

	/* Whatever the keys, no error field carries more than a plain
	 * 40-character key, and every message is free of them too. */
	snprintf(text, sizeof text, "{\"preferred_name\": \"Sam\"");
	for (i = 0; i < 8; i++) {
		size_t n = strlen(text);

		snprintf(text + n, sizeof text - n,
		    ", \"Secret Name %d 555-01%02d\": \"x\"", i, i);
	}
	snprintf(text + strlen(text), sizeof text - strlen(text), "}");
	r = check(text, create_fields);
	assert_false(r.ok);
	assert_int_equal(r.v.n, 8);
	for (i = 0; i < r.v.n; i++) {
		assert_string_equal(r.v.e[i].field, "(unknown)");
		assert_null(strstr(r.v.e[i].message, "Secret"));
	}
}

static void
test_types(void **state)
{
	(void)state;
	expect_error("{\"preferred_name\": 5}", create_fields,
	    "preferred_name", "must be a string");
	expect_error("{\"preferred_name\": [\"Sam\"]}", create_fields,
	    "preferred_name", "must be a string");
	expect_error("{\"preferred_name\": {}}", create_fields,
	    "preferred_name", "must be a string");
	expect_error("{\"preferred_name\": true}", create_fields,
	    "preferred_name", "must be a string");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": \"Ana\"}",
	    create_fields, "contacts", "must be an array");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": {}}",
	    create_fields, "contacts", "must be an array");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": [5]}",
	    create_fields, "contacts[0]", "must be an object");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": [null]}",
	    create_fields, "contacts[0]", "must be an object");
	expect_error("{\"count\": 1.5}", typed_fields, "count",
	    "must be a whole number");
	expect_error("{\"count\": \"1\"}", typed_fields, "count",
	    "must be a whole number");
	expect_error("{\"count\": true}", typed_fields, "count",
	    "must be a whole number");
	expect_error("{\"flag\": 1}", typed_fields, "flag",
	    "must be true or false");
	expect_error("{\"flag\": \"true\"}", typed_fields, "flag",
	    "must be true or false");
	expect_error("{\"tags\": [\"a\", 1]}", typed_fields, "tags[1]",
	    "must be a string");
	expect_error("{\"tags\": [{}]}", typed_fields, "tags[0]",
	    "must be a string");
}

static void
test_nulls_and_required(void **state)
{
	(void)state;
	/* A nullable field takes null; others do not. */
	expect_ok("{\"preferred_name\": \"Sam\", \"legal_name\": null,"
	    " \"phone\": null, \"language\": null}", create_fields);
	expect_error("{\"preferred_name\": \"Sam\", \"team\": null}",
	    create_fields, "team", "must not be null");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": null}",
	    create_fields, "contacts", "must not be null");
	expect_error("{\"flag\": null}", typed_fields, "flag",
	    "must not be null");
	/* A required field given as null is reported once, as required. */
	{
		struct result r = check("{\"preferred_name\": null}",
		    create_fields);

		assert_false(r.ok);
		assert_int_equal(r.v.n, 1);
		assert_string_equal(r.v.e[0].field, "preferred_name");
		assert_string_equal(r.v.e[0].message, "is required");
	}
	expect_error("{}", create_fields, "preferred_name", "is required");
	expect_error("{\"legal_name\": \"Samuel\"}", create_fields,
	    "preferred_name", "is required");
	/* Required inside array items, named by position. */
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": ["
	    "{\"kind\": \"natural_support\", \"name\": \"Ana\"},"
	    "{\"kind\": \"natural_support\"}]}", create_fields,
	    "contacts[1].name", "is required");
	expect_error("{\"preferred_name\": \"Sam\", \"links\": [{}]}",
	    create_fields, "links[0].person_id", "is required");
	expect_error("{\"preferred_name\": \"Sam\", \"links\": [{}]}",
	    create_fields, "links[0].relationship", "is required");
}

static void
test_read_only(void **state)
{
	(void)state;
	expect_error("{\"preferred_name\": \"Sam\", \"id\": \"x\"}",
	    create_fields, "id", "is read-only");
	expect_error("{\"preferred_name\": \"Sam\", \"version\": 3}",
	    create_fields, "version", "is read-only");
	/* Read-only wins over type and null checks. */
	expect_error("{\"preferred_name\": \"Sam\", \"version\": null}",
	    create_fields, "version", "is read-only");
	expect_error("{\"preferred_name\": \"Sam\", \"episodes\": []}",
	    create_fields, "episodes", "is read-only");
}

static char *
json_with_string(const char *key, const char *fill, size_t count)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1 << 20);
	assert_int_equal(buf_printf(&b, "{\"%s\": \"", key), ERR_OK);
	for (i = 0; i < count; i++)
		assert_int_equal(buf_puts(&b, fill), ERR_OK);
	assert_int_equal(buf_puts(&b, "\"}"), ERR_OK);
	return buf_take(&b);
}

static void
test_string_limits(void **state)
{
	char *t;

	(void)state;
	/* Maxima count bytes: 64 ASCII pass, 65 do not... */
	t = json_with_string("phone", "1", 64);
	expect_ok(t, phone_fields);
	free(t);
	t = json_with_string("phone", "1", 65);
	expect_error(t, phone_fields, "phone", "is too long");
	free(t);
	/* ...and 33 two-byte letters are 66 bytes. */
	t = json_with_string("phone", "\\u00e9", 32);
	expect_ok(t, phone_fields);
	free(t);
	t = json_with_string("phone", "\\u00e9", 33);
	expect_error(t, phone_fields, "phone", "is too long");
	free(t);
	/* With no maximum given, VSTRING_MAX applies. */
	t = json_with_string("text", "x", VSTRING_MAX);
	expect_ok(t, typed_fields);
	free(t);
	t = json_with_string("text", "x", VSTRING_MAX + 1);
	expect_error(t, typed_fields, "text", "is too long");
	free(t);
}

static void
test_nul(void **state)
{
	(void)state;
	expect_error("{\"preferred_name\": \"Sam\\u0000my\"}", create_fields,
	    "preferred_name", "must not contain NUL");
	expect_error("{\"preferred_name\": \"\\u0000\"}", create_fields,
	    "preferred_name", "must not contain NUL");
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": [{\"kind\":"
	    " \"natural_support\", \"name\": \"A\\u0000\"}]}", create_fields,
	    "contacts[0].name", "must not contain NUL");
	expect_error("{\"tags\": [\"ok\", \"n\\u0000ul\"]}", typed_fields,
	    "tags[1]", "must be a string");
}

static void
test_arrays(void **state)
{
	struct buf b;
	struct result r;
	int i;

	(void)state;
	expect_error("{\"preferred_name\": \"Sam\", \"contacts\": ["
	    "{\"kind\": \"natural_support\", \"name\": \"Ana\"},"
	    "{\"kind\": \"emergency_contact\", \"name\": \"Bo\", \"phone\": 5}"
	    "]}", create_fields, "contacts[1].phone", "must be a string");
	expect_error("{\"preferred_name\": \"Sam\", \"links\": [{\"person_id\":"
	    " \"x\", \"relationship\": \"parent\", \"note\": \"x\"}]}",
	    create_fields, "links[0].note", "is not a field");
	expect_error("{\"tags\": [\"a\", \"b\", \"c\", \"d\"]}", typed_fields,
	    "tags", "must hold at most 3 items");
	expect_ok("{\"tags\": [\"a\", \"b\", \"c\"]}", typed_fields);

	/* PERSON_MAX_CONTACTS pass; one more does not. */
	buf_init(&b, 1 << 16);
	buf_puts(&b, "{\"preferred_name\": \"Sam\", \"contacts\": [");
	for (i = 0; i < PERSON_MAX_CONTACTS; i++)
		buf_printf(&b, "%s{\"kind\": \"natural_support\", \"name\":"
		    " \"N%d\"}", i ? ", " : "", i);
	buf_puts(&b, "]}");
	expect_ok(buf_cstr(&b), create_fields);
	b.len -= 2;
	buf_puts(&b, ", {\"kind\": \"natural_support\", \"name\": \"X\"}]}");
	r = check(buf_cstr(&b), create_fields);
	assert_false(r.ok);
	assert_int_equal(r.v.n, 1);	/* the items are not gone through */
	assert_string_equal(r.v.e[0].field, "contacts");
	buf_free(&b);

	/* Errors in many items are all reported, each named. */
	r = check("{\"preferred_name\": \"Sam\", \"contacts\": [{}, {}, {}]}",
	    create_fields);
	assert_false(r.ok);
	assert_int_equal(r.v.n, 6);
	assert_non_null(message(&r, "contacts[2].kind"));
	assert_non_null(message(&r, "contacts[2].name"));
}

static void
test_prefix_and_bounds(void **state)
{
	struct result r;
	json_t *j;
	int i;

	(void)state;
	j = json_pack("{s:i}", "flag", 1);
	verr_init(&r.v);
	assert_false(validate_object(j, typed_fields, "body", &r.v));
	assert_string_equal(r.v.e[0].field, "body.flag");
	json_decref(j);

	/* Field names always fit and end: a very long prefix is cut. */
	j = json_pack("{s:i}", "flag", 1);
	verr_init(&r.v);
	assert_false(validate_object(j, typed_fields,
	    "a-very-long-prefix-a-very-long-prefix-a-very-long-prefix-"
	    "a-very-long-prefix-a-very-long-prefix-a-very-long-prefix", &r.v));
	assert_true(strlen(r.v.e[0].field) < sizeof r.v.e[0].field);
	json_decref(j);

	/* More errors than a verr holds: the extra ones are counted. */
	r = check("{\"preferred_name\": \"Sam\", \"contacts\": [{}, {}, {}, {},"
	    " {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}]}",
	    create_fields);
	assert_false(r.ok);
	assert_int_equal(r.v.n, VERR_MAX);
	assert_int_equal(r.v.dropped, 40 - VERR_MAX);

	/* Regression: a verr that is already full must not make a bad
	 * object look valid. */
	verr_init(&r.v);
	for (i = 0; i < VERR_MAX; i++)
		verr_add(&r.v, "query", "earlier error");
	j = json_pack("{s:s}", "nickname", "S");
	assert_false(validate_object(j, create_fields, NULL, &r.v));
	json_decref(j);
	j = json_pack("{s:s}", "preferred_name", "Sam");
	assert_true(validate_object(j, create_fields, NULL, &r.v));
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_nulls_and_required),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_string_limits),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_prefix_and_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
