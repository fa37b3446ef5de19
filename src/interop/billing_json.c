/*
 * The billing rule set as JSON (data/billing.json) into core's struct
 * billing_rules. An administrator edits this file to follow a payer, so
 * every problem is refused with its place in the file, and nothing the
 * engine relies on (a type's code exists, a setting's place of service
 * is listed, a claim line holds four modifiers) is left to chance.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/billing.h"
#include "interop/billing_json.h"
#include "util/xalloc.h"

#define TEXT_MAX	2000
#define PATH_MAX_LEN	128

struct pctx {
	char	*why;
	size_t	 whylen;
};

/* The shapes a value may have. */
enum shape {
	SHAPE_TEXT,	/* 1..TEXT_MAX bytes */
	SHAPE_WORD,	/* a-z 0-9 _, 1..64: the file's own codes */
	SHAPE_HCPCS,	/* A-Z 0-9, 1..16: "H0038" */
	SHAPE_MODIFIER,	/* two of A-Z 0-9: "HQ", "95" */
	SHAPE_POS,	/* two digits: "02" */
};

static const char *const shape_words[] = {
	"text of 1 to 2000 bytes",
	"a code of lower-case letters, digits and _ (1 to 64)",
	"a billing code of capital letters and digits (1 to 16)",
	"a modifier of two capital letters or digits",
	"a two-digit place-of-service code",
};

static int fail(struct pctx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct pctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/* where.key, or key at the top. */
static void
path(char out[PATH_MAX_LEN], const char *where, const char *key)
{
	snprintf(out, PATH_MAX_LEN, "%.90s%s%.32s", where, *where ? "." : "",
	    key);
}

static int
shaped(const char *s, enum shape sh)
{
	size_t n = strlen(s), i;

	switch (sh) {
	case SHAPE_TEXT:
		return n >= 1 && n <= TEXT_MAX;
	case SHAPE_WORD:
		if (n < 1 || n > 64)
			return 0;
		for (i = 0; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
				return 0;
		return 1;
	case SHAPE_HCPCS:
	case SHAPE_MODIFIER:
		if (sh == SHAPE_HCPCS ? n < 1 || n > 16 : n != 2)
			return 0;
		for (i = 0; i < n; i++)
			if (!((s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= '0' && s[i] <= '9')))
				return 0;
		return 1;
	case SHAPE_POS:
		return n == 2 && s[0] >= '0' && s[0] <= '9' &&
		    s[1] >= '0' && s[1] <= '9';
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
		return fail(p, "%s must be an object", *where ? where :
		    "the rule set");
	json_object_foreach(o, k, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return fail(p, "%s%s%.60s is not a field of billing "
			    "rules", where, *where ? "." : "", k);
	}
	return 0;
}

/*
 * A copy of the value at o.key into *out, of shape sh. Absent or null is
 * refused when required, else leaves *out NULL.
 */
static int
get_text(struct pctx *p, json_t *o, const char *where, const char *key,
    enum shape sh, int required, char **out)
{
	json_t *v = json_object_get(o, key);
	char at[PATH_MAX_LEN];
	const char *s;

	*out = NULL;
	path(at, where, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(p, "%s must be %s", at, shape_words[sh]);
		return 0;
	}
	if ((s = json_string_value(v)) == NULL || !shaped(s, sh))
		return fail(p, "%s must be %s", at, shape_words[sh]);
	*out = xstrdup(s);
	return 0;
}

/* o.key as true or false; def when absent and not required. */
static int
get_bool(struct pctx *p, json_t *o, const char *where, const char *key,
    int required, int def, int *out)
{
	json_t *v = json_object_get(o, key);
	char at[PATH_MAX_LEN];

	path(at, where, key);
	if (v == NULL && !required) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return fail(p, "%s must be true or false", at);
	*out = json_is_true(v);
	return 0;
}

/* o.key as a whole number from lo to hi; absent or null gives def when
 * nullable. */
static int
get_int(struct pctx *p, json_t *o, const char *where, const char *key,
    int lo, int hi, int nullable, int def, int *out)
{
	json_t *v = json_object_get(o, key);
	char at[PATH_MAX_LEN];
	json_int_t n;

	path(at, where, key);
	if ((v == NULL || json_is_null(v)) && nullable) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || (n = json_integer_value(v)) < lo ||
	    n > hi)
		return fail(p, "%s must be a whole number from %d to %d%s", at,
		    lo, hi, nullable ? ", or null" : "");
	*out = (int)n;
	return 0;
}

/* o.key as an array of lo..hi entries. */
static int
get_array(struct pctx *p, json_t *o, const char *where, const char *key,
    size_t lo, size_t hi, json_t **out)
{
	char at[PATH_MAX_LEN];

	path(at, where, key);
	*out = json_object_get(o, key);
	if (!json_is_array(*out) || json_array_size(*out) < lo ||
	    json_array_size(*out) > hi)
		return fail(p, "%s must be a list of %zu to %zu entries", at,
		    lo, hi);
	return 0;
}

/* An enum value named by o.key; -1 (allowed) when absent and optional. */
static int
get_enum(struct pctx *p, json_t *o, const char *where, const char *key,
    int (*parse)(const char *), const char *words, int required, int *out)
{
	json_t *v = json_object_get(o, key);
	char at[PATH_MAX_LEN];

	path(at, where, key);
	*out = -1;
	if (v == NULL && !required)
		return 0;
	if ((*out = parse(json_string_value(v))) < 0)
		return fail(p, "%s must be %s", at, words);
	return 0;
}

/* Refuses item i's code when an earlier one has it. */
static int
unique(struct pctx *p, const char *where, size_t i, const char *code,
    const char *(*code_at)(const struct billing_rules *, size_t),
    const struct billing_rules *br)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(code_at(br, j), code) == 0)
			return fail(p, "%s[%zu].code repeats an earlier code",
			    where, i);
	return 0;
}

static const char *
code_of_code(const struct billing_rules *br, size_t i)
{
	return br->codes[i].code;
}

static const char *
code_of_program(const struct billing_rules *br, size_t i)
{
	return br->programs[i].code;
}

static const char *
code_of_place(const struct billing_rules *br, size_t i)
{
	return br->places[i].code;
}

static const char *
code_of_setting(const struct billing_rules *br, size_t i)
{
	return br->settings[i].code;
}

static const char *
code_of_activity(const struct billing_rules *br, size_t i)
{
	return br->activities[i].code;
}

static const char *
code_of_type(const struct billing_rules *br, size_t i)
{
	return br->types[i].code;
}

static int
place_known(const struct billing_rules *br, const char *code)
{
	int i;

	for (i = 0; i < br->nplaces; i++)
		if (strcmp(br->places[i].code, code) == 0)
			return 1;
	return 0;
}

static int
parse_codes(struct pctx *p, json_t *root, struct billing_rules *br)
{
	static const char *const keys[] = { "code", "label", "unit_minutes",
	    "rounding", "aggregation", "caps", "requires_plan_goal",
	    "requires_agreement", "rule", NULL };
	static const char *const cap_keys[] = { "day", "year", "episode",
	    "year_starts_month", NULL };
	json_t *arr;
	size_t i;

	if (get_array(p, root, "", "codes", 1, 32, &arr) < 0)
		return -1;
	br->codes = xcalloc(json_array_size(arr), sizeof *br->codes);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i), *caps;
		struct billing_code *c = &br->codes[br->ncodes++];
		char at[PATH_MAX_LEN], cat[PATH_MAX_LEN];
		int v;

		snprintf(at, sizeof at, "codes[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_HCPCS, 1, &c->code) < 0 ||
		    unique(p, "codes", i, c->code, code_of_code, br) < 0 ||
		    get_text(p, o, at, "label", SHAPE_TEXT, 1, &c->label) < 0 ||
		    get_int(p, o, at, "unit_minutes", 1, 1440, 0, 0,
		    &c->unit_minutes) < 0 ||
		    get_text(p, o, at, "rule", SHAPE_TEXT, 1, &c->rule) < 0 ||
		    get_bool(p, o, at, "requires_plan_goal", 1, 0,
		    &c->requires_goal) < 0 ||
		    get_bool(p, o, at, "requires_agreement", 1, 0,
		    &c->requires_agreement) < 0)
			return -1;
		if (get_enum(p, o, at, "rounding", billing_rounding_parse,
		    "\"midpoint\", \"whole\" or \"up\"", 1, &v) < 0)
			return -1;
		c->rounding = (enum billing_rounding)v;
		if (get_enum(p, o, at, "aggregation",
		    billing_aggregation_parse,
		    "\"per_day\" or \"per_contact\"", 1, &v) < 0)
			return -1;
		c->aggregation = (enum billing_aggregation)v;
		path(cat, at, "caps");
		caps = json_object_get(o, "caps");
		c->year_starts_month = 1;
		if (caps == NULL)
			continue;
		if (known_keys(p, caps, cat, cap_keys) < 0 ||
		    get_int(p, caps, cat, "day", 1, 100000, 1, 0,
		    &c->cap_day) < 0 ||
		    get_int(p, caps, cat, "year", 1, 1000000, 1, 0,
		    &c->cap_year) < 0 ||
		    get_int(p, caps, cat, "episode", 1, 1000000, 1, 0,
		    &c->cap_episode) < 0 ||
		    get_int(p, caps, cat, "year_starts_month", 1, 12, 1, 1,
		    &c->year_starts_month) < 0)
			return -1;
	}
	return 0;
}

/* A list of 0..2 telehealth modifiers (so group + program + these fit
 * the four of a claim line). */
static int
parse_modifier_list(struct pctx *p, json_t *mods, const char *key,
    char **out, int *n)
{
	json_t *arr;
	char at[PATH_MAX_LEN];
	size_t i;

	path(at, "modifiers", key);
	if (get_array(p, mods, "modifiers", key, 0, 2, &arr) < 0)
		return -1;
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s == NULL || !shaped(s, SHAPE_MODIFIER))
			return fail(p, "%s[%zu] must be %s", at, i,
			    shape_words[SHAPE_MODIFIER]);
		out[(*n)++] = xstrdup(s);
	}
	return 0;
}

static int
parse_modifiers(struct pctx *p, json_t *root, struct billing_rules *br)
{
	static const char *const keys[] = { "order", "group", "programs",
	    "audio_video", "audio_only", NULL };
	static const char *const prog_keys[] = { "code", "label", "modifier",
	    NULL };
	static const char *const kinds[] = { "group", "program",
	    "telehealth" };
	json_t *mods = json_object_get(root, "modifiers"), *order, *arr;
	size_t i;
	int k, seen = 0;

	if (known_keys(p, mods, "modifiers", keys) < 0)
		return -1;
	for (k = 0; k < BILLING_MOD__COUNT; k++)
		br->order[k] = (enum billing_modifier_kind)k;
	if ((order = json_object_get(mods, "order")) != NULL) {
		if (!json_is_array(order) ||
		    json_array_size(order) != BILLING_MOD__COUNT)
			return fail(p, "modifiers.order must list \"group\", "
			    "\"program\" and \"telehealth\", each once");
		for (i = 0; i < json_array_size(order); i++) {
			const char *s =
			    json_string_value(json_array_get(order, i));

			for (k = 0; s != NULL && k < BILLING_MOD__COUNT; k++)
				if (strcmp(s, kinds[k]) == 0)
					break;
			if (s == NULL || k == BILLING_MOD__COUNT ||
			    (seen & (1 << k)))
				return fail(p, "modifiers.order[%zu] must be "
				    "\"group\", \"program\" or \"telehealth\", "
				    "each once", i);
			seen |= 1 << k;
			br->order[i] = (enum billing_modifier_kind)k;
		}
	}
	if (get_text(p, mods, "modifiers", "group", SHAPE_MODIFIER, 0,
	    &br->group_modifier) < 0 ||
	    get_array(p, mods, "modifiers", "programs", 0, 16, &arr) < 0)
		return -1;
	br->programs = xcalloc(json_array_size(arr) + 1, sizeof *br->programs);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct billing_program *pr = &br->programs[br->nprograms++];
		char at[PATH_MAX_LEN];

		snprintf(at, sizeof at, "modifiers.programs[%zu]", i);
		if (known_keys(p, o, at, prog_keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_WORD, 1, &pr->code) < 0 ||
		    unique(p, "modifiers.programs", i, pr->code,
		    code_of_program, br) < 0 ||
		    get_text(p, o, at, "label", SHAPE_TEXT, 1, &pr->label) < 0 ||
		    get_text(p, o, at, "modifier", SHAPE_MODIFIER, 0,
		    &pr->modifier) < 0)
			return -1;
	}
	if (parse_modifier_list(p, mods, "audio_video", br->audio_video,
	    &br->naudio_video) < 0 ||
	    parse_modifier_list(p, mods, "audio_only", br->audio_only,
	    &br->naudio_only) < 0)
		return -1;
	return 0;
}

static int
parse_places(struct pctx *p, json_t *root, struct billing_rules *br)
{
	static const char *const keys[] = { "code", "label", NULL };
	static const char *const tele_keys[] = { "away_from_home", "at_home",
	    NULL };
	static const char *const set_keys[] = { "code", "label",
	    "place_of_service", "person_at_home", NULL };
	json_t *arr, *tele;
	size_t i;

	if (get_array(p, root, "", "places_of_service", 1, 64, &arr) < 0)
		return -1;
	br->places = xcalloc(json_array_size(arr), sizeof *br->places);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct billing_place *pl = &br->places[br->nplaces++];
		char at[PATH_MAX_LEN];

		snprintf(at, sizeof at, "places_of_service[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_POS, 1, &pl->code) < 0 ||
		    unique(p, "places_of_service", i, pl->code, code_of_place,
		    br) < 0 ||
		    get_text(p, o, at, "label", SHAPE_TEXT, 1, &pl->label) < 0)
			return -1;
	}
	tele = json_object_get(root, "telehealth_place_of_service");
	if (known_keys(p, tele, "telehealth_place_of_service", tele_keys) < 0 ||
	    get_text(p, tele, "telehealth_place_of_service", "away_from_home",
	    SHAPE_POS, 1, &br->tele_pos) < 0 ||
	    get_text(p, tele, "telehealth_place_of_service", "at_home",
	    SHAPE_POS, 1, &br->tele_pos_home) < 0)
		return -1;
	if (!place_known(br, br->tele_pos))
		return fail(p, "telehealth_place_of_service.away_from_home "
		    "must name one of places_of_service");
	if (!place_known(br, br->tele_pos_home))
		return fail(p, "telehealth_place_of_service.at_home must name "
		    "one of places_of_service");
	if (get_array(p, root, "", "settings", 1, 64, &arr) < 0)
		return -1;
	br->settings = xcalloc(json_array_size(arr), sizeof *br->settings);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct billing_setting *s = &br->settings[br->nsettings++];
		char at[PATH_MAX_LEN];

		snprintf(at, sizeof at, "settings[%zu]", i);
		if (known_keys(p, o, at, set_keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_WORD, 1, &s->code) < 0 ||
		    unique(p, "settings", i, s->code, code_of_setting, br) < 0 ||
		    get_text(p, o, at, "label", SHAPE_TEXT, 1, &s->label) < 0 ||
		    get_text(p, o, at, "place_of_service", SHAPE_POS, 1,
		    &s->pos) < 0 ||
		    get_bool(p, o, at, "person_at_home", 0, 0, &s->at_home) < 0)
			return -1;
		if (!place_known(br, s->pos))
			return fail(p, "%s.place_of_service must name one of "
			    "places_of_service", at);
	}
	if (get_text(p, root, "", "default_setting", SHAPE_WORD, 1,
	    &br->default_setting) < 0)
		return -1;
	if (billing_setting_find(br, br->default_setting) == NULL)
		return fail(p, "default_setting must name one of settings");
	return 0;
}

static int
parse_group(struct pctx *p, json_t *root, struct billing_rules *br)
{
	static const char *const keys[] = { "max_attendees_per_facilitator",
	    "rule", NULL };
	json_t *g = json_object_get(root, "group");

	if (known_keys(p, g, "group", keys) < 0 ||
	    get_int(p, g, "group", "max_attendees_per_facilitator", 1, 100, 0,
	    0, &br->group_max_per_facilitator) < 0 ||
	    get_text(p, g, "group", "rule", SHAPE_TEXT, 1, &br->group_rule) < 0)
		return -1;
	return 0;
}

static int
parse_activities(struct pctx *p, json_t *root, struct billing_rules *br)
{
	static const char *const keys[] = { "code", "label", "rule", NULL };
	json_t *arr;
	size_t i;

	if (get_array(p, root, "", "non_billable_activities", 0, 64, &arr) < 0)
		return -1;
	br->activities = xcalloc(json_array_size(arr) + 1,
	    sizeof *br->activities);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct billing_activity *a = &br->activities[br->nactivities++];
		char at[PATH_MAX_LEN];

		snprintf(at, sizeof at, "non_billable_activities[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_WORD, 1, &a->code) < 0 ||
		    unique(p, "non_billable_activities", i, a->code,
		    code_of_activity, br) < 0 ||
		    get_text(p, o, at, "label", SHAPE_TEXT, 1, &a->label) < 0 ||
		    get_text(p, o, at, "rule", SHAPE_TEXT, 1, &a->rule) < 0)
			return -1;
	}
	return 0;
}

static int
parse_types(struct pctx *p, json_t *root, struct billing_rules *br)
{
	static const char *const keys[] = { "code", "label", "billing_code",
	    "activity", "modality", "method", "rule", NULL };
	json_t *arr;
	size_t i;
	int k;

	if (get_array(p, root, "", "contact_types", 1, 64, &arr) < 0)
		return -1;
	br->types = xcalloc(json_array_size(arr), sizeof *br->types);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct billing_type *t = &br->types[br->ntypes++];
		char at[PATH_MAX_LEN];

		snprintf(at, sizeof at, "contact_types[%zu]", i);
		t->modality = t->method = -1;
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_WORD, 1, &t->code) < 0 ||
		    unique(p, "contact_types", i, t->code, code_of_type, br) < 0 ||
		    get_text(p, o, at, "label", SHAPE_TEXT, 1, &t->label) < 0 ||
		    get_text(p, o, at, "billing_code", SHAPE_HCPCS, 0,
		    &t->billing_code) < 0 ||
		    get_text(p, o, at, "activity", SHAPE_WORD, 0,
		    &t->activity) < 0 ||
		    get_text(p, o, at, "rule", SHAPE_TEXT, 0, &t->rule) < 0 ||
		    get_enum(p, o, at, "modality", billing_modality_parse,
		    "\"individual\" or \"group\"", 0, &t->modality) < 0 ||
		    get_enum(p, o, at, "method", billing_method_parse,
		    "\"face_to_face\", \"phone\", \"audio_video\" or "
		    "\"audio_only\"", 0, &t->method) < 0)
			return -1;
		if (t->billing_code != NULL && t->activity != NULL)
			return fail(p, "%s names both a billing_code and a "
			    "non-billable activity", at);
		if (t->billing_code != NULL &&
		    billing_code_find(br, t->billing_code) == NULL)
			return fail(p, "%s.billing_code must name one of codes",
			    at);
		if (t->activity != NULL) {
			for (k = 0; k < br->nactivities; k++)
				if (strcmp(br->activities[k].code,
				    t->activity) == 0)
					break;
			if (k == br->nactivities)
				return fail(p, "%s.activity must name one of "
				    "non_billable_activities", at);
		}
		if (t->billing_code == NULL && t->activity == NULL &&
		    t->rule == NULL)
			return fail(p, "%s has no billing_code: its rule must "
			    "say why it is not billed", at);
	}
	return 0;
}

static int
parse_sources(struct pctx *p, json_t *root)
{
	json_t *arr;
	size_t i;

	if (get_array(p, root, "", "sources", 1, 64, &arr) < 0)
		return -1;
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s == NULL || !shaped(s, SHAPE_TEXT))
			return fail(p, "sources[%zu] must be %s", i,
			    shape_words[SHAPE_TEXT]);
	}
	return 0;
}

enum err
billing_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	static const char *const keys[] = { "name", "version", "description",
	    "sources", "payer", "codes", "modifiers", "places_of_service",
	    "telehealth_place_of_service", "settings", "default_setting",
	    "group", "non_billable_activities", "contact_types", NULL };
	struct billing_rules *br = &r->billing;
	struct pctx p = { why, whylen };
	char *desc = NULL;

	billing_rules_clear(br);
	br->version =
	    xstrdup(json_string_value(json_object_get(root, "version")));
	if (known_keys(&p, root, "", keys) < 0 ||
	    get_text(&p, root, "", "description", SHAPE_TEXT, 1, &desc) < 0 ||
	    parse_sources(&p, root) < 0 ||
	    get_text(&p, root, "", "payer", SHAPE_TEXT, 1, &br->payer) < 0 ||
	    parse_codes(&p, root, br) < 0 ||
	    parse_modifiers(&p, root, br) < 0 ||
	    parse_places(&p, root, br) < 0 ||
	    parse_group(&p, root, br) < 0 ||
	    parse_activities(&p, root, br) < 0 ||
	    parse_types(&p, root, br) < 0) {
		free(desc);
		billing_rules_clear(br);
		return ERR_INVALID;
	}
	free(desc);
	return ERR_OK;
}
