/*
 * The notes rule set (data/notes.json) into core's struct note_rules:
 * deadlines, required elements, co-signature and holidays. Every problem
 * is refused with a reason naming its place in the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "access/actor.h"
#include "interop/notes_json.h"
#include "util/parse.h"
#include "util/xalloc.h"

static char *
text_at(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && *s != '\0' && strlen(s) <= 2000 ? xstrdup(s) :
	    NULL;
}

static enum err
parse_deadline(json_t *o, const char *type, const char *where,
    struct note_deadline *d, char *why, size_t whylen)
{
	json_t *bd = json_object_get(o, "business_days");
	json_t *h = json_object_get(o, "hours");

	d->type = type ? xstrdup(type) : NULL;
	if ((bd == NULL) == (h == NULL)) {
		snprintf(why, whylen, "%s needs business_days or hours (one "
		    "of them)", where);
		return ERR_INVALID;
	}
	if (bd != NULL && (!json_is_integer(bd) ||
	    json_integer_value(bd) < 0 || json_integer_value(bd) > 30)) {
		snprintf(why, whylen, "%s.business_days must be 0 to 30", where);
		return ERR_INVALID;
	}
	if (h != NULL && (!json_is_integer(h) || json_integer_value(h) < 1 ||
	    json_integer_value(h) > 720)) {
		snprintf(why, whylen, "%s.hours must be 1 to 720", where);
		return ERR_INVALID;
	}
	d->business_days = bd ? (int)json_integer_value(bd) : 0;
	d->hours = h ? (int)json_integer_value(h) : 0;
	if ((d->rule = text_at(o, "rule")) == NULL) {
		snprintf(why, whylen, "%s.rule must name its source", where);
		return ERR_INVALID;
	}
	return ERR_OK;
}

static enum err
parse_elements(json_t *arr, const char *where, unsigned *out, char *why,
    size_t whylen)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} names[] = {
		{ "location", NOTE_EL_LOCATION },
		{ "intervention", NOTE_EL_INTERVENTION },
		{ "response", NOTE_EL_RESPONSE },
		{ "next_steps", NOTE_EL_NEXT_STEPS },
		{ "goals", NOTE_EL_GOALS },
	};
	size_t i, k;

	*out = 0;
	if (!json_is_array(arr) || json_array_size(arr) > 8) {
		snprintf(why, whylen, "%s must list elements", where);
		return ERR_INVALID;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		for (k = 0; s && k < sizeof names / sizeof names[0]; k++)
			if (strcmp(s, names[k].name) == 0)
				break;
		if (s == NULL || k == sizeof names / sizeof names[0]) {
			snprintf(why, whylen, "%s[%zu] must be location, "
			    "intervention, response, next_steps or goals",
			    where, i);
			return ERR_INVALID;
		}
		*out |= names[k].bit;
	}
	return ERR_OK;
}

static enum err
parse_roles(json_t *arr, const char *where, unsigned *out, char *why,
    size_t whylen)
{
	size_t i;

	*out = 0;
	if (!json_is_array(arr) || json_array_size(arr) > 4) {
		snprintf(why, whylen, "%s must list staff roles", where);
		return ERR_INVALID;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		enum role r = s ? role_parse(s) : ROLE__COUNT;

		if (r != ROLE_PEER && r != ROLE_SUPERVISOR) {
			snprintf(why, whylen, "%s[%zu] must be \"peer\" or "
			    "\"supervisor\"", where, i);
			return ERR_INVALID;
		}
		*out |= 1u << r;
	}
	return ERR_OK;
}

static int
cmp_day(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

enum err
notes_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	struct note_rules *n = &r->notes;
	json_t *by = json_object_get(root, "deadlines_by_type");
	json_t *req = json_object_get(root, "required");
	json_t *rby = json_object_get(req, "by_type");
	json_t *cs = json_object_get(root, "cosign");
	json_t *hol = json_object_get(root, "holidays"), *v;
	const char *key;
	size_t i;
	struct date d;

	note_rules_clear(n);
	n->version = xstrdup(json_string_value(json_object_get(root,
	    "version")));
	if (!json_is_object(json_object_get(root, "deadline"))) {
		snprintf(why, whylen, "deadline must be an object");
		return ERR_INVALID;
	}
	if (by != NULL && (!json_is_object(by) || json_object_size(by) > 32)) {
		snprintf(why, whylen, "deadlines_by_type must map contact types "
		    "to deadlines");
		return ERR_INVALID;
	}
	n->deadlines = xcalloc(1 + json_object_size(by), sizeof *n->deadlines);
	n->ndeadlines = 1;
	if (parse_deadline(json_object_get(root, "deadline"), NULL, "deadline",
	    &n->deadlines[0], why, whylen) != ERR_OK)
		return ERR_INVALID;
	json_object_foreach(by, key, v) {
		char at[96];

		snprintf(at, sizeof at, "deadlines_by_type.%.60s", key);
		if (parse_deadline(v, key, at, &n->deadlines[n->ndeadlines++],
		    why, whylen) != ERR_OK)
			return ERR_INVALID;
	}
	if (!json_is_object(req) || (rby != NULL && (!json_is_object(rby) ||
	    json_object_size(rby) > 32))) {
		snprintf(why, whylen, "required must be an object with default, "
		    "billable and by_type");
		return ERR_INVALID;
	}
	n->required = xcalloc(1 + json_object_size(rby), sizeof *n->required);
	n->nrequired = 1;
	if (parse_elements(json_object_get(req, "default"), "required.default",
	    &n->required[0].elements, why, whylen) != ERR_OK ||
	    parse_elements(json_object_get(req, "billable"), "required.billable",
	    &n->billable_elements, why, whylen) != ERR_OK)
		return ERR_INVALID;
	json_object_foreach(rby, key, v) {
		char at[96];
		struct note_required *q = &n->required[n->nrequired++];

		snprintf(at, sizeof at, "required.by_type.%.60s", key);
		q->type = xstrdup(key);
		if (parse_elements(v, at, &q->elements, why, whylen) != ERR_OK)
			return ERR_INVALID;
	}
	if ((n->required_rule = text_at(req, "rule")) == NULL) {
		snprintf(why, whylen, "required.rule must name its source");
		return ERR_INVALID;
	}
	if (!json_is_object(cs) ||
	    parse_roles(json_object_get(cs, "required_for_roles"),
	    "cosign.required_for_roles", &n->cosign_roles, why, whylen) !=
	    ERR_OK ||
	    parse_roles(json_object_get(cs, "cosigner_roles"),
	    "cosign.cosigner_roles", &n->cosigner_roles, why, whylen) != ERR_OK) {
		if (why[0] == '\0')
			snprintf(why, whylen, "cosign must be an object");
		return ERR_INVALID;
	}
	v = json_object_get(cs, "business_days");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 30) {
		snprintf(why, whylen, "cosign.business_days must be 0 to 30");
		return ERR_INVALID;
	}
	n->cosign_business_days = (int)json_integer_value(v);
	if ((n->cosign_rule = text_at(cs, "rule")) == NULL) {
		snprintf(why, whylen, "cosign.rule must name its source");
		return ERR_INVALID;
	}
	if (!json_is_array(hol) || json_array_size(hol) > 1000) {
		snprintf(why, whylen, "holidays must list at most 1000 dates");
		return ERR_INVALID;
	}
	n->holidays = xcalloc(json_array_size(hol) + 1, sizeof *n->holidays);
	for (i = 0; i < json_array_size(hol); i++) {
		const char *s = json_string_value(json_array_get(hol, i));

		if (s == NULL || date_parse(s, &d) != ERR_OK) {
			snprintf(why, whylen, "holidays[%zu] must be a date, "
			    "YYYY-MM-DD", i);
			return ERR_INVALID;
		}
		date_format(d, n->holidays[n->nholidays++]);
	}
	qsort(n->holidays, (size_t)n->nholidays, sizeof *n->holidays, cmp_day);
	return ERR_OK;
}
