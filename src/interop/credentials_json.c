/*
 * Credential definitions (data/credentials/, a file each) into core's struct
 * credential_def. See core/credential.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "interop/credentials_json.h"
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

static const char *
text(json_t *o, const char *key, size_t max, const char *where, char *why,
    size_t whylen)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL || *s == '\0' || strlen(s) > max) {
		snprintf(why, whylen, "%s.%s must be text of 1 to %zu bytes",
		    where, key, max);
		return NULL;
	}
	return s;
}

/* Hours from 0 to max, in tenths; *out set. */
static int
hours(json_t *o, const char *key, int max, int *out, const char *where,
    char *why, size_t whylen)
{
	json_t *v = json_object_get(o, key);
	double h = json_number_value(v), t = h * 10;

	if (!json_is_number(v) || !(h >= 0 && h <= max) ||
	    fabs(t - round(t)) > 1e-6) {
		snprintf(why, whylen, "%s.%s must be hours from 0 to %d, in "
		    "tenths at the finest", where, key, max);
		return 0;
	}
	*out = (int)lround(t);
	return 1;
}

static int
whole(json_t *o, const char *key, int max, int *out, const char *where,
    char *why, size_t whylen)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max) {
		snprintf(why, whylen, "%s.%s must be a whole number from 0 "
		    "to %d", where, key, max);
		return 0;
	}
	*out = (int)json_integer_value(v);
	return 1;
}

static int
find_code(const struct cred_bucket *b, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(b[i].code, code) == 0)
			return i;
	return -1;
}

/* A list of buckets: training categories (hours) or renewal domains
 * (min_hours, within). */
static enum err
buckets(json_t *arr, int renewal, struct cred_bucket *b, int *n,
    const char *what, char *why, size_t whylen)
{
	static const char *const tkeys[] = { "code", "label", "hours", NULL };
	static const char *const rkeys[] = { "code", "label", "min_hours",
	    "within", NULL };
	size_t i;
	int j;

	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) > CRED_MAX_CATEGORIES ||
	    (!renewal && json_array_size(arr) == 0)) {
		snprintf(why, whylen, "%s must list at most %d", what,
		    CRED_MAX_CATEGORIES);
		return ERR_INVALID;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		const char *code, *label;
		char where[64];

		snprintf(where, sizeof where, "%s[%zu]", what, i);
		if (!json_is_object(o)) {
			snprintf(why, whylen, "%s must be an object", where);
			return ERR_INVALID;
		}
		if (!only_keys(o, renewal ? rkeys : tkeys, why, whylen,
		    where) || (code = text(o, "code", CRED_CODE_MAX, where,
		    why, whylen)) == NULL || (label = text(o, "label", 200,
		    where, why, whylen)) == NULL || !hours(o, renewal ?
		    "min_hours" : "hours", 1000, &b[*n].tenths, where, why,
		    whylen))
			return ERR_INVALID;
		if (find_code(b, *n, code) >= 0) {
			snprintf(why, whylen, "%s repeats the code %s", where,
			    code);
			return ERR_INVALID;
		}
		snprintf(b[*n].code, sizeof b[*n].code, "%s", code);
		b[*n].label = xstrdup(label);
		b[*n].within = -1;
		(*n)++;
	}
	/* Within: another domain of the list, named after all are read,
	 * and no loops. */
	for (i = 0; renewal && i < json_array_size(arr); i++) {
		const char *in = json_string_value(json_object_get(
		    json_array_get(arr, i), "within"));
		int k, depth;

		if (in == NULL) {
			if (json_object_get(json_array_get(arr, i), "within")) {
				snprintf(why, whylen, "%s[%zu].within must name "
				    "a domain", what, i);
				return ERR_INVALID;
			}
			continue;
		}
		if ((j = find_code(b, *n, in)) < 0 || j == (int)i) {
			snprintf(why, whylen, "%s[%zu].within must name "
			    "another domain of the list", what, i);
			return ERR_INVALID;
		}
		b[i].within = j;
		for (k = j, depth = 0; k >= 0; k = b[k].within)
			if (k == (int)i || ++depth > CRED_MAX_CATEGORIES) {
				snprintf(why, whylen, "%s[%zu].within makes a "
				    "loop", what, i);
				return ERR_INVALID;
			}
	}
	return ERR_OK;
}

enum err
credential_def_parse(const char *src, struct credential_def *d, char *why,
    size_t whylen)
{
	static const char *const top[] = { "code", "name", "issuer",
	    "version", "sources", "initial", "validity_months", "renewal",
	    NULL };
	static const char *const ikeys[] = { "training", "training_total",
	    "work_hours", "supervision_hours", "exam", NULL };
	static const char *const rkeys[] = { "total_hours", "domains", NULL };
	json_error_t jerr;
	json_t *root, *ini, *ren;
	const char *code, *name, *issuer, *version, *exam;
	enum err e = ERR_INVALID;
	int i, sum = 0;

	memset(d, 0, sizeof *d);
	why[0] = '\0';
	if ((root = json_loads(src, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		snprintf(why, whylen, "not JSON: line %d: %s", jerr.line,
		    jerr.text);
		return ERR_INVALID;
	}
	ini = json_object_get(root, "initial");
	ren = json_object_get(root, "renewal");
	if (!json_is_object(root) || !only_keys(root, top, why, whylen,
	    "credential"))
		goto done;
	if (!json_is_array(json_object_get(root, "sources")) ||
	    json_array_size(json_object_get(root, "sources")) == 0) {
		snprintf(why, whylen, "credential: sources must list where the "
		    "requirements come from");
		goto done;
	}
	if ((code = text(root, "code", CRED_CODE_MAX, "credential", why,
	    whylen)) == NULL || (name = text(root, "name", 200,
	    "credential", why, whylen)) == NULL || (issuer = text(root,
	    "issuer", 200, "credential", why, whylen)) == NULL ||
	    (version = text(root, "version", 40, "credential", why,
	    whylen)) == NULL)
		goto done;
	if (!json_is_object(ini) || !json_is_object(ren)) {
		snprintf(why, whylen, "initial and renewal must be objects");
		goto done;
	}
	if (!only_keys(ini, ikeys, why, whylen, "initial") ||
	    !only_keys(ren, rkeys, why, whylen, "renewal") ||
	    (exam = text(ini, "exam", 200, "initial", why, whylen)) == NULL ||
	    !hours(ini, "training_total", 1000, &d->training_total, "initial",
	    why, whylen) || !whole(ini, "work_hours", 20000, &d->work_hours,
	    "initial", why, whylen) || !whole(ini, "supervision_hours", 2000,
	    &d->supervision_hours, "initial", why, whylen) ||
	    !whole(root, "validity_months", 120, &d->validity_months,
	    "credential", why, whylen) || !hours(ren, "total_hours", 1000,
	    &d->renewal_total, "renewal", why, whylen))
		goto done;
	if (d->validity_months == 0) {
		snprintf(why, whylen, "credential.validity_months must be 1 or "
		    "more");
		goto done;
	}
	if ((e = buckets(json_object_get(ini, "training"), 0, d->training,
	    &d->ntraining, "initial.training", why, whylen)) != ERR_OK ||
	    (e = buckets(json_object_get(ren, "domains"), 1, d->renewal,
	    &d->nrenewal, "renewal.domains", why, whylen)) != ERR_OK)
		goto done;
	e = ERR_INVALID;
	for (i = 0; i < d->ntraining; i++)
		sum += d->training[i].tenths;
	if (sum != d->training_total) {
		snprintf(why, whylen, "initial.training adds up to %d.%d hours, "
		    "not the training_total", sum / 10, sum % 10);
		goto done;
	}
	for (sum = 0, i = 0; i < d->nrenewal; i++) {
		if (d->renewal[i].within >= 0 && d->renewal[i].tenths >
		    d->renewal[d->renewal[i].within].tenths) {
			snprintf(why, whylen, "renewal.domains[%d] needs more "
			    "than the domain it lies within", i);
			goto done;
		}
		if (d->renewal[i].within < 0)
			sum += d->renewal[i].tenths;
	}
	if (sum > d->renewal_total) {
		snprintf(why, whylen, "renewal.domains' minimums exceed "
		    "total_hours");
		goto done;
	}
	d->code = xstrdup(code);
	d->name = xstrdup(name);
	d->issuer = xstrdup(issuer);
	d->version = xstrdup(version);
	d->exam = xstrdup(exam);
	e = ERR_OK;
done:
	json_decref(root);
	if (e != ERR_OK) {
		if (why[0] == '\0')
			snprintf(why, whylen, "not a credential definition");
		credential_def_clear(d);
	}
	return e;
}
