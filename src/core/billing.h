#ifndef CORE_BILLING_H
#define CORE_BILLING_H

#include "util/err.h"

/*
 * Billing units: how one peer support contact becomes a payer's units
 * (data/billing.json, parsed by interop/billing_json.c into struct
 * billing_rules). Pure functions: no database, no clock, no allocation.
 * The caller (contacts, groups, the units report) looks up what was
 * claimed before and records what these return. See docs/billing.md.
 */

#define BILLING_MODIFIERS_MAX	4	/* a claim line holds four */
#define BILLING_REASONS_MAX	8
#define BILLING_TEXT_MAX	240
#define BILLING_MINUTES_MAX	1440	/* one contact: at most a day */
#define BILLING_DAY_MINUTES_MAX	14400	/* a day's summed minutes */
#define BILLING_UNITS_MAX	1000000	/* units claimed before, any window */

enum billing_rounding {
	BILLING_ROUND_MIDPOINT,	/* a unit once its midpoint is passed */
	BILLING_ROUND_WHOLE,	/* only complete units */
	BILLING_ROUND_UP,	/* any part of a unit counts */
};

enum billing_aggregation {
	BILLING_PER_DAY,	/* minutes summed per person, code and day */
	BILLING_PER_CONTACT,	/* each contact rounded on its own */
};

enum billing_modality {
	BILLING_INDIVIDUAL,
	BILLING_GROUP,
};

enum billing_method {
	BILLING_FACE_TO_FACE,
	BILLING_PHONE,		/* counts as audio-only */
	BILLING_AUDIO_VIDEO,
	BILLING_AUDIO_ONLY,
};

/* Where the modifiers of each kind go on a claim line. */
enum billing_modifier_kind {
	BILLING_MOD_GROUP,
	BILLING_MOD_PROGRAM,
	BILLING_MOD_TELEHEALTH,
	BILLING_MOD__COUNT
};

/* A billing code and how its time becomes units. Caps of 0 are unset. */
struct billing_code {
	char			*code;		/* "H0038" */
	char			*label;
	int			 unit_minutes;
	enum billing_rounding	 rounding;
	enum billing_aggregation aggregation;
	int			 cap_day;
	int			 cap_year;
	int			 cap_episode;
	int			 year_starts_month;	/* 1..12; for callers */
	int			 requires_goal;
	int			 requires_agreement;
	char			*rule;
};

struct billing_program {
	char	*code;		/* "substance_use" */
	char	*label;
	char	*modifier;	/* "HF" */
};

struct billing_place {
	char	*code;		/* CMS place-of-service code, "11" */
	char	*label;
};

/* Where a face-to-face contact happened. */
struct billing_setting {
	char	*code;
	char	*label;
	char	*pos;		/* one of the places' codes */
	int	 at_home;	/* the person's home */
};

/* An activity the payer never bills. */
struct billing_activity {
	char	*code;
	char	*label;
	char	*rule;
};

/* A kind of contact. billing_code NULL: not billed (activity names the
 * payer's non-billable activity, or rule says why). modality and method
 * are -1 when the contact gives them, else the type fixes them. */
struct billing_type {
	char	*code;
	char	*label;
	char	*billing_code;
	char	*activity;
	int	 modality;
	int	 method;
	char	*rule;
};

struct billing_rules {
	char			*version;
	char			*payer;
	struct billing_code	*codes;
	int			 ncodes;
	enum billing_modifier_kind order[BILLING_MOD__COUNT];
	char			*group_modifier;
	struct billing_program	*programs;
	int			 nprograms;
	char			*audio_video[BILLING_MODIFIERS_MAX];
	int			 naudio_video;
	char			*audio_only[BILLING_MODIFIERS_MAX];
	int			 naudio_only;
	struct billing_place	*places;
	int			 nplaces;
	char			*tele_pos;		/* "02" */
	char			*tele_pos_home;		/* "10" */
	struct billing_setting	*settings;
	int			 nsettings;
	char			*default_setting;
	int			 group_max_per_facilitator;
	char			*group_rule;
	struct billing_activity	*activities;
	int			 nactivities;
	struct billing_type	*types;
	int			 ntypes;
};

/* One contact as the engine sees it. Strings are codes from the rules. */
struct billing_contact {
	const char		*type;		/* a contact type's code */
	enum billing_modality	 modality;	/* unless the type fixes it */
	enum billing_method	 method;	/* unless the type fixes it */
	const char		*setting;	/* a setting's code, or NULL */
	int			 at_home;	/* the person was at home */
	const char		*program;	/* a program's code, or NULL */
	int			 minutes;	/* 0..BILLING_MINUTES_MAX */
	int			 goal_linked;	/* a plan goal is linked */
	int			 agreement_active; /* agreement to services */
	int			 group_size;	/* groups: people attending */
	int			 facilitators;	/* groups: 0 counts as 1 */
};

/*
 * What was claimed before this contact for the same person and the same
 * billing code (any modifiers): units in the day, the cap year and the
 * episode, and for per-day aggregation the counted_minutes of that day's
 * earlier contacts. Contacts are taken in the order they happened.
 */
struct billing_prior {
	int	day_units;
	int	year_units;
	int	episode_units;
	int	day_minutes;
};

enum billing_why {
	BILLING_WHY_ACTIVITY,		/* a non-billable activity */
	BILLING_WHY_NOT_BILLED,		/* this kind of contact has no code */
	BILLING_WHY_TOO_SHORT,		/* adds no unit */
	BILLING_WHY_NO_GOAL,		/* no linked plan goal */
	BILLING_WHY_NO_AGREEMENT,	/* no active agreement to services */
	BILLING_WHY_GROUP_SIZE,		/* group larger than the limit */
	BILLING_WHY_CAP_DAY,
	BILLING_WHY_CAP_YEAR,
	BILLING_WHY_CAP_EPISODE,
	BILLING_WHY__COUNT
};

struct billing_reason {
	enum billing_why	 why;
	const char		*code;	/* "too_short", "cap_day", ... */
	const char		*rule;	/* its source, or NULL; borrowed */
	char			 text[BILLING_TEXT_MAX];	/* plain words */
};

/*
 * Pointers are borrowed from the rules passed in. reasons say why the
 * contact is not billable (each one that applies, in the order of enum
 * billing_why); cuts say which caps cut the units of a billable contact.
 */
struct billing_result {
	const char		*code;		/* NULL: not billed */
	const char		*modifiers[BILLING_MODIFIERS_MAX];
	int			 nmodifiers;
	const char		*pos;		/* place of service */
	enum billing_modality	 modality;	/* as applied */
	enum billing_method	 method;	/* as applied */
	int			 minutes;
	int			 counted_minutes; /* for the next day_minutes */
	int			 units;		/* this contact adds */
	int			 billable;	/* units > 0, no reasons */
	struct billing_reason	 reasons[BILLING_REASONS_MAX];
	int			 nreasons;
	struct billing_reason	 cuts[3];
	int			 ncuts;
};

/* Units for minutes of 15-minute units (REFERENCE.md 1.3); 0 when
 * minutes <= 0. */
int billing_units(enum billing_rounding mode, int minutes);

/* The same for units of unit_minutes (>= 1). */
int billing_units_per(enum billing_rounding mode, int unit_minutes,
    int minutes);

/*
 * Works out one contact: code, modifiers in the rules' order, place of
 * service, the units it adds given prior, and every reason it is not
 * billable. Under per-day aggregation the units are those of the day's
 * summed minutes less those of the minutes before, so the day's total
 * follows the rounding of the sum. counted_minutes is the contact's
 * minutes when its time counts toward the code (a billed kind, with the
 * goal, agreement and group size the code needs), else 0; the caller
 * sums it into the next contact's day_minutes. prior NULL: nothing
 * before. ERR_INVALID when the type, setting or program is unknown, a
 * group has no one in it, or a number or enum is out of range; out is
 * then zeroed.
 */
enum err billing_contact(const struct billing_rules *br,
    const struct billing_contact *c, const struct billing_prior *prior,
    struct billing_result *out);

/* Lookups by code; NULL when absent. Borrowed from br. */
const struct billing_code *billing_code_find(const struct billing_rules *br,
    const char *code);
const struct billing_type *billing_type_find(const struct billing_rules *br,
    const char *code);
const struct billing_setting *billing_setting_find(
    const struct billing_rules *br, const char *code);
const struct billing_program *billing_program_find(
    const struct billing_rules *br, const char *code);

/* "midpoint", "per_day", "face_to_face", "group", ...; NULL when out of
 * range. The words the rule set uses. */
const char *billing_rounding_name(enum billing_rounding m);
const char *billing_aggregation_name(enum billing_aggregation a);
const char *billing_method_name(enum billing_method m);
const char *billing_modality_name(enum billing_modality m);

/* The enum value named s, or -1. */
int billing_rounding_parse(const char *s);
int billing_aggregation_parse(const char *s);
int billing_method_parse(const char *s);
int billing_modality_parse(const char *s);

/* Frees what br holds and zeroes it; accepts an empty one. */
void billing_rules_clear(struct billing_rules *br);

#endif
