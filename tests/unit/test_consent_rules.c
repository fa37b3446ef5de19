/*
 * Unit tests: the consents rule set (data/consents.json,
 * interop/consents_json.c, core/consent_rules.c): the shipped kinds parse
 * with the elements each requires, the notices carry their texts, an older
 * database picks the rule set up on migrate, every broken rule set is
 * refused with a reason naming the place, and the find functions answer by
 * code.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/rules.h"
#include "interop/rules_json.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/xalloc.h"
#include "tmpdb.h"

#define ALL_ELEMENTS	((1u << CE__COUNT) - 1)

static const char part2_opening[] = "This record which has been disclosed "
    "to you is protected by Federal confidentiality rules (42 CFR part 2).";

static const char *
shipped_text(void)
{
	const struct asset *a = asset_find(data_assets, "/consents.json");

	if (a == NULL) {
		fprintf(stderr, "consents.json is not compiled in\n");
		abort();
	}
	return (const char *)a->data;
}

/* A new struct rules holding the shipped consents rule set. */
static struct rules *
shipped_rules(void)
{
	struct rules *r = xcalloc(1, sizeof *r);
	char why[200] = "";

	if (rules_parse(shipped_text(), r, why, sizeof why) != ERR_OK)
		fail_msg("consents.json: %s", why);
	return r;
}

/* 1 when code is one of the n codes of v. */
static int
has_code(char *const *v, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], code) == 0)
			return 1;
	return 0;
}

/* The bits of the elements named, a NULL-terminated list. */
static unsigned
elements_of(const char *const *codes)
{
	unsigned bits = 0;
	int i, e;

	for (i = 0; codes[i] != NULL; i++) {
		for (e = 0; e < CE__COUNT; e++)
			if (strcmp(consent_element_codes[e], codes[i]) == 0)
				break;
		if (e == CE__COUNT)
			fail_msg("no element %s", codes[i]);
		bits |= 1u << e;
	}
	return bits;
}

static void
test_element_codes(void **state)
{
	int e, k;

	(void)state;
	assert_string_equal(consent_element_codes[CE_PERSON_NAME],
	    "person_name");
	assert_string_equal(consent_element_codes[CE_SIGNED_ON], "signed_on");
	assert_string_equal(consent_element_codes[CE_REDISCLOSURE_STATEMENT],
	    "redisclosure_statement");
	for (e = 0; e < CE__COUNT; e++) {
		assert_non_null(consent_element_codes[e]);
		for (k = 0; k < e; k++)
			assert_string_not_equal(consent_element_codes[k],
			    consent_element_codes[e]);
	}
}

static void
test_shipped(void **state)
{
	static const char *const kinds[] = { "peer_services",
	    "part2_disclosure", "part2_tpo", "hipaa_authorization",
	    "release_of_information" };
	static const char *const peer[] = { "person_name", "purposes",
	    "signer_name", "signer_authority", "signed_on", NULL };
	static const char *const release[] = { "person_name", "recipients",
	    "information", "categories", "purposes", "revocation_statement",
	    "expiry", "signer_name", "signer_authority", "signed_on", NULL };
	static const char *const disclose[] = { "recipients", "information",
	    "categories", "purposes", NULL };
	struct rules *r = shipped_rules();
	const struct consent_rules *c = &r->consents;
	const struct consent_kind *k;
	const struct consent_notice *n;
	size_t i;
	int e;

	(void)state;
	assert_string_equal(c->version, "2026.1");
	for (e = 0; e < CE__COUNT; e++)
		assert_non_null(c->element_labels[e]);
	assert_string_equal(c->element_labels[CE_EXPIRY],
	    "An expiry date or event");
	assert_int_equal(c->ncategories, 5);
	assert_int_equal(c->npurposes, 6);
	assert_int_equal(c->nauthorities, 4);
	assert_int_equal(c->nexpiry_events, 2);
	assert_int_equal(c->nrevocation_methods, 3);
	assert_true(rules_has(c->categories, c->ncategories,
	    "substance_use"));
	assert_true(rules_has(c->authorities, c->nauthorities,
	    "court_guardian"));
	assert_true(rules_has(c->revocation_methods, c->nrevocation_methods,
	    "orally"));

	assert_int_equal(c->nkinds, 5);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		assert_non_null(k = consent_kind_find(c, kinds[i]));
		assert_ptr_equal(k, &c->kinds[i]);
		assert_non_null(k->label);
		assert_non_null(k->rule);
		assert_true(k->required != 0);
		assert_true(has_code(k->expiry_events, k->nexpiry_events,
		    "end_of_treatment"));
	}

	/* Part 2's consent to disclose holds every element. */
	k = consent_kind_find(c, "part2_disclosure");
	assert_int_equal(k->required, ALL_ELEMENTS);
	assert_true(k->discloses);
	assert_true(k->part2);
	assert_null(k->purposes_within);
	assert_int_equal(k->npurposes_within, 0);
	assert_int_equal(k->nexpiry_events, 1);
	assert_false(has_code(k->expiry_events, k->nexpiry_events, "none"));

	/* The single consent for treatment, payment and operations. */
	k = consent_kind_find(c, "part2_tpo");
	assert_int_equal(k->required, ALL_ELEMENTS);
	assert_true(k->discloses);
	assert_true(k->part2);
	assert_int_equal(k->npurposes_within, 3);
	assert_string_equal(k->purposes_within[0], "treatment");
	assert_string_equal(k->purposes_within[1], "payment");
	assert_string_equal(k->purposes_within[2], "operations");
	assert_int_equal(k->nexpiry_events, 2);
	assert_true(has_code(k->expiry_events, k->nexpiry_events, "none"));

	/* A HIPAA authorisation is not enough for Part 2 records, and need
	 * not name the person apart from the signature. */
	k = consent_kind_find(c, "hipaa_authorization");
	assert_false(k->part2);
	assert_true(k->discloses);
	assert_int_equal(k->required, ALL_ELEMENTS &
	    ~(1u << CE_PERSON_NAME));
	k = consent_kind_find(c, "release_of_information");
	assert_false(k->part2);
	assert_true(k->discloses);
	assert_int_equal(k->required, elements_of(release));
	assert_null(k->purposes_within);

	/* The agreement to peer services discloses nothing. */
	k = consent_kind_find(c, "peer_services");
	assert_false(k->discloses);
	assert_false(k->part2);
	assert_int_equal(k->required, elements_of(peer));

	/* Every kind that discloses requires what the check reads. */
	for (e = 0; e < c->nkinds; e++)
		if (c->kinds[e].discloses)
			assert_int_equal(c->kinds[e].required &
			    elements_of(disclose), elements_of(disclose));

	/* The notices. */
	assert_int_equal(c->nnotices, 2);
	assert_non_null(n = consent_notice_find(c, "part2"));
	assert_string_equal(n->version, "2024");
	assert_string_equal(n->rule, "42 CFR 2.32(a)(1) (2024)");
	assert_memory_equal(n->text, part2_opening, sizeof part2_opening - 1);
	assert_non_null(strstr(n->text, "is NOT sufficient to meet the "
	    "required elements of written consent"));
	assert_non_null(n = consent_notice_find(c, "hipaa"));
	assert_string_equal(n->version, "2026.1");
	assert_string_equal(n->rule, "45 CFR 164.508(c)(2)(iii)");
	assert_string_equal(n->text, "This information was disclosed with "
	    "the person's authorisation. Once disclosed, it may be "
	    "disclosed again by the recipient and may no longer be protected "
	    "by federal privacy rules. Use it only for the purpose the "
	    "person agreed to.");

	assert_int_equal(c->part2_years, 3);
	assert_int_equal(c->hipaa_years, 6);
	assert_non_null(strstr(c->accounting_rule, "42 CFR 2.25"));
	rules_free(r);
}

/* The shipped text uses none of the words the language guide retires
 * (shared/domain/REFERENCE.md section 7). */
static void
test_shipped_wording(void **state)
{
	static const char *const avoid[] = { "addict", "clean", "dirty",
	    "abuse", "compliant", "alcoholic", "relapse", "suffer",
	    "caseload", NULL };
	char *low = xstrdup(shipped_text()), *p;
	const char *found = NULL;
	int i;

	(void)state;
	for (p = low; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	for (i = 0; found == NULL && avoid[i] != NULL; i++)
		if (strstr(low, avoid[i]) != NULL)
			found = avoid[i];
	free(low);
	if (found != NULL)
		fail_msg("consents.json says \"%s\"", found);
}

static void
run_sql(struct db *db, const char *sql, const char *a1, const char *a2)
{
	struct db_stmt *st;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	if (a1 != NULL)
		db_bind_text(st, 1, a1);
	if (a2 != NULL)
		db_bind_text(st, 2, a2);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
}

/*
 * Stored at init and put in force by rules_load, as serve does. A
 * database made before the rule set existed lacks its row: serve says to
 * migrate, and migrate's rules_seed stores it. An administrator's edited
 * copy is never overwritten by the shipped one.
 */
static void
test_seed_and_load(void **state)
{
	struct tmpdir dir;
	struct db *db;
	char why[200] = "", *body = NULL, *edited;
	json_t *root;

	(void)state;
	tmpdir_make(&dir);
	assert_non_null(db = tmpdb_open(&dir, "consents.db"));
	assert_int_equal(rules_seed(db), ERR_OK);
	assert_int_equal(rules_fetch(db, "consents", &body), ERR_OK);
	assert_string_equal(body, shipped_text());
	free(body);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load: %s", why);
	assert_int_equal(rules_get()->consents.nkinds, 5);
	assert_non_null(consent_kind_find(&rules_get()->consents,
	    "part2_tpo"));

	/* An older database. */
	run_sql(db, "DELETE FROM ruleset WHERE name = $1", "consents", NULL);
	assert_int_equal(rules_load(db, why, sizeof why), ERR_NOT_FOUND);
	assert_non_null(strstr(why, "consents"));
	assert_non_null(strstr(why, "migrate"));
	assert_int_equal(rules_seed(db), ERR_OK);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load after seeding: %s", why);
	assert_int_equal(rules_get()->consents.nkinds, 5);

	/* An edited copy stays and is the one in force. */
	assert_non_null(root = json_loads(shipped_text(), 0, NULL));
	json_object_set_new(root, "version", json_string("local.1"));
	assert_int_equal(json_array_remove(json_object_get(root, "kinds"), 4),
	    0);
	assert_non_null(edited = json_dumps(root, 0));
	json_decref(root);
	run_sql(db, "UPDATE ruleset SET version = 'local.1', body = $1"
	    " WHERE name = $2", edited, "consents");
	free(edited);
	assert_int_equal(rules_seed(db), ERR_OK);
	if (rules_load(db, why, sizeof why) != ERR_OK)
		fail_msg("rules_load of the edited copy: %s", why);
	assert_string_equal(rules_get()->consents.version, "local.1");
	assert_int_equal(rules_get()->consents.nkinds, 4);
	assert_null(consent_kind_find(&rules_get()->consents,
	    "release_of_information"));

	/* A broken stored copy stops the load, naming the place. */
	assert_non_null(root = json_loads(shipped_text(), 0, NULL));
	json_object_set_new(root, "version", json_string("local.2"));
	json_object_set_new(root, "kinds", json_array());
	assert_non_null(edited = json_dumps(root, 0));
	json_decref(root);
	run_sql(db, "UPDATE ruleset SET body = $1 WHERE name = $2", edited,
	    "consents");
	free(edited);
	assert_int_equal(rules_load(db, why, sizeof why), ERR_INVALID);
	assert_non_null(strstr(why, "consents.kinds"));
	/* The rules in force before stay in force. */
	assert_string_equal(rules_get()->consents.version, "local.1");

	rules_install(NULL);
	db_close(db);
	tmpdir_remove(&dir);
}

/* Applies one change to the shipped rule set: sets path (dotted, with
 * [n] for list entries) to the JSON value text, or removes it when
 * value is NULL. A new text; caller frees with free(). */
static char *
mutate(const char *pathspec, const char *value)
{
	json_t *root = json_loads(shipped_text(), 0, NULL), *o = root, *v;
	char buf[200], *p, *next, *out;

	assert_non_null(root);
	snprintf(buf, sizeof buf, "%s", pathspec);
	for (p = buf; ; p = next + 1) {
		char *br;
		long idx = -1;

		next = strchr(p, '.');
		if (next != NULL)
			*next = '\0';
		if ((br = strchr(p, '[')) != NULL) {
			idx = strtol(br + 1, NULL, 10);
			*br = '\0';
		}
		if (next == NULL && idx < 0) {
			if (value == NULL)
				json_object_del(o, p);
			else {
				assert_non_null(v = json_loads(value,
				    JSON_DECODE_ANY, NULL));
				json_object_set_new(o, p, v);
			}
			break;
		}
		o = json_object_get(o, p);
		if (idx >= 0) {
			if (next == NULL) {
				v = value == NULL ? NULL : json_loads(value,
				    JSON_DECODE_ANY, NULL);
				if (v == NULL)
					json_array_remove(o, (size_t)idx);
				else if ((size_t)idx >= json_array_size(o))
					json_array_append_new(o, v);
				else
					json_array_set_new(o, (size_t)idx, v);
				break;
			}
			o = json_array_get(o, (size_t)idx);
		}
		assert_non_null(o);
	}
	out = json_dumps(root, 0);
	json_decref(root);
	return out;
}

/* A JSON string of n copies of unit; caller frees with free(). */
static char *
string_of(const char *unit, int n)
{
	size_t len = strlen(unit);
	char *out = xcalloc((size_t)n * len + 3, 1), *p = out;
	int i;

	*p++ = '"';
	for (i = 0; i < n; i++, p += len)
		memcpy(p, unit, len);
	*p = '"';
	return out;
}

/* Fails unless text is refused with a reason holding want, leaving
 * nothing of the consents rule set behind. */
static void
refused(const char *text, const char *what, const char *want)
{
	struct rules *r = xcalloc(1, sizeof *r);
	const struct consent_rules *c = &r->consents;
	char why[200] = "";
	int e;

	if (rules_parse(text, r, why, sizeof why) != ERR_INVALID)
		fail_msg("%s: accepted", what);
	if (strstr(why, want) == NULL)
		fail_msg("%s: reason \"%s\" does not name %s", what, why, want);
	assert_null(c->version);
	for (e = 0; e < CE__COUNT; e++)
		assert_null(c->element_labels[e]);
	assert_null(c->categories);
	assert_null(c->purposes);
	assert_null(c->authorities);
	assert_null(c->expiry_events);
	assert_null(c->revocation_methods);
	assert_null(c->kinds);
	assert_null(c->notices);
	assert_null(c->accounting_rule);
	assert_int_equal(c->nkinds + c->nnotices + c->ncategories +
	    c->npurposes + c->nauthorities + c->nexpiry_events +
	    c->nrevocation_methods + c->part2_years + c->hipaa_years, 0);
	rules_free(r);
}

/* Each broken rule set is refused with a reason naming the place, and
 * leaves nothing half-parsed behind. */
static void
test_refused(void **state)
{
	static const struct {
		const char	*path;
		const char	*value;		/* NULL: removed */
		const char	*why;
	} bad[] = {
		/* Unknown keys, at each level. */
		{ "extra", "1", "consents: unknown key extra" },
		{ "elements[2].hint", "\"h\"",
		    "elements[2]: unknown key hint" },
		{ "categories[0].rule", "\"r\"",
		    "categories[0]: unknown key rule" },
		{ "purposes[5].x", "1", "purposes[5]: unknown key x" },
		{ "signer_authorities[1].x", "1",
		    "signer_authorities[1]: unknown key x" },
		{ "expiry_events[1].x", "1",
		    "expiry_events[1]: unknown key x" },
		{ "revocation_methods[2].x", "1",
		    "revocation_methods[2]: unknown key x" },
		{ "kinds[3].optional", "[]", "kinds[3]: unknown key optional" },
		{ "notices[1].lang", "\"en\"", "notices[1]: unknown key lang" },
		{ "accounting.years", "3", "accounting: unknown key years" },
		/* The top level. */
		{ "version", "\"\"", "consents.version must be" },
		{ "version", "7", "a rule set needs a name and a version" },
		{ "description", NULL, "consents.description is missing" },
		{ "description", "\"\"", "consents.description must be" },
		{ "sources", "[]", "consents.sources must list" },
		{ "sources", NULL, "consents.sources must list" },
		{ "sources[2]", "7", "consents.sources[2] must be" },
		{ "sources[0]", "\"\"", "consents.sources[0] must be" },
		/* The elements: exactly the 13, each once, with a label. */
		{ "elements", NULL, "consents.elements must list the 13" },
		{ "elements", "[]", "consents.elements must list the 13" },
		{ "elements", "{}", "consents.elements must list the 13" },
		{ "elements[12]", NULL,
		    "consents.elements lacks redisclosure_statement" },
		{ "elements[0]", NULL, "consents.elements lacks person_name" },
		{ "elements[13]", "{\"code\":\"witness\",\"label\":\"W\"}",
		    "elements[13].code witness names no element" },
		{ "elements[13]", "{\"code\":\"expiry\",\"label\":\"E\"}",
		    "elements[13].code expiry repeats elements[7]" },
		{ "elements[3].code", "\"purposes\"",
		    "elements[5].code purposes repeats elements[3]" },
		{ "elements[1].code", "\"Disclosers\"",
		    "elements[1].code must be" },
		{ "elements[1].code", NULL, "elements[1].code is missing" },
		{ "elements[4].label", "\"\"", "elements[4].label must be" },
		{ "elements[4].label", NULL, "elements[4].label is missing" },
		{ "elements[4]", "\"categories\"",
		    "elements[4] must be an object" },
		/* The code lists. */
		{ "categories", "[]", "consents.categories must list 1 to" },
		{ "purposes", NULL, "consents.purposes must list 1 to" },
		{ "signer_authorities", "{}",
		    "consents.signer_authorities must list 1 to" },
		{ "expiry_events", "[]", "consents.expiry_events must list" },
		{ "revocation_methods", "7",
		    "consents.revocation_methods must list" },
		{ "categories[3].code", "\"plans\"",
		    "categories[3].code plans repeats categories[1]" },
		{ "purposes[2].code", "\"treatment\"",
		    "purposes[2].code treatment repeats purposes[0]" },
		{ "signer_authorities[3].code", "\"self\"",
		    "signer_authorities[3].code self repeats "
		    "signer_authorities[0]" },
		{ "revocation_methods[1].code", "\"in_writing\"",
		    "revocation_methods[1].code in_writing repeats "
		    "revocation_methods[0]" },
		{ "categories[0].code", "\"Demographics\"",
		    "categories[0].code must be" },
		{ "categories[0].code", "\"1st\"",
		    "categories[0].code must be" },
		{ "categories[0].code", "\"_notes\"",
		    "categories[0].code must be" },
		{ "categories[0].code", "\"substance-use\"",
		    "categories[0].code must be" },
		{ "categories[0].code", "\"\"", "categories[0].code must be" },
		{ "categories[0].code",
		    "\"a2345678901234567890123456789012345678901\"",
		    "categories[0].code must be" },
		{ "purposes[1].code", "7", "purposes[1].code must be" },
		{ "purposes[1].code", NULL, "purposes[1].code is missing" },
		{ "expiry_events[0].label", "\"\"",
		    "expiry_events[0].label must be" },
		{ "signer_authorities[2].label", NULL,
		    "signer_authorities[2].label is missing" },
		{ "revocation_methods[0]", "\"in_writing\"",
		    "revocation_methods[0] must be an object" },
		/* The kinds. */
		{ "kinds", "[]", "consents.kinds must list 1 to" },
		{ "kinds", NULL, "consents.kinds must list 1 to" },
		{ "kinds[1]", "[]", "kinds[1] must be an object" },
		{ "kinds[3].code", "\"part2_tpo\"",
		    "kinds[3].code part2_tpo repeats kinds[2]" },
		{ "kinds[0].code", "\"Peer\"", "kinds[0].code must be" },
		{ "kinds[0].code", NULL, "kinds[0].code is missing" },
		{ "kinds[1].label", NULL, "kinds[1].label is missing" },
		{ "kinds[1].label", "\"\"", "kinds[1].label must be" },
		{ "kinds[2].rule", NULL, "kinds[2].rule is missing" },
		{ "kinds[2].rule", "\"\"", "kinds[2].rule must be" },
		{ "kinds[0].discloses", NULL, "kinds[0].discloses is missing" },
		{ "kinds[0].discloses", "0",
		    "kinds[0].discloses must be true or false" },
		{ "kinds[0].discloses", "\"false\"",
		    "kinds[0].discloses must be true or false" },
		{ "kinds[3].part2", NULL, "kinds[3].part2 is missing" },
		{ "kinds[3].part2", "1",
		    "kinds[3].part2 must be true or false" },
		{ "kinds[0].required", NULL,
		    "kinds[0].required must list 1 to" },
		{ "kinds[0].required", "[]",
		    "kinds[0].required must list 1 to" },
		{ "kinds[0].required", "\"person_name\"",
		    "kinds[0].required must list 1 to" },
		{ "kinds[2].required[3]", "\"witness\"",
		    "kinds[2].required[3] names no element" },
		{ "kinds[2].required[3]", "7",
		    "kinds[2].required[3] names no element" },
		{ "kinds[0].required[4]", "\"purposes\"",
		    "kinds[0].required[4] repeats kinds[0].required[1]" },
		{ "kinds[0].required[5]", "\"signer_name\"",
		    "kinds[0].required[5] repeats kinds[0].required[2]" },
		/* A kind that discloses requires what the check reads. */
		{ "kinds[4].required[1]", NULL,
		    "kinds[4].required must include recipients" },
		{ "kinds[4].required[2]", NULL,
		    "kinds[4].required must include information" },
		{ "kinds[3].required[3]", NULL,
		    "kinds[3].required must include categories" },
		{ "kinds[1].required[5]", NULL,
		    "kinds[1].required must include purposes" },
		{ "kinds[0].discloses", "true",
		    "kinds[0].required must include recipients" },
		/* Expiry events and purposes come from their lists. */
		{ "kinds[0].expiry_events", NULL,
		    "kinds[0].expiry_events must list 0 to 2 codes" },
		{ "kinds[0].expiry_events", "\"none\"",
		    "kinds[0].expiry_events must list 0 to 2 codes" },
		{ "kinds[1].expiry_events[0]", "\"death\"",
		    "kinds[1].expiry_events[0] is not one of expiry_events" },
		{ "kinds[1].expiry_events[0]", "\"treatment\"",
		    "kinds[1].expiry_events[0] is not one of expiry_events" },
		{ "kinds[2].expiry_events[1]", "\"end_of_treatment\"",
		    "kinds[2].expiry_events[1] repeats "
		    "kinds[2].expiry_events[0]" },
		{ "kinds[2].purposes_within", "[]",
		    "kinds[2].purposes_within must list 1 to 6 codes" },
		{ "kinds[2].purposes_within", "{}",
		    "kinds[2].purposes_within must list 1 to 6 codes" },
		{ "kinds[2].purposes_within[1]", "\"billing\"",
		    "kinds[2].purposes_within[1] is not one of purposes" },
		{ "kinds[2].purposes_within[1]", "\"none\"",
		    "kinds[2].purposes_within[1] is not one of purposes" },
		{ "kinds[2].purposes_within[2]", "\"treatment\"",
		    "kinds[2].purposes_within[2] repeats "
		    "kinds[2].purposes_within[0]" },
		/* The notices. */
		{ "notices", "[]", "consents.notices must list 1 to" },
		{ "notices", NULL, "consents.notices must list 1 to" },
		{ "notices[0]", NULL, "consents.notices must include part2" },
		{ "notices[1]", NULL, "consents.notices must include hipaa" },
		{ "notices[1].code", "\"hipaa2\"",
		    "consents.notices must include hipaa" },
		{ "notices[1].code", "\"part2\"",
		    "notices[1].code part2 repeats notices[0]" },
		{ "notices[1].code", "\"HIPAA\"", "notices[1].code must be" },
		{ "notices[0].version", NULL, "notices[0].version is missing" },
		{ "notices[0].version", "\"\"", "notices[0].version must be" },
		{ "notices[0].version", "2024", "notices[0].version must be" },
		{ "notices[0].rule", NULL, "notices[0].rule is missing" },
		{ "notices[1].text", NULL, "notices[1].text is missing" },
		{ "notices[1].text", "\"\"", "notices[1].text must be" },
		/* The accounting. */
		{ "accounting", NULL, "consents.accounting is missing" },
		{ "accounting", "[]", "accounting must be an object" },
		{ "accounting.part2_years", NULL,
		    "accounting.part2_years must be a whole number" },
		{ "accounting.part2_years", "0",
		    "accounting.part2_years must be a whole number" },
		{ "accounting.part2_years", "11",
		    "accounting.part2_years must be a whole number" },
		{ "accounting.part2_years", "3.0",
		    "accounting.part2_years must be a whole number" },
		{ "accounting.hipaa_years", "\"6\"",
		    "accounting.hipaa_years must be a whole number" },
		{ "accounting.hipaa_years", "-6",
		    "accounting.hipaa_years must be a whole number" },
		{ "accounting.rule", NULL, "accounting.rule is missing" },
		{ "accounting.rule", "\"\"", "accounting.rule must be" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[120], *text = mutate(bad[i].path, bad[i].value);

		snprintf(what, sizeof what, "case %zu (%s)", i, bad[i].path);
		refused(text, what, bad[i].why);
		free(text);
	}
	/* Labels of 201 characters, versions of 65 bytes, a notice of 4001
	 * bytes, a rule of 2001. */
	{
		char *l = string_of("x", 201), *text;

		text = mutate("purposes[3].label", l);
		refused(text, "a long label", "purposes[3].label must be a "
		    "label of 1 to 200 characters");
		free(text);
		text = mutate("elements[8].label", l);
		refused(text, "a long element label", "elements[8].label must "
		    "be");
		free(text);
		text = mutate("kinds[4].label", l);
		refused(text, "a long kind label", "kinds[4].label must be");
		free(text);
		free(l);
		l = string_of("x", 4001);
		text = mutate("notices[0].text", l);
		refused(text, "a long notice", "notices[0].text must be text "
		    "of 1 to 4000 bytes");
		free(text);
		free(l);
		l = string_of("x", 65);
		text = mutate("notices[1].version", l);
		refused(text, "a long notice version", "notices[1].version "
		    "must be a version of 1 to 64 bytes");
		free(text);
		text = mutate("version", l);
		refused(text, "a long version", "consents.version must be a "
		    "version of 1 to 64 bytes");
		free(text);
		free(l);
		l = string_of("x", 2001);
		text = mutate("kinds[0].rule", l);
		refused(text, "a long rule", "kinds[0].rule must be text of 1 "
		    "to 2000 bytes");
		free(text);
		free(l);
	}
	/* A list of 101 entries. */
	{
		json_t *root = json_loads(shipped_text(), 0, NULL), *a;
		char *text;
		int n;

		assert_non_null(root);
		a = json_array();
		for (n = 0; n <= 100; n++) {
			char code[16];

			snprintf(code, sizeof code, "c%d", n);
			json_array_append_new(a, json_pack("{s:s,s:s}", "code",
			    code, "label", "A category"));
		}
		json_object_set_new(root, "categories", a);
		text = json_dumps(root, 0);
		json_decref(root);
		refused(text, "101 categories", "consents.categories must list "
		    "1 to 100 entries");
		free(text);
	}
}

/* What may vary: no purposes_within, an empty list of expiry events,
 * elements in another order, labels of 200 characters that are not ASCII,
 * a notice of 4000 bytes, the ends of the years' range; and parsing again
 * leaks nothing. */
static void
test_accepted(void **state)
{
	static const struct {
		const char	*path;
		const char	*value;		/* NULL: removed */
	} ok[] = {
		{ "kinds[2].purposes_within", NULL },
		{ "kinds[2].purposes_within", "null" },
		{ "kinds[0].expiry_events", "[]" },
		{ "kinds[4].required", "[\"signer_name\",\"recipients\","
		    "\"information\",\"categories\",\"purposes\"]" },
		{ "categories[0].code",
		    "\"a234567890123456789012345678901234567890\"" },
		{ "kinds[0].code", "\"treatment\"" },
		{ "accounting.part2_years", "1" },
		{ "accounting.hipaa_years", "10" },
		{ "notices[2]", "{\"code\":\"state\",\"version\":\"1\","
		    "\"rule\":\"r\",\"text\":\"t\"}" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *text;

		text = mutate(ok[i].path, ok[i].value);
		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("case %zu (%s): %s", i, ok[i].path, why);
		assert_int_equal(r->consents.nkinds, 5);
		free(text);
		rules_free(r);
	}
	/* The elements in another order: the first moved to the end. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		json_t *root = json_loads(shipped_text(), 0, NULL), *els;
		char why[200] = "", *text;

		assert_non_null(root);
		els = json_object_get(root, "elements");
		json_array_append(els, json_array_get(els, 0));
		json_array_remove(els, 0);
		text = json_dumps(root, 0);
		json_decref(root);
		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("elements reordered: %s", why);
		assert_string_equal(r->consents.element_labels[CE_PERSON_NAME],
		    "The name of the person the record is about");
		free(text);
		rules_free(r);
	}
	/* 200 characters of two bytes each; 4000 bytes of notice. */
	{
		struct rules *r = xcalloc(1, sizeof *r);
		char why[200] = "", *l = string_of("é", 200), *text;

		text = mutate("kinds[1].label", l);
		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("a label of 200 characters: %s", why);
		assert_int_equal(strlen(r->consents.kinds[1].label), 400);
		free(text);
		free(l);
		l = string_of("x", 4000);
		text = mutate("notices[1].text", l);
		if (rules_parse(text, r, why, sizeof why) != ERR_OK)
			fail_msg("a notice of 4000 bytes: %s", why);
		assert_int_equal(strlen(consent_notice_find(&r->consents,
		    "hipaa")->text), 4000);
		free(text);
		free(l);
		rules_free(r);
	}
	/* Parsed again over itself. */
	{
		struct rules *r = shipped_rules();
		char why[200] = "";

		assert_int_equal(rules_parse(shipped_text(), r, why,
		    sizeof why), ERR_OK);
		assert_int_equal(r->consents.nkinds, 5);
		rules_free(r);
	}
}

static void
test_find(void **state)
{
	struct rules *r = shipped_rules();
	const struct consent_rules *c = &r->consents;
	struct consent_rules empty;

	(void)state;
	assert_string_equal(consent_kind_find(c, "hipaa_authorization")->label,
	    "HIPAA authorisation");
	assert_string_equal(consent_notice_find(c, "hipaa")->code, "hipaa");
	/* Codes match whole and exactly; kinds and notices apart. */
	assert_null(consent_kind_find(c, "PART2_TPO"));
	assert_null(consent_kind_find(c, "part2"));
	assert_null(consent_kind_find(c, "part2_tpox"));
	assert_null(consent_kind_find(c, ""));
	assert_null(consent_kind_find(c, NULL));
	assert_null(consent_kind_find(NULL, "part2_tpo"));
	assert_null(consent_notice_find(c, "part2_tpo"));
	assert_null(consent_notice_find(c, "Part2"));
	assert_null(consent_notice_find(c, "hipaa_authorization"));
	assert_null(consent_notice_find(c, NULL));
	assert_null(consent_notice_find(NULL, "part2"));
	/* An empty rule set finds nothing, and clears twice. */
	memset(&empty, 0, sizeof empty);
	assert_null(consent_kind_find(&empty, "part2_tpo"));
	assert_null(consent_notice_find(&empty, "part2"));
	consent_rules_clear(&empty);
	consent_rules_clear(&empty);
	consent_rules_clear(NULL);
	/* Cleared, the rule set is empty. */
	consent_rules_clear(&r->consents);
	assert_int_equal(r->consents.nkinds, 0);
	assert_null(r->consents.version);
	assert_null(consent_kind_find(&r->consents, "part2_tpo"));
	assert_null(consent_notice_find(&r->consents, "part2"));
	rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_element_codes),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_shipped_wording),
		cmocka_unit_test(test_seed_and_load),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
