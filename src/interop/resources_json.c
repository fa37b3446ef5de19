/*
 * The directory's rule set (data/resources.json) into core's struct
 * resource_rules: the categories as HSDS taxonomy terms, when an entry is
 * stale, when a quiet referral comes back to the peer, the outreach
 * lists' thresholds and the kinds of inpatient stay. Parsed strictly.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "interop/resources_json.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static int
only_keys(json_t *o, const char *const *keys, char *why, size_t whylen,
    const char *where)
{
	const char *key, *const *k;
	json_t *v;

	json_object_foreach(o, key, v) {
		for (k = keys; *k != NULL; k++)
			if (strcmp(*k, key) == 0)
				break;
		if (*k == NULL) {
			snprintf(why, whylen, "%s: unknown key %.64s", where,
			    key);
			return 0;
		}
	}
	return 1;
}

/* A string member of at most max bytes, or NULL (why set). */
static const char *
str(json_t *o, const char *key, size_t max, int required, const char *where,
    char *why, size_t whylen)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);

	if (v == NULL && !required)
		return "";
	if (s == NULL || (required && *s == '\0') || strlen(s) > max) {
		snprintf(why, whylen, "%s.%s must be text of 1 to %zu "
		    "characters", where, key, max);
		return NULL;
	}
	return s;
}

static int
integer(json_t *o, const char *key, int min, int max, int *out,
    const char *where, char *why, size_t whylen)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		snprintf(why, whylen, "%s.%s must be a whole number from %d "
		    "to %d", where, key, min, max);
		return 0;
	}
	*out = (int)json_integer_value(v);
	return 1;
}

static enum err
taxonomies(json_t *arr, struct resource_rules *rr, char *why, size_t whylen)
{
	static const char *const keys[] = { "group", "id", "name",
	    "description", "uri", "version", NULL };
	size_t i, j;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > 20) {
		snprintf(why, whylen, "taxonomies must list 1 to 20");
		return ERR_INVALID;
	}
	rr->taxonomies = xcalloc(json_array_size(arr), sizeof *rr->taxonomies);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct resource_taxonomy *t = &rr->taxonomies[i];
		const char *g, *id, *n, *d, *u, *v;
		char where[48];

		snprintf(where, sizeof where, "taxonomies[%zu]", i);
		if (!json_is_object(o) || !only_keys(o, keys, why, whylen,
		    where))
			goto bad;
		if ((g = str(o, "group", 32, 1, where, why, whylen)) == NULL ||
		    (id = str(o, "id", 36, 1, where, why, whylen)) == NULL ||
		    (n = str(o, "name", 200, 1, where, why, whylen)) == NULL ||
		    (d = str(o, "description", 500, 1, where, why, whylen)) ==
		    NULL || (u = str(o, "uri", 500, 0, where, why, whylen)) ==
		    NULL || (v = str(o, "version", 40, 0, where, why, whylen)) ==
		    NULL)
			return ERR_INVALID;
		if (!uuid_valid(id)) {
			snprintf(why, whylen, "%s.id must be a UUID", where);
			return ERR_INVALID;
		}
		for (j = 0; j < i; j++)
			if (strcmp(rr->taxonomies[j].group, g) == 0 ||
			    strcmp(rr->taxonomies[j].id, id) == 0) {
				snprintf(why, whylen, "%s repeats a group or "
				    "an id", where);
				return ERR_INVALID;
			}
		t->group = xstrdup(g);
		t->id = xstrdup(id);
		t->name = xstrdup(n);
		t->description = xstrdup(d);
		t->uri = xstrdup(u);
		t->version = xstrdup(v);
		rr->ntaxonomies++;
		continue;
bad:
		if (!json_is_object(o))
			snprintf(why, whylen, "%s must be an object", where);
		return ERR_INVALID;
	}
	return ERR_OK;
}

static enum err
categories(json_t *arr, struct resource_rules *rr, char *why, size_t whylen)
{
	static const char *const keys[] = { "code", "label", "group",
	    "term_id", NULL };
	size_t i;
	int j, k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > 200) {
		snprintf(why, whylen, "categories must list 1 to 200");
		return ERR_INVALID;
	}
	rr->categories = xcalloc(json_array_size(arr), sizeof *rr->categories);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct resource_category *c = &rr->categories[i];
		const char *code, *label, *group, *term;
		char where[48];

		snprintf(where, sizeof where, "categories[%zu]", i);
		if (!json_is_object(o)) {
			snprintf(why, whylen, "%s must be an object", where);
			return ERR_INVALID;
		}
		if (!only_keys(o, keys, why, whylen, where) ||
		    (code = str(o, "code", 64, 1, where, why, whylen)) ==
		    NULL || (label = str(o, "label", 120, 1, where, why,
		    whylen)) == NULL || (group = str(o, "group", 32, 1, where,
		    why, whylen)) == NULL || (term = str(o, "term_id", 36, 1,
		    where, why, whylen)) == NULL)
			return ERR_INVALID;
		if (!uuid_valid(term)) {
			snprintf(why, whylen, "%s.term_id must be a UUID",
			    where);
			return ERR_INVALID;
		}
		for (k = 0; k < rr->ntaxonomies; k++)
			if (strcmp(rr->taxonomies[k].group, group) == 0)
				break;
		if (k == rr->ntaxonomies) {
			snprintf(why, whylen, "%s.group names no taxonomy",
			    where);
			return ERR_INVALID;
		}
		for (j = 0; j < rr->ncategories; j++)
			if (strcmp(rr->categories[j].code, code) == 0 ||
			    strcmp(rr->categories[j].term_id, term) == 0) {
				snprintf(why, whylen, "%s repeats a code or "
				    "a term_id", where);
				return ERR_INVALID;
			}
		c->code = xstrdup(code);
		c->label = xstrdup(label);
		c->group = xstrdup(group);
		c->term_id = xstrdup(term);
		rr->ncategories++;
	}
	return ERR_OK;
}

/*
 * The kinds of inpatient stay (outreach.stay_kinds), codes unique. A rule
 * set stored before the list existed has none: stays cannot be recorded
 * until an administrator adds them.
 */
static enum err
stay_kinds(json_t *arr, struct resource_rules *rr, char *why, size_t whylen)
{
	static const char *const keys[] = { "code", "label", NULL };
	size_t i;
	int j;

	if (arr == NULL)
		return ERR_OK;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > 40) {
		snprintf(why, whylen, "outreach.stay_kinds must list 1 to 40");
		return ERR_INVALID;
	}
	rr->stay_kinds = xcalloc(json_array_size(arr), sizeof *rr->stay_kinds);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		const char *code, *label;
		char where[48];

		snprintf(where, sizeof where, "outreach.stay_kinds[%zu]", i);
		if (!json_is_object(o)) {
			snprintf(why, whylen, "%s must be an object", where);
			return ERR_INVALID;
		}
		if (!only_keys(o, keys, why, whylen, where) ||
		    (code = str(o, "code", 64, 1, where, why, whylen)) ==
		    NULL || (label = str(o, "label", 120, 1, where, why,
		    whylen)) == NULL)
			return ERR_INVALID;
		for (j = 0; j < rr->nstay_kinds; j++)
			if (strcmp(rr->stay_kinds[j].code, code) == 0) {
				snprintf(why, whylen, "%s repeats a code",
				    where);
				return ERR_INVALID;
			}
		rr->stay_kinds[i].code = xstrdup(code);
		rr->stay_kinds[i].label = xstrdup(label);
		rr->nstay_kinds++;
	}
	return ERR_OK;
}

enum err
resources_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	static const char *const top[] = { "name", "version", "description",
	    "sources", "taxonomies", "categories", "stale_after_days",
	    "referrals", "outreach", NULL };
	static const char *const ref_keys[] = { "follow_up_after_days",
	    "rule", NULL };
	static const char *const out_keys[] = { "not_seen_days",
	    "frequent_stays", "frequent_stays_months", "rule", "stay_kinds",
	    NULL };
	struct resource_rules *rr = &r->resources;
	json_t *ref = json_object_get(root, "referrals");
	json_t *out = json_object_get(root, "outreach");
	const char *rule, *orule;
	enum err e;

	resource_rules_clear(rr);
	if (!only_keys(root, top, why, whylen, "resources"))
		return ERR_INVALID;
	if (!json_is_array(json_object_get(root, "sources")) ||
	    json_array_size(json_object_get(root, "sources")) == 0) {
		snprintf(why, whylen, "resources: sources must list where the "
		    "rules come from");
		return ERR_INVALID;
	}
	rr->version = xstrdup(json_string_value(json_object_get(root,
	    "version")));
	if ((e = taxonomies(json_object_get(root, "taxonomies"), rr, why,
	    whylen)) != ERR_OK || (e = categories(json_object_get(root,
	    "categories"), rr, why, whylen)) != ERR_OK)
		return e;
	if (!integer(root, "stale_after_days", 1, 3650, &rr->stale_after_days,
	    "resources", why, whylen))
		return ERR_INVALID;
	if (!json_is_object(ref) || !json_is_object(out)) {
		snprintf(why, whylen, "referrals and outreach must be "
		    "objects");
		return ERR_INVALID;
	}
	if (!only_keys(ref, ref_keys, why, whylen, "referrals") ||
	    !only_keys(out, out_keys, why, whylen, "outreach") ||
	    !integer(ref, "follow_up_after_days", 1, 365,
	    &rr->referral_follow_up_days, "referrals", why, whylen) ||
	    (rule = str(ref, "rule", 500, 1, "referrals", why, whylen)) ==
	    NULL || !integer(out, "not_seen_days", 1, 365,
	    &rr->outreach_not_seen_days, "outreach", why, whylen) ||
	    !integer(out, "frequent_stays", 1, 100,
	    &rr->outreach_frequent_stays, "outreach", why, whylen) ||
	    !integer(out, "frequent_stays_months", 1, 60,
	    &rr->outreach_frequent_months, "outreach", why, whylen) ||
	    (orule = str(out, "rule", 500, 1, "outreach", why, whylen)) ==
	    NULL)
		return ERR_INVALID;
	rr->referral_rule = xstrdup(rule);
	rr->outreach_rule = xstrdup(orule);
	return stay_kinds(json_object_get(out, "stay_kinds"), rr, why, whylen);
}
