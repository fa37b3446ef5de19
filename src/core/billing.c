/*
 * The billing rules engine: one contact in, its code, modifiers, place of
 * service, units and the reasons it is not billable out. Nothing here
 * reads the database or the clock, so every rule is a unit test away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/billing.h"

static const char *const rounding_names[] = { "midpoint", "whole", "up" };
static const char *const aggregation_names[] = { "per_day", "per_contact" };
static const char *const method_names[] = { "face_to_face", "phone",
    "audio_video", "audio_only" };
static const char *const modality_names[] = { "individual", "group" };
static const char *const why_codes[BILLING_WHY__COUNT] = {
	"non_billable_activity", "not_billed", "too_short", "no_plan_goal",
	"no_agreement", "group_too_large", "cap_day", "cap_year",
	"cap_episode",
};

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const char *
name_of(const char *const *names, int n, int v)
{
	return v >= 0 && v < n ? names[v] : NULL;
}

static int
parse_name(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
billing_rounding_name(enum billing_rounding m)
{
	return name_of(rounding_names, NELEM(rounding_names), (int)m);
}

const char *
billing_aggregation_name(enum billing_aggregation a)
{
	return name_of(aggregation_names, NELEM(aggregation_names), (int)a);
}

const char *
billing_method_name(enum billing_method m)
{
	return name_of(method_names, NELEM(method_names), (int)m);
}

const char *
billing_modality_name(enum billing_modality m)
{
	return name_of(modality_names, NELEM(modality_names), (int)m);
}

int
billing_rounding_parse(const char *s)
{
	return parse_name(rounding_names, NELEM(rounding_names), s);
}

int
billing_aggregation_parse(const char *s)
{
	return parse_name(aggregation_names, NELEM(aggregation_names), s);
}

int
billing_method_parse(const char *s)
{
	return parse_name(method_names, NELEM(method_names), s);
}

int
billing_modality_parse(const char *s)
{
	return parse_name(modality_names, NELEM(modality_names), s);
}

int
billing_units_per(enum billing_rounding mode, int unit_minutes, int minutes)
{
	int q, r;

	if (minutes <= 0 || unit_minutes < 1)
		return 0;
	q = minutes / unit_minutes;
	r = minutes % unit_minutes;
	switch (mode) {
	case BILLING_ROUND_MIDPOINT:
		/* "A unit of time is attained when the midpoint is passed":
		 * 2r > u, written so it cannot overflow. For 15-minute units
		 * this is (minutes + 7) / 15 of REFERENCE.md 1.3. */
		return q + (r > unit_minutes - r);
	case BILLING_ROUND_WHOLE:
		return q;
	case BILLING_ROUND_UP:
		return q + (r > 0);
	}
	return 0;
}

int
billing_units(enum billing_rounding mode, int minutes)
{
	return billing_units_per(mode, 15, minutes);
}

/* The fewest minutes that earn k units (k >= 1). */
static int
minutes_for(enum billing_rounding mode, int u, int k)
{
	switch (mode) {
	case BILLING_ROUND_MIDPOINT:
		return (k - 1) * u + u / 2 + 1;
	case BILLING_ROUND_WHOLE:
		return k * u;
	case BILLING_ROUND_UP:
		break;
	}
	return (k - 1) * u + 1;
}

const struct billing_code *
billing_code_find(const struct billing_rules *br, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < br->ncodes; i++)
		if (strcmp(br->codes[i].code, code) == 0)
			return &br->codes[i];
	return NULL;
}

const struct billing_type *
billing_type_find(const struct billing_rules *br, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < br->ntypes; i++)
		if (strcmp(br->types[i].code, code) == 0)
			return &br->types[i];
	return NULL;
}

const struct billing_setting *
billing_setting_find(const struct billing_rules *br, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < br->nsettings; i++)
		if (strcmp(br->settings[i].code, code) == 0)
			return &br->settings[i];
	return NULL;
}

const struct billing_program *
billing_program_find(const struct billing_rules *br, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < br->nprograms; i++)
		if (strcmp(br->programs[i].code, code) == 0)
			return &br->programs[i];
	return NULL;
}

static const struct billing_activity *
activity_find(const struct billing_rules *br, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < br->nactivities; i++)
		if (strcmp(br->activities[i].code, code) == 0)
			return &br->activities[i];
	return NULL;
}

/* Adds a reason to list (reasons or cuts) and returns its text buffer. */
static struct billing_reason *
add_reason(struct billing_reason *list, int *n, int max, enum billing_why w,
    const char *rule)
{
	struct billing_reason *r;

	if (*n >= max)
		abort();	/* each reason is added at most once */
	r = &list[(*n)++];
	r->why = w;
	r->code = why_codes[w];
	r->rule = rule;
	return r;
}

static const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

static int
in_range(int v, int lo, int hi)
{
	return v >= lo && v <= hi;
}

static const char *
place_of_service(const struct billing_rules *br,
    const struct billing_setting *s, enum billing_method method,
    int at_home)
{
	const struct billing_setting *d;
	int i;

	at_home = at_home || (s != NULL && s->at_home);
	/* Telehealth: 10 when the person is at home, whatever the
	 * modality; 02 otherwise (REFERENCE.md 1.2). */
	if (method != BILLING_FACE_TO_FACE)
		return at_home ? br->tele_pos_home : br->tele_pos;
	if (s != NULL)
		return s->pos;
	for (i = 0; at_home && i < br->nsettings; i++)
		if (br->settings[i].at_home)
			return br->settings[i].pos;
	d = billing_setting_find(br, br->default_setting);
	return d != NULL ? d->pos : NULL;
}

static void
add_modifiers(const struct billing_rules *br,
    const struct billing_program *prog, enum billing_modality modality,
    enum billing_method method, struct billing_result *out)
{
	int i, k;

	for (i = 0; i < BILLING_MOD__COUNT; i++) {
		const char *one = NULL;
		char *const *list = NULL;
		int n = 0;

		switch (br->order[i]) {
		case BILLING_MOD_GROUP:
			if (modality == BILLING_GROUP)
				one = br->group_modifier;
			break;
		case BILLING_MOD_PROGRAM:
			if (prog != NULL)
				one = prog->modifier;
			break;
		case BILLING_MOD_TELEHEALTH:
			if (method == BILLING_AUDIO_VIDEO) {
				list = br->audio_video;
				n = br->naudio_video;
			} else if (method != BILLING_FACE_TO_FACE) {
				list = br->audio_only;
				n = br->naudio_only;
			}
			break;
		case BILLING_MOD__COUNT:
			break;
		}
		if (one != NULL && out->nmodifiers < BILLING_MODIFIERS_MAX)
			out->modifiers[out->nmodifiers++] = one;
		for (k = 0; k < n && out->nmodifiers < BILLING_MODIFIERS_MAX;
		    k++)
			out->modifiers[out->nmodifiers++] = list[k];
	}
}

/* The reason for a cap that is reached (left 0) or cuts wanted units. */
static void
cap_reason(struct billing_result *out, enum billing_why w, const char *span,
    int cap, int left, int wanted, const struct billing_code *bc,
    int cut_to)
{
	struct billing_reason *r;

	if (left < 0)		/* the cap is unset */
		return;
	if (left == 0) {
		r = add_reason(out->reasons, &out->nreasons,
		    BILLING_REASONS_MAX, w, bc->rule);
		snprintf(r->text, sizeof r->text, "The %s's limit of %d "
		    "units of %s is already reached.", span, cap, bc->code);
	} else if (left < wanted && cut_to > 0) {
		r = add_reason(out->cuts, &out->ncuts, NELEM(out->cuts), w,
		    bc->rule);
		snprintf(r->text, sizeof r->text, "The %s's limit of %d "
		    "units of %s is reached: %d of the %d units this time "
		    "earns are counted.", span, cap, bc->code, cut_to, wanted);
	}
}

/* Units left under cap after used; -1 when the cap is unset. */
static int
left_under(int cap, int used)
{
	if (cap <= 0)
		return -1;
	return used >= cap ? 0 : cap - used;
}

enum err
billing_contact(const struct billing_rules *br,
    const struct billing_contact *c, const struct billing_prior *prior,
    struct billing_result *out)
{
	static const struct billing_prior none;
	const struct billing_type *t;
	const struct billing_setting *s = NULL;
	const struct billing_program *prog = NULL;
	const struct billing_code *bc;
	struct billing_reason *r;
	int eligible, before, after, wanted, units, left[3], i;
	int facilitators;

	memset(out, 0, sizeof *out);
	if (prior == NULL)
		prior = &none;
	if (br == NULL || c == NULL ||
	    (t = billing_type_find(br, c->type)) == NULL ||
	    (c->setting != NULL &&
	    (s = billing_setting_find(br, c->setting)) == NULL) ||
	    (c->program != NULL &&
	    (prog = billing_program_find(br, c->program)) == NULL) ||
	    billing_modality_name(c->modality) == NULL ||
	    billing_method_name(c->method) == NULL ||
	    !in_range(c->minutes, 0, BILLING_MINUTES_MAX) ||
	    !in_range(c->facilitators, 0, 1000) ||
	    !in_range(c->group_size, 0, 100000) ||
	    !in_range(prior->day_units, 0, BILLING_UNITS_MAX) ||
	    !in_range(prior->year_units, 0, BILLING_UNITS_MAX) ||
	    !in_range(prior->episode_units, 0, BILLING_UNITS_MAX) ||
	    !in_range(prior->day_minutes, 0, BILLING_DAY_MINUTES_MAX))
		return ERR_INVALID;
	out->modality = t->modality >= 0 ? (enum billing_modality)t->modality :
	    c->modality;
	out->method = t->method >= 0 ? (enum billing_method)t->method :
	    c->method;
	/* A group has at least the person in it. */
	if (out->modality == BILLING_GROUP && c->group_size < 1) {
		memset(out, 0, sizeof *out);
		return ERR_INVALID;
	}
	out->minutes = c->minutes;
	out->pos = place_of_service(br, s, out->method, c->at_home);

	if (t->billing_code == NULL) {
		const struct billing_activity *a =
		    activity_find(br, t->activity);

		if (a != NULL) {
			r = add_reason(out->reasons, &out->nreasons,
			    BILLING_REASONS_MAX, BILLING_WHY_ACTIVITY,
			    t->rule != NULL ? t->rule : a->rule);
			snprintf(r->text, sizeof r->text, "%s is not billed as "
			    "peer support by %s; its list of activities that "
			    "are not billed includes: %s.", t->label,
			    br->payer, a->label);
		} else {
			r = add_reason(out->reasons, &out->nreasons,
			    BILLING_REASONS_MAX, BILLING_WHY_NOT_BILLED,
			    t->rule);
			snprintf(r->text, sizeof r->text, "%s is not billed to "
			    "%s.", t->label, br->payer);
		}
		return ERR_OK;
	}
	if ((bc = billing_code_find(br, t->billing_code)) == NULL) {
		/* The parser checks every type's code; a hand-built rule
		 * set that breaks this is a bug. */
		memset(out, 0, sizeof *out);
		return ERR_INVALID;
	}
	out->code = bc->code;
	add_modifiers(br, prog, out->modality, out->method, out);

	/* The units the time earns: the day's sum less what came before,
	 * or the contact on its own. */
	if (bc->aggregation == BILLING_PER_DAY) {
		before = billing_units_per(bc->rounding, bc->unit_minutes,
		    prior->day_minutes);
		after = billing_units_per(bc->rounding, bc->unit_minutes,
		    prior->day_minutes + c->minutes);
	} else {
		before = 0;
		after = billing_units_per(bc->rounding, bc->unit_minutes,
		    c->minutes);
	}
	wanted = after - before;
	if (wanted <= 0) {
		int next = minutes_for(bc->rounding, bc->unit_minutes,
		    before + 1);

		r = add_reason(out->reasons, &out->nreasons,
		    BILLING_REASONS_MAX, BILLING_WHY_TOO_SHORT, bc->rule);
		if (bc->aggregation == BILLING_PER_DAY && prior->day_minutes > 0)
			snprintf(r->text, sizeof r->text, "Not enough time for "
			    "%s unit: %d minute%s today with %s, and the %s "
			    "unit starts at %d minute%s.",
			    before > 0 ? "another" : "a",
			    prior->day_minutes + c->minutes,
			    plural(prior->day_minutes + c->minutes), bc->code,
			    before > 0 ? "next" : "first", next, plural(next));
		else
			snprintf(r->text, sizeof r->text, "Not enough time for "
			    "a unit: %d minute%s, and a unit of %s starts at %d "
			    "minute%s.", c->minutes, plural(c->minutes),
			    bc->code, next, plural(next));
	}
	eligible = 1;
	if (bc->requires_goal && !c->goal_linked) {
		eligible = 0;
		r = add_reason(out->reasons, &out->nreasons,
		    BILLING_REASONS_MAX, BILLING_WHY_NO_GOAL, NULL);
		snprintf(r->text, sizeof r->text, "No plan goal is linked: "
		    "link the goal from the person's plan that this time "
		    "worked on.");
	}
	if (bc->requires_agreement && !c->agreement_active) {
		eligible = 0;
		r = add_reason(out->reasons, &out->nreasons,
		    BILLING_REASONS_MAX, BILLING_WHY_NO_AGREEMENT, NULL);
		snprintf(r->text, sizeof r->text, "No active agreement to "
		    "services: the person's agreement to peer support needs "
		    "to be in place first.");
	}
	facilitators = c->facilitators > 0 ? c->facilitators : 1;
	if (out->modality == BILLING_GROUP && br->group_max_per_facilitator > 0 &&
	    c->group_size > br->group_max_per_facilitator * facilitators) {
		eligible = 0;
		r = add_reason(out->reasons, &out->nreasons,
		    BILLING_REASONS_MAX, BILLING_WHY_GROUP_SIZE, br->group_rule);
		snprintf(r->text, sizeof r->text, "The group had %d people "
		    "with %d peer specialist%s; %s allows at most %d people "
		    "for each peer specialist.", c->group_size, facilitators,
		    facilitators == 1 ? "" : "s", br->payer,
		    br->group_max_per_facilitator);
	}
	out->counted_minutes = eligible ? c->minutes : 0;

	/* Caps: the units are cut to the smallest room left. */
	left[0] = left_under(bc->cap_day, prior->day_units);
	left[1] = left_under(bc->cap_year, prior->year_units);
	left[2] = left_under(bc->cap_episode, prior->episode_units);
	units = wanted > 0 ? wanted : 0;
	for (i = 0; i < 3; i++)
		if (left[i] >= 0 && left[i] < units)
			units = left[i];
	cap_reason(out, BILLING_WHY_CAP_DAY, "day", bc->cap_day, left[0],
	    wanted, bc, units);
	cap_reason(out, BILLING_WHY_CAP_YEAR, "year", bc->cap_year, left[1],
	    wanted, bc, units);
	cap_reason(out, BILLING_WHY_CAP_EPISODE, "episode", bc->cap_episode,
	    left[2], wanted, bc, units);

	if (out->nreasons > 0) {
		/* Not billable: nothing is cut from nothing. */
		out->ncuts = 0;
		units = 0;
	}
	out->units = units;
	out->billable = out->nreasons == 0 && units > 0;
	return ERR_OK;
}

static void
free_strings(char **v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
}

void
billing_rules_clear(struct billing_rules *br)
{
	int i;

	if (br == NULL)
		return;
	free(br->version);
	free(br->payer);
	for (i = 0; br->codes != NULL && i < br->ncodes; i++) {
		free(br->codes[i].code);
		free(br->codes[i].label);
		free(br->codes[i].rule);
	}
	free(br->codes);
	free(br->group_modifier);
	for (i = 0; br->programs != NULL && i < br->nprograms; i++) {
		free(br->programs[i].code);
		free(br->programs[i].label);
		free(br->programs[i].modifier);
	}
	free(br->programs);
	free_strings(br->audio_video, br->naudio_video);
	free_strings(br->audio_only, br->naudio_only);
	for (i = 0; br->places != NULL && i < br->nplaces; i++) {
		free(br->places[i].code);
		free(br->places[i].label);
	}
	free(br->places);
	free(br->tele_pos);
	free(br->tele_pos_home);
	for (i = 0; br->settings != NULL && i < br->nsettings; i++) {
		free(br->settings[i].code);
		free(br->settings[i].label);
		free(br->settings[i].pos);
	}
	free(br->settings);
	free(br->default_setting);
	free(br->group_rule);
	for (i = 0; br->activities != NULL && i < br->nactivities; i++) {
		free(br->activities[i].code);
		free(br->activities[i].label);
		free(br->activities[i].rule);
	}
	free(br->activities);
	for (i = 0; br->types != NULL && i < br->ntypes; i++) {
		free(br->types[i].code);
		free(br->types[i].label);
		free(br->types[i].billing_code);
		free(br->types[i].activity);
		free(br->types[i].rule);
	}
	free(br->types);
	memset(br, 0, sizeof *br);
}
