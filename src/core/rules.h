#ifndef CORE_RULES_H
#define CORE_RULES_H

#include "core/billing.h"
#include "core/group_rules.h"
#include "core/note_rules.h"
#include "store/db.h"
#include "util/err.h"

/*
 * Rules that differ by organisation, state or payer live as data
 * (the JSON files in data/, stored in the ruleset table at init, editable later).
 * interop/rules_json.c parses them into these structs; core reads them.
 */

struct code_label {
	char	*code;
	char	*label;
};

/* The elements a consent may have to hold (data/consents.json). */
enum consent_element {
	CE_PERSON_NAME, CE_DISCLOSERS, CE_RECIPIENTS, CE_INFORMATION,
	CE_CATEGORIES, CE_PURPOSES, CE_REVOCATION_STATEMENT, CE_EXPIRY,
	CE_SIGNER_NAME, CE_SIGNER_AUTHORITY, CE_SIGNED_ON,
	CE_CONDITIONING_STATEMENT, CE_REDISCLOSURE_STATEMENT, CE__COUNT
};
/* "person_name", "disclosers", ... indexed by enum consent_element. */
extern const char *const consent_element_codes[CE__COUNT];

struct consent_kind {
	char		*code;
	char		*label;
	char		*rule;
	int		 discloses;	/* a consent to disclose */
	int		 part2;		/* meets 42 CFR Part 2 */
	unsigned	 required;	/* 1u << enum consent_element */
	char		**expiry_events;	/* allowed event codes */
	int		 nexpiry_events;
	char		**purposes_within;	/* NULL: any purpose */
	int		 npurposes_within;
};

struct consent_notice {
	char	*code;		/* "part2", "hipaa" */
	char	*version;
	char	*rule;
	char	*text;
};

struct consent_rules {
	char			*version;
	char			*element_labels[CE__COUNT];
	struct code_label	*categories;
	int			 ncategories;
	struct code_label	*purposes;
	int			 npurposes;
	struct code_label	*authorities;
	int			 nauthorities;
	struct code_label	*expiry_events;
	int			 nexpiry_events;
	struct code_label	*revocation_methods;
	int			 nrevocation_methods;
	struct consent_kind	*kinds;
	int			 nkinds;
	struct consent_notice	*notices;
	int			 nnotices;
	int			 part2_years;
	int			 hipaa_years;
	char			*accounting_rule;
};

/* Who may sign a plan as one of its signers. */
enum signed_by {
	SIGNED_BY_PERSON,	/* the person: typed name, confirmed on screen */
	SIGNED_BY_STAFF,	/* the signed-in member of staff */
	SIGNED_BY_WITNESS,	/* a witness: typed name and statements */
	SIGNED_BY_AGENT,	/* a named agent accepting in writing */
};

struct plan_signer {
	char		*role;		/* "person", "peer", "professional" */
	char		*label;
	enum signed_by	 by;
	unsigned	 staff_roles;	/* bit (1 << enum role) per role allowed */
	int		 required;
};

/* The rules for one kind of plan (data/plan-rules.json). */
struct plan_rule {
	char			*kind;
	struct plan_signer	*signers;
	int			 nsigners;
	int			 first_due_months;	/* after enrollment; 0 none */
	int			 review_months;		/* 0: no review cycle */
	char			**sign_requires;	/* lists that need an item */
	int			 nsign_requires;
	char			*rule;			/* its source */
};

/* A statement a signer affirms (attestation) or must not make. */
struct statement {
	char	*code;
	char	*label;
	char	*rule;		/* the citation named when it is broken */
	char	*unless;	/* an exemption's code that lifts it, or NULL */
};

/* The state's rules for psychiatric advance directives
 * (data/advance-directive.json). */
struct pad_rules {
	char			*state;
	char			*title;
	char			*statute;
	int			 valid_years;
	char			*valid_rule;
	char			*principal_rule;
	int			 witness_count;
	char			*witness_rule;
	struct statement	*witness_attest;
	int			 nwitness_attest;
	struct statement	*witness_disq;
	int			 nwitness_disq;
	char			*acceptance_rule;
	struct statement	*agent_disq;
	int			 nagent_disq;
	struct statement	*agent_exempt;
	int			 nagent_exempt;
	char			*invocation_rule;
	struct code_label	*invocation_bases;
	int			 ninvocation_bases;
	int			 revocation_physician;
	char			*revocation_rule;
	char			*incapable_rule;
};

/* Who a safety concern nobody acknowledged is passed on to
 * (data/safety.json). */
#define SAFETY_TO_SUPERVISORS	0x1	/* every supervisor not yet told */
#define SAFETY_TO_ADMINS	0x2	/* every administrator */

struct safety_rules {
	char		*version;
	int		 escalate_minutes;	/* 1 to 1440 */
	unsigned	 escalate_to;		/* SAFETY_TO_* */
	char		*rule;			/* its source */
};

/* The resource directory's rules (data/resources.json). */
struct resource_taxonomy {
	char	*group;		/* "sdoh", "peer" */
	char	*id;		/* the HSDS taxonomy's UUID */
	char	*name;
	char	*description;
	char	*uri;
	char	*version;
};

struct resource_category {
	char	*code;		/* the taxonomy term's code */
	char	*label;
	char	*group;		/* its taxonomy's group */
	char	*term_id;	/* the HSDS taxonomy term's UUID */
};

struct resource_rules {
	char				*version;
	struct resource_taxonomy	*taxonomies;
	int				 ntaxonomies;
	struct resource_category	*categories;
	int				 ncategories;
	int				 stale_after_days;	/* 1 to 3650 */
	int				 referral_follow_up_days;
	char				*referral_rule;
	int				 outreach_not_seen_days;
	int				 outreach_frequent_stays;
	int				 outreach_frequent_months;
	char				*outreach_rule;
	/* the kinds of inpatient stay a person's record may hold */
	struct code_label		*stay_kinds;
	int				 nstay_kinds;
};

struct rules {
	char			*episode_version;
	struct code_label	*referral_sources;
	int			 nreferral_sources;
	struct code_label	*discharge_reasons;
	int			 ndischarge_reasons;
	struct code_label	*exit_strategies;
	int			 nexit_strategies;
	int			 follow_up_days;
	char			*languages_version;
	struct code_label	*languages;
	int			 nlanguages;
	char			*plans_version;
	struct plan_rule	*plan_rules;
	int			 nplan_rules;
	char			*pad_version;
	struct pad_rules	 pad;
	struct note_rules	 notes;
	struct billing_rules	 billing;
	struct safety_rules	 safety;
	struct group_rules	 groups;
	struct consent_rules	 consents;
	struct resource_rules	 resources;
};

/* The rule for a kind of plan, or NULL. */
const struct plan_rule *rules_plan(const struct rules *r, const char *kind);

/* The rules in force. Borrowed; valid until rules_install() again. */
const struct rules *rules_get(void);

/* Puts r in force; takes ownership. Call before threads start. */
void rules_install(struct rules *r);
void rules_free(struct rules *r);
/* Free one part of a rule set (when it is parsed again). */
void plan_rules_clear(struct rules *r);
void pad_rules_clear(struct pad_rules *p);
void safety_rules_clear(struct safety_rules *s);
void resource_rules_clear(struct resource_rules *r);

/* The directory category with code, or NULL. Borrowed from r. */
const struct resource_category *resource_category_find(
    const struct resource_rules *r, const char *code);

/* The kind of consent with code, or NULL. Borrowed from c. */
const struct consent_kind *consent_kind_find(const struct consent_rules *c,
    const char *code);

/* The notice with code ("part2", "hipaa"), or NULL. Borrowed from c. */
const struct consent_notice *consent_notice_find(
    const struct consent_rules *c, const char *code);

/* Frees what c holds and zeroes it; c itself is not freed; NULL is fine. */
void consent_rules_clear(struct consent_rules *c);

/* 1 when code is one of list's codes. */
int rules_has(const struct code_label *list, int n, const char *code);

/*
 * Stores a rule set's text under name unless one is already there (an
 * administrator's edits win over the shipped defaults).
 */
enum err rules_store(struct db *db, const char *name, const char *version,
    const char *body);

/* A new copy of the stored text of name; caller frees with free(). */
enum err rules_fetch(struct db *db, const char *name, char **body);

/* Organisation settings (name -> text), e.g. "time_zone". */
enum err setting_get(struct db *db, const char *name, char **value);
enum err setting_set(struct db *db, const char *name, const char *value);

#endif
