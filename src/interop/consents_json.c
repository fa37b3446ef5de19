/*
 * The consents rule set (data/consents.json) into core's struct
 * consent_rules: the elements a consent may have to hold, the codes it
 * chooses from (categories, purposes, who signed, expiry events, ways to
 * revoke), the kinds of consent with the elements each requires, the
 * notices that go with a disclosure and how long disclosures are
 * accounted for. Consents are refused for a missing element on the
 * strength of this file, so it is parsed strictly: every problem is
 * refused with its place in the file, and a refused rule set leaves
 * nothing half-parsed behind.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/rules.h"
#include "interop/consents_json.h"
#include "util/xalloc.h"

#define LIST_MAX	100	/* entries of a code list, kinds, notices */
#define SOURCES_MAX	64
#define CODE_MAX	40	/* bytes: ^[a-z][a-z0-9_]*$ */
#define LABEL_MAX	200	/* characters */
#define TEXT_MAX	2000	/* bytes */
#define NOTICE_MAX	4000	/* bytes */
#define VERSION_MAX	64	/* bytes */
#define YEARS_MAX	10
#define WHERE_MAX	96

struct pctx {
	char	*why;
	size_t	 whylen;
};

/* The shapes a text may have. */
enum shape {
	SHAPE_CODE,
	SHAPE_LABEL,
	SHAPE_TEXT,
	SHAPE_NOTICE,
	SHAPE_VERSION,
};

static const char *const shape_words[] = {
	"a code of 1 to 40 lower-case letters, digits and _, from a letter",
	"a label of 1 to 200 characters",
	"text of 1 to 2000 bytes",
	"text of 1 to 4000 bytes",
	"a version of 1 to 64 bytes",
};

/* The elements a consent that discloses must hold: without them the
 * disclosure check has nothing to check against. */
static const enum consent_element disclose_needs[] = {
	CE_RECIPIENTS, CE_INFORMATION, CE_CATEGORIES, CE_PURPOSES,
};

/* The notices the program attaches to disclosures by code. */
static const char *const notices_needed[] = { "part2", "hipaa" };

static int refuse(struct pctx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes the reason into p->why; returns -1. */
static int
refuse(struct pctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int
shaped(const char *s, enum shape sh)
{
	size_t n = strlen(s), i, chars;

	switch (sh) {
	case SHAPE_CODE:
		if (n < 1 || n > CODE_MAX || s[0] < 'a' || s[0] > 'z')
			return 0;
		for (i = 1; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
				return 0;
		return 1;
	case SHAPE_LABEL:
		/* jansson has checked the UTF-8; count lead bytes. */
		for (i = 0, chars = 0; i < n; i++)
			chars += ((unsigned char)s[i] & 0xC0) != 0x80;
		return chars >= 1 && chars <= LABEL_MAX;
	case SHAPE_TEXT:
		return n >= 1 && n <= TEXT_MAX;
	case SHAPE_NOTICE:
		return n >= 1 && n <= NOTICE_MAX;
	case SHAPE_VERSION:
		return n >= 1 && n <= VERSION_MAX;
	}
	return 0;
}

/* Refuses o unless it is an object whose keys are all in allowed. */
static int
known_keys(struct pctx *p, json_t *o, const char *where,
    const char *const *allowed)
{
	const char *k;
	json_t *v;
	size_t i;

	if (!json_is_object(o))
		return refuse(p, "%s must be an object", where);
	json_object_foreach(o, k, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return refuse(p, "%s: unknown key %.64s", where, k);
	}
	return 0;
}

/* A copy of the text at o.key, of shape sh, into *out; absent or null is
 * refused. */
static int
get_text(struct pctx *p, json_t *o, const char *where, const char *key,
    enum shape sh, char **out)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return refuse(p, "%s.%s is missing: it must be %s", where, key,
		    shape_words[sh]);
	if ((s = json_string_value(v)) == NULL || !shaped(s, sh))
		return refuse(p, "%s.%s must be %s", where, key,
		    shape_words[sh]);
	*out = xstrdup(s);
	return 0;
}

/* The boolean at o.key into *out (1 or 0). */
static int
get_bool(struct pctx *p, json_t *o, const char *where, const char *key,
    int *out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return refuse(p, "%s.%s is missing: it must be true or false",
		    where, key);
	if (!json_is_boolean(v))
		return refuse(p, "%s.%s must be true or false", where, key);
	*out = json_is_true(v);
	return 0;
}

/* The whole number of years at o.key, 1 to YEARS_MAX, into *out. */
static int
get_years(struct pctx *p, json_t *o, const char *where, const char *key,
    int *out)
{
	json_t *v = json_object_get(o, key);
	json_int_t n = json_integer_value(v);

	if (!json_is_integer(v) || n < 1 || n > YEARS_MAX)
		return refuse(p, "%s.%s must be a whole number of years from "
		    "1 to %d", where, key, YEARS_MAX);
	*out = (int)n;
	return 0;
}

/* The index of code in the n entries of l, or -1. */
static int
list_index(const struct code_label *l, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].code, code) == 0)
			return i;
	return -1;
}

/* The enum consent_element named code, or -1. */
static int
element_index(const char *code)
{
	int i;

	for (i = 0; i < CE__COUNT; i++)
		if (strcmp(consent_element_codes[i], code) == 0)
			return i;
	return -1;
}

static int
parse_sources(struct pctx *p, json_t *root)
{
	json_t *arr = json_object_get(root, "sources");
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > SOURCES_MAX)
		return refuse(p, "consents.sources must list 1 to %d sources "
		    "the rules come from", SOURCES_MAX);
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s == NULL || !shaped(s, SHAPE_TEXT))
			return refuse(p, "consents.sources[%zu] must be %s", i,
			    shape_words[SHAPE_TEXT]);
	}
	return 0;
}

/*
 * The 13 elements, each once in any order, with the label a refusal shows;
 * the codes are the program's (consent_element_codes), the labels the
 * organisation's.
 */
static int
parse_elements(struct pctx *p, json_t *root, struct consent_rules *c)
{
	static const char *const keys[] = { "code", "label", NULL };
	json_t *arr = json_object_get(root, "elements");
	size_t seen_at[CE__COUNT];
	char at[WHERE_MAX], *code = NULL;
	size_t i;
	int e;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return refuse(p, "consents.elements must list the %d elements "
		    "of a consent, each once", CE__COUNT);
	for (e = 0; e < CE__COUNT; e++)
		seen_at[e] = (size_t)-1;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);

		snprintf(at, sizeof at, "elements[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_CODE, &code) < 0)
			return -1;
		if ((e = element_index(code)) < 0) {
			refuse(p, "%s.code %s names no element", at, code);
			free(code);
			return -1;
		}
		free(code);
		if (seen_at[e] != (size_t)-1)
			return refuse(p, "%s.code %s repeats elements[%zu]", at,
			    consent_element_codes[e], seen_at[e]);
		seen_at[e] = i;
		if (get_text(p, o, at, "label", SHAPE_LABEL,
		    &c->element_labels[e]) < 0)
			return -1;
	}
	for (e = 0; e < CE__COUNT; e++)
		if (seen_at[e] == (size_t)-1)
			return refuse(p, "consents.elements lacks %s",
			    consent_element_codes[e]);
	return 0;
}

/* One of the {code, label} lists at root.key: 1 to LIST_MAX entries with
 * codes that do not repeat. */
static int
parse_list(struct pctx *p, json_t *root, const char *key,
    struct code_label **out, int *n)
{
	static const char *const keys[] = { "code", "label", NULL };
	json_t *arr = json_object_get(root, key);
	char at[WHERE_MAX];
	size_t i;
	int k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > LIST_MAX)
		return refuse(p, "consents.%s must list 1 to %d entries", key,
		    LIST_MAX);
	*out = xcalloc(json_array_size(arr), sizeof **out);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct code_label *l = &(*out)[i];

		/* Counted before it is filled, so a refusal frees it. */
		(*n)++;
		snprintf(at, sizeof at, "%s[%zu]", key, i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_CODE, &l->code) < 0)
			return -1;
		if ((k = list_index(*out, (int)i, l->code)) >= 0)
			return refuse(p, "%s.code %s repeats %s[%d]", at,
			    l->code, key, k);
		if (get_text(p, o, at, "label", SHAPE_LABEL, &l->label) < 0)
			return -1;
	}
	return 0;
}

/*
 * A kind's list of codes at o.key, each one of the n entries of pool
 * (named poolname) and none repeated, into *out and *nout. An empty list
 * is refused unless empty_ok.
 */
static int
parse_codes(struct pctx *p, json_t *o, const char *where, const char *key,
    const struct code_label *pool, int npool, const char *poolname,
    int empty_ok, char ***out, int *nout)
{
	json_t *arr = json_object_get(o, key);
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) > (size_t)npool ||
	    (!empty_ok && json_array_size(arr) == 0))
		return refuse(p, "%s.%s must list %d to %d codes of %s", where,
		    key, empty_ok ? 0 : 1, npool, poolname);
	if (json_array_size(arr) > 0)
		*out = xcalloc(json_array_size(arr), sizeof **out);
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s == NULL || list_index(pool, npool, s) < 0)
			return refuse(p, "%s.%s[%zu] is not one of %s", where,
			    key, i, poolname);
		for (k = 0; k < i; k++)
			if (strcmp((*out)[k], s) == 0)
				return refuse(p, "%s.%s[%zu] repeats "
				    "%s.%s[%zu]", where, key, i, where, key,
				    k);
		(*out)[i] = xstrdup(s);
		(*nout)++;
	}
	return 0;
}

/* A kind's required elements into kind->required; a kind that discloses
 * must require what the disclosure check reads. */
static int
parse_required(struct pctx *p, json_t *o, const char *where,
    struct consent_kind *kind)
{
	json_t *arr = json_object_get(o, "required");
	size_t first[CE__COUNT], i;
	int e;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > CE__COUNT)
		return refuse(p, "%s.required must list 1 to %d elements",
		    where, CE__COUNT);
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s == NULL || (e = element_index(s)) < 0)
			return refuse(p, "%s.required[%zu] names no element",
			    where, i);
		if (kind->required & (1u << e))
			return refuse(p, "%s.required[%zu] repeats "
			    "%s.required[%zu]", where, i, where, first[e]);
		kind->required |= 1u << e;
		first[e] = i;
	}
	for (i = 0; i < sizeof disclose_needs / sizeof disclose_needs[0]; i++)
		if (kind->discloses &&
		    !(kind->required & (1u << disclose_needs[i])))
			return refuse(p, "%s.required must include %s: the "
			    "kind discloses", where,
			    consent_element_codes[disclose_needs[i]]);
	return 0;
}

static int
parse_kinds(struct pctx *p, json_t *root, struct consent_rules *c)
{
	static const char *const keys[] = { "code", "label", "rule",
	    "discloses", "part2", "required", "expiry_events",
	    "purposes_within", NULL };
	json_t *arr = json_object_get(root, "kinds");
	char at[WHERE_MAX];
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > LIST_MAX)
		return refuse(p, "consents.kinds must list 1 to %d kinds of "
		    "consent", LIST_MAX);
	c->kinds = xcalloc(json_array_size(arr), sizeof *c->kinds);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i), *within;
		struct consent_kind *kind = &c->kinds[i];

		/* Counted before it is filled, so a refusal frees it. */
		c->nkinds++;
		snprintf(at, sizeof at, "kinds[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_CODE, &kind->code) < 0)
			return -1;
		for (k = 0; k < i; k++)
			if (strcmp(c->kinds[k].code, kind->code) == 0)
				return refuse(p, "%s.code %s repeats "
				    "kinds[%zu]", at, kind->code, k);
		if (get_text(p, o, at, "label", SHAPE_LABEL,
		    &kind->label) < 0 ||
		    get_text(p, o, at, "rule", SHAPE_TEXT, &kind->rule) < 0 ||
		    get_bool(p, o, at, "discloses", &kind->discloses) < 0 ||
		    get_bool(p, o, at, "part2", &kind->part2) < 0 ||
		    parse_required(p, o, at, kind) < 0 ||
		    parse_codes(p, o, at, "expiry_events", c->expiry_events,
		    c->nexpiry_events, "expiry_events", 1,
		    &kind->expiry_events, &kind->nexpiry_events) < 0)
			return -1;
		/* Absent or null: any purpose. */
		within = json_object_get(o, "purposes_within");
		if (within != NULL && !json_is_null(within) &&
		    parse_codes(p, o, at, "purposes_within", c->purposes,
		    c->npurposes, "purposes", 0, &kind->purposes_within,
		    &kind->npurposes_within) < 0)
			return -1;
	}
	return 0;
}

static int
parse_notices(struct pctx *p, json_t *root, struct consent_rules *c)
{
	static const char *const keys[] = { "code", "version", "rule", "text",
	    NULL };
	json_t *arr = json_object_get(root, "notices");
	char at[WHERE_MAX];
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > LIST_MAX)
		return refuse(p, "consents.notices must list 1 to %d notices",
		    LIST_MAX);
	c->notices = xcalloc(json_array_size(arr), sizeof *c->notices);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct consent_notice *n = &c->notices[i];

		/* Counted before it is filled, so a refusal frees it. */
		c->nnotices++;
		snprintf(at, sizeof at, "notices[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_CODE, &n->code) < 0)
			return -1;
		for (k = 0; k < i; k++)
			if (strcmp(c->notices[k].code, n->code) == 0)
				return refuse(p, "%s.code %s repeats "
				    "notices[%zu]", at, n->code, k);
		if (get_text(p, o, at, "version", SHAPE_VERSION,
		    &n->version) < 0 ||
		    get_text(p, o, at, "rule", SHAPE_TEXT, &n->rule) < 0 ||
		    get_text(p, o, at, "text", SHAPE_NOTICE, &n->text) < 0)
			return -1;
	}
	for (k = 0; k < sizeof notices_needed / sizeof notices_needed[0]; k++)
		if (consent_notice_find(c, notices_needed[k]) == NULL)
			return refuse(p, "consents.notices must include %s",
			    notices_needed[k]);
	return 0;
}

static int
parse_accounting(struct pctx *p, json_t *root, struct consent_rules *c)
{
	static const char *const keys[] = { "part2_years", "hipaa_years",
	    "rule", NULL };
	json_t *o = json_object_get(root, "accounting");

	if (o == NULL)
		return refuse(p, "consents.accounting is missing");
	if (known_keys(p, o, "accounting", keys) < 0 ||
	    get_years(p, o, "accounting", "part2_years",
	    &c->part2_years) < 0 ||
	    get_years(p, o, "accounting", "hipaa_years",
	    &c->hipaa_years) < 0 ||
	    get_text(p, o, "accounting", "rule", SHAPE_TEXT,
	    &c->accounting_rule) < 0)
		return -1;
	return 0;
}

enum err
consents_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen)
{
	static const char *const keys[] = { "name", "version", "description",
	    "sources", "elements", "categories", "purposes",
	    "signer_authorities", "expiry_events", "revocation_methods",
	    "kinds", "notices", "accounting", NULL };
	struct consent_rules *c = &r->consents;
	struct pctx p = { why, whylen };
	const char *version = json_string_value(json_object_get(root,
	    "version"));
	char *desc = NULL;

	consent_rules_clear(c);
	if (known_keys(&p, root, "consents", keys) < 0)
		goto fail;
	if (version == NULL || !shaped(version, SHAPE_VERSION)) {
		refuse(&p, "consents.version must be %s",
		    shape_words[SHAPE_VERSION]);
		goto fail;
	}
	/* The lists come before the kinds, which name their codes. */
	if (get_text(&p, root, "consents", "description", SHAPE_TEXT,
	    &desc) < 0 ||
	    parse_sources(&p, root) < 0 ||
	    parse_elements(&p, root, c) < 0 ||
	    parse_list(&p, root, "categories", &c->categories,
	    &c->ncategories) < 0 ||
	    parse_list(&p, root, "purposes", &c->purposes,
	    &c->npurposes) < 0 ||
	    parse_list(&p, root, "signer_authorities", &c->authorities,
	    &c->nauthorities) < 0 ||
	    parse_list(&p, root, "expiry_events", &c->expiry_events,
	    &c->nexpiry_events) < 0 ||
	    parse_list(&p, root, "revocation_methods",
	    &c->revocation_methods, &c->nrevocation_methods) < 0 ||
	    parse_kinds(&p, root, c) < 0 ||
	    parse_notices(&p, root, c) < 0 ||
	    parse_accounting(&p, root, c) < 0)
		goto fail;
	free(desc);
	c->version = xstrdup(version);
	return ERR_OK;
fail:
	free(desc);
	consent_rules_clear(c);
	return ERR_INVALID;
}
