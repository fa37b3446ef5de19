#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "interop/billing_json.h"
#include "interop/consents_json.h"
#include "interop/groups_json.h"
#include "interop/notes_json.h"
#include "interop/language_json.h"
#include "interop/plan_rules_json.h"
#include "interop/rules_json.h"
#include "interop/resources_json.h"
#include "interop/safety_json.h"
#include "util/asset.h"
#include "util/xalloc.h"

static enum err
parse_list(json_t *arr, struct code_label **out, int *n, const char *what,
    char *why, size_t whylen)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > 1000) {
		snprintf(why, whylen, "%s must be a list of 1 to 1000 entries",
		    what);
		return ERR_INVALID;
	}
	*out = xcalloc(json_array_size(arr), sizeof **out);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		const char *code = json_string_value(json_object_get(o, "code"));
		const char *label =
		    json_string_value(json_object_get(o, "label"));

		if (code == NULL || label == NULL || *code == '\0' ||
		    strlen(code) > 64 || *label == '\0') {
			snprintf(why, whylen, "%s[%zu] needs a code (at most "
			    "64 characters) and a label", what, i);
			return ERR_INVALID;
		}
		(*out)[i].code = xstrdup(code);
		(*out)[i].label = xstrdup(label);
		(*n)++;
	}
	return ERR_OK;
}

enum err
rules_parse(const char *text, struct rules *r, char *why, size_t whylen)
{
	json_error_t jerr;
	json_t *root;
	const char *name, *version;
	enum err e = ERR_OK;

	if ((root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		snprintf(why, whylen, "not JSON: line %d: %s", jerr.line,
		    jerr.text);
		return ERR_INVALID;
	}
	name = json_string_value(json_object_get(root, "name"));
	version = json_string_value(json_object_get(root, "version"));
	if (name == NULL || version == NULL) {
		snprintf(why, whylen, "a rule set needs a name and a version");
		e = ERR_INVALID;
	} else if (strcmp(name, "episode") == 0) {
		json_t *fu = json_object_get(root, "follow_up");
		json_int_t days = json_integer_value(json_object_get(fu, "days"));

		free(r->episode_version);
		r->episode_version = xstrdup(version);
		if ((e = parse_list(json_object_get(root, "referral_sources"),
		    &r->referral_sources, &r->nreferral_sources,
		    "referral_sources", why, whylen)) != ERR_OK ||
		    (e = parse_list(json_object_get(root, "discharge_reasons"),
		    &r->discharge_reasons, &r->ndischarge_reasons,
		    "discharge_reasons", why, whylen)) != ERR_OK ||
		    (e = parse_list(json_object_get(root, "exit_strategies"),
		    &r->exit_strategies, &r->nexit_strategies,
		    "exit_strategies", why, whylen)) != ERR_OK)
			goto done;
		if (!json_is_integer(json_object_get(fu, "days")) || days < 0 ||
		    days > 365) {
			snprintf(why, whylen, "follow_up.days must be a whole "
			    "number of days from 0 to 365");
			e = ERR_INVALID;
			goto done;
		}
		r->follow_up_days = (int)days;
	} else if (strcmp(name, "languages") == 0) {
		free(r->languages_version);
		r->languages_version = xstrdup(version);
		e = parse_list(json_object_get(root, "languages"),
		    &r->languages, &r->nlanguages, "languages", why, whylen);
	} else if (strcmp(name, "plans") == 0) {
		e = plan_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "advance-directive") == 0) {
		e = pad_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "notes") == 0) {
		e = notes_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "billing") == 0) {
		e = billing_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "safety") == 0) {
		e = safety_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "groups") == 0) {
		e = groups_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "consents") == 0) {
		e = consents_rules_parse(root, r, why, whylen);
	} else if (strcmp(name, "resources") == 0) {
		e = resources_rules_parse(root, r, why, whylen);
	} else {
		snprintf(why, whylen, "unknown rule set");
		e = ERR_INVALID;
	}
done:
	json_decref(root);
	return e;
}

enum err
rules_seed(struct db *db)
{
	const struct asset *a;
	enum err e;

	for (a = data_assets; a->path != NULL; a++) {
		json_t *root = json_loadb((const char *)a->data, a->len, 0, NULL);
		const char *name = json_string_value(json_object_get(root,
		    "name"));
		const char *version = json_string_value(json_object_get(root,
		    "version"));

		if (name == NULL || version == NULL) {
			json_decref(root);
			return ERR_INTERNAL;
		}
		/* The plans' structure is the program's, not a rule set. */
		if (strcmp(name, "plan-kinds") == 0) {
			json_decref(root);
			continue;
		}
		e = rules_store(db, name, version, (const char *)a->data);
		json_decref(root);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err
rules_load(struct db *db, char *why, size_t whylen)
{
	static const char *const names[] = { "episode", "languages", "plans",
	    "advance-directive", "notes", "billing", "safety", "groups",
	    "consents", "resources" };
	struct rules *r = xcalloc(1, sizeof *r);
	enum err e = ERR_OK;
	size_t i;

	why[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *body;

		if ((e = rules_fetch(db, names[i], &body)) != ERR_OK) {
			snprintf(why, whylen, "rule set %s is missing; run "
			    "alongside migrate", names[i]);
			break;
		}
		e = rules_parse(body, r, why, whylen);
		free(body);
		if (e != ERR_OK)
			break;
	}
	/* The language dictionary is swapped while serving, so it is kept
	 * apart from struct rules (interop/language_json.c). */
	if (e == ERR_OK)
		e = language_load(db, why, whylen);
	if (e != ERR_OK) {
		rules_free(r);
		return e;
	}
	rules_install(r);
	return ERR_OK;
}
