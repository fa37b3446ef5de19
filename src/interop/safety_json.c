/*
 * The safety rule set (data/safety.json) into core's struct safety_rules:
 * how long a concern may wait for a supervisor before it is passed on, and
 * to whom. Parsed strictly: every problem is refused with its place.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "interop/safety_json.h"
#include "util/xalloc.h"

/* 1 when every key of o is one of keys (NULL-terminated). */
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

enum err
safety_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	static const char *const top[] = { "name", "version", "description",
	    "sources", "escalation", NULL };
	static const char *const esc_keys[] = { "minutes", "to", "rule",
	    NULL };
	struct safety_rules *s = &r->safety;
	json_t *esc = json_object_get(root, "escalation"), *to, *m, *v;
	const char *rule;
	size_t i;

	safety_rules_clear(s);
	if (!only_keys(root, top, why, whylen, "safety"))
		return ERR_INVALID;
	if (!json_is_array(json_object_get(root, "sources")) ||
	    json_array_size(json_object_get(root, "sources")) == 0) {
		snprintf(why, whylen, "safety: sources must list where the "
		    "rules come from");
		return ERR_INVALID;
	}
	if (!json_is_object(esc)) {
		snprintf(why, whylen, "escalation must be an object");
		return ERR_INVALID;
	}
	if (!only_keys(esc, esc_keys, why, whylen, "escalation"))
		return ERR_INVALID;
	m = json_object_get(esc, "minutes");
	if (!json_is_integer(m) || json_integer_value(m) < 1 ||
	    json_integer_value(m) > 1440) {
		snprintf(why, whylen, "escalation.minutes must be a whole "
		    "number from 1 to 1440");
		return ERR_INVALID;
	}
	to = json_object_get(esc, "to");
	if (!json_is_array(to) || json_array_size(to) == 0 ||
	    json_array_size(to) > 2) {
		snprintf(why, whylen, "escalation.to must list supervisors, "
		    "admins or both");
		return ERR_INVALID;
	}
	json_array_foreach(to, i, v) {
		const char *t = json_string_value(v);
		unsigned bit = 0;

		if (t != NULL && strcmp(t, "supervisors") == 0)
			bit = SAFETY_TO_SUPERVISORS;
		else if (t != NULL && strcmp(t, "admins") == 0)
			bit = SAFETY_TO_ADMINS;
		if (bit == 0 || (s->escalate_to & bit)) {
			snprintf(why, whylen, "escalation.to[%zu] must be "
			    "supervisors or admins, once each", i);
			return ERR_INVALID;
		}
		s->escalate_to |= bit;
	}
	rule = json_string_value(json_object_get(esc, "rule"));
	if (rule == NULL || *rule == '\0' || strlen(rule) > 2000) {
		snprintf(why, whylen, "escalation.rule must name its source");
		return ERR_INVALID;
	}
	s->escalate_minutes = (int)json_integer_value(m);
	s->rule = xstrdup(rule);
	s->version = xstrdup(json_string_value(json_object_get(root,
	    "version")));
	return ERR_OK;
}
